// The shipped mapping: log sources to sources, the IIS URI and user-agent traps, overrides and errors.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileRule } from './compile.js';
import { DEFAULT_MAPPING_PATH, fieldMapFor, loadMapping, parseMappingText, sourcesFor } from './mapping.js';
import type { Mapping } from './mapping.js';
import { rec, rule } from './testkit.js';

async function shipped(): Promise<Mapping> {
  const { mapping, errors } = await loadMapping([DEFAULT_MAPPING_PATH]);
  assert.deepEqual(errors, []);
  return mapping;
}

const WEB = (sel: string): string => `title: w
id: w
logsource: {category: webserver}
detection:
  sel:
${sel}
  condition: sel
`;

test('webserver and proxy apply to IIS and HttpProxy; nothing else', async () => {
  const m = await shipped();
  assert.deepEqual(
    sourcesFor(m, { category: 'webserver' }).map((b) => b.source),
    ['iis-w3c', 'httpproxy'],
  );
  const proxy = sourcesFor(m, { category: 'proxy' });
  assert.deepEqual(
    proxy.map((b) => [b.source, b.fieldMap.fields.get('c-uri')?.field]),
    [
      ['iis-w3c', 'cs-uri'],
      ['httpproxy', 'Uri'],
    ],
  );
  // SigmaHQ's OWASSRF proxy variant, on the IIS line of the attack.
  const owassrf = compileRule(
    rule(`title: p
id: p
logsource: {category: proxy}
detection:
  selection:
    cs-method: POST
    sc-status: 200
    c-uri|contains|all: [/owa/, /powershell]
    c-uri|contains: ['@', '%40']
  filter_main_ua:
    c-useragent: [ClientInfo, Microsoft WinRM Client, Exchange BackEnd Probes]
  condition: selection and not 1 of filter_main_*
`),
    (proxy[0] as (typeof proxy)[number]).fieldMap,
  );
  const line = (ua: string): Record<string, string> => ({
    'cs-method': 'POST',
    'sc-status': '200',
    'cs-uri': '/owa/mastermailbox@outlook.com/powershell?clientVer=15.2',
    'cs(User-Agent)': ua,
  });
  assert.equal(owassrf(rec(line('Mozilla/5.0+(Windows+NT+10.0)'))), true);
  assert.equal(owassrf(rec(line('Microsoft+WinRM+Client'))), false);
  assert.deepEqual(sourcesFor(m, { product: 'linux', category: 'process_creation' }), []);
});

test('IIS: cs-uri-query sees path and query (virtual cs-uri)', async () => {
  const m = await shipped();
  const [iis] = sourcesFor(m, { category: 'webserver' });
  assert.ok(iis);
  const r = rule(WEB("    cs-method: POST\n    cs-uri-query|contains: '/owa/auth/Current/'"));
  const match = compileRule(r, iis.fieldMap);
  const line = {
    'cs-method': 'POST',
    'cs-uri-stem': '/owa/auth/Current/themes/resources/x.aspx',
    'cs-uri-query': '-',
    'cs-uri': '/owa/auth/Current/themes/resources/x.aspx',
  };
  assert.equal(match(rec(line)), true);
  assert.equal(match(rec({ ...line, 'cs-uri': '/owa/auth/logon.aspx' })), false);
});

test('IIS: user agents match in + form and in space form', async () => {
  const m = await shipped();
  const [iis] = sourcesFor(m, { category: 'webserver' });
  assert.ok(iis);
  const plus = compileRule(
    rule(WEB("    cs-user-agent: 'Googlebot/2.1+(+http://www.googlebot.com/bot.html)'")),
    iis.fieldMap,
  );
  const space = compileRule(
    rule(WEB("    cs-user-agent|startswith: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'")),
    iis.fieldMap,
  );
  const ua = (v: string) => rec({ 'cs(User-Agent)': v });
  assert.equal(plus(ua('Googlebot/2.1+(+http://www.googlebot.com/bot.html)')), true);
  assert.equal(plus(ua('Googlebot/2.2+(+http://www.googlebot.com/bot.html)')), false);
  assert.equal(space(ua('Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36')), true);
  assert.equal(space(ua('Mozilla/5.0+(X11;+Linux+x86_64)')), false);
});

test('HttpProxy: Sigma webserver fields renamed to CSV columns, Uri is stem?query', async () => {
  const m = await shipped();
  const [, hp] = sourcesFor(m, { category: 'webserver' });
  assert.ok(hp);
  const r = rule(
    WEB(
      "    sc-status: 401\n    cs-uri-query|contains|all: ['/autodiscover.json', '/powershell']\n    c-ip|cidr: 0.0.0.0/0",
    ),
  );
  const match = compileRule(r, hp.fieldMap);
  const row = {
    HttpStatus: '401',
    Uri: '/autodiscover/autodiscover.json?@x.com/powershell',
    ClientIpAddress: '1.2.3.4',
  };
  assert.equal(match(rec(row)), true);
  assert.equal(match(rec({ ...row, HttpStatus: '200' })), false);
});

