// The committed WebAssembly module must be what wasm/linescan.c compiles to (needs clang and wasm-ld).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'node:test';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const missing = ['clang', 'wasm-ld'].filter((c) => !has(c));

test(
  'src/sources/text/linescan-wasm.ts is built from wasm/linescan.c',
  { skip: missing.length > 0 ? `${missing.join(' and ')} not installed (Debian: clang, lld)` : false },
  () => {
    const r = spawnSync(process.execPath, ['wasm/build.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  },
);
