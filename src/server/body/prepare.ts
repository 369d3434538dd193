// Turning a request body's bytes into what a route uses: JSON parsed with its depth bounded, and for scan
// reports also unwrapped, bounded, NUL-escaped and checked against the report schema; indicator feeds
// decoded and parsed. Pure and synchronous: it runs inline for small bodies and in the body worker for
// large ones (pool.ts), so that the event loop never spends seconds on one request.

import type { Problem } from '../../core/problem.js';
import { IndicatorStore, importFeed } from '../../rules/ioc/index.js';
import { HttpError } from '../http-error.js';
import { reportErrors } from '../validate.js';
import { boundReport } from './bounds.js';
import { depthExceeded, MAX_JSON_DEPTH } from './depth.js';
import { feedText } from '../intel/feed-text.js';

export type Task =
  | { kind: 'json'; bytes: Uint8Array }
  | { kind: 'report'; bytes: Uint8Array }
  | { kind: 'feed'; bytes: Uint8Array; name: string; maxProblems: number };

/** The wrapper's own fields, bounded like the query parameters they stand for. */
const WRAPPER_LIMITS: Record<string, number> = { server: 255, org: 200, build: 100 };

export interface PreparedReport {
  /** Marks a body that the report route receives already prepared. */
  prepared: 'report';
  server?: string;
  org?: string;
  build?: string;
  report: unknown;
  /** Schema errors (`path: message`), empty when valid. */
  errors: string[];
  truncated: number;
  escaped: number;
}

export interface ParsedFeed {
  text: string;
  format: string;
  indicators: number;
  problemCount: number;
  problems: Problem[];
}

/** `1e400` parses to Infinity, which Ajv would coerce to the string "Infinity": refused as it is read. */
function finiteOnly(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v))
    throw new HttpError(400, 'the body holds a number too large for a double');
  return v;
}

/** Parses with the depth checked first; `strict` also refuses non-finite numbers (reports: the schema does). */
export function parseJson(bytes: Uint8Array, strict = true): unknown {
  const deep = depthExceeded(bytes);
  if (deep >= 0)
    throw new HttpError(400, `JSON nests deeper than ${MAX_JSON_DEPTH} levels (at byte ${deep})`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'the JSON body is empty');
  try {
    return JSON.parse(text, strict ? finiteOnly : undefined) as unknown;
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, `the body is not JSON: ${(e as Error).message.slice(0, 200)}`);
  }
}

function wrapperField(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `"${name}" must be a string`);
  const max = WRAPPER_LIMITS[name]!;
  if (v.length === 0 || v.length > max)
    throw new HttpError(400, `"${name}" must be 1 to ${max} characters, not ${v.length}`);
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new HttpError(400, `"${name}" holds control characters`);
  return v;
}

/** `{ server, report, build?, org? }` or a bare report, bounded and checked. */
export function prepareReport(body: unknown): PreparedReport {
  const wrapped =
    body !== null &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    'report' in body &&
    !('schemaVersion' in body);
  const w = (wrapped ? body : {}) as Record<string, unknown>;
  const server = wrapperField(w, 'server');
  const org = wrapperField(w, 'org');
  const build = wrapperField(w, 'build');
  const b = boundReport(wrapped ? w.report : body, wrapped ? '/report' : '');
  return {
    prepared: 'report',
    ...(server !== undefined ? { server } : {}),
    ...(org !== undefined ? { org } : {}),
    ...(build !== undefined ? { build } : {}),
    report: b.value,
    errors: reportErrors(b.value),
    truncated: b.truncated,
    escaped: b.escaped,
  };
}

export function parseFeed(bytes: Uint8Array, name: string, maxProblems: number): ParsedFeed {
  const text = feedText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  // PostgreSQL's text cannot hold NUL, and no feed format has a use for one: refused, located.
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new HttpError(422, `the feed holds a NUL byte (character ${nul}); not stored`);
  const parsed = importFeed(text, name, name);
  return {
    text,
    format: parsed.format,
    indicators: new IndicatorStore(parsed.indicators).size,
    problemCount: parsed.problems.length,
    problems: parsed.problems.slice(0, maxProblems),
  };
}

export function runTask(t: Task): unknown {
  switch (t.kind) {
    case 'json':
      return parseJson(t.bytes);
    case 'report':
      return prepareReport(parseJson(t.bytes, false));
    case 'feed':
      return parseFeed(t.bytes, t.name, t.maxProblems);
  }
}
