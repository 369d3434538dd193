// STIX 2.1 and CSV export of what a scan found: indicators, sightings with counts, observed data.

import { createHash } from 'node:crypto';
import type { Finding } from '../core/finding.js';
import { indicatorOf } from '../core/finding.js';
import { isPrivateAddress } from '../core/ip.js';
import type { ScanReport } from '../core/report.js';
import { csvField } from './escape.js';

/** The original STIX fields of an imported indicator, so that an export re-emits it as its feed sent it. */
interface ImportedStix {
  source: string;
  title?: string;
  description?: string;
  references?: string[];
  validFrom?: string;
  validUntil?: string;
  pattern?: string;
  created?: string;
  modified?: string;
}

/**
 * Where imported indicators are looked up by STIX id (the indicator store of rules/ioc has this shape;
 * report depends on the shape, not on the store).
 */
export interface StixOrigins {
  stixMeta(id: string): ImportedStix | undefined;
}

export type StixObject = Record<string, unknown> & { type: string; id: string };
type Obj = StixObject;

/** UUIDv5 (RFC 4122): SHA-1 of namespace and name, with the version and variant bits set. */
export function uuidv5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The namespace STIX 2.1 (section 2.9) fixes for deterministic cyber-observable ids. */
const SCO_NS = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Our namespace for the objects exhunt creates, derived from the DNS namespace once. */
const NS = uuidv5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'stix.exhunt');
const TOOL_EPOCH = '2021-03-02T00:00:00.000Z';

/** A deterministic id for an object exhunt creates: the same name always gives the same id. */
export function exhuntId(type: string, name: string): string {
  return `${type}--${uuidv5(NS, name)}`;
}

/** The identity every object exhunt creates names as its creator. */
export function toolIdentity(): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: exhuntId('identity', 'identity\0exhunt'),
    created: TOOL_EPOCH,
    modified: TOOL_EPOCH,
    name: 'exhunt',
    identity_class: 'system',
  };
}

/** The id of a value's indicator: the imported STIX indicator's own, or one derived from type and value. */
export function indicatorIdOf(o: { stixId?: string | undefined; type: string; value: string }): string {
  return o.stixId ?? exhuntId('indicator', `indicator\0${o.type}\0${o.value}`);
}

/** Sorted-key JSON, the canonical form the id of an observable is computed over. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function sco(type: string, props: Record<string, unknown>): Obj {
  return { type, spec_version: '2.1', id: `${type}--${uuidv5(SCO_NS, canonical(props))}`, ...props };
}

/** One value the scan saw: an indicator a feed named, or an address, agent or file the scan found. */
export interface Observation {
  type: string;
  value: string;
  kind: 'matched' | 'found';
  /** The value as a log wrote it, where matching normalised it (user agents are compared case-folded). */
  display?: string;
  /** The imported STIX indicator this value belongs to. */
  stixId?: string;
  feed?: string;
  findings: Set<string>;
  count: number;
  first?: string;
  last?: string;
  /** What was seen, as observables: matched addresses, the HTTP requests of an agent, files. */
  seen: Map<string, Obj>;
  /** Observables referenced by `seen` (an HTTP request's client address). */
  extra: Map<string, Obj>;
}

const ATTACK = new Set(['attempt', 'success', 'compromise']);
function addrSco(ip: string): Obj {
  const v = ip.toLowerCase().replace(/^::ffff:(\d+\.)/, '$1');
  return sco(v.includes(':') ? 'ipv6-addr' : 'ipv4-addr', { value: v });
}

