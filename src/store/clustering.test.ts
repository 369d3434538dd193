import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterIndicators, coOccurrence } from './clustering.js';
import type { GraphNode } from './clustering.js';
import { classifyNoise, scannerMatcher, scannerTable } from './noise.js';

const node = (id: number, kind: GraphNode['kind'], value: string, orgs = 1): GraphNode => ({
  id,
  kind,
  value,
  orgs,
});
const noise = (widespreadOrgs: number) => {
  const scanner = scannerMatcher(scannerTable());
  return (n: GraphNode) => classifyNoise(n, { widespreadOrgs, scanner });
};

// Attacker A: address 1, tool agent 2, webshell hash 3, at servers 10 and 11 (two organisations).
// Attacker B: address 4, webshell name 5, at server 20. A scanner address 9 appears in a session with each.
const nodes = [
  node(1, 'ip', '198.51.100.1', 2),
  node(2, 'user-agent', 'attacker-a-tool/1.0', 2),
  node(3, 'webshell-hash', 'a'.repeat(64), 2),
  node(4, 'ip', '203.0.113.4'),
  node(5, 'webshell-name', 'errorff.aspx'),
  node(9, 'ip', '192.0.2.99', 3),
];
const sessions = [
  { server: 10, indicators: [1, 2, 9] },
  { server: 11, indicators: [3, 2] },
  { server: 11, indicators: [1, 3] },
  { server: 20, indicators: [4, 5, 9] },
];

test('two attackers sharing nothing but a scanner seen everywhere are two clusters; the scanner is noise', () => {
  const edges = coOccurrence(sessions);
  const c = clusterIndicators(nodes, edges, { minWeight: 1, noise: noise(3) });
  assert.deepEqual(c.clusters, [
    [1, 2, 3],
    [4, 5],
  ]);
  assert.equal(c.noise.get(9)?.reason, 'widespread');
  assert.equal(c.clusterOf.get(3), 1);
  assert.equal(c.clusterOf.has(9), false);
  // Without the demotion, the same graph would merge them: the test above can fail.
  const merged = clusterIndicators(nodes, edges, { minWeight: 1, noise: noise(100) });
  assert.deepEqual(merged.clusters, [[1, 2, 3, 4, 5, 9]]);
});

test('a scanner from the data table is noise even when one organisation saw it', () => {
  const withCensys = [...nodes.slice(0, 5), node(9, 'ip', '162.142.125.40', 1)];
  const c = clusterIndicators(withCensys, coOccurrence(sessions), { minWeight: 1, noise: noise(100) });
  assert.deepEqual(c.clusters, [
    [1, 2, 3],
    [4, 5],
  ]);
  assert.deepEqual(c.noise.get(9), { reason: 'scanner', detail: 'Censys' });
});

test('edges count servers, not sessions or scans; the threshold cuts weak links', () => {
  const edges = coOccurrence([
    ...sessions,
    { server: 10, indicators: [1, 2] },
    { server: 10, indicators: [2, 1] },
  ]);
  const e12 = edges.find((e) => e.a === 1 && e.b === 2);
  assert.equal(e12?.weight, 1);
  const e13 = edges.find((e) => e.a === 1 && e.b === 3);
  assert.equal(e13?.weight, 1);
  const two = clusterIndicators(nodes, coOccurrence([...sessions, { server: 12, indicators: [1, 3] }]), {
    minWeight: 2,
    noise: noise(3),
  });
  // Only 1–3 was seen together at two servers: 2 stands alone, as do 4 and 5.
  assert.deepEqual(two.clusters, [[1, 3], [2], [4], [5]]);
});

test('generic browser and library agents, Nmap and zgrab are noise; tool agents and webshells are not', () => {
  const n = noise(10);
  const ua = (v: string) => n(node(1, 'user-agent', v))?.reason;
  assert.equal(
    ua(
      'mozilla/5.0 (windows nt 10.0; win64; x64) applewebkit/537.36 (khtml like gecko) chrome/90.0.4430.93 safari/537.36',
    ),
    'browser',
  );
  assert.equal(ua('python-requests/2.25.1'), 'client-library');
  assert.equal(
    ua('mozilla/5.0 (compatible; nmap scripting engine; https://nmap.org/book/nse.html)'),
    'scanner',
  );
  assert.equal(ua('mozilla/5.0 zgrab/0.x'), 'scanner');
  assert.equal(ua('mozilla/5.0 (compatible; censysinspect/1.1; +https://about.censys.io/)'), 'scanner');
  assert.equal(ua('exchangeservicesclient/0.0.0.0'), undefined);
  assert.equal(ua('mozilla/5.0 (compatible; googlebot/2.1; +http://www.google.com/bot.html)'), undefined);
  assert.equal(n(node(1, 'webshell-hash', 'b'.repeat(64), 500)), undefined);
  assert.equal(n(node(1, 'ip', '198.51.100.1', 9)), undefined);
  assert.equal(n(node(1, 'ip', '198.51.100.1', 10))?.reason, 'widespread');
});
