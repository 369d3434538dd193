// Triage order in the store, on SQLite and PostgreSQL: scores kept at ingest, recomputed when a step changes,
// when a clock-dependent reason expires and when the activity window changes; paged without loss; per tenant.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../core/finding.js';
import type { ExposedItem, ScanReport } from '../core/report.js';
import { ingestReport } from './ingest.js';
import { createOrganisation } from './orgs.js';
import { listRemediation, setRemediationStatus } from './remediation.js';
import { ALL, orgScope } from './scope.js';
import type { Scope } from './scope.js';
import { getServer, listServers } from './servers.js';
import type { ServerListOptions, ServerView } from './servers.js';
import { backends, finding, makeReport, step, webshell } from './testing.js';
import type { Fixture } from './testing.js';
import { DEFAULT_TRIAGE } from './triage.js';

const DAY = 24 * 3600 * 1000;
/** Times relative to the real clock: ingest judges recency at the time it runs. */
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function scannedAt(r: ScanReport, days: number): ScanReport {
  return { ...r, scan: { ...r.scan, startedAt: ago(days), finishedAt: ago(days) } };
}

function exposed(kind: ExposedItem['kind'], target: string): ExposedItem {
  return {
    kind,
    target,
    description: '',
    confidence: 'seen',
    basis: '',
    sessions: [],
    findings: [],
    evidence: [],
  };
}

const attack = (id: string, days: number, over: Partial<Finding> = {}) =>
  finding(id, { time: ago(days), ...over });

