// `npm run build` ends here: the command line bundled into dist/bundle (one chunk per command, split at the
// command table's dynamic imports), so that `exhunt scan` starts by reading a few files instead of about 280
// ES modules (measured: start-up of a scan of an empty folder from 0.45 s to 0.2 s of CPU).
// dist/src/cli/bin.js runs this bundle when it is at least as new as dist/src/cli/main.js, else the modules.
// Worker threads still start from dist/src (their script's URL resolves there), and so do the tests that
// import modules; the fleet server's dependencies stay in node_modules.

import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { keepImportMetaUrl, NATIVE_EXTERNALS } from './esbuild-urls.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const OUT = path.join(ROOT, 'dist/bundle');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [path.join(ROOT, 'dist/src/cli/main.js')],
  outdir: OUT,
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // The fleet server's stack is loaded only by serve and worker: left to node_modules as it is.
  external: [...NATIVE_EXTERNALS, 'fastify', '@fastify/*', 'kysely', 'nodemailer'],
  // dist/bundle/x.js -> the package root, where dist/src, rules, data and schema are.
  banner: {
    js: [
      "import { createRequire as __exhuntRequire } from 'node:module';",
      "import { fileURLToPath as __exhuntPath, pathToFileURL as __exhuntFileUrl } from 'node:url';",
      'const require = __exhuntRequire(import.meta.url);',
      "const __exhuntRoot = __exhuntPath(new URL('../../', import.meta.url));",
      'const __exhuntUrl = (p) => __exhuntFileUrl(__exhuntRoot + p).href;',
    ].join('\n'),
  },
  plugins: [keepImportMetaUrl(ROOT)],
});
