// One normal form per indicator type, so that feeds and log fields compare equal, and type detection for lists.

import type { IndicatorType } from './types.js';
import { canonicalCidr, canonicalIp } from '../../core/ip.js';

/** Feeds defang values so nobody clicks them: `1.2.3[.]4`, `hxxp://`, `evil(.)com`, `[:]`. */
function refang(s: string): string {
  return s
    .trim()
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^(https?)\[:\/\/\]/i, '$1://');
}

/** IIS writes spaces in headers as `+`, feeds copy either form: compare with `+` as space, case-folded. */
export function normaliseUserAgent(s: string): string {
  return s.replace(/\+/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

function normaliseDomain(s: string): string | undefined {
  const d = s.trim().toLowerCase().replace(/\.$/, '');
  return /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/.test(d)
    ? d
    : undefined;
}

/** Scheme and host lower-cased, default port and fragment dropped, path and query kept as written. */
export function normaliseUrl(s: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]+)([^#\s]*)/i.exec(s.trim());
  if (!m) return undefined;
  const scheme = (m[1] ?? '').toLowerCase();
  let host = (m[2] ?? '').toLowerCase().replace(/^[^@]*@/, '');
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443')))
    host = host.slice(0, host.lastIndexOf(':'));
  const rest = m[3] ?? '';
  return `${scheme}://${host}${rest === '' ? '/' : rest}`;
}

/** Host part of a URL (`http://a.b:8080/x` → `a.b`), without port or brackets. */
export function hostOfUrl(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return m?.[1]?.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * Windows or Unix path, lower-cased with forward slashes. A path under a folder Exchange or IIS serves is
 * cut to start at that folder, so the indicator matches whatever drive or install path the server used.
 */
export function normalisePath(s: string): string {
  const p = s
    .trim()
    .replace(/\\/g, '/')
    .replace(/^[a-z]:\//i, '')
    .replace(/\/{2,}/g, '/')
    .toLowerCase();
  for (const anchor of ['frontend/httpproxy/', 'clientaccess/', 'inetpub/wwwroot/']) {
    const i = p.indexOf(anchor);
    if (i >= 0) return p.slice(i);
  }
  return p.replace(/^\//, '');
}

export function baseName(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** File extensions that make `a.zip` or `shell.aspx` a file name rather than a domain. */
const FILE_EXTENSIONS = new Set(
  'aspx asp ashx asmx ascx asax config cshtml svc php jsp js css dll exe zip 7z rar gz tar cab dmp pst ps1 bat cmd vbs txt log gif jpg png ico htm html xml json bin tmp sys msi lnk hta jar war'.split(
    ' ',
  ),
);

/** Characters Windows refuses in a file name. */
// eslint-disable-next-line no-control-regex -- control characters are among them
const BAD_NAME = /[\x00-\x1f<>:"|?*]/;

const HASH_TYPES: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** The type a bare value most likely is, for lists without a type column; undefined when none fits. */
export function detectType(raw: string): IndicatorType | undefined {
  const v = refang(raw);
  if (v === '') return undefined;
  if (/^[0-9a-f]+$/i.test(v) && HASH_TYPES[v.length]) return HASH_TYPES[v.length];
  if (canonicalIp(v)) return 'ip';
  if (v.includes('/') && canonicalCidr(v)) return 'cidr';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return 'url';
  if (/^[a-z]:\\|^\\\\|^%[a-z]+%\\/i.test(v) || (v.includes('\\') && !v.includes(' '))) return 'filepath';
  const ext = /\.([a-z0-9]{1,5})$/i.exec(v)?.[1]?.toLowerCase();
  if (!v.includes(' ') && !v.includes('/') && ext && FILE_EXTENSIONS.has(ext)) return 'filename';
  if (normaliseDomain(v)) return 'domain';
  // product/version, optionally with comments: `python-requests/2.25.1`, `Mozilla/5.0 (...)`.
  if (/^[A-Za-z][\w.!-]*\/[\w.+-]+(?:[\s+;(]|$)/.test(v)) return 'user-agent';
  return undefined;
}

/** The normalised value for a type, or a reason it does not fit. */
export function normalise(type: IndicatorType, raw: string): { value: string } | { error: string } {
  const v = type === 'user-agent' ? raw.trim() : refang(raw);
  const fail = (what: string) => ({ error: `not ${what}: ${JSON.stringify(raw.slice(0, 200))}` });
  switch (type) {
    case 'ip': {
      const ip = canonicalIp(v);
      if (ip) return { value: ip };
      const c = canonicalCidr(v);
      return c ? { value: c } : fail('an IP address');
    }
    case 'cidr': {
      const c = v.includes('/') ? canonicalCidr(v) : canonicalIp(v);
      return c ? { value: c } : fail('an address range');
    }
    case 'domain': {
      const d = normaliseDomain(v);
      return d ? { value: d } : fail('a domain name');
    }
    case 'url': {
      const u = normaliseUrl(v);
      return u ? { value: u } : fail('a URL');
    }
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const len = { md5: 32, sha1: 40, sha256: 64 }[type];
      return new RegExp(`^[0-9a-f]{${len}}$`, 'i').test(v)
        ? { value: v.toLowerCase() }
        : fail(`a ${type} hash`);
    }
    case 'filename': {
      if (/[\\/]/.test(v)) return normalise('filepath', v);
      return v.length > 0 && v.length <= 255 && !BAD_NAME.test(v)
        ? { value: v.toLowerCase() }
        : fail('a file name');
    }
    case 'filepath': {
      const p = normalisePath(v);
      const name = baseName(p);
      return name.length > 0 && !p.includes('*') ? { value: p } : fail('a file path');
    }
    case 'user-agent': {
      const ua = normaliseUserAgent(v);
      return ua.length > 0 ? { value: ua } : fail('a user agent');
    }
  }
}

/** Type names used by lists and MISP, mapped to ours (`ip-src|port` keeps only the address). */
const TYPE_ALIASES: Record<string, IndicatorType> = {
  ip: 'ip',
  ipv4: 'ip',
  ipv6: 'ip',
  'ipv4-addr': 'ip',
  'ipv6-addr': 'ip',
  address: 'ip',
  'ip-src': 'ip',
  'ip-dst': 'ip',
  cidr: 'cidr',
  range: 'cidr',
  network: 'cidr',
  domain: 'domain',
  hostname: 'domain',
  'domain-name': 'domain',
  fqdn: 'domain',
  url: 'url',
  uri: 'url',
  link: 'url',
  filename: 'filename',
  'file-name': 'filename',
  file: 'filename',
  name: 'filename',
  filepath: 'filepath',
  path: 'filepath',
  'file-path': 'filepath',
  md5: 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
  hash: 'sha256',
  'user-agent': 'user-agent',
  useragent: 'user-agent',
  ua: 'user-agent',
};

export function typeFromName(name: string): IndicatorType | undefined {
  const key = name.trim().toLowerCase().replace(/_/g, '-');
  // Own keys only: `constructor` in a feed is an unknown type, not Object's constructor.
  return Object.hasOwn(TYPE_ALIASES, key) ? TYPE_ALIASES[key] : undefined;
}

/**
 * Type and normal form of one entry: detected when no type is given; a hash column typed loosely is
 * retyped by its length, an address with a prefix length is a range, a name with folders is a path.
 */
export function classify(
  type: IndicatorType | undefined,
  raw: string,
): { type: IndicatorType; value: string } | { error: string } {
  let t = type ?? detectType(raw);
  if (!t)
    return { error: `cannot tell what kind of indicator this is: ${JSON.stringify(raw.slice(0, 200))}` };
  const v = refang(raw);
  if ((t === 'md5' || t === 'sha1' || t === 'sha256') && /^[0-9a-f]+$/i.test(v))
    t = HASH_TYPES[v.length] ?? t;
  if (t === 'ip' && v.includes('/')) t = 'cidr';
  if (t === 'filename' && /[\\/]/.test(v)) t = 'filepath';
  if (t === 'url' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && normaliseDomain(v)) t = 'domain';
  const n = normalise(t, raw);
  return 'error' in n ? n : { type: t, value: n.value };
}
