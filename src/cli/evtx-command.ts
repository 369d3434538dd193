// `exhunt evtx <subcommand>`: argv for the EVTX tools (today: dump).

import { parseArgs } from 'node:util';
import { evtxDumpCommand } from './evtx.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const EVTX_HELP = `Usage: exhunt evtx dump FILE|DIR... [--threads N]

  Writes every record of every EVTX file given (folders are searched for *.evtx, links not followed)
  as one JSON object per line on stdout, in the shape of evtx_dump's JSON output. Damaged chunks and
  records are reported on stderr as path@offset with a problem code; the rest is still written. A
  named pipe is read as a stream (a writer has 10 s to open it); devices are refused.

  A record whose JSON would exceed 4 MiB, whose chunk's records together would exceed 16 MiB, or that
  nests more than 64 levels is reported (limit.evtx-expansion, limit.evtx-depth) and left out.

  Exit codes: 0 all read cleanly, 1 something was damaged or unreadable, 2 a path is missing or bad usage.
`;

export async function evtxCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out.write(EVTX_HELP);
    return sub ? EXIT.clean : EXIT.error;
  }
  if (sub !== 'dump') throw new UsageError(`unknown evtx subcommand "${sub}"`, EVTX_HELP);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { threads: { type: 'string' } },
  });
  if (positionals.length === 0)
    throw new UsageError('evtx dump needs at least one file or folder', EVTX_HELP);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1))
    throw new UsageError(`--threads needs a whole number, got "${values.threads}"`, EVTX_HELP);
  return evtxDumpCommand(positionals, { out: io.out, err: io.err, ...(threads ? { threads } : {}) });
}
