// The agent's side of the fleet server's agent routes: findings in batches, heartbeats, the rule feed.
// Errors are thrown with the server's message; the agent retries with backoff and never drops a batch.

import type { StoreJSON } from '../rules/ioc/index.js';
import type { ChannelProblem } from './live-channels.js';
import type { AgentFinding } from './spool.js';
import type { Loss } from './state.js';

export interface Heartbeat {
  agentId: string;
  server: string;
  version: string;
  rulesVersion: string;
  indicators: number;
  /** Seconds between the oldest byte written and not yet read, or read and not yet accepted, and now. */
  lagSeconds: number;
  spool: { bytes: number; commits: number; full: boolean };
  files: number;
  losses: Loss[];
  /** What cannot be read now (failing event log queries), sent with every heartbeat until it works again. */
  problems: ChannelProblem[];
}

export interface HeartbeatAnswer {
  rulesVersion: string;
}

export class AgentClient {
  constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  sendFindings(agentId: string, server: string, items: AgentFinding[]): Promise<{ stored: number }> {
    return this.call('POST', 'agent/findings', { agentId, server, items }) as Promise<{ stored: number }>;
  }

  heartbeat(h: Heartbeat): Promise<HeartbeatAnswer> {
    return this.call('POST', 'agent/heartbeat', h) as Promise<HeartbeatAnswer>;
  }

  rules(): Promise<{ version: string; indicators: StoreJSON }> {
    return this.call('GET', 'agent/rules') as Promise<{ version: string; indicators: StoreJSON }>;
  }

  private async call(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
    const root = this.base.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    // The token goes to the address given only, never to a redirect.
    const res = await fetch(`${root}/api/v1/${route}`, {
      method,
      redirect: 'error',
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as unknown) : {};
  }
}
