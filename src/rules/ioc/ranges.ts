// Address ranges as sorted disjoint segments, so finding every range that holds an address is one binary search.

/**
 * Ranges may nest or overlap (a /16 and a /24 inside it from two feeds). They are cut at every boundary
 * into disjoint segments, each listing the ranges that cover it; a lookup then needs no scan of the list.
 * The number of segments is at most twice the number of ranges.
 */
export class RangeIndex<K extends number | bigint> {
  private readonly starts: K[] = [];
  private readonly ends: K[] = [];
  private readonly members: number[][] = [];

  /** `ranges[i]` = [start, end] inclusive; lookups return the indices `i` that cover a key. */
  constructor(ranges: readonly (readonly [K, K])[], step: { next(k: K): K; prev(k: K): K }) {
    if (ranges.length === 0) return;
    type Ev = { at: K; open: boolean; i: number };
    const evs: Ev[] = [];
    ranges.forEach(([s, e], i) => {
      evs.push({ at: s, open: true, i });
      evs.push({ at: step.next(e), open: false, i });
    });
    evs.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const active = new Set<number>();
    for (let k = 0; k < evs.length;) {
      const at = evs[k]!.at;
      for (; k < evs.length && evs[k]!.at === at; k++) {
        const ev = evs[k]!;
        if (ev.open) active.add(ev.i);
        else active.delete(ev.i);
      }
      const next = evs[k];
      if (active.size > 0 && next) {
        this.starts.push(at);
        this.ends.push(step.prev(next.at));
        this.members.push([...active].sort((a, b) => a - b));
      }
    }
  }

  get size(): number {
    return this.starts.length;
  }

  /** Indices of the ranges that contain `key`, or undefined. */
  find(key: K): readonly number[] | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= key) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && key <= this.ends[hi]! ? this.members[hi] : undefined;
  }
}
