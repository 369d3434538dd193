// Which rules the evidence cannot satisfy: no log of their source, no event of their channel and ID.

import { sourceKind } from '../../core/fields.js';
import { canonical, requiredValues } from './dispatch.js';
import type { FieldMap } from './fieldmap.js';
import type { Logsource, SigmaRule } from './model.js';
import type { RulePlan } from './plan.js';

/** What the evidence holds, as read: sources with records, and per EVTX channel the event IDs seen. */
export interface EvidenceFacts {
  /** Source ids of artifacts that yielded at least one record. */
  readonly sources: ReadonlySet<string>;
  /** Lower-cased channel → canonical event IDs seen in its records. */
  readonly channels: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface NotApplicable {
  readonly rule: SigmaRule;
  /** What the rule needs that the evidence lacks, in words. */
  readonly reason: string;
}

interface Need {
  readonly source: string;
  readonly channels?: ReadonlySet<string>;
  readonly eventIds?: ReadonlySet<string>;
  /** The channel as the mapping spells it, for messages. */
  readonly channelName?: string;
}

function needOf(rule: SigmaRule, source: string, fm: FieldMap): Need {
  if (source !== 'evtx') return { source };
  const channels = requiredValues(rule, fm, 'Channel');
  const eventIds = requiredValues(rule, fm, 'EventID');
  const named = fm.conditions['Channel'];
  return {
    source,
    ...(channels ? { channels } : {}),
    ...(eventIds ? { eventIds } : {}),
    ...(typeof named === 'string' ? { channelName: named } : {}),
  };
}

function met(n: Need, facts: EvidenceFacts): boolean {
  if (!facts.sources.has(n.source)) return false;
  if (sourceKind(n.source) !== 'event-log') return true;
  for (const [ch, ids] of facts.channels) {
    if (n.channels && !n.channels.has(ch)) continue;
    if (!n.eventIds || [...n.eventIds].some((id) => ids.has(id))) return true;
  }
  return false;
}

const SOURCE_NAMES: Record<string, string> = {
  'iis-w3c': 'IIS W3C logs',
  httpproxy: 'HttpProxy logs',
  'ecp-server': 'ECP Server logs',
  'oab-generator': 'OAB generator logs',
  'rps-http': 'Rps_Http logs',
  'rps-cmdlet': 'Rps_Cmdlet logs',
  evtx: 'EVTX logs',
};

function describe(n: Need): string {
  if (sourceKind(n.source) !== 'event-log') return SOURCE_NAMES[n.source] ?? `${n.source} logs`;
  const ch = n.channelName ?? (n.channels ? [...n.channels].join(' or ') : 'any channel');
  if (!n.eventIds) return `${ch} events`;
  const ids = [...n.eventIds];
  const shown = ids.slice(0, 6).join(', ') + (ids.length > 6 ? ', ...' : '');
  return `${ch} event${ids.length > 1 ? 's' : ''} ${shown}`;
}

/**
 * Rules none of whose bindings the evidence can satisfy. Rules the mapping sends nowhere are included
 * with that reason, so every rule that could not run is accounted for.
 */
export function notApplicableRules(plan: RulePlan, facts: EvidenceFacts): NotApplicable[] {
  const needs = new Map<SigmaRule, Need[]>();
  for (const [source, entries] of plan.bySource) {
    for (const e of entries) {
      const list = needs.get(e.rule) ?? [];
      list.push(needOf(e.rule, source, e.fieldMap));
      needs.set(e.rule, list);
    }
  }
  const out: NotApplicable[] = plan.notApplicable.map((rule) => ({
    rule,
    reason: `no exhunt source reads log source ${logsourceText(rule.logsource)} (see data/sigma/mapping.yml)`,
  }));
  for (const [rule, list] of needs) {
    if (list.some((n) => met(n, facts))) continue;
    const wanted = [...new Set(list.map(describe))];
    out.push({ rule, reason: `no ${wanted.join(' or ')} in the evidence` });
  }
  return out;
}

export function logsourceText(ls: Logsource): string {
  const parts = (['product', 'category', 'service'] as const).flatMap((k) =>
    ls[k] !== undefined ? [`${k}: ${ls[k]}`] : [],
  );
  return parts.length > 0 ? `{${parts.join(', ')}}` : '{}';
}

/** Facts built up while reading: call `source` per artifact with records, `event` per EVTX record. */
export class FactsBuilder {
  readonly sources = new Set<string>();
  readonly channels = new Map<string, Set<string>>();

  event(channel: unknown, eventId: unknown): void {
    const ch = canonical(channel);
    if (ch === undefined) return;
    let ids = this.channels.get(ch);
    if (!ids) this.channels.set(ch, (ids = new Set()));
    const id = canonical(eventId);
    if (id !== undefined) ids.add(id);
  }

  facts(): EvidenceFacts {
    return { sources: this.sources, channels: this.channels };
  }
}
