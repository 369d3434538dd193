// Test-ProxyLogon's own findings read as evidence: UM crashes, OAB and ECP log lists, suspicious files, log age.

import type { Detector, Hit } from '../../core/detector.js';
import type { ServerFileSection } from '../../core/finding.js';
import type { LogRecord } from '../../core/record.js';
import { RULE_IDS } from '../../core/rule-ids.js';
import { isOabPath } from './oab-download.js';
import { securityProducts } from './vendor-folders.js';
import { tplLogAgeDetector } from './tpl-log-age.js';
import { builtinRule, str } from './util.js';

const REFS = ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Test-ProxyLogon.md'];

const UM_CRASH = builtinRule(
  'proxylogon.tpl-um-crash',
  'Unified Messaging error with System.InvalidCastException listed by Test-ProxyLogon (CVE-2021-26857)',
  'high',
  REFS,
);
const OAB_LOG = builtinRule(
  'proxylogon.tpl-oab-log-listed',
  'OAB generator log with a download outside ClientAccess\\OAB, listed by Test-ProxyLogon (CVE-2021-26858)',
  'high',
  REFS,
);
const OAB_PATH = builtinRule(
  'proxylogon.tpl-oab-download-path',
  'OAB download written outside ClientAccess\\OAB, as Test-ProxyLogon extracted it (CVE-2021-26858)',
  'critical',
  REFS,
);
const ECP_LOG = builtinRule(
  'proxylogon.tpl-ecp-log-listed',
  'ECP Server log with a script in a virtual directory URL, listed by Test-ProxyLogon (CVE-2021-27065)',
  'high',
  REFS,
);
const LSASS = builtinRule(
  RULE_IDS.tplLsassDumpListed,
  'LSASS dump on the server, listed by Test-ProxyLogon',
  'critical',
  REFS,
);
const ARCHIVE = builtinRule(
  RULE_IDS.tplArchiveListed,
  'Archive in ProgramData, listed by Test-ProxyLogon',
  'medium',
  REFS,
);
const OTHER = builtinRule(
  RULE_IDS.tplFileListed,
  'Suspicious file listed by Test-ProxyLogon',
  'medium',
  REFS,
);

/** The entry as Windows spells it, without the quotes a log line put around it. */
const unquote = (s: string) => s.trim().replace(/^'(.*)'$/, '$1');

const base = (r: LogRecord) => ({ cves: [] as string[], time: r.time, sourceIps: [] as string[] });

export const tplUmCrashDetector: Detector = {
  id: 'tpl-um-crash',
  title: "Test-ProxyLogon's CVE-2021-26857 event list",
  sources: ['tpl-26857'],
  check(r) {
    const message = str(r, 'Message');
    // The script's own filter: an error of MSExchange Unified Messaging whose message names this exception.
    if (!/System\.InvalidCastException/i.test(message)) return undefined;
    const local = str(r, 'TimeCreatedLocal');
    const raw = str(r, 'TimeCreated');
    return [
      {
        ...base(r),
        rule: UM_CRASH,
        severity: 'high',
        cves: ['CVE-2021-26857'],
        stage: 'exploit',
        outcome: 'attempt',
        summary: `Unified Messaging crash on ${str(r, 'MachineName') || 'the server'} at ${raw || 'an unknown time'} (server local time)`,
        details: {
          timeCreated: raw,
          ...(local ? { timeCreatedLocal: local } : {}),
          machine: str(r, 'MachineName'),
          message: message.slice(0, 1024),
        },
        note: "Test-ProxyLogon writes the event's local time without its offset, so the finding has no UTC time; the Application event log (EVTX) has the exact one",
      },
    ];
  },
};

export const tplOabLogDetector: Detector = {
  id: 'tpl-oab-log',
  title: "Test-ProxyLogon's CVE-2021-26858 log list",
  sources: ['tpl-26858'],
  check(r) {
    const path = unquote(str(r, 'Path'));
    return [
      {
        ...base(r),
        rule: OAB_LOG,
        severity: 'high',
        cves: ['CVE-2021-26858'],
        stage: 'webshell-write',
        outcome: 'suspicious',
        summary: `Test-ProxyLogon flagged the OAB generator log ${path}: collect it (its lines show where the download went)`,
        details: { logPath: path, testProxyLogon: 'CVE-2021-26858' },
      },
    ];
  },
};

