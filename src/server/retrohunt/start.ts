// Starting a retro-hunt: who may run what over whom, the index path at once, then the re-analysis jobs.

import type { Principal, RetrohuntMode, RetrohuntTrigger, Store } from '../../store/index.js';
import {
  actorOf,
  ALL,
  createRetrohunt,
  failRetrohunt,
  findOrganisation,
  queueHuntBundles,
  scopeOf,
  triggerOwner,
} from '../../store/index.js';
import { HttpError } from '../auth.js';
import type { JobQueue } from '../jobs/queue.js';
import { runIndexPath } from './index-path.js';
import { feedIndicators, findTrigger } from './trigger.js';

export interface StartRequest {
  trigger: RetrohuntTrigger;
  id: number;
  /** Organisation names (administrators; a tenant may only name its own). None: all the caller may see. */
  orgs?: string[];
  since?: string;
  until?: string;
  mode?: RetrohuntMode;
}

function utc(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new HttpError(400, `${name} is not a time: ${JSON.stringify(v).slice(0, 80)}`);
  return new Date(ms).toISOString();
}

/** The organisations covered: a tenant its own; an administrator those named, or null for all. */
async function coveredOrgs(
  store: Store,
  p: Principal,
  names: string[] | undefined,
): Promise<number[] | null> {
  const own = scopeOf(p);
  if (!own.all) {
    for (const n of names ?? [])
      if (n !== p.orgName) throw new HttpError(403, `you act for "${p.orgName}" only`);
    return [own.orgId];
  }
  if (!names || names.length === 0) return null;
  const ids: number[] = [];
  for (const n of names) {
    const o = await findOrganisation(store, ALL, n);
    if (!o) throw new HttpError(404, `no organisation "${n}"`);
    ids.push(o.id);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

export async function startRetrohunt(
  store: Store,
  queue: JobQueue,
  p: Principal,
  r: StartRequest,
): Promise<number> {
  const since = utc('since', r.since);
  const until = utc('until', r.until);
  if (since && until && since > until) throw new HttpError(400, 'since is after until');
  const trigger = await findTrigger(store, scopeOf(p), r.trigger, r.id);
  if (!trigger) throw new HttpError(404, `no such ${r.trigger === 'feed' ? 'feed' : 'rule pack'}`);
  let orgIds = await coveredOrgs(store, p, r.orgs);
  // A tenant's own feed or pack is that tenant's: never run over another organisation's evidence.
  const owner = await triggerOwner(store, r.trigger, trigger.id);
  if (owner !== null) {
    if (orgIds === null) orgIds = [owner];
    else if (orgIds.some((o) => o !== owner))
      throw new HttpError(400, 'this feed or pack belongs to one organisation: the hunt may cover only it');
  }
  const mode: RetrohuntMode = r.mode ?? 'full';
  const id = await createRetrohunt(store, {
    orgIds,
    trigger,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    mode,
    actor: actorOf(p),
  });
  try {
    if (trigger.kind === 'feed')
      await runIndexPath(
        store,
        { id, trigger, orgIds, ...(since ? { since } : {}), ...(until ? { until } : {}) },
        await feedIndicators(store, ALL, trigger),
      );
    await queueHuntBundles(store, id, (trx, bundleId) => queue.enqueue(trx, { bundleId, retrohunt: id }));
  } catch (e) {
    await failRetrohunt(store, id, e instanceof Error ? e.message : String(e));
    throw e;
  }
  queue.notify();
  return id;
}

/** Query options of the feed and rule-pack uploads that start a hunt with what was uploaded. */
export const HUNT_ON_UPLOAD: Record<string, Record<string, unknown>> = {
  retrohunt: {
    type: 'boolean',
    description: 'run it at once over what the fleet already holds (a retro-hunt; see POST /retrohunts)',
  },
  since: { type: 'string', maxLength: 40, description: 'with retrohunt: matches at or after this UTC time' },
  until: { type: 'string', maxLength: 40, description: 'with retrohunt: matches at or before this UTC time' },
};

/** Before an upload is stored: a time range without `retrohunt=true` is a mistake, refused first. */
export function checkHuntQuery(q: Record<string, unknown>): void {
  if (q.retrohunt !== true && (q.since !== undefined || q.until !== undefined))
    throw new HttpError(400, 'since and until go with retrohunt=true');
  if (q.retrohunt === true) {
    utc('since', q.since as string | undefined);
    utc('until', q.until as string | undefined);
  }
}

/** After an upload: the hunt asked for with `retrohunt=true`, over what the uploader may cover. */
export async function huntAfterUpload(
  store: Store,
  queue: JobQueue,
  p: Principal,
  q: Record<string, unknown>,
  trigger: RetrohuntTrigger,
  id: number,
): Promise<number | undefined> {
  if (q.retrohunt !== true) return undefined;
  return startRetrohunt(store, queue, p, {
    trigger,
    id,
    ...(typeof q.since === 'string' ? { since: q.since } : {}),
    ...(typeof q.until === 'string' ? { until: q.until } : {}),
  });
}
