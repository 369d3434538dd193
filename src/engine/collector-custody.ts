// Reads a collector bundle's manifest.json and checks the bundle against it (src/core/custody.ts): the hashes
// the scan already computed are reused, the other listed files are hashed here.

import { createHash } from 'node:crypto';
import type { Artifact } from '../core/artifact.js';
import { MANIFEST_PATH, parseManifest, verifyCustody } from '../core/custody.js';
import type { CustodySection, Manifest } from '../core/custody.js';
import type { Problem } from '../core/problem.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';

/** A manifest far larger than any collection's is not read whole. */
const MAX_MANIFEST = 256 << 20;

interface CustodyResult {
  custody: CustodySection;
  manifest: Manifest;
  problems: Problem[];
}

/** The custody section, when the evidence has a manifest.json at its root; problems go to `problems`. */
export async function checkCollectorCustody(
  ev: Evidence,
  listing: ReadonlyMap<string, EvidenceFile>,
  artifacts: readonly Artifact[],
  problems: Problem[],
): Promise<CustodyResult | undefined> {
  const file = listing.get(MANIFEST_PATH);
  if (!file) return undefined;
  const bad = (message: string) => {
    problems.push({ code: 'custody.bad-manifest', message, path: MANIFEST_PATH, severity: 'warning' });
    return undefined;
  };
  if (file.size > MAX_MANIFEST) return bad(`${file.size} bytes: too large to be a collector manifest`);
  const bytes = await readWhole(ev, file);
  if (!bytes) return bad('could not be read');
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, ''));
  } catch (e) {
    return bad(`not JSON: ${(e as Error).message}`);
  }
  const manifest = parseManifest(data);
  if (typeof manifest === 'string') return bad(`not a collector manifest: ${manifest}`);
  const known = new Map<string, string>();
  for (const a of artifacts) if (a.sha256) known.set(a.path, a.sha256);
  const hashes = new Map<string, string | undefined>();
  for (const f of manifest.files) {
    const there = listing.get(f.path);
    if (!there || hashes.has(f.path)) continue;
    hashes.set(f.path, known.get(f.path) ?? (await hashOf(ev, there)));
  }
  const sizes = new Map([...listing].map(([p, f]) => [p, f.size]));
  const out = verifyCustody(manifest, sha256(bytes), { sizes, hashes });
  return { ...out, manifest };
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

async function hashOf(ev: Evidence, file: EvidenceFile): Promise<string | undefined> {
  try {
    const h = createHash('sha256');
    for await (const chunk of await ev.open(file)) h.update(chunk as Buffer);
    return h.digest('hex');
  } catch {
    return undefined;
  }
}

async function readWhole(ev: Evidence, file: EvidenceFile): Promise<Buffer | undefined> {
  try {
    const parts: Buffer[] = [];
    for await (const chunk of await ev.open(file)) parts.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(parts);
  } catch {
    return undefined;
  }
}
