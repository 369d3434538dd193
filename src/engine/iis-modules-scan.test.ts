// IIS modules through a whole scan: a planted native module alone makes the server compromised; stock
// modules give no finding; applicationHost.config is read once, as an artifact, and its damage is a loss.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { scan } from './scan.js';

const CONFIG_PATH = 'C/Windows/System32/inetsrv/config/applicationHost.config';

const IIS_DAY = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2021-03-03 00:00:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
  ...Array.from(
    { length: 20 },
    (_, i) =>
      `2021-03-03 08:${String(i).padStart(2, '0')}:10 10.0.0.5 GET /owa/ &ClientId=ABC 443 CORP\\user${i % 5} 10.0.1.${20 + (i % 7)} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 31`,
  ),
].join('\r\n');

function applicationHost(extra: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <sites>
      <site name="Default Web Site" id="1">
        <application path="/"><virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" /></application>
      </site>
    </sites>
  </system.applicationHost>
  <system.webServer>
    <globalModules>
      <add name="UriCacheModule" image="%windir%\\System32\\inetsrv\\cachuri.dll" />
      <add name="StaticFileModule" image="%windir%\\System32\\inetsrv\\static.dll" />
      <add name="ManagedEngineV4.0_64bit" image="%windir%\\Microsoft.NET\\Framework64\\v4.0.30319\\webengine4.dll" preCondition="integratedMode,runtimeVersionv4.0,bitness64" />
      <add name="kerbauth" image="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\kerbauth.dll" preCondition="bitness64" />
      <add name="WSMan" image="C:\\Windows\\system32\\wsmsvc.dll" />
      <add name="exppw" image="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess\\Owa\\auth\\exppw.dll" />
      <add name="cafe_exppw" image="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\bin\\exppw.dll" />
      <add name="RewriteModule" image="%SystemRoot%\\system32\\inetsrv\\rewrite.dll" />
${extra}
    </globalModules>
  </system.webServer>
</configuration>
`;
}

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-iismod-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

test('a native module planted in applicationHost.config alone makes the verdict compromised, citing it', async () => {
  const planted = '      <add name="IsapiCache" image="C:\\ProgramData\\Microsoft\\Crypto\\cache.dll" />';
  const config = applicationHost(planted);
  const root = await tree({
    [CONFIG_PATH]: config,
    'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log': IIS_DAY,
  });
  try {
    const { report } = await scan(root, { threads: 0 });
    assert.equal(report.verdict, 'compromised');
    assert.match(report.explanation, /IIS native module not shipped/);
    const f = report.findings.filter((x) => x.rule.id.startsWith('exhunt.iis.'));
    assert.equal(f.length, 1);
    assert.equal(f[0]?.outcome, 'compromise');
    assert.equal(f[0]?.rule.author, 'exhunt');
    assert.deepEqual(f[0]?.evidence, [
      {
        path: CONFIG_PATH,
        line: config.split('\n').findIndex((l) => l.includes('IsapiCache')) + 1,
        excerpt: planted.trim(),
      },
    ]);
    // Read once, as an artifact with its hash, not skipped as a file no reader knows.
    const art = report.artifacts.find((a) => a.path === CONFIG_PATH);
    assert.equal(art?.source, 'iis-config');
    assert.equal(art?.size, Buffer.byteLength(config));
    assert.match(art?.sha256 ?? '', /^[0-9a-f]{64}$/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a planted module is found with worker threads too (the bytes discovery read travel with the task)', async () => {
  const root = await tree({
    [CONFIG_PATH]: applicationHost('<add name="X" image="C:\\Users\\Public\\x.dll" />'),
  });
  try {
    const { report } = await scan(root, { threads: 1 });
    assert.equal(report.verdict, 'compromised');
    assert.equal(report.findings.filter((x) => x.rule.id === 'exhunt.iis.native-module').length, 1);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('only stock modules: no module finding, and the verdict is what the logs say', async () => {
  const root = await tree({
    [CONFIG_PATH]: applicationHost(''),
    'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log': IIS_DAY,
    // The site folder the configuration names is collected, so nothing IIS serves is missing.
    'C/inetpub/wwwroot/iisstart.htm': '<html></html>',
  });
  try {
    const { report } = await scan(root, { threads: 0 });
    assert.deepEqual(
      report.findings.filter((x) => x.rule.id.startsWith('exhunt.iis.')),
      [],
    );
    assert.equal(report.verdict, 'clean', report.explanation);
    assert.ok(report.artifacts.some((a) => a.path === CONFIG_PATH && a.records === 8));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('an applicationHost.config cut short is a located loss: a clean verdict becomes inconclusive', async () => {
  const whole = applicationHost('');
  const root = await tree({
    [CONFIG_PATH]: whole.slice(0, whole.indexOf('<add name="WSMan"') + 10),
    'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log': IIS_DAY,
    'C/inetpub/wwwroot/iisstart.htm': '<html></html>',
  });
  try {
    const { report } = await scan(root, { threads: 0 });
    const p = report.problems.find((x) => x.code === 'iis.config-damaged');
    assert.equal(p?.path, CONFIG_PATH);
    assert.equal(p?.line, whole.split('\n').findIndex((l) => l.includes('"WSMan"')) + 1);
    assert.equal(report.verdict, 'inconclusive');
    assert.match(report.explanation, /applicationHost\.config/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a foreign managed module in an Exchange web.config needs review and does not raise the verdict', async () => {
  const webConfig = `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <system.webServer>
    <modules>
      <add name="OwaModule" type="Microsoft.Exchange.Clients.Owa2.Server.Core.OwaModule, Microsoft.Exchange.Clients.Owa2.Server, Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" />
      <add name="Helper" type="ExtenderControlDesigner.ExtenderControlDesigner, ExtenderControlDesigner" />
    </modules>
  </system.webServer>
</configuration>
`;
  const where = 'C/Program Files/Microsoft/Exchange Server/V15/ClientAccess/Owa/web.config';
  const root = await tree({
    [CONFIG_PATH]: applicationHost(''),
    [where]: webConfig,
    'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log': IIS_DAY,
  });
  try {
    const { report } = await scan(root, { threads: 0 });
    const f = report.findings.filter((x) => x.rule.id === 'exhunt.iis.managed-module');
    assert.equal(f.length, 1);
    assert.equal(f[0]?.outcome, 'suspicious');
    assert.equal(f[0]?.evidence[0]?.path, where);
    assert.equal(f[0]?.evidence[0]?.line, 6);
    assert.notEqual(report.verdict, 'compromised');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