export const tplOabPathDetector: Detector = {
  id: 'tpl-oab-path',
  title: "Test-ProxyLogon's CVE-2021-26858 download paths",
  sources: ['tpl-26858-paths'],
  check(r, ctx) {
    const raw = str(r, 'Path').trim();
    // The same test as on the OAB generator log itself; a path inside ClientAccess\OAB is a normal download.
    if (isOabPath(raw, ctx.installPathWindows)) return undefined;
    const path = unquote(raw);
    return [
      {
        ...base(r),
        rule: OAB_PATH,
        severity: 'critical',
        cves: ['CVE-2021-26858'],
        stage: 'webshell-write',
        outcome: 'success',
        summary: `OAB generator wrote a download to ${path} (from Test-ProxyLogon's list)`,
        serverFile: { path, writtenBy: 'oab-generator' },
        details: { downloadPath: path, testProxyLogon: 'CVE-2021-26858' },
      },
    ];
  },
};

export const tplEcpLogDetector: Detector = {
  id: 'tpl-ecp-log',
  title: "Test-ProxyLogon's CVE-2021-27065 log list",
  sources: ['tpl-27065'],
  check(r) {
    const path = unquote(str(r, 'Path'));
    return [
      {
        ...base(r),
        rule: ECP_LOG,
        severity: 'high',
        cves: ['CVE-2021-27065'],
        stage: 'webshell-write',
        outcome: 'suspicious',
        summary: `Test-ProxyLogon flagged the ECP Server log ${path}: collect it (its Set-*VirtualDirectory lines show the URL)`,
        details: { logPath: path, testProxyLogon: 'CVE-2021-27065' },
        // Versions before 2021-03-18 listed every Set-*VirtualDirectory, including an admin's.
        note: 'older versions of the script list every log with a Set-*VirtualDirectory command; the log itself decides',
      },
    ];
  },
};

export const tplSuspiciousFileDetector: Detector = {
  id: 'tpl-suspicious-file',
  title: "Test-ProxyLogon's suspicious file list",
  sources: ['tpl-other'],
  check(r) {
    const path = str(r, 'Path');
    if (path === '') return undefined;
    const type = str(r, 'Type');
    const name = str(r, 'Name') || path.slice(path.lastIndexOf('\\') + 1);
    const when = str(r, 'LastWriteUtc');
    const details: Record<string, string> = {
      path,
      type,
      lastWrite: str(r, 'LastWrite'),
      computer: str(r, 'ComputerName'),
    };
    const computer = details.computer;
    const serverFile: ServerFileSection = { path, ...(computer ? { host: computer } : {}) };
    const hit = {
      ...base(r),
      ...(when ? { time: when } : {}),
      serverFile,
      details,
    };
    // The file itself is not in the evidence: the listing names it, the file would prove what it holds.
    if (type === 'LsassDump' || /^lsass.*dmp$/i.test(name))
      return [
        {
          ...hit,
          rule: LSASS,
          severity: 'critical',
          stage: 'credential-access',
          outcome: 'suspicious',
          summary: `LSASS dump ${path} on the server: every credential in LSASS when it was taken is exposed if it is one; collect it`,
        },
      ];
    if (type === 'SuspiciousArchive') {
      const vendor = securityProducts().match(path.replace(/\\/g, '/').replace(/^[a-z]:\//i, ''), 'archive');
      // Kept so that -CollectFiles' copy of this file (SuspiciousFiles/NAME_i) is judged by where it was.
      if (vendor) details.vendorProduct = serverFile.vendorProduct = vendor.product;
      const out: Hit = {
        ...hit,
        rule: ARCHIVE,
        severity: 'medium',
        stage: 'collection',
        outcome: 'context',
        summary: `archive ${path} on the server: data staged for theft, or an installer's or antivirus's own; collect it`,
      };
      if (vendor) out.note = 'in a folder of a security or backup product';
      return [out];
    }
    return [
      {
        ...hit,
        rule: OTHER,
        severity: 'medium',
        stage: 'context',
        outcome: 'suspicious',
        summary: `${type || 'file'} ${path} listed by Test-ProxyLogon; collect it`,
      },
    ];
  },
};

export const TPL_DETECTORS: Detector[] = [
  tplUmCrashDetector,
  tplOabLogDetector,
  tplOabPathDetector,
  tplEcpLogDetector,
  tplSuspiciousFileDetector,
  tplLogAgeDetector,
];
