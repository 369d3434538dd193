// The fleet benchmark's ingest rate: reports from the generator POSTed through the real API path
// (Fastify, token lookup, JSON Schema validation, ingestReport in one transaction), N at a time.

import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/store/index.js';
import { createToken } from '../../src/store/index.js';
import { serverReport } from './generate.js';
import type { FleetShape } from './generate.js';

/** New servers' reports (the same generator, beyond the loaded range) POSTed through the API as an analyst. */
export async function ingestSample(
  app: FastifyInstance,
  store: Store,
  shape: FleetShape,
  offset: number,
  n: number,
  concurrency: number,
): Promise<Record<string, number>> {
  const tokens = new Map<number, string>();
  const bodies: { org: number; body: string }[] = [];
  for (let i = 0; i < n; i++) {
    const { org, server, report } = serverReport(shape, offset + i);
    if (!tokens.has(org))
      tokens.set(
        org,
        (await createToken(store, { name: 'bench', role: 'analyst', orgId: org + 1 }, 'bench')).token,
      );
    bodies.push({ org, body: JSON.stringify({ server, report }) });
  }
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++] as { org: number; body: string };
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          headers: { authorization: `Bearer ${tokens.get(b.org)}`, 'content-type': 'application/json' },
          payload: b.body,
        });
        if (res.statusCode !== 201) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    reports: n,
    findingsPerReport: shape.findingsPerServer,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    reportsPerSecond: Math.round(n / seconds),
    failed,
  };
}
