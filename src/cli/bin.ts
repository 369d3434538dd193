#!/usr/bin/env node
// The `exhunt` executable: runs the command line with the process's streams and sets the exit code.

import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXIT } from './io.js';
import type * as Main from './main.js';

/**
 * The bundled command line (dist/bundle, written by `npm run build`) starts in half the time of the ~280
 * modules it is made of. It is used only when it is at least as new as main.js here, so a `tsc` run after
 * the last bundle runs the fresh modules, never a stale bundle (installed packages give both one date).
 */
function bundled(): string | undefined {
  const bundle = fileURLToPath(new URL('../../bundle/main.js', import.meta.url));
  const own = fileURLToPath(new URL('./main.js', import.meta.url));
  const b = fs.statSync(bundle, { throwIfNoEntry: false });
  const m = fs.statSync(own, { throwIfNoEntry: false });
  return b && m && b.mtimeMs >= m.mtimeMs && process.env.EXHUNT_NO_BUNDLE !== '1' ? bundle : undefined;
}

const bundle = bundled();
const { main } = (
  bundle ? await import(pathToFileURL(bundle).href) : await import('./main.js')
) as typeof Main;

main(process.argv.slice(2), {
  out: process.stdout,
  err: process.stderr,
  outIsTty: process.stdout.isTTY === true,
  errIsTty: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`exhunt: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = EXIT.error;
  },
);
