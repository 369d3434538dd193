// Property tests for the web.config reader: hostile text never throws or hangs; harmless additions change no verdict.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { mitigationsFromWebConfig } from './web-config.js';
import type { MitigationStateName } from './web-config.js';
import { MAX_ELEMENTS } from './xml.js';

/** Short by default; `EXHUNT_FUZZ_RUNS=5000` for a longer pass. */
const RUNS = Number(process.env.EXHUNT_FUZZ_RUNS ?? 200);
const BUDGET_MS = 20_000;

function timed<T>(f: () => T): T {
  const started = Date.now();
  const out = f();
  assert.ok(Date.now() - started < BUDGET_MS, `answered within ${BUDGET_MS} ms`);
  return out;
}

const RULES = `
<rule name="X-AnonResource-Backend Abort - inbound" patternSyntax="ECMAScript" stopProcessing="true">
  <match url=".*" />
  <conditions><add input="{HTTP_COOKIE}" pattern="(.*)X-AnonResource-Backend(.*)" /></conditions>
  <action type="AbortRequest" />
</rule>
<rule name="X-BEResource Abort - inbound" patternSyntax="ECMAScript" stopProcessing="true">
  <match url=".*" />
  <conditions><add input="{HTTP_COOKIE}" pattern="(.*)X-BEResource=(.+)/(.+)~(.+)" /></conditions>
  <action type="AbortRequest" />
</rule>
<rule name="PowerShell - inbound" patternSyntax="ECMAScript" stopProcessing="true">
  <match url=".*" />
  <conditions><add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)" /></conditions>
  <action type="AbortRequest" />
</rule>`;

const wrap = (rules: string, before = '', after = '') =>
  `<?xml version="1.0"?>\n<configuration>${before}<system.webServer><rewrite><rules>${rules}</rules></rewrite></system.webServer>${after}</configuration>`;

const states = (xml: string): Record<string, MitigationStateName> =>
  Object.fromEntries(
    timed(() => mitigationsFromWebConfig(xml, 'web.config')).mitigations.map((m) => [m.cve, m.state]),
  );

/** Text made of the characters XML cares about, so that the parser's every branch is hit. */
const xmlish = fc.string({
  unit: fc.constantFrom(
    ...'<>/!?-="\' \n[]CDATAaxrule'.split(''),
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '<rule',
    '</rule>',
  ),
  maxLength: 400,
});

test('property: any XML-ish text gives a result, never a throw or a hang', () => {
  fc.assert(
    fc.property(xmlish, (text) => {
      const r = timed(() => mitigationsFromWebConfig(text, 'web.config'));
      assert.ok(Array.isArray(r.mitigations));
    }),
    { numRuns: RUNS * 5 },
  );
});

test('property: cutting or splicing the published rules never throws', () => {
  const full = wrap(RULES);
  fc.assert(
    fc.property(fc.nat(full.length), fc.nat(full.length), xmlish, (a, b, junk) => {
      const text = full.slice(0, Math.min(a, b)) + junk + full.slice(Math.max(a, b));
      timed(() => mitigationsFromWebConfig(text, 'web.config'));
    }),
    { numRuns: RUNS * 2 },
  );
});

/** Well-formed elements and comments that mean nothing to URL Rewrite. */
const harmless = fc.constantFrom(
  '',
  '<!-- a note -->',
  '<appSettings><add key="a" value="b" /></appSettings>',
  '<location path="owa"><system.web /></location>',
  '<!-- <rule name="old"><match url="x" /></rule> -->',
  '\n\n\t ',
  '<![CDATA[ <rule name="not real"> ]]>',
);

test('property: harmless additions anywhere outside the rules leave every verdict as it was', () => {
  const expected = states(wrap(RULES));
  assert.deepEqual(expected, { 'CVE-2021-26855': 'mitigated', 'CVE-2022-41040': 'mitigated' });
  fc.assert(
    fc.property(harmless, harmless, harmless, (before, after, between) => {
      const rules = RULES.replace(/<\/rule>\n<rule/g, `</rule>${between}<rule`);
      assert.deepEqual(states(wrap(rules, before, after)), expected);
    }),
    { numRuns: RUNS },
  );
});

test('hostile shapes of several MiB are read in time, and a file cut short says where', () => {
  const mib = 1 << 20;
  const shapes: Record<string, string> = {
    'unclosed tags': '<configuration>' + '<a '.repeat(mib),
    'deep nesting': '<configuration>' + '<a>'.repeat(mib),
    'nested comment openers': '<configuration>' + '<!--<a>'.repeat(mib / 2),
    'mismatched closers': '<configuration>' + '<a>'.repeat(mib / 4) + '</b>'.repeat(mib / 4),
    'long attribute name': `<configuration><a ${'x'.repeat(4 * mib)}>`,
    'open quote': `<configuration><rule name="${'x'.repeat(4 * mib)}`,
    'angle brackets': '<'.repeat(4 * mib),
  };
  for (const [shape, text] of Object.entries(shapes)) {
    const r = timed(() => mitigationsFromWebConfig(text, 'web.config'));
    assert.ok(
      r.mitigations.every((m) => m.state === 'absent'),
      shape,
    );
  }
  const deep = mitigationsFromWebConfig(shapes['deep nesting']!, 'web.config');
  assert.match(deep.problems.map((p) => p.message).join(), new RegExp(`more than ${MAX_ELEMENTS} elements`));
  const quote = mitigationsFromWebConfig(shapes['open quote']!, 'web.config');
  assert.deepEqual(
    quote.problems.map((p) => [p.code, p.line]),
    [['webconfig.malformed', 1]],
  );
});
