// Test-ProxyLogon's outputs (CSS-Exchange) read as evidence: its CSVs, its path lists, the -CollectFiles layout.

import { FIELD_ROLES } from '../../core/fields.js';
import type { SourceDef } from '../../core/source.js';
import { oabGeneratorSource } from '../exchange-csv/index.js';
import { createFileParser } from '../files/parser.js';
import { createExportParser, headerKeys, isTplHttpProxyHeader, recogniseTable } from '../log-export/index.js';
import { baseName, hasSegment } from '../text/paths.js';
import { createListParser } from './list.js';

/**
 * Output names are `<Computer>-<check>` in the script's -OutPath (default `Test-ProxyLogonLogs`); a computer
 * name may hold dashes, so only the end of the name is matched.
 */
const named = (suffix: string) => (p: string) => new RegExp(`(^|[-_ .])${suffix}$`).test(baseName(p));
const FAMILY = 'Test-ProxyLogon';

// Test-Hafnium.ps1, the script's first version (2021-03-03), wrote its DateTime and AnchorMailbox
// columns with Export-Csv to `CVE-2021-26855.log`.
const hits26855 = named('cve-2021-26855\\.(csv|log)');
const hitsResetVdir = named('cve-2021-27065-resetvdir\\.csv');

/** The HttpProxy rows Test-ProxyLogon kept (nine columns): read by the HttpProxy rules, cited by CSV row. */
export const tplHttpProxySource: SourceDef = {
  id: 'tpl-httpproxy',
  roles: FIELD_ROLES['httpproxy'],
  title: "Test-ProxyLogon's HttpProxy hits (CVE-2021-26855, CVE-2021-27065 ResetVDir)",
  priority: 30,
  dataOf: 'httpproxy',
  matchPath: (p) => hits26855(p) || hitsResetVdir(p),
  // Renamed, it is still known by its nine columns.
  sniff: (head) => {
    const keys = headerKeys(head);
    return keys !== undefined && isTplHttpProxyHeader(keys);
  },
  // Not `HttpProxy/...`: these are the rows the script matched, not a log that covers a period.
  family: (p) => `${FAMILY}/${p.includes('27065') ? 'CVE-2021-27065' : 'CVE-2021-26855'}`,
  createParser: (ctx, sink) => createExportParser({ kind: 'httpproxy' }, ctx, sink),
  copiesChunks: true,
};

export const tpl26857Source: SourceDef = {
  id: 'tpl-26857',
  roles: FIELD_ROLES['tpl-26857'],
  title: "Test-ProxyLogon's Unified Messaging errors (CVE-2021-26857)",
  priority: 30,
  matchPath: named('cve-2021-26857\\.csv'),
  family: () => `${FAMILY}/CVE-2021-26857`,
  createParser: (ctx, sink) => createExportParser({ kind: 'tpl-26857' }, ctx, sink),
  copiesChunks: true,
};

export const tpl26858LogsSource: SourceDef = {
  id: 'tpl-26858',
  roles: FIELD_ROLES['tpl-26858'],
  title: "Test-ProxyLogon's list of OAB generator logs with suspicious downloads (CVE-2021-26858)",
  priority: 30,
  matchPath: named('cve-2021-26858\\.log'),
  family: () => `${FAMILY}/CVE-2021-26858`,
  createParser: (ctx, sink) =>
    createListParser({ source: 'tpl-26858', entry: 'OAB generator log path' }, ctx, sink),
  copiesChunks: true,
};

export const tpl26858PathsSource: SourceDef = {
  id: 'tpl-26858-paths',
  roles: FIELD_ROLES['tpl-26858-paths'],
  title: "Test-ProxyLogon's OAB download paths (CVE-2021-26858)",
  priority: 30,
  matchPath: named('cve-2021-26858-downloadpaths\\.log'),
  family: () => `${FAMILY}/CVE-2021-26858`,
  createParser: (ctx, sink) =>
    createListParser({ source: 'tpl-26858-paths', entry: 'download path', accept: /\S/ }, ctx, sink),
  copiesChunks: true,
};

