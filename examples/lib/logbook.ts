// Collects every log entry of a scenario, then cuts them into files the way IIS and Exchange roll their logs.

import {
  ecpLine,
  ECP_FIELDS,
  exchangeHeader,
  oabLine,
  OAB_FIELDS,
  rpsLine,
  RPS_HTTP_FIELDS,
} from './exchange-logs.js';
import type { EcpEntry, OabEntry, RpsEntry } from './exchange-logs.js';
import { HTTPPROXY_FIELDS, httpProxyRow } from './httpproxy.js';
import { beEntry, feEntry } from './request.js';
import type { Protocol, Req } from './request.js';
import type { Build, Site } from './site.js';
import { HOUR, startOfDay, yymmdd, yyyymmdd, yyyymmddhh } from './time.js';
import type { Tree } from './tree.js';
import { IIS_FIELDS, w3cHeader, w3cLine } from './w3c.js';
import type { IisEntry } from './w3c.js';

/** What changes on the server over time: the build (a security update) and service restarts. */
export interface ServerHistory {
  builds: readonly { from: number; build: Build }[];
  /** IIS and Exchange service restarts: IIS rewrites its header, Exchange opens `-N+1` log files. */
  restarts: readonly number[];
  /** Front-end (W3SVC1) field-set changes, e.g. an admin adding X-Forwarded-For. */
  feFields: readonly { from: number; fields: readonly string[] }[];
  /** HttpProxy and Rps_Http files cover this many hours each. */
  rollHours: number;
  /** The period the copy covers; entries outside it (a Ping still open at the end) are dropped. */
  span: { from: number; to: number };
  /** Windows with the services stopped (a security update install): nothing is logged. */
  down?: readonly (readonly [number, number])[];
}

export class LogBook {
  readonly reqs: Req[] = [];
  readonly ecp: EcpEntry[] = [];
  readonly oab: OabEntry[] = [];
  readonly rps: RpsEntry[] = [];
  /** IIS lines without an HttpProxy counterpart (back-end-only probes). */
  readonly beOnly: IisEntry[] = [];

  add(...reqs: Req[]): void {
    this.reqs.push(...reqs);
  }
}

const byTime = <T extends { t: number }>(a: T, b: T) => a.t - b.t;
const mtimeAfter = (t: number) => Math.ceil((t + 400) / 1000) * 1000;

function buildAt(h: ServerHistory, t: number): Build {
  let b = h.builds[0];
  for (const x of h.builds) if (x.from <= t) b = x;
  if (!b) throw new Error('server history has no build');
  return b.build;
}

function restartBetween(h: ServerHistory, a: number, b: number): number | undefined {
  return h.restarts.find((r) => r > a && r <= b);
}

function writeIis(tree: Tree, site: string, entries: IisEntry[], h: ServerHistory, fe: boolean): void {
  const fieldsAt = (t: number) => {
    let f: readonly string[] = IIS_FIELDS;
    if (fe) for (const x of h.feFields) if (x.from <= t) f = x.fields;
    return f;
  };
  entries.sort(byTime);
  let i = 0;
  while (i < entries.length) {
    const day = startOfDay((entries[i] as IisEntry).t);
    let fields = fieldsAt((entries[i] as IisEntry).t);
    let out = w3cHeader((entries[i] as IisEntry).t, fields);
    let prev = (entries[i] as IisEntry).t;
    let last = prev;
    for (; i < entries.length && startOfDay((entries[i] as IisEntry).t) === day; i++) {
      const e = entries[i] as IisEntry;
      const r = restartBetween(h, prev, e.t);
      if (r !== undefined) {
        fields = fieldsAt(r);
        out += w3cHeader(r, fields);
      }
      out += w3cLine(e, fields);
      prev = last = e.t;
    }
    tree.add(`inetpub/logs/LogFiles/${site}/u_ex${yymmdd(day)}.log`, out, mtimeAfter(last));
  }
}

