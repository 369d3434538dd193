// Fifty organisations at 3 a.m., end to end on SQLite and PostgreSQL: the generated fleet
// (examples/lib/fleet.ts) is scanned in-process, each report uploaded through the API under its
// organisation's token, and the fleet view is held to what the generator planted: the triage order and its
// reasons, one attacker cluster per true attacker with exactly its victims and the scanners in background
// noise, no credential reset from a refused request, notifications on one organisation's webhook, SMTP and
// syslog channels, and an upload that fails keeping the verdict. Every expectation is computed from the
// generator's description, not written down.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ATTACKER_GROUPS,
  CENSYS_IP,
  fleetOrganisations,
  fleetServerTree,
  groupOf,
} from '../../examples/lib/fleet.js';
import type { FleetServer, GroupId } from '../../examples/lib/fleet.js';
import { VERDICT_EXIT } from '../cli/scan.js';
import type { ScanReport } from '../core/report.js';
import { scan } from '../engine/scan.js';
import { NMAP_UA } from '../../examples/lib/attacks/scans.js';
import type { ClusterDetail, ClusterPage, NoiseIndicator } from '../store/index.js';
import { userAgentIndicator, webshellName } from '../store/extract.js';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { startDispatcher } from './notify/dispatcher.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { sinks } from './testing/sinks.js';
import type { Sinks } from './testing/sinks.js';
import { until } from './testing/wait.js';

const ORGS = 50;
const SEED = 1;
/** The smallest benign traffic that keeps every planted step: a few hundred KB to a megabyte per tree. */
const SCALE = 0.05;
const DAY = 24 * 3600 * 1000;
const SECRET = 'a-shared-secret-of-enough-length';

const orgs = fleetOrganisations(ORGS, SEED);
const servers = orgs.flatMap((o) => o.servers);
const victims = servers.filter((s) => s.attack);
const byName = new Map(servers.map((s) => [s.name, s]));

/** The group that operated last: its victims are the ones with an attacker active now. */
const recent = [...ATTACKER_GROUPS].sort((a, b) => b.from - a.from)[0]!.id;
const lastOf = (s: FleetServer) => Math.max(s.attack?.lastActivity ?? 0, s.refused?.at ?? 0);
const recentLasts = victims.filter((s) => s.attack?.group === recent).map(lastOf);
/** An activity window that holds every activity of the recent group's victims and nothing else. */
const activeDays = Math.floor((Date.now() - Math.min(...recentLasts)) / DAY) + 1;

/** The organisation with channels: one that has a victim server and a server that was not hit. */
const notified = orgs.find((o) => o.servers.some((s) => s.attack) && o.servers.some((s) => !s.attack));

function expectedVerdict(s: FleetServer): string {
  if (s.attack) return 'compromised';
  if (s.refused || s.censys !== null) return 'attempted';
  return s.vulnerable ? 'inconclusive' : 'clean';
}

/** The reasons the planted evidence gives, among those triage weighs for the evidence itself. */
function expectedReasons(s: FleetServer): string[] {
  const codes: string[] = [];
  if (s.attack) codes.push('webshell-on-disk');
  if (s.attack?.credentialDump) codes.push('credential-dump');
  if (s.attack?.group === recent) codes.push('attacker-active');
  if (s.vulnerable) codes.push('exposure-open');
  return codes;
}
const EVIDENCE_CODES = new Set(['webshell-on-disk', 'credential-dump', 'attacker-active', 'exposure-open']);

/** The indicators that identify a group (the generic and library agents it also sends are noise). */
function groupIndicators(id: GroupId): Set<string> {
  const g = groupOf(id);
  const ua = (u: string) => `user-agent:${userAgentIndicator(u)}`;
  return new Set([
    `ip:${g.exploitIp}`,
    ...g.shellIps.map((ip) => `ip:${ip}`),
    ua(g.agents.discovery),
    ua(g.agents.shell),
    `webshell-name:${webshellName(g.oabShell.name)}`,
    `webshell-name:${webshellName(g.dropShell.name)}`,
    `webshell-hash:${createHash('sha256').update(g.dropShell.body).digest('hex')}`,
  ]);
}

interface Scanned {
  root: string;
  trees: Map<string, string>;
  reports: Map<string, ScanReport>;
}
let scanned: Promise<Scanned> | undefined;

/** Generates and scans every server once (in this thread), for both databases. */
function scanFleet(): Promise<Scanned> {
  scanned ??= (async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-fleet50-'));
    const trees = new Map<string, string>();
    const reports = new Map<string, ScanReport>();
    for (const s of servers) {
      const dir = path.join(root, s.name);
      await fleetServerTree(s, { seed: SEED, scale: SCALE }).tree.write(dir);
      trees.set(s.name, dir);
      reports.set(s.name, (await scan(dir, { threads: 0 })).report);
    }
    return { root, trees, reports };
  })();
  return scanned;
}
after(async () => {
  if (scanned) await rm((await scanned).root, { recursive: true, force: true });
});

