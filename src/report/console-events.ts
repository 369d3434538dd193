// The console's events: one block per request with every log's line, then probes and context grouped.
// Attacker text goes through `visible`: controls and bidi overrides are shown, not applied.

import type { Finding } from '../core/finding.js';
import type { EventGroup, EventLine, EventsSection, RequestEvent } from '../core/report.js';
import { visible as safeTerminal } from './escape.js';
import { whyOf, whyText } from './why.js';

/** Events printed before "and N more": the HTML report and the JSON hold the rest. */
const CONSOLE_EVENTS = 25;
const CONSOLE_LINES = 6;
const CONSOLE_GROUPS = 10;
const EXCERPT = 160;

type Color = (code: string, s: string) => string;

const OUTCOME_COLOR: Record<string, string> = { compromise: '1;31', success: '31', attempt: '33' };

export function renderEvents(
  ev: EventsSection,
  findings: number,
  c: Color,
  findingsOf?: (ids: readonly string[]) => Finding[],
): string[] {
  const probes = ev.probes.reduce((n, g) => n + g.count, 0);
  const total = ev.list.length + (ev.omitted ?? 0);
  const out = [
    c('1', `Events (${total} request${total === 1 ? '' : 's'}; ${probes} probe${probes === 1 ? '' : 's'} in ${ev.probes.length} group${ev.probes.length === 1 ? '' : 's'}; ${findings} findings)`),
  ]; // prettier-ignore
  if (total === 0) out.push('  none beyond probes and context');
  for (const e of ev.list.slice(0, CONSOLE_EVENTS)) out.push(...eventBlock(e, c, findingsOf));
  const more = total - Math.min(ev.list.length, CONSOLE_EVENTS);
  if (more > 0)
    out.push(`  ... and ${more} more event${more === 1 ? '' : 's'} (see the HTML report or --json)`);
  if (ev.probes.length > 0) {
    out.push('');
    out.push(c('1', `Probes (${probes} request${probes === 1 ? '' : 's'}, grouped by rule)`));
    out.push(...groupLines(ev.probes));
  }
  if (ev.context.length > 0) {
    const n = ev.context.reduce((k, g) => k + g.count, 0);
    out.push('');
    out.push(c('1', `Context (${n}: facts that matter only with exploitation)`));
    out.push(...groupLines(ev.context, findingsOf));
  }
  return out;
}

function eventBlock(e: RequestEvent, c: Color, findingsOf?: (ids: readonly string[]) => Finding[]): string[] {
  const head = [
    e.id.padEnd(4),
    c(OUTCOME_COLOR[e.outcome] ?? '0', e.outcome.toUpperCase()),
    e.stage,
    e.time ?? 'time unknown',
    e.addresses.length > 0 ? `from ${e.addresses.slice(0, 3).join(', ')}${e.addresses.length > 3 ? ` (+${e.addresses.length - 3})` : ''}` : '',
    e.session ? `session ${e.session}` : '',
    e.cves.join(' '),
  ].filter(Boolean).map((x, i) => (i === 1 ? x : safeTerminal(x))); // prettier-ignore
  const out = [`  ${head.join('  ')}`];
  out.push(`       ${safeTerminal(clip(e.summary, 200))}`);
  const ids = e.requestIds.length > 0 ? `request ${e.requestIds.slice(0, 2).join(', ')}` : '';
  const ua = e.userAgent ? `user agent ${clip(e.userAgent, 100)}` : '';
  if (ids || ua) out.push(`       ${safeTerminal([ids, ua].filter(Boolean).join('  '))}`);
  for (const w of findingsOf ? whyOf(findingsOf(e.findings)) : [])
    out.push(`       why: ${safeTerminal(whyText(w, true))}`);
  for (const l of e.lines.slice(0, CONSOLE_LINES)) out.push(...lineBlock(l));
  const hidden = e.lines.length - Math.min(e.lines.length, CONSOLE_LINES) + (e.linesOmitted ?? 0);
  if (hidden > 0) out.push(`       ... and ${hidden} more line${hidden === 1 ? '' : 's'}`);
  return out;
}

function lineBlock(l: EventLine): string[] {
  const where = `${l.path}${l.line !== undefined ? `:${l.line}` : ''}`;
  const by = l.rule.author !== 'exhunt' ? `, rule by ${l.rule.author}` : '';
  return [
    `       ${safeTerminal(`${l.log.padEnd(22)} ${where}  [${l.rule.title}${by}]`)}`,
    `         > ${safeTerminal(clip(l.excerpt, EXCERPT))}`,
  ];
}

/** `findingsOf`, for context: each group says which pass made its findings context, and why. */
function groupLines(gs: readonly EventGroup[], findingsOf?: (ids: readonly string[]) => Finding[]): string[] {
  const out: string[] = [];
  for (const g of gs.slice(0, CONSOLE_GROUPS)) {
    const span = !g.first
      ? ''
      : g.first === g.last || !g.last
        ? ` at ${g.first}`
        : ` ${g.first} .. ${g.last}`;
    const from =
      g.sourceCount === 0
        ? ''
        : `  from ${g.sourceCount === 1 ? '' : `${g.sourceCount} addresses: `}${g.sources.slice(0, 3).join(', ')}${g.sourceCount > 3 ? ` (+${g.sourceCount - 3})` : ''}`;
    out.push(`  ${safeTerminal(`${g.id.padEnd(4)} x${g.count}  ${g.rule.title}${span}${from}`)}`);
    if (g.requests.length > 0)
      out.push(
        `       ${safeTerminal(`e.g. ${g.requests.map((r) => `${clip(r.value, 80)} x${r.count}`).join('; ')}`)}`,
      );
    const ex = g.example[0];
    if (ex)
      out.push(`       ${safeTerminal(`first: ${ex.path}${ex.line !== undefined ? `:${ex.line}` : ''}`)}`);
    for (const w of findingsOf ? whyOf(findingsOf(g.findings)) : [])
      out.push(`       why: ${safeTerminal(whyText(w, true))}`);
  }
  if (gs.length > CONSOLE_GROUPS)
    out.push(`  ... and ${gs.length - CONSOLE_GROUPS} more groups (see --json)`);
  return out;
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}
