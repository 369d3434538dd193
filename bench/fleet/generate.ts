// Synthetic fleet reports for the benchmark: many organisations, servers probed by shared scanners, some
// hit by a campaign (shared addresses, user agents, webshell names and hashes), about 100 findings each.

import { createHash } from 'node:crypto';
import type { Finding, Outcome, Severity, Stage } from '../../src/core/finding.js';
import type { ScanReport, Verdict, Webshell } from '../../src/core/report.js';
import { Rng } from '../../examples/lib/rng.js';

interface RuleShape {
  id: string;
  title: string;
  stage: Stage;
  outcome: Outcome;
  severity: Severity;
}

const RULES: RuleShape[] = [
  ['exhunt.scan.owa-probe', 'OWA version probe', 'recon', 'probe', 'low'],
  ['exhunt.scan.autodiscover', 'Autodiscover probe', 'recon', 'probe', 'low'],
  ['exhunt.proxylogon.ssrf', 'ProxyLogon SSRF (CVE-2021-26855)', 'exploit', 'attempt', 'high'],
  ['exhunt.proxylogon.ssrf-ok', 'ProxyLogon SSRF answered', 'exploit', 'success', 'critical'],
  ['exhunt.proxyshell.attempt', 'ProxyShell path confusion', 'exploit', 'attempt', 'high'],
  ['exhunt.proxylogon.reset-vdir', 'OAB virtual directory reset', 'webshell-write', 'compromise', 'critical'],
  ['exhunt.webshell.request', 'Webshell requested', 'webshell-use', 'compromise', 'critical'],
  ['exhunt.lsass.dump', 'LSASS dump staged', 'credential-access', 'compromise', 'critical'],
  ['exhunt.mailbox.export', 'Mailbox export request', 'collection', 'compromise', 'high'],
  ['exhunt.web.unknown-script', 'Unknown script in a web folder', 'context', 'suspicious', 'medium'],
].map(([id, title, stage, outcome, severity]) => ({ id, title, stage, outcome, severity }) as RuleShape);

const UAS = [
  'python-requests/2.25.1',
  'Mozilla/5.0 zgrab/0.x',
  'ExchangeServicesClient/0.0.0.0',
  'antSword/v2.1',
  'Mozilla/5.0 (compatible; Nmap Scripting Engine)',
  ...Array.from({ length: 45 }, (_, i) => `Mozilla/5.0 (Windows NT 10.0) Scanner/${i}`),
];
const SHELL_NAMES = Array.from(
  { length: 30 },
  (_, i) => `${['discover', 'errorEE', 'supp0rt', 'help', 'OutlookEN'][i % 5]}${i}.aspx`,
);

export interface FleetShape {
  orgs: number;
  servers: number;
  findingsPerServer: number;
  seed: number;
}

const ip = (n: number) =>
  `${45 + ((n >>> 24) % 150)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${(n & 255) | 1}`;

/** The report of server `i` (0-based): deterministic for a seed, so the loader and the ingest sample agree. */
export function serverReport(
  shape: FleetShape,
  i: number,
): { org: number; server: string; report: ScanReport } {
  const rng = new Rng(shape.seed * 1_000_003 + i);
  const org = i % shape.orgs;
  const campaign = rng.chance(0.25);
  // A server sees a handful of sources: scanners of its own, a campaign's shared addresses, and the few
  // tools (user agents) they run; each finding picks among those.
  const shared = Array.from({ length: 3 }, () => ip(0x0a000000 + rng.int(0, 1999)));
  const scanners = Array.from({ length: rng.int(3, 6) }, () => ip(0x20000000 + rng.int(0, 9_999_999)));
  const agents = Array.from({ length: rng.int(2, 4) }, () => rng.pick(UAS));
  const base = Date.UTC(2021, 2, 1) + rng.int(0, 20) * 86_400_000;
  const findings: Finding[] = [];
  for (let k = 0; k < shape.findingsPerServer; k++) {
    const rule = campaign ? RULES[rng.int(0, RULES.length - 1)] : RULES[rng.int(0, 2)];
    const addr = campaign && rng.chance(0.5) ? rng.pick(shared) : rng.pick(scanners);
    const time = new Date(base + rng.int(0, 7 * 86_400_000)).toISOString();
    const path = `Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030${rng.int(1, 9)}.LOG`;
    const line = rng.int(6, 90_000);
    const ua = rng.pick(agents);
    findings.push({
      id: createHash('sha1').update(`${i}:${k}`).digest('hex').slice(0, 16),
      rule: { id: rule!.id, title: rule!.title, author: 'exhunt', source: 'exhunt' },
      severity: rule!.severity,
      cves: rule!.stage === 'exploit' ? ['CVE-2021-26855'] : [],
      stage: rule!.stage,
      outcome: rule!.outcome,
      time,
      sourceIps: [addr],
      userAgent: ua,
      evidence: [{ path, line, excerpt: `${time},POST /ecp/y.js,${addr},${ua},241` }],
      summary: `POST /ecp/y.js from ${addr} -> 241`,
    });
  }
  findings.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  const webshells: Webshell[] = campaign
    ? [
        {
          path: `inetpub/wwwroot/aspnet_client/${rng.pick(SHELL_NAMES)}`,
          sha256: createHash('sha256')
            .update(`shell${rng.int(0, 499)}`)
            .digest('hex'),
          size: 2048,
          reasons: ['eval of request data'],
        },
      ]
    : [];
  const verdict: Verdict = campaign ? 'compromised' : rng.chance(0.1) ? 'clean' : 'attempted';
  const report: ScanReport = {
    schemaVersion: '1.0.0',
    tool: { name: 'exhunt', version: '0.1.0' },
    scan: {
      startedAt: new Date(base + 8 * 86_400_000).toISOString(),
      finishedAt: new Date(base + 8 * 86_400_000 + 300_000).toISOString(),
      evidence: { root: `/evidence/s${i}`, kind: 'folder' },
      layout: 'system-drive',
    },
    verdict,
    explanation: `synthetic ${verdict}`,
    decisive: findings.slice(0, 1).map((f) => f.id),
    findings,
    webshells,
    artifacts: [],
    coverage: [],
    problems: [],
    rules: { loaded: 40, skipped: [], notApplicable: 0, detectors: 12 },
    stats: { artifacts: 12, bytes: 1_000_000, records: 50_000, badRecords: 0, problems: 0 },
  };
  return { org, server: `org${org}-ex${Math.floor(i / shape.orgs)}`, report };
}
