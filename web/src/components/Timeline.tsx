// The attacker timeline: one lane per session (plus the server's milestones), zoomable with the wheel, the
// buttons or the keyboard, draggable to pan; the visible window is kept in the address.

import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent, RefObject } from 'react';
import type { AttackerSession, TimelineEvent } from '../api/types.js';
import { useParam } from '../router.js';
import { extentOf, pan, ticks, zoom } from './timeScale.js';
import type { Window } from './timeScale.js';

export interface Lane {
  id: string;
  label: string;
  detail: string;
  outcome: string;
  events: TimelineEvent[];
  /** Drawn as a bar behind the events: how long the session lasted. */
  span?: { from: number; to: number };
}

function spanOf(events: TimelineEvent[]): Lane['span'] {
  const times = events.flatMap((e) => (e.time ? [Date.parse(e.time)] : []));
  return times.length ? { from: Math.min(...times), to: Math.max(...times) } : undefined;
}

export function lanesOf(sessions: AttackerSession[], milestones: TimelineEvent[]): Lane[] {
  const lanes: Lane[] = sessions.map((s) => ({
    id: s.id,
    label: s.id,
    detail: s.addresses.join(', ') || 'no address',
    outcome: s.outcome,
    events: s.timeline,
    span: spanOf(s.timeline),
  }));
  if (milestones.length)
    lanes.unshift({
      id: 'milestones',
      label: 'Milestones',
      detail: 'first events',
      outcome: 'context',
      events: milestones,
    });
  return lanes;
}

const LABEL_W = 190;
const LANE_H = 30;
const AXIS_H = 26;

function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(320, Math.floor(entry.contentRect.width)));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** The window from the address (`tfrom`, `tto`), else everything. */
function useWindow(limit: Window): [Window, (w: Window) => void] {
  const [fromParam, setFrom] = useParam('tfrom');
  const [toParam, setTo] = useParam('tto');
  const parsed = useMemo(() => {
    const f = fromParam ? Date.parse(fromParam) : NaN;
    const t = toParam ? Date.parse(toParam) : NaN;
    return Number.isFinite(f) && Number.isFinite(t) && t > f ? { from: f, to: t } : limit;
  }, [fromParam, toParam, limit]);
  const [w, setW] = useState(parsed);
  useEffect(() => setW(parsed), [parsed]);
  // Zooming changes the window many times a second; the address follows once it settles.
  useEffect(() => {
    const id = window.setTimeout(() => {
      const all = w.from === limit.from && w.to === limit.to;
      setFrom(all ? undefined : new Date(w.from).toISOString());
      setTo(all ? undefined : new Date(w.to).toISOString());
    }, 300);
    return () => window.clearTimeout(id);
  }, [w, limit, setFrom, setTo]);
  return [w, setW];
}

