// What a retro-hunt runs: one feed's indicators, or one stored Sigma rule pack written out as a folder the
// scan engine loads. Findings name the trigger through `rule.source`, which is how a re-analysis tells the
// hunt's findings from everything else the scan finds again.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importFeed, IndicatorStore } from '../../rules/ioc/index.js';
import type { Scope, Store, TriggerRef } from '../../store/index.js';
import { feedContents, getFeed, getRulePack, rulePackContent } from '../../store/index.js';
import { feedSource } from '../intel/cache.js';

/** How findings name a stored rule pack: the folder the pack is written to is called this. */
export function packSource(p: { id: number; name: string }): string {
  // A folder name: no separators or controls, bounded.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const safe = p.name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(0, 120);
  return `${safe} (rules ${p.id})`;
}

export function triggerSource(t: Pick<TriggerRef, 'kind' | 'id' | 'name'>): string {
  return t.kind === 'feed' ? feedSource(t) : packSource(t);
}

/** The trigger as the scope sees it now (its current version), or undefined when it may not be seen. */
export async function findTrigger(
  store: Store,
  scope: Scope,
  kind: TriggerRef['kind'],
  id: number,
): Promise<TriggerRef | undefined> {
  const t = kind === 'feed' ? await getFeed(store, scope, id) : await getRulePack(store, scope, id);
  return t && { kind, id: t.id, name: t.name, sha256: t.sha256 };
}

/** The feed's own indicators only (not the tenant's other feeds, not ours): only its matches are hits. */
export async function feedIndicators(store: Store, scope: Scope, t: TriggerRef): Promise<IndicatorStore> {
  const text = (await feedContents(store, scope, [t.id])).get(t.id);
  if (text === undefined) throw new Error(`feed ${t.id} is gone`);
  return new IndicatorStore(importFeed(text, t.name, feedSource(t)).indicators);
}

/** The pack written as a folder for the scan's `rulePaths`; `release` removes it. */
export async function packFolder(
  store: Store,
  scope: Scope,
  t: TriggerRef,
): Promise<{ dir: string; release(): Promise<void> }> {
  const text = await rulePackContent(store, scope, t.id);
  if (text === undefined) throw new Error(`rule pack ${t.id} is gone`);
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-rules-'));
  const dir = path.join(root, packSource(t));
  await mkdir(dir);
  await writeFile(path.join(dir, 'pack.yml'), text);
  return { dir, release: () => rm(root, { recursive: true, force: true }) };
}
