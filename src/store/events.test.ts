// Events per scan, run on SQLite and PostgreSQL: stored at ingest in the report's order, paged, scoped.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildIncident } from '../analysis/incident.js';
import type { Finding } from '../core/finding.js';
import type { EventGroup, RequestEvent, ScanReport } from '../core/report.js';
import { listEvents } from './events.js';
import { ingestReport } from './ingest.js';
import { createOrganisation } from './orgs.js';
import { orgScope } from './scope.js';
import { backends, finding, makeReport } from './testing.js';
import type { Fixture } from './testing.js';

const RID = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';

/** Two logs of one request, two requests of another address, three probes and a context finding. */
function report(finishedAt: string, extraProbe = false): ScanReport {
  const line = (path: string, n: number, excerpt: string) => [{ path, line: n, excerpt }];
  const fs: Finding[] = [
    finding('fe', { evidence: line('inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', 10, `2021-03-03 06:49:46 10.0.0.5 POST /ecp/y.js &cafeReqId=${RID}; 443 - 198.51.100.9 x - 200 0 0 15`), details: { requestId: RID }, request: { requestId: RID } }), // prettier-ignore
    finding('hp', { details: { requestId: RID }, request: { requestId: RID } }),
    finding('a2', { outcome: 'attempt', time: '2021-03-03T07:00:00.000Z', sourceIps: ['198.51.100.10'], evidence: line('inetpub/logs/LogFiles/W3SVC1/u_ex210303.log', 20, 'GET /ecp/x.js') }), // prettier-ignore
    ...['192.0.2.1', '192.0.2.2', ...(extraProbe ? ['192.0.2.3'] : [])].map(
      (ip, i) =>
      finding(`p${i}`, { outcome: 'probe', stage: 'recon', rule: { id: 'exhunt.probe', title: 'Probe', author: 'exhunt', source: 'exhunt' }, time: `2021-03-01T00:00:0${i}.000Z`, sourceIps: [ip], evidence: line('inetpub/logs/LogFiles/W3SVC1/u_ex210301.log', 30 + i, 'GET /owa/auth/x.js') }), // prettier-ignore
    ),
    finding('ctx', { outcome: 'context', stage: 'context', evidence: [{ path: 'ProgramData/a.zip', excerpt: 'a.zip' }] }), // prettier-ignore
  ];
  const r = makeReport('exploited', fs);
  r.scan = { ...r.scan, finishedAt };
  return Object.assign(r, buildIncident(r));
}

for (const b of await backends())
  describe(`store contract (events) on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let acme: ReturnType<typeof orgScope>;
    let other: ReturnType<typeof orgScope>;
    before(async () => {
      fx = await b.create();
      acme = orgScope((await createOrganisation(fx.store, 'acme', 'test')).id);
      other = orgScope((await createOrganisation(fx.store, 'other', 'test')).id);
    });
    after(() => fx.dispose());

    test('a scan’s events come back in the report’s order: requests, then probe groups, then context', async () => {
      const r = report('2021-03-10T10:05:00.000Z');
      const { scanId, serverId } = await ingestReport(fx.store, acme, { serverName: 'ex01', report: r, actor: 't' }); // prettier-ignore
      const page = await listEvents(fx.store, acme, { scanId });
      assert.deepEqual(
        page.items.map((x) => [x.kind, x.event.id]),
        [...r.events!.list.map((e) => ['event', e.id]), ['probe', 'P1'], ['context', 'C1']],
      );
      const first = page.items[0]?.event as RequestEvent;
      assert.deepEqual([...first.findings].sort(), ['fe', 'hp'], 'one request, both logs');
      assert.equal(first.lines.length, 2);
      const probes = page.items.find((x) => x.kind === 'probe')?.event as EventGroup;
      assert.equal(probes.count, 2);
      assert.deepEqual([...probes.sources].sort(), ['192.0.2.1', '192.0.2.2']);
      assert.ok(page.items.every((x) => x.serverId === serverId && x.server === 'ex01'));
      // Paged one at a time, the same list.
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await listEvents(fx.store, acme, { scanId, limit: 1, ...(cursor ? { cursor } : {}) });
        walked.push(...p.items.map((x) => x.event.id));
        cursor = p.next ?? undefined;
      } while (cursor);
      assert.deepEqual(
        walked,
        page.items.map((x) => x.event.id),
      );
      assert.deepEqual(
        (await listEvents(fx.store, acme, { scanId, kind: 'probe' })).items.map((x) => x.event.id),
        ['P1'],
      );
    });

    test('another tenant sees none of them; without a scan, only each server’s latest scan', async () => {
      const older = await listEvents(fx.store, acme, { serverId: (await listEvents(fx.store, acme, {})).items[0]!.serverId }); // prettier-ignore
      assert.ok(older.items.length > 0);
      assert.equal((await listEvents(fx.store, other, {})).items.length, 0);
      const newer = report('2021-03-11T10:05:00.000Z', true);
      const { scanId } = await ingestReport(fx.store, acme, { serverName: 'ex01', report: newer, actor: 't' }); // prettier-ignore
      const latest = await listEvents(fx.store, acme, {});
      assert.ok(latest.items.length > 0);
      assert.ok(
        latest.items.every((x) => x.scanId === scanId),
        'the older scan is left out',
      );
      const g = latest.items.find((x) => x.kind === 'probe')?.event as EventGroup;
      assert.equal(g.count, 3);
    });
  });
