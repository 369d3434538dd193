// Damaged and oddly encoded text logs through the whole scan: the records and findings still come out, located.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { ScanReport } from '../../core/report.js';
import { scan } from '../../engine/scan.js';
import { MAX_LINE_BYTES } from './gated-lines.js';
import { utf16 } from './testing/feed.js';

const IIS_DIR = 'inetpub/logs/LogFiles/W3SVC1';
const LOGGING = 'Program Files/Microsoft/Exchange Server/V15/Logging';
const IIS_HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n' +
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';
const BENIGN = (t: string) =>
  `2021-03-03 ${t} 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 1`;
/** A ProxyLogon SSRF request: POST to a static file with the exploit tool's user agent. */
const ATTACK = (t: string) =>
  `2021-03-03 ${t} 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.51 ExchangeServicesClient/0.0.0.0 - 200 0 0 15`;
const HP_FIELDS =
  'DateTime,RequestId,UrlStem,AuthenticatedUser,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method';
const HP_HEAD = `${HP_FIELDS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: ${HP_FIELDS}\r\n`;
const HP_BENIGN = (t: string) => `2021-03-03T${t}.000Z,r1,/owa/,,,Mozilla,10.1.1.1,200,GET`;
const HP_ATTACK = (t: string) =>
  `2021-03-03T${t}.210Z,r2,/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?#,python-requests/2.25.1,198.51.100.9,241,POST`;

async function scanTree(files: Record<string, string | Buffer>): Promise<ScanReport> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-text-'));
  try {
    for (const [p, body] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, p)), { recursive: true });
      await writeFile(path.join(root, p), body);
    }
    return (await scan(root, { threads: 0 })).report;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Rule, file name and line of each finding, sorted. */
const found = (r: ScanReport, file?: string) =>
  r.findings
    .filter((f) => !file || f.evidence[0]?.path.endsWith(file))
    .map((f) => `${f.rule.id} ${path.basename(f.evidence[0]?.path ?? '')}:${f.evidence[0]?.line}`)
    .sort();
const problems = (r: ScanReport) =>
  r.problems.map((p) => `${p.code} ${path.basename(p.path ?? '')}:${p.line}`);
const artifact = (r: ScanReport, file: string) => r.artifacts.find((a) => a.path.endsWith(file))!;

test('UTF-16 logs, LE and BE, with and without a BOM, give the findings of their UTF-8 form; sniffed too', async () => {
  const iis = IIS_HEAD + [BENIGN('06:00:00'), ATTACK('06:49:42'), BENIGN('06:50:00')].join('\r\n') + '\r\n';
  const hp = HP_HEAD + [HP_BENIGN('06:00:00'), HP_ATTACK('06:49:46')].join('\r\n') + '\r\n';
  const plain = await scanTree({ [`${IIS_DIR}/u_ex210303.log`]: iis, 'collected/proxy.txt': hp });
  const want = found(plain);
  assert.ok(want.some((f) => f.endsWith('u_ex210303.log:6')) && want.some((f) => f.endsWith('proxy.txt:8')));
  for (const [be, bom] of [
    [false, true],
    [true, true],
    [false, false],
    [true, false],
  ] as const) {
    const wide = await scanTree({
      [`${IIS_DIR}/u_ex210303.log`]: utf16(iis, be, bom),
      // A log in any layout is recognised by its head, in UTF-16 too.
      'collected/proxy.txt': utf16(hp, be, bom),
    });
    assert.deepEqual(found(wide), want, `be ${be} bom ${bom}`);
    assert.deepEqual(wide.problems, []);
    const a = artifact(wide, 'u_ex210303.log');
    assert.equal(a.records, 3);
    assert.equal(a.firstTime, '2021-03-03T06:00:00.000Z');
    assert.equal(artifact(wide, 'proxy.txt').source, 'httpproxy');
  }
});

test('CR-only and mixed line ends split into the same records and findings', async () => {
  const lines = [
    ...IIS_HEAD.split('\r\n').slice(0, -1),
    BENIGN('06:00:00'),
    ATTACK('06:49:42'),
    BENIGN('06:50:00'),
  ];
  // Two scans: in one, the same lines in two logs would be merged as one event read twice.
  const file = `${IIS_DIR}/u_ex210303.log`;
  const crOnly = await scanTree({ [file]: lines.join('\r') + '\r' });
  const mixed = await scanTree({ [file]: lines.map((l, i) => l + ['\r', '\n', '\r\n'][i % 3]).join('') });
  assert.deepEqual(found(crOnly), found(mixed));
  assert.ok(found(crOnly).some((f) => f.endsWith(':6')));
  for (const r of [crOnly, mixed]) {
    assert.equal(artifact(r, 'u_ex210303.log').records, 3);
    assert.deepEqual(r.problems, []);
  }
});

