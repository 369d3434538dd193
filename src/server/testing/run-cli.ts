// Test-only entry point: runs one fleet command in a child process (main.ts wires them for users).

import { serveCommand } from '../../cli/serve.js';
import { tokensCommand } from '../../cli/tokens.js';
import { workerCommand } from '../../cli/worker.js';

const COMMANDS = { serve: serveCommand, worker: workerCommand, tokens: tokensCommand };
const [name, ...args] = process.argv.slice(2);
const cmd = COMMANDS[name as keyof typeof COMMANDS];
if (!cmd) throw new Error(`unknown command ${name}`);
const io = { out: process.stdout, err: process.stderr, outIsTty: false, errIsTty: false };
cmd(args, io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 2;
  },
);
