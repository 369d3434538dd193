// The single executable's command line (`npm run build:exe`): the commands a responder runs on or next to a
// server (scan, exposure, diff, evtx, watch, and the collector when present), without the fleet server's modules.

import { toolVersion } from '../engine/scan.js';
import { collectorCommand } from './collector.js';
import { diffCommand } from './diff.js';
import { evtxCommand } from './evtx-command.js';
import { exposureCommand } from './exposure.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';
import { scanCommand } from './scan.js';
import { watchCommand } from './watch.js';

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  scan: scanCommand,
  exposure: exposureCommand,
  diff: diffCommand,
  evtx: evtxCommand,
  collector: collectorCommand,
  watch: watchCommand,
};

const HELP = `exhunt ${toolVersion()} (single executable)

  exhunt scan <folder|zip> [options]     scan evidence (a Velociraptor or KAPE collection too)
  exhunt scan C:\\ [options]              on the server itself: a live scan (event logs exported first)
  exhunt exposure <build|host> [options] which CVEs a build is exposed to
  exhunt diff <old.json> <new.json>      what changed between two reports
  exhunt evtx dump <file.evtx>           an event log as JSON
  exhunt collector [-o FILE]             write Collect-Exhunt.ps1, the evidence collector
  exhunt watch [ROOT] --server URL       the monitoring agent (run it as a service)

The fleet server (serve, worker, tokens, intel, upload) is the npm package: npm install -g exhunt.
`;

async function exeMain(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out.write(HELP);
    return name ? EXIT.clean : EXIT.error;
  }
  if (name === 'version' || name === '--version') {
    io.out.write(`exhunt ${toolVersion()}\n`);
    return EXIT.clean;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err.write(`exhunt: "${name}" is not in the single executable\n\n${HELP}`);
    return EXIT.error;
  }
  try {
    return await cmd(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`exhunt ${name}: ${e.message}\n\n${e.help}`);
      return EXIT.error;
    }
    io.err.write(`exhunt ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
}

/** Runs with the process's streams; the launcher calls this once it has unpacked the application. */
export function runExe(argv: string[]): void {
  exeMain(argv, {
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
}
