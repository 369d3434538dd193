// schema/api.schema.json (what the OpenAPI document serves as each response's schema) is generated from
// api/types.ts: this fails when a declaration changed and `npm run api:schema` was not run.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openApiDocument } from '../openapi.js';
import { ROUTES } from '../routes/index.js';

interface Generator {
  apiSchemaText(): string;
  SCHEMA_FILE: string;
}

test('schema/api.schema.json is what the declarations generate', async () => {
  const gen = (await import(
    new URL('../../../../scripts/api-schema.mjs', import.meta.url).href
  )) as Generator;
  assert.equal(readFileSync(gen.SCHEMA_FILE, 'utf8'), gen.apiSchemaText(), 'run `npm run api:schema`');
});

test('every JSON answer in the OpenAPI document has its declared schema', () => {
  const doc = openApiDocument(ROUTES) as {
    paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, object> }> }>>;
    components: { schemas: Record<string, unknown> };
  };
  const server = doc.paths['/api/v1/servers/{id}']?.get?.responses['200']?.content['application/json'];
  assert.deepEqual(server, { schema: { $ref: '#/components/schemas/ServerView' } });
  assert.ok(doc.components.schemas.ServerView, 'the component is in the document');
  let without = 0;
  for (const def of ROUTES) {
    const content =
      doc.paths[`/api/v1${def.url.replace(/:(\w+)/g, '{$1}')}`]?.[def.method.toLowerCase()]?.responses[
        String(def.response.status)
      ]?.content;
    const json = content?.['application/json'] as { schema?: unknown } | undefined;
    if (json && def.response.status !== 204 && !json.schema) without++;
  }
  assert.equal(without, 0, 'JSON answers without a schema');
});
