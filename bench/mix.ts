// The bench corpus' traffic mixes: which benign requests are drawn how often, per shape (realistic or classic).

import type { Item } from '../examples/lib/corpus/pool.js';

export type Shape = 'realistic' | 'classic';

/**
 * Share of requests per class in the realistic shape (a class is what an item writes: its HttpProxy
 * protocol, refined by the URL piece that makes it interesting to the scan's gate).
 *
 * Why these figures: on a real Exchange 2016/2019 server nearly every client request goes through the
 * front end's HttpProxy, which writes one ~70-column CSV row per request in an hourly file per protocol
 * (`HttpProxy_YYYYMMDDHH-N.LOG`, columns in ../shared/guide/exchange-forensics.md §2.2), next to the
 * shorter IIS front- and back-end W3C lines; so the HttpProxy logs are most of the bytes. Outlook
 * (MAPI over HTTP), mobile ActiveSync and EWS clients make the bulk of the requests; every client asks
 * Autodiscover again and again, modern ones through `autodiscover.json`; OWA sessions start on
 * `/owa/auth/` pages (`.aspx` forms and their resources); the managed-availability probes of
 * HealthMailbox accounts call ECP, OAB and remote PowerShell around the clock. Those are the requests
 * that hold the literals the rules gate on (`/owa/auth/`, `autodiscover.json`, `/ecp/`, `/oab/`,
 * `/powershell`), so they are drawn at these rates rather than at the rates of the examples' day, which
 * models users (whose rows hardly ever reach the rules). The rates are this project's estimate of a
 * mid-size server, not a measurement of one.
 */
const REALISTIC: Readonly<Record<string, number>> = {
  'hp:Mapi': 21,
  'hp:Eas': 18,
  'hp:Ews': 14,
  'hp:Autodiscover autodiscover.json': 8,
  'hp:Autodiscover': 6,
  'hp:Owa /owa/auth/': 5,
  'hp:Owa': 11,
  'hp:Ecp /ecp/': 3,
  'hp:Oab /oab/': 2,
  'hp:RpcHttp': 2,
  'hp:OwaCalendar': 1,
  // IIS-only requests (resources, probes), remote PowerShell, ECP server, back-end only, OAB generator.
  fe: 5,
  'rps /powershell': 2,
  rps: 0.5,
  ecp: 0.4,
  be: 0.5,
  oab: 0.1,
};

const MARKERS = ['autodiscover.json', '/owa/auth/', '/ecp/', '/oab/', '/powershell'];

/** An item's class: its HttpProxy protocol (else its first stream), and the first marker its text holds. */
export function classOf(it: Item): string {
  const hp = it.lines.find((l) => l.stream.startsWith('hp:'));
  const base = hp ? hp.stream : (it.lines[0]?.stream ?? '');
  const text = it.lines
    .map((l) => l.tpl.parts.join(''))
    .join('\n')
    .toLowerCase();
  const marker = MARKERS.find((m) => text.includes(m));
  return marker ? `${base} ${marker}` : base;
}

/**
 * A sampler over `items`: uniform in the classic shape (the examples' day as it is), weighted by class in
 * the realistic one. A class the table does not name keeps a small weight, so nothing disappears.
 * Returns the draw (from a uniform number in [0, 1)) and the share of requests per class it aims at.
 */
export function sampler(
  items: readonly Item[],
  shape: Shape,
): { draw(u: number): Item; shares: Record<string, number> } {
  const classes = items.map(classOf);
  const count = new Map<string, number>();
  for (const c of classes) count.set(c, (count.get(c) ?? 0) + 1);
  const want = (c: string) =>
    shape === 'classic' ? (count.get(c) ?? 0) : (REALISTIC[c] ?? (0.05 * (count.get(c) ?? 0)) / items.length);
  const cum = new Float64Array(items.length);
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    const c = classes[i] as string;
    total += want(c) / (count.get(c) ?? 1);
    cum[i] = total;
  }
  const shares: Record<string, number> = {};
  let sum = 0;
  for (const c of count.keys()) sum += want(c);
  for (const c of [...count.keys()].sort()) shares[c] = Number((want(c) / sum).toFixed(4));
  return {
    draw(u) {
      const x = u * total;
      let lo = 0;
      let hi = items.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((cum[mid] as number) <= x) lo = mid + 1;
        else hi = mid;
      }
      return items[lo] as Item;
    },
    shares,
  };
}
