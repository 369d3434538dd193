// Webshells on disk through a whole scan: the verdict they give, and IIS site roots read from applicationHost.config.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { BENIGN_FIXTURES, SHELL_FIXTURES } from '../rules/builtin/webshell-fixtures.js';
import { mapRoots, physicalPaths } from '../sources/iis-config/site-roots.js';
import { scan } from './scan.js';

const IIS_DAY = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2021-03-03 00:00:00',
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
  ...Array.from(
    { length: 40 },
    (_, i) =>
      `2021-03-03 08:${String(i).padStart(2, '0')}:10 10.0.0.5 GET /owa/ &ClientId=ABC 443 CORP\\user${i % 5} 10.0.1.${20 + (i % 7)} Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - 200 0 0 31`,
  ),
].join('\r\n');

const APPHOST = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <sites>
      <site name="Default Web Site" id="1">
        <application path="/"><virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" /></application>
        <application path="/owa"><virtualDirectory path="/" physicalPath="C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa" /></application>
        <application path="/aux"><virtualDirectory path="/" physicalPath="C:\\ProgramData\\COM\\" /></application>
      </site>
      <site name="Intranet" id="3">
        <application path="/"><virtualDirectory path="/" physicalPath="D:\\Sites\\Intranet" /></application>
        <application path="/archive"><virtualDirectory path="/" physicalPath="E:\\Archive" /></application>
      </site>
    </sites>
  </system.applicationHost>
</configuration>`;

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-ws-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

const godzilla = SHELL_FIXTURES.find((f) => f.name === 'godzilla-like.aspx')!.text;

test('a webshell alone in owa/auth next to one benign IIS day makes the verdict compromised, and names it', async () => {
  const shell = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/errorEE.aspx';
  const root = await tree({
    [shell]: Buffer.from(godzilla, 'latin1'),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log': IIS_DAY,
  });
  try {
    const { report } = await scan(root, { threads: 0 });
    assert.equal(report.verdict, 'compromised');
    assert.match(report.explanation, /errorEE\.aspx/);
    const f = report.findings.find((x) => x.rule.id === 'exhunt.webshell.file');
    assert.equal(f?.outcome, 'compromise');
    assert.match(f?.details?.reasons ?? '', /loads a \.NET assembly/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('IIS site roots and virtual directories from applicationHost.config are searched; other folders are not', async () => {
  const root = await tree({
    'C/Windows/System32/inetsrv/config/applicationHost.config': APPHOST,
    'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log': IIS_DAY,
    'D/Sites/Intranet/App/status.aspx': Buffer.from(godzilla, 'latin1'),
    'D/Sites/Intranet/index.aspx': BENIGN_FIXTURES.find((f) => f.name === 'hello-form.aspx')!.text,
    'C/ProgramData/COM/x.aspx': SHELL_FIXTURES.find((f) => f.name === 'chopper-jscript.aspx')!.text,
    'D/Tools/notaweb/y.aspx': Buffer.from(godzilla, 'latin1'),
  });
  try {
    const { report } = await scan(root, { threads: 0 });
    const shells = report.findings.filter((f) => f.outcome === 'compromise').map((f) => f.details?.path);
    assert.deepEqual(shells.sort(), ['C/ProgramData/COM/x.aspx', 'D/Sites/Intranet/App/status.aspx']);
    assert.equal(report.verdict, 'compromised');
    // The drive IIS cannot find in the evidence is said, with the path it serves.
    assert.ok(
      report.problems.some((p) => p.code === 'iis.site-root-missing' && /E:\\Archive/.test(p.message)),
    );
    // Its scripts were never examined: the evidence is incomplete, which a clean verdict could not hide.
    assert.equal(report.integrity?.complete, false);
    assert.ok(report.integrity?.losses.some((e) => e.codes.includes('iis.site-root-missing') && e.lowers));
    assert.ok(!report.artifacts.some((a) => a.path === 'D/Tools/notaweb/y.aspx'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('physical paths map onto the evidence: system drive, another drive beside it, variables, shares refused', () => {
  const paths = physicalPaths(APPHOST);
  assert.equal(paths.length, 5);
  const onDrive = mapRoots('C/Windows/System32/inetsrv/config/applicationHost.config', paths);
  assert.deepEqual(
    onDrive.map((m) => m.folder ?? null),
    [
      'c/inetpub/wwwroot/',
      'c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/',
      'c/programdata/com/',
      'd/sites/intranet/',
      'e/archive/',
    ],
  );
  // A mounted system drive at the root: other drives cannot be placed.
  const mounted = mapRoots('Windows/System32/inetsrv/config/applicationHost.config', paths);
  assert.equal(mounted[0]?.folder, 'inetpub/wwwroot/');
  assert.equal(mounted[3]?.folder, undefined);
  assert.match(mounted[3]?.why ?? '', /drive D:/);
  assert.match(mapRoots('applicationHost.config', ['\\\\fs01\\web'])[0]?.why ?? '', /network share/);
});

const SAMPLES = fileURLToPath(new URL('../../../../shared/samples/webshells/', import.meta.url));

test('every real sample placed in an IIS site root is found through a whole scan', async (t) => {
  if (!existsSync(SAMPLES))
    return t.skip(`../shared/samples/webshells is absent (${SAMPLES}): real-sample test skipped`);
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) =>
      statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)],
    );
  const files: Record<string, Buffer> = {
    'C/Windows/System32/inetsrv/config/applicationHost.config': Buffer.from(APPHOST),
  };
  const placed = new Map<string, string>();
  walk(SAMPLES)
    .filter((p) => !p.endsWith('README.md'))
    .forEach((p, i) => {
      const rel = `D/Sites/Intranet/s${i}/${path.basename(p)}`;
      files[rel] = readFileSync(p);
      placed.set(rel, p.slice(SAMPLES.length));
    });
  const root = await tree(files);
  try {
    const { report } = await scan(root, { threads: 0 });
    const found = new Map(report.findings.map((f) => [f.details?.path ?? '', f.outcome]));
    const misses = [...placed]
      .filter(([rel]) => found.get(rel) !== (rel.endsWith('Web Sniffer.aspx') ? 'suspicious' : 'compromise'))
      .map(([rel, sample]) => `${sample}: ${found.get(rel) ?? 'nothing'}`);
    assert.deepEqual(misses, []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
