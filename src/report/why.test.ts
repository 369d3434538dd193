// Why a finding is context: the writers show the passes' outcome changes, counted, with attacker text escaped.

import assert from 'node:assert/strict';
import test from 'node:test';
import { buildIncident } from '../analysis/incident.js';
import { EVIL, finding, hostileReport, report, resetIds } from '../analysis/testkit.js';
import type { Finding } from '../core/finding.js';
import { renderConsole } from './console.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { whyOf, whyText } from './why.js';

/** Archives the staged-file gate made context, one with a hostile file name in its reason. */
function gated(): Finding[] {
  resetIds();
  return ['a.zip', `${EVIL.script}${EVIL.md}${EVIL.control}.zip`].map((name) =>
    finding({
      rule: {
        id: 'exhunt.staged.archive',
        title: 'Archive in a staging folder',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'collection',
      outcome: 'context',
      path: `ProgramData/${name}`,
      line: null,
      adjustments: [
        { pass: 'staged-gate', field: 'outcome', from: 'compromise', to: 'context', reason: `no exploitation was found for ${name}` }, // prettier-ignore
        { pass: 'staged-gate', field: 'note', to: 'context only', reason: 'not shown: the note says it' },
      ],
    }),
  );
}

test('whyOf counts each pass and change once, keeps the first reason, and leaves notes and details out', () => {
  const w = whyOf(gated());
  assert.deepEqual(w, [
    { pass: 'staged-gate', field: 'outcome', from: 'compromise', to: 'context', count: 2, reason: 'no exploitation was found for a.zip' }, // prettier-ignore
  ]);
  assert.equal(
    whyText(w[0]!),
    'staged-gate: outcome compromise → context ×2 (no exploitation was found for a.zip)',
  );
  assert.equal(whyText(w[0]!, true), 'staged-gate: outcome compromise -> context x2 (no exploitation was found for a.zip)'); // prettier-ignore
  assert.deepEqual(whyOf([finding({})]), []);
});

test('a pass that only noted a finding is still why it has its outcome: the outcome it left is said kept', () => {
  resetIds();
  const f = finding({
    outcome: 'context',
    adjustments: [
      { pass: 'staged-gate', field: 'note', to: 'context only', reason: 'no exploitation was found' },
      { pass: 'later', field: 'outcome', from: 'context', to: 'suspicious', reason: 'x' },
    ],
  });
  f.outcome = 'suspicious';
  const w = whyOf([f]);
  assert.deepEqual(
    w.map((x) => whyText(x)),
    [
      'staged-gate: outcome context kept (no exploitation was found)',
      'later: outcome context → suspicious (x)',
    ],
  );
});

test('the context groups of every writer say which pass made them context, attacker text escaped', () => {
  const fs = gated();
  // The hostile name's reason is the one shown when it comes first.
  fs.reverse();
  const r = report(fs, { verdict: 'clean' });
  Object.assign(r, buildIncident(r));
  assert.equal(r.events?.context.length, 1);
  const html = renderHtml(r);
  assert.match(html, /why: staged-gate: outcome compromise → context ×2 \(no exploitation was found for /);
  assert.ok(!html.includes(EVIL.script), 'no raw script tag');
  const md = renderMarkdown(r);
  assert.match(md, /\| C1 \| Archive in a staging folder; why: staged-gate: outcome compromise → context ×2/);
  // The file's path sits in a code span; the reason, in prose, is escaped.
  const whyLines = md.split('\n').filter((l) => l.includes('why:'));
  assert.ok(
    whyLines.length > 0 && whyLines.every((l) => l.includes('\\<script\\>')),
    'Markdown escapes the reason',
  );
  const text = renderConsole(r, { color: false });
  assert.match(text, /why: staged-gate: outcome compromise -> context x2/);
  assert.ok(!text.includes('\r\nRemove-Item'), 'no raw line break from attacker text on the console');
});

test('an event a pass raised says so in every writer, its reason escaped', () => {
  const r = hostileReport();
  const html = renderHtml(r);
  assert.match(html, /why: webshells: outcome suspicious → compromise \(the requested file &#60;script&#62;/);
  const md = renderMarkdown(r);
  assert.match(md, /- why: webshells: outcome suspicious → compromise \(the requested file \\<script\\>/);
  const text = renderConsole(r, { color: false });
  assert.match(text, /why: webshells: outcome suspicious -> compromise \(the requested file <script>/);
  assert.ok(!text.includes('\r\nRemove-Item'), 'the reason cannot break a console line');
});
