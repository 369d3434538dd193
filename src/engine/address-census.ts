// Samples the front-end logs' first bytes to learn who sends the traffic (proxies, load balancers), bounded.

import type { LogRecord } from '../core/record.js';
import type { AddressCensus } from '../analysis/census.js';
import { countRequest, emptyCensus } from '../analysis/census.js';
import type { Evidence } from '../evidence/index.js';
import { SOURCES } from '../sources/registry.js';
import type { Task } from './discover.js';

interface CensusLimits {
  /** Bytes read from the start of each log. */
  bytesPerFile: number;
  /** Logs sampled; more are thinned evenly (sorted by path, so spread over the days). */
  files: number;
}

const DEFAULT_CENSUS_LIMITS: CensusLimits = { bytesPerFile: 256 << 10, files: 256 };

const FRONT_END = (t: Task) =>
  (t.source === 'iis-w3c' && !/W3SVC2$/i.test(t.family)) || t.source === 'httpproxy';

function str(r: LogRecord, ...fields: string[]): string | undefined {
  for (const f of fields) {
    const v = r.get(f);
    if (typeof v === 'string' && v.length > 0 && v !== '-') return v;
  }
  return undefined;
}

/**
 * A census of the front-end logs' clients from the first `bytesPerFile` of up to `files` logs. The main read
 * already reported every problem of these files: what this sample meets is not reported again.
 */
export async function addressCensus(
  ev: Evidence,
  tasks: readonly Task[],
  limits: CensusLimits = DEFAULT_CENSUS_LIMITS,
): Promise<AddressCensus> {
  const census = emptyCensus();
  const all = tasks.filter(FRONT_END).sort((a, b) => a.file.path.localeCompare(b.file.path));
  const step = Math.max(1, all.length / limits.files);
  const picked: Task[] = [];
  for (let i = 0; i < all.length && picked.length < limits.files; i += step)
    picked.push(all[Math.floor(i)] as Task);
  for (const t of picked) {
    const def = SOURCES.get(t.source);
    if (!def) continue;
    let xff = false;
    const parser = def.createParser(
      { path: t.file.path },
      {
        record(r) {
          const iis = r.source === 'iis-w3c';
          const client = iis
            ? str(r, 'c-ip')
            : str(r, 'ClientIpAddress', 'ClientIPAddress')?.split(/[\s,;]+/)[0];
          if (!client) return;
          const forwardedFor = iis ? str(r, 'X-Forwarded-For', 'x-forwarded-for', 'cs(X-Forwarded-For)') : undefined; // prettier-ignore
          if (iis && !xff && r.fieldNames().some((n) => /x-forwarded-for/i.test(n))) xff = true;
          const server = iis ? str(r, 's-ip') : undefined;
          const user = str(r, 'cs-username', 'AuthenticatedUser');
          const agent = str(r, 'cs(User-Agent)', 'UserAgent');
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
      const stream = await ev.open(t.file, limits.bytesPerFile);
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
