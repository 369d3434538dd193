// Reads a script's content for webshell behaviours: normalise, decode embedded literals, match, explain.

import { BEHAVIOURS, INPUT_BASE, WRAPPERS } from './webshell-behaviours.js';
import type { Behaviour } from './webshell-behaviours.js';
import { decodeSource, normalise } from './webshell-normalise.js';

export interface BehaviourHit {
  id: string;
  reason: string;
  strong: boolean;
  /** Offset of the code in the decoded text (for a decoded literal: where the literal starts). */
  offset: number;
  /** The original code around the match, control characters shown as dots. */
  excerpt: string;
  /** Set when the code was found inside a base64 or hex string literal. */
  decoded?: string;
}

export interface ContentResult {
  /** A strong behaviour, or three weak ones together. */
  webshell: boolean;
  hits: BehaviourHit[];
  /** Obfuscation undone to find them. */
  tricks: string[];
}

/** Characters at which `input-near` stops looking: the end of a statement, a block, a tag. */
const STOPS = new Set([59, 123, 125, 60, 62]);
/** Weak behaviours that together make a webshell. */
const WEAK_ENOUGH = 3;
/** Decoded literals per file and their total size: beyond these the rest is left (the file is already odd). */
const MAX_LITERALS = 256;
const MAX_DECODED = 8 << 20;
/** Blank characters in one run that no hand-written page has. */
const PADDING = 2048;

interface Segment {
  text: string;
  origin: Int32Array;
  /** Maps a segment offset to the decoded source. */
  at: (i: number) => number;
  decoded?: string;
}

export function analyseContent(latin1: string): ContentResult {
  const src = decodeSource(latin1);
  const tricks = new Set<string>();
  if (src !== latin1) tricks.add('UTF-16 text');
  const first = normalise(src);
  for (const t of first.tricks) tricks.add(t);
  const segments: Segment[] = [{ text: first.text, origin: first.origin, at: (i) => first.origin[i] ?? 0 }];
  const budget = { literals: MAX_LITERALS, bytes: MAX_DECODED };
  for (let s = 0; s < segments.length && s < 64; s++) decodeLiterals(segments[s]!, segments, budget, tricks);
  const hits = new Map<string, BehaviourHit>();
  for (const seg of segments) {
    for (const h of matchSegment(seg, src)) if (!hits.has(h.id)) hits.set(h.id, h);
  }
  const pad = blankPadding(src);
  if (pad >= 0)
    hits.set('blank-padding', {
      id: 'blank-padding',
      reason: 'a line with thousands of blank characters (code pushed off-screen, or cut out)',
      strong: false,
      offset: pad,
      excerpt: excerptAt(src, pad, pad + 1).replace(/ {8,}/g, ' [blank] '),
    });
  const list = [...hits.values()];
  const webshell = list.some((h) => h.strong) || list.length >= WEAK_ENOUGH;
  return { webshell, hits: list, tricks: [...tricks] };
}

/** Where the first run of PADDING spaces or tabs on one line starts, or -1 (one linear scan). */
function blankPadding(src: string): number {
  let run = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9) {
      if (++run >= PADDING) return i - run + 1;
    } else run = 0;
  }
  return -1;
}

/** Base64 and hex string literals that decode to text are normalised and searched as code too. */
function decodeLiterals(
  seg: Segment,
  out: Segment[],
  budget: { literals: number; bytes: number },
  tricks: Set<string>,
): void {
  const lit = /"([A-Za-z0-9+/]{16,}={0,2})"|"([0-9A-Fa-f]{20,})"/g;
  for (let m = lit.exec(seg.text); m && budget.literals > 0 && budget.bytes > 0; m = lit.exec(seg.text)) {
    const body = m[1] ?? m[2] ?? '';
    const kind = m[1] !== undefined && !/^[0-9A-Fa-f]+$/.test(body) ? 'base64' : 'hex';
    if (kind === 'hex' && body.length % 2) continue;
    const bytes = Buffer.from(body.slice(0, budget.bytes * 2), kind);
    const text = printable(bytes);
    if (text === undefined) continue;
    budget.literals--;
    budget.bytes -= bytes.length;
    tricks.add(`${kind} string literals`);
    const n = normalise(decodeSource(text));
    const base = seg.at(m.index);
    out.push({ text: n.text, origin: n.origin, at: () => base, decoded: kind });
  }
}

/** Decoded bytes as text when they look like text (UTF-16 included); undefined for binary. */
function printable(bytes: Buffer): string | undefined {
  if (bytes.length < 8) return undefined;
  const text = decodeSource(bytes.toString('latin1'));
  const probe = Math.min(text.length, 4096);
  let good = 0;
  for (let i = 0; i < probe; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) good++;
  }
  return good >= probe * 0.9 && /[a-z]{3}/i.test(text.slice(0, probe)) ? text : undefined;
}