export const tpl27065LogsSource: SourceDef = {
  id: 'tpl-27065',
  roles: FIELD_ROLES['tpl-27065'],
  title:
    "Test-ProxyLogon's list of ECP Server logs with a script in a virtual directory URL (CVE-2021-27065)",
  priority: 30,
  matchPath: named('cve-2021-27065\\.log'),
  family: () => `${FAMILY}/CVE-2021-27065`,
  createParser: (ctx, sink) =>
    createListParser({ source: 'tpl-27065', entry: 'ECP Server log path' }, ctx, sink),
  copiesChunks: true,
};

export const tplOtherSource: SourceDef = {
  id: 'tpl-other',
  roles: FIELD_ROLES['tpl-other'],
  title: "Test-ProxyLogon's list of suspicious files (LSASS dumps, archives)",
  priority: 30,
  // `-other.csv` alone is too common a name: only in the script's output folder, else by its columns.
  matchPath: (p) => named('other\\.csv')(p) && hasSegment(p, 'test-proxylogonlogs/'),
  sniff: (head) => {
    const keys = headerKeys(head);
    return keys !== undefined && recogniseTable(keys) === 'tpl-other';
  },
  family: () => `${FAMILY}/SuspiciousFiles`,
  createParser: (ctx, sink) => createExportParser({ kind: 'tpl-other' }, ctx, sink),
  copiesChunks: true,
};

export const tplLogAgeSource: SourceDef = {
  id: 'tpl-log-age',
  roles: FIELD_ROLES['tpl-log-age'],
  title: "Test-ProxyLogon's log age table (how far back the server's logs went)",
  priority: 30,
  matchPath: named('logagedays\\.csv'),
  sniff: (head) => {
    const keys = headerKeys(head);
    return keys !== undefined && recogniseTable(keys) === 'tpl-log-age';
  },
  family: () => `${FAMILY}/LogAgeDays`,
  createParser: (ctx, sink) =>
    createExportParser(
      {
        kind: 'tpl-log-age',
        // The ages count back from when the script ran, which the file's write time tells when it was kept.
        ...(ctx.modified ? { constants: new Map([['writtenat', ctx.modified]]) } : {}),
      },
      ctx,
      sink,
    ),
  copiesChunks: true,
};

/** `CollectedLogFiles/<Computer>/<folder>/<file>`: where -CollectFiles copies what a check matched. */
const collected = (folder: string) => (p: string) =>
  new RegExp(`(^|/)collectedlogfiles/[^/]+/${folder}/[^/]+$`).test(p);

/**
 * OAB generator logs copied for CVE-2021-26858. Their names are not documented, so the folder says what
 * they are. (The HttpProxy and ECP Server copies keep names the native readers know, and `CVE27065` and
 * `Cve27065` are one folder on Windows holding both kinds, so those go by name.)
 */
export const tplCollectedOabSource: SourceDef = {
  id: 'tpl-collected-oab',
  roles: FIELD_ROLES['oab-generator'],
  title: 'OAB generator log copied by Test-ProxyLogon -CollectFiles',
  priority: 30,
  dataOf: 'oab-generator',
  matchPath: collected('cve26858'),
  family: () => 'OABGeneratorLog',
  createParser: (ctx, sink) => oabGeneratorSource.createParser(ctx, sink),
  copiesChunks: oabGeneratorSource.copiesChunks ?? false,
};

/** Suspicious files copied as `<name>_<n>`: read as the staged file they are, under their own name. */
export const tplCollectedFileSource: SourceDef = {
  id: 'tpl-collected-file',
  roles: FIELD_ROLES['staged-file'],
  title: 'Suspicious file copied by Test-ProxyLogon -CollectFiles',
  priority: 30,
  dataOf: 'staged-file',
  matchPath: collected('suspiciousfiles'),
  family: () => 'StagedFiles',
  createParser: (ctx, sink) =>
    createFileParser('staged-file', ctx.path.replace(/_\d+$/, ''), sink, ctx.modified),
};
