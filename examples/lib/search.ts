// Line search over an in-memory tree, for tests and for checking what a scenario planted.

import type { Tree } from './tree.js';

/** Lines of files whose path matches `path` that match `line`, with where they were found. */
export function grepTree(tree: Tree, path: RegExp, line: RegExp): { path: string; line: string }[] {
  const out: { path: string; line: string }[] = [];
  for (const p of tree.paths()) {
    if (!path.test(p)) continue;
    for (const l of (tree.text(p) ?? '').split('\r\n')) if (line.test(l)) out.push({ path: p, line: l });
  }
  return out;
}