for (const b of await backends())
  describe(`triage order on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let acme: ReturnType<typeof orgScope>;
    let other: ReturnType<typeof orgScope>;
    const ids: Record<string, number> = {};

    const order = async (opts: ServerListOptions = {}, scope: Scope = acme) =>
      (await listServers(fx.store, scope, { order: 'triage' }, opts)).items;
    const byName = (list: ServerView[], name: string) => list.find((s) => s.name === name);
    const codes = (s: ServerView | undefined) => s?.triage.reasons.map((r) => r.code);

    async function put(name: string, report: ScanReport, scope = acme, vulnerable: string[] = []) {
      const r = await ingestReport(fx.store, scope, {
        serverName: name,
        report,
        actor: 'test',
        exposure: { build: vulnerable.length ? '15.1.2176.2' : '15.2.1544.4', vulnerable, unknown: [] },
      });
      ids[name] = r.serverId;
      return r;
    }

    before(async () => {
      fx = await b.create();
      acme = orgScope((await createOrganisation(fx.store, 'acme', 'test')).id);
      other = orgScope((await createOrganisation(fx.store, 'other', 'test')).id);
      // A foothold, an active attacker and steps to do.
      await put(
        'shell',
        scannedAt(
          makeReport('compromised', [attack('s1', 2, { outcome: 'compromise', stage: 'webshell-use' })], {
            webshells: [webshell('inetpub/wwwroot/aspnet_client/s.aspx', 'a'.repeat(64))],
            remediation: {
              steps: [step('quarantine-files', 'Quarantine the webshell'), step('reset', 'Reset')],
              updates: [],
            },
          }),
          1,
        ),
      );
      // Credentials and mail taken six weeks ago; the attacker has not been back.
      await put(
        'creds',
        scannedAt(
          makeReport('exploited', [attack('c1', 40)], {
            dataExposure: {
              items: [exposed('credentials', 'lsass.dmp'), exposed('mailbox-export', 'ceo → c.pst')],
              cannotShow: [],
            },
          }),
          1,
        ),
      );
      // Only attempts, but yesterday: the same score as `tried`, with more recent activity.
      await put('active', scannedAt(makeReport('attempted', [attack('a1', 1, { outcome: 'attempt' })]), 0));
      await put('tried', scannedAt(makeReport('attempted', [attack('t1', 20, { outcome: 'attempt' })]), 0));
      await put('exposed', scannedAt(makeReport('clean', []), 0), acme, ['CVE-2021-26855']);
      await put('quiet', scannedAt(makeReport('clean', []), 0));
      await put('stale', scannedAt(makeReport('clean', []), 30));
      await put('elsewhere', scannedAt(makeReport('compromised', [attack('e1', 1)]), 0), other);
    });
    after(() => fx.dispose());

    test('the order follows the evidence, each server with its reasons', async () => {
      const list = await order();
      assert.deepEqual(
        list.map((s) => s.name),
        ['shell', 'creds', 'active', 'exposed', 'tried', 'stale', 'quiet'],
      );
      assert.deepEqual(codes(byName(list, 'shell')), [
        'webshell-on-disk',
        'attacker-active',
        'verdict',
        'remediation-open',
      ]);
      assert.deepEqual(codes(byName(list, 'creds')), ['credential-dump', 'data-exposure', 'verdict']);
      assert.deepEqual(codes(byName(list, 'exposed')), ['exposure-open']);
      assert.deepEqual(codes(byName(list, 'stale')), ['scan-age']);
      assert.deepEqual(codes(byName(list, 'quiet')), []);
      const shell = byName(list, 'shell');
      assert.equal(
        shell?.triage.score,
        shell?.triage.reasons.reduce((n, r) => n + r.weight, 0),
      );
      assert.match(shell?.triage.reasons[0]?.detail ?? '', /aspnet_client\/s\.aspx/);
      assert.equal(byName(list, 'tried')?.triage.score, byName(list, 'stale')?.triage.score);
      assert.ok(!list.some((s) => s.name === 'elsewhere'), 'another tenant’s server is not listed');
    });

    test('equal scores go by the most recent attacker activity', async () => {
      // Both attempted, neither active inside a one-day window: the same score, told apart by activity.
      const list = await order({ triage: { ...DEFAULT_TRIAGE, activeDays: 1 } });
      const a = byName(list, 'active');
      const t = byName(list, 'tried');
      assert.equal(a?.triage.score, t?.triage.score);
      const names = list.map((s) => s.name);
      assert.ok(names.indexOf('active') < names.indexOf('tried'), names.join(' '));
      assert.ok((a?.triage.lastActivity ?? '') > (t?.triage.lastActivity ?? ''));
    });

    test('pages of one follow the same order without loss, for a tenant and for administrators', async () => {
      for (const scope of [acme, ALL]) {
        const whole = (await order({}, scope)).map((s) => s.name);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await listServers(fx.store, scope, {
            order: 'triage',
            limit: 1,
            ...(cursor ? { cursor } : {}),
          });
          seen.push(...page.items.map((s) => s.name));
          cursor = page.next ?? undefined;
        } while (cursor);
        assert.deepEqual(seen, whole);
      }
      assert.equal((await order({}, ALL))[0]?.name, 'shell');
      assert.ok((await order({}, ALL)).some((s) => s.name === 'elsewhere'));
    });

    test('marking steps done lowers the score at once; reopening raises it', async () => {
      const steps = (await listRemediation(fx.store, acme, { serverId: ids.shell })).items;
      const before = (await getServer(fx.store, acme, ids.shell as number))?.triage.score ?? 0;
      for (const s of steps) assert.ok(await setRemediationStatus(fx.store, acme, s.id, 'done', 'test'));
      const done = await getServer(fx.store, acme, ids.shell as number);
      assert.ok(!codes(done)?.includes('remediation-open'));
      assert.equal(done?.triage.score, before - 4);
      await setRemediationStatus(fx.store, acme, steps[0]?.id as number, 'open', 'test');
      const reopened = await getServer(fx.store, acme, ids.shell as number);
      assert.equal(
        reopened?.triage.reasons.find((r) => r.code === 'remediation-open')?.text,
        '1 remediation step open',
      );
    });

    test('an older report uploaded late leaves the latest scan’s evidence in place', async () => {
      const old = scannedAt(makeReport('clean', []), 60);
      await ingestReport(fx.store, acme, { serverName: 'shell', report: old, actor: 'test' });
      const s = await getServer(fx.store, acme, ids.shell as number);
      assert.ok(codes(s)?.includes('webshell-on-disk'));
      // The latest scan without the webshell removes the reason.
      const later = scannedAt(makeReport('compromised', [attack('s1', 2, { outcome: 'compromise' })]), 0);
      await ingestReport(fx.store, acme, { serverName: 'shell', report: later, actor: 'test' });
      assert.ok(!codes(await getServer(fx.store, acme, ids.shell as number))?.includes('webshell-on-disk'));
    });

    test('servers scored before scores were kept are scored from their stored scan', async () => {
      await fx.store.db
        .updateTable('servers')
        .set({
          triage_evidence: null,
          triage_reasons: '[]',
          triage_score: 0,
          triage_days: 0,
          triage_until: '',
        })
        .where('id', '=', ids.creds as number)
        .execute();
      const s = await getServer(fx.store, acme, ids.creds as number);
      assert.deepEqual(codes(s), ['credential-dump', 'data-exposure', 'verdict']);
    });

    test('a wider activity window scores again; the clock expires activity and ages scans', async () => {
      const wide = await order({ triage: { ...DEFAULT_TRIAGE, activeDays: 30 } });
      assert.ok(codes(byName(wide, 'tried'))?.includes('attacker-active'), 'active 20 days ago, within 30');
      assert.ok(!codes(byName(wide, 'creds'))?.includes('attacker-active'), 'not 40 days ago');
      // Ten days on with the default window: yesterday's attempt is no longer recent, today's scans not stale.
      const later = await order({ now: new Date(Date.now() + 10 * DAY).toISOString() });
      assert.ok(!codes(byName(later, 'active'))?.includes('attacker-active'));
      assert.ok(!codes(byName(later, 'quiet'))?.includes('scan-age'));
      // Twenty days on, they are.
      const much = await order({ now: new Date(Date.now() + 20 * DAY).toISOString() });
      assert.deepEqual(codes(byName(much, 'quiet')), ['scan-age']);
    });
  });