test('the generated fleet has what the checks need', () => {
  assert.equal(orgs.length, ORGS);
  assert.ok(servers.length > ORGS, 'some organisations have two servers');
  for (const g of ATTACKER_GROUPS) {
    const hit = new Set(victims.filter((s) => s.attack?.group === g.id).map((s) => s.org));
    assert.ok(hit.size >= 2 && hit.size < 10, `group ${g.id} hits ${hit.size} organisations`);
  }
  // Only the recent group's victims are inside the window.
  for (const s of servers)
    if (s.attack?.group !== recent)
      assert.ok(lastOf(s) < Date.now() - activeDays * DAY, `${s.name} is outside the window`);
  assert.ok(notified, 'an organisation with a victim and a server not hit');
  assert.ok(servers.some((s) => s.refused) && servers.some((s) => s.internalScanner));
  assert.ok(servers.filter((s) => s.censys !== null).length > ORGS / 2, 'Censys at most organisations');
  assert.ok(servers.some((s) => expectedVerdict(s) === 'clean'));
  assert.ok(victims.some((s) => s.vulnerable) && victims.some((s) => !s.vulnerable));
});

test('every server scans to the verdict its evidence gives', async () => {
  const { reports } = await scanFleet();
  for (const s of servers) assert.equal(reports.get(s.name)?.verdict, expectedVerdict(s), s.name);
});

test('one event per request: each request id is in one event, and the planted ProxyLogon requests join their front-end IIS and HttpProxy lines', async () => {
  const { reports } = await scanFleet();
  for (const s of victims) {
    const events = reports.get(s.name)?.events;
    assert.ok(events, `${s.name}: no events section`);
    const seen = new Map<string, string>();
    for (const e of events.list)
      for (const id of e.requestIds) {
        assert.equal(seen.get(id), undefined, `${s.name}: request ${id} in ${seen.get(id)} and ${e.id}`);
        seen.set(id, e.id);
      }
    // Every finding that names a request id is in the event of that id.
    for (const f of reports.get(s.name)!.findings) {
      const id = /cafeReqId=([0-9a-f-]{36})/i.exec(f.evidence[0]?.excerpt ?? '')?.[1];
      if (!id || !seen.has(id)) continue;
      const e = events.list.find((x) => x.id === seen.get(id))!;
      assert.ok(e.findings.includes(f.id), `${s.name}: ${f.id} (${id}) is not in ${e.id}`);
    }
    const joined = events.list.filter(
      (e) =>
        e.lines.some((l) => l.log === 'front-end IIS') && e.lines.some((l) => l.log.startsWith('HttpProxy')),
    );
    assert.ok(joined.length > 0, `${s.name}: no request joined its front-end IIS and HttpProxy lines`);
    assert.ok(joined.every((e) => e.requestIds.length > 0));
  }
});

test('an upload that fails keeps the verdict: exit code and saved report (src/cli/upload.test.ts has the rest)', async () => {
  const { trees, reports } = await scanFleet();
  const s = victims[0]!;
  const flaky = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url === '/api/v1/session')
      return void res.end(JSON.stringify({ name: 'flaky', role: 'analyst' }));
    req.resume();
    res.statusCode = 503;
    res.end(JSON.stringify({ error: 'restarting' }));
  });
  await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'exhunt-fleet50-upload-'));
  try {
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    const bin = new URL('../cli/bin.js', import.meta.url).pathname;
    const args = [bin, 'scan', trees.get(s.name)!, '--upload', url, '--token', 'exh_x', '--threads', '1'];
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      p.stderr.on('data', (c: Buffer) => (err += c.toString()));
      p.once('exit', (code) => resolve({ code, err }));
    });
    const verdict = reports.get(s.name)!.verdict;
    assert.equal(r.code, VERDICT_EXIT[verdict], r.err);
    assert.match(r.err, /NOT sent/);
    const saved = (await readdir(cwd)).filter((f) => f.endsWith('.json'));
    assert.equal(saved.length, 1, r.err);
    const report = JSON.parse(await readFile(path.join(cwd, saved[0]!), 'utf8')) as ScanReport;
    assert.equal(report.verdict, verdict);
  } finally {
    await new Promise((r) => flaky.close(r));
    await rm(cwd, { recursive: true, force: true });
  }
});

interface Reason {
  code: string;
  text: string;
  detail: string;
}
interface ServerRow {
  id: number;
  name: string;
  verdict: string | null;
  triage: { score: number; reasons: Reason[]; lastActivity: string | null };
}

