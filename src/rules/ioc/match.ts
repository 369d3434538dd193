// The per-source IOC matcher: field values looked up in the store, one Map get each, no pattern per indicator.

import { createHash } from 'node:crypto';
import type { DetectorContext, Hit } from '../../core/detector.js';
import type { FieldValue, LogRecord } from '../../core/record.js';
import type { SourceFields } from './fields.js';
import { IOC_FIELDS } from './fields.js';
import { gateLiterals } from './gate.js';
import type { MatchContext, MatchKind } from './hits.js';
import { applies, indicatorHit } from './hits.js';
import { hostOfUrl } from './normalise.js';
import type { IndicatorStore } from './store.js';
import type { Indicator } from './types.js';

/** The engine's matcher shape (src/engine/matchers.ts), restated so rules do not import the engine. */
export interface IocMatcher {
  /** Lower-cased literals one of which a line must contain (text logs, small feeds); else every record. */
  literals?: readonly string[];
  check(r: LogRecord, ctx: DetectorContext): Hit[] | undefined;
}

const SINGLE = /^[0-9a-f.]+$/i;
const URL_RE = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>`]+/gi;
/** Host-name-shaped tokens: `@evil.example` in an SSRF path, `evil.example` in a query parameter. */
const HOST_RE = /(?:^|[^a-z0-9_.-])((?:[a-z0-9_-]{1,63}\.)+[a-z][a-z0-9-]{1,62})(?![a-z0-9_.-])/gi;

/**
 * Matchers for one source, built from the store. The check itself is Map gets on field values, whatever
 * the feed's size. For text logs and small feeds it also states literals (gate.ts), so the engine's
 * chunk gate keeps skipping lines that hold no indicator; with large feeds, IPv6 indicators or wide
 * ranges it runs on every record instead of carrying a pattern with thousands of alternatives.
 */
export function iocMatchers(store: IndicatorStore): (source: string) => IocMatcher[] {
  return (source) => {
    const f = IOC_FIELDS[source];
    if (!f || store.size === 0) return [];
    const check = makeCheck(store, f);
    if (!check) return [];
    const literals = f.gate ? gateLiterals(store, f) : undefined;
    if (literals && literals.length === 0) return [];
    return [{ ...(literals ? { literals } : {}), check }];
  };
}

function strings(v: FieldValue | readonly FieldValue[] | undefined): string[] {
  if (typeof v === 'string') return v.length > 0 && v !== '-' ? [v] : [];
  if (Array.isArray(v)) return v.flatMap((x) => strings(x as FieldValue));
  return [];
}

function first(r: LogRecord, fields: readonly string[] | undefined): string | undefined {
  for (const f of fields ?? []) {
    const v = r.get(f);
    if (typeof v === 'string' && v.length > 0) return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

/** `1.2.3.4:5555`, `[2001:db8::1]:443`, `1.2.3.4, 10.0.0.1` → bare addresses. */
export function splitAddresses(v: string): string[] {
  // Most fields hold one bare address: no split, no regular expression.
  if (SINGLE.test(v)) return [v];
  const out: string[] = [];
  for (const part of v.split(/[\s,;]+/)) {
    if (part === '' || part === '-') continue;
    let a = part;
    if (a.startsWith('[')) a = a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
    else if (a.indexOf(':') > 0 && a.indexOf(':') === a.lastIndexOf(':') && a.includes('.'))
      a = a.slice(0, a.indexOf(':')); // IPv4 with a port
    out.push(a);
  }
  return out;
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function makeCheck(store: IndicatorStore, f: SourceFields): IocMatcher['check'] | undefined {
  const wantIp = !!f.addresses && (store.has('ip') || store.has('cidr'));
  const wantUa = !!f.userAgents && store.has('user-agent');
  const wantUrl = store.has('url');
  const wantDomain = store.has('domain');
  const wantUris = !!(f.uris || f.referers) && (wantUrl || wantDomain);
  const wantFiles =
    !!f.files && (store.has('filename') || store.has('filepath') || store.has('md5') || store.has('sha1'));
  if (!wantIp && !wantUa && !wantUris && !wantFiles) return undefined;
  // A log repeats a handful of user agents: remember each one's answer instead of normalising it again.
  const uaSeen = new Map<string, readonly Indicator[]>();
  const matchUa = (ua: string) => {
    let hit = uaSeen.get(ua);
    if (hit === undefined) {
      if (uaSeen.size >= 4096) uaSeen.clear();
      uaSeen.set(ua, (hit = store.matchUserAgent(ua)));
    }
    return hit;
  };

  return (r) => {
    let found: { all: readonly Indicator[]; kind: MatchKind; field: string; matched: string }[] | undefined;
    const add = (all: readonly Indicator[], kind: MatchKind, field: string, matched: string) => {
      const live = all.filter((i) => applies(i, r.time));
      if (live.length === 0) return;
      (found ??= []).push({ all: live, kind, field, matched });
    };
    const ips: string[] = [];
    if (f.addresses)
      for (const field of f.addresses)
        for (const v of strings(r.get(field)))
          for (const a of splitAddresses(v)) {
            if (!ips.includes(a)) ips.push(a);
            if (wantIp) add(store.matchAddress(a), 'address', field, a);
          }
    const ua = f.userAgents ? first(r, f.userAgents) : undefined;
    if (wantUa && ua) add(matchUa(ua), 'user-agent', fieldOf(r, f.userAgents), ua);
    if (wantUris) {
      for (const field of f.uris ?? []) for (const v of strings(r.get(field))) scanText(safeDecode(v), field);
      for (const field of f.referers ?? [])
        for (const v of strings(r.get(field))) {
          if (wantUrl) add(store.matchUrl(v), 'url', field, v);
          const host = hostOfUrl(v);
          if (wantDomain && host) add(store.matchDomain(host), 'domain', field, host);
        }
    }
    if (wantFiles) matchFile(r);
    if (!found) return undefined;
    return toHits(found, r, f, ips, ua);

    function scanText(text: string, field: string): void {
      for (const m of text.matchAll(URL_RE)) {
        if (wantUrl) add(store.matchUrl(m[0]), 'url', field, m[0]);
        const host = hostOfUrl(m[0]);
        if (wantDomain && host) add(store.matchDomain(host), 'domain', field, host);
      }
      if (wantDomain)
        for (const m of text.matchAll(HOST_RE)) if (m[1]) add(store.matchDomain(m[1]), 'domain', field, m[1]);
    }

    function matchFile(rec: LogRecord): void {
      const path = first(rec, ['Path']) ?? '';
      add(store.matchFile(path), 'file-name', 'Path', path);
      // The whole file is hashed with SHA-256 by the engine; MD5 and SHA-1 only exist in feeds, so they
      // are computed here from the content the record holds, when it holds the whole file.
      if (rec.get('Truncated') !== false || !(store.has('md5') || store.has('sha1'))) return;
      const bytes = Buffer.from(rec.text(), 'latin1');
      for (const alg of ['md5', 'sha1'] as const)
        if (store.has(alg)) {
          const hex = createHash(alg).update(bytes).digest('hex');
          add(store.matchHash(alg, hex), 'hash', alg.toUpperCase(), hex);
        }
    }
  };
}

function fieldOf(r: LogRecord, fields: readonly string[] | undefined): string {
  return fields?.find((x) => typeof r.get(x) === 'string') ?? fields?.[0] ?? '';
}

/** One hit per indicator rule, however many fields named it (c-ip and X-Forwarded-For alike). */
function toHits(
  found: { all: readonly Indicator[]; kind: MatchKind; field: string; matched: string }[],
  r: LogRecord,
  f: SourceFields,
  ips: string[],
  ua: string | undefined,
): Hit[] {
  const hits: Hit[] = [];
  const seen = new Set<string>();
  const status = first(r, f.status);
  const method = first(r, f.method);
  const url = f.method ? first(r, f.uris) : undefined;
  for (const x of found) {
    const hit = indicatorHit(x.all, ctxOf(x, r, f, ips, ua, status));
    if (method && url && hit.details) Object.assign(hit.details, { method, url });
    if (seen.has(hit.rule.id)) continue;
    seen.add(hit.rule.id);
    hits.push(hit);
  }
  return hits;
}

function ctxOf(
  x: { kind: MatchKind; field: string; matched: string },
  r: LogRecord,
  f: SourceFields,
  ips: string[],
  ua: string | undefined,
  status: string | undefined,
): MatchContext {
  const file = x.kind === 'file-name' || x.kind === 'hash';
  return {
    kind: x.kind,
    stage: f.stage,
    ...(f.files ? { file: f.files } : {}),
    time: r.time,
    sourceIps: ips,
    userAgent: ua,
    field: x.field,
    matched: x.matched,
    ...(status ? { status } : {}),
    // A whole-file record's text is the file: show its path, not webshell code, as the excerpt.
    ...(file ? { excerpt: x.kind === 'hash' ? `${x.field} ${x.matched}` : x.matched } : {}),
  };
}
