// A folder as evidence with some files read from elsewhere: a live scan reads the event logs Windows holds
// locked through the copies `wevtutil epl` exported, under the live files' own paths, so that findings,
// coverage and relevance see the system drive as it is. The substitutes are named by the caller, never by
// the evidence; the folder holding them is left out of the listing when it lies inside the evidence.

import { statSync } from 'node:fs';
import type { Problem } from '../core/problem.js';
import { openFolder } from './folder.js';
import type { Evidence, EvidenceFile } from './types.js';

export interface Overlay {
  /** The folder holding the substitutes (the live scan's private temporary folder). */
  folder: string;
  /** Evidence path of a live file (compared without case, as Windows does) → its substitute's name in `folder`. */
  files: Record<string, string>;
  /** Evidence-relative folder (`/`-separated) left out of the listing: `folder` when it lies in the evidence. */
  hide?: string;
}

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
  return {
    kind: inner.kind,
    root: inner.root,
    files: (onProblem) => listing(inner, onProblem, subs, hide, substitute),
    open: (file, limit, onProblem) => {
      const s = sub(file);
      return s ? store.open(s, limit, onProblem) : inner.open(file, limit, onProblem);
    },
    reuse: (file, buf) => {
      const s = sub(file);
      if (s) return store.reuse!(s, buf);
      return inner.reuse ? inner.reuse(file, buf) : fromStream(inner, file);
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

async function* fromStream(ev: Evidence, file: EvidenceFile): AsyncGenerator<Buffer> {
  for await (const chunk of await ev.open(file)) yield chunk as Buffer;
}
