// The IIS configuration reader on real shapes and hostile ones: comments, cut files, huge attributes, entities.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { LogRecord } from '../../core/record.js';
import type { Problem } from '../../core/problem.js';
import { createIisConfigParser, MAX_IIS_CONFIG } from './index.js';
import { decodeConfig, readIisConfig } from './modules.js';
import { parseAttrs } from './xml-walk.js';

const CONFIG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- applicationHost.config -->
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
      <!-- <add name="Commented" image="C:\\ProgramData\\c.dll" /> -->
      <add name='StaticFileModule' image='%windir%\\System32\\inetsrv\\static.dll'/>
      <add name="kerbauth" image="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\kerbauth.dll" preCondition="bitness64" />
    </globalModules>
    <modules>
      <add name="StaticFileModule" lockItem="true" />
      <add name="FormsAuthentication" type="System.Web.Security.FormsAuthenticationModule" preCondition="managedHandler" />
    </modules>
  </system.webServer>
  <location path="Exchange Back End/owa">
    <system.webServer>
      <modules>
        <add name="Helper" type="Evil.Module, Evil" />
      </modules>
    </system.webServer>
  </location>
</configuration>
`;

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

test('modules of every section are read with their line, raw element and location; comments are not', () => {
  const c = readIisConfig(CONFIG);
  assert.deepEqual(c.damage, []);
  assert.deepEqual(
    c.modules.map((m) => `${m.section}:${m.name}`),
    [
      'globalModules:UriCacheModule',
      'globalModules:StaticFileModule',
      'globalModules:kerbauth',
      'modules:StaticFileModule',
      'modules:FormsAuthentication',
      'modules:Helper',
    ],
  );
  const kerb = c.modules.find((m) => m.name === 'kerbauth')!;
  assert.equal(kerb.line, lineOf(CONFIG, 'name="kerbauth"'));
  assert.equal(kerb.preCondition, 'bitness64');
  assert.match(kerb.raw, /^<add name="kerbauth".*\/>$/);
  assert.equal(c.modules.find((m) => m.name === 'Helper')?.location, 'Exchange Back End/owa');
  assert.equal(c.modules.find((m) => m.name === 'UriCacheModule')?.location, undefined);
  assert.deepEqual(c.physicalPaths, ['%SystemDrive%\\inetpub\\wwwroot']);
});

test('an <add> outside a module collection, or in a comment or CDATA, is not a module', () => {
  const c = readIisConfig(`<configuration><system.webServer><globalModules>
    <!-- old: <add name="A" image="a.dll" /> -->
    <![CDATA[ <add name="B" image="b.dll" /> ]]>
  </globalModules>
  <defaultDocument><files><add value="Default.htm" /></files></defaultDocument>
  <handlers><add name="C" path="*.x" modules="IsapiModule" /></handlers>
  </system.webServer></configuration>`);
  assert.deepEqual(c.modules, []);
  assert.deepEqual(c.damage, []);
});

test('entities and character references are decoded; unknown ones stay as written', () => {
  const c = readIisConfig(
    `<configuration><globalModules><add name="Up&#x44;ata&amp;co" image="C:\\&#87;indows\\&lt;x&gt;&foo;.dll" /></globalModules></configuration>`,
  );
  assert.equal(c.modules[0]?.name, 'UpData&co');
  assert.equal(c.modules[0]?.image, 'C:\\Windows\\<x>&foo;.dll');
});

test('a DOCTYPE declaring entities is damage, and its entities are not expanded', () => {
  const c = readIisConfig(`<?xml version="1.0"?>