/** Splits time-sorted items into files per roll period, opening `-2`, `-3`... after a restart. */
function rolled<T extends { t: number }>(
  items: T[],
  h: ServerHistory,
  periodMs: number,
  emit: (start: number, n: number, part: T[]) => void,
): void {
  items.sort(byTime);
  let cur: T[] = [];
  let period = -1;
  let n = 0;
  for (const it of items) {
    const p = Math.floor(it.t / periodMs) * periodMs;
    const prev = cur[cur.length - 1];
    if (p !== period) {
      if (cur.length) emit(period, n, cur);
      cur = [];
      period = p;
      n = 1;
    } else if (prev && restartBetween(h, prev.t, it.t) !== undefined) {
      emit(period, n, cur);
      cur = [];
      n++;
    }
    cur.push(it);
  }
  if (cur.length) emit(period, n, cur);
}

export function writeLogs(tree: Tree, book: LogBook, site: Site, h: ServerHistory): void {
  const logRoot = `${site.installRel}/Logging`;
  const live = <T extends { t: number }>(x: T) =>
    x.t >= h.span.from && x.t < h.span.to && !(h.down ?? []).some(([a, b]) => x.t >= a && x.t < b);
  const fe: IisEntry[] = [];
  const be: IisEntry[] = book.beOnly.filter(live);
  const byProto = new Map<Protocol, Req[]>();
  for (const r of book.reqs.filter(live)) {
    fe.push(feEntry(r, site));
    const b = beEntry(r, site);
    if (b) be.push(b);
    if (r.proto) {
      const list = byProto.get(r.proto) ?? [];
      list.push(r);
      byProto.set(r.proto, list);
    }
  }
  writeIis(tree, 'W3SVC1', fe, h, true);
  writeIis(tree, 'W3SVC2', be, h, false);

  const periodMs = h.rollHours * HOUR;
  for (const [proto, reqs] of [...byProto.entries()].sort()) {
    rolled(reqs, h, periodMs, (start, n, part) => {
      const first = part[0] as Req;
      const build = buildAt(h, first.t);
      let out = exchangeHeader({
        version: build.long,
        logType: 'HttpProxy Logs',
        date: first.t,
        fields: HTTPPROXY_FIELDS,
        plainHeader: true,
      });
      for (const r of part) out += httpProxyRow(r, { site, build });
      const name = `${logRoot}/HttpProxy/${proto}/HttpProxy_${yyyymmddhh(start)}-${n}.LOG`;
      tree.add(name, out, mtimeAfter((part[part.length - 1] as Req).t));
    });
  }

  rolled(book.ecp.filter(live), h, 24 * HOUR, (start, n, part) => {
    // Stock ECP Server logs carry a generic 15.0.0.0 in #Version; the real build is in each S:BLD value.
    let out = exchangeHeader({
      version: '15.0.0.0',
      logType: 'ECP Server Log',
      date: (part[0] as EcpEntry).t,
      fields: ECP_FIELDS,
      plainHeader: false,
    });
    for (const e of part) out += ecpLine(e, site.server);
    const name = `${logRoot}/ECP/Server/ECPServer${yyyymmdd(start)}-${n}.LOG`;
    tree.add(name, out, mtimeAfter((part[part.length - 1] as EcpEntry).t));
  });

  rolled(book.oab.filter(live), h, 24 * HOUR, (start, n, part) => {
    let out = exchangeHeader({
      version: buildAt(h, (part[0] as OabEntry).t).long,
      logType: 'OABGenerator Log',
      date: (part[0] as OabEntry).t,
      fields: OAB_FIELDS,
      plainHeader: false,
    });
    for (const e of part) out += oabLine(e);
    const name = `${logRoot}/OABGeneratorLog/OABGeneratorLog_${yyyymmdd(start)}-${n}.LOG`;
    tree.add(name, out, mtimeAfter((part[part.length - 1] as OabEntry).t));
  });

  rolled(book.rps.filter(live), h, periodMs, (start, n, part) => {
    const build = buildAt(h, (part[0] as RpsEntry).t);
    let out = exchangeHeader({
      version: build.long,
      logType: 'Rps Http Logs',
      date: (part[0] as RpsEntry).t,
      fields: RPS_HTTP_FIELDS,
      plainHeader: true,
    });
    for (const e of part) out += rpsLine(e, buildAt(h, e.t).parts);
    const name = `${logRoot}/CmdletInfra/Powershell-Proxy/Http/Rps_Http_${yyyymmddhh(start)}-${n}.LOG`;
    tree.add(name, out, mtimeAfter((part[part.length - 1] as RpsEntry).t));
  });
}
