// Tests for the OAB download, ECP virtual directory, webshell file and staged file detectors.

import assert from 'node:assert/strict';
import test from 'node:test';
import { fakeRecord } from '../../core/fake-record.js';
import { ecpVdirDetector } from './ecp-vdir.js';
import { isOabPath, oabDownloadDetector } from './oab-download.js';
import { stagedFileDetector } from './staged-file.js';
import { webshellFileDetector } from './webshell-file.js';

const INSTALL = 'c:\\program files\\microsoft\\exchange server\\v15\\';

test('OAB download paths: inside ClientAccess\\OAB is normal, anything else is CVE-2021-26858', () => {
  assert.equal(
    isOabPath(
      `'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\a.tmp'`,
      INSTALL,
    ),
    true,
  );
  assert.equal(
    isOabPath(
      `'D:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\a.tmp'`,
      INSTALL,
    ),
    true,
  );
  assert.equal(isOabPath(`'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'`, INSTALL), false);
  assert.equal(
    isOabPath(`'\\\\127.0.0.1\\c$\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'`, undefined),
    false,
  );
  assert.equal(isOabPath(`'E:\\Exchange\\ClientAccess\\OAB\\Temp\\x'`, undefined), true);
  const line = (p: string) =>
    fakeRecord(
      'oab-generator',
      {},
      { text: `2021-03-03T07:00:00.000Z,Download failed and temporary file ${p} needs to be removed` },
    );
  assert.equal(
    oabDownloadDetector.check(
      line(`'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\OAB\\Temp\\x.tmp'`),
      { path: 'o', installPathWindows: INSTALL },
    ),
    undefined,
  );
  const hit = oabDownloadDetector.check(line(`'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx'`), {
    path: 'o',
    installPathWindows: INSTALL,
  });
  assert.equal(hit?.[0]?.details?.downloadPath, 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx');
  assert.deepEqual(hit?.[0]?.serverFile, { path: 'C:\\inetpub\\wwwroot\\aspnet_client\\x.aspx', writtenBy: 'oab-generator' }); // prettier-ignore
});

test('ECP: script in a virtual directory URL is flagged, an admin https URL is not', () => {
  const script = `2021-03-03T06:49:53.772Z,EX01,ECP.Request,S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["k"],"unsafe");}</script>'.Identity='x';S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory`;
  const admin = `2021-03-04T10:00:00.000Z,EX01,ECP.Request,S:CMD=Set-OabVirtualDirectory.ExternalUrl='https://mail.corp.example/OAB'.Identity='x';S:URL=/ecp/DDI/DDIService.svc/SetObject?schema=OABVirtualDirectory`;
  const reset = `2021-03-03T06:50:00.000Z,EX01,ECP.Request,S:CMD=New-OABVirtualDirectory.Path='C:\\x'`;
  assert.equal(
    ecpVdirDetector.check(fakeRecord('ecp-server', {}, { text: script }), { path: 'e' })?.[0]?.outcome,
    'success',
  );
  assert.equal(
    ecpVdirDetector.check(fakeRecord('ecp-server', {}, { text: admin }), { path: 'e' }),
    undefined,
  );
  assert.equal(
    ecpVdirDetector.check(fakeRecord('ecp-server', {}, { text: reset }), { path: 'e' })?.[0]?.outcome,
    'context',
  );
});

const file = (path: string, content: string | Buffer) => {
  const text = typeof content === 'string' ? content : content.toString('latin1');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return fakeRecord(
    'web-file',
    { Path: path, Name: name, Extension: name.slice(name.lastIndexOf('.')), Size: text.length },
    { text },
  );
};

test('webshell traits each give a reason; stock files without traits pass', () => {
  const owa = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/';
  const shells: [string, string | Buffer, RegExp][] = [
    [`${owa}x.aspx`, '<%@ Page Language="Jscript"%><%eval(Request.Item["p"],"unsafe");%>', /China Chopper/],
    [
      `${owa}RedirSuiteServerProxy.aspx`,
      'Name : OAB (Default Web Site)\r\nExternalUrl : http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["k"],"unsafe");}</script>',
      /OAB virtual directory/,
    ],
    [
      `${owa}y.aspx`,
      Buffer.concat([
        Buffer.from('!BDN\x00\x01\x02'),
        Buffer.from('<%@ Page Language="C#"%><script runat="server">'),
      ]),
      /PST file/,
    ],
    [
      `${owa}z.aspx`,
      Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.from('<%@ Page Language="C#"%>')]),
      /certificate request/,
    ],
    [
      'inetpub/wwwroot/aspnet_client/b.aspx',
      '<% var x = System.Reflection.Assembly.Load(System.Convert.FromBase64String(Request["d"])); %>',
      /assembly from bytes.*base64/,
    ],
  ];
  for (const [path, content, reason] of shells) {
    const hit = webshellFileDetector.check(file(path, content), { path });
    assert.equal(hit?.[0]?.outcome, 'compromise', path);
    assert.match(hit?.[0]?.details?.reasons ?? '', reason, path);
  }
  assert.equal(
    webshellFileDetector.check(
      file(
        `${owa}logon.aspx`,
        '<%@ Page Language="C#" Inherits="Microsoft.Exchange.Clients.Owa.Premium.Logon" %>',
      ),
      { path: 'x' },
    ),
    undefined,
  );
  const unknown = webshellFileDetector.check(
    file(`${owa}newpage.aspx`, '<%@ Page Language="C#" %><html></html>'),
    { path: 'x' },
  );
  assert.equal(unknown?.[0]?.outcome, 'suspicious');
  assert.equal(
    webshellFileDetector.check(
      file('Program Files/Microsoft/Exchange Server/V15/ClientAccess/ecp/Default.aspx', '<%@ Page %>'),
      { path: 'x' },
    ),
    undefined,
  );
  // Decoding request data alone is not a shell: worth a look, with the reason.
  const decode = webshellFileDetector.check(
    file(
      'inetpub/wwwroot/aspnet_client/c.aspx',
      '<% var x = System.Convert.FromBase64String(Request["d"]); %>',
    ),
    { path: 'x' },
  );
  assert.equal(decode?.[0]?.outcome, 'suspicious');
  assert.match(decode?.[0]?.details?.reasons ?? '', /decodes base64 request data/);
});

test('staged files are marked for the exploitation gate', () => {
  const dump = fakeRecord(
    'staged-file',
    { Path: 'Windows/Temp/lsass.dmp', Name: 'lsass.dmp', Extension: '.dmp', Size: 10 },
    { text: 'MDMP....' },
  );
  const zip = fakeRecord(
    'staged-file',
    { Path: 'ProgramData/it.zip', Name: 'it.zip', Extension: '.zip', Size: 10 },
    { text: 'PK' },
  );
  const d = stagedFileDetector.check(dump, { path: 'x' })?.[0];
  const z = stagedFileDetector.check(zip, { path: 'x' })?.[0];
  assert.equal(d?.rule.id, 'exhunt.staged.lsass-dump');
  assert.equal(d?.stage, 'credential-access');
  assert.equal(z?.rule.id, 'exhunt.staged.archive');
  assert.equal(z?.details?.gate, 'exploitation');
});