for (const b of await backends())
  describe(`fifty organisations on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let s: Sinks;
    let admin: Record<string, string>;
    let delivered = -1;
    let triage: ServerRow[] = [];
    const get = (url: string) => t.app.inject({ method: 'GET', url: API_PREFIX + url, headers: admin });

    before(async () => {
      const { reports } = await scanFleet();
      fx = await b.create();
      t = await testApp(fx, { triage: { activeDays, staleDays: 14 } });
      s = await sinks();
      admin = await tokenFor(fx, null, 'administrator');
      const tokens = new Map<string, Record<string, string>>();
      for (const o of orgs) tokens.set(o.name, await tokenFor(fx, o.name, 'analyst'));
      const events = ['server.compromised', 'server.exploited'];
      const channels = [
        {
          kind: 'webhook',
          name: 'hook',
          config: { url: `http://127.0.0.1:${s.ports.hook}/in`, secret: SECRET },
        },
        { kind: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: s.ports.smtp, from: 'exhunt@soc.example', to: ['soc@soc.example'] } }, // prettier-ignore
        { kind: 'syslog', name: 'siem', config: { host: '127.0.0.1', port: s.ports.udp, transport: 'udp', format: 'json' } }, // prettier-ignore
      ];
      for (const c of channels) {
        const r = await t.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/notifications/channels`,
          headers: tokens.get(notified!.name)!,
          payload: { ...c, events },
        });
        assert.equal(r.statusCode, 201, r.body);
      }
      for (const srv of servers) {
        const r = await t.app.inject({
          method: 'POST',
          url: `${API_PREFIX}/reports?server=${encodeURIComponent(srv.name)}`,
          headers: tokens.get(srv.org)!,
          payload: reports.get(srv.name)!,
        });
        assert.equal(r.statusCode, 201, r.body);
      }
      const d = startDispatcher(fx.store, { version: '0.0.0-test', intervalMs: 0 });
      try {
        delivered = await d.tick();
      } finally {
        await d.stop();
      }
      const page = await get(`/servers?order=triage&limit=${servers.length + 10}`);
      assert.equal(page.statusCode, 200, page.body);
      triage = page.json<{ items: ServerRow[] }>().items;
    });
    after(async () => {
      await t?.close();
      await s?.close();
      await fx?.dispose();
    });

    test('triage: the recent attacker\u2019s victims first, then the other victims, clean patched servers last', () => {
      assert.deepEqual(triage.map((r) => r.name).sort(), servers.map((x) => x.name).sort());
      const names = triage.map((r) => r.name);
      const recentVictims = victims.filter((x) => x.attack?.group === recent).map((x) => x.name);
      assert.deepEqual(names.slice(0, recentVictims.length).sort(), [...recentVictims].sort());
      const firstNonVictim = names.findIndex((n) => !byName.get(n)?.attack);
      assert.equal(
        firstNonVictim,
        victims.length,
        `every victim before every other server: ${names.join(' ')}`,
      );
      const clean = servers.filter((x) => expectedVerdict(x) === 'clean').map((x) => x.name);
      assert.deepEqual(names.slice(names.length - clean.length).sort(), [...clean].sort());
      for (let i = 1; i < triage.length; i++)
        assert.ok(
          triage[i - 1]!.triage.score >= triage[i]!.triage.score,
          `${names[i - 1]} before ${names[i]}`,
        );
    });

    test('triage: each server\u2019s reasons are the ones its evidence gives', () => {
      for (const row of triage) {
        const srv = byName.get(row.name)!;
        const codes = row.triage.reasons.map((r) => r.code);
        assert.deepEqual(
          codes.filter((c) => EVIDENCE_CODES.has(c)).sort(),
          expectedReasons(srv).sort(),
          `${row.name}: ${codes.join(', ')}`,
        );
        const verdict = expectedVerdict(srv);
        const said = row.triage.reasons.find((r) => r.code === 'verdict');
        // A clean server keeps at most its open checklist steps (rescan and the like).
        if (verdict === 'clean')
          assert.deepEqual(
            codes.filter((c) => c !== 'remediation-open'),
            [],
            row.name,
          );
        else assert.equal(said?.text, `Verdict: ${verdict}`, row.name);
        const a = srv.attack;
        if (!a) continue;
        const shells = row.triage.reasons.find((r) => r.code === 'webshell-on-disk')!;
        for (const p of a.webshells) assert.ok(shells.detail.includes(p), `${row.name}: ${shells.detail}`);
        // The newest activity is the group's last request, to the second the logs keep.
        const last = new Date(Math.floor(a.lastActivity / 1000) * 1000).toISOString();
        assert.equal(row.triage.lastActivity, last, row.name);
        if (a.group === recent)
          assert.ok(row.triage.reasons.find((r) => r.code === 'attacker-active')?.detail.includes(last));
      }
    });

    test('clusters: one per attacker group with exactly its victims; no cluster joins two groups', async () => {
      const page = (await get('/campaigns?limit=100')).json<ClusterPage>();
      const details: ClusterDetail[] = [];
      for (const c of page.items) details.push((await get(`/campaigns/${c.id}`)).json<ClusterDetail>());
      const keysOf = (c: ClusterDetail) => new Set(c.indicators.map((i) => `${i.kind}:${i.value}`));
      const owner = new Map<ClusterDetail, GroupId[]>();
      for (const g of ATTACKER_GROUPS) {
        const mine = groupIndicators(g.id);
        const holding = details.filter((c) => [...keysOf(c)].some((k) => mine.has(k)));
        assert.equal(holding.length, 1, `group ${g.id} is in ${holding.length} clusters`);
        const c = holding[0]!;
        owner.set(c, [...(owner.get(c) ?? []), g.id]);
        const keys = keysOf(c);
        for (const k of mine) assert.ok(keys.has(k), `group ${g.id}'s cluster lacks ${k}`);
        const hit = new Set(victims.filter((x) => x.attack?.group === g.id).map((x) => x.org));
        assert.deepEqual(c.victims.map((v) => v.name).sort(), [...hit].sort(), `group ${g.id}'s victims`);
        assert.ok(c.victims.every((v) => v.verdict === 'compromised'));
      }
      for (const [c, groups] of owner)
        assert.equal(groups.length, 1, `cluster ${c.id} joins ${groups.join('+')}`);
      // The other clusters are the refused requests' addresses: no webshell of any group's joins them.
      for (const c of details)
        if (!owner.has(c))
          assert.ok(!c.indicators.some((x) => x.kind.startsWith('webshell')), JSON.stringify(c.indicators));
    });

    test('clusters: the Censys address and the Nmap agent are background noise, in no cluster', async () => {
      const noise = (await get('/campaigns/noise?reason=scanner&limit=100')).json<{
        items: NoiseIndicator[];
      }>();
      const censys = noise.items.find((n) => n.kind === 'ip' && n.value === CENSYS_IP);
      const nmap = noise.items.find(
        (n) => n.kind === 'user-agent' && n.value === userAgentIndicator(NMAP_UA),
      );
      assert.equal(censys?.detail, 'Censys');
      assert.equal(nmap?.detail, 'Nmap Scripting Engine');
      const seen = new Set(servers.filter((x) => x.censys !== null).map((x) => x.org));
      assert.equal(censys?.victims, seen.size);
      const page = (await get('/campaigns?limit=100')).json<ClusterPage>();
      for (const c of page.items) {
        const d = (await get(`/campaigns/${c.id}`)).json<ClusterDetail>();
        assert.ok(!d.indicators.some((i) => i.value === CENSYS_IP || i.id === nmap?.id), `cluster ${c.id}`);
      }
    });

    test('remediation: a refused request never puts its administrator on the reset list', async () => {
      const { reports } = await scanFleet();
      const refused = servers.filter((x) => x.refused);
      for (const srv of refused) {
        const admin = srv.refused!.administrator;
        // The scan did find the refused request with the administrator in its X-Rps-CAT.
        const cats = [...JSON.stringify(reports.get(srv.name)!.findings).matchAll(/X-Rps-CAT=([\w+/%]+=*)/g)];
        assert.ok(
          cats.some((m) =>
            Buffer.from(decodeURIComponent(m[1]!), 'base64').toString('latin1').includes(admin),
          ),
          srv.name,
        );
        const id = triage.find((r) => r.name === srv.name)!.id;
        const steps = (await get(`/remediation?serverId=${id}&limit=200`)).json<{
          items: { key: string; detail: { targets?: { value: string }[] } }[];
        }>().items;
        const reset = steps.find((x) => x.key === 'reset-credentials');
        for (const target of reset?.detail.targets ?? [])
          assert.ok(!target.value.toLowerCase().includes(admin), `${srv.name}: ${target.value}`);
      }
    });

    test('notifications: one delivery per channel for each server turning compromised, none for the rest', async () => {
      const hit = notified!.servers.filter((x) => x.attack).map((x) => x.name);
      assert.equal(delivered, 3 * hit.length, 'only the organisation with channels is told, on all three');
      await until(async () => (s.udp.length >= hit.length ? true : undefined), 'syslog to arrive');
      const told = s.hooks.map((h) => (JSON.parse(h.body) as { server: { name: string } }).server.name);
      assert.deepEqual(told.sort(), [...hit].sort());
      assert.equal(s.mails.length, hit.length);
      for (const name of hit)
        assert.ok(
          s.mails.some((m) => m.includes(`${name} is compromised`)),
          name,
        );
      assert.equal(s.udp.length, hit.length);
      for (const x of notified!.servers.filter((y) => !y.attack))
        assert.ok(![...s.mails, ...s.udp, ...told].some((m) => m.includes(x.name)), `${x.name} is no news`);
    });
  });
