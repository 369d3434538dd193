// Days with no log inside each log family's span: a missing day in a busy web log is most likely a deleted file.

import type { Artifact } from '../core/artifact.js';

interface FamilyGap {
  family: string;
  from: string;
  to: string;
  days: number;
  /** A gap in the web-facing logs (IIS, HttpProxy as a whole) decides the verdict; others are shown only. */
  verdict: boolean;
}

const DAY = 86_400_000;

/** Families where every day of a running Exchange server has requests (health probes, clients). */
function decides(family: string): boolean {
  return family === 'HttpProxy' || /^IIS(\/|$)/.test(family);
}

/** Inclusive day ranges of each family's files, merged; the holes between them are the gaps. */
export function familyGaps(artifacts: readonly Artifact[]): FamilyGap[] {
  const spans = daySpans(artifacts);
  const out: FamilyGap[] = [];
  for (const [family, list] of spans) {
    list.sort((a, b) => a[0] - b[0]);
    let end = list[0]![1];
    for (const [s, e] of list.slice(1)) {
      if (s > end + 1) {
        const from = end + 1;
        const to = s - 1;
        out.push({ family, from: day(from), to: day(to), days: to - from + 1, verdict: decides(family) });
      }
      if (e > end) end = e;
    }
  }
  return out.sort((a, b) => a.family.localeCompare(b.family) || a.from.localeCompare(b.from));
}

/** Days covered per family: [first day, last day] of each file, as day numbers since the epoch. */
export function daySpans(artifacts: readonly Artifact[]): Map<string, [number, number][]> {
  const spans = new Map<string, [number, number][]>();
  const add = (family: string, span: [number, number]) => {
    const list = spans.get(family);
    if (list) list.push(span);
    else spans.set(family, [span]);
  };
  for (const a of artifacts) {
    if (!a.firstTime || !a.lastTime) continue;
    const s = dayNumber(a.firstTime);
    const e = dayNumber(a.lastTime);
    if (s === undefined || e === undefined || e < s) continue;
    add(a.family, [s, e]);
    // HttpProxy logs are split by protocol, and a quiet protocol may skip days; the whole decides.
    if (a.family.startsWith('HttpProxy/')) add('HttpProxy', [s, e]);
  }
  return spans;
}

/** Number of days covered per family, from the merged spans. */
export function daysCovered(list: readonly [number, number][]): number {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  let n = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    n += e - Math.max(s, end + 1) + 1;
    end = e;
  }
  return n;
}

function dayNumber(iso: string): number | undefined {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.floor(t / DAY) : undefined;
}

function day(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10);
}
