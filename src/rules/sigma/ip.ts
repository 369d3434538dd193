// IPv4/IPv6 address and CIDR parsing for the `cidr` modifier; IPv4-mapped IPv6 counts as IPv4.

/** An address as 8 16-bit groups (IPv4 is ::ffff:a.b.c.d), or undefined when not an address. */
export function parseIp(s: string): Uint16Array | undefined {
  if (s.includes(':')) return parseV6(s);
  const v4 = parseV4(s);
  if (!v4) return undefined;
  const out = new Uint16Array(8);
  out[5] = 0xffff;
  out[6] = ((v4[0] as number) << 8) | (v4[1] as number);
  out[7] = ((v4[2] as number) << 8) | (v4[3] as number);
  return out;
}

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s0: string): Uint16Array | undefined {
  // Zone ids (`fe80::1%eth0`) name an interface, not part of the address.
  const s = s0.replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i] as string;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseV4(it);
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  return Uint16Array.from([...head, ...new Array<number>(fill).fill(0), ...tail]);
}

interface Cidr {
  readonly addr: Uint16Array;
  /** Prefix length over the 128-bit form (IPv4 prefixes are offset by 96). */
  readonly bits: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  const ip = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!ip) return undefined;
  const v4 = !s.includes(':');
  const max = v4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = s.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(b) || Number(b) > max) return undefined;
    bits = Number(b);
  }
  return { addr: ip, bits: v4 ? bits + 96 : bits };
}

export function inCidr(ip: Uint16Array, c: Cidr): boolean {
  let bits = c.bits;
  for (let i = 0; i < 8 && bits > 0; i++) {
    const take = bits >= 16 ? 16 : bits;
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((ip[i] as number) & mask) !== ((c.addr[i] as number) & mask)) return false;
    bits -= take;
  }
  return true;
}
