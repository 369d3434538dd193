// Correlation rules over a stream of rule matches: group-by, aliases, timespans, chained correlations.

import type { FieldValue, LogRecord } from '../../core/record.js';
import { GroupWindow, isSliding } from './correlation-window.js';
import type { WindowEvent } from './correlation-window.js';
import { resolveField } from './fieldmap.js';
import type { FieldMap } from './fieldmap.js';
import type { CorrelationRule, SigmaRule } from './model.js';

/** Reads a Sigma field of the matched record (the engine resolves it through the rule's field map). */
export type FieldLookup = (field: string) => FieldValue | readonly FieldValue[] | undefined;

/** The usual lookup: Sigma names through the field map the rule was compiled with. Read it at once. */
export function fieldLookup(record: LogRecord, fieldMap: FieldMap): FieldLookup {
  return (field) => record.get(resolveField(fieldMap, field).field);
}

/** One event behind a correlation hit: primitive copies, safe when sources reuse record objects. */
export interface CorrelatedEvent {
  readonly ruleId: string;
  readonly time: string;
  readonly source: string;
  readonly line: number;
  /** Whatever the engine passed to onMatch (the evidence path, say). */
  readonly ref?: unknown;
}

export interface CorrelationHit {
  readonly correlation: CorrelationRule;
  /** group-by field (or alias) → value; null when the events lacked it. */
  readonly group: Readonly<Record<string, string | null>>;
  /** The measure: count, distinct count, sum, average, percent share or number of rules seen. */
  readonly value: number;
  /** For value_percentile: the field value whose share met the condition. */
  readonly fieldValue?: string | null;
  readonly firstTime: string;
  readonly lastTime: string;
  /** Up to MAX_HIT_EVENTS events, oldest first. */
  readonly events: readonly CorrelatedEvent[];
}

export interface Correlator {
  /**
   * Feed one rule match. With `ordered: true` hits come back as soon as they are known; otherwise
   * matches are buffered (logs from several files are not in time order) and hits come from finish().
   */
  onMatch(ruleId: string, record: LogRecord, fields: FieldLookup, ref?: unknown): CorrelationHit[];
  /** Close every open window and return the remaining hits. */
  finish(): CorrelationHit[];
  /** Matches ignored because the record had no time, or dropped past the buffer cap. */
  readonly stats: { noTime: number; dropped: number };
}

export interface CorrelatorOptions {
  /** The loaded rules, so correlations can name them by `name` as well as by id. */
  rules?: readonly Pick<SigmaRule, 'id' | 'name'>[];
  /** Matches arrive in non-decreasing time order (one sorted stream). */
  ordered?: boolean;
  /** Buffered matches kept at most, when not ordered. */
  maxBuffered?: number;
}

export const MAX_HIT_EVENTS = 100;

interface Route {
  readonly corr: number;
  readonly ruleIdx: number;
  /** The reference as the correlation wrote it (id or name), for aliases. */
  readonly ref: string;
}

interface Pending {
  readonly t: number;
  readonly seq: number;
  readonly ruleId: string;
  readonly group: (string | null)[];
  readonly value: string | null;
  readonly info: CorrelatedEvent;
}

/** A field value as correlations compare it: text, arrays joined with commas, null when missing. */
export function fieldText(v: FieldValue | readonly FieldValue[] | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => String(x)).join(',');
  return String(v);
}

const text = fieldText;

/** id or name → id, over rules and correlations. */
function canonMap(rules: readonly Pick<SigmaRule, 'id' | 'name'>[]): Map<string, string> {
  const canon = new Map<string, string>();
  for (const r of rules) {
    canon.set(r.id, r.id);
    if (r.name) canon.set(r.name, r.id);
  }
  return canon;
}

/**
 * The field a group-by entry (or value field) names in events of one referenced rule: the alias's
 * field for that rule when the name is an alias, else the name itself.
 */
function aliasField(
  c: CorrelationRule,
  name: string,
  ref: string,
  canon: ReadonlyMap<string, string>,
): string {
  const alias = c.aliases[name];
  if (!alias) return name;
  const id = canon.get(ref) ?? ref;
  const byRef = alias[ref] ?? alias[id];
  if (byRef !== undefined) return byRef;
  for (const [k, f] of Object.entries(alias)) if (canon.get(k) === id) return f;
  return name;
}

/**
 * Rules (and correlations) whose own matches are not reported: every correlation naming them keeps the
 * default `generate: false`, so only the correlation's result stands (correlation specification).
 */
export function suppressedRules(
  correlations: readonly CorrelationRule[],
  rules: readonly Pick<SigmaRule, 'id' | 'name'>[],
): Set<string> {
  const canon = canonMap([...rules, ...correlations]);
  const named = new Set<string>();
  const generated = new Set<string>();
  for (const c of correlations) {
    for (const ref of c.rules) {
      const id = canon.get(ref) ?? ref;
      named.add(id);
      if (c.generate) generated.add(id);
    }
  }
  return new Set([...named].filter((id) => !generated.has(id)));
}

/**
 * Per base rule id, the Sigma fields its matches must carry for the correlations that name it (group-by
 * through aliases, and value fields). Known when rules load, so matching threads copy only these.
 */
