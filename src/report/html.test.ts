// The HTML report as text: self-contained, no markup from attacker strings, sections in the order managers read.

import assert from 'node:assert/strict';
import test from 'node:test';
import { EVIL, hostileReport } from '../analysis/testkit.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

/** Every tag of the document: what the browser would build, whatever the text between says. */
const tags = (doc: string) =>
  [...doc.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] as string).toLowerCase(),
    attrs: m[2] as string,
  }));

const OUR_TAGS = new Set(
  'html head meta title style body header section h1 h2 h3 h4 p div ul ol li nav a span code pre table tr th td em br footer details summary b'.split(
    ' ',
  ),
);

test('no attacker string reaches the HTML as markup', () => {
  const out = renderHtml(hostileReport());
  for (const evil of [EVIL.script, EVIL.img, EVIL.svg]) assert.ok(!out.includes(evil), `raw ${evil}`);
  for (const t of tags(out)) {
    assert.ok(OUR_TAGS.has(t.name), `unexpected tag <${t.name}>`);
    assert.ok(
      !/\son\w+\s*=|\ssrc\s*=|javascript:/i.test(t.attrs),
      `unexpected attribute in <${t.name}${t.attrs}>`,
    );
  }
  assert.ok(out.includes('&#60;script&#62;window.__pwned=1;alert(1)&#60;/script&#62;'), 'shown as text');
  assert.ok(out.includes('gpj.\\u202easpx'), 'a bidi override is shown, not applied');
  assert.ok(!out.includes('\u202e'));
});

test('self-contained: inline style only, no script, no remote resource, a policy that forbids both', () => {
  const out = renderHtml(hostileReport());
  assert.match(out, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  const names = new Set(tags(out).map((t) => t.name));
  for (const bad of ['script', 'link', 'iframe', 'object', 'embed', 'img', 'base', 'form'])
    assert.ok(!names.has(bad), bad);
  assert.ok(
    tags(out).every((t) => !/https?:/i.test(t.attrs)),
    'no remote URL in any attribute',
  );
  assert.match(out, /<style>[\s\S]*@media print/);
});

test('summary first, then findings, timeline, exposure and the plan', () => {
  const out = renderHtml(hostileReport());
  const at = (id: string) => out.indexOf(`id="${id}"`);
  const order = ['summary', 'findings', 'sessions', 'timeline', 'exposure', 'remediation', 'coverage'].map(
    at,
  );
  assert.ok(order.every((x) => x > 0));
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
  );
  assert.match(out, /What happened[\s\S]*What was exposed[\s\S]*What to do now/);
  // Commands in a step keep their line breaks (a formatter reflowing the template once joined them).
  assert.match(out, /<pre>\.\\exhunt-remediation\.ps1\n\.\\exhunt-remediation\.ps1 -Apply<\/pre>/);
});

test('a report without the 1.1 sections still renders (a 1.0 report read back)', () => {
  const r = hostileReport();
  delete r.sessions;
  delete r.dataExposure;
  delete r.remediation;
  const out = renderHtml(r);
  assert.match(out, /Findings \(5\)/);
  assert.ok(!out.includes('id="remediation"'));
  assert.match(renderMarkdown(r), /## Findings/);
});

test('Markdown keeps attacker text in code spans or escaped, and tables keep their columns', () => {
  const md = renderMarkdown(hostileReport());
  const prose = stripCodeSpans(md);
  assert.ok(!/<[a-zA-Z/]/.test(prose.replace(/\\</g, '')), 'no raw tag outside a code span');
  // Each table's rows have as many cells as its header: a pipe in attacker text must not add a column.
  const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  let header = 0;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) header = 0;
    else if (header === 0) header = cells(line);
    else assert.equal(cells(line), header, line);
  }
  // The user agent with pipes and a link sits in a code span with its pipes escaped.
  assert.ok(
    md.includes('`\\| a \\| `b` **c** [x](http://evil.example) <b>`') ||
      md.includes('``\\| a \\| `b` **c** [x](http://evil.example) <b>``'),
  );
  assert.ok(md.includes('## What was exposed') && md.includes('## Remediation plan'));
});

/** Markdown with its code spans and fenced blocks removed (CommonMark: a run of n backticks closes at the next run of n). */
function stripCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] !== '`') {
      out += md[i];
      i++;
      continue;
    }
    let n = 0;
    while (md[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let j = md.indexOf(fence, i + n);
    while (j >= 0 && md[j + n] === '`') {
      let k = j;
      while (md[k] === '`') k++;
      j = md.indexOf(fence, k);
    }
    if (j < 0) {
      out += fence;
      i += n;
      continue;
    }
    i = j + n;
  }
  return out;
}
