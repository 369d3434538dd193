#!/usr/bin/env node
// The `exhunt` executable: runs the command line with the process's streams and sets the exit code.

import { EXIT } from './io.js';
import { main } from './main.js';

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
