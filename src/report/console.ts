// The console summary: verdict and why, events (one per request) and grouped probes, webshells, coverage, problems.

import type { Finding } from '../core/finding.js';
import { STAGES } from '../core/finding.js';
import { formatLocation } from '../core/problem.js';
import type { ExposureReport, IntegritySection, ScanReport } from '../core/report.js';
import { renderEvents } from './console-events.js';
import { custodyText, liveText } from './custody-text.js';
import { accountingLines } from './integrity-lines.js';
import { safeTerminal } from './escape.js';
import { groupFindings } from './groups.js';
import { findingsByIds, whyOf, whyText } from './why.js';

interface ConsoleOptions {
  color: boolean;
  /** Problems listed before "and N more". */
  maxProblems?: number;
}

const VERDICT_COLOR: Record<string, string> = {
  clean: '32',
  attempted: '33',
  exploited: '31',
  compromised: '1;31',
  inconclusive: '35',
};

export function renderConsole(report: ScanReport, opts: ConsoleOptions): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  const ev = report.scan.evidence;
  out.push(`exhunt ${report.tool.version}: ${safeTerminal(ev.root)} (${ev.kind}, ${report.scan.layout})`);
  if (report.custody) out.push(custodyLine(report.custody));
  if (report.scan.live) out.push(safeTerminal(liveText(report.scan.live)));
  out.push('');
  out.push(`Verdict: ${c(VERDICT_COLOR[report.verdict] ?? '0', report.verdict.toUpperCase())}`);
  out.push(...wrap(safeTerminal(report.explanation), 100).map((l) => `  ${l}`));
  out.push('');
  // Reports older than schema 1.4 have no events: their findings are shown by stage and rule.
  if (report.events)
    out.push(...renderEvents(report.events, report.findings.length, c, findingsByIds(report.findings)));
  else out.push(...renderFindings(report.findings, c));
  out.push('');
  out.push(c('1', `Webshells (${report.webshells.length})`));
  if (report.webshells.length === 0) out.push('  none found on disk');
  for (const w of report.webshells) {
    out.push(`  ${safeTerminal(w.path)}`);
    out.push(`    sha256 ${w.sha256}  ${w.size} bytes${w.modified ? `  modified ${w.modified}` : ''}`);
    for (const r of w.reasons) out.push(`    - ${safeTerminal(r)}`);
    if (w.accessedBy) out.push(`    requested ${w.accessedBy.length} time(s) in the web logs`);
  }
  if (report.exposure) out.push('', ...renderExposure(report.exposure, c));
  out.push('');
  out.push(c('1', 'Coverage'));
  if (report.coverage.length === 0) out.push('  no logs found');
  for (const cv of report.coverage)
    out.push(
      `  ${cv.family.padEnd(26)} ${String(cv.files).padStart(5)} files ${String(cv.records).padStart(10)} records  ${cv.firstTime ?? '-'} .. ${cv.lastTime ?? '-'}${cv.gaps ? `  ${cv.gaps.reduce((n, g) => n + g.days, 0)} days missing` : ''}`,
    );
  if (report.integrity) out.push('', ...renderIntegrity(report.integrity, c));
  const s = report.stats;
  out.push('');
  out.push(
    `Read ${s.artifacts} artifacts, ${(s.bytes / 1e6).toFixed(1)} MB, ${s.records} records; ${s.badRecords} unreadable records; rules: ${report.rules.loaded} Sigma loaded, ${report.rules.skipped.length} skipped, ${report.rules.notApplicable} not applicable.`,
  );
  if (report.problems.length > 0) {
    const max = opts.maxProblems ?? 15;
    out.push('');
    out.push(c('1', `Problems (${report.problems.length})`));
    for (const p of report.problems.slice(0, max)) {
      const loc = formatLocation(p);
      out.push(`  ${p.severity} ${p.code}${loc ? ` ${safeTerminal(loc)}` : ''}: ${safeTerminal(p.message)}`);
    }
    if (report.problems.length > max) out.push(`  ... and ${report.problems.length - max} more (see --json)`);
  }
  return out.join('\n') + '\n';
}

function renderFindings(findings: readonly Finding[], c: (code: string, s: string) => string): string[] {
  const groups = groupFindings(findings);
  const out = [c('1', `Findings (${findings.length})`)];
  if (findings.length === 0) out.push('  none');
  for (const stage of STAGES) {
    const byRule = groups.get(stage);
    if (!byRule) continue;
    out.push(`  ${stage}`);
    for (const fs of byRule) out.push(...renderGroup(fs));
  }
  return out;
}

