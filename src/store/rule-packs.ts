// Sigma rule packs stored on the server, for retro-hunts: a tenant's own, or shared by administrators,
// one YAML file each, seen within a scope like feeds, every upload audited. Checking the rules is the
// server's job (it loads them at upload); this file only keeps them.

import type { Problem } from '../core/problem.js';
import { audit } from './audit.js';
import type { Store } from './db.js';
import { MAX_STORED_PROBLEMS } from './feeds.js';
import type { FeedOwner } from './feeds.js';
import type { Scope } from './scope.js';
import { orgFilter } from './scope.js';
import { now, withTx } from './tx.js';

export interface RulePackView {
  id: number;
  organisationId: number | null;
  shared: boolean;
  name: string;
  sha256: string;
  size: number;
  rules: number;
  problemCount: number;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
}

export interface RulePackDetail extends RulePackView {
  problems: Problem[];
}

export interface NewRulePack {
  name: string;
  content: string;
  sha256: string;
  size: number;
  rules: number;
  problems: Problem[];
  actor: string;
}

const COLUMNS = [
  'id',
  'org_id',
  'name',
  'sha256',
  'size',
  'rule_count',
  'problem_count',
  'enabled',
  'created_by',
  'created_at',
] as const;

type Row = {
  id: number;
  org_id: number | null;
  name: string;
  sha256: string;
  size: number;
  rule_count: number;
  problem_count: number;
  enabled: number;
  created_by: string;
  created_at: string;
};

function view(r: Row): RulePackView {
  return {
    id: r.id,
    organisationId: r.org_id,
    shared: r.org_id === null,
    name: r.name,
    sha256: r.sha256,
    size: r.size,
    rules: r.rule_count,
    problemCount: r.problem_count,
    enabled: r.enabled === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** Packs a scope may see: administrators all; a tenant its own and the shared ones. */
function packs(store: Store, scope: Scope) {
  const org = orgFilter(scope);
  return store.db
    .selectFrom('rule_packs')
    .$if(org !== undefined, (q) =>
      q.where((eb) => eb.or([eb('org_id', '=', org as number), eb('org_id', 'is', null)])),
    );
}

/** The same content twice for one owner is one pack (`created: false`), as for feeds and bundles. */
export async function createRulePack(
  store: Store,
  owner: FeedOwner,
  p: NewRulePack,
): Promise<{ pack: RulePackView; created: boolean }> {
  const orgId = owner === 'shared' ? null : owner.orgId;
  return withTx(store, async (trx) => {
    const same = await trx
      .selectFrom('rule_packs')
      .select(COLUMNS)
      .where('sha256', '=', p.sha256)
      .where((eb) => (orgId === null ? eb('org_id', 'is', null) : eb('org_id', '=', orgId)))
      .executeTakeFirst();
    if (same) return { pack: view(same), created: false };
    const row = await trx
      .insertInto('rule_packs')
      .values({
        org_id: orgId,
        name: p.name,
        content: p.content,
        sha256: p.sha256,
        size: p.size,
        rule_count: p.rules,
        problem_count: p.problems.length,
        problems: JSON.stringify(p.problems.slice(0, MAX_STORED_PROBLEMS)),
        enabled: 1,
        created_by: p.actor,
        created_at: now(),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await audit(trx, {
      orgId,
      actor: p.actor,
      action: 'rules.upload',
      target: `rules:${row.id}`,
      detail: { name: p.name, shared: orgId === null, sha256: p.sha256, rules: p.rules },
    });
    return { pack: view(row), created: true };
  });
}

export async function listRulePacks(store: Store, scope: Scope): Promise<RulePackView[]> {
  const rows = await packs(store, scope).select(COLUMNS).orderBy('id').execute();
  return rows.map(view);
}

export async function getRulePack(
  store: Store,
  scope: Scope,
  id: number,
): Promise<RulePackDetail | undefined> {
  const r = await packs(store, scope)
    .select(COLUMNS)
    .select('problems')
    .where('id', '=', id)
    .executeTakeFirst();
  return r && { ...view(r), problems: JSON.parse(r.problems) as Problem[] };
}

/** The pack's YAML, when the scope may see it. */
export async function rulePackContent(store: Store, scope: Scope, id: number): Promise<string | undefined> {
  const r = await packs(store, scope).select('content').where('id', '=', id).executeTakeFirst();
  return r?.content;
}
