// Tests for the ECP Server log's event data: keys found by shape, quoted values, hostile text in bounded time.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { parseEcpEventData } from './ecp-data.js';

const RUNS = Number(process.env.EXHUNT_FUZZ_RUNS) || 300;

test('reads keys, values with separators, single-quoted values with doubled quotes', () => {
  const d = parseEcpEventData(`S:TIME=13;S:CMD=Set-X.Url='a;b''c';S:REQID=;S:URL=/ecp/x?y=1;"`);
  assert.equal(d.get('TIME'), '13');
  assert.equal(d.get('CMD'), "Set-X.Url='a;b''c'");
  assert.equal(d.get('REQID'), '');
  assert.equal(d.get('URL'), '/ecp/x?y=1');
  assert.equal(parseEcpEventData(`'S:CMD=it''s;S:X=1';S:URL=u`).get('CMD'), "it's;S:X=1");
});

test('hostile values: an unclosed quote, long runs of separators, huge values, in linear time', () => {
  const started = Date.now();
  const n = 2_000_000;
  assert.equal(parseEcpEventData(`'S:CMD=${'x'.repeat(n)}`).get('CMD')?.length, n);
  assert.equal(parseEcpEventData(`S:CMD=${';'.repeat(n)}x`).get('CMD')?.length, n + 1);
  assert.equal(parseEcpEventData(`S:CMD=a${';"'.repeat(n)}`).get('CMD'), 'a');
  assert.equal(parseEcpEventData(`S:${'A'.repeat(n)}`).size, 0);
  assert.ok(parseEcpEventData(';S:A='.repeat(n / 4)).has('A'));
  assert.ok(parseEcpEventData(`'S:A=${"''".repeat(n / 2)}`).has('A'));
  // Generous: well under a second on a laptop; the old trailing /[;"]+$/ took minutes on the second input.
  assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
});

test('property: never throws, and a pair written plainly is read back', () => {
  const piece = fc.oneof(
    fc.constantFrom('S:', ';', "'", "''", '"', '=', ',', 'S:CMD=', "'S:URL=", 'S:A1='),
    fc.string({ maxLength: 8 }),
  );
  fc.assert(
    fc.property(
      fc.array(piece, { maxLength: 40 }),
      fc.stringMatching(/^[a-z0-9/.?=-]{0,20}$/),
      (parts, v) => {
        const noise = parts.join('');
        parseEcpEventData(noise);
        const d = parseEcpEventData(`${noise};S:ZZKEY=${v};S:END=1`);
        if (!noise.includes('ZZKEY') && !/'[^']*$/.test(noise.replace(/''/g, '')))
          assert.equal(d.get('ZZKEY'), v);
      },
    ),
    { numRuns: RUNS },
  );
});
