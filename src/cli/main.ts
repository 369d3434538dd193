// exhunt's command line: picks the command and maps errors to exit codes; the commands hold no logic.

import { toolVersion } from '../engine/version.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

const HELP = `exhunt: incident response for on-premises Microsoft Exchange servers

Usage: exhunt <command> [options]

Commands:
  scan <evidence>         offline triage of a disk image, collected folder or .zip bundle
  rules lint|test DIR...  check Sigma rule packs; run rule tests
  collector               write Collect-Exhunt.ps1, which gathers the evidence on live servers
  diff OLD.json NEW.json  what is gone, what remains, what is new since an earlier scan
  evtx dump FILE|DIR...   every record of EVTX files as one JSON object per line
  exposure                which CVEs a build is exposed to: --build VERSION, or URLs/hosts over HTTPS
  serve                   the fleet server and dashboard: --data DIR (SQLite) or --database postgres://...
  worker                  run analysis jobs for a PostgreSQL-backed fleet server
  tokens create           print an API token: --org NAME --role ROLE
  intel push|export       indicator feeds to a fleet server; what the fleet saw as STIX 2.1 or CSV
  retrohunt               run a feed or rule pack again over what a fleet server holds
  upload REPORT.json      send a saved scan report to a fleet server
  watch [ROOT]            the monitoring agent: follows logs as written, findings to a fleet server
  help [command]          this text, or a command's options
  version                 print the version

Exit codes: 0 clean, 1 attempted, 3 exploited, 4 compromised, 5 inconclusive, 2 error.
`;

type Command = (argv: string[], io: Io) => Promise<number>;

// Loaded on use: a scan does not pay for the fleet server's modules (Fastify, database drivers, mail).
const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./scan.js')).scanCommand,
  exposure: async () => (await import('./exposure.js')).exposureCommand,
  evtx: async () => (await import('./evtx-command.js')).evtxCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  rules: async () => (await import('./rules.js')).rulesCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  worker: async () => (await import('./worker.js')).workerCommand,
  tokens: async () => (await import('./tokens.js')).tokensCommand,
  intel: async () => (await import('./intel.js')).intelCommand,
  retrohunt: async () => (await import('./retrohunt.js')).retrohuntCommand,
  upload: async () => (await import('./upload.js')).uploadCommand,
  collector: async () => (await import('./collector.js')).collectorCommand,
  watch: async () => (await import('./watch.js')).watchCommand,
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const sub = name === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
    if (sub) return (await sub())(['--help'], io);
    io.out.write(HELP);
    return name ? EXIT.clean : EXIT.error;
  }
  if (name === 'version' || name === '--version') {
    io.out.write(`exhunt ${toolVersion()}\n`);
    return EXIT.clean;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err.write(`exhunt: unknown command "${name}"\n\n${HELP}`);
    return EXIT.error;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err.write(`exhunt ${name}: ${e.message}\n\n${e.help}`);
      return EXIT.error;
    }
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      io.err.write(`exhunt ${name}: ${(e as Error).message}\n`);
      return EXIT.error;
    }
    io.err.write(`exhunt ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
}
