// `exhunt watch [ROOT]`: the monitoring agent on an Exchange server; options to the agent, signals to stop.

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from '../agent/agent.js';
import type { LiveChannelOptions } from '../agent/live-channels.js';
import { loadPlan } from '../collector/plan.js';
import { isLiveTarget } from '../engine/live.js';
import { toolVersion } from '../engine/scan.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const WATCH_HELP = `Usage: exhunt watch [ROOT] --server URL --token T [--state DIR] [--server-name NAME]

  Follows what the scan reads as it is written (text logs, event logs, web folders) under ROOT (the
  system drive: C:\\ on Windows, / elsewhere), runs the scan's rules on what is new and sends the
  findings to the fleet server, each exactly once as the server sees it. Stops on SIGINT or SIGTERM.

Options:
  --server URL            the fleet server's address
  --token T               an analyst's API token of the server's organisation (or EXHUNT_TOKEN)
  --state DIR             offsets, spool and correlation state (default: ./exhunt-agent)
  --server-name NAME      the name the server shows (default: this computer's name)
  --backlog               on the first start, read the logs already there from their start
  --spool-max-mb N        on-disk spool limit while the server is unreachable (default 256)
  --poll-ms N             how often followed files are read (default 1000)
  --survey-ms N           how often log and web folders are listed for new files (default 5000)
  --heartbeat-ms N        how often the agent reports to the server (default 30000)
  --rules PATH            extra Sigma rule file or folder (repeatable)
  --no-builtin-rules      do not run exhunt's own Sigma rules
  --live                  query the event logs through wevtutil (the default on Windows when ROOT is the
                          system drive: the event log service holds their files)
  --no-live               read the event log folder's EVTX files instead
`;

export async function watchCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      state: { type: 'string' },
      'server-name': { type: 'string' },
      backlog: { type: 'boolean' },
      'spool-max-mb': { type: 'string' },
      'poll-ms': { type: 'string' },
      'survey-ms': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'no-builtin-rules': { type: 'boolean' },
      live: { type: 'boolean' },
      'no-live': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(WATCH_HELP);
    return EXIT.clean;
  }
  if (positionals.length > 1) throw new UsageError('watch takes one root folder at most', WATCH_HELP);
  if (!values.server) throw new UsageError('--server URL is needed', WATCH_HELP);
  const token = values.token ?? process.env.EXHUNT_TOKEN;
  if (!token) throw new UsageError('--token (or EXHUNT_TOKEN) is needed', WATCH_HELP);
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} takes a positive number`, WATCH_HELP);
    return n;
  };
  const root = path.resolve(positionals[0] ?? (process.platform === 'win32' ? 'C:\\' : '/'));
  const spoolMb = num('spool-max-mb', values['spool-max-mb']);
  const pollMs = num('poll-ms', values['poll-ms']);
  const surveyMs = num('survey-ms', values['survey-ms']);
  const heartbeatMs = num('heartbeat-ms', values['heartbeat-ms']);
  const live = liveOptions(values, root);
  const agent = new Agent({
    root,
    stateDir: path.resolve(values.state ?? 'exhunt-agent'),
    serverUrl: values.server,
    token,
    serverName: values['server-name'] ?? os.hostname(),
    toolVersion: toolVersion(),
    ...(values.backlog ? { backlog: true } : {}),
    ...(spoolMb ? { spoolMaxBytes: Math.round(spoolMb * 1024 * 1024) } : {}),
    ...(pollMs ? { pollMs } : {}),
    ...(surveyMs ? { surveyMs } : {}),
    ...(heartbeatMs ? { heartbeatMs } : {}),
    rules: { builtinRules: !values['no-builtin-rules'], rulePaths: values.rules ?? [] },
    ...(live ? { liveEventLogs: live } : {}),
    // Progress and trouble to stderr; the agent writes nothing to stdout.
    log: (line) => io.err.write(`${new Date().toISOString()} ${line}\n`),
  });
  const stop = () => agent.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  io.err.write(
    `exhunt watch: agent ${agent.agentId} watching ${root}${live ? ` (event logs through ${live.program ?? 'wevtutil'})` : ''}, sending to ${values.server}\n`,
  );
  await agent.run();
  return EXIT.clean;
}

/**
 * Event logs through wevtutil when asked, or on Windows when ROOT is the system drive (as a live scan).
 * EXHUNT_WEVTUTIL names another program than wevtutil (tests hand in a fake).
 */
function liveOptions(
  v: { live?: boolean; 'no-live'?: boolean },
  root: string,
): LiveChannelOptions | undefined {
  if (v.live && v['no-live']) throw new UsageError('--live and --no-live exclude each other', WATCH_HELP);
  if (v['no-live'] || !(v.live || isLiveTarget(root))) return undefined;
  const program = process.env['EXHUNT_WEVTUTIL'];
  return { channels: loadPlan().eventLogs.map((l) => l.channel), ...(program ? { program } : {}) };
}
