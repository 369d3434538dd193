// Which files the agent follows: the folders of the collection plan (data/collect.json, the entries the
// scan reads) under the watched root, listed and classified by the scan's own discovery, so the agent and
// the scan read the same files with the same sources. Only those folders are walked, never the whole drive.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../core/problem.js';
import { DEFAULT_INSTALL, loadPlan } from '../collector/plan.js';
import type { CollectPlan } from '../collector/plan.js';
import { discover } from '../engine/discover.js';
import type { Layout, Task } from '../engine/discover.js';
import { openFolder } from '../evidence/folder.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';

/** Where Windows keeps the event logs as files: read as growing EVTX files where they can be opened. */
export const EVENT_LOG_FOLDER = 'Windows/System32/winevt/Logs';

export interface Survey {
  tasks: Task[];
  layout: Layout;
  problems: Problem[];
  /** The folders walked (relative to the root, as spelled on disk). */
  folders: string[];
}

/**
 * The plan's folders that the scan reads, relative to the root: `hot` ones (logs, web folders, IIS
 * configuration, event logs) are surveyed often; `cold` ones (folders where dumps and archives are staged,
 * large and quiet) less often.
 */
export function planFolders(
  plan: CollectPlan,
  install: string,
  siteRoots: readonly string[],
): { hot: string[]; cold: string[] } {
  const hot: string[] = [EVENT_LOG_FOLDER];
  const cold: string[] = [];
  for (const e of plan.files) {
    if (!e.scan) continue;
    const bases = e.root === 'system' ? [''] : e.root === 'install' ? [install] : siteRoots;
    const staged = e.names.every((n) => plan.patterns.staged.includes(n));
    for (const b of bases) {
      const folder = [b, e.folder].filter((s) => s !== '').join('/');
      if (folder !== '') (staged ? cold : hot).push(folder);
    }
  }
  return { hot: outermost(hot), cold: outermost(cold) };
}

/** Drops folders inside another of the list, so no file is listed twice. */
function outermost(list: string[]): string[] {
  const uniq = [...new Set(list.map((f) => f.replace(/\/+$/, '')))];
  return uniq.filter((f) => !uniq.some((g) => g !== f && f.toLowerCase().startsWith(`${g.toLowerCase()}/`)));
}

/** The Exchange install folder relative to the root: `$env:ExchangeInstallPath` on the live server, else the default. */
export function installFolderOf(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ExchangeInstallPath;
  if (fromEnv) {
    const rel = path.relative(root, fromEnv).split(path.sep).join('/');
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.replace(/\/+$/, '');
  }
  return DEFAULT_INSTALL;
}

/** A relative folder as spelled on disk (Windows names are case-insensitive, site roots come lower-cased). */
export function onDisk(root: string, rel: string): string | undefined {
  let at = '';
  for (const seg of rel.split('/').filter((s) => s !== '')) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, at));
    } catch {
      return undefined;
    }
    const hit = names.includes(seg) ? seg : names.find((n) => n.toLowerCase() === seg.toLowerCase());
    if (hit === undefined) return undefined;
    at = at ? `${at}/${hit}` : hit;
  }
  return at;
}

/** Lists the given folders and runs the scan's discovery over what is in them. */
export async function survey(root: string, folders: readonly string[]): Promise<Survey> {
  const present = folders.map((f) => onDisk(root, f)).filter((f): f is string => f !== undefined);
  const base = openFolder(root);
  const ev: Evidence = {
    ...base,
    kind: 'folder',
    root: base.root,
    async *files(onProblem: (p: Problem) => void): AsyncIterable<EvidenceFile> {
      for (const folder of present) {
        const sub = openFolder(path.join(root, folder));
        for await (const f of sub.files(onProblem)) yield { ...f, path: `${folder}/${f.path}` };
        await sub.close();
      }
    },
    open: (f, limit, onProblem) => base.open(f, limit, onProblem),
    readMode: () => base.readMode(),
    close: () => base.close(),
  };
  const tasks: Task[] = [];
  const problems: Problem[] = [];
  const layout = await discover(ev, { problem: (p) => problems.push(p), task: (t) => tasks.push(t) });
  await ev.close();
  return { tasks, layout, problems, folders: present };
}

let planCache: CollectPlan | undefined;
export function plan(): CollectPlan {
  return (planCache ??= loadPlan());
}
