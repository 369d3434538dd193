// Query latency for the fleet benchmark: each list and campaign query many times, one at a time, through
// the API (routing, auth, SQL, JSON), with random tenants and filters; p50, p95 and p99 in milliseconds.

import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { Rng } from '../../examples/lib/rng.js';
import type { Store } from '../../src/store/index.js';
import { createToken } from '../../src/store/index.js';
import type { FleetShape } from './generate.js';

interface Query {
  name: string;
  admin: boolean;
  url: (rng: Rng, ctx: { serverOf: (org: number) => number }) => string;
}

const QUERIES: Query[] = [
  { name: 'servers (tenant, first page)', admin: false, url: () => '/api/v1/servers' },
  { name: 'servers (tenant, compromised)', admin: false, url: () => '/api/v1/servers?verdict=compromised' },
  {
    name: 'servers (admin, all organisations, compromised)',
    admin: true,
    url: () => '/api/v1/servers?verdict=compromised',
  },
  { name: 'scans (tenant)', admin: false, url: () => '/api/v1/scans' },
  { name: 'findings (tenant, newest)', admin: false, url: () => '/api/v1/findings' },
  {
    name: 'findings (tenant, one server, high)',
    admin: false,
    url: (_r, c) => `/api/v1/findings?serverId=${c.serverOf(0)}&severity=high`,
  },
  { name: 'findings (admin, newest of all)', admin: true, url: () => '/api/v1/findings' },
  { name: 'indicators across victims (admin)', admin: true, url: () => '/api/v1/campaigns/indicators' },
  {
    name: 'indicators across victims (admin, addresses, min 10 organisations)',
    admin: true,
    url: () => '/api/v1/campaigns/indicators?kind=ip&min=10',
  },
  { name: 'indicators across victims (tenant)', admin: false, url: () => '/api/v1/campaigns/indicators' },
  // Attacker clusters: cached per scope until a scan is added (the first call of each scope recomputes).
  { name: 'attacker clusters (admin, cached)', admin: true, url: () => '/api/v1/campaigns' },
  { name: 'attacker clusters (tenant)', admin: false, url: () => '/api/v1/campaigns' },
];

function pct(sorted: number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0).toFixed(1));
}

export async function latencies(
  app: FastifyInstance,
  store: Store,
  shape: FleetShape,
  n: number,
  log: (s: string) => void,
) {
  const rng = new Rng(11);
  const admin = (
    await createToken(store, { name: 'bench-admin', role: 'administrator', orgId: null }, 'bench')
  ).token;
  const tenants: { org: number; token: string }[] = [];
  for (let i = 0; i < 50; i++) {
    const org = rng.int(0, shape.orgs - 1);
    tenants.push({
      org,
      token: (await createToken(store, { name: 'bench-viewer', role: 'viewer', orgId: org + 1 }, 'bench'))
        .token,
    });
  }
  const out: Record<string, { p50: number; p95: number; p99: number; rows: number }> = {};
  for (const q of QUERIES) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < n + 5; i++) {
      const tenant = rng.pick(tenants);
      // Server ids follow the generator: server i is in organisation i % orgs.
      const serverOf = () =>
        tenant.org + 1 + shape.orgs * rng.int(0, Math.floor(shape.servers / shape.orgs) - 1);
      const t0 = performance.now();
      const res = await app.inject({
        method: 'GET',
        url: q.url(rng, { serverOf }),
        headers: { authorization: `Bearer ${q.admin ? admin : tenant.token}` },
      });
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`${q.name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      // The first few warm the caches and the JIT; they are not counted.
      if (i >= 5) {
        times.push(ms);
        rows += res.json<{ items: unknown[] }>().items.length;
      }
    }
    times.sort((a, b) => a - b);
    out[q.name] = {
      p50: pct(times, 50),
      p95: pct(times, 95),
      p99: pct(times, 99),
      rows: Math.round(rows / n),
    };
    log(`  ${q.name}: ${JSON.stringify(out[q.name])}`);
  }
  return out;
}
