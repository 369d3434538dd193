// The incremental clusters equal a full recompute, on SQLite and PostgreSQL: a seeded random sequence of
// reports (shared addresses that become widespread noise part way, so clusters split; rescans of one
// session; several ingests between reads) read after each step through clusterState (the model) and
// compared with computeClusters (the reference), for every organisation and for each tenant.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Finding } from '../core/finding.js';
import type { AttackerSession } from '../core/report.js';
import type { ClusterSettings } from './cluster-state.js';
import { clusterState, computeClusters } from './cluster-state.js';
import { ingestReport } from './ingest.js';
import { createOrganisation } from './orgs.js';
import { orgScope } from './scope.js';
import {
  attackerSession,
  backends,
  canonClusters,
  finding,
  makeReport,
  sessionsOf,
  webshell,
} from './testing.js';
import type { Fixture } from './testing.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SETTINGS: ClusterSettings[] = [
  { minWeight: 1, widespreadOrgs: 3 },
  { minWeight: 2, widespreadOrgs: 3 },
];

for (const b of await backends())
  describe(`incremental clusters on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    before(async () => {
      fx = await b.create();
    });
    after(() => fx.dispose());

    test('after each step of a random fleet, the model equals a full recompute', async () => {
      const rnd = random(15);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
      const orgs: number[] = [];
      for (let i = 0; i < 5; i++) orgs.push((await createOrganisation(fx.store, `org${i}`, 'test')).id);
      const ips = Array.from({ length: 14 }, (_, i) => `198.51.100.${i + 1}`);
      const agents = ['ToolA/1.0', 'ToolB/2.1', 'Loader 3', 'x-agent 4', 'ZZ/5'];
      const shells = ['errorEE.aspx', 'OutlookEN.aspx', 'help.aspx', 'x.aspx'];
      const stages = ['exploit', 'webshell-use', 'recon', 'credential-access'] as const;
      const cves = ['CVE-2021-26855', 'CVE-2021-34473', 'CVE-2021-27065'];
      const clusteredThenNoise = new Set<number>();
      const seenClustered = new Set<number>();
      let reads = 0;
      for (let step = 0; step < 36; step++) {
        const org = pick(orgs);
        const server = `s${org}-${Math.floor(rnd() * 3)}`;
        const findings: Finding[] = [];
        const sessions: AttackerSession[] = [];
        const webshells = [];
        for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
          const addresses = [...new Set([pick(ips), ...(rnd() < 0.5 ? [pick(ips)] : [])])];
          const ua = pick(agents);
          const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
          const t = `2021-03-${day}T0${Math.floor(rnd() * 9)}:00:00.000Z`;
          const id = `f${step}-${k}`;
          findings.push(
            finding(id, {
              time: t,
              sourceIps: addresses,
              userAgent: ua,
              stage: pick(stages),
              cves: [pick(cves)],
            }),
          );
          const shell = rnd() < 0.3 ? pick(shells) : undefined;
          if (shell) webshells.push(webshell(`inetpub/wwwroot/aspnet_client/${shell}`, shell.length.toString(16).repeat(64).slice(0, 64))); // prettier-ignore
          sessions.push(
            attackerSession(`S${k}`, {
              addresses,
              userAgents: [ua],
              webshells: shell ? [`/aspnet_client/${shell}`] : [],
              firstSeen: t,
              lastSeen: t,
              findings: [id],
            }),
          );
        }
        await ingestReport(fx.store, orgScope(org), {
          serverName: server,
          report: makeReport('compromised', findings, {
            scan: {
              ...makeReport('clean', []).scan,
              startedAt: `2021-04-01T00:00:${String(step).padStart(2, '0')}.000Z`,
            },
            webshells,
            sessions: sessionsOf(sessions),
          }),
          actor: 'test',
        });
        // Reads now and then, so that one update sometimes applies several ingests.
        if (rnd() < 0.6 && step !== 35) continue;
        reads++;
        for (const settings of SETTINGS)
          for (const scope of [undefined, ...orgs]) {
            const inc = await clusterState(fx.store, scope, settings);
            const ref = await computeClusters(fx.store, scope, settings);
            assert.deepEqual(canonClusters(inc), canonClusters(ref), `step ${step}, org ${scope ?? 'all'}, ${JSON.stringify(settings)}`); // prettier-ignore
            if (scope === undefined && settings.minWeight === 1) {
              for (const id of inc.clusterOf.keys()) seenClustered.add(id);
              for (const n of inc.noise) if (seenClustered.has(n.id)) clusteredThenNoise.add(n.id);
            }
          }
      }
      assert.ok(reads >= 10, `only ${reads} reads`);
      // The sequence must have exercised the split: indicators that were in clusters became noise.
      assert.ok(clusteredThenNoise.size > 0, 'no indicator crossed into widespread noise');
    });
  });
