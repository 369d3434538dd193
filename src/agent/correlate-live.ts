// Sigma correlations in the agent: the base-rule matches they count are kept in the state for a window
// (so a restart forgets nothing), run through the scan's correlator after each read, and each correlation
// finding is sent once (its id is the scan's: correlation, group and first time).

import { finishSigma } from '../engine/correlate.js';
import type { SigmaMatchers } from '../engine/sigma.js';
import type { FoundItem } from './follow-text.js';
import type { AgentState, RetainedEvent } from './state.js';

/** How long base-rule matches are kept for correlations, and how many at most. */
export const CORRELATION_WINDOW_MS = 24 * 3600_000;
const MAX_EVENTS = 50_000;
const MAX_EMITTED = 10_000;

export function correlateLive(
  sigma: SigmaMatchers,
  state: AgentState['correlation'],
  fresh: RetainedEvent[],
): FoundItem[] {
  if (sigma.packs.correlations.length === 0 || fresh.length === 0) return [];
  const all = [...state.events, ...fresh];
  const newest = all.reduce((t, e) => (e.time && e.time > t ? e.time : t), '');
  const oldest = newest ? new Date(Date.parse(newest) - CORRELATION_WINDOW_MS).toISOString() : '';
  state.events = all.filter((e) => !e.time || e.time >= oldest).slice(-MAX_EVENTS);
  const byFile = new Map<string, RetainedEvent[]>();
  for (const e of state.events) {
    const k = `${e.source}\0${e.path}`;
    const list = byFile.get(k);
    if (list) list.push(e);
    else byFile.set(k, [e]);
  }
  const results = [...byFile.values()].map((evs) => ({
    artifact: { path: evs[0]!.path, source: evs[0]!.source, records: evs.length },
    findings: [],
    correlationEvents: evs,
  }));
  const emitted = new Set(state.emitted);
  const out: FoundItem[] = [];
  for (const f of finishSigma(sigma, results).findings) {
    if (emitted.has(f.id)) continue;
    emitted.add(f.id);
    state.emitted.push(f.id);
    out.push({
      record: f.id,
      fileKey: 'correlation',
      source: 'correlation',
      family: 'Correlation',
      finding: f,
    });
  }
  if (state.emitted.length > MAX_EMITTED) state.emitted = state.emitted.slice(-MAX_EMITTED);
  return out;
}
