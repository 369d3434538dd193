// `exhunt serve`: the fleet server, on SQLite in a data folder by default or on PostgreSQL.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startServer } from '../server/runtime.js';
import { DEFAULT_TRIAGE } from '../core/triage.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const SERVE_HELP = `Usage: exhunt serve [options]

  Runs the fleet server: scan reports and evidence bundles from many Exchange servers, per organisation.
  The first start creates the administrator "admin" and prints its password once (stderr).

Options:
  --data DIR              data folder: the SQLite database, uploads, bundles (default ./exhunt-data)
  --database URL          postgres://… instead of SQLite; run \`exhunt worker\` processes for analysis
  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080)
  --workers N             analysis jobs run in this process (default 1 on SQLite, 0 on PostgreSQL)
  --threads N             scan threads per job (default: one per core)
  --max-inflated-mb N     most one bundle may inflate to in all (default 65536; a bundle is also held
                          to 200 times its own size, so a small zip bomb stops early)
  --max-bundle-mb N       largest evidence bundle accepted (default 16384)
  --secure-cookies        mark the session cookie Secure (behind a TLS-terminating proxy)
  --tls-cert FILE         serve HTTPS with this certificate (PEM, the chain after it); needs --tls-key
  --tls-key FILE          the certificate's private key (PEM); keep it readable by this user only
  --active-days N         triage: attacker activity this recent weighs as "active" (default 7)
`;

function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new UsageError(`--listen wants HOST:PORT, got "${s}"`, SERVE_HELP);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function count(v: string | undefined, name: string, help: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} wants a whole number, got "${v}"`, help);
  return n;
}

/** The certificate and key of built-in TLS: both or neither, read once at start. */
async function readTls(
  cert: string | undefined,
  key: string | undefined,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined)
    throw new UsageError('--tls-cert and --tls-key go together', SERVE_HELP);
  const read = async (file: string, flag: string) => {
    try {
      return await readFile(file);
    } catch (e) {
      throw new UsageError(`${flag}: cannot read ${file}: ${(e as Error).message}`, SERVE_HELP);
    }
  };
  return { cert: await read(cert, '--tls-cert'), key: await read(key, '--tls-key') };
}

/** Resolves when the process is asked to stop (Ctrl-C, or a service manager's SIGTERM). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (sig: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(sig);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      database: { type: 'string' },
      listen: { type: 'string' },
      workers: { type: 'string' },
      threads: { type: 'string' },
      'max-inflated-mb': { type: 'string' },
      'max-bundle-mb': { type: 'string' },
      'secure-cookies': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'active-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(SERVE_HELP);
    return EXIT.clean;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, SERVE_HELP);
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:8080');
  const workers = count(values.workers, '--workers', SERVE_HELP);
  const threads = count(values.threads, '--threads', SERVE_HELP);
  const inflatedMb = count(values['max-inflated-mb'], '--max-inflated-mb', SERVE_HELP);
  const maxMb = count(values['max-bundle-mb'], '--max-bundle-mb', SERVE_HELP);
  const activeDays = count(values['active-days'], '--active-days', SERVE_HELP);
  if (activeDays === 0) throw new UsageError('--active-days wants at least 1', SERVE_HELP);
  const tls = await readTls(values['tls-cert'], values['tls-key']);
  const log = (line: string) => io.err.write(`${line}\n`);
  const running = await startServer({
    dataDir: values.data ?? 'exhunt-data',
    ...(values.database ? { database: values.database } : {}),
    host,
    port,
    log,
    ...(workers !== undefined ? { workers } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(inflatedMb !== undefined ? { maxInflatedBytes: inflatedMb * 1024 * 1024 } : {}),
    ...(maxMb !== undefined ? { maxBundleBytes: maxMb * 1024 * 1024 } : {}),
    ...(values['secure-cookies'] ? { secureCookies: true } : {}),
    ...(tls ? { tls } : {}),
    ...(activeDays !== undefined ? { triage: { ...DEFAULT_TRIAGE, activeDays } } : {}),
  });
  log(
    `exhunt: fleet server on ${running.url} (${running.backend.store.dialect}: ${running.backend.store.where})`,
  );
  const sig = await untilSignal();
  log(`exhunt: ${sig}: stopping`);
  await running.close();
  return EXIT.clean;
}
