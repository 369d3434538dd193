// Background noise: indicators that are everywhere and prove nothing about an attacker. Internet-wide
// scanners (data/internet-scanners.json), Nmap's scripts, generic browser and HTTP-library user agents, and
// addresses or agents the fleet saw at many unrelated organisations. They never join attacker clusters.

import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import type { IndicatorKind } from './schema.js';

import type { NoiseReason } from '../core/views.js';
export type { NoiseReason } from '../core/views.js';

export interface Noise {
  reason: NoiseReason;
  /** The scanner's name, the library, or how many organisations saw it; shown as is. */
  detail: string;
}

interface ScannerRow {
  name: string;
  ranges: string[];
  userAgents: string[];
  sources: string[];
}

interface ScannerTable {
  sources: Record<string, { title: string; url?: string; note?: string }>;
  scanners: ScannerRow[];
}

const CIDR = /^([0-9a-f.:]+)\/(\d{1,3})$/i;

/** Every problem of the table as `where: message`; empty when it is sound. */
export function validateScannerTable(data: unknown): string[] {
  const errors: string[] = [];
  const obj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!obj(data)) return ['the table is not an object'];
  const sources = obj(data['sources']) ? data['sources'] : {};
  if (!obj(data['sources'])) errors.push('sources: missing or not an object');
  for (const [id, s] of Object.entries(sources))
    if (!obj(s) || typeof s['title'] !== 'string' || !/^https?:\/\/\S+$/.test(String(s['url'])))
      errors.push(`sources.${id}: needs a title and an http(s) url`);
  const rows = data['scanners'];
  if (!Array.isArray(rows) || rows.length === 0) return [...errors, 'scanners: missing or empty'];
  rows.forEach((r: unknown, i) => {
    const where = `scanners[${i}]`;
    if (!obj(r)) return void errors.push(`${where}: not an object`);
    if (typeof r['name'] !== 'string' || !r['name']) errors.push(`${where}: needs a name`);
    const cited = r['sources'];
    if (!Array.isArray(cited) || cited.length === 0) errors.push(`${where}: needs at least one source`);
    else
      for (const s of cited)
        if (!(String(s) in sources)) errors.push(`${where}: unknown source ${String(s)}`);
    const ranges = r['ranges'];
    const agents = r['userAgents'];
    if (!Array.isArray(ranges) || !Array.isArray(agents))
      return void errors.push(`${where}: ranges and userAgents must be lists`);
    if (ranges.length + agents.length === 0) errors.push(`${where}: names neither a range nor a user agent`);
    for (const c of ranges) {
      const m = CIDR.exec(String(c));
      const v = m ? isIP(m[1] ?? '') : 0;
      if (!m || v === 0 || Number(m[2]) > (v === 4 ? 32 : 128))
        errors.push(`${where}: ${String(c)} is not a CIDR range`);
    }
    for (const a of agents)
      if (
        typeof a !== 'string' ||
        a.length < 4 ||
        a !== a.toLowerCase().replace(/[+,]/g, ' ').replace(/\s+/g, ' ')
      )
        errors.push(
          `${where}: user agent ${String(a)} must be normalised (lower case, no + or commas) and 4+ characters`,
        );
  });
  return errors;
}

let table: ScannerTable | undefined;

/** The shipped table, read once and validated (a broken table is a build error, not a silent skip). */
export function scannerTable(): ScannerTable {
  if (table) return table;
  const data: unknown = JSON.parse(
    readFileSync(new URL('../../../data/internet-scanners.json', import.meta.url), 'utf8'),
  );
  const errors = validateScannerTable(data);
  if (errors.length) throw new Error(`data/internet-scanners.json: ${errors.join('; ')}`);
  return (table = data as ScannerTable);
}

/** Which scanner of the table an address or (normalised) user agent belongs to. */
export function scannerMatcher(t: ScannerTable): (kind: IndicatorKind, value: string) => string | undefined {
  const nets = t.scanners.map((s) => {
    const list = new BlockList();
    for (const c of s.ranges) {
      const [net = '', bits = '0'] = c.split('/');
      list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
    }
    return { name: s.name, list, agents: s.userAgents };
  });
  return (kind, value) => {
    if (kind === 'ip') {
      const v = isIP(value);
      if (v === 0) return undefined;
      return nets.find((n) => n.list.check(value, v === 6 ? 'ipv6' : 'ipv4'))?.name;
    }
    if (kind === 'user-agent') return nets.find((n) => n.agents.some((a) => value.includes(a)))?.name;
    return undefined;
  };
}

/** Default user agents of HTTP libraries and shells: every attacker and scanner script sends them. */
const CLIENT_LIBRARY =
  /^(python-requests|python-urllib3?|python-httpx|aiohttp|curl|wget|go-http-client|java|okhttp|apache-httpclient|libwww-perl|axios|node-fetch|undici|ruby|php)\/|windowspowershell\//;
/** A browser's user agent: Mozilla/5.0 with a rendering engine or browser token. */
const BROWSER = /^mozilla\/[45]\.0 \((windows|macintosh|x11|linux|iphone|ipad|android|compatible; msie)/;
const BROWSER_TOKEN = /(chrome|firefox|safari|edg|opr|trident|version)\/|msie \d/;
/** What a browser never says: bots, tools and links to a scanner's page. */
const NOT_BROWSER =
  /bot|crawl|spider|scan|https?:|python|curl|java|zgrab|nmap|censys|expanse|masscan|exploit/;

/** `browser` or `client-library` for generic user agents (normalised), else undefined. */
function genericUserAgent(ua: string): 'browser' | 'client-library' | undefined {
  if (CLIENT_LIBRARY.test(ua)) return 'client-library';
  if (BROWSER.test(ua) && BROWSER_TOKEN.test(ua) && !NOT_BROWSER.test(ua)) return 'browser';
  return undefined;
}

interface NoiseOptions {
  /** Addresses and user agents seen at this many organisations or more are noise (webshells never are). */
  widespreadOrgs: number;
  scanner: (kind: IndicatorKind, value: string) => string | undefined;
}

export const DEFAULT_WIDESPREAD_ORGS = 10;

/** Why an indicator is background noise, or undefined when it may identify an attacker. */
export function classifyNoise(
  node: { kind: IndicatorKind; value: string; orgs: number },
  opts: NoiseOptions,
): Noise | undefined {
  const scanner = opts.scanner(node.kind, node.value);
  if (scanner) return { reason: 'scanner', detail: scanner };
  if (node.kind === 'user-agent') {
    const generic = genericUserAgent(node.value);
    if (generic)
      return {
        reason: generic,
        detail: generic === 'browser' ? 'a common browser' : (node.value.split(/[/ ]/)[0] ?? node.value),
      };
  }
  if ((node.kind === 'ip' || node.kind === 'user-agent') && node.orgs >= opts.widespreadOrgs)
    return { reason: 'widespread', detail: `seen at ${opts.widespreadOrgs} or more organisations` };
  return undefined;
}
