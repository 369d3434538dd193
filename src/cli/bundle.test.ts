// The bundled command line (dist/bundle, which bin.js runs) says what the modules say: same version, same
// report of a compromised server, same refusal of bad usage.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ScanReport } from '../core/report.js';
import { generate } from './golden-kit.js';

const BIN = fileURLToPath(new URL('./bin.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../bundle/main.js', import.meta.url));
const skip = fs.existsSync(BUNDLE)
  ? false
  : 'dist/bundle is written by `npm run build` (scripts/bundle-cli.mjs); not built here';

function run(args: string[], bundle: boolean) {
  const env = { ...process.env, EXHUNT_NO_BUNDLE: bundle ? '0' : '1' };
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** What must be equal in two reports of the same evidence (times and the run's own figures left out). */
function essence(r: ScanReport) {
  return {
    verdict: r.verdict,
    findings: r.findings.map((f) => [f.id, f.rule.id, f.outcome, f.severity, f.evidence[0]?.path]),
    webshells: r.webshells.map((w) => w.path),
    problems: r.problems.map((p) => [p.code, p.path]),
    rules: r.rules.loaded,
  };
}

test('the bundle and the modules print the same version and refuse the same bad usage', { skip }, () => {
  const a = run(['version'], true);
  const b = run(['version'], false);
  assert.equal(a.status, 0);
  assert.equal(a.stdout, b.stdout);
  const c = run(['scan', '--no-such-flag', 'x'], true);
  const d = run(['scan', '--no-such-flag', 'x'], false);
  assert.equal(c.status, 2);
  assert.equal(c.stderr, d.stderr);
});

test('the bundle and the modules give the same report of a compromised server', { skip }, async () => {
  const dir = await generate('compromised');
  try {
    const out = (name: string) => path.join(path.dirname(dir), name);
    const a = run(['scan', dir, '--json', out('bundle.json')], true);
    const b = run(['scan', dir, '--json', out('modules.json')], false);
    assert.equal(a.status, 4, a.stderr);
    assert.equal(b.status, 4, b.stderr);
    const ra = JSON.parse(fs.readFileSync(out('bundle.json'), 'utf8')) as ScanReport;
    const rb = JSON.parse(fs.readFileSync(out('modules.json'), 'utf8')) as ScanReport;
    assert.ok(ra.findings.length > 0);
    assert.deepEqual(essence(ra), essence(rb));
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
