// Uploaded evidence bundles: one row per organisation and SHA-256, their status, and their bytes in chunks
// (for workers on other machines, which share only the database).

import type { Store } from './db.js';
import { audit } from './audit.js';
import type { OrgScope, Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Db, Tx } from './tx.js';
import { now, withTx } from './tx.js';
import type { BundleView } from '../core/views.js';
export type { BundleView } from '../core/views.js';

interface NewBundle {
  serverName: string;
  sha256: string;
  size: number;
  actor: string;
}

/**
 * Records an upload. When this organisation already has a bundle with this SHA-256 nothing is added (the
 * same bundle twice is one scan); otherwise `onCreated` stores the bytes and queues the analysis in the same
 * transaction, so a bundle is never recorded without its job or its bytes.
 */
export async function createBundle(
  store: Store,
  scope: OrgScope,
  b: NewBundle,
  onCreated: (trx: Tx, bundleId: number) => Promise<void>,
): Promise<{ bundle: BundleView; created: boolean }> {
  const id = await withTx(store, async (trx) => {
    await trx
      .insertInto('servers')
      .values({ org_id: scope.orgId, name: b.serverName, created_at: now() })
      .onConflict((oc) => oc.columns(['org_id', 'name']).doNothing())
      .execute();
    const server = await trx
      .selectFrom('servers')
      .select('id')
      .where('org_id', '=', scope.orgId)
      .where('name', '=', b.serverName)
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('bundles')
      .values({
        org_id: scope.orgId,
        server_id: server.id,
        sha256: b.sha256,
        size: b.size,
        status: 'queued',
        error: null,
        created_at: now(),
        scan_id: null,
      })
      .onConflict((oc) => oc.columns(['org_id', 'sha256']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return undefined;
    await onCreated(trx, row.id);
    await audit(trx, {
      orgId: scope.orgId,
      actor: b.actor,
      action: 'bundle.upload',
      target: `bundle:${row.id}`,
      detail: { server: b.serverName, sha256: b.sha256, size: b.size },
    });
    return row.id;
  });
  const bundleId =
    id ??
    (
      await store.db
        .selectFrom('bundles')
        .select('id')
        .where('org_id', '=', scope.orgId)
        .where('sha256', '=', b.sha256)
        .executeTakeFirstOrThrow()
    ).id;
  const bundle = await getBundle(store, { all: false, orgId: scope.orgId }, bundleId);
  if (!bundle) throw new Error('bundle vanished after upload');
  return { bundle, created: id !== undefined };
}

export async function getBundle(store: Store, scope: Scope, id: number): Promise<BundleView | undefined> {
  const org = orgFilter(scope);
  const r = await store.db
    .selectFrom('bundles as b')
    .innerJoin('servers as s', 's.id', 'b.server_id')
    .selectAll('b')
    .select('s.name as server')
    .where('b.id', '=', id)
    .$if(org !== undefined, (q) => q.where('b.org_id', '=', org as number))
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      organisationId: r.org_id,
      serverId: r.server_id,
      server: r.server,
      sha256: r.sha256,
      size: r.size,
      status: r.status,
      error: r.error,
      uploadedAt: r.created_at,
      scanId: r.scan_id,
    }
  );
}

/** For workers, which act for the organisation that uploaded the bundle (the job names only the bundle). */
export async function bundleForJob(store: Store, id: number): Promise<BundleView | undefined> {
  const r = await store.db.selectFrom('bundles').select('org_id').where('id', '=', id).executeTakeFirst();
  return r && getBundle(store, { all: false, orgId: r.org_id }, id);
}

export async function setBundleStatus(
  store: Store,
  id: number,
  status: 'running' | 'failed',
  error: string | null = null,
): Promise<void> {
  // A bundle that already has its scan stays done whatever a late or repeated job run says.
  await store.db
    .updateTable('bundles')
    .set({ status, error })
    .where('id', '=', id)
    .where('scan_id', 'is', null)
    .execute();
}

export async function recordDownload(store: Store, b: BundleView, actor: string): Promise<void> {
  await audit(store.db, {
    orgId: b.organisationId,
    actor,
    action: 'bundle.download',
    target: `bundle:${b.id}`,
    detail: { sha256: b.sha256 },
  });
}

export const CHUNK_BYTES = 4 * 1024 * 1024;

export async function writeChunk(trx: Tx, bundleId: number, seq: number, data: Buffer): Promise<void> {
  await trx.insertInto('bundle_chunks').values({ bundle_id: bundleId, seq, data }).execute();
}

/** One chunk at a time, so that reading a multi-gigabyte bundle holds one chunk in memory. */
export async function* readChunks(db: Db, bundleId: number): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const r = await db
      .selectFrom('bundle_chunks')
      .select('data')
      .where('bundle_id', '=', bundleId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!r) return;
    yield r.data;
  }
}
