// IIS modules: stock ones pass, planted and name-squatting native modules are a compromise, foreign managed
// types need review; the table itself is validated.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import type { Hit } from '../../core/detector.js';
import type { LogRecord } from '../../core/record.js';
import { createIisConfigParser } from '../../sources/iis-config/index.js';
import { iisModuleDetector } from './iis-modules.js';
import { moduleTable, normaliseImage, validateModuleTable } from './iis-module-table.js';

const TABLE = JSON.parse(
  readFileSync(new URL('../../../../data/iis-native-modules.json', import.meta.url), 'utf8'),
) as { groups: { modules: { name: string; images: string[] }[] }[] };

/** Every stock module as applicationHost.config writes it, Exchange's under its default install folder. */
function stockConfig(extra = '', managed = ''): string {
  const adds = TABLE.groups
    .flatMap((g) => g.modules)
    .map((m) => {
      const image = m.images[0]!.replace('{exchange}', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15');
      return `      <add name="${m.name}" image="${image}" />`;
    });
  return `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.webServer>
    <globalModules>
${adds.join('\n')}
${extra}
    </globalModules>
    <modules>
      <add name="StaticFileModule" lockItem="true" />
      <add name="OutputCache" type="System.Web.Caching.OutputCacheModule" preCondition="managedHandler" />
      <add name="ServiceModel-4.0" type="System.ServiceModel.Activation.ServiceHttpModule, System.ServiceModel.Activation, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" preCondition="managedHandler,runtimeVersionv4.0" />
${managed}
    </modules>
  </system.webServer>
</configuration>
`;
}

function hits(text: string): { hits: Hit[]; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const p = createIisConfigParser('C/Windows/System32/inetsrv/config/applicationHost.config', {
    record: (r) => records.push(r),
    problem: (x) => assert.fail(`unexpected problem ${x.message}`),
  });
  p.push(Buffer.from(text));
  p.end();
  const out = records.flatMap((r) => iisModuleDetector.check(r, { path: 'cfg' }) ?? []);
  return { hits: out, records };
}

test('the data table is valid, and a broken one is refused with what is wrong', () => {
  assert.deepEqual(validateModuleTable(TABLE), []);
  const broken = structuredClone(TABLE) as unknown as Record<string, unknown>;
  (broken['groups'] as { sources: string[]; modules: { name: string; images: string[] }[] }[])[0]!.sources = [
    'nowhere',
  ];
  (broken['groups'] as { modules: { name: string; images: string[] }[] }[])[1]!.modules.push({
    name: 'UriCacheModule',
    images: ['relative.dll'],
  });
  const errors = validateModuleTable(broken).join('\n');
  assert.match(errors, /unknown source nowhere/);
  assert.match(errors, /UriCacheModule listed twice/);
  assert.match(errors, /relative\.dll is not an absolute DLL path/);
});

test('a server with only stock modules gives no finding', () => {
  const r = hits(stockConfig());
  assert.ok(r.records.length > 40);
  assert.deepEqual(r.hits, []);
});

test('a native module IIS and Exchange do not ship is a compromise, with line and element', () => {
  const planted = '      <add name="UpData" image="C:\\Windows\\System32\\system.dll" />';
  const text = stockConfig(planted);
  const { hits: found, records } = hits(text);
  assert.equal(found.length, 1);
  const h = found[0]!;
  assert.equal(h.rule.id, 'exhunt.iis.native-module');
  assert.equal(h.rule.author, 'exhunt');
  assert.equal(h.outcome, 'compromise');
  assert.equal(h.stage, 'persistence');
  assert.equal(h.details?.image, 'C:\\Windows\\System32\\system.dll');
  const rec = records.find((r) => r.get('Name') === 'UpData')!;
  assert.equal(rec.text(), planted.trim());
  assert.equal(rec.line, text.split('\n').findIndex((l) => l.includes('UpData')) + 1);
});

test('the name of a stock module with its image elsewhere is a compromise, however the path is spelled', () => {
  for (const image of [
    'C:\\ProgramData\\static.dll',
    '%windir%\\System32\\inetsrv\\..\\..\\..\\ProgramData\\static.dll',
    '%windir%\\Temp\\inetsrv\\static.dll',
    'D:\\Windows\\System32\\inetsrv\\static.dll',
  ]) {
    const text = stockConfig().replace(
      /<add name="StaticFileModule" image="[^"]*" \/>/,
      `<add name="StaticFileModule" image="${image}" />`,
    );
    const found = hits(text).hits;
    assert.equal(found.length, 1, image);
    assert.equal(found[0]?.outcome, 'compromise');
    assert.match(found[0]?.summary ?? '', /name of a stock module/);
    assert.match(found[0]?.details?.reason ?? '', /image elsewhere/);
  }
  // Spelling that IIS reads the same is not a finding.
  const same = stockConfig().replace(
    /<add name="StaticFileModule" image="[^"]*" \/>/,
    '<add name="staticfilemodule" image="C:/WINDOWS/system32//inetsrv/./STATIC.dll" />',
  );
  assert.deepEqual(hits(same).hits, []);
});

