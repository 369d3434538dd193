// The outbox's delivery loop: claims due rows, sends them, records each attempt (retried with backoff,
// given up after the last). Runs in the fleet server's process; several processes may share a database.

import type { Store } from '../../store/db.js';
import { queueSilentAgents } from '../../store/agents.js';
import { campaignCursor, noteAllCampaigns } from '../../store/campaign-notify.js';
import { claimDue, queueOverdue, recordAttempt } from '../../store/notifications.js';
import type { Delivery } from '../../store/notifications.js';
import { deliver } from './send.js';

export interface Dispatcher {
  /** Sends what is due now; resolves with how many were attempted. Tests call it directly. */
  tick(): Promise<number>;
  /** Queues what new ingests did to the organisations' campaign clusters; resolves with how many events. */
  checkCampaigns(): Promise<number>;
  /** Queues the remediation steps that became overdue; resolves with how many. */
  checkOverdue(at?: Date): Promise<number>;
  /** Queues `agent.silent` for agents past their heartbeats; resolves with how many. */
  checkSilent(at?: Date): Promise<number>;
  stop(): Promise<void>;
}

interface DispatcherOptions {
  intervalMs?: number;
  /** How often overdue remediation steps are looked for (default 10 minutes; 0: only when asked). */
  overdueEveryMs?: number;
  /** How often silent agents are looked for (default 30 s; 0: only when asked), and after how long one is. */
  silentEveryMs?: number;
  silentAfterSeconds?: number;
  batch?: number;
  version: string;
  log?: (line: string) => void;
  send?: (d: Delivery, version: string) => Promise<void>;
}

export function startDispatcher(store: Store, o: DispatcherOptions): Dispatcher {
  const send = o.send ?? deliver;
  let running: Promise<number> | undefined;
  let stopped = false;
  // How far this process has read the ingest log for campaign notifications (each organisation's own
  // position is in the database; this only spares looking at organisations with nothing new).
  let cursor: number | undefined;
  const checkCampaigns = async (): Promise<number> => {
    cursor ??= await campaignCursor(store);
    const r = await noteAllCampaigns(store, cursor);
    cursor = r.seq;
    return r.queued;
  };
  const tick = async (): Promise<number> => {
    // Campaign news first, so that it goes out in this same round; a failure here never holds up delivery.
    await checkCampaigns().catch((e: unknown) =>
      o.log?.(`exhunt: campaign notifications: ${e instanceof Error ? e.message : String(e)}`),
    );
    const due = await claimDue(store, new Date(), o.batch ?? 50);
    await Promise.all(
      due.map(async (d) => {
        let error: string | undefined;
        try {
          await send(d, o.version);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
          o.log?.(`exhunt: notification ${d.id} (${d.kind}, ${d.event}) not delivered: ${error}`);
        }
        await recordAttempt(store, d, error);
      }),
    );
    return due.length;
  };
  const once = () => {
    if (stopped || running) return;
    running = tick()
      .catch((e: unknown) => {
        o.log?.(`exhunt: notifications: ${e instanceof Error ? e.message : String(e)}`);
        return 0;
      })
      .finally(() => (running = undefined));
  };
  const timer = o.intervalMs === 0 ? undefined : setInterval(once, o.intervalMs ?? 2000);
  timer?.unref();
  const checkOverdue = (at?: Date) => queueOverdue(store, at);
  const overdueTimer =
    o.overdueEveryMs === 0
      ? undefined
      : setInterval(() => {
          if (!stopped)
            checkOverdue().catch((e: unknown) =>
              o.log?.(`exhunt: overdue steps: ${e instanceof Error ? e.message : String(e)}`),
            );
        }, o.overdueEveryMs ?? 600_000);
  overdueTimer?.unref();
  const checkSilent = (at?: Date) => queueSilentAgents(store, o.silentAfterSeconds ?? 180, at);
  const silentTimer =
    o.silentEveryMs === 0
      ? undefined
      : setInterval(() => {
          if (!stopped)
            checkSilent().catch((e: unknown) =>
              o.log?.(`exhunt: silent agents: ${e instanceof Error ? e.message : String(e)}`),
            );
        }, o.silentEveryMs ?? 30_000);
  silentTimer?.unref();
  return {
    tick: () => (running ? running.then(tick) : tick()),
    checkOverdue,
    checkSilent,
    checkCampaigns,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (overdueTimer) clearInterval(overdueTimer);
      if (silentTimer) clearInterval(silentTimer);
      await running;
    },
  };
}
