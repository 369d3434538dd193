// Time-axis arithmetic for the timeline: the visible window, zooming around a point, and readable ticks.

export interface Window {
  from: number;
  to: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  30 * DAY,
  365 * DAY,
];
/** Narrower than this, the window would show less than a second: nothing in the logs is finer. */
export const MIN_SPAN = 2 * SECOND;

/** The whole extent with a margin, so the first and last events are not drawn on the edge. */
export function extentOf(times: number[]): Window {
  if (times.length === 0) {
    const now = Date.now();
    return { from: now - HOUR, to: now };
  }
  const from = Math.min(...times);
  const to = Math.max(...times);
  const pad = Math.max((to - from) * 0.03, 30 * SECOND);
  return { from: from - pad, to: to + pad };
}

/** Zooms by `factor` (<1 zooms in) keeping the time under `at` (0..1 across the window) in place. */
export function zoom(w: Window, factor: number, at: number, limit: Window): Window {
  const span = w.to - w.from;
  const full = limit.to - limit.from;
  const next = Math.min(full, Math.max(MIN_SPAN, span * factor));
  const pivot = w.from + span * at;
  return clamp({ from: pivot - next * at, to: pivot - next * at + next }, limit);
}

export function pan(w: Window, fraction: number, limit: Window): Window {
  const shift = (w.to - w.from) * fraction;
  return clamp({ from: w.from + shift, to: w.to + shift }, limit);
}

/** Keeps the window inside the limit without changing its width (unless it is wider than the limit). */
export function clamp(w: Window, limit: Window): Window {
  const span = Math.min(w.to - w.from, limit.to - limit.from);
  let from = Math.max(limit.from, w.from);
  if (from + span > limit.to) from = limit.to - span;
  return { from, to: from + span };
}

/** Ticks at a round step giving roughly `want` labels, with labels as precise as the step needs. */
export function ticks(w: Window, want: number): { t: number; label: string }[] {
  const span = w.to - w.from;
  // The first step that gives at most `want` labels, else the widest.
  let step = STEPS[0]!;
  for (const s of STEPS) {
    step = s;
    if (span / s <= want) break;
  }
  const out: { t: number; label: string }[] = [];
  for (let t = Math.ceil(w.from / step) * step; t <= w.to; t += step) {
    const iso = new Date(t).toISOString();
    const label =
      step >= DAY
        ? iso.slice(0, 10)
        : step >= MINUTE
          ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}`
          : iso.slice(11, 19);
    out.push({ t, label });
  }
  return out;
}
