// Tests for the bounds a report is held to at ingest, and for the depth check that runs before parsing.

import assert from 'node:assert/strict';
import test from 'node:test';
import { HttpError } from '../http-error.js';
import { boundReport, MAX_ITEMS, MAX_STRING_CHARS } from './bounds.js';
import { depthExceeded, MAX_JSON_DEPTH } from './depth.js';
import { parseJson, prepareReport } from './prepare.js';

test('long strings are cut with a marker saying how much; the rest is the same object', () => {
  const long = 'x'.repeat(MAX_STRING_CHARS + 1234);
  const input = { keep: { a: 'short' }, list: ['ok', long], text: long };
  const b = boundReport(input);
  const out = b.value as typeof input;
  assert.equal(b.truncated, 2);
  assert.ok(out.text.startsWith('x'.repeat(MAX_STRING_CHARS)));
  assert.match(out.text, /cut by exhunt at ingest: 1234 more characters/);
  assert.equal(out.keep, input.keep, 'unchanged parts are not copied');
  assert.equal(input.text, long, 'the input is left alone');
});

test('NUL bytes are counted in strings and names alike, and left for the store to escape', () => {
  const b = boundReport({ 'k\0': ['a\0b'] });
  assert.deepEqual(b.value, { 'k\0': ['a\0b'] });
  assert.equal(b.escaped, 2);
});

test('an array past the limit is refused with 413 and where it is', () => {
  const big = { findings: [{ evidence: new Array(MAX_ITEMS + 1).fill(0) }] };
  assert.throws(
    () => boundReport(big),
    (e) => e instanceof HttpError && e.statusCode === 413 && /\/findings\/0\/evidence/.test(e.message),
  );
});

test('nesting is measured on the bytes, strings and escapes included', () => {
  const ok = Buffer.from(`${'['.repeat(MAX_JSON_DEPTH)}"[[[\\"["${']'.repeat(MAX_JSON_DEPTH)}`);
  assert.equal(depthExceeded(ok), -1);
  const deep = Buffer.from(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`);
  assert.equal(depthExceeded(deep), MAX_JSON_DEPTH);
  assert.throws(
    () => parseJson(deep),
    (e) => e instanceof HttpError && e.statusCode === 400,
  );
  assert.throws(
    () => parseJson(Buffer.from('{"a":')),
    (e) => e instanceof HttpError && e.statusCode === 400,
  );
});

test("the report wrapper's server, org and build are held to lengths and refuse control characters", () => {
  const refuse = (body: unknown) =>
    assert.throws(
      () => prepareReport(body),
      (e) => e instanceof HttpError && e.statusCode === 400,
    );
  refuse({ server: 'x'.repeat(100_000), report: {} });
  refuse({ server: 'a\u0007b', report: {} });
  refuse({ server: 'ok', build: 'b'.repeat(101), report: {} });
  refuse({ server: 42, report: {} });
  const p = prepareReport({ server: 'ex01', build: '15.1.2176.2', report: {} });
  assert.equal(p.server, 'ex01');
  assert.ok(p.errors.length > 0, 'an empty report is not a valid report');
});