export function correlationFields(
  correlations: readonly CorrelationRule[],
  rules: readonly Pick<SigmaRule, 'id' | 'name'>[],
): Map<string, string[]> {
  const canon = canonMap([...rules, ...correlations]);
  const isCorrelation = new Set(correlations.map((c) => c.id));
  const out = new Map<string, Set<string>>();
  for (const c of correlations) {
    for (const ref of c.rules) {
      const id = canon.get(ref) ?? ref;
      if (isCorrelation.has(id)) continue;
      const set = out.get(id) ?? new Set<string>();
      for (const g of c.groupBy) set.add(aliasField(c, g, ref, canon));
      if (c.field !== undefined) set.add(aliasField(c, c.field, ref, canon));
      out.set(id, set);
    }
  }
  return new Map([...out].map(([id, set]) => [id, [...set]]));
}

export function createCorrelator(
  correlations: readonly CorrelationRule[],
  opts: CorrelatorOptions = {},
): Correlator {
  const canon = canonMap([...(opts.rules ?? []), ...correlations]);
  const routes = new Map<string, Route[]>();
  correlations.forEach((c, corr) => {
    c.rules.forEach((ref, ruleIdx) => {
      const id = canon.get(ref) ?? ref;
      routes.set(id, [...(routes.get(id) ?? []), { corr, ruleIdx, ref }]);
    });
  });
  const windows = correlations.map(() => new Map<string, GroupWindow>());
  const sliding = correlations.map(isSliding);
  const stats = { noTime: 0, dropped: 0 };
  const buffer: { route: Route; p: Pending }[] = [];
  const max = opts.maxBuffered ?? 2_000_000;
  let seq = 0;

  /** Field name for a group-by entry or value field, through aliases, for events of one rule. */
  const fieldFor = (c: CorrelationRule, name: string, route: Route): string =>
    aliasField(c, name, route.ref, canon);

  const pending = (
    route: Route,
    ruleId: string,
    t: number,
    fields: FieldLookup,
    info: CorrelatedEvent,
  ): Pending => {
    const c = correlations[route.corr] as CorrelationRule;
    const group = c.groupBy.map((g) => text(fields(fieldFor(c, g, route))));
    const value = c.field !== undefined ? text(fields(fieldFor(c, c.field, route))) : null;
    return { t, seq: seq++, ruleId, group, value, info };
  };

  const process = (route: Route, p: Pending): CorrelationHit[] => {
    const c = correlations[route.corr] as CorrelationRule;
    const key = JSON.stringify(p.group);
    const ws = windows[route.corr] as Map<string, GroupWindow>;
    let w = ws.get(key);
    if (!w) {
      w = new GroupWindow(c, sliding[route.corr] as boolean);
      ws.set(key, w);
    }
    const ev: WindowEvent = { t: p.t, ruleIdx: route.ruleIdx, value: p.value, info: p.info };
    const hits = w.add(ev).map((r) => toHit(c, p.group, r.value, r.events, r.fieldValue));
    return [...hits, ...hits.flatMap(chain)];
  };

  /** A correlation hit is itself a match for correlations that name this correlation. */
  const chain = (h: CorrelationHit): CorrelationHit[] => {
    const rs = routes.get(h.correlation.id);
    if (!rs) return [];
    const t = Date.parse(h.lastTime);
    const lookup: FieldLookup = (f) => h.group[f] ?? undefined;
    const info: CorrelatedEvent = {
      ruleId: h.correlation.id,
      time: h.lastTime,
      source: 'correlation',
      line: 0,
    };
    return rs.flatMap((route) => process(route, pending(route, h.correlation.id, t, lookup, info)));
  };

  const closeAll = (): CorrelationHit[] => {
    const out: CorrelationHit[] = [];
    windows.forEach((ws, corr) => {
      const c = correlations[corr] as CorrelationRule;
      for (const [key, w] of ws) {
        const group = JSON.parse(key) as (string | null)[];
        for (const r of w.close()) {
          const h = toHit(c, group, r.value, r.events, r.fieldValue);
          out.push(h, ...chain(h));
        }
      }
    });
    return out;
  };

  return {
    stats,
    onMatch(ruleId, record, fields, ref) {
      const rs = routes.get(ruleId);
      if (!rs) return [];
      const iso = record.time;
      const t = iso === undefined ? NaN : Date.parse(iso);
      if (iso === undefined || Number.isNaN(t)) {
        stats.noTime++;
        return [];
      }
      const info: CorrelatedEvent = {
        ruleId,
        time: iso,
        source: record.source,
        line: record.line,
        ...(ref !== undefined ? { ref } : {}),
      };
      const out: CorrelationHit[] = [];
      for (const route of rs) {
        const p = pending(route, ruleId, t, fields, info);
        if (opts.ordered) out.push(...process(route, p));
        else if (buffer.length >= max) stats.dropped++;
        else buffer.push({ route, p });
      }
      return out;
    },
    finish() {
      buffer.sort((a, b) => a.p.t - b.p.t || a.p.seq - b.p.seq);
      const out: CorrelationHit[] = [];
      for (const { route, p } of buffer) out.push(...process(route, p));
      buffer.length = 0;
      out.push(...closeAll());
      return out;
    },
  };
}

function toHit(
  c: CorrelationRule,
  group: readonly (string | null)[],
  value: number,
  events: readonly WindowEvent[],
  fieldValue: string | null | undefined,
): CorrelationHit {
  const g: Record<string, string | null> = {};
  c.groupBy.forEach((name, i) => (g[name] = group[i] ?? null));
  const infos = events.slice(0, MAX_HIT_EVENTS).map((e) => e.info as CorrelatedEvent);
  return {
    correlation: c,
    group: g,
    value,
    ...(fieldValue !== undefined ? { fieldValue } : {}),
    firstTime: (events[0]?.info as CorrelatedEvent).time,
    lastTime: (events[events.length - 1]?.info as CorrelatedEvent).time,
    events: infos,
  };
}
