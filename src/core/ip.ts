// IPv4 and IPv6 addresses and CIDR ranges: parsing, canonical text, numeric keys for range lookups, and the
// one answer to "is this address private?" that analysis, indicators, exports and the fleet all use.

/** An IPv4 address as an unsigned 32-bit number, or undefined. Leading zeros are refused (ambiguous octal). */
export function parseIPv4(s: string): number | undefined {
  let n = 0;
  let parts = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && s.charCodeAt(i) !== 46) continue;
    const len = i - start;
    if (len === 0 || len > 3 || (len > 1 && s.charCodeAt(start) === 48)) return undefined;
    let v = 0;
    for (let k = start; k < i; k++) {
      const c = s.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return undefined;
      v = v * 10 + c;
    }
    if (v > 255) return undefined;
    n = n * 256 + v;
    parts++;
    start = i + 1;
  }
  return parts === 4 ? n : undefined;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** An IPv6 address as a 128-bit bigint (embedded IPv4 tails and `::` allowed, zone ids refused). */
function parseIPv6(s: string): bigint | undefined {
  if (s.length < 2 || s.length > 45 || s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const g = items[i] ?? '';
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let n = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) n = (n << 16n) | BigInt(g);
  return n;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as `::`. */
function formatIPv6(n: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const MAPPED_PREFIX = 0xffffn << 32n;

type ParsedIp = { v: 4; n: number } | { v: 6; n: bigint };

/** Parses an address; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, common in Windows events) is IPv4. */
export function parseIp(s: string): ParsedIp | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = parseIPv6(s);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v: 4, n: Number(v6 - MAPPED_PREFIX) };
  return { v: 6, n: v6 };
}

export function formatIp(ip: ParsedIp): string {
  return ip.v === 4 ? formatIPv4(ip.n) : formatIPv6(ip.n);
}

/** Canonical text of an address, or undefined when it is not one. */
export function canonicalIp(s: string): string | undefined {
  const ip = parseIp(s);
  return ip ? formatIp(ip) : undefined;
}

type IpRange = { v: 4; start: number; end: number } | { v: 6; start: bigint; end: bigint };

/** `10.0.0.0/8` or `2001:db8::/32`; host bits set below the prefix are cleared, as routers do. */
export function parseCidr(s: string): IpRange | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const bitsText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const ip = parseIp(s.slice(0, slash));
  if (!ip) return undefined;
  // A mapped address written with an IPv6 prefix length keeps only the IPv4 part of the prefix.
  const v6Mapped = ip.v === 4 && s.slice(0, slash).includes(':');
  const eff = v6Mapped ? bits - 96 : bits;
  if (ip.v === 4) {
    if (eff < 0 || eff > 32) return undefined;
    const size = 2 ** (32 - eff);
    const start = Math.floor(ip.n / size) * size;
    return { v: 4, start, end: start + size - 1 };
  }
  if (bits > 128) return undefined;
  const host = (1n << BigInt(128 - bits)) - 1n;
  const start = ip.n & ~host & ((1n << 128n) - 1n);
  return { v: 6, start, end: start | host };
}

/** Canonical text of a range (`10.0.0.0/8`), or undefined. */
export function canonicalCidr(s: string): string | undefined {
  const r = parseCidr(s);
  if (!r) return undefined;
  if (r.v === 4) return `${formatIPv4(r.start)}/${32 - Math.log2(r.end - r.start + 1)}`;
  let bits = 128;
  for (let span = r.end - r.start; span > 0n; span >>= 1n) bits--;
  return `${formatIPv6(r.start)}/${bits}`;
}

/**
 * Addresses that belong to someone's own network, not to the internet: 0.0.0.0/8 ("this network"),
 * RFC 1918 (10/8, 172.16/12, 192.168/16), loopback 127/8, link-local 169.254/16, CGNAT 100.64/10 (RFC 6598);
 * IPv6 unspecified and loopback (::, ::1), unique-local fc00::/7 and link-local fe80::/10. An IPv4-mapped
 * IPv6 address (`::ffff:10.0.0.1`, in either spelling) is judged as the IPv4 address it carries.
 * Such addresses are not an attacker's identity: every network has a 10.0.0.5, so they are never shared
 * as indicators, never link organisations, and mark hops rather than clients. False for non-addresses.
 */
export function isPrivateAddress(s: string): boolean {
  const ip = parseIp(s.toLowerCase());
  if (!ip) return false;
  if (ip.v === 4) {
    const a = ip.n >>> 24;
    const b = (ip.n >>> 16) & 255;
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b < 128)
    );
  }
  return ip.n <= 1n || ip.n >> 121n === 0x7en || ip.n >> 118n === 0x3fan;
}

/** An address that is not private (see above); false for text that is not an address. */
export function isPublicAddress(s: string): boolean {
  return parseIp(s.toLowerCase()) !== undefined && !isPrivateAddress(s);
}