/** Observables for one finding's view of a value. */
function observed(type: string, value: string, f: Finding | undefined): Obj[] {
  const matched = (f && indicatorOf(f)?.matched) ?? value;
  const http = f?.request;
  switch (type) {
    case 'ip':
    case 'cidr':
      return [addrSco(matched)];
    case 'domain':
      return [sco('domain-name', { value: matched.toLowerCase() })];
    case 'url':
      return [sco('url', { value: matched })];
    case 'filename':
    case 'filepath': {
      const name = (f?.file?.path ?? f?.evidence[0]?.path ?? value).split('/').pop() ?? value;
      return [sco('file', { name })];
    }
    case 'md5':
    case 'sha1':
    case 'sha256':
      return [sco('file', { hashes: { [{ md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' }[type]]: matched } })];
    case 'user-agent': {
      // An HTTP request object needs its method and target; without them only the sighting is exported.
      const ip = f?.sourceIps.find((x) => !isPrivateAddress(x)) ?? f?.sourceIps[0];
      if (!ip || !http?.method || !http.path) return [];
      const src = addrSco(ip);
      const req = sco('network-traffic', {
        src_ref: src.id,
        protocols: ['http'],
        extensions: {
          'http-request-ext': {
            request_method: http.method.toLowerCase(),
            request_value: http.query ? `${http.path}?${http.query}` : http.path,
            request_header: { 'User-Agent': f?.userAgent ?? matched },
          },
        },
      });
      return [req, src];
    }
    default:
      return [];
  }
}

const FILE_TYPES = new Set(['filename', 'filepath', 'md5', 'sha1', 'sha256']);

/**
 * Every indicator the scan matched or found, keyed by type and value, in report order. A file counts once
 * however many findings and webshell entries name it; a log line counts once per finding.
 */
function collectObservations(report: ScanReport): Observation[] {
  const byKey = new Map<string, Observation>();
  const counted = new Set<string>();
  const note = (
    type: string,
    value: string,
    kind: Observation['kind'],
    f: Finding | undefined,
    unit: string,
    time?: string,
  ) => {
    const key = `${type}\0${value}`;
    let o = byKey.get(key);
    if (!o)
      byKey.set(
        key,
        (o = { type, value, kind, findings: new Set(), count: 0, seen: new Map(), extra: new Map() }),
      );
    if (kind === 'matched') o.kind = 'matched';
    if (type === 'user-agent') o.display ??= (f && indicatorOf(f)?.matched) ?? f?.userAgent;
    if (f) o.findings.add(f.id);
    if (counted.has(`${key}\0${unit}`)) return o;
    counted.add(`${key}\0${unit}`);
    o.count++;
    const t = time ?? f?.time;
    if (t && (!o.first || t < o.first)) o.first = t;
    if (t && (!o.last || t > o.last)) o.last = t;
    const [main, ...rest] = observed(type, value, f);
    if (main && o.seen.size < 50) o.seen.set(main.id, main);
    for (const x of rest) o.extra.set(x.id, x);
    return o;
  };
  for (const f of report.findings) {
    const ind = indicatorOf(f);
    if (ind) {
      const unit = FILE_TYPES.has(ind.type) ? `file:${f.evidence[0]?.path ?? f.id}` : f.id;
      const o = note(ind.type, ind.value, 'matched', f, unit);
      if (f.rule.id.startsWith('indicator--')) o.stixId = f.rule.id;
      o.feed ??= f.rule.source;
      continue;
    }
    if (!ATTACK.has(f.outcome)) continue;
    for (const ip of f.sourceIps) if (!isPrivateAddress(ip)) note('ip', ip.toLowerCase(), 'found', f, f.id);
    if (f.userAgent) note('user-agent', f.userAgent, 'found', f, f.id);
  }
  for (const w of report.webshells) {
    const name = w.path.split('/').pop() ?? w.path;
    if (w.sha256) note('sha256', w.sha256, 'found', undefined, `file:${w.path}`, w.modified);
    const o = note('filename', name.toLowerCase(), 'found', undefined, `file:${w.path}`, w.modified);
    const file = sco('file', { name, ...(w.sha256 ? { hashes: { 'SHA-256': w.sha256 } } : {}) });
    if (o.kind === 'found') {
      o.seen.clear();
      o.seen.set(file.id, file);
    }
  }
  return [...byKey.values()];
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function patternOf(type: string, value: string): string {
  switch (type) {
    case 'ip':
      return `[${value.includes(':') ? 'ipv6' : 'ipv4'}-addr:value = ${quote(value)}]`;
    case 'cidr':
      return `[${value.includes(':') ? 'ipv6' : 'ipv4'}-addr:value ISSUBSET ${quote(value)}]`;
    case 'domain':
      return `[domain-name:value = ${quote(value)}]`;
    case 'url':
      return `[url:value = ${quote(value)}]`;
    case 'filepath': {
      const i = value.lastIndexOf('/');
      return `[file:name = ${quote(value.slice(i + 1))} AND file:parent_directory_ref.path = ${quote(value.slice(0, Math.max(i, 0)))}]`;
    }
    case 'md5':
      return `[file:hashes.MD5 = ${quote(value)}]`;
    case 'sha1':
      return `[file:hashes.'SHA-1' = ${quote(value)}]`;
    case 'sha256':
      return `[file:hashes.'SHA-256' = ${quote(value)}]`;
    case 'user-agent':
      return `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = ${quote(value)}]`;
    default:
      return `[file:name = ${quote(value)}]`;
  }
}

/**
 * A bundle with one identity for exhunt and one for the evidence, an indicator per matched or found value
 * (an imported STIX indicator keeps its id and pattern), observed data for what was seen and a sighting
 * per indicator with `first_seen`, `last_seen` and `count`. Ids are UUIDv5 over content and times come
 * from the report, so the same report always gives the same bundle.
 */
export function toStixBundle(report: ScanReport, indicators?: StixOrigins): object {
  const created = report.scan.finishedAt;
  const tool = toolIdentity();
  const evidenceName =
    report.scan.evidence.sha256 ?? report.scan.evidence.root.split(/[\\/]/).pop() ?? 'evidence';
  const where: Obj = {
    type: 'identity',
    spec_version: '2.1',
    id: `identity--${uuidv5(NS, `evidence\0${report.scan.evidence.root}\0${report.scan.startedAt}`)}`,
    created_by_ref: tool.id,
    created,
    modified: created,
    name: `Exchange server evidence ${evidenceName}`,
    identity_class: 'system',
  };
  const objects = new Map<string, Obj>([
    [tool.id, tool],
    [where.id, where],
  ]);
  const groups = new Map<string, Observation[]>();
  for (const o of collectObservations(report)) {
    const id = indicatorIdOf(o);
    const g = groups.get(id);
    if (g) g.push(o);
    else groups.set(id, [o]);
  }
  for (const [id, obs] of groups) {
    const first = minOf(obs.map((o) => o.first)) ?? report.scan.startedAt;
    const last = maxOf(obs.map((o) => o.last)) ?? first;
    const count = Math.min(
      obs.reduce((n, o) => n + o.count, 0),
      999_999_999,
    );
    if (!objects.has(id)) objects.set(id, indicatorObject(id, obs[0]!, indicators, tool.id, created, first));
    const refs: string[] = [];
    for (const o of obs) {
      for (const x of [...o.seen.values(), ...o.extra.values()]) objects.set(x.id, x);
      if (o.seen.size === 0) continue;
      const od: Obj = {
        type: 'observed-data',
        spec_version: '2.1',
        id: `observed-data--${uuidv5(NS, `observed\0${id}\0${o.type}\0${o.value}\0${o.first ?? ''}\0${o.count}`)}`,
        created_by_ref: tool.id,
        created,
        modified: created,
        first_observed: o.first ?? first,
        last_observed: o.last ?? o.first ?? last,
        number_observed: Math.max(1, Math.min(o.count, 999_999_999)),
        object_refs: [...o.seen.keys(), ...o.extra.keys()],
      };
      objects.set(od.id, od);
      refs.push(od.id);
    }
    const sighting: Obj = {
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${uuidv5(NS, `sighting\0${id}\0${where.id}\0${first}\0${last}\0${count}`)}`,
      created_by_ref: tool.id,
      created,
      modified: created,
      first_seen: first,
      last_seen: last,
      count,
      sighting_of_ref: id,
      ...(refs.length > 0 ? { observed_data_refs: refs } : {}),
      where_sighted_refs: [where.id],
      description: `${obs.map((o) => `${o.type} ${o.value}`).join(', ')}: ${obs[0]!.kind === 'matched' ? `matched ${obs[0]!.feed ?? 'a feed'}` : 'found by the scan'} in ${count} finding(s)`,
    };
    objects.set(sighting.id, sighting);
  }
  return bundleOf(objects.values());
}

/** Objects in a fixed order (identities, indicators, sightings, the rest), with an id derived from theirs. */
export function bundleOf(objects: Iterable<StixObject>): {
  type: 'bundle';
  id: string;
  objects: StixObject[];
} {
  const order = ['identity', 'indicator', 'sighting', 'observed-data'];
  const list = [...objects].sort(
    (a, b) =>
      rank(order, a.type) - rank(order, b.type) || a.type.localeCompare(b.type) || a.id.localeCompare(b.id),
  );
  return { type: 'bundle', id: exhuntId('bundle', list.map((o) => o.id).join('\n')), objects: list };
}

function rank(order: string[], t: string): number {
  const i = order.indexOf(t);
  return i < 0 ? order.length : i;
}

function minOf(xs: (string | undefined)[]): string | undefined {
  return xs.reduce<string | undefined>((m, x) => (x && (!m || x < m) ? x : m), undefined);
}

function maxOf(xs: (string | undefined)[]): string | undefined {
  return xs.reduce<string | undefined>((m, x) => (x && (!m || x > m) ? x : m), undefined);
}

/**
 * The indicator object of a value: an imported STIX indicator re-emitted as its feed had it (when the store
 * holds it), else one made from the value. `seenIn` ends the description (the evidence, or the fleet).
 */
export function indicatorObject(
  id: string,
  o: Pick<Observation, 'type' | 'value' | 'kind' | 'display' | 'stixId' | 'feed'>,
  store: StixOrigins | undefined,
  creator: string,
  created: string,
  validFrom: string,
  seenIn = 'this evidence',
): Obj {
  const meta = o.stixId ? store?.stixMeta(o.stixId) : undefined;
  if (meta?.pattern) {
    // Re-emitted as imported, so the receiver sees the same indicator its own feed sent.
    return {
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: meta.created ?? created,
      modified: meta.modified ?? meta.created ?? created,
      ...(meta.title ? { name: meta.title } : {}),
      ...(meta.description ? { description: meta.description } : {}),
      pattern: meta.pattern,
      pattern_type: 'stix',
      valid_from: meta.validFrom ?? meta.created ?? validFrom,
      ...(meta.validUntil ? { valid_until: meta.validUntil } : {}),
      ...(meta.references
        ? { external_references: meta.references.map((url) => ({ source_name: meta.source, url })) }
        : {}),
    };
  }
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created_by_ref: creator,
    created,
    modified: created,
    name: `${o.type} ${o.display ?? o.value}`,
    description:
      o.kind === 'matched'
        ? `Listed by ${o.feed ?? 'a feed'} and seen in ${seenIn}`
        : `Seen in exploitation or webshell activity in ${seenIn}`,
    indicator_types: [
      o.kind === 'matched' || o.type === 'sha256' ? 'malicious-activity' : 'anomalous-activity',
    ],
    pattern: patternOf(o.type, o.display ?? o.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: validFrom,
  };
}

/** One CSV row per value: what it is, whether a feed named it, how often and when it was seen. */
export function indicatorsCsv(report: ScanReport): string {
  const head = [
    'type',
    'value',
    'kind',
    'count',
    'first_seen',
    'last_seen',
    'stix_id',
    'feed',
    'finding_ids',
  ];
  const rows = collectObservations(report).map((o) =>
    [
      o.type,
      o.value,
      o.kind,
      String(o.count),
      o.first ?? '',
      o.last ?? '',
      o.stixId ?? '',
      o.feed ?? '',
      [...o.findings].join(' '),
    ]
      .map(csvField)
      .join(','),
  );
  return [head.join(','), ...rows].join('\r\n') + '\r\n';
}
