// A folder as evidence with some files read from elsewhere: a live scan reads the event logs Windows holds
// locked through the copies `wevtutil epl` exported, under the live files' own paths, so that findings,
// coverage and relevance see the system drive as it is. The substitutes are named by the caller, never by
// the evidence; the folder holding them is left out of the listing when it lies inside the evidence.

import { statSync } from 'node:fs';
import type { Problem } from '../core/problem.js';
import { openFolder } from './folder.js';
import type { Evidence, EvidenceFile } from './types.js';
import { EvidenceError } from './types.js';

export interface Overlay {
  /** The folder holding the substitutes (the live scan's private temporary folder). */
  folder: string;
  /** Evidence path of a live file (compared without case, as Windows does) → its substitute's name in `folder`. */
  files: Record<string, string>;
  /** Evidence-relative folder (`/`-separated) left out of the listing: `folder` when it lies in the evidence. */
  hide?: string;
  /**
   * Evidence-relative folder of files a service holds open (the live event logs): one there with no substitute
   * that cannot be opened fails with `lockedCode`, not as an unreadable file.
   */
  locked?: { folder: string; code: string; why: string };
}

/** What Windows' sharing violation and a denied open become in Node. */
const LOCKED_ERRORS = new Set(['EBUSY', 'EPERM', 'EACCES']);

export function withOverlay(inner: Evidence, overlay: Overlay): Evidence {
  const subs = new Map(
    Object.entries(overlay.files).map(([p, name]) => [p.toLowerCase(), { path: p, name }]),
  );
  const store = openFolder(overlay.folder);
  const hide = overlay.hide ? `${overlay.hide.toLowerCase().replace(/\/+$/, '')}/` : undefined;
  // The substitute of a listed file, as the folder of substitutes lists it.
  const sub = (file: EvidenceFile): EvidenceFile | undefined => {
    const s = subs.get(file.path.toLowerCase());
    return s === undefined ? undefined : { ...file, path: s.name };
  };
  const substitute = (path: string, name: string): EvidenceFile | undefined => {
    try {
      const st = statSync(`${overlay.folder}/${name}`);
      return st.isFile() ? { path, size: st.size, modified: st.mtime.toISOString() } : undefined;
    } catch {
      return undefined;
    }
  };
  const lockedIn = overlay.locked ? `${overlay.locked.folder.toLowerCase().replace(/\/+$/, '')}/` : undefined;
  // A failure to open a file the service holds, named as such; any other failure passes unchanged.
  const held = (file: EvidenceFile, e: unknown): unknown => {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (!overlay.locked || !lockedIn || !file.path.toLowerCase().startsWith(lockedIn)) return e;
    if (typeof code !== 'string' || !LOCKED_ERRORS.has(code)) return e;
    return new EvidenceError(overlay.locked.code, `${overlay.locked.why} (${code})`, 0);
  };
  return {
    kind: inner.kind,
    root: inner.root,
    files: (onProblem) => listing(inner, onProblem, subs, hide, substitute),
    open: async (file, limit, onProblem) => {
      const s = sub(file);
      if (s) return store.open(s, limit, onProblem);
      try {
        return await inner.open(file, limit, onProblem);
      } catch (e) {
        throw held(file, e);
      }
    },
    reuse: (file, buf) => {
      const s = sub(file);
      if (s) return store.reuse!(s, buf);
      return guarded(inner.reuse ? inner.reuse(file, buf) : fromStream(inner, file), (e) => held(file, e));
    },
    localPath: (file) => {
      const s = sub(file);
      return s ? store.localPath?.(s) : inner.localPath?.(file);
    },
    readMode: () => inner.readMode(),
    close: () => Promise.all([inner.close(), store.close()]).then(() => undefined),
  };
}

async function* listing(
  inner: Evidence,
  onProblem: (p: Problem) => void,
  subs: Map<string, { path: string; name: string }>,
  hide: string | undefined,
  substitute: (path: string, name: string) => EvidenceFile | undefined,
): AsyncGenerator<EvidenceFile> {
  const seen = new Set<string>();
  const hidden = (path: string | undefined) =>
    hide !== undefined && path !== undefined && `${path.toLowerCase()}/`.startsWith(hide);
  // A live file Windows would not even let us list is read from its substitute: its problem is not a loss.
  const problem = (p: Problem) => {
    const lower = p.path?.toLowerCase();
    if (hidden(p.path) || (lower !== undefined && subs.has(lower))) return;
    onProblem(p);
  };
  for await (const f of inner.files(problem)) {
    if (hidden(f.path)) continue;
    const lower = f.path.toLowerCase();
    const name = subs.get(lower)?.name;
    const s = name === undefined ? undefined : substitute(f.path, name);
    if (s) seen.add(lower);
    yield s ?? f;
  }
  // Substitutes of live files the listing did not show (a log kept elsewhere, a folder Windows refused).
  for (const [lower, { path, name }] of subs) {
    if (seen.has(lower)) continue;
    const s = substitute(path, name);
    if (s) yield s;
  }
}

async function* guarded(chunks: AsyncIterable<Buffer>, map: (e: unknown) => unknown): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (e) {
    throw map(e);
  }
}

async function* fromStream(ev: Evidence, file: EvidenceFile): AsyncGenerator<Buffer> {
  for await (const chunk of await ev.open(file)) yield chunk as Buffer;
}