export function Timeline({
  lanes,
  selected,
  onSelect,
  onWindow,
}: {
  lanes: Lane[];
  selected?: TimelineEvent | undefined;
  onSelect(e: TimelineEvent): void;
  /** Told the visible window, so the event list below can follow it. */
  onWindow?(w: Window): void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const limit = useMemo(
    () => extentOf(lanes.flatMap((l) => l.events.flatMap((e) => (e.time ? [Date.parse(e.time)] : [])))),
    [lanes],
  );
  const [w, setW] = useWindow(limit);
  useEffect(() => onWindow?.(w), [w, onWindow]);
  const plotW = width - LABEL_W - 12;
  const x = (t: number) => LABEL_W + ((t - w.from) / (w.to - w.from)) * plotW;
  const height = AXIS_H + lanes.length * LANE_H + 6;
  const drag = useRef<{ x: number; w: Window } | null>(null);

  // A native listener, because React's wheel listener is passive and could not stop the page scrolling.
  const svg = useRef<SVGSVGElement>(null);
  const latest = useRef({ w, limit, plotW });
  latest.current = { w, limit, plotW };
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: globalThis.WheelEvent) => {
      e.preventDefault();
      const { w: cur, limit: lim, plotW: pw } = latest.current;
      const at = Math.min(1, Math.max(0, (e.clientX - el.getBoundingClientRect().left - LABEL_W) / pw));
      setW(zoom(cur, e.deltaY < 0 ? 0.8 : 1.25, at, lim));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [setW]);
  const onPointerDown = (e: PointerEvent) => {
    if ((e.target as Element).closest('[data-event]')) return;
    drag.current = { x: e.clientX, w };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d) return;
    setW(pan(d.w, -(e.clientX - d.x) / plotW, limit));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const actions: Record<string, () => Window> = {
      '+': () => zoom(w, 0.5, 0.5, limit),
      '=': () => zoom(w, 0.5, 0.5, limit),
      '-': () => zoom(w, 2, 0.5, limit),
      '0': () => limit,
      ArrowLeft: () => pan(w, -0.2, limit),
      ArrowRight: () => pan(w, 0.2, limit),
    };
    const a = actions[e.key];
    if (!a) return;
    e.preventDefault();
    setW(a());
  };
  const focusLane = (lane: Lane) => {
    const times = lane.events.flatMap((e) => (e.time ? [Date.parse(e.time)] : []));
    if (times.length) setW(extentOf(times));
  };

  return (
    <div className="timeline" ref={box}>
      <div className="toolbar" role="toolbar" aria-label="Timeline zoom">
        <button type="button" onClick={() => setW(zoom(w, 0.5, 0.5, limit))}>
          Zoom in
        </button>
        <button type="button" onClick={() => setW(zoom(w, 2, 0.5, limit))}>
          Zoom out
        </button>
        <button type="button" onClick={() => setW(limit)}>
          Show all
        </button>
        <span className="muted">
          {new Date(w.from).toISOString().slice(0, 19).replace('T', ' ')} →{' '}
          {new Date(w.to).toISOString().slice(0, 19).replace('T', ' ')} UTC · wheel or +/− to zoom, drag or
          ←/→ to pan
        </span>
      </div>
      <svg
        ref={svg}
        width={width}
        height={height}
        role="group"
        aria-label="Attacker activity by session; focus and use + and − to zoom, arrows to pan, 0 to show all"
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onKeyDown={onKeyDown}
      >
        <defs>
          <clipPath id="timeline-plot">
            <rect x={LABEL_W - 6} y={0} width={plotW + 12} height={height} />
          </clipPath>
        </defs>
        {ticks(w, Math.max(3, Math.floor(plotW / 120))).map((t) => (
          <g key={t.t} className="tick">
            <line x1={x(t.t)} x2={x(t.t)} y1={AXIS_H - 4} y2={height} />
            <text x={x(t.t)} y={14} textAnchor="middle">
              {t.label}
            </text>
          </g>
        ))}
        {lanes.map((lane, i) => {
          const y = AXIS_H + i * LANE_H + LANE_H / 2;
          return (
            <g key={lane.id} className="lane" data-lane={lane.id}>
              <line className="lane-line" x1={LABEL_W} x2={LABEL_W + plotW} y1={y} y2={y} />
              <text
                x={8}
                y={y + 4}
                className={`lane-label outcome-text-${lane.outcome}`}
                onClick={() => focusLane(lane)}
              >
                <title>{`${lane.label}: ${lane.detail} — click to zoom to this session`}</title>
                {lane.label} · {lane.detail.length > 18 ? `${lane.detail.slice(0, 17)}…` : lane.detail}
              </text>
              <g clipPath="url(#timeline-plot)">
                {lane.span ? (
                  <rect
                    className={`span outcome-fill-${lane.outcome}`}
                    x={x(lane.span.from) - 3}
                    y={y - 4}
                    width={Math.max(6, x(lane.span.to) - x(lane.span.from) + 6)}
                    height={8}
                    rx={4}
                  />
                ) : null}
                {lane.events.map((e, j) => {
                  if (!e.time) return null;
                  const t = Date.parse(e.time);
                  if (t < w.from || t > w.to) return null;
                  return (
                    <circle
                      key={j}
                      data-event=""
                      cx={x(t)}
                      cy={y}
                      r={e === selected ? 8 : 5.5}
                      className={`event outcome-fill-${e.outcome}${e === selected ? ' chosen' : ''}`}
                      onClick={() => onSelect(e)}
                    >
                      <title>{`${e.time} ${e.stage}/${e.outcome}: ${e.summary}`}</title>
                    </circle>
                  );
                })}
              </g>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
