// The executive summary in plain words, shared by the HTML and Markdown reports (writers escape what it returns).

import type { Stage } from '../core/finding.js';
import type { ExposedItem, ScanReport } from '../core/report.js';

export const VERDICT_HEADLINE: Record<ScanReport['verdict'], string> = {
  compromised: 'Compromised: the attackers got in and acted on the server',
  exploited: 'Exploited: an attack step succeeded',
  attempted: 'Attacked, without a success in the evidence',
  clean: 'Nothing suspicious found',
  inconclusive: 'Inconclusive: the evidence does not cover the web-facing attacks',
};

const STAGE_WORDS: Partial<Record<Stage, string>> = {
  recon: 'probed the server',
  exploit: 'exploited a vulnerability',
  'webshell-write': 'wrote a webshell (a backdoor web page)',
  'webshell-use': 'used a webshell to run commands',
  execution: 'ran programs on the server',
  'credential-access': 'took credentials',
  collection: 'gathered data for exfiltration',
  exfiltration: 'sent data out',
  persistence: 'set up a way back in',
  'defense-evasion': 'covered their tracks',
};

const day = (t: string | undefined) => (t ? t.slice(0, 16).replace('T', ' ') : '?');

/** What happened, a few sentences a manager reads in a minute. */
export function whatHappened(report: ScanReport): string[] {
  const s = report.sessions;
  if (!s || s.list.length === 0) return [report.explanation];
  const out: string[] = [];
  const serious = s.list.filter((x) => x.outcome === 'success' || x.outcome === 'compromise');
  const addresses = new Set(serious.flatMap((x) => x.addresses));
  out.push(
    `Attacker activity from ${day(s.server.firstSeen)} to ${day(s.server.lastSeen)} UTC: ${s.list.length} session${s.list.length === 1 ? '' : 's'}, ${serious.length} of them successful, from ${addresses.size} address${addresses.size === 1 ? '' : 'es'}.`,
  );
  const reached = s.server.stages.filter((st) => st.outcome === 'success' || st.outcome === 'compromise');
  for (const st of reached) {
    const words = STAGE_WORDS[st.stage];
    if (words) out.push(`They ${words}, first on ${day(st.firstSeen)}.`);
  }
  const cves = [
    ...new Set(
      report.findings
        .filter((f) => f.outcome === 'success' || f.outcome === 'compromise')
        .flatMap((f) => f.cves),
    ),
  ].sort();
  if (cves.length > 0) out.push(`Vulnerabilities used: ${cves.join(', ')}.`);
  if (report.webshells.length > 0)
    out.push(
      `${report.webshells.length} webshell${report.webshells.length === 1 ? ' is' : 's are'} still on disk.`,
    );
  const probes = s.list.length - serious.length;
  if (probes > 0) out.push(`${probes} other session${probes === 1 ? '' : 's'} only probed or tried.`);
  return out;
}

const KIND_WORDS: Record<ExposedItem['kind'], string> = {
  credentials: 'Credentials',
  identity: 'Identity used',
  'mailbox-export': 'Mailbox export',
  mailbox: 'Mailboxes',
  'address-book': 'Address book',
  archive: 'Data staged to leave',
  command: 'Commands run',
};

/** One line per exposed item, strongest first: `Credentials (seen): Windows/Temp/lsass.dmp`. */
/**
 * One line per exposed item, strongest first (`Credentials (seen): Windows/Temp/lsass.dmp`); commands are
 * counted rather than listed, since a manager needs to know what data is gone, not each command.
 */
export function exposedLines(report: ScanReport, max = 6): { lines: string[]; more: number } {
  const items = report.dataExposure?.items ?? [];
  const data = items.filter((i) => i.kind !== 'command');
  const lines = data
    .slice(0, max)
    .map((i) => `${KIND_WORDS[i.kind]} (${i.confidence}): ${clip(i.target, 120)}`);
  const commands = items.length - data.length;
  if (commands > 0) lines.push(`Commands run on the server: ${commands} distinct (listed below)`);
  return { lines, more: Math.max(0, data.length - max) };
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function kindWords(kind: ExposedItem['kind']): string {
  return KIND_WORDS[kind];
}

/** The first steps of the plan, with how many targets each has. */
export function doNow(report: ScanReport, max = 5): string[] {
  return (report.remediation?.steps ?? [])
    .slice(0, max)
    .map((s) => `${s.title}${s.targets.length > 0 ? ` (${s.targets.length})` : ''}`);
}
