// The Markdown report's events: one block per request with its lines from every log; probes and context as tables.

import type { Finding } from '../core/finding.js';
import type { EventGroup, ScanReport } from '../core/report.js';
import { mdCode, mdText } from './escape.js';
import { findingsByIds, whyOf, whyText } from './why.js';

/** Events written one by one; the HTML and JSON reports hold the rest. */
const MARKDOWN_EVENTS = 200;

const c = (s: string) => mdCode(s, true);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];

export function markdownEvents(report: ScanReport): string[] {
  const ev = report.events;
  if (!ev) return [];
  const total = ev.list.length + (ev.omitted ?? 0);
  const out = [`## Events (${total})`, '', mdText(ev.rule), ''];
  if (total === 0) out.push('None beyond probes and context.', '');
  const findingsOf = findingsByIds(report.findings);
  for (const e of ev.list.slice(0, MARKDOWN_EVENTS)) {
    const where = [
      e.time ?? 'time unknown',
      e.addresses.length > 0 ? `from ${e.addresses.slice(0, 5).map((a) => mdCode(a)).join(', ')}` : '',
      e.session ? `session ${e.session}` : '',
      e.cves.join(' '),
    ].filter(Boolean); // prettier-ignore
    out.push(
      `### ${e.id} ${e.outcome} ${e.stage}, ${where.join(', ')}`,
      '',
      mdCode(clip(e.summary, 300)),
      '',
    );
    const facts = [
      e.requestIds.length > 0 ? `request ${e.requestIds.map((r) => mdCode(r)).join(', ')}` : '',
      e.userAgent ? `user agent ${mdCode(clip(e.userAgent, 200))}` : '',
      `findings ${e.findings.join(', ')}`,
    ].filter(Boolean);
    out.push(`${facts.join('; ')}.`, '');
    const why = whyOf(findingsOf(e.findings));
    if (why.length > 0) out.push(...why.map((w) => `- why: ${mdText(whyText(w))}`), '');
    out.push(...head(['Log', 'Where', 'Time', 'Rule', 'Line']));
    for (const l of e.lines)
      out.push(
        row([
          mdText(l.log),
          c(l.line !== undefined ? `${l.path}:${l.line}` : l.path),
          l.time ?? '',
          `${mdText(l.rule.title)}${l.rule.author !== 'exhunt' ? ` (by ${mdText(l.rule.author)})` : ''}`,
          c(clip(l.excerpt, 300)),
        ]),
      );
    if (e.linesOmitted) out.push('', `and ${e.linesOmitted} more lines (see the findings)`);
    out.push('');
  }
  const more = total - Math.min(ev.list.length, MARKDOWN_EVENTS);
  if (more > 0) out.push(`and ${more} more events (see the HTML or JSON report)`, '');
  const probes = ev.probes.reduce((n, g) => n + g.count, 0);
  out.push(`## Probes (${probes} requests in ${ev.probes.length} groups)`, '');
  out.push(...(ev.probes.length > 0 ? groupTable(ev.probes) : ['None.', '']));
  if (ev.context.length > 0) out.push('## Context', '', ...groupTable(ev.context, findingsOf));
  return out;
}

/** `findingsOf`, for context: each group says which pass made its findings context, and why. */
function groupTable(gs: readonly EventGroup[], findingsOf?: (ids: readonly string[]) => Finding[]): string[] {
  const out = head(['Group', 'Rule', 'Count', 'First', 'Last', 'Sources', 'Requests', 'First line']);
  for (const g of gs) {
    const ex = g.example[0];
    out.push(
      row([
        g.id,
        `${mdText(g.rule.title)}${g.rule.author !== 'exhunt' ? ` (by ${mdText(g.rule.author)})` : ''}${(findingsOf ? whyOf(findingsOf(g.findings)) : []).map((w) => `; why: ${mdText(whyText(w))}`).join('')}`,
        String(g.count),
        g.first ?? '',
        g.last ?? '',
        `${g.sources.map((s) => c(s)).join(', ')}${g.sourceCount > g.sources.length ? ` (+${g.sourceCount - g.sources.length})` : ''}`,
        g.requests.map((r) => `${c(clip(r.value, 120))} ×${r.count}`).join(', '),
        ex ? c(ex.line !== undefined ? `${ex.path}:${ex.line}` : ex.path) : '',
      ]),
    );
  }
  return [...out, ''];
}
