// Comparing two scan reports: what is gone, what remains and what is new, to show a server is clean afterwards.

import type { Finding } from '../core/finding.js';
import type { ScanReport, Webshell } from '../core/report.js';
import { safeTerminal } from './escape.js';

export interface DiffFinding {
  id: string;
  rule: string;
  title: string;
  outcome: Finding['outcome'];
  stage: Finding['stage'];
  time?: string;
  /** `path:line`, or the path of a file. */
  evidence: string;
}

export interface Indicator {
  kind: 'address' | 'user-agent' | 'webshell';
  value: string;
}

export interface ReportDiff {
  old: { root: string; finishedAt: string; verdict: string };
  new: { root: string; finishedAt: string; verdict: string };
  findings: {
    gone: DiffFinding[];
    remains: DiffFinding[];
    new: DiffFinding[];
    /** Old log lines read again (logs keep history): neither remaining activity nor new. */
    historic: number;
  };
  webshells: { gone: Webshell[]; remains: Webshell[]; changed: Webshell[]; new: Webshell[] };
  indicators: { gone: Indicator[]; remains: Indicator[]; new: Indicator[] };
  /** True when nothing remains and nothing is new: the exit code is 0. */
  clean: boolean;
}

/**
 * A finding on a file (a webshell, a dump) is the state of the server: the same rule on the same path in
 * both reports remains. A finding on a log line is history: the same rule, time and text read again is
 * `historic`, since remediation does not (and must not) erase logs; only log lines not seen before are new.
 */
export function identity(f: Finding): { key: string; file: boolean } {
  const ev = f.evidence[0];
  const file = ev !== undefined && ev.line === undefined;
  if (file) return { key: `${f.rule.id}|file|${(f.file?.path ?? ev.path).toLowerCase()}`, file };
  return { key: `${f.rule.id}|log|${f.time ?? ''}|${ev?.excerpt ?? f.summary ?? ''}`, file };
}

/** Context findings are neither new nor gone: they never raise the verdict. */
const relevantFindings = (fs: readonly Finding[]) => fs.filter((f) => f.outcome !== 'context');
const relevant = (r: ScanReport) => relevantFindings(r.findings);

/**
 * What "new" means everywhere a scan is compared with an earlier state (the server page's scan comparison,
 * the fleet's "new since your last visit"): findings of `after`, context aside, whose identity (above) is
 * not among `before`'s, one per identity. Both views call this, so they cannot count differently.
 */
export function newFindings(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  const old = new Set(relevantFindings(before).map((f) => identity(f).key));
  const seen = new Map<string, Finding>();
  for (const f of relevantFindings(after)) {
    const key = identity(f).key;
    // As a Map built from the list: the first one's place, the last one's content.
    if (!old.has(key)) seen.set(key, f);
  }
  return [...seen.values()];
}

function brief(f: Finding): DiffFinding {
  const ev = f.evidence[0];
  return {
    id: f.id,
    rule: f.rule.id,
    title: f.rule.title,
    outcome: f.outcome,
    stage: f.stage,
    ...(f.time ? { time: f.time } : {}),
    evidence: ev ? (ev.line !== undefined ? `${ev.path}:${ev.line}` : ev.path) : '',
  };
}

export function diffReports(before: ScanReport, after: ScanReport): ReportDiff {
  const oldKeys = new Map(relevant(before).map((f) => [identity(f).key, f]));
  const newKeys = new Map(relevant(after).map((f) => [identity(f).key, f]));
  const findings: ReportDiff['findings'] = { gone: [], remains: [], new: [], historic: 0 };
  const active: Finding[] = [];
  for (const f of newFindings(before.findings, after.findings)) {
    findings.new.push(brief(f));
    active.push(f);
  }
  for (const [key, f] of newKeys) {
    const { file } = identity(f);
    if (!oldKeys.has(key)) continue;
    if (file) {
      findings.remains.push(brief(f));
      active.push(f);
    } else findings.historic++;
  }
  for (const [key, f] of oldKeys) if (!newKeys.has(key)) findings.gone.push(brief(f));
  const webshells: ReportDiff['webshells'] = { gone: [], remains: [], changed: [], new: [] };
  const oldShells = new Map(before.webshells.map((w) => [w.path.toLowerCase(), w]));
  const newShells = new Map(after.webshells.map((w) => [w.path.toLowerCase(), w]));
  for (const [p, w] of newShells) {
    const o = oldShells.get(p);
    if (!o) webshells.new.push(w);
    else if (o.sha256 === w.sha256) webshells.remains.push(w);
    else webshells.changed.push(w);
  }
  for (const [p, w] of oldShells) if (!newShells.has(p)) webshells.gone.push(w);
  const internal = new Set(
    [before, after].flatMap((r) => r.sessions?.internalAddresses.map((a) => a.address) ?? []),
  );
  const oldInd = indicators(relevant(before), before.webshells, internal);
  const allNew = indicators(relevant(after), after.webshells, internal);
  const activeNew = indicators(active, after.webshells, internal);
  const ind: ReportDiff['indicators'] = {
    gone: [...oldInd].filter(([k]) => !allNew.has(k)).map(([, v]) => v),
    remains: [...activeNew].filter(([k]) => oldInd.has(k)).map(([, v]) => v),
    new: [...activeNew].filter(([k]) => !oldInd.has(k)).map(([, v]) => v),
  };
  const clean =
    findings.remains.length + findings.new.length === 0 &&
    webshells.remains.length + webshells.changed.length + webshells.new.length === 0 &&
    ind.remains.length + ind.new.length === 0;
  const meta = (r: ScanReport) => ({
    root: r.scan.evidence.root,
    finishedAt: r.scan.finishedAt,
    verdict: r.verdict,
  });
  return { old: meta(before), new: meta(after), findings, webshells, indicators: ind, clean };
}

