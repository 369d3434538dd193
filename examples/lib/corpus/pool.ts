// The corpus' raw material: a day of benign traffic and a set of attack episodes, cut into line templates.

import { proxyLogon } from '../attacks/proxylogon.js';
import { owassrf } from '../attacks/owassrf.js';
import { proxyShellAttempts } from '../attacks/proxyshell.js';
import { localhostProbe, shellNameSweep } from '../attacks/scans.js';
import { Timeline } from '../attacks/timeline.js';
import { shellRequest } from '../attacks/webshell.js';
import { benignTraffic } from '../benign/index.js';
import type { Env } from '../env.js';
import { ecpLine, oabLine, rpsLine } from '../exchange-logs.js';
import { httpProxyRow } from '../httpproxy.js';
import { LogBook } from '../logbook.js';
import { beEntry, feEntry } from '../request.js';
import type { Protocol } from '../request.js';
import { Rng } from '../rng.js';
import { build, makeSite } from '../site.js';
import type { Build, Site } from '../site.js';
import { makeUsers } from '../users.js';
import { IIS_FIELDS, w3cLine } from '../w3c.js';
import { makeTemplate, T0 } from './template.js';
import type { Template } from './template.js';

export type StreamId = 'fe' | 'be' | 'ecp' | 'rps' | 'oab' | `hp:${Protocol}`;

export interface Line {
  stream: StreamId;
  tpl: Template;
}

/** Lines written together with one time and one request id; `at` orders items inside an episode. */
export interface Item {
  at: number;
  lines: Line[];
}

export interface Episode {
  kind: string;
  items: Item[];
}

export interface Pool {
  site: Site;
  build: Build;
  benign: Item[];
  attacks: Episode[];
}

/** Turns everything in a log book into items; times become offsets from `origin`. */
function itemsOf(book: LogBook, site: Site, b: Build, origin: number): Item[] {
  const ctx = { site, build: b };
  const items: Item[] = [];
  const one = (at: number, stream: StreamId, text: string, rid?: string) =>
    items.push({ at, lines: [{ stream, tpl: makeTemplate(text, rid) }] });
  for (const r0 of book.reqs) {
    const r = { ...r0, t: T0 };
    const lines: Line[] = [{ stream: 'fe', tpl: makeTemplate(w3cLine(feEntry(r, site), IIS_FIELDS), r.rid) }];
    const be = beEntry(r, site);
    if (be) lines.push({ stream: 'be', tpl: makeTemplate(w3cLine(be, IIS_FIELDS)) });
    if (r.proto) lines.push({ stream: `hp:${r.proto}`, tpl: makeTemplate(httpProxyRow(r, ctx), r.rid) });
    items.push({ at: r0.t - origin, lines });
  }
  for (const e of book.beOnly) one(e.t - origin, 'be', w3cLine({ ...e, t: T0 }, IIS_FIELDS));
  for (const e of book.ecp) one(e.t - origin, 'ecp', ecpLine({ ...e, t: T0 }, site.server));
  for (const e of book.rps) {
    const lead = e.t - Date.parse(e.v.StartTime ?? '');
    const v = { ...e.v, StartTime: new Date(T0 - (Number.isFinite(lead) ? lead : 0)).toISOString() };
    one(e.t - origin, 'rps', rpsLine({ ...e, t: T0, v }, b.parts));
  }
  for (const e of book.oab) one(e.t - origin, 'oab', oabLine({ ...e, t: T0 }));
  // A template whose times spill into the neighbouring days would carry literal dates; leave those out.
  return items.filter((it) => it.lines.every((l) => !l.tpl.parts.some((p) => /1999-09-(08|10)/.test(p))));
}

export function makePool(seed: number, users: number): Pool {
  const site = makeSite(new Rng(0x0e4c401));
  const b = build('15.01.2176.002');
  const root = new Rng(seed);
  const fresh = (rng: Rng): Env => ({
    rng, site, users: makeUsers(root.fork('users'), site, users), book: new LogBook(), buildAt: () => b, year: 2021,
  }); // prettier-ignore
  const env = fresh(root.fork('benign'));
  benignTraffic(env, T0 - 12 * 3_600_000, T0 + 12 * 3_600_000, {
    scale: users / 20,
    tzHours: 1,
    probeMinutes: 20,
  });
  const benign = itemsOf(env.book, site, b, 0).map((it) => ({ ...it, at: 0 }));

  const episode = (kind: string, play: (e: Env, tl: Timeline) => void): Episode => {
    const e = fresh(root.fork(kind));
    play(e, new Timeline());
    const first = Math.min(...[...e.book.reqs, ...e.book.ecp, ...e.book.oab, ...e.book.rps].map((x) => x.t));
    return { kind, items: itemsOf(e.book, site, b, first).sort((x, y) => x.at - y.at) };
  };
  const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.182 Safari/537.36'; // prettier-ignore
  const attacks = [
    episode('scan:serverinfo-localhost', (e, tl) => localhostProbe(e, tl, T0, '192.0.2.44', 200)),
    episode('scan:shell-names', (e, tl) =>
      shellNameSweep(e, tl, T0, '192.0.2.66', chrome, [site.extHost], () => 404),
    ),
    episode('proxyshell:401', (e, tl) => proxyShellAttempts(e, tl, T0, '192.0.2.23', 'python-requests/2.26.0', 'evil.example')), // prettier-ignore
    episode(
      'proxylogon:chain',
      (e, tl) =>
      proxyLogon(e, tl, T0, { ip: '203.0.113.51', stem: '/ecp/y.js', at: [0, 1537, 4048, 9381, 11672, 26400], vdirGuid: site.oabVdirGuid }), // prettier-ignore
    ),
    episode(
      'webshell:post',
      (e, tl) =>
      shellRequest(e, tl, { t: T0, ip: '139.162.202.236', ua: chrome, method: 'POST', stem: '/owa/auth/RedirSuiteServerProxy.aspx', note: 'command' }), // prettier-ignore
    ),
    episode(
      'webshell:antsword',
      (e, tl) =>
      shellRequest(e, tl, { t: T0, ip: '203.0.113.77', ua: 'antSword/v2.1', method: 'POST', stem: '/aspnet_client/discover.aspx', note: 'chopper' }), // prettier-ignore
    ),
    episode(
      'oab:download-outside-oab',
      (e) =>
      e.book.oab.push({ t: T0, pid: 7312, tid: 41, level: 'Warning', oab: site.oabGuid, msg: "Download failed and temporary file 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\log.aspx' needs to be removed." }), // prettier-ignore
    ),
    episode('owassrf:powershell', (e, tl) => {
      const u = e.users[2] ?? e.users[0];
      if (u) owassrf(e, tl, T0, '203.0.113.90', u.sam, u.sid);
    }),
  ];
  return { site, build: b, benign, attacks };
}
