// The command table: every command's name, one-line summary, sub-commands and (loaded on use) its code and
// help text. The top-level help, `exhunt help COMMAND` and the shell completions are all made from it.

import { COMPLETION_SHELLS } from './completion.js';
import type { CommandSpec } from './command-spec.js';

export type { Command, CommandSpec } from './command-spec.js';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'scan',
    synopsis: 'scan <evidence>',
    summary: 'offline triage of a disk image, collected folder or .zip bundle',
    load: async () => {
      const m = await import('./scan.js');
      return { run: m.scanCommand, help: m.SCAN_HELP };
    },
  },
  {
    name: 'rules',
    synopsis: 'rules lint|test DIR...',
    summary: 'check Sigma rule packs; run rule tests',
    subcommands: ['lint', 'test'],
    load: async () => {
      const m = await import('./rules.js');
      return { run: m.rulesCommand, help: m.RULES_HELP };
    },
  },
  {
    name: 'collector',
    synopsis: 'collector',
    summary: 'write Collect-Exhunt.ps1, which gathers the evidence on live servers',
    load: async () => {
      const m = await import('./collector.js');
      return { run: m.collectorCommand, help: m.COLLECTOR_HELP };
    },
  },
  {
    name: 'diff',
    synopsis: 'diff OLD.json NEW.json',
    summary: 'what is gone, what remains, what is new since an earlier scan',
    load: async () => {
      const m = await import('./diff.js');
      return { run: m.diffCommand, help: m.DIFF_HELP };
    },
  },
  {
    name: 'evtx',
    synopsis: 'evtx dump FILE|DIR...',
    summary: 'every record of EVTX files as one JSON object per line',
    subcommands: ['dump'],
    load: async () => {
      const m = await import('./evtx-command.js');
      return { run: m.evtxCommand, help: m.EVTX_HELP };
    },
  },
  {
    name: 'exposure',
    synopsis: 'exposure',
    summary: 'which CVEs a build is exposed to: --build VERSION, or URLs/hosts over HTTPS',
    load: async () => {
      const m = await import('./exposure.js');
      return { run: m.exposureCommand, help: m.EXPOSURE_HELP };
    },
  },
  {
    name: 'serve',
    synopsis: 'serve',
    summary: 'the fleet server and dashboard: --data DIR (SQLite) or --database postgres://...',
    load: async () => {
      const m = await import('./serve.js');
      return { run: m.serveCommand, help: m.SERVE_HELP };
    },
  },
  {
    name: 'worker',
    synopsis: 'worker',
    summary: 'run analysis jobs for a PostgreSQL-backed fleet server',
    load: async () => {
      const m = await import('./worker.js');
      return { run: m.workerCommand, help: m.WORKER_HELP };
    },
  },
  {
    name: 'tokens',
    synopsis: 'tokens create',
    summary: 'print an API token: --org NAME --role ROLE',
    subcommands: ['create', 'list', 'revoke'],
    load: async () => {
      const m = await import('./tokens.js');
      return { run: m.tokensCommand, help: m.TOKENS_HELP };
    },
  },
  {
    name: 'intel',
    synopsis: 'intel push|export',
    summary: 'indicator feeds to a fleet server; what the fleet saw as STIX 2.1 or CSV',
    subcommands: ['push', 'export'],
    load: async () => {
      const m = await import('./intel.js');
      return { run: m.intelCommand, help: m.INTEL_HELP };
    },
  },
  {
    name: 'upload',
    synopsis: 'upload REPORT.json',
    summary: 'send a saved scan report to a fleet server',
    load: async () => {
      const m = await import('./upload.js');
      return { run: m.uploadCommand, help: m.UPLOAD_HELP };
    },
  },
  {
    name: 'retrohunt',
    synopsis: 'retrohunt',
    summary: 'run a feed or rule pack again over what a fleet server holds',
    load: async () => {
      const m = await import('./retrohunt.js');
      return { run: m.retrohuntCommand, help: m.RETROHUNT_HELP };
    },
  },
  {
    name: 'watch',
    synopsis: 'watch [ROOT]',
    summary: 'the monitoring agent: follows logs as written, findings to a fleet server',
    load: async () => {
      const m = await import('./watch.js');
      return { run: m.watchCommand, help: m.WATCH_HELP };
    },
  },
  {
    name: 'completion',
    synopsis: 'completion bash|powershell',
    summary: 'print a shell completion script for exhunt',
    subcommands: COMPLETION_SHELLS,
    load: async () => {
      const m = await import('./completion.js');
      const { toolVersion } = await import('../engine/version.js');
      return {
        run: (argv, io) => m.completionCommand(argv, io, COMMANDS, toolVersion()),
        help: m.COMPLETION_HELP,
      };
    },
  },
  {
    name: 'version',
    synopsis: 'version',
    summary: 'the version, report schema version, database migration level and Node.js version',
    load: async () => {
      const m = await import('./version.js');
      return { run: m.versionCommand, help: m.VERSION_HELP };
    },
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
