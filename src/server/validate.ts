// Checks an uploaded report against schema/report.schema.json (the public contract) before it is stored.

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const url = new URL('../../../schema/report.schema.json', import.meta.url);
  const schema = JSON.parse(readFileSync(url, 'utf8')) as object;
  // strict: false because the schema carries keywords ajv's strict mode refuses; the first error is enough to
  // reject an upload, and stopping there keeps validation cheap on the ingest path.
  // strictNumbers: a `1e400` in a report parses to Infinity, which is no number the schema means.
  return new Ajv2020({ allErrors: false, strict: false, strictNumbers: true }).compile(schema);
}

/** The first few schema errors as `path: message` lines, or an empty list when the report is valid. */
export function reportErrors(report: unknown): string[] {
  validator ??= compile();
  if (validator(report)) return [];
  return (validator.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
