// `exhunt worker`: runs analysis jobs (scan uploaded bundles) from the shared database.

import { parseArgs } from 'node:util';
import { startWorker } from '../server/runtime.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { count, untilSignal } from './serve.js';

export const WORKER_HELP = `Usage: exhunt worker --database postgres://… [options]

  Runs analysis jobs: any number of workers on any number of machines share one PostgreSQL database.
  A worker killed mid-job leaves nothing behind; the job runs again and its scan appears once.

Options:
  --database URL          the fleet server's PostgreSQL database
  --data DIR              instead of --database: a SQLite fleet folder on this machine
  --concurrency N         jobs at once (default 1)
  --threads N             scan threads per job (default: one per core)
  --max-inflated-mb N     most one bundle may inflate to in all (default 65536; a bundle is also held
                          to 200 times its own size, so a small zip bomb stops early)
`;

export async function workerCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      database: { type: 'string' },
      data: { type: 'string' },
      concurrency: { type: 'string' },
      threads: { type: 'string' },
      'max-inflated-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(WORKER_HELP);
    return EXIT.clean;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, WORKER_HELP);
  if (!values.database && !values.data)
    throw new UsageError('give --database postgres://… (or --data DIR)', WORKER_HELP);
  const concurrency = count(values.concurrency, '--concurrency', WORKER_HELP) ?? 1;
  if (concurrency < 1) throw new UsageError('--concurrency must be at least 1', WORKER_HELP);
  const threads = count(values.threads, '--threads', WORKER_HELP);
  const inflatedMb = count(values['max-inflated-mb'], '--max-inflated-mb', WORKER_HELP);
  const log = (line: string) => io.err.write(`${line}\n`);
  const worker = await startWorker({
    // PostgreSQL workers need a local folder only for the bundle being scanned.
    dataDir: values.data ?? 'exhunt-worker',
    ...(values.database ? { database: values.database } : {}),
    concurrency,
    log,
    ...(threads !== undefined ? { threads } : {}),
    ...(inflatedMb !== undefined ? { maxInflatedBytes: inflatedMb * 1024 * 1024 } : {}),
  });
  log(
    `exhunt: worker running ${concurrency} job(s) at once (${worker.store.dialect}: ${worker.store.where})`,
  );
  const sig = await untilSignal();
  log(`exhunt: ${sig}: finishing the running job(s)`);
  await worker.close();
  return EXIT.clean;
}
