// How long a full triage re-score takes (after an upgrade, or when `--active-days` changes): N servers with
// kept evidence in a fresh PostgreSQL database, every score due, one refreshTriage call.
// Run: node dist/bench/fleet/rescore.js [--servers 100000]

import { parseArgs } from 'node:util';
import { DEFAULT_TRIAGE } from '../../src/core/triage.js';
import type { TriageEvidence } from '../../src/core/triage.js';
import { migrateToLatest, openStore } from '../../src/store/index.js';
import { createPgDatabase } from '../../src/store/testing.js';
import { refreshTriage } from '../../src/store/triage.js';

const { values } = parseArgs({ options: { servers: { type: 'string', default: '100000' } } });
const n = Number(values.servers);
const evidence: TriageEvidence = {
  verdict: 'compromised',
  scannedAt: '2021-03-10T00:00:00.000Z',
  webshells: { count: 1, paths: ['inetpub/wwwroot/aspnet_client/x.aspx'] },
  credentials: { count: 0, targets: [] },
  data: { mailboxes: 0, exports: 0, addressBook: 0, targets: [] },
  lastActivity: '2021-03-05T00:00:00.000Z',
  openCves: ['CVE-2021-26855'],
  mitigatedCves: [],
  build: '15.1.2176.2',
};

const db = await createPgDatabase();
const store = await openStore({ database: db.url });
try {
  await migrateToLatest(store);
  const now = new Date().toISOString();
  const org = (
    await store.db.insertInto('organisations').values({ name: 'bench', created_at: now }).returning('id').executeTakeFirstOrThrow()
  ).id; // prettier-ignore
  const kept = JSON.stringify(evidence);
  for (let i = 0; i < n; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + 1000); j++)
      rows.push({ org_id: org, name: `server-${j}`, created_at: now, latest_verdict: 'compromised', triage_evidence: kept, triage_until: '', triage_days: 7 }); // prettier-ignore
    await store.db.insertInto('servers').values(rows).execute();
  }
  const t = process.hrtime.bigint();
  const done = await refreshTriage(store, { ...DEFAULT_TRIAGE, activeDays: 30 });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(`${done.toLocaleString('en')} servers re-scored in ${s.toFixed(1)} s on PostgreSQL`);
} finally {
  await store.close();
  await db.drop();
}
