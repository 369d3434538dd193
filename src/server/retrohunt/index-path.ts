// The cheap path: a feed's addresses, user agents, webshell names and SHA-256 hashes looked up in the
// indicators the fleet already stored from its findings, so servers already seen with them are hits at
// once. Values no finding named (an address that only browsed, a domain, a URL) need the full path.

import { normaliseAddress, normaliseHash } from '../../core/indicator-norm.js';
import type { Finding } from '../../core/finding.js';
import type { Hit } from '../../core/detector.js';
import { indicatorHit } from '../../rules/ioc/index.js';
import type { Indicator, IndicatorStore } from '../../rules/ioc/index.js';
import type { MatchKind } from '../../rules/ioc/hits.js';
import { userAgentIndicator, webshellName } from '../../store/extract.js';
import type { HitInput, IndexSighting, IndicatorKind, Store, TriggerRef } from '../../store/index.js';
import { indexSightings, recordHits, withTx } from '../../store/index.js';

interface Kind {
  stored: IndicatorKind;
  match: MatchKind;
  norm: (v: string) => string | undefined;
}

/** Feed types the stored indicators can answer, and how a value is written there. */
const KINDS: Partial<Record<Indicator['type'], Kind>> = {
  ip: { stored: 'ip', match: 'address', norm: normaliseAddress },
  'user-agent': { stored: 'user-agent', match: 'user-agent', norm: userAgentIndicator },
  filename: { stored: 'webshell-name', match: 'file-name', norm: (v) => webshellName(v) || undefined },
  sha256: { stored: 'webshell-hash', match: 'hash', norm: normaliseHash },
};

export interface IndexHunt {
  id: number;
  trigger: TriggerRef;
  orgIds: number[] | null;
  since?: string;
  until?: string;
}

/** A hit as a finding: the indicator's rule (the same id the full path's match gets), citing what was stored. */
function findingOf(hit: Hit, s: IndexSighting): Finding {
  const evidence =
    s.evidence.length > 0
      ? s.evidence.map(({ path, line, excerpt }) => ({
          path,
          ...(line !== undefined ? { line } : {}),
          excerpt,
        }))
      : [
          {
            path: `fleet:indicators/${s.kind}`,
            excerpt: `${s.kind} ${s.value} named by findings of ${s.scans} stored scan(s) of this server, ${s.firstSeen} to ${s.lastSeen}`,
          },
        ];
  return {
    id: '',
    rule: hit.rule,
    severity: hit.severity,
    cves: hit.cves,
    stage: hit.stage,
    outcome: hit.outcome,
    time: s.firstSeen,
    sourceIps: s.kind === 'ip' ? [s.value] : [],
    ...(s.kind === 'user-agent' ? { userAgent: s.value } : {}),
    evidence,
    ...(hit.summary ? { summary: hit.summary } : {}),
    details: { ...hit.details, lastSeen: s.lastSeen },
  };
}

/** Runs the index query for a feed hunt and records its hits; returns how many there were. */
export async function runIndexPath(store: Store, hunt: IndexHunt, feed: IndicatorStore): Promise<number> {
  const values = new Map<IndicatorKind, string[]>();
  const byKey = new Map<string, { all: Indicator[]; kind: Kind }>();
  for (const ind of feed.all()) {
    const kind = KINDS[ind.type];
    const v = kind?.norm(ind.value);
    if (!kind || !v) continue;
    const key = `${kind.stored}\0${v}`;
    const known = byKey.get(key);
    if (known) known.all.push(ind);
    else {
      byKey.set(key, { all: [ind], kind });
      values.set(kind.stored, [...(values.get(kind.stored) ?? []), v]);
    }
  }
  const sightings = await indexSightings(store, {
    orgIds: hunt.orgIds,
    values,
    ...(hunt.since ? { since: hunt.since } : {}),
    ...(hunt.until ? { until: hunt.until } : {}),
  });
  const perServer = new Map<number, { s: IndexSighting; hit: HitInput }[]>();
  for (const s of sightings) {
    const m = byKey.get(`${s.kind}\0${s.value}`);
    // A server with no stored scan has nothing to attach a finding to (cannot happen for a sighting).
    if (!m || s.latestScanId === null) continue;
    const hit = indicatorHit(m.all, {
      kind: m.kind.match,
      stage: m.kind.match === 'address' || m.kind.match === 'user-agent' ? 'exploit' : 'webshell-write',
      ...(m.kind.match === 'file-name' || m.kind.match === 'hash' ? { file: 'web' as const } : {}),
      time: s.firstSeen,
      field: `stored ${s.kind}`,
      matched: s.value,
    });
    const list = perServer.get(s.serverId) ?? [];
    list.push({
      s,
      hit: {
        ruleId: hit.rule.id,
        title: hit.rule.title,
        author: hit.rule.author,
        via: 'index',
        occurrences: s.scans,
        firstAt: s.firstSeen,
        lastAt: s.lastSeen,
        finding: findingOf(hit, s),
        scanId: s.latestScanId,
      },
    });
    perServer.set(s.serverId, list);
  }
  let total = 0;
  for (const list of perServer.values()) {
    const s = list[0]!.s;
    await withTx(store, (trx) =>
      recordHits(
        trx,
        store.dialect,
        hunt,
        { id: s.serverId, orgId: s.orgId, name: s.server },
        list.map((x) => x.hit),
      ),
    );
    total += list.length;
  }
  return total;
}
