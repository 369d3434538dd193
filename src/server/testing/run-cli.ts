// Test-only entry point: runs one fleet command in a child process (main.ts wires them for users), or
// `paused-worker MARKER (--database URL | --data DIR)`: a worker that, inside its first ingest transaction,
// writes MARKER and then waits forever, so that a test can kill it at the worst moment for real.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { serveCommand } from '../../cli/serve.js';
import { tokensCommand } from '../../cli/tokens.js';
import { workerCommand } from '../../cli/worker.js';
import { startWorker } from '../runtime.js';

async function pausedWorker(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { database: { type: 'string' }, data: { type: 'string' } },
  });
  const marker = positionals[0];
  if (!marker) throw new Error('paused-worker MARKER (--database URL | --data DIR)');
  await startWorker({
    dataDir: values.data ?? 'exhunt-worker',
    ...(values.database ? { database: values.database } : {}),
    concurrency: 1,
    threads: 0,
    log: (line) => process.stderr.write(`${line}\n`),
    beforeCommit: async () => {
      await writeFile(marker, String(process.pid));
      await new Promise<void>(() => setInterval(() => undefined, 60_000));
    },
  });
  await new Promise<void>(() => setInterval(() => undefined, 60_000));
  return 0;
}

const COMMANDS = {
  serve: serveCommand,
  worker: workerCommand,
  tokens: tokensCommand,
  'paused-worker': pausedWorker,
};
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
