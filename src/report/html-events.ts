// The HTML report's events: one row per request, opened to its lines from every log; probes and context grouped.

import type { Finding } from '../core/finding.js';
import type { EventGroup, EventLine, RequestEvent, ScanReport } from '../core/report.js';
import { clip, markup } from './html-kit.js';
import type { Html } from './html-kit.js';
import { at, badge } from './html-sections.js';
import { findingsByIds, whyOf, whyText } from './why.js';

export function eventsSection(report: ScanReport): Html {
  const ev = report.events;
  if (!ev)
    return markup`<section id="events">
      <h2>Events</h2>
      <p>Not in this report (written from schema 1.4): see the findings.</p>
    </section>`;
  const probes = ev.probes.reduce((n, g) => n + g.count, 0);
  const findingsOf = findingsByIds(report.findings);
  return markup`<section id="events">
    <h2>Events (${ev.list.length + (ev.omitted ?? 0)})</h2>
    <p class="small muted">${ev.rule}</p>
    ${ev.list.length === 0 ? markup`<p>None beyond probes and context.</p>` : ''}
    ${ev.list.map((e) => eventRow(e, findingsOf))}
    ${ev.omitted ? markup`<p class="muted">and ${ev.omitted} more events (the findings and the JSON report hold them)</p>` : ''}
    <h3>Probes (${probes} requests in ${ev.probes.length} groups)</h3>
    ${ev.probes.length === 0 ? markup`<p>None.</p>` : groupTable(ev.probes)}
    ${ev.context.length > 0 ? markup`<h3>Context</h3>${groupTable(ev.context, findingsOf)}` : ''}
  </section>`;
}

function eventRow(e: RequestEvent, findingsOf: (ids: readonly string[]) => Finding[]): Html {
  return markup`<details class="event">
    <summary>
      <b>${e.id}</b> ${badge(`o-${e.outcome}`, e.outcome)} ${e.stage} ·
      <span class="nowrap">${e.time ?? 'time unknown'}</span>${e.addresses.length > 0 ? markup` · from <code>${e.addresses.slice(0, 5).join(', ')}</code>` : ''}${e.session ? markup` · session ${e.session}` : ''}${e.cves.length > 0 ? markup` · ${e.cves.join(' ')}` : ''}
      <br /><code>${clip(e.summary, 300)}</code>
    </summary>
    <p class="small">
      ${e.requestIds.length > 0 ? markup`request <code>${e.requestIds.join(', ')}</code> · ` : ''}${e.userAgent ? markup`user agent <code>${clip(e.userAgent, 200)}</code> · ` : ''}findings ${e.findings.join(', ')}${e.last ? markup` · last line ${e.last}` : ''}
    </p>
    ${whyOf(findingsOf(e.findings)).map((w) => markup`<p class="note small">why: ${whyText(w)}</p>`)}
    ${lineTable(e.lines)}
    ${e.linesOmitted ? markup`<p class="muted small">and ${e.linesOmitted} more lines (see the findings)</p>` : ''}
  </details>`;
}

function lineTable(ls: readonly EventLine[]): Html {
  return markup`<table>
    <tr>
      <th>Log</th>
      <th>Where</th>
      <th>Time</th>
      <th>Rule</th>
      <th>Line</th>
    </tr>
    ${ls.map(
      (l) =>
        markup`<tr>
          <td class="nowrap">${l.log}</td>
          <td><code>${at(l.path, l.line)}</code></td>
          <td class="nowrap">${l.time ?? ''}</td>
          <td>${l.rule.title}${l.rule.author !== 'exhunt' ? markup`<br /><span class="small muted">by ${l.rule.author}</span>` : ''}</td>
          <td><pre>${l.excerpt}</pre></td>
        </tr>`,
    )}
  </table>`;
}

/** `findingsOf`, for context: each group says which pass made its findings context, and why. */
function groupTable(gs: readonly EventGroup[], findingsOf?: (ids: readonly string[]) => Finding[]): Html {
  return markup`<table>
    <tr>
      <th>Group</th>
      <th>Rule</th>
      <th>Count</th>
      <th>First … last</th>
      <th>Sources</th>
      <th>Requests</th>
      <th>First line</th>
    </tr>
    ${gs.map(
      (g) =>
        markup`<tr>
          <td>${g.id}</td>
          <td>${g.rule.title}${g.rule.author !== 'exhunt' ? markup`<br /><span class="small muted">by ${g.rule.author}</span>` : ''}${findingsOf ? whyOf(findingsOf(g.findings)).map((w) => markup`<br /><span class="small muted">why: ${whyText(w)}</span>`) : ''}</td>
          <td>${g.count}</td>
          <td class="nowrap">${g.first ?? ''}${g.last && g.last !== g.first ? markup`<br />${g.last}` : ''}</td>
          <td><code>${g.sources.join(', ')}</code>${g.sourceCount > g.sources.length ? markup` (+${g.sourceCount - g.sources.length})` : ''}</td>
          <td>${g.requests.map((r) => markup`<code>${clip(r.value, 120)}</code> ×${r.count}<br />`)}</td>
          <td>${g.example[0] ? markup`<code>${at(g.example[0].path, g.example[0].line)}</code><pre>${clip(g.example[0].excerpt, 300)}</pre>` : ''}</td>
        </tr>`,
    )}
  </table>`;
}