<!DOCTYPE configuration [ <!ENTITY m "<add name='Hidden' image='C:\\h.dll' />"> ]>
<configuration><globalModules>&m;<add name="Seen" image="C:\\s.dll" /></globalModules></configuration>`);
  assert.deepEqual(
    c.modules.map((m) => m.name),
    ['Seen'],
  );
  assert.equal(c.damage.length, 1);
  assert.match(c.damage[0]!.message, /DOCTYPE/);
  assert.equal(c.damage[0]!.line, 2);
});

test('a file cut inside an element keeps what came before and says where it was cut', () => {
  const cut = CONFIG.slice(0, CONFIG.indexOf('preCondition="bitness64"'));
  const c = readIisConfig(cut);
  assert.deepEqual(
    c.modules.map((m) => m.name),
    ['UriCacheModule', 'StaticFileModule'],
  );
  assert.match(c.damage[0]!.message, /never closed/);
  assert.equal(c.damage[0]!.line, lineOf(CONFIG, 'name="kerbauth"'));
  assert.match(c.damage[1]?.message ?? '', /ends inside <configuration><system.webServer><globalModules>/);
});

test('a file that ends with sections still open, or inside a comment, is damage', () => {
  const open = readIisConfig('<configuration><globalModules><add name="A" image="C:\\a.dll" />');
  assert.equal(open.modules.length, 1);
  assert.match(open.damage[0]?.message ?? '', /ends inside <configuration><globalModules>/);
  const comment = readIisConfig(
    '<configuration>\n<!-- never closed <globalModules><add name="A" image="a.dll"/>',
  );
  assert.equal(comment.modules.length, 0);
  assert.match(comment.damage[0]?.message ?? '', /comment is never closed/);
  assert.equal(comment.damage[0]?.line, 2);
});

test('a huge attribute is read whole, and hostile runs of < and quotes finish', () => {
  const element = `<add name="Big" x="${'A'.repeat(4 << 20)}" image="C:\\ProgramData\\big.dll" />`;
  const c = readIisConfig(`<configuration><globalModules>${element}</globalModules></configuration>`);
  assert.equal(c.modules[0]?.image, 'C:\\ProgramData\\big.dll');
  assert.equal(c.modules[0]?.raw, element);
  // Attribute names without values, and unbalanced quotes, over megabytes: parsed in one pass.
  assert.equal(parseAttrs('a'.repeat(2 << 20)).size, 0);
  assert.equal(parseAttrs(` k="${'"'.repeat(3)}`).get('k'), '');
  const lts = readIisConfig(`<configuration>${'<'.repeat(1 << 20)}</configuration>`);
  assert.ok(lts.damage.length > 0);
  const quotes = readIisConfig(`<configuration><add x="${'<'.repeat(1 << 20)}`);
  assert.match(quotes.damage[0]?.message ?? '', /never closed/);
});

test('UTF-8 and UTF-16 files with a BOM decode to the same modules', () => {
  const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CONFIG, 'utf8')]);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CONFIG, 'utf16le')]);
  const be = Buffer.from(utf16);
  be.subarray(2).swap16();
  be[0] = 0xfe;
  be[1] = 0xff;
  const names = (b: Buffer) => readIisConfig(decodeConfig(b)).modules.map((m) => m.name);
  assert.deepEqual(names(utf16), names(utf8));
  assert.deepEqual(names(be), names(utf8));
  assert.equal(names(utf8).length, 6);
});

test('the parser emits one record per module, damage as located problems, and bounds what it keeps', () => {
  const records: LogRecord[] = [];
  const problems: Problem[] = [];
  const sink = { record: (r: LogRecord) => records.push(r), problem: (p: Problem) => problems.push(p) };
  const p = createIisConfigParser(
    'C/Windows/System32/inetsrv/config/applicationHost.config',
    sink,
    '2021-03-04T00:00:00.000Z',
  );
  const bytes = Buffer.from(CONFIG.slice(0, CONFIG.indexOf('</configuration>')));
  // Any chunking gives the same result.
  for (let i = 0; i < bytes.length; i += 7) p.push(bytes.subarray(i, i + 7));
  p.end();
  assert.equal(records.length, 6);
  assert.equal(
    records[2]?.get('Image'),
    'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\kerbauth.dll',
  );
  assert.equal(records[2]?.time, '2021-03-04T00:00:00.000Z');
  assert.equal(records[2]?.line, lineOf(CONFIG, 'name="kerbauth"'));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.code, 'iis.config-damaged');
  assert.ok(problems[0]?.line);

  const big: Problem[] = [];
  const q = createIisConfigParser('x', { record: () => undefined, problem: (x) => big.push(x) });
  q.push(Buffer.alloc(MAX_IIS_CONFIG + 10, 0x20));
  q.end();
  assert.equal(big.find((x) => x.code === 'limit.iis-config')?.bytes, 10);
});
