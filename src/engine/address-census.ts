// Samples the front-end logs' first bytes to learn who sends the traffic (proxies, load balancers), bounded.

import type { LogRecord } from '../core/record.js';
import type { AddressCensus } from '../analysis/census.js';
import { CENSUS_SET_CAP, countRequest, emptyCensus } from '../analysis/census.js';
import type { Evidence } from '../evidence/index.js';
import { SOURCES } from '../sources/registry.js';
import { roleFields, roleText } from '../core/fields.js';
import type { FieldRole } from '../core/fields.js';
import type { Task } from './discover.js';

export interface CensusLimits {
  /** Bytes read from the start of each log. */
  bytesPerFile: number;
  /** Logs sampled; more are thinned evenly (sorted by path, so spread over the days). */
  files: number;
}

export const DEFAULT_CENSUS_LIMITS: CensusLimits = { bytesPerFile: 256 << 10, files: 256 };

const FRONT_END = (t: Task) =>
  (t.source === 'iis-w3c' && !/W3SVC2$/i.test(t.family)) || t.source === 'httpproxy';

/** A role's value, with W3C's `-` (nothing logged) as none. */
function role(r: LogRecord, name: FieldRole): string | undefined {
  const v = roleText(r, name);
  return v !== undefined && v !== '-' ? v : undefined;
}

/** The logs the census samples: front-end logs sorted by path, thinned evenly to `limits.files`. */
export function censusFiles(tasks: readonly Task[], limits: CensusLimits = DEFAULT_CENSUS_LIMITS): Task[] {
  const all = tasks.filter(FRONT_END).sort((a, b) => a.file.path.localeCompare(b.file.path));
  const step = Math.max(1, all.length / limits.files);
  const picked: Task[] = [];
  for (let i = 0; i < all.length && picked.length < limits.files; i += step)
    picked.push(all[Math.floor(i)] as Task);
  return picked;
}

/**
 * A census of the front-end logs' clients from the first `bytesPerFile` of each of `picked` (see
 * `censusFiles`), in their order; worker threads each take a run of them. The main read already reported
 * every problem of these files: what this sample meets is not reported again.
 */
export async function censusOf(
  ev: Evidence,
  picked: readonly Task[],
  bytesPerFile: number,
): Promise<AddressCensus> {
  const census = emptyCensus();
  for (const t of picked) {
    const def = SOURCES.get(t.source);
    if (!def) continue;
    let xff = false;
    const parser = def.createParser(
      { path: t.file.path },
      {
        record(r) {
          // Through the field roles: the same fields the detectors and the finding sections read.
          const client = role(r, 'clientIp')?.split(/[\s,;]+/)[0];
          if (!client) return;
          const forwardedFor = role(r, 'forwardedFor');
          if (
            !xff &&
            roleFields(r.source, 'forwardedFor').length > 0 &&
            r.fieldNames().some((n) => /x-forwarded-for/i.test(n))
          )
            xff = true;
          const server = role(r, 'serverIp');
          const user = role(r, 'user');
          const agent = role(r, 'userAgent');
          countRequest(census, {
            client,
            ...(server ? { server } : {}),
            ...(user ? { user } : {}),
            ...(agent ? { agent } : {}),
            ...(forwardedFor ? { forwardedFor } : {}),
          });
        },
        problem() {
          // Reported by the main read; a cut-off last line here is the sample's own edge.
        },
      },
    );
    try {
      const stream = await ev.open(t.file, bytesPerFile);
      for await (const chunk of stream) {
        census.bytes += (chunk as Buffer).length;
        parser.push(chunk as Buffer);
      }
      parser.end();
      census.files++;
      if (xff) census.forwardedFieldFiles++;
    } catch {
      // A file that cannot be read was reported by the main read; the census is a sample anyway.
    }
  }
  return census;
}

/**
 * `b` counted after `a`, as if one pass had read a's files and then b's: sets keep their first values in
 * that order up to the cap (b's own first CENSUS_SET_CAP values hold every one a pass would have added).
 */
export function mergeCensus(a: AddressCensus, b: AddressCensus): AddressCensus {
  for (const ip of b.serverAddresses) a.serverAddresses.add(ip);
  a.requests += b.requests;
  a.files += b.files;
  a.bytes += b.bytes;
  a.forwardedFieldFiles += b.forwardedFieldFiles;
  for (const [ip, s] of b.byAddress) {
    const t = a.byAddress.get(ip);
    if (!t) {
      a.byAddress.set(ip, s);
      continue;
    }
    t.requests += s.requests;
    t.forwarded += s.forwarded;
    for (const u of s.users) if (t.users.size < CENSUS_SET_CAP) t.users.add(u);
    for (const g of s.agents) if (t.agents.size < CENSUS_SET_CAP) t.agents.add(g);
  }
  return a;
}
