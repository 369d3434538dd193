// `exhunt intel push|export`: indicator feeds to a fleet server, and what the fleet saw back as STIX or CSV.

import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatLocation } from '../core/problem.js';
import { safeTerminal } from '../report/escape.js';
import { exportIntel, pushFeed, UploadError } from '../server/client.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const INTEL_HELP = `Usage:
  exhunt intel push FILE --server URL --token T [--name NAME] [--shared | --org ORG]
                    [--retrohunt [--since TIME] [--until TIME]]
  exhunt intel export --server URL --token T --format stix|csv [-o FILE] [--org ORG] [--since TIME]

  push      uploads an indicator feed (STIX 2.1 bundle, MISP event, exhunt list, CSV or text list) to a
            fleet server, whose workers then match it in every bundle of your organisation they analyse.
            The server parses it at once and says how many indicators loaded and what it could not read
            (file:line); a feed where nothing loads is refused. Analysts push for their organisation;
            administrators push with --org ORG, or --shared for every organisation.
  export    what the fleet saw in your organisation (administrators: every one, or --org) as a STIX 2.1
            bundle (indicators and sightings, for a CERT) or CSV, to stdout or -o FILE.

Options:
  --server URL   the fleet server (http://HOST:PORT)
  --token T      API token (or the EXHUNT_TOKEN environment variable)
  --name NAME    what findings call the feed (default: the file's name)
  --since TIME   export only what was last seen at or after this UTC ISO-8601 time
  --retrohunt    push: also run the feed at once over what the fleet already holds (a retro-hunt, with
                 --since/--until as its time range; follow it with exhunt retrohunt --show ID)
  --until TIME   push --retrohunt: matches at or before this UTC ISO-8601 time

Exit codes: 0 = done; 1 = the server refused; 2 = usage error or the server could not be reached.
`;

export async function intelCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string' },
      shared: { type: 'boolean' },
      org: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      since: { type: 'string' },
      until: { type: 'string' },
      retrohunt: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(INTEL_HELP);
    return EXIT.clean;
  }
  const [action, ...rest] = positionals;
  if (action !== 'push' && action !== 'export') throw new UsageError('push or export?', INTEL_HELP);
  const token = values.token ?? process.env.EXHUNT_TOKEN;
  if (!values.server) throw new UsageError('give --server URL', INTEL_HELP);
  if (!token) throw new UsageError('give --token T (or EXHUNT_TOKEN)', INTEL_HELP);
  try {
    if (action === 'push') {
      if (rest.length !== 1) throw new UsageError('push takes one feed file', INTEL_HELP);
      if (values.shared && values.org !== undefined)
        throw new UsageError('--shared feeds belong to no organisation: leave out --org', INTEL_HELP);
      const file = rest[0] as string;
      const f = await pushFeed(values.server, token, await readFile(file), {
        name: values.name ?? basename(file),
        ...(values.shared ? { shared: true } : {}),
        ...(values.org !== undefined ? { org: values.org } : {}),
        ...(values.retrohunt
          ? {
              retrohunt: {
                ...(values.since !== undefined ? { since: values.since } : {}),
                ...(values.until !== undefined ? { until: values.until } : {}),
              },
            }
          : {}),
      });
      io.out.write(`${f.id}\n`);
      if (f.retrohunt !== undefined)
        io.err.write(
          `exhunt intel: retro-hunt ${f.retrohunt} started: exhunt retrohunt --show ${f.retrohunt} --wait\n`,
        );
      io.err.write(
        `exhunt intel: feed ${f.id} "${safeTerminal(f.name)}" (${f.format}${f.shared ? ', shared' : ''}): ${f.indicators} indicator(s), ${f.problemCount} problem(s)${f.duplicate ? '; already on the server' : ''}\n`,
      );
      writeProblems(io, f.problems);
      return EXIT.clean;
    }
    if (rest.length > 0) throw new UsageError('export takes no file: use -o FILE', INTEL_HELP);
    if (values.format !== 'stix' && values.format !== 'csv')
      throw new UsageError('--format stix or --format csv', INTEL_HELP);
    const out = await exportIntel(values.server, token, values.format, {
      ...(values.org !== undefined ? { org: values.org } : {}),
      ...(values.since !== undefined ? { since: values.since } : {}),
    });
    if (values.output && values.output !== '-') await writeFile(values.output, out.body);
    else io.out.write(out.body.endsWith('\n') ? out.body : `${out.body}\n`);
    if (out.truncated)
      io.err.write('exhunt intel: the export was cut at the server’s row limit: narrow it with --since\n');
    return EXIT.clean;
  } catch (e) {
    if (!(e instanceof UploadError) || e.status === undefined) throw e;
    io.err.write(`exhunt intel: ${safeTerminal(e.message)}\n`);
    writeProblems(io, e.problems ?? []);
    return 1; // the server refused: not a usage error
  }
}

/** Problems as `file:line: code: message`, attacker-controlled text made harmless for the terminal. */
function writeProblems(
  io: Io,
  problems: { code: string; message: string; path?: string; line?: number }[],
): void {
  for (const p of problems.slice(0, 50))
    io.err.write(`  ${safeTerminal(formatLocation(p))}: ${p.code}: ${safeTerminal(p.message)}\n`);
  if (problems.length > 50) io.err.write(`  … and ${problems.length - 50} more (GET /api/v1/feeds/ID)\n`);
}