function indicators(
  fs: readonly Finding[],
  shells: readonly Webshell[],
  internal: ReadonlySet<string>,
): Map<string, Indicator> {
  const out = new Map<string, Indicator>();
  const add = (kind: Indicator['kind'], value: string, key = value.toLowerCase()) => {
    if (value && !out.has(`${kind}\0${key}`)) out.set(`${kind}\0${key}`, { kind, value });
  };
  for (const f of fs) {
    for (const ip of f.sourceIps) if (!internal.has(ip)) add('address', ip);
    if (f.userAgent)
      add(
        'user-agent',
        f.userAgent,
        f.userAgent.toLowerCase().replace(/[+,]/g, ' ').replace(/\s+/g, ' ').trim(),
      );
    if (f.stage === 'webshell-use' && f.request?.path) add('webshell', baseName(f.request.path));
  }
  for (const w of shells) add('webshell', baseName(w.path));
  return out;
}

const baseName = (p: string) => p.slice(p.replace(/\\/g, '/').lastIndexOf('/') + 1).toLowerCase();

/** The diff for a terminal: counts, then each item that remains or is new, then the verdict in one line. */
export function renderDiff(d: ReportDiff, maxList = 50): string {
  const out: string[] = [];
  out.push(
    `exhunt diff: ${safeTerminal(d.old.root)} (${d.old.finishedAt}, ${d.old.verdict}) -> ${safeTerminal(d.new.root)} (${d.new.finishedAt}, ${d.new.verdict})`,
    '',
  );
  const f = d.findings;
  out.push(
    `Findings: ${f.gone.length} gone, ${f.remains.length} remain, ${f.new.length} new; ${f.historic} old log lines read again (history, not counted)`,
  );
  const list = (label: string, items: DiffFinding[]) => {
    for (const x of items.slice(0, maxList))
      out.push(
        `  ${label.padEnd(8)} ${x.outcome.padEnd(10)} ${safeTerminal(x.title)}  ${safeTerminal(x.evidence)}`,
      );
    if (items.length > maxList) out.push(`  ... and ${items.length - maxList} more (see --json)`);
  };
  list('REMAINS', f.remains);
  list('NEW', f.new);
  list('GONE', f.gone);
  const w = d.webshells;
  out.push(
    '',
    `Webshells: ${w.gone.length} gone, ${w.remains.length} remain, ${w.changed.length} changed, ${w.new.length} new`,
  );
  for (const [label, ws] of [
    ['REMAINS', w.remains],
    ['CHANGED', w.changed],
    ['NEW', w.new],
    ['GONE', w.gone],
  ] as const)
    for (const x of ws) out.push(`  ${label.padEnd(8)} ${safeTerminal(x.path)}  ${x.sha256}`);
  const i = d.indicators;
  out.push('', `Indicators: ${i.gone.length} gone, ${i.remains.length} still active, ${i.new.length} new`);
  for (const [label, xs] of [
    ['ACTIVE', i.remains],
    ['NEW', i.new],
  ] as const)
    for (const x of xs) out.push(`  ${label.padEnd(8)} ${x.kind.padEnd(10)} ${safeTerminal(x.value)}`);
  out.push(
    '',
    d.clean
      ? 'Result: CLEAN. Nothing of the old report remains on the server and nothing new appeared in the evidence read.'
      : 'Result: NOT CLEAN. Something remains or is new: see above.',
  );
  return out.join('\n') + '\n';
}
