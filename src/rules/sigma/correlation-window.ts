// One correlation group's time window: incremental counts, when to evaluate, and the measure per type.

import type { CompareOp, CorrelationRule } from './model.js';

export interface WindowEvent {
  readonly t: number;
  /** Index of the referenced rule in `correlation.rules`. */
  readonly ruleIdx: number;
  /** The `condition.field` value, as text (value_* types). */
  readonly value: string | null;
  readonly info: unknown;
}

export function compare(cond: Readonly<Partial<Record<CompareOp, number>>>, x: number): boolean {
  for (const [op, n] of Object.entries(cond) as [CompareOp, number][]) {
    const ok =
      op === 'gt'
        ? x > n
        : op === 'gte'
          ? x >= n
          : op === 'lt'
            ? x < n
            : op === 'lte'
              ? x <= n
              : op === 'eq'
                ? x === n
                : x !== n;
    if (!ok) return false;
  }
  return true;
}

/** What a window produced: the measure and the events behind it (and for percentiles, which value). */
interface WindowResult {
  readonly value: number;
  readonly events: readonly WindowEvent[];
  readonly fieldValue?: string | null;
}

/**
 * Sliding windows fire as soon as the condition holds and then start afresh; that is right for
 * conditions that only grow (gt/gte on counts and distinct counts, all rules seen). Other conditions
 * (fewer than N, averages, percentiles) are decided when the window, opened by its first event, closes.
 */
export function isSliding(c: CorrelationRule): boolean {
  if (c.type === 'value_avg' || c.type === 'value_percentile') return false;
  return Object.keys(c.condition).every((op) => op === 'gt' || op === 'gte');
}

export class GroupWindow {
  private events: WindowEvent[] = [];
  private head = 0;
  private sum = 0;
  private numeric = 0;
  private readonly values = new Map<string, number>();
  private readonly ruleCounts = new Map<number, number>();

  constructor(
    private readonly c: CorrelationRule,
    private readonly sliding: boolean,
  ) {}

  get start(): number | undefined {
    return this.events[this.head]?.t;
  }

  /** Add an event (times non-decreasing); returns results when a sliding window fires. */
  add(e: WindowEvent): WindowResult[] {
    const out: WindowResult[] = [];
    if (!this.sliding) {
      const s = this.start;
      if (s !== undefined && e.t - s > this.c.timespanMs) out.push(...this.close());
      this.push(e);
      return out;
    }
    this.push(e);
    while (
      this.head < this.events.length &&
      e.t - (this.events[this.head] as WindowEvent).t > this.c.timespanMs
    ) {
      this.drop(this.events[this.head] as WindowEvent);
      this.head++;
    }
    // Compact now and then so a long-lived sliding window does not keep every event it ever saw.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    const r = this.evaluate();
    if (r.length > 0) this.reset();
    return r;
  }

  /** Decide an open window (anchored mode, or at the end of the data). */
  close(): WindowResult[] {
    const r = this.sliding ? [] : this.evaluate();
    this.reset();
    return r;
  }

  private live(): WindowEvent[] {
    return this.events.slice(this.head);
  }

  private push(e: WindowEvent): void {
    this.events.push(e);
    this.ruleCounts.set(e.ruleIdx, (this.ruleCounts.get(e.ruleIdx) ?? 0) + 1);
    if (e.value !== null) {
      this.values.set(e.value, (this.values.get(e.value) ?? 0) + 1);
      const n = Number(e.value);
      if (e.value.trim() !== '' && Number.isFinite(n)) {
        this.sum += n;
        this.numeric++;
      }
    }
  }

  private drop(e: WindowEvent): void {
    const rc = (this.ruleCounts.get(e.ruleIdx) ?? 1) - 1;
    if (rc === 0) this.ruleCounts.delete(e.ruleIdx);
    else this.ruleCounts.set(e.ruleIdx, rc);
    if (e.value !== null) {
      const vc = (this.values.get(e.value) ?? 1) - 1;
      if (vc === 0) this.values.delete(e.value);
      else this.values.set(e.value, vc);
      const n = Number(e.value);
      if (e.value.trim() !== '' && Number.isFinite(n)) {
        this.sum -= n;
        this.numeric--;
      }
    }
  }

  private reset(): void {
    this.events = [];
    this.head = 0;
    this.sum = 0;
    this.numeric = 0;
    this.values.clear();
    this.ruleCounts.clear();
  }

  private evaluate(): WindowResult[] {
    const c = this.c;
    const count = this.events.length - this.head;
    if (count === 0) return [];
    const one = (value: number): WindowResult[] =>
      compare(c.condition, value) ? [{ value, events: this.live() }] : [];
    switch (c.type) {
      case 'event_count':
        return one(count);
      case 'value_count':
        return one(this.values.size);
      case 'value_sum':
        return this.numeric > 0 ? one(this.sum) : [];
      case 'value_avg':
        return this.numeric > 0 ? one(this.sum / this.numeric) : [];
      case 'value_percentile': {
        // Share (in percent) of the window's events carrying each value: rare values have small shares.
        const out: WindowResult[] = [];
        for (const [v, n] of this.values) {
          const share = (100 * n) / count;
          if (compare(c.condition, share)) {
            out.push({ value: share, fieldValue: v, events: this.live().filter((e) => e.value === v) });
          }
        }
        return out;
      }
      case 'temporal': {
        const need = Object.keys(c.condition).length > 0 ? c.condition : { gte: c.rules.length };
        return compare(need, this.ruleCounts.size)
          ? [{ value: this.ruleCounts.size, events: this.live() }]
          : [];
      }
      case 'temporal_ordered': {
        const seq = this.orderedPrefix();
        const need = Object.keys(c.condition).length > 0 ? c.condition : { gte: c.rules.length };
        return compare(need, seq.length) ? [{ value: seq.length, events: seq }] : [];
      }
    }
  }

  /** Longest prefix of `rules`, in that order, found in the window (greedy earliest match). */
  private orderedPrefix(): WindowEvent[] {
    const seq: WindowEvent[] = [];
    for (let i = this.head; i < this.events.length && seq.length < this.c.rules.length; i++) {
      const e = this.events[i] as WindowEvent;
      if (e.ruleIdx === seq.length) seq.push(e);
    }
    return seq;
  }
}
