// Chain of custody from the tool that made the collection (Velociraptor's uploads.json, KAPE's copy log):
// every file it lists must be in the evidence with the size and hash it recorded.

import { createHash } from 'node:crypto';
import { unescapeName } from '../core/drive-folder.js';
import type { Problem } from '../core/problem.js';
import type { CustodySection } from '../core/custody.js';
import type { ToolCustody } from '../core/report.js';
import { kapeCopyLogs, readKape } from '../evidence/custody/kape.js';
import type { CustodyEntry, CustodyManifest } from '../evidence/custody/types.js';
import { readVelociraptor, velociraptorRoot } from '../evidence/custody/velociraptor.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';

/** Manifests larger than this are not read (a listing of millions of files is a few hundred MiB at most). */
const MAX_MANIFEST = 512 << 20;

const unescaped = (p: string) => p.split('/').map(unescapeName).join('/').toLowerCase();

/**
 * Reads the collecting tool's own record, when the evidence is a Velociraptor collection or a KAPE target
 * folder, and checks every file it lists. Each file missing, of another size or with another hash is a
 * located problem; the section counts what was verified.
 */
export async function checkCustody(
  ev: Evidence,
  files: readonly EvidenceFile[],
  problems: Problem[],
): Promise<ToolCustody | undefined> {
  const paths = files.map((f) => f.path);
  // Most evidence is neither: decided from the names alone, before any index of the files is built.
  const root = velociraptorRoot(paths);
  const logs = root === undefined ? kapeCopyLogs(paths) : [];
  if (root === undefined && logs.length === 0) return undefined;
  const byPath = new Map(files.map((f) => [f.path.toLowerCase(), f]));
  const byName = new Map(files.map((f) => [unescaped(f.path), f]));
  const read = async (p: string): Promise<string | undefined> => {
    const f = byPath.get(p.toLowerCase());
    if (!f || f.special) return undefined;
    if (f.size > MAX_MANIFEST) {
      problems.push({ code: 'custody.unreadable', message: `${f.size} bytes: too large to be read as a manifest`, path: f.path, severity: 'limit' }); // prettier-ignore
      return undefined;
    }
    try {
      return (await readAll(ev, f)).toString('utf8');
    } catch (e) {
      problems.push({ code: 'custody.unreadable', message: String(e), path: f.path, severity: 'error' });
      return undefined;
    }
  };
  const manifest: CustodyManifest =
    root !== undefined ? await readVelociraptor(root, paths, read) : await readKape(logs, read);
  problems.push(...manifest.problems);
  const section: ToolCustody = {
    tool: manifest.tool,
    manifests: manifest.manifests,
    ...(manifest.host ? { host: manifest.host } : {}),
    ...(manifest.collectedAt ? { collectedAt: manifest.collectedAt } : {}),
    listed: manifest.entries.length,
    verified: 0,
    sizeOnly: 0,
    failed: 0,
  };
  const seen = new Set<EvidenceFile>();
  for (const entry of manifest.entries) {
    const file = entry.path
      ? (byPath.get(entry.path.toLowerCase()) ?? byName.get(unescaped(entry.path)))
      : undefined;
    const where = `${manifest.manifests[0]}:${entry.line}`;
    if (!file) {
      section.failed++;
      problems.push({
        code: 'custody.missing',
        message: `${manifest.tool} recorded collecting ${entry.source} (${where}); the evidence does not hold it`,
        path: entry.path ?? entry.source,
        severity: 'error',
      });
      continue;
    }
    seen.add(file);
    if (entry.size !== undefined && entry.size !== file.size) {
      section.failed++;
      problems.push({
        code: 'custody.size-mismatch',
        message: `${manifest.tool} recorded ${entry.size} bytes (${where}); the evidence holds ${file.size}`,
        path: file.path,
        severity: 'error',
      });
      continue;
    }
    const bad = await hashMismatch(ev, file, entry);
    if (bad === undefined) section.sizeOnly++;
    else if (bad === '') section.verified++;
    else {
      section.failed++;
      problems.push({
        code: 'custody.hash-mismatch',
        message: `${bad} (${where})`,
        path: file.path,
        severity: 'error',
      });
    }
  }
  // Files in the collected tree that the record does not list: counted, since the tool did not vouch for them.
  const manifestSet = new Set(manifest.manifests.map((m) => m.toLowerCase()));
  const tree = root !== undefined ? `${root}uploads/`.toLowerCase() : undefined;
  section.unlisted = files.filter(
    (f) =>
      !seen.has(f) &&
      !manifestSet.has(f.path.toLowerCase()) &&
      (tree === undefined
        ? !/_(CopyLog|SkipLog|ConsoleLog)\.(csv|txt)$/i.test(f.path)
        : f.path.toLowerCase().startsWith(tree)),
  ).length;
  return section;
}

/** Undefined when the entry records no hash, `''` when every recorded hash matches, else what differs. */
async function hashMismatch(
  ev: Evidence,
  file: EvidenceFile,
  entry: CustodyEntry,
): Promise<string | undefined> {
  const want = (['sha256', 'sha1', 'md5'] as const).filter((a) => entry[a] !== undefined);
  if (!want.length) return undefined;
  const hashes = want.map((a) => createHash(a));
  try {
    for await (const chunk of await ev.open(file)) for (const h of hashes) h.update(chunk as Buffer);
  } catch (e) {
    return `could not be read to check its hash: ${e instanceof Error ? e.message : String(e)}`;
  }
  const diff = want.flatMap((a, i) => {
    const got = (hashes[i] as ReturnType<typeof createHash>).digest('hex');
    return got === entry[a] ? [] : [`${a.toUpperCase()} ${got}, recorded ${entry[a]}`];
  });
  return diff.length ? `other bytes than were collected: ${diff.join('; ')}` : '';
}

async function readAll(ev: Evidence, f: EvidenceFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await ev.open(f)) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts);
}

/** Another tool's record in the report's one custody shape (the one our collector's manifest fills). */
export function toReportCustody(c: ToolCustody): CustodySection {
  return {
    manifest: c.manifests.join(', '),
    collector: { name: c.tool },
    ...(c.host ? { host: c.host } : {}),
    ...(c.collectedAt ? { collectedAt: c.collectedAt } : {}),
    files: c.listed,
    verified: c.verified,
    failed: c.failed,
    notCollected: 0,
    unlisted: c.unlisted ?? 0,
    sizeOnly: c.sizeOnly,
  };
}