/** Variables assigned from request data (two steps deep), so `cmd = Request["c"]; Process.Start(cmd)` is seen. */
function taintedNames(text: string): string[] {
  const names = new Set<string>();
  const assign = (rhs: string) =>
    new RegExp(String.raw`(?<![\w.])([a-z_]\w{0,40})=(?!=)${WRAPPERS}(?:${rhs})`, 'gi');
  for (const m of text.matchAll(assign(INPUT_BASE))) if (names.size < 200) names.add(m[1]!);
  if (names.size > 0 && names.size < 200) {
    const step = [...names].join('|');
    for (const m of text.matchAll(assign(String.raw`(?<![\w.])(?:${step})(?![\w(])`)))
      if (names.size < 200) names.add(m[1]!);
  }
  return [...names];
}

function matchSegment(seg: Segment, src: string): BehaviourHit[] {
  const text = seg.text;
  const names = taintedNames(text);
  const input = `${INPUT_BASE}${names.length ? String.raw`|(?<![\w.])(?:${names.join('|')})(?![\w(])` : ''}`;
  const inputStart = new RegExp(`${WRAPPERS}(?:${input})`, 'iy');
  const lazy = new Map<string, Int32Array>();
  const starts = (key: string, re: RegExp) => {
    let p = lazy.get(key);
    if (!p) lazy.set(key, (p = positions(text, re)));
    return p;
  };
  let stops: Int32Array | undefined;
  const stopsBefore = (i: number) => {
    if (!stops) {
      stops = new Int32Array(text.length + 1);
      for (let k = 0; k < text.length; k++)
        stops[k + 1] = stops[k]! + (STOPS.has(text.charCodeAt(k)) ? 1 : 0);
    }
    return stops[i]!;
  };
  const tested = new Map<RegExp, boolean>();
  const present = (re: RegExp) => {
    let v = tested.get(re);
    if (v === undefined) {
      re.lastIndex = 0;
      tested.set(re, (v = re.test(text)));
    }
    return v;
  };
  const hits: BehaviourHit[] = [];
  for (const b of BEHAVIOURS) {
    if (b.requires && !b.requires.every(present)) continue;
    const m = find(b, text, inputStart, () => starts('input', new RegExp(input, 'gi')), starts, stopsBefore);
    if (!m) continue;
    const strong = b.strong || (b.strongIf?.some(present) ?? false);
    const from = seg.at(m[0]);
    const to = Math.max(from + 1, seg.at(Math.max(m[0], m[1] - 1)) + 1);
    hits.push({
      id: b.id,
      reason: b.reason,
      strong,
      offset: from,
      excerpt: excerptAt(src, from, to),
      ...(seg.decoded ? { decoded: seg.decoded } : {}),
    });
  }
  return hits;
}

/** The first match of a behaviour as [start, end) in the segment, or undefined. */
function find(
  b: Behaviour,
  text: string,
  inputStart: RegExp,
  inputs: () => Int32Array,
  starts: (key: string, re: RegExp) => Int32Array,
  stopsBefore: (i: number) => number,
): [number, number] | undefined {
  if (b.pattern) {
    b.pattern.lastIndex = 0;
    const m = b.pattern.exec(text);
    return m ? [m.index, m.index + m[0].length] : undefined;
  }
  if (!b.anchor) return undefined;
  const anchor = b.anchor;
  anchor.lastIndex = 0;
  for (let m = anchor.exec(text); m; m = anchor.exec(text)) {
    const end = m.index + m[0].length;
    if (b.then === 'input-start') {
      inputStart.lastIndex = end;
      const s = inputStart.exec(text);
      if (s) return [m.index, end + s[0].length];
      continue;
    }
    if (b.then === 'input-first-arg') {
      const argEnd = firstArgEnd(text, end);
      const list = inputs();
      const p = list[lowerBound(list, end)];
      if (p !== undefined && p < argEnd) return [m.index, p + 1];
      continue;
    }
    const list = b.then === 'input-near' ? inputs() : starts(b.id, b.then!);
    const p = list[lowerBound(list, end)];
    if (p !== undefined && p - end <= (b.within ?? 200) && stopsBefore(p) === stopsBefore(end))
      return [m.index, p + 1];
  }
  return undefined;
}

/** Where the first argument of a call ends: a top-level `,` or the closing `)`, looked for within 400 characters. */
function firstArgEnd(text: string, from: number): number {
  let depth = 0;
  let quote = 0;
  const stop = Math.min(text.length, from + 400);
  for (let i = from; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92) i++;
      else if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (depth === 0) return i;
      depth--;
    } else if (c === 44 && depth === 0) return i;
    else if (c === 59) return i;
  }
  return stop;
}

function positions(text: string, re: RegExp): Int32Array {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m.index);
    if (m[0].length === 0) re.lastIndex++;
  }
  return Int32Array.from(out);
}

function lowerBound(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** About a line of code around [from, to): what the report shows as the reason's evidence. */
export function excerptAt(src: string, from: number, to: number): string {
  const start = Math.max(0, from - 60);
  const end = Math.min(src.length, Math.max(to, from) + 80, start + 320);
  const flat = src.slice(start, end).replace(/[\r\n\t]+/g, ' ');
  // eslint-disable-next-line no-control-regex -- dot out control bytes, keep the code readable
  return flat.replace(/[\x00-\x1f\x7f]/g, '.');
}
