// One written form per indicator, so that the same address, agent or file counts once however a log wrote it.

/**
 * User agents compared across logs that write them differently: IIS writes spaces as `+`, HttpProxy writes
 * commas as spaces. Case-folded, runs of blanks collapsed.
 */
export function normaliseUserAgent(ua: string): string {
  return ua.toLowerCase().replace(/[+,]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * An address in one written form: IPv4 as dotted quads (an IPv4-mapped IPv6 address becomes its IPv4
 * address, a port or brackets around IPv6 are dropped), IPv6 lower-cased and compressed (RFC 5952, as the
 * WHATWG URL parser writes it). Undefined when it is not an address.
 */
export function normaliseAddress(raw: string): string | undefined {
  let s = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed?.[1]) s = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  const mapped = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (mapped?.[1]) s = mapped[1];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) {
    const parts = s.split('.').map(Number);
    return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
  }
  if (!s.includes(':') || s.includes('%')) return undefined;
  try {
    const host = new URL(`http://[${s}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** A webshell's or tool's file name: the last path segment, either slash, case-folded (Windows ignores case). */
export function normaliseFileName(pathOrName: string): string {
  const p = pathOrName.trim().replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1).toLowerCase();
}

/** Hex digests in lower case. */
export function normaliseHash(h: string): string {
  return h.trim().toLowerCase();
}
