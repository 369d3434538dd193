// Notifications on SQLite and PostgreSQL: channels through the API (secrets never shown back, tenants apart,
// audited), a server turning compromised queued in its ingest and delivered to a local webhook (signature
// checked), an SMTP sink and syslog listeners (UDP JSON, TCP CEF); failures retried, then given up.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ingestReport } from '../store/index.js';
import { backends, finding, makeReport } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { MAX_ATTEMPTS } from '../store/notifications.js';
import { startDispatcher } from './notify/dispatcher.js';
import { API_PREFIX } from './route.js';
import { testApp, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { sinks } from './testing/sinks.js';
import type { Sinks } from './testing/sinks.js';
import { until } from './testing/wait.js';

const SECRET = 'a-shared-secret-of-enough-length';

for (const b of await backends())
  describe(`notifications on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    let s: Sinks;
    let alpha: Record<string, string>;
    let zulu: Record<string, string>;
    let viewer: Record<string, string>;
    let alphaId = 0;
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
      s = await sinks();
      alpha = await tokenFor(fx, 'tenant-alpha', 'analyst');
      viewer = await tokenFor(fx, 'tenant-alpha', 'viewer');
      zulu = await tokenFor(fx, 'tenant-zulu', 'analyst');
      alphaId = (await fx.store.db.selectFrom('organisations').select('id').where('name', '=', 'tenant-alpha').executeTakeFirstOrThrow()).id; // prettier-ignore
    });
    after(async () => {
      await t.close();
      await s.close();
      await fx.dispose();
    });

    const api = (
      who: Record<string, string>,
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      payload?: object,
    ) => t.app.inject({ method, url: `${API_PREFIX}${url}`, headers: who, ...(payload ? { payload } : {}) });
    const channels = async (who: Record<string, string>) =>
      (await api(who, 'GET', '/notifications/channels')).json<{
        items: { id: number; name: string; config: Record<string, unknown>; pending: number; failed: number; lastSentAt: string | null; lastError: string | null }[]; // prettier-ignore
      }>().items;

    test('channels: added by analysts, secrets never shown back, other tenants and viewers kept out, audited', async () => {
      const events = ['server.compromised', 'server.exploited'];
      const add = async (kind: string, name: string, config: object) => {
        const r = await api(alpha, 'POST', '/notifications/channels', { kind, name, config, events });
        assert.equal(r.statusCode, 201, r.body);
      };
      await add('webhook', 'soc hook', { url: `http://127.0.0.1:${s.ports.hook}/in`, secret: SECRET });
      await add('smtp', 'soc mail', { host: '127.0.0.1', port: s.ports.smtp, from: 'exhunt@corp.example', to: ['soc@corp.example'] }); // prettier-ignore
      await add('syslog', 'siem udp', {
        host: '127.0.0.1',
        port: s.ports.udp,
        transport: 'udp',
        format: 'json',
      });
      await add('syslog', 'siem tcp', {
        host: '127.0.0.1',
        port: s.ports.tcp,
        transport: 'tcp',
        format: 'cef',
      });
      const mine = await channels(alpha);
      assert.deepEqual(
        mine.map((c) => c.name),
        ['soc hook', 'soc mail', 'siem udp', 'siem tcp'],
      );
      const hook = mine[0]!;
      assert.equal(hook.config.secret, undefined);
      assert.equal(hook.config.secretSet, true);
      assert.ok(!JSON.stringify(mine).includes(SECRET));
      // A webhook with a short secret, a URL that is not HTTP, an unknown event: refused.
      for (const bad of [
        { kind: 'webhook', name: 'x', config: { url: 'http://x.example/', secret: 'short' }, events },
        { kind: 'webhook', name: 'x', config: { url: 'file:///etc/passwd', secret: SECRET }, events },
        { kind: 'syslog', name: 'x', config: { host: '127.0.0.1', port: 514, transport: 'udp', format: 'json' }, events: ['scan.any'] }, // prettier-ignore
        { kind: 'smtp', name: 'x', config: { host: '127.0.0.1', port: 25, from: 'a@b', to: ['x\r\nBcc: y@z'] }, events }, // prettier-ignore
      ])
        assert.equal(
          (await api(alpha, 'POST', '/notifications/channels', bad)).statusCode,
          400,
          JSON.stringify(bad),
        );
      assert.equal((await api(viewer, 'GET', '/notifications/channels')).statusCode, 403);
      assert.deepEqual(await channels(zulu), []);
      assert.equal((await api(zulu, 'DELETE', `/notifications/channels/${hook.id}`)).statusCode, 404);
      assert.equal((await api(zulu, 'POST', `/notifications/channels/${hook.id}/test`)).statusCode, 404);
      const audited = await fx.store.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'notify.channel.create').execute(); // prettier-ignore
      assert.equal(audited.length, 4);
    });

    test('a server turning compromised is told once on every channel: signed webhook, e-mail, syslog JSON and CEF', async () => {
      const d = startDispatcher(fx.store, { version: '9.9.9', intervalMs: 0 });
      try {
        const clean = makeReport('clean', [], { scan: { ...makeReport('clean', []).scan, finishedAt: '2021-03-01T00:00:00.000Z' } }); // prettier-ignore
        await ingestReport(
          fx.store,
          { orgId: alphaId },
          { serverName: 'EXCH01\r\nInjected: yes', report: clean, actor: 'test' },
        );
        assert.equal(await d.tick(), 0, 'a clean server is no news');
        const bad = makeReport('compromised', [finding('w1')], {
          scan: { ...clean.scan, finishedAt: '2021-03-05T00:00:00.000Z' },
          explanation: 'Webshell at <script>alert(1)</script>',
        });
        await ingestReport(
          fx.store,
          { orgId: alphaId },
          { serverName: 'EXCH01\r\nInjected: yes', report: bad, actor: 'test' },
        );
        assert.equal(await d.tick(), 4);
        await until(async () => (s.tcp.length === 1 && s.udp.length === 1) || undefined, 'syslog to arrive');

        assert.equal(s.hooks.length, 1);
        const h = s.hooks[0]!;
        const sig = createHmac('sha256', SECRET).update(`${String(h.headers['x-exhunt-timestamp'])}.${h.body}`).digest('hex'); // prettier-ignore
        assert.equal(h.headers['x-exhunt-signature'], `sha256=${sig}`);
        assert.equal(h.headers['x-exhunt-event'], 'server.compromised');
        const body = JSON.parse(h.body) as {
          event: string;
          verdict: string;
          previousVerdict: string;
          server: { name: string };
        };
        assert.deepEqual(
          [body.event, body.verdict, body.previousVerdict],
          ['server.compromised', 'compromised', 'clean'],
        );

        assert.equal(s.mails.length, 1);
        const mail = s.mails[0]!;
        assert.match(mail, /^Subject: exhunt: EXCH01\\x0d\\nInjected: yes is compromised$/m);
        assert.doesNotMatch(mail, /^Injected: yes/m, 'a server name cannot add a header');
        assert.match(mail, /^To: soc@corp\.example$/m);

        const udp = s.udp[0]!;
        assert.match(udp, /^<130>1 \d{4}-\d\d-\d\dT[\d:.]+Z \S+ exhunt \d+ server\.compromised - \{/);
        assert.equal(
          (JSON.parse(udp.slice(udp.indexOf(' - ') + 3)) as { verdict: string }).verdict,
          'compromised',
        );
        const tcp = s.tcp[0]!;
        const frame = /^(\d+) ([\s\S]*)$/.exec(tcp);
        assert.ok(frame, tcp);
        assert.equal(Buffer.byteLength(frame[2]!), Number(frame[1]), 'octet-counted frame');
        assert.match(frame[2]!, /CEF:0\|exhunt\|exhunt\|9\.9\.9\|server\.compromised\|exhunt: EXCH01\\\\x0d\\\\nInjected: yes is compromised\|10\|dvchost=EXCH01\\\\x0d\\\\nInjected: yes cs1Label=verdict cs1=compromised/); // prettier-ignore
        assert.doesNotMatch(frame[2]!, /[\r\n]/);

        // The same verdict again, or an older report uploaded late: no second notification.
        const again = makeReport('compromised', [finding('w2')], { scan: { ...clean.scan, finishedAt: '2021-03-06T00:00:00.000Z' } }); // prettier-ignore
        await ingestReport(
          fx.store,
          { orgId: alphaId },
          { serverName: 'EXCH01\r\nInjected: yes', report: again, actor: 'test' },
        );
        assert.equal(await d.tick(), 0);
        const sent = await channels(alpha);
        assert.ok(
          sent.every((c) => c.lastSentAt !== null && c.pending === 0),
          JSON.stringify(sent),
        );
      } finally {
        await d.stop();
      }
    });

    test('a failing webhook is retried with backoff and given up after the last attempt, on its channel only', async () => {
      const d = startDispatcher(fx.store, { version: '9.9.9', intervalMs: 0 });
      try {
        s.hookStatus = 500;
        const hook = (await channels(alpha)).find((c) => c.name === 'soc hook')!;
        assert.equal((await api(alpha, 'POST', `/notifications/channels/${hook.id}/test`)).statusCode, 202);
        assert.equal(await d.tick(), 1);
        let row = await fx.store.db.selectFrom('notify_outbox').selectAll().where('event', '=', 'test').executeTakeFirstOrThrow(); // prettier-ignore
        assert.deepEqual(
          [row.state, row.attempts, row.last_error],
          ['pending', 1, 'the webhook answered 500'],
        );
        assert.ok(row.next_at > new Date(Date.now() + 20_000).toISOString(), 'not retried at once');
        assert.equal(await d.tick(), 0, 'nothing due before the backoff ends');
        // Time moves on: make it due until the attempts run out.
        for (let i = 1; i < MAX_ATTEMPTS; i++) {
          await fx.store.db.updateTable('notify_outbox').set({ next_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', row.id).execute(); // prettier-ignore
          assert.equal(await d.tick(), 1);
        }
        row = await fx.store.db
          .selectFrom('notify_outbox')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow();
        assert.deepEqual([row.state, row.attempts], ['failed', MAX_ATTEMPTS]);
        const view = (await channels(alpha)).find((c) => c.id === hook.id)!;
        assert.deepEqual([view.failed, view.lastError], [1, 'the webhook answered 500']);
        assert.equal((await api(alpha, 'DELETE', `/notifications/channels/${hook.id}`)).statusCode, 204);
        assert.equal(
          (await channels(alpha)).some((c) => c.id === hook.id),
          false,
        );
      } finally {
        s.hookStatus = 204;
        await d.stop();
      }
    });
    test('a remediation step open longer than its phase allows is told once; a recent or closed one is not', async () => {
      const d = startDispatcher(fx.store, { version: '9.9.9', intervalMs: 0, overdueEveryMs: 0 });
      try {
        const made = await api(alpha, 'POST', '/notifications/channels', {
          kind: 'webhook',
          name: 'overdue hook',
          config: { url: `http://127.0.0.1:${s.ports.hook}/overdue`, secret: SECRET },
          events: ['remediation.overdue'],
        });
        assert.equal(made.statusCode, 201, made.body);
        const server = await fx.store.db.selectFrom('servers').select(['id', 'latest_scan_id']).where('org_id', '=', alphaId).executeTakeFirstOrThrow(); // prettier-ignore
        const day = 86_400_000;
        const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
        const step = (key: string, phase: string, status: 'open' | 'done', since: string) => ({
          org_id: alphaId,
          server_id: server.id,
          scan_id: server.latest_scan_id!,
          item_key: key,
          title: `${phase} step <b>${key}</b>`,
          data: JSON.stringify({ id: key, phase }),
          status,
          updated_at: since,
          updated_by: null,
        });
        await fx.store.db
          .insertInto('remediation_items')
          .values([
            step('late-contain', 'contain', 'open', ago(2)),
            step('recent-recover', 'recover', 'open', ago(5)),
            step('closed-contain', 'contain', 'done', ago(30)),
          ])
          .execute();
        const before = s.hooks.length;
        assert.equal(await d.checkOverdue(), 1);
        assert.equal(await d.tick(), 1);
        assert.equal(s.hooks.length, before + 1);
        const body = JSON.parse(s.hooks.at(-1)!.body) as { event: string; step: { title: string; phase: string; due: string } }; // prettier-ignore
        assert.deepEqual([body.event, body.step.title, body.step.phase], ['remediation.overdue', 'contain step <b>late-contain</b>', 'contain']); // prettier-ignore
        assert.ok(body.step.due < new Date().toISOString());
        // Told once: the same step is not told again, and the recovery step's fortnight has not passed.
        assert.equal(await d.checkOverdue(), 0);
        // Sixteen days on, the recovery step is late too.
        assert.equal(await d.checkOverdue(new Date(Date.now() + 16 * day)), 1);
      } finally {
        await d.stop();
      }
    });
    test("an organisation's own deadlines: set by its analysts only, audited, used by the overdue check", async () => {
      const patch = (who: Record<string, string>, days: object, org = '') =>
        t.app.inject({ method: 'PATCH', url: `${API_PREFIX}/notifications/overdue${org}`, headers: who, payload: { days } }); // prettier-ignore
      const get = async () =>
        (await api(alpha, 'GET', '/notifications/overdue')).json<{ days: Record<string, number>; custom: string[]; defaults: Record<string, number> }>(); // prettier-ignore
      assert.deepEqual((await get()).days, (await get()).defaults);
      assert.equal((await patch(viewer, { contain: 5 })).statusCode, 403);
      assert.equal((await patch(zulu, { contain: 5 }, '?org=tenant-alpha')).statusCode, 403);
      assert.equal((await patch(alpha, { contain: 0 })).statusCode, 400);
      // The API's validation drops properties it does not know (Fastify's default): nothing stored.
      const unknown = await patch(alpha, { lunch: 2 });
      assert.deepEqual(unknown.json<{ custom: string[] }>().custom, []);
      const ok = await patch(alpha, { contain: 5, recover: 14 });
      assert.equal(ok.statusCode, 200, ok.body);
      const now = await get();
      // Recovery's 14 is the default: stored as following it, so a later change of the default applies.
      assert.deepEqual([now.days.contain, now.days.recover, now.custom], [5, 14, ['contain']]);
      const zuluView = (await api(zulu, 'GET', '/notifications/overdue')).json<{
        days: Record<string, number>;
      }>();
      assert.equal(zuluView.days.contain, 1);
      const audited = await fx.store.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'notify.overdue.update').where('org_id', '=', alphaId).orderBy('id').execute(); // prettier-ignore
      assert.equal(audited.length, 2);
      const detail = JSON.parse(audited[1]!.detail!) as {
        before: { contain: number };
        after: { contain: number };
      };
      assert.deepEqual([detail.before.contain, detail.after.contain], [1, 5]);
      const d = startDispatcher(fx.store, { version: '9.9.9', intervalMs: 0, overdueEveryMs: 0 });
      try {
        const server = await fx.store.db.selectFrom('servers').select(['id', 'latest_scan_id']).where('org_id', '=', alphaId).executeTakeFirstOrThrow(); // prettier-ignore
        const day = 86_400_000;
        const row = (key: string, days: number) => ({
          org_id: alphaId,
          server_id: server.id,
          scan_id: server.latest_scan_id!,
          item_key: key,
          title: `contain step ${key}`,
          data: JSON.stringify({ id: key, phase: 'contain' }),
          status: 'open' as const,
          updated_at: new Date(Date.now() - days * day).toISOString(),
          updated_by: null,
        });
        await fx.store.db
          .insertInto('remediation_items')
          .values([row('own-3d', 3), row('own-6d', 6)])
          .execute();
        const queued = await fx.store.db.selectFrom('remediation_items').select('id').where('overdue_notified_at', 'is', null).where('item_key', 'in', ['own-3d', 'own-6d']).execute(); // prettier-ignore
        assert.equal(queued.length, 2);
        // Under the default (1 day) both would be late; under alpha's 5 days only the six-day-old one is.
        assert.equal(await d.checkOverdue(), 1);
        const told = await fx.store.db.selectFrom('remediation_items').select('item_key').where('overdue_notified_at', 'is not', null).where('item_key', 'in', ['own-3d', 'own-6d']).execute(); // prettier-ignore
        assert.deepEqual(
          told.map((r) => r.item_key),
          ['own-6d'],
        );
      } finally {
        await d.stop();
      }
    });
    test('which events a channel takes: changed by its tenant’s analysts only, audited', async () => {
      const made = await api(alpha, 'POST', '/notifications/channels', {
        kind: 'webhook',
        name: 'events hook',
        config: { url: `http://127.0.0.1:${s.ports.hook}/ev`, secret: SECRET },
        events: ['server.compromised'],
      });
      const id = made.json<{ id: number }>().id;
      const patch = (who: Record<string, string>, events: string[]) =>
        t.app.inject({ method: 'PATCH', url: `${API_PREFIX}/notifications/channels/${id}`, headers: who, payload: { events } }); // prettier-ignore
      assert.equal((await patch(viewer, ['campaign.new'])).statusCode, 403);
      assert.equal((await patch(zulu, ['campaign.new'])).statusCode, 404);
      assert.equal((await patch(alpha, ['no.such'])).statusCode, 400);
      assert.equal((await patch(alpha, ['campaign.grown', 'campaign.new'])).statusCode, 204);
      const view = (await api(alpha, 'GET', '/notifications/channels')).json<{ items: { id: number; events: string[] }[] }>(); // prettier-ignore
      assert.deepEqual(view.items.find((c) => c.id === id)?.events, ['campaign.new', 'campaign.grown']);
      const audited = await fx.store.db.selectFrom('audit_log').select('detail').where('action', '=', 'notify.channel.events').where('target', '=', `channel:${id}`).execute(); // prettier-ignore
      assert.equal(audited.length, 1);
      assert.deepEqual(JSON.parse(audited[0]!.detail!) as unknown, { name: 'events hook', before: ['server.compromised'], after: ['campaign.new', 'campaign.grown'] }); // prettier-ignore
    });
  });
