#!/usr/bin/env node
// CI check of the npm package as a new user gets it: `npm pack`, then `npm install -g` of the tarball into an
// empty prefix, and from an unrelated folder: `exhunt --version`, `exhunt scan` of the compromised example
// (verdict and exit code), `exhunt completion bash`, and `exhunt serve` answering its health check and
// serving the dashboard. Needs `npm run build` first (the tarball is packed from dist/ and web/dist/).
//
//   node scripts/check-package.mjs [--keep]     (--keep leaves the temporary folder for a look)
//
// Progress and timings go to stderr; exits non-zero with the step that failed.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const keep = process.argv.includes('--keep');
const log = (s) => process.stderr.write(`check-package: ${s}\n`);

function fail(step, detail) {
  log(`FAILED: ${step}${detail ? `\n${detail}` : ''}`);
  process.exit(1);
}

for (const built of ['dist/src/cli/bin.js', 'web/dist/index.html', 'dist/examples/generate.js'])
  if (!existsSync(path.join(ROOT, built))) fail(`${built} is missing`, 'run `npm run build` first');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'exhunt-package-'));
const timings = {};
async function step(name, fn) {
  const t0 = performance.now();
  try {
    return await fn();
  } catch (e) {
    fail(name, e instanceof Error ? `${e.message}\n${e.stderr ?? ''}` : String(e));
  } finally {
    timings[name] = Number(((performance.now() - t0) / 1000).toFixed(1));
  }
}

// 1. The tarball and what is in it. --ignore-scripts: this script checks what was built, it does not build.
const tarball = await step('npm pack', () => {
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out);
  const files = new Set(info.files.map((f) => f.path));
  const need = [
    'package.json',
    'dist/src/cli/bin.js',
    'web/dist/index.html',
    'schema/report.schema.json',
    'data/collect.json',
    'data/exchange-builds.json',
    'data/sigma/mapping.yml',
  ];
  for (const f of need) if (!files.has(f)) throw new Error(`the package lacks ${f}`);
  if (![...files].some((f) => f.startsWith('rules/') && f.endsWith('.yml')))
    throw new Error('the package has no Sigma rules');
  const tests = [...files].filter((f) => /\.test\.js(\.map)?$/.test(f));
  if (tests.length) throw new Error(`the package carries tests: ${tests.slice(0, 3).join(', ')} ...`);
  const bin = readFileSync(path.join(ROOT, pkg.bin.exhunt), 'utf8');
  if (!bin.startsWith('#!/usr/bin/env node\n')) throw new Error(`${pkg.bin.exhunt} has no node shebang`);
  log(
    `${info.filename}: ${info.entryCount} files, ${(info.size / 1e6).toFixed(1)} MB packed, ${(info.unpackedSize / 1e6).toFixed(1)} MB unpacked`,
  );
  return path.join(tmp, info.filename);
});

// 2. A global install into an empty prefix, as `npm install -g` does on a clean machine.
const prefix = path.join(tmp, 'prefix');
await step('npm install -g', () => {
  execFileSync(npm, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
});
const exe = path.join(prefix, 'bin', 'exhunt');
if (!existsSync(exe)) fail('install', `${exe} was not created`);
const work = path.join(tmp, 'work');
const run = (args, opts = {}) =>
  execFileSync(exe, args, { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

// 3. The installed command, from a folder that is not the repository.
await step('exhunt --version', () => {
  const out = run(['--version']);
  if (!out.startsWith(`exhunt ${pkg.version}\n`)) throw new Error(`unexpected --version output:\n${out}`);
  log(out.trim().replace(/\n/g, '; '));
});
await step('exhunt completion bash', () => {
  if (!run(['completion', 'bash']).includes('complete -o default -F _exhunt_complete exhunt'))
    throw new Error('no completion function registered');
});

// 4. A scan of the compromised example: exit code 4 and the verdict in the JSON report.
await step('exhunt scan', () => {
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'dist/examples/generate.js'), work, '--scenario', 'compromised'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const json = path.join(tmp, 'report.json');
  let code = 0;
  try {
    run(['scan', path.join(work, 'compromised'), '--json', json, '--quiet', '--threads', '2']);
  } catch (e) {
    code = e.status ?? -1;
  }
  const report = JSON.parse(readFileSync(json, 'utf8'));
  if (code !== 4 || report.verdict !== 'compromised')
    throw new Error(`expected exit 4 and verdict compromised, got exit ${code} and ${report.verdict}`);
  log(`scan: ${report.verdict}, ${report.findings.length} findings, tool ${report.tool.version}`);
});

// 5. The fleet server on SQLite: its health check, and the dashboard from web/dist.
await step('exhunt serve', async () => {
  const server = spawn(
    exe,
    ['serve', '--data', path.join(tmp, 'data'), '--listen', '127.0.0.1:0', '--threads', '1'],
    {
      cwd: tmp,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start in 60 s:\n${err}`)), 60_000);
      server.stderr.on('data', (c) => {
        err += c.toString();
        const m = /fleet server on (http:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      server.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${err}`)));
    });
    const health = await (await fetch(`${url}/api/v1/health`)).json();
    if (health.ok !== true || health.version !== pkg.version)
      throw new Error(`health: ${JSON.stringify(health)}`);
    const page = await fetch(`${url}/`);
    const html = await page.text();
    if (page.status !== 200 || !/<div id="root">/.test(html)) throw new Error(`dashboard: ${page.status}`);
    log(`serve: ${JSON.stringify(health)} (${/\(sqlite: [^)]*\)/.exec(err)?.[0] ?? ''}), dashboard served`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  }
});

log(`passed; seconds per step: ${JSON.stringify(timings)}`);
if (keep) log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true });