function renderIntegrity(i: IntegritySection, c: (code: string, s: string) => string): string[] {
  const out = [
    c(
      '1',
      `Evidence${i.complete ? '' : ` ${c('35', '(incomplete: the verdict cannot be better than this)')}`}`,
    ),
  ];
  out.push(...accountingLines(i).map((l) => `  ${l}`));
  const lowering = i.losses.filter((e) => e.lowers);
  if (lowering.length > 0) out.push(`  lost, lowering the verdict (${lowering.length}):`);
  for (const e of lowering.slice(0, 10))
    out.push(
      `    ${e.loss.padEnd(7)} ${safeTerminal(e.first)}  ${e.codes.join(' ')}: ${safeTerminal(e.message)}`,
    );
  if (lowering.length > 10) out.push(`    ... and ${lowering.length - 10} more (see --json)`);
  const other = i.losses.length - lowering.length;
  if (other > 0)
    out.push(`  ${other} other loss${other > 1 ? 'es' : ''} outside what the verdict reads (see --json)`);
  for (const g of i.gaps.filter((x) => x.lowers))
    out.push(
      `  missing logs: ${g.family} ${g.from}${g.to !== g.from ? ` .. ${g.to}` : ''} (${g.days} day${g.days > 1 ? 's' : ''}) while exposed`,
    );
  return out;
}

function renderExposure(e: ExposureReport, c: (code: string, s: string) => string): string[] {
  const out = [c('1', 'Exposure')];
  const what = [e.productName, e.cu].filter(Boolean).join(' ');
  const from = e.buildSource === 'ExSetup.exe' ? 'ExSetup.exe' : 'the newest #Version in the logs';
  out.push(e.build ? `  build ${e.build}${what ? ` (${what})` : ''}, from ${from}` : '  build unknown');
  const campaign = e.cves.filter((x) => x.campaign && x.campaign !== 'other');
  const vulnerable = campaign.filter((x) => x.state === 'vulnerable');
  const unknown = campaign.filter((x) => x.state === 'unknown');
  if (campaign.length > 0)
    out.push(
      vulnerable.length > 0
        ? `  ${c('31', 'vulnerable')} to ${vulnerable.map((x) => `${x.cve} (${x.campaign})`).join(', ')}`
        : `  patched for the ${[...new Set(campaign.map((x) => x.campaign))].join(', ')} CVEs`,
    );
  if (unknown.length > 0)
    out.push(`  unknown for ${unknown.map((x) => x.cve).join(', ')}: ${unknown[0]?.reason ?? ''}`);
  for (const m of e.missing)
    out.push(`  install ${m.product} ${m.cu} ${m.su}${m.kb ? ` (${m.kb})` : ''}: build ${m.build} or later`);
  for (const ch of e.timeline.changes)
    out.push(
      `  ${ch.from} -> ${ch.to}${ch.name ? ` (${ch.name})` : ''} installed between ${ch.after ?? '?'} and ${ch.before ?? '?'}`,
    );
  for (const m of e.mitigations)
    out.push(`  mitigation for ${m.cve} (${m.tool}): ${m.state} in ${safeTerminal(m.path)}`);
  for (const n of e.notes) out.push(`  note: ${safeTerminal(n)}`);
  return out;
}

function renderGroup(fs: Finding[]): string[] {
  const f = fs[0]!;
  const times = fs
    .map((x) => x.time)
    .filter((t): t is string => !!t)
    .sort();
  const ips = [...new Set(fs.flatMap((x) => x.sourceIps))];
  const span =
    times.length === 0
      ? ''
      : times.length === 1
        ? ` at ${times[0]}`
        : ` ${times[0]} .. ${times[times.length - 1]}`;
  const lines = [
    `    ${f.severity.padEnd(8)} ${f.outcome.padEnd(10)} ${safeTerminal(f.rule.title)}${fs.length > 1 ? ` x${fs.length}` : ''}${span}`,
  ];
  const meta = [
    f.cves.length > 0 ? f.cves.join(' ') : '',
    ips.length > 0
      ? `from ${ips.slice(0, 5).join(', ')}${ips.length > 5 ? ` (+${ips.length - 5})` : ''}`
      : '',
    f.rule.source !== 'exhunt' ? `rule by ${f.rule.author} (${f.rule.source})` : '',
  ].filter(Boolean);
  if (meta.length > 0) lines.push(`${' '.repeat(24)}${safeTerminal(meta.join('; '))}`);
  const ev = f.evidence[0];
  if (ev) {
    lines.push(`${' '.repeat(24)}${safeTerminal(ev.path)}${ev.line !== undefined ? `:${ev.line}` : ''}`);
    lines.push(
      `${' '.repeat(24)}> ${safeTerminal(ev.excerpt.length > 160 ? ev.excerpt.slice(0, 160) + '…' : ev.excerpt)}`,
    );
  }
  if (f.note) lines.push(`${' '.repeat(24)}(${safeTerminal(f.note)})`);
  for (const w of whyOf(fs)) lines.push(`${' '.repeat(24)}why: ${safeTerminal(whyText(w, true))}`);
  return lines;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Who collected the bundle, where and when, and whether its files are the ones collected. Manifest text is data. */
function custodyLine(k: NonNullable<ScanReport['custody']>): string {
  return safeTerminal(custodyText(k));
}