test("Exchange's modules fit any install folder ending in V15 or V14, and nowhere else", () => {
  const at = (image: string) =>
    hits(
      `<configuration><globalModules><add name="kerbauth" image="${image}" /></globalModules></configuration>`,
    ).hits;
  assert.deepEqual(at('D:\\Exchange\\V15\\Bin\\kerbauth.dll'), []);
  assert.deepEqual(at('C:\\Program Files\\Microsoft\\Exchange Server\\V14\\Bin\\kerbauth.dll'), []);
  assert.deepEqual(at('%ExchangeInstallPath%Bin\\kerbauth.dll'), []);
  assert.equal(at('C:\\ProgramData\\kerbauth.dll')[0]?.outcome, 'compromise');
  assert.equal(
    at('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\evil\\kerbauth.dll')[0]?.outcome,
    'compromise',
  );
  assert.equal(at('C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\kerbauth.dll')[0], undefined);
});

test('a stock DLL under another name, or a module without a DLL, needs review but is not a compromise', () => {
  const alias = hits(
    stockConfig(
      '<add name="Cache2" image="%windir%\\System32\\inetsrv\\cachuri.dll" />\n<add name="Empty" />',
    ),
  ).hits;
  assert.deepEqual(
    alias.map((h) => `${h.rule.id} ${h.outcome}`),
    ['exhunt.iis.native-module-alias suspicious', 'exhunt.iis.native-module-alias suspicious'],
  );
});

test("managed modules whose type is not Microsoft's need review; Microsoft's do not", () => {
  const managed = [
    '<add name="Owa" type="ExtenderControlDesigner.Module, ExtenderControlDesigner" />',
    '<add name="Squat" type="Microsoft.Exchange.Auth, Microsoft.Exchange.Auth, Version=15.0.0.0, PublicKeyToken=null" />',
    '<add name="WrongKey" type="System.Web.X, System.Web, PublicKeyToken=0123456789abcdef" />',
    '<add name="OtherAsm" type="Microsoft.Exchange.Foo, Evil" />',
    '<add name="Exch" type="Microsoft.Exchange.HttpProxy.ProxyModule, Microsoft.Exchange.FrontEndHttpProxy, Version=15.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35" />',
  ].join('\n');
  const found = hits(stockConfig('', managed)).hits;
  assert.deepEqual(
    found.map((h) => `${h.details?.name} ${h.outcome}`),
    ['Owa suspicious', 'Squat suspicious', 'WrongKey suspicious', 'OtherAsm suspicious'],
  );
  assert.equal(found[0]?.rule.id, 'exhunt.iis.managed-module');
});

test('image paths normalise the way IIS expands them', () => {
  assert.equal(
    normaliseImage('%SystemRoot%\\system32\\inetsrv\\rewrite.dll'),
    'c:\\windows\\system32\\inetsrv\\rewrite.dll',
  );
  assert.equal(normaliseImage('"C:/Windows/./System32/x.dll"'), 'c:\\windows\\system32\\x.dll');
  assert.equal(normaliseImage('%UNKNOWN%\\x.dll'), '%unknown%\\x.dll');
  assert.ok(moduleTable().byName('WEBSOCKETMODULE'));
});
