// The indicator store: hash-map lookups per type and a range index for CIDRs, serialisable for workers and servers.

import { formatIp, parseCidr, parseIp } from '../../core/ip.js';
import { baseName, normaliseUrl, normaliseUserAgent } from './normalise.js';
import { RangeIndex } from './ranges.js';
import type { Indicator, IndicatorMeta, IndicatorType } from './types.js';
import { INDICATOR_TYPES } from './types.js';

/** The serialised store: metas once, then one compact row per indicator value. */
export interface StoreJSON {
  format: 'exhunt-indicator-store';
  version: 1;
  metas: IndicatorMeta[];
  /** [type, value, meta index, note?] */
  entries: [IndicatorType, string, number, string?][];
}

const EMPTY: readonly Indicator[] = [];
const EMPTY_IDX: readonly number[] = [];
const step4 = { next: (k: number) => k + 1, prev: (k: number) => k - 1 };
const step6 = { next: (k: bigint) => k + 1n, prev: (k: bigint) => k - 1n };
const SIMPLE_V4 = /^[1-9]\d{0,2}(\.(0|[1-9]\d{0,2})){3}$/;

/**
 * Every lookup is a Map get (or one binary search for ranges) on a value taken from a log field, so the
 * cost per record does not grow with the number of indicators. Values with the same type and text from
 * several feeds are kept together; the first loaded is the one a finding names.
 */
export class IndicatorStore {
  private readonly list: Indicator[] = [];
  private readonly byType = new Map<IndicatorType, Map<string, Indicator[]>>();
  /** `filepath` indicators by base name; the folders are compared once the name matched. */
  private readonly pathsByName = new Map<string, Indicator[]>();
  private readonly stixIds = new Map<string, IndicatorMeta>();
  private cidr4: Indicator[] = [];
  private cidr6: Indicator[] = [];
  private index4: RangeIndex<number> | undefined;
  private index6: RangeIndex<bigint> | undefined;

  constructor(indicators: Iterable<Indicator> = []) {
    for (const ind of indicators) this.add(ind);
  }

  /** Adds one indicator; false when the same feed already gave this value. */
  add(ind: Indicator): boolean {
    const map = this.mapFor(ind.type);
    const same = map.get(ind.value);
    if (same?.some((x) => x.meta.source === ind.meta.source && x.meta.stixId === ind.meta.stixId))
      return false;
    if (same) same.push(ind);
    else map.set(ind.value, [ind]);
    this.list.push(ind);
    if (ind.meta.stixId) this.stixIds.set(ind.meta.stixId, ind.meta);
    if (ind.type === 'filepath') {
      const name = baseName(ind.value);
      const l = this.pathsByName.get(name);
      if (l) l.push(ind);
      else this.pathsByName.set(name, [ind]);
    }
    if (ind.type === 'cidr') {
      (ind.value.includes(':') ? this.cidr6 : this.cidr4).push(ind);
      this.index4 = this.index6 = undefined;
    }
    return true;
  }

  get size(): number {
    return this.list.length;
  }

  all(): readonly Indicator[] {
    return this.list;
  }

  counts(): Partial<Record<IndicatorType, number>> {
    const out: Partial<Record<IndicatorType, number>> = {};
    for (const ind of this.list) out[ind.type] = (out[ind.type] ?? 0) + 1;
    return out;
  }

  has(type: IndicatorType): boolean {
    return (this.byType.get(type)?.size ?? 0) > 0;
  }

  /** The STIX indicator an id names, when one was imported. */
  stixMeta(id: string): IndicatorMeta | undefined {
    return this.stixIds.get(id);
  }

  /** Exact lookup of an already normalised value. */
  lookup(type: IndicatorType, value: string): readonly Indicator[] {
    return this.byType.get(type)?.get(value) ?? EMPTY;
  }

  /** An address as a log writes it: exact indicators first, then every range that holds it. */
  matchAddress(raw: string): readonly Indicator[] {
    const exact = this.byType.get('ip');
    const ranged = this.cidr4.length + this.cidr6.length > 0;
    // Logs write IPv4 canonically, so the common case is one Map get without parsing.
    if (!ranged && SIMPLE_V4.test(raw)) return exact?.get(raw) ?? EMPTY;
    const ip = parseIp(raw);
    if (!ip) return EMPTY;
    const out = [...(exact?.get(formatIp(ip)) ?? EMPTY)];
    if (ip.v === 4 && this.cidr4.length > 0) {
      for (const i of this.ranges4().find(ip.n) ?? EMPTY_IDX) out.push(this.cidr4[i]!);
    } else if (ip.v === 6 && this.cidr6.length > 0) {
      for (const i of this.ranges6().find(ip.n) ?? EMPTY_IDX) out.push(this.cidr6[i]!);
    }
    return out;
  }