test('Windows: channels, Sysmon and Security 4688 process creation with renames', async () => {
  const m = await shipped();
  const mgmt = sourcesFor(m, { product: 'windows', service: 'msexchange-management' });
  assert.deepEqual(
    mgmt.map((b) => [b.source, b.conditions]),
    [['evtx', { Channel: 'MSExchange Management' }]],
  );
  const pc = sourcesFor(m, { product: 'windows', category: 'process_creation' });
  assert.deepEqual(
    pc.map((b) => b.conditions),
    [
      { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 },
      { Channel: 'Security', EventID: 4688 },
    ],
  );
  const r = rule(`title: p
id: p
logsource: {product: windows, category: process_creation}
detection:
  sel:
    ParentImage|endswith: '\\w3wp.exe'
    Image|endswith: '\\cmd.exe'
    CommandLine|contains: whoami
  condition: sel
`);
  const [sysmon, sec] = pc.map((b) => compileRule(r, b.fieldMap));
  assert.ok(sysmon && sec);
  const sysmonEv = {
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 1,
    ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
    Image: 'C:\\Windows\\System32\\cmd.exe',
    CommandLine: 'cmd /c whoami',
  };
  const secEv = {
    Channel: 'Security',
    EventID: 4688,
    ParentProcessName: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
    NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
    CommandLine: 'cmd /c whoami',
  };
  assert.equal(sysmon(rec(sysmonEv)), true);
  assert.equal(sysmon(rec(secEv)), false);
  assert.equal(sec(rec(secEv)), true);
  assert.equal(sec(rec(sysmonEv)), false);
  assert.equal(sourcesFor(m, { product: 'windows', category: 'registry_event' }).length, 3);
  assert.equal(sourcesFor(m, { product: 'windows', category: 'ps_script' })[0]?.conditions['EventID'], 4104);
});

test('exchange custom services map to the source of the same id with native names', async () => {
  const m = await shipped();
  for (const s of ['httpproxy', 'ecp-server', 'oab-generator', 'rps-http', 'rps-cmdlet']) {
    const b = sourcesFor(m, { product: 'exchange', service: s });
    assert.deepEqual(
      b.map((x) => [x.source, x.fieldMap.fields.size]),
      [[s, 0]],
    );
  }
  assert.equal(fieldMapFor(m, 'iis-w3c').fields.get('cs-uri-query')?.field, 'cs-uri');
});

test('user overrides merge: fields, entries replaced or disabled by id, placeholders', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-map-'));
  try {
    const user = join(dir, 'user.yml');
    await writeFile(
      user,
      `sources:
  iis-w3c:
    fields:
      cs-host: s-computername
logsources:
  - id: webserver-httpproxy
    disabled: true
  - id: proxy-iis
    match: {category: proxy}
    source: iis-w3c
    fields: {c-uri: cs-uri}
placeholders:
  Admins: [adm_*]
`,
    );
    const { mapping, errors } = await loadMapping([DEFAULT_MAPPING_PATH, user]);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      sourcesFor(mapping, { category: 'webserver' }).map((b) => b.source),
      ['iis-w3c'],
    );
    const iis = fieldMapFor(mapping, 'iis-w3c');
    assert.equal(iis.fields.get('cs-host')?.field, 's-computername');
    assert.equal(iis.fields.get('cs-uri-query')?.field, 'cs-uri');
    // The user's proxy-iis replaced ours (same id): its one rename is all it has.
    const iisProxy = sourcesFor(mapping, { category: 'proxy' }).find((b) => b.source === 'iis-w3c');
    assert.equal(iisProxy?.fieldMap.fields.get('c-uri')?.field, 'cs-uri');
    assert.equal(iisProxy?.fieldMap.fields.get('c-uri-stem'), undefined);
    assert.deepEqual(mapping.placeholders['Admins'], ['adm_*']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('mapping errors are located and the rest of the file still applies', () => {
  const errors: { line: number; message: string }[] = [];
  const m = parseMappingText(
    `sources:
  iis-w3c:
    fields:
      cs-user-agent: {field: 'cs(User-Agent)', transform: rot13}
logsources:
  - match: {category: webserver}
    source: iis-w3c
  - match: {colour: blue}
    source: x
bogus: 1
`,
    'm.yml',
    undefined,
    errors as never,
  );
  assert.deepEqual(
    errors.map((e) => e.line),
    [4, 8, 10],
  );
  assert.equal(m.logsources.length, 1);
});
