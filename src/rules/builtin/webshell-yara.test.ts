// Our webshell family YARA rules (rules/yara) with the yara program: the samples and our shells match, benign pages and stock files do not.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { Tree } from '../../../examples/lib/tree.js';
import { build } from '../../../examples/lib/site.js';
import type { Site } from '../../../examples/lib/site.js';
import { stockWebFiles, wwwrootWebConfig, EOMT_RULES } from '../../../examples/lib/webfiles.js';
import { decodeAtRest } from '../yara/encoding.js';
import { BENIGN_FIXTURES, SHELL_FIXTURES } from './webshell-fixtures.js';

const RULES = fileURLToPath(
  new URL('../../../../rules/yara/exhunt-webshell-families.yar.b64', import.meta.url),
);
const SAMPLES = fileURLToPath(new URL('../../../../../shared/samples/webshells/', import.meta.url));

/**
 * Shells YARA's byte patterns cannot see without the detector's normalisation (escapes, split strings,
 * reversed or replaced names, code inside base64): the content detector finds these, the rules need not.
 */
const OBFUSCATED = new Set([
  'base64-hidden.aspx',
  'chopper-url-escape.aspx',
  'chopper-unicode-comments.aspx',
  'replace-trick.aspx',
  'reflection-process.aspx',
  'classic-wscript.asp',
  'xp-cmdshell.aspx',
  'context-request-dropper.ashx',
]);

function yaraAvailable(): boolean {
  try {
    execFileSync('yara', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** File names (relative to `dir`) that at least one rule matched. */
function matched(rules: string, dir: string): Set<string> {
  const out = execFileSync('yara', ['-w', '-r', rules, dir], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return new Set(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => path.relative(dir, l.slice(l.indexOf(' ') + 1))),
  );
}

test('our YARA rules: every sample but the gutted one and every plain shell of ours match; no benign page or stock file does', (t) => {
  if (!yaraAvailable()) return t.skip('the yara program is not installed: YARA rule test skipped');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'exhunt-yara-'));
  try {
    const rules = path.join(tmp, 'rules.yar');
    writeFileSync(rules, decodeAtRest(readFileSync(RULES, 'latin1')));
    const write = (dir: string, name: string, data: string | Buffer) => {
      const p = path.join(tmp, dir, name);
      execFileSync('mkdir', ['-p', path.dirname(p)]);
      writeFileSync(p, typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    };
    for (const f of SHELL_FIXTURES) write('shell', f.name, f.text);
    for (const f of BENIGN_FIXTURES) write('benign', f.name, f.text);
    const tree = new Tree();
    const site = { installRel: 'Program Files/Microsoft/Exchange Server/V15', oabGuid: 'x' } as Site;
    stockWebFiles(tree, site, build('15.02.0721.013'), 0);
    tree.add('inetpub/wwwroot/web.config', wwwrootWebConfig(EOMT_RULES), 0);
    for (const p of tree.paths()) write('stock', p, tree.files.get(p)!.data);

    const shells = matched(rules, path.join(tmp, 'shell'));
    const plain = SHELL_FIXTURES.filter((f) => !OBFUSCATED.has(f.name) && !shells.has(f.name)).map(
      (f) => f.name,
    );
    assert.deepEqual(plain, [], 'plain shells of ours the rules miss');
    assert.deepEqual([...matched(rules, path.join(tmp, 'benign'))], [], 'benign pages matched');
    assert.deepEqual([...matched(rules, path.join(tmp, 'stock'))], [], 'stock files matched');

    if (!existsSync(SAMPLES))
      return t.skip(`../shared/samples/webshells is absent (${SAMPLES}): sample part skipped`);
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) =>
        statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)],
      );
    const hits = matched(rules, SAMPLES);
    const missed = walk(SAMPLES)
      .map((p) => path.relative(SAMPLES, p))
      .filter((p) => !p.endsWith('README.md') && !hits.has(p));
    // WebSniff's page with its code cut out has nothing left to match (see webshell-samples.test.ts).
    assert.deepEqual(missed, ['xl7dev-WebShell/Aspx/Web Sniffer.aspx']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
