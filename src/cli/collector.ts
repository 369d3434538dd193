// `exhunt collector`: writes Collect-Exhunt.ps1, the script that gathers the evidence on a live server.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadPlan } from '../collector/plan.js';
import { collectorScript } from '../collector/script.js';
import { velociraptorArtifact } from '../collector/velociraptor.js';
import { toolVersion } from '../engine/scan.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const COLLECTOR_HELP = `Usage: exhunt collector [--since DATE] [--upload URL --token T] [--max-gb N] [-o FILE]
       exhunt collector --velociraptor [-o FILE]

  Writes Collect-Exhunt.ps1 (to standard output unless -o) from data/collect.json: run it as
  administrator on an Exchange server, or on every server with
      Get-ExchangeServer | .\\Collect-Exhunt.ps1
  It writes one zip per server with manifest.json (paths, sizes, UTC times, SHA-256 of every file, what
  was skipped and why, operator, host): scan it with exhunt scan, which verifies the manifest.

Options:
  --since DATE     skip logs last written before DATE (ISO-8601, UTC); event logs are exported from DATE
  --max-gb N       stop copying at N GB per server (default from data/collect.json)
  --upload URL     send each bundle to this fleet server in resumable chunks
  --token T        the API token for --upload (written into the script: prefer -Token at run time)
  -o, --output F   write the script to F
  --velociraptor   write the Velociraptor artifact Exchange.Exhunt.Collect (YAML) instead: the same list,
                   for teams that collect with Velociraptor (its collection zip is exhunt evidence)
`;

export async function collectorCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      'max-gb': { type: 'string' },
      upload: { type: 'string' },
      token: { type: 'string' },
      output: { type: 'string', short: 'o' },
      velociraptor: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(COLLECTOR_HELP);
    return EXIT.clean;
  }
  if (positionals.length) throw new UsageError('collector takes no arguments', COLLECTOR_HELP);
  if (values.velociraptor) {
    // The artifact takes its own parameters at collection time; the script's options do not apply.
    if (values.since || values['max-gb'] || values.upload || values.token)
      throw new UsageError('--velociraptor takes only -o', COLLECTOR_HELP);
    return emit(velociraptorArtifact(loadPlan()), values.output, io);
  }
  const since = values.since === undefined ? undefined : parseSince(values.since);
  const maxGB = values['max-gb'] === undefined ? undefined : Number(values['max-gb']);
  if (maxGB !== undefined && !(maxGB > 0 && maxGB < 1e6))
    throw new UsageError('--max-gb takes a positive number', COLLECTOR_HELP);
  if (values.upload !== undefined && !/^https?:\/\/[!-~]+$/.test(values.upload))
    throw new UsageError('--upload takes an http(s) URL', COLLECTOR_HELP);
  if (values.token !== undefined && !/^[!-~]+$/.test(values.token))
    throw new UsageError('--token takes printable ASCII', COLLECTOR_HELP);
  const script = collectorScript(loadPlan(), {
    version: toolVersion(),
    ...(since ? { since } : {}),
    ...(maxGB ? { maxGB } : {}),
    ...(values.upload ? { uploadUrl: values.upload } : {}),
    ...(values.token ? { token: values.token } : {}),
  });
  return emit(script, values.output, io);
}

async function emit(text: string, output: string | undefined, io: Io): Promise<number> {
  if (output) {
    await writeFile(output, text);
    io.err.write(`exhunt collector: wrote ${output}\n`);
  } else io.out.write(text);
  return EXIT.clean;
}

/** `2023-01-31` or a full ISO-8601 time, as UTC ISO-8601. */
function parseSince(s: string): string {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t))
    throw new UsageError(`--since takes an ISO-8601 date, not ${JSON.stringify(s)}`, COLLECTOR_HELP);
  return new Date(t).toISOString();
}
