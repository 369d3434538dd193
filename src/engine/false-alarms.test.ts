// End-to-end scans of small generated trees: internal scanners, proxies, product folders, back-end lines.

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { minidump, storedZip } from '../../examples/lib/binaries.js';
import { CHOPPER_ONE_LINER } from '../../examples/lib/attacks/files.js';
import { proxyLogon } from '../../examples/lib/attacks/proxylogon.js';
import { proxyShellAttempts } from '../../examples/lib/attacks/proxyshell.js';
import { localhostProbe, shellNameSweep } from '../../examples/lib/attacks/scans.js';
import { finish, makeWorld } from '../../examples/lib/scenarios/common.js';
import type { World } from '../../examples/lib/scenarios/common.js';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import { build } from '../../examples/lib/site.js';
import { utc } from '../../examples/lib/time.js';
import type { Tree } from '../../examples/lib/tree.js';
import { addressRoles } from '../analysis/addresses.js';
import { buildEvents } from '../analysis/events.js';
import { internalScannerSummary } from '../analysis/internal-scanners.js';
import type { Finding } from '../core/finding.js';
import type { ScanReport } from '../core/report.js';
import { scan } from './scan.js';

/** A week of 2023 on a fully patched server (nothing before the logs is left uncovered). */
function patchedWorld(name: string): World {
  return makeWorld({
    name,
    from: utc('2023-08-07T00:00:00'),
    to: utc('2023-08-10T00:00:00'),
    history: {
      builds: [{ from: 0, build: build('15.01.2507.016') }],
      restarts: [],
      feFields: [],
      rollHours: 4,
    },
    installed: utc('2023-05-12T19:40:05'),
    opts: { seed: 1, scale: 0.2 },
  });
}

/** What an internal (or external) vulnerability scanner sends: localhost SSRF, webshell names, ProxyShell. */
function scanFrom(w: World, ip: string): void {
  const { attackEnv: env, tl, site } = w;
  localhostProbe(env, tl, utc('2023-08-08T14:02:10.512'), ip, 500);
  shellNameSweep(env, tl, utc('2023-08-08T14:05:22.871'), ip, 'Mozilla/5.0 (compatible; Nessus)', [site.extHost], () => 404); // prettier-ignore
  proxyShellAttempts(env, tl, utc('2023-08-08T14:09:30.006'), ip, 'Mozilla/5.0 zgrab/0.x', 'xyz.example');
}

async function scanTree(tree: Tree, name: string, internalAttacks = false): Promise<ScanReport> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), `exhunt-fa-${name}-`)), name);
  await tree.write(dir);
  return (await scan(dir, { threads: 0, internalAttacks })).report;
}

const raising = (r: ScanReport) =>
  r.findings.filter((f) => f.outcome !== 'context' && f.outcome !== 'suspicious');
const setAside = (r: ScanReport) => r.findings.filter((f) => f.details?.setAside === 'internal-scanner');

test('an internal vulnerability scanner on a patched server: clean, its probes set aside and counted', async () => {
  const w = patchedWorld('internal');
  scanFrom(w, '10.10.5.77');
  const tree = finish(w, 'internal').tree;
  const r = await scanTree(tree, 'internal');
  assert.equal(r.verdict, 'clean');
  assert.deepEqual(raising(r), []);
  const aside = setAside(r);
  assert.ok(aside.length >= 10, `${aside.length} set aside`);
  assert.ok(aside.some((f) => f.rule.id === 'exhunt.proxylogon.scanner-probe'));
  assert.ok(aside.some((f) => f.rule.id === 'exhunt.webshell.name-probe'));
  assert.ok(
    aside.some((f) => f.rule.id === '78bfee77-4591-4481-a2ce-a8f324772475'),
    'ProxyShell attempts',
  );
  const s = internalScannerSummary(r.findings);
  assert.deepEqual(s.addresses, ['10.10.5.77']);
  assert.ok(s.requests > 0 && s.requests <= s.findings);
  assert.match(r.explanation, /probes? from internal scanners \(10\.10\.5\.77\) (was|were) set aside/);
  // The flag counts them again.
  const again = await scanTree(tree, 'internal-flag', true);
  assert.equal(again.verdict, 'attempted');
  assert.deepEqual(setAside(again), []);
});

