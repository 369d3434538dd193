// The OpenAPI 3.1 document, generated from the same route table that Fastify serves; each response's schema
// is generated from its declaration in api/types.ts (schema/api.schema.json, `npm run api:schema`).

import { readFileSync } from 'node:fs';
import { toolVersion } from '../engine/scan.js';
import { API_PREFIX } from './route.js';
import type { RouteDef, Schema } from './route.js';

const REPORT_SCHEMA = 'https://github.com/exhunt/exhunt/schema/report.schema.json';

interface ApiSchema {
  /** By method and path (`GET /servers/:id`), as api/types.ts `ApiResponses` declares them. */
  responses: Record<string, Schema>;
  components: Record<string, Schema>;
}

let apiSchema: ApiSchema | undefined;

/** schema/api.schema.json: the response declarations as JSON Schema, read once. */
export function responseSchemas(): ApiSchema {
  apiSchema ??= JSON.parse(
    readFileSync(new URL('../../../schema/api.schema.json', import.meta.url), 'utf8'),
  ) as ApiSchema;
  return apiSchema;
}

/** A JSON response's schema: the route's own, else the one generated from its declared type. */
function responseSchema(def: RouteDef): Schema | undefined {
  if (def.response.schema) return def.response.schema;
  if ((def.response.contentType ?? 'application/json') !== 'application/json') return undefined;
  if (def.response.status === 204) return undefined;
  return responseSchemas().responses[`${def.method} ${def.url}`];
}

function parameters(def: RouteDef): Schema[] {
  const out: Schema[] = [];
  for (const [where, schema] of [
    ['path', def.params],
    ['query', def.query],
  ] as const) {
    const props = (schema?.properties ?? {}) as Record<string, Schema>;
    const required = new Set((schema?.required ?? []) as string[]);
    for (const [name, s] of Object.entries(props)) {
      const { description, ...rest } = s;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  return out;
}

function requestBody(def: RouteDef): Schema | undefined {
  if (def.rawBody)
    return {
      required: true,
      description: def.rawBody.description,
      content: Object.fromEntries(
        def.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
      ),
    };
  if (def.body) return { required: true, content: { 'application/json': { schema: def.body } } };
  return undefined;
}

export function openApiDocument(routes: RouteDef[]): Schema {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const def of routes) {
    const path = API_PREFIX + def.url.replace(/:(\w+)/g, '{$1}');
    const body = requestBody(def);
    const schema = responseSchema(def);
    const responses: Schema = {
      [def.response.status]: {
        description: def.response.description,
        content: {
          [def.response.contentType ?? 'application/json']: schema ? { schema } : {},
        },
      },
      '400': { description: 'bad request' },
    };
    if (def.role !== 'public') {
      responses['401'] = { description: 'not signed in, or the token is invalid' };
      responses['403'] = { description: `needs the ${def.role} role, or names another organisation` };
    }
    (paths[path] ??= {})[def.method.toLowerCase()] = {
      summary: def.summary,
      tags: [def.tag],
      operationId: `${def.method.toLowerCase()}${def.url.replace(/[/:](\w)/g, (_, c: string) => c.toUpperCase())}`,
      security: def.role === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      'x-exhunt-role': def.role,
      parameters: parameters(def),
      ...(body ? { requestBody: body } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'exhunt fleet server',
      version: toolVersion(),
      description:
        'Scan reports and evidence bundles from many Exchange servers, per organisation. Every route but health, ' +
        'this document and sign-in needs an API token (Authorization: Bearer) or a session cookie; cookie-signed ' +
        'changes must send the X-Requested-With header. Lists are paged: pass `next` back as `cursor`. ' +
        `Reports follow ${REPORT_SCHEMA}.`,
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token from `exhunt tokens create`' },
        session: { type: 'apiKey', in: 'cookie', name: 'exhunt_session' },
      },
      schemas: { Report: { $ref: REPORT_SCHEMA }, ...responseSchemas().components },
    },
    paths,
  };
}