  matchUserAgent(raw: string): readonly Indicator[] {
    const m = this.byType.get('user-agent');
    return m && m.size > 0 ? (m.get(normaliseUserAgent(raw)) ?? EMPTY) : EMPTY;
  }

  /** A host name and each parent domain (`a.b.evil.example` matches an indicator `evil.example`). */
  matchDomain(host: string): Indicator[] {
    const m = this.byType.get('domain');
    if (!m || m.size === 0) return [];
    const out: Indicator[] = [];
    let h = host.toLowerCase().replace(/\.$/, '');
    while (h.includes('.')) {
      const hit = m.get(h);
      if (hit) out.push(...hit);
      h = h.slice(h.indexOf('.') + 1);
    }
    return out;
  }

  /** A full URL, also without its query string (an indicator for a page matches requests with parameters). */
  matchUrl(raw: string): readonly Indicator[] {
    const m = this.byType.get('url');
    if (!m || m.size === 0) return EMPTY;
    const u = normaliseUrl(raw);
    if (!u) return EMPTY;
    const hit = m.get(u);
    if (hit) return hit;
    const q = u.indexOf('?');
    return q > 0 ? (m.get(u.slice(0, q)) ?? EMPTY) : EMPTY;
  }

  /** A file by its evidence path: indicators for its name, and path indicators whose folders it ends with. */
  matchFile(path: string): Indicator[] {
    const lower = path.toLowerCase().replace(/\\/g, '/');
    const name = baseName(lower);
    const out = [...(this.byType.get('filename')?.get(name) ?? EMPTY)];
    for (const p of this.pathsByName.get(name) ?? EMPTY)
      if (lower === p.value || lower.endsWith('/' + p.value)) out.push(p);
    return out;
  }

  matchHash(type: 'md5' | 'sha1' | 'sha256', hex: string): readonly Indicator[] {
    return this.byType.get(type)?.get(hex.toLowerCase()) ?? EMPTY;
  }

  toJSON(): StoreJSON {
    const metaIndex = new Map<IndicatorMeta, number>();
    const metas: IndicatorMeta[] = [];
    const entries: StoreJSON['entries'] = [];
    for (const ind of this.list) {
      let i = metaIndex.get(ind.meta);
      if (i === undefined) {
        i = metas.push(ind.meta) - 1;
        metaIndex.set(ind.meta, i);
      }
      entries.push(ind.note ? [ind.type, ind.value, i, ind.note] : [ind.type, ind.value, i]);
    }
    return { format: 'exhunt-indicator-store', version: 1, metas, entries };
  }

  /** Rebuilds a store from `toJSON()` output (in a worker thread, or from the fleet server's database). */
  static fromJSON(json: StoreJSON): IndicatorStore {
    if (json.format !== 'exhunt-indicator-store' || json.version !== 1)
      throw new Error('not an exhunt indicator store (format/version)');
    const store = new IndicatorStore();
    const types = new Set<string>(INDICATOR_TYPES);
    for (const [type, value, mi, note] of json.entries) {
      const meta = json.metas[mi];
      if (!meta || !types.has(type)) throw new Error(`bad indicator store entry: ${type} ${value}`);
      store.add({ type, value, meta, ...(note ? { note } : {}) });
    }
    return store;
  }

  private mapFor(type: IndicatorType): Map<string, Indicator[]> {
    let m = this.byType.get(type);
    if (!m) this.byType.set(type, (m = new Map<string, Indicator[]>()));
    return m;
  }

  private ranges4(): RangeIndex<number> {
    return (this.index4 ??= new RangeIndex(
      this.cidr4.map((c) => bounds4(c.value)),
      step4,
    ));
  }

  private ranges6(): RangeIndex<bigint> {
    return (this.index6 ??= new RangeIndex(
      this.cidr6.map((c) => bounds6(c.value)),
      step6,
    ));
  }
}

function bounds4(cidr: string): [number, number] {
  const r = parseCidr(cidr);
  return r && r.v === 4 ? [r.start, r.end] : [0, 0];
}

function bounds6(cidr: string): [bigint, bigint] {
  const r = parseCidr(cidr);
  return r && r.v === 6 ? [r.start, r.end] : [0n, 0n];
}