test('the same scan from outside stays attempted', async () => {
  const w = patchedWorld('external');
  scanFrom(w, '203.0.113.77');
  const r = await scanTree(finish(w, 'external').tree, 'external');
  assert.equal(r.verdict, 'attempted');
  assert.deepEqual(setAside(r), []);
});

test('behind a load balancer in a private range, an outside scan stays attempted and says why', async () => {
  const w = patchedWorld('balanced');
  scanFrom(w, '203.0.113.9');
  // Every client request reaches IIS from the balancer, which adds no X-Forwarded-For.
  const { site } = w;
  for (const r of w.env.book.reqs) if (r.cip !== '127.0.0.1' && r.cip !== site.ip) r.cip = '10.10.0.5';
  const r = await scanTree(finish(w, 'balanced').tree, 'balanced');
  assert.equal(r.verdict, 'attempted');
  assert.deepEqual(setAside(r), []);
  const probe = r.findings.find((f) => f.rule.id === 'exhunt.proxylogon.scanner-probe');
  assert.match(probe?.note ?? '', /not set aside as an internal scanner: it came through a proxy or load balancer \(10\.10\.0\.5: it sent \d+% of the \d+ client requests sampled/); // prettier-ignore
});

test('a balancer that logs X-Forwarded-For: the forwarded client decides, inside and out', async () => {
  const w = patchedWorld('forwarded');
  scanFrom(w, '10.10.5.77');
  scanFrom(w, '203.0.113.9');
  const tree = finish(w, 'forwarded').tree;
  // The balancer 10.10.0.5 becomes every line's c-ip and puts the client in an X-Forwarded-For column.
  for (const [p, f] of tree.files) {
    if (!/W3SVC1\//.test(p)) continue;
    const lines = f.data.toString('latin1').split('\r\n');
    f.data = Buffer.from(
      lines
        .map((l) => {
          if (l.startsWith('#Fields: ')) return `${l} X-Forwarded-For`;
          if (l.startsWith('#') || l === '') return l;
          const cols = l.split(' ');
          const client = cols[8] as string;
          if (client === '127.0.0.1' || client === w.site.ip) return `${l} -`;
          cols[8] = '10.10.0.5';
          return `${cols.join(' ')} ${client}`;
        })
        .join('\r\n'),
      'latin1',
    );
  }
  const r = await scanTree(tree, 'forwarded');
  assert.equal(r.verdict, 'attempted');
  const iis = (f: Finding) => /W3SVC1/.test(f.evidence[0]?.path ?? '');
  const inside = r.findings.filter((f) => iis(f) && f.sourceIps.includes('10.10.5.77'));
  const outside = r.findings.filter((f) => iis(f) && f.sourceIps.includes('203.0.113.9'));
  assert.ok(inside.length > 0 && outside.length > 0);
  assert.ok(inside.every((f) => f.details?.setAside === 'internal-scanner'), 'the internal scanner behind the balancer'); // prettier-ignore
  assert.match(inside[0]?.note ?? '', /forwarded by 10\.10\.0\.5/);
  assert.ok(
    outside.every((f) => f.outcome === 'probe' || f.outcome === 'attempt'),
    'the outside scanner stays',
  );
});

test('a success from an internal address is never set aside; product folders excuse only their own files', async () => {
  const w = makeWorld({
    name: 'insider',
    from: utc('2021-03-02T00:00:00'),
    to: utc('2021-03-04T00:00:00'),
    history: {
      builds: [{ from: 0, build: build('15.01.2176.002') }],
      restarts: [],
      feFields: [],
      rollHours: 4,
    },
    installed: utc('2021-01-16T20:12:40'),
    opts: { seed: 1, scale: 0.2 },
  });
  const { attackEnv: env, tl, site, tree } = w;
  const ip = '10.10.5.77';
  localhostProbe(env, tl, utc('2021-03-03T06:40:00.000'), ip, 500);
  proxyLogon(env, tl, utc('2021-03-03T06:49:42.162'), { ip, stem: '/ecp/y.js', at: [0, 1537, 4048, 9381, 11672, 26400], vdirGuid: site.oabVdirGuid }); // prettier-ignore
  const t = utc('2021-03-03T07:10:00');
  const zip = storedZip([{ name: 'mail.txt', data: Buffer.from('x'), mtime: t }]);
  tree.add('inetpub/wwwroot/aspnet_client/Sophos/shell.aspx', CHOPPER_ONE_LINER, t);
  tree.add('Users/Public/Sophos/loot.zip', zip, t);
  tree.add('ProgramData/Sophos/AutoUpdate/Cache/sdds.zip', zip, t);
  tree.add('Windows/Temp/mpam-fe.cab', zip, t);
  tree.add('ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_lsass.exe_9f_1/triagedump.dmp', minidump(env.rng, 4096, t), t); // prettier-ignore
  const r = await scanTree(finish(w, 'insider').tree, 'insider');
  assert.equal(r.verdict, 'compromised');
  const by = (id: string) => r.findings.filter((f) => f.rule.id === id);
  assert.equal(by('exhunt.proxylogon.ecp-session')[0]?.outcome, 'success');
  assert.deepEqual(by('exhunt.proxylogon.ecp-session')[0]?.sourceIps, [ip]);
  // The address that ran the chain is no scanner: even its scanner-like probe stays counted.
  const probe = by('exhunt.proxylogon.scanner-probe')[0];
  assert.equal(probe?.outcome, 'probe');
  assert.equal(probe?.details?.internalScannerDecision, 'kept: the address also attacked');
  assert.deepEqual(setAside(r), []);
  assert.ok(r.webshells.some((s) => s.path.endsWith('aspnet_client/Sophos/shell.aspx')), 'the webshell in a Sophos-named folder is found'); // prettier-ignore
  const file = (p: string) => r.findings.find((f) => f.evidence[0]?.path === p);
  assert.equal(file('Users/Public/Sophos/loot.zip')?.outcome, 'compromise');
  assert.equal(file('ProgramData/Sophos/AutoUpdate/Cache/sdds.zip')?.outcome, 'context');
  assert.equal(
    file('ProgramData/Sophos/AutoUpdate/Cache/sdds.zip')?.details?.vendorProduct,
    'Sophos Endpoint',
  );
  assert.equal(file('Windows/Temp/mpam-fe.cab')?.outcome, 'context');
  const lsass = file('ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_lsass.exe_9f_1/triagedump.dmp');
  assert.equal(lsass?.rule.id, 'exhunt.staged.lsass-dump');
  assert.equal(lsass?.outcome, 'compromise');
});

test('the generated compromised tree: every back-end line joins its front-end request (events before: 59, after: 53)', async () => {
  const s = SCENARIOS['compromised']!({ seed: 1, scale: 1 });
  const r = await scanTree(s.tree, 'compromised');
  const roles = addressRoles(r.findings, r.artifacts);
  const events = buildEvents(r.findings, roles);
  const onBack = (f: Finding) => /W3SVC2/.test(f.evidence[0]?.path ?? '');
  const backEvents = events.filter((e) => e.findings.some(onBack));
  assert.equal(backEvents.length, 6, 'the six proxied ProxyLogon steps');
  for (const e of backEvents) {
    assert.ok(
      e.findings.some((f) => /W3SVC1/.test(f.evidence[0]?.path ?? '')),
      `${e.summary}: front-end line`,
    );
    assert.ok(
      e.findings.some((f) => /HttpProxy/.test(f.evidence[0]?.path ?? '')),
      `${e.summary}: HttpProxy row`,
    );
    assert.deepEqual(e.publicAddresses, ['203.0.113.51']);
  }
  const reset = events.find((e) => e.findings.some((f) => f.rule.id === 'exhunt.proxylogon.reset-vdir'));
  assert.ok(
    reset?.findings.some((f) => f.rule.id === 'b0370da4-a88b-4684-a8b2-1972133df44b'),
    'the back-end reset joins',
  );
  assert.equal(events.length, 53);
});
