// `exhunt retrohunt`: start a retro-hunt on a fleet server (a feed or rule pack run again over what the
// fleet holds), or show one; with --wait, follow its progress on stderr and print its hits when done.

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { safeTerminal } from '../report/escape.js';
import { getRetrohunt, startRetrohunt, UploadError } from '../server/client.js';
import type { RemoteRetrohunt } from '../server/client.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

/** A hunt's own exit codes (as its help says); 2 stays the command line's error code. */
const HUNT_EXIT = { noHit: 0, hits: 1, incomplete: 3 } as const;

export const RETROHUNT_HELP = `Usage:
  exhunt retrohunt --server URL --token T (--feed ID | --rules ID) [--since TIME] [--until TIME]
                   [--org ORG]... [--mode index|full] [--wait] [--json]
  exhunt retrohunt --server URL --token T --show ID [--wait] [--json]

  Runs an indicator feed (--feed, from exhunt intel push) or a Sigma rule pack stored on the server
  (--rules, POST /api/v1/rule-packs) over what the fleet already holds: at once over the indicators stored
  from earlier findings, then (mode full, the default) over every analysed evidence bundle, re-analysed by
  the server's workers. New hits become findings of their servers and a retrohunt.hit notification.
  Running the same hunt again makes no finding twice. Analysts hunt their organisation; administrators
  every organisation, or those named with --org (repeatable). A feed or pack of one organisation is only
  ever run over that organisation.

Options:
  --server URL      the fleet server (http://HOST:PORT)
  --token T         API token (or the EXHUNT_TOKEN environment variable)
  --since, --until  only matches at or after / at or before this UTC ISO-8601 time (undated matches,
                    files on disk, cannot be ruled out and are kept)
  --mode index      stored indicators only (seconds, but blind to what no finding named)
  --wait            follow the progress on stderr; print the hits (server, rule, times) when it ends
  --json            print the hunt as JSON instead

Prints the hunt's id (or with --wait its hits). Exit codes: 0 = done, no hit; 1 = hits found;
3 = some bundles could not be re-analysed, or only in part (the answer is incomplete); 2 = usage error, refused, unreachable.
`;

function progressLine(h: RemoteRetrohunt): string {
  const p = h.progress;
  return `exhunt retrohunt: hunt ${h.id} ${h.status}: ${p.done + p.failed}/${p.total} bundle(s)${p.failed ? ` (${p.failed} failed)` : ''}${p.withLoss ? ` (${p.withLoss} read with loss)` : ''}, ${h.hitCount} hit(s) on ${h.servers} server(s), ${h.newFindings} new finding(s)\n`;
}

function hitLines(h: RemoteRetrohunt): string {
  return (h.hits ?? [])
    .map(
      (x) =>
        `${safeTerminal(x.server)}\t${safeTerminal(x.ruleId)}\t${safeTerminal(x.title)}\t${x.firstAt ?? '-'}\t${x.lastAt ?? '-'}\t${x.via}${x.isNew ? '\tnew' : ''}\n`,
    )
    .join('');
}

export async function retrohuntCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      feed: { type: 'string' },
      rules: { type: 'string' },
      show: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      org: { type: 'string', multiple: true },
      mode: { type: 'string' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(RETROHUNT_HELP);
    return EXIT.clean;
  }
  const token = values.token ?? process.env.EXHUNT_TOKEN;
  if (!values.server) throw new UsageError('give --server URL', RETROHUNT_HELP);
  if (!token) throw new UsageError('give --token T (or EXHUNT_TOKEN)', RETROHUNT_HELP);
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^[1-9]\d{0,15}$/.test(v)) throw new UsageError(`${name} takes a number`, RETROHUNT_HELP);
    return Number(v);
  };
  const feed = num('--feed', values.feed);
  const rules = num('--rules', values.rules);
  const show = num('--show', values.show);
  if ([feed, rules, show].filter((x) => x !== undefined).length !== 1)
    throw new UsageError('give one of --feed ID, --rules ID or --show ID', RETROHUNT_HELP);
  if (values.mode !== undefined && values.mode !== 'index' && values.mode !== 'full')
    throw new UsageError('--mode index or --mode full', RETROHUNT_HELP);
  try {
    let h =
      show !== undefined
        ? await getRetrohunt(values.server, token, show)
        : await startRetrohunt(values.server, token, {
            ...(feed !== undefined ? { feed } : {}),
            ...(rules !== undefined ? { rules } : {}),
            ...(values.org ? { orgs: values.org } : {}),
            ...(values.since !== undefined ? { since: values.since } : {}),
            ...(values.until !== undefined ? { until: values.until } : {}),
            ...(values.mode ? { mode: values.mode } : {}),
          });
    if (!values.wait) {
      if (show !== undefined) h = await getRetrohunt(values.server, token, h.id);
      io.err.write(progressLine(h));
      if (values.json) io.out.write(`${JSON.stringify(h, null, 2)}\n`);
      else if (show !== undefined) io.out.write(hitLines(h));
      else io.out.write(`${h.id}\n`);
      return EXIT.clean;
    }
    let last = '';
    for (;;) {
      h = await getRetrohunt(values.server, token, h.id);
      const line = progressLine(h);
      if (line !== last) io.err.write(line);
      last = line;
      if (h.status !== 'running') break;
      await sleep(1000);
    }
    io.out.write(values.json ? `${JSON.stringify(h, null, 2)}\n` : hitLines(h));
    if (h.status === 'failed') {
      io.err.write(`exhunt retrohunt: the hunt failed: ${safeTerminal(h.error ?? '')}\n`);
      return EXIT.error;
    }
    if (h.progress.failed > 0 || h.progress.withLoss > 0) return HUNT_EXIT.incomplete;
    return (h.hits?.length ?? 0) > 0 ? HUNT_EXIT.hits : HUNT_EXIT.noHit;
  } catch (e) {
    if (!(e instanceof UploadError)) throw e;
    io.err.write(`exhunt retrohunt: ${safeTerminal(e.message)}\n`);
    return EXIT.error;
  }
}
