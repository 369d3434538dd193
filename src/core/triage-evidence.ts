// What a scan report says for triage: webshells on disk, credential dumps, data reached, the newest attacker
// activity and the CVEs left open. Pure; the store keeps the result per server at ingest.

import type { Finding } from './finding.js';
import type { ExposedItem, ScanReport } from './report.js';
import type { TriageEvidence } from './triage.js';

/** Paths and targets kept per reason: enough to say what, not a copy of the report. */
const TRIAGE_EXAMPLES = 3;

/** Outcomes that are an attacker acting on this server; probes and scanners are everyone's background. */
const ACTIVITY = new Set(['attempt', 'success', 'compromise']);

/** Findings that prove a step worked: a credential finding merely attempted is not a dump. */
const PROVEN = new Set(['success', 'compromise']);

function latest(a: string | null, b: string | undefined): string | null {
  if (!b || Number.isNaN(Date.parse(b))) return a;
  const t = new Date(Date.parse(b)).toISOString();
  return a === null || t > a ? t : a;
}

/** The CVE lists as the server's exposure column has them (the report's section, or an override). */
interface CveState {
  build: string | null;
  vulnerable: string[];
}

export function triageEvidence(report: ScanReport, exposure?: CveState): TriageEvidence {
  let lastActivity: string | null = null;
  for (const f of report.findings) if (ACTIVITY.has(f.outcome)) lastActivity = latest(lastActivity, f.time);

  // Only what the evidence shows or implies: `possible` is what nothing rules out, true of every victim.
  const items = (report.dataExposure?.items ?? []).filter((i) => i.confidence !== 'possible');
  const of = (kind: ExposedItem['kind']) => items.filter((i) => i.kind === kind);
  const described = (xs: ExposedItem[]) => xs.map((x) => `${x.target} (${x.confidence})`);

  let credentials: TriageEvidence['credentials'];
  const dumps = of('credentials');
  if (report.dataExposure) credentials = { count: dumps.length, targets: described(dumps) };
  else {
    // Reports older than schema 1.1 have no exposure section: the credential findings themselves.
    const fs = report.findings.filter(
      (f: Finding) => f.stage === 'credential-access' && PROVEN.has(f.outcome),
    );
    credentials = { count: fs.length, targets: fs.map((f) => f.summary ?? f.rule.title) };
  }
  credentials.targets = credentials.targets.slice(0, TRIAGE_EXAMPLES);

  const exports = of('mailbox-export');
  const mailboxes = of('mailbox');
  const addressBook = of('address-book');

  const cves = exposure ?? {
    build: report.exposure?.build ?? null,
    vulnerable: (report.exposure?.cves ?? []).filter((c) => c.state === 'vulnerable').map((c) => c.cve),
  };
  const mitigated = new Set(
    (report.exposure?.mitigations ?? []).filter((m) => m.state === 'mitigated').map((m) => m.cve),
  );
  const vulnerable = [...new Set(cves.vulnerable)].sort();
  return {
    verdict: report.verdict,
    scannedAt: latest(null, report.scan.finishedAt) ?? latest(null, report.scan.startedAt),
    webshells: {
      count: report.webshells.length,
      paths: report.webshells.slice(0, TRIAGE_EXAMPLES).map((w) => w.path),
    },
    credentials,
    data: {
      mailboxes: mailboxes.length,
      exports: exports.length,
      addressBook: addressBook.length,
      targets: described([...exports, ...mailboxes, ...addressBook]).slice(0, TRIAGE_EXAMPLES),
    },
    lastActivity,
    openCves: vulnerable.filter((c) => !mitigated.has(c)),
    mitigatedCves: vulnerable.filter((c) => mitigated.has(c)),
    build: cves.build,
  };
}

const VERDICT_RANK: Record<string, number> = {
  clean: 0,
  inconclusive: 0,
  attempted: 1,
  exploited: 2,
  compromised: 3,
};

/**
 * A server's kept evidence with a monitoring agent's batch added: the stronger verdict, the newer activity,
 * the counts summed. The scan's time, build and CVEs stay those of the latest scan (an agent reads what is
 * written, not the server's build), and `add.verdict` null (no attack in the batch) changes no verdict.
 */
export function addTriageEvidence(base: TriageEvidence, add: TriageEvidence): TriageEvidence {
  const verdict =
    add.verdict !== null && (VERDICT_RANK[add.verdict] ?? 0) > (VERDICT_RANK[base.verdict ?? ''] ?? -1)
      ? add.verdict
      : base.verdict;
  const first = (a: string[], b: string[]) => [...new Set([...a, ...b])].slice(0, TRIAGE_EXAMPLES);
  return {
    ...base,
    verdict,
    webshells: {
      count: base.webshells.count + add.webshells.count,
      paths: first(base.webshells.paths, add.webshells.paths),
    },
    credentials: {
      count: base.credentials.count + add.credentials.count,
      targets: first(base.credentials.targets, add.credentials.targets),
    },
    data: {
      mailboxes: base.data.mailboxes + add.data.mailboxes,
      exports: base.data.exports + add.data.exports,
      addressBook: base.data.addressBook + add.data.addressBook,
      targets: first(base.data.targets, add.data.targets),
    },
    lastActivity: latest(base.lastActivity, add.lastActivity ?? undefined),
  };
}
