// Events in the HTML and Markdown reports: one entry per request with every log's line, probes grouped, text escaped.

import assert from 'node:assert/strict';
import test from 'node:test';
import { EVIL, hostileReport } from '../analysis/testkit.js';
import { HP, oneRequestAndProbes, RID } from './events-fixture.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

const scanned = () => oneRequestAndProbes(['192.0.2.1', '192.0.2.2']);

test('HTML: one event row for the request, opened to both logs, before the probes table', () => {
  const out = renderHtml(scanned());
  const events = out.indexOf('<section id="events">');
  const findings = out.indexOf('<section id="findings">');
  assert.ok(events > 0 && findings > events, 'events come before the findings');
  const section = out.slice(events, findings);
  assert.equal(section.match(/<details class="event">/g)?.length, 1);
  assert.ok(section.includes('front-end IIS') && section.includes('HttpProxy Ecp'));
  assert.ok(section.includes(`${HP}:77`));
  assert.ok(section.includes(RID));
  const probes = section.indexOf('Probes (2 requests in 1 groups)');
  assert.ok(probes > section.indexOf('<details'), 'probes after the events');
  assert.match(section.slice(probes), /<td>Scanner probe<\/td>\s*<td>2<\/td>/);
});

test('Markdown: the same events and probe groups; attacker text only in code spans', () => {
  const out = renderMarkdown(scanned());
  const e = out.indexOf('### E1 success');
  const p = out.indexOf('## Probes (2 requests in 1 groups)');
  assert.ok(e > 0 && p > e && out.indexOf('## Findings') > p, out);
  assert.doesNotMatch(out, /### E2 /);
  assert.match(out, /\| HttpProxy Ecp \| `Program Files\/.*HttpProxy_2021030306-1\.LOG:77` \|/);
  const hostile = renderMarkdown(hostileReport());
  const section = hostile.slice(hostile.indexOf('## Events'), hostile.indexOf('## Findings'));
  assert.ok(section.length > 0);
  assert.ok(!/(^|[^`\\])<script>/.test(section.replace(/`[^`]*`/g, '')), 'no raw markup outside code spans');
  assert.ok(!section.includes('\u202e'));
  assert.ok(!section.includes(EVIL.control), 'line breaks in attacker text do not start new lines');
});
