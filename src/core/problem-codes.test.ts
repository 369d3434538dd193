// Every problem code the sources emit is in the loss table, so none falls back to the guess by accident.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROBLEM_CODES, lossOf } from './problem-codes.js';

/** The TypeScript sources (tests run from dist/, the sources sit beside it in the checkout). */
const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'testing' ? [] : sources(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && d.name !== 'testkit.ts' ? [p] : [];
  });
}

/** Names that share a problem code's prefix but are something else: the fleet server's notification events. */
const NOT_CODES = new Set(['agent.silent']);

test('every problem code written in the sources is in the loss table', () => {
  const prefixes = [...new Set(Object.keys(PROBLEM_CODES).map((c) => c.split('.')[0]!))].join('|');
  // `code: 'x.y'` anywhere, and any quoted string with a known prefix (codes passed to helpers).
  const patterns = [/code: '([a-z0-9]+\.[a-z0-9.-]+)'/g, new RegExp(`'((?:${prefixes})\\.[a-z0-9-]+)'`, 'g')];
  const missing = new Set<string>();
  let seen = 0;
  for (const file of sources(SRC)) {
    // A built-in rule's id (`builtinRule('iis.native-module', ...)`) may share a prefix with problem codes.
    const text = readFileSync(file, 'utf8').replace(/builtinRule\(\s*'[^']*'/g, 'builtinRule(');
    for (const re of patterns)
      for (const m of text.matchAll(re)) {
        if (/\.(log|ts|js|ya?ml|json|csv|txt|evtx|zip|aspx)$/.test(m[1]!)) continue; // a file name
        if (NOT_CODES.has(m[1]!)) continue;
        seen++;
        if (!(m[1]! in PROBLEM_CODES)) missing.add(`${m[1]} (${path.relative(SRC, file)})`);
      }
  }
  assert.ok(seen > 40, `only ${seen} codes found: is ${SRC} the source folder?`);
  assert.deepEqual([...missing], []);
});

test('an unknown code counts as a partial loss, never as nothing lost', () => {
  assert.equal(lossOf('no.such-code'), 'part');
  assert.equal(lossOf('limit.findings'), 'none');
  assert.equal(lossOf('w3c.bad-line'), 'records');
});
