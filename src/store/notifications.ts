// Notification channels per organisation and their outbox. An event is queued in the transaction that
// causes it (a scan's ingest), one row per channel that takes it; the server's dispatcher delivers the rows
// and retries with backoff. Channel changes are audited; secrets are never shown back.

import { audit } from './audit.js';
import { OVERDUE_MIN, overdueDaysFor, overdueOf } from './org-settings.js';
import type { Store } from './db.js';
import type { NotifyKind, NotifyOutboxTable } from './schema.js';
import type { OrgScope, Scope } from './scope.js';
import { orgFilter } from './scope.js';
import type { Db, Tx } from './tx.js';
import { now, withTx } from './tx.js';
import type { ChannelView } from '../core/views.js';
export type { ChannelView } from '../core/views.js';

/** What a channel can be told. `test` is what "send a test" queues. */
export const NOTIFY_EVENTS = [
  'server.compromised',
  'server.exploited',
  'remediation.overdue',
  'agent.silent',
  'retrohunt.hit',
  'campaign.new',
  'campaign.grown',
  'test',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export interface WebhookConfig {
  url: string;
  /** Signs each delivery: HMAC-SHA256 of `<timestamp>.<body>`. */
  secret: string;
}
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the start (465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  user?: string;
  password?: string;
  from: string;
  to: string[];
}
export interface SyslogConfig {
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
  format: 'json' | 'cef';
}
export type ChannelConfig = WebhookConfig | SmtpConfig | SyslogConfig;

interface NewChannel {
  kind: NotifyKind;
  name: string;
  config: ChannelConfig;
  events: NotifyEvent[];
  actor: string;
}

/** A row due for delivery, with its channel's settings. */
export interface Delivery {
  id: number;
  orgId: number;
  channelId: number;
  kind: NotifyKind;
  config: ChannelConfig;
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Attempts before a delivery is given up (and shown as failed on its channel). */
export const MAX_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min, ... capped at one hour. */
function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

function masked(config: ChannelConfig): Record<string, unknown> {
  const { secret, password, ...rest } = config as unknown as Record<string, unknown>;
  return {
    ...rest,
    secretSet: typeof (secret ?? password) === 'string' && String(secret ?? password) !== '',
  };
}

export async function createChannel(store: Store, scope: OrgScope, c: NewChannel): Promise<number> {
  return withTx(store, async (trx) => {
    const row = await trx
      .insertInto('notify_channels')
      .values({
        org_id: scope.orgId,
        kind: c.kind,
        name: c.name,
        config: JSON.stringify(c.config),
        events: JSON.stringify(c.events),
        enabled: 1,
        created_by: c.actor,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, {
      orgId: scope.orgId,
      actor: c.actor,
      action: 'notify.channel.create',
      target: `channel:${row.id}`,
      detail: { kind: c.kind, name: c.name, events: c.events },
    });
    return row.id;
  });
}

export async function listChannels(store: Store, scope: Scope): Promise<ChannelView[]> {
  const org = orgFilter(scope);
  let q = store.db.selectFrom('notify_channels').selectAll().orderBy('id');
  if (org !== undefined) q = q.where('org_id', '=', org);
  const rows = await q.execute();
  const out: ChannelView[] = [];
  for (const r of rows) {
    const stats = await store.db
      .selectFrom('notify_outbox')
      .select((eb) => [
        eb.fn.count<number>('id').filterWhere('state', '=', 'pending').as('pending'),
        eb.fn.count<number>('id').filterWhere('state', '=', 'failed').as('failed'),
        eb.fn.max('sent_at').as('last_sent'),
      ])
      .where('channel_id', '=', r.id)
      .executeTakeFirst();
    const last = await store.db
      .selectFrom('notify_outbox')
      .select('last_error')
      .where('channel_id', '=', r.id)
      .where('last_error', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    out.push({
      id: r.id,
      organisationId: r.org_id,
      kind: r.kind,
      name: r.name,
      config: masked(JSON.parse(r.config) as ChannelConfig),
      events: JSON.parse(r.events) as NotifyEvent[],
      enabled: r.enabled === 1,
      createdBy: r.created_by,
      createdAt: r.created_at,
      pending: Number(stats?.pending ?? 0),
      failed: Number(stats?.failed ?? 0),
      lastSentAt: stats?.last_sent ?? null,
      lastError: last?.last_error ?? null,
    });
  }
  return out;
}

/** Changes which events one of the scope's channels takes; audited with before and after. False: none. */
export async function setChannelEvents(
  store: Store,
  scope: Scope,
  id: number,
  events: NotifyEvent[],
  actor: string,
): Promise<boolean> {
  return withTx(store, async (trx) => {
    const org = orgFilter(scope);
    let q = trx.selectFrom('notify_channels').select(['id', 'org_id', 'name', 'events']).where('id', '=', id);
    if (org !== undefined) q = q.where('org_id', '=', org);
    const row = await q.executeTakeFirst();
    if (!row) return false;
    const after = NOTIFY_EVENTS.filter((e) => events.includes(e));
    await trx
      .updateTable('notify_channels')
      .set({ events: JSON.stringify(after) })
      .where('id', '=', id)
      .execute();
    await audit(trx, {
      orgId: row.org_id,
      actor,
      action: 'notify.channel.events',
      target: `channel:${id}`,
      detail: { name: row.name, before: JSON.parse(row.events) as unknown, after },
    });
    return true;
  });
}

/** Deletes one of the scope's channels (and its outbox); false when there is none. */
export async function deleteChannel(store: Store, scope: Scope, id: number, actor: string): Promise<boolean> {
  return withTx(store, async (trx) => {
    const org = orgFilter(scope);
    let q = trx.selectFrom('notify_channels').select(['id', 'org_id', 'name']).where('id', '=', id);
    if (org !== undefined) q = q.where('org_id', '=', org);
    const row = await q.executeTakeFirst();
    if (!row) return false;
    await trx.deleteFrom('notify_outbox').where('channel_id', '=', id).execute();
    await trx.deleteFrom('notify_channels').where('id', '=', id).execute();
    await audit(trx, {
      orgId: row.org_id,
      actor,
      action: 'notify.channel.delete',
      target: `channel:${id}`,
      detail: { name: row.name },
    });
    return true;
  });
}

/**
 * Queues `event` for every enabled channel of the organisation that takes it (or only `channelId`), inside
 * the caller's transaction. Returns how many deliveries were queued.
 */
export async function queueNotification(
  db: Db | Tx,
  orgId: number,
  event: NotifyEvent,
  payload: Record<string, unknown>,
  channelId?: number,
): Promise<number> {
  let q = db
    .selectFrom('notify_channels')
    .select(['id', 'events'])
    .where('org_id', '=', orgId)
    .where('enabled', '=', 1);
  if (channelId !== undefined) q = q.where('id', '=', channelId);
  const channels = (await q.execute()).filter(
    (c) => channelId !== undefined || (JSON.parse(c.events) as string[]).includes(event),
  );
  if (channels.length === 0) return 0;
  const at = now();
  const body = JSON.stringify({ event, at, ...payload });
  await db
    .insertInto('notify_outbox')
    .values(
      channels.map((c) => ({
        org_id: orgId,
        channel_id: c.id,
        event,
        payload: body,
        state: 'pending' as const,
        attempts: 0,
        next_at: at,
        sent_at: null,
        last_error: null,
        created_at: at,
      })),
    )
    .execute();
  return channels.length;
}

/**
 * Claims up to `limit` due deliveries: each claimed row's `next_at` moves a lease ahead, with a guard on
 * its old value, so two dispatchers never send one row twice within the lease.
 */
export async function claimDue(store: Store, at: Date, limit: number, leaseMs = 60_000): Promise<Delivery[]> {
  const rows = await store.db
    .selectFrom('notify_outbox as o')
    .innerJoin('notify_channels as c', 'c.id', 'o.channel_id')
    .select([
      'o.id',
      'o.org_id',
      'o.channel_id',
      'o.event',
      'o.payload',
      'o.attempts',
      'o.next_at',
      'c.kind',
      'c.config',
    ]) // prettier-ignore
    .where('o.state', '=', 'pending')
    .where('o.next_at', '<=', at.toISOString())
    .orderBy('o.next_at')
    .limit(limit)
    .execute();
  const lease = new Date(at.getTime() + leaseMs).toISOString();
  const out: Delivery[] = [];
  for (const r of rows) {
    const res = await store.db
      .updateTable('notify_outbox')
      .set({ next_at: lease })
      .where('id', '=', r.id)
      .where('next_at', '=', r.next_at)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) continue;
    out.push({
      id: r.id,
      orgId: r.org_id,
      channelId: r.channel_id,
      kind: r.kind,
      config: JSON.parse(r.config) as ChannelConfig,
      event: r.event,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      attempts: r.attempts,
    });
  }
  return out;
}

/** Records one attempt's outcome: sent, retried later with backoff, or given up after MAX_ATTEMPTS. */
export async function recordAttempt(
  store: Store,
  d: Delivery,
  error: string | undefined,
  at = new Date(),
): Promise<void> {
  const attempts = d.attempts + 1;
  const set: Partial<Pick<NotifyOutboxTable, 'state' | 'attempts' | 'next_at' | 'sent_at' | 'last_error'>> =
    error === undefined
      ? { state: 'sent', attempts, sent_at: at.toISOString(), last_error: null }
      : {
          state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
          attempts,
          next_at: new Date(at.getTime() + backoffMs(attempts)).toISOString(),
          last_error: error.slice(0, 1000),
        };
  await store.db.updateTable('notify_outbox').set(set).where('id', '=', d.id).execute();
}

/** The default deadlines (each organisation may set its own: org-settings.ts). */
export { OVERDUE_DAYS } from './org-settings.js';
const DAY = 86_400_000;

/**
 * Queues `remediation.overdue` for each step still open (or in progress) longer than its phase allows under
 * its organisation's deadlines, once per step (the step is marked told, whether or not a channel takes the event then). Returns how many
 * steps were found overdue.
 */
export async function queueOverdue(store: Store, at = new Date(), limit = 500): Promise<number> {
  // No organisation's deadline is shorter than a day, so younger steps are never read.
  const soonest = new Date(at.getTime() - OVERDUE_MIN * DAY).toISOString();
  const rows = await store.db
    .selectFrom('remediation_items as r')
    .innerJoin('servers as s', 's.id', 'r.server_id')
    .innerJoin('organisations as o', 'o.id', 'r.org_id')
    .select([
      'r.id',
      'r.org_id',
      'r.server_id',
      's.name',
      'r.title',
      'r.data',
      'r.status',
      'r.updated_at',
      'o.overdue_days',
    ]) // prettier-ignore
    .where('r.status', 'in', ['open', 'in-progress'])
    .where('r.overdue_notified_at', 'is', null)
    .where('r.updated_at', '<=', soonest)
    .orderBy('r.updated_at')
    .limit(limit)
    .execute();
  let n = 0;
  for (const r of rows) {
    let phase = '';
    try {
      const p = (JSON.parse(r.data) as { phase?: unknown }).phase;
      phase = typeof p === 'string' ? p : '';
    } catch {
      // A step stored without a phase waits the longest.
    }
    const days = overdueDaysFor(overdueOf(r.overdue_days), phase);
    const due = new Date(Date.parse(r.updated_at) + days * DAY);
    if (due > at) continue;
    await withTx(store, async (trx) => {
      const claimed = await trx
        .updateTable('remediation_items')
        .set({ overdue_notified_at: at.toISOString() })
        .where('id', '=', r.id)
        .where('overdue_notified_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      await queueNotification(trx, r.org_id, 'remediation.overdue', {
        server: { id: r.server_id, name: r.name },
        step: {
          id: r.id,
          title: r.title,
          phase: phase || null,
          status: r.status,
          since: r.updated_at,
          due: due.toISOString(),
        },
      });
      n++;
    });
  }
  return n;
}
