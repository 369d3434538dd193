// Property tests of the Sigma YAML loader: any text, mutated real rules and alias bombs never throw or hang.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { fuzzRuns } from '../../core/fuzz-runs.js';
import { parseRuleText } from './parse.js';

const RULES = fileURLToPath(new URL('../../../../rules/', import.meta.url));
const ours = ['web', 'windows', 'exchange'].flatMap((d) =>
  readdirSync(`${RULES}${d}`)
    .filter((n) => n.endsWith('.yml'))
    .map((n) => readFileSync(`${RULES}${d}/${n}`, 'utf8')),
);

/** Every error is located inside the text it came from. */
function checkErrors(text: string, errors: { line: number; column?: number }[]): void {
  const lines = text.split('\n').length;
  for (const e of errors) {
    assert.ok(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines + 1, `line ${e.line} of ${lines}`);
    if (e.column !== undefined) assert.ok(e.column >= 1, `column ${e.column}`);
  }
}

test('any text: the loader returns rules or located errors, never throws', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 2000 }), (text) => {
      const r = parseRuleText(text, 'x.yml');
      checkErrors(text, r.errors);
    }),
    { numRuns: fuzzRuns(300) },
  );
});

test('our rules, mutated (cut, characters replaced, lines swapped), never throw and errors stay located', () => {
  assert.ok(ours.length > 20, 'our rules are readable from the test');
  const mutate = fc.tuple(
    fc.constantFrom(...ours),
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({
          kind: fc.constant('put' as const),
          at: fc.nat(),
          ch: fc.constantFrom(...':-|>&*!%@`"\'{}[]#\n\t '),
        }),
        fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
      ),
      { maxLength: 8 },
    ),
  );
  fc.assert(
    fc.property(mutate, ([rule, edits]) => {
      let text = rule;
      for (const e of edits) {
        if (e.kind === 'cut') text = text.slice(0, e.at % (text.length + 1));
        else if (e.kind === 'put') {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ch + text.slice(at + 1);
        } else {
          const lines = text.split('\n');
          const a = e.a % lines.length;
          const b = e.b % lines.length;
          [lines[a], lines[b]] = [lines[b]!, lines[a]!];
          text = lines.join('\n');
        }
      }
      checkErrors(text, parseRuleText(text, 'm.yml').errors);
    }),
    { numRuns: fuzzRuns(400) },
  );
});

test('an alias bomb (each anchor repeated nine times, twelve deep) is refused quickly with a located error', () => {
  let y =
    'title: t\nid: 11111111-1111-4111-8111-111111111111\nlogsource: {product: windows}\nx0: &a0 [a, a, a, a, a, a, a, a, a]\n';
  for (let i = 1; i < 12; i++)
    y += `x${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  y += 'detection:\n  sel:\n    Image: *a11\n  condition: sel\n';
  const started = process.hrtime.bigint();
  const r = parseRuleText(y, 'bomb.yml');
  // Only a bound against a hang (9^12 values would take hours), not a speed target.
  assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 20);
  assert.equal(r.rules.length, 0);
  assert.match(r.errors[0]?.message ?? '', /expands to more than/);
  checkErrors(y, r.errors);
});

test('deep nesting (thousands of levels of lists and maps) never overflows the stack', () => {
  for (const open of ['[', '{a: ']) {
    const n = 5000;
    const text = `title: t\ndetection: ${open.repeat(n)}x${(open === '[' ? ']' : '}').repeat(n)}\n`;
    const r = parseRuleText(text, 'deep.yml');
    checkErrors(text, r.errors);
  }
});