test('#Fields changing mid-file and CSV rows without a header: records read, what does not fit located', async () => {
  const iis =
    IIS_HEAD +
    BENIGN('06:00:00') +
    '\r\n#Fields: date time cs-method cs-uri-stem c-ip cs(User-Agent) sc-status\r\n' +
    '2021-03-03 06:49:42 POST /ecp/y.js 203.0.113.51 ExchangeServicesClient/0.0.0.0 200\r\n' +
    BENIGN('06:50:00') +
    '\r\n';
  const r = await scanTree({
    [`${IIS_DIR}/u_ex210303.log`]: iis,
    [`${LOGGING}/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG`]: `${HP_BENIGN('06:00:00')}\r\n${HP_ATTACK('06:49:46')}\r\n`,
  });
  assert.ok(found(r, 'u_ex210303.log').some((f) => f.endsWith(':7')));
  assert.deepEqual(problems(r).sort(), [
    'csv.no-header HttpProxy_2021030306-1.LOG:1',
    'w3c.bad-line u_ex210303.log:8',
  ]);
  assert.equal(artifact(r, 'u_ex210303.log').records, 2);
  assert.equal(artifact(r, 'HttpProxy_2021030306-1.LOG').records, 2);
});

test('a stray quote in a CSV row does not hide the rows after it', async () => {
  const hp =
    HP_HEAD +
    [
      '2021-03-03T06:00:00.000Z,r0,/owa/,,"stray,Mozilla,10.1.1.1,200,GET',
      HP_ATTACK('06:49:46'),
      HP_BENIGN('06:50:00'),
    ].join('\r\n') +
    '\r\n';
  const r = await scanTree({ [`${LOGGING}/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG`]: hp });
  assert.ok(
    found(r).some((f) => f.endsWith(':8')),
    found(r).join('\n'),
  );
  assert.deepEqual(problems(r), ['csv.unclosed-quote HttpProxy_2021030306-1.LOG:7']);
  assert.equal(artifact(r, 'HttpProxy_2021030306-1.LOG').records, 2);
});

test('impossible timestamps: the record is read and matched, said, and never the coverage', async () => {
  const iis =
    IIS_HEAD +
    [
      BENIGN('06:00:00'),
      ATTACK('06:49:42').replace('2021-03-03', '2021-13-45'),
      BENIGN('99:99:99'),
      BENIGN('07:00:00'),
    ].join('\r\n') +
    '\r\n';
  const r = await scanTree({ [`${IIS_DIR}/u_ex210303.log`]: iis });
  assert.ok(
    found(r).some((f) => f.endsWith(':6')),
    'the attack on the line with a bad date is found',
  );
  assert.deepEqual(problems(r), ['w3c.bad-time u_ex210303.log:6', 'w3c.bad-time u_ex210303.log:7']);
  const a = artifact(r, 'u_ex210303.log');
  assert.equal(a.records, 4);
  assert.equal(a.firstTime, '2021-03-03T06:00:00.000Z');
  assert.equal(a.lastTime, '2021-03-03T07:00:00.000Z');
});

test('NUL runs, bytes that are not UTF-8 and an overlong line are located, and reading goes on', async () => {
  const iis = Buffer.concat([
    Buffer.from(IIS_HEAD + BENIGN('06:00:00') + '\r\n' + BENIGN('06:10:00').slice(0, 30)),
    Buffer.alloc(4096), // a crash: the rest of the write never happened
    Buffer.from(IIS_HEAD + BENIGN('06:20:00').replace('Mozilla', 'Moz\xe9') + '\r\n'),
    Buffer.from('x'.repeat(MAX_LINE_BYTES + 10) + '\r\n'),
    Buffer.from(ATTACK('06:49:42') + '\r\n'),
  ]);
  const latin1 = iis.indexOf('Moz\xe9'); // written as UTF-8 above; make it the one Latin-1 byte old tools write
  const bytes = Buffer.concat([iis.subarray(0, latin1 + 3), Buffer.from([0xe9]), iis.subarray(latin1 + 5)]);
  const r = await scanTree({ [`${IIS_DIR}/u_ex210303.log`]: bytes });
  assert.deepEqual(problems(r), [
    'text.nul-bytes u_ex210303.log:6',
    'text.bad-encoding u_ex210303.log:10',
    'text.line-too-long u_ex210303.log:11',
  ]);
  assert.ok(
    found(r).some((f) => f.endsWith(':12')),
    found(r).join('\n'),
  );
  assert.equal(artifact(r, 'u_ex210303.log').records, 3);
});

test('hostile ECP Server event data: read without trouble, the detection still fires', async () => {
  const ecp =
    '#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: ECP Server Log\r\n#Fields: TimeStamp,ServerName,EventId,EventData\r\n' +
    `2021-03-03T06:40:00.000Z,EX01,ECP.Request,"S:CMD='${"''".repeat(50_000)};S:URL=${';'.repeat(200_000)}x"\r\n` +
    `2021-03-03T06:41:00.000Z,EX01,ECP.Request,S:CMD='unclosed ${'"'.repeat(3)}\r\n` +
    "2021-03-03T06:49:53.772Z,EX01,ECP.Request,S:TIME=13;S:CMD=Remove-OabVirtualDirectory.Identity='x';S:REQID=;S:URL=/ecp/DDI/DDIService.svc/SetObject\r\n";
  const r = await scanTree({ [`${LOGGING}/ECP/Server/ECPServer20210303-1.LOG`]: ecp });
  assert.ok(
    found(r).some((f) => f.includes('ecp-vdir-reset') && f.endsWith(':7')),
    found(r).join('\n'),
  );
  assert.deepEqual(problems(r), ['csv.unclosed-quote ECPServer20210303-1.LOG:6']);
});
