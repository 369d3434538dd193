// Pre-rendered log lines with holes for time and request id, so the bench corpus can stamp out lines fast.

/** Templates are rendered at this instant; every timestamp of that day in the text becomes a hole. */
export const T0 = Date.UTC(1999, 8, 9, 12, 0, 0, 0);

type Hole = { kind: 'iso' | 'w3c'; delta: number } | { kind: 'rid' };

export interface Template {
  parts: string[];
  holes: Hole[];
}

const HOLES = /1999-09-09T(\d\d):(\d\d):(\d\d)\.(\d{3})Z|1999-09-09 (\d\d):(\d\d):(\d\d)/g;

/** Cuts `text` (rendered with times around T0) at each timestamp and at each occurrence of `rid`. */
export function makeTemplate(text: string, rid?: string): Template {
  const parts: string[] = [];
  const holes: Hole[] = [];
  const cuts: { at: number; len: number; hole: Hole }[] = [];
  for (const m of text.matchAll(HOLES)) {
    const iso = m[1] !== undefined;
    const [h, mi, s, ms] = iso ? [m[1], m[2], m[3], m[4]] : [m[5], m[6], m[7], '0'];
    const t = Date.UTC(1999, 8, 9, Number(h), Number(mi), Number(s), Number(ms));
    cuts.push({ at: m.index, len: m[0].length, hole: { kind: iso ? 'iso' : 'w3c', delta: t - T0 } });
  }
  if (rid) for (let i = text.indexOf(rid); i >= 0; i = text.indexOf(rid, i + 1)) cuts.push({ at: i, len: rid.length, hole: { kind: 'rid' } }); // prettier-ignore
  cuts.sort((a, b) => a.at - b.at);
  let pos = 0;
  for (const c of cuts) {
    parts.push(text.slice(pos, c.at));
    holes.push(c.hole);
    pos = c.at + c.len;
  }
  parts.push(text.slice(pos));
  return { parts, holes };
}

const P3: string[] = Array.from({ length: 1000 }, (_, i) => (i < 10 ? '00' : i < 100 ? '0' : '') + i);
let secKey = -1;
let secIso = '';
let secW3c = '';

/** `YYYY-MM-DDTHH:MM:SS` and `YYYY-MM-DD HH:MM:SS` for a second, cached because lines cluster in time. */
function second(ms: number): void {
  const k = Math.floor(ms / 1000);
  if (k === secKey) return;
  secKey = k;
  secIso = new Date(k * 1000).toISOString().slice(0, 19);
  secW3c = secIso.slice(0, 10) + ' ' + secIso.slice(11);
}

export function fastIso(ms: number): string {
  second(ms);
  return secIso + '.' + P3[((ms % 1000) + 1000) % 1000] + 'Z';
}

export function fastW3c(ms: number): string {
  second(ms);
  return secW3c;
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** A random GUID from four 32-bit words (the caller's seeded generator). */
export function guidFrom(a: number, b: number, c: number, d: number): string {
  const h = (x: number, s: number) => HEX2[(x >>> s) & 255] as string;
  return (
    h(a, 24) + h(a, 16) + h(a, 8) + h(a, 0) + '-' + h(b, 24) + h(b, 16) + '-4' + h(b, 8).slice(1) + h(b, 0) + '-' +
    HEX2[0x80 | ((c >>> 24) & 0x3f)] + h(c, 16) + '-' + h(c, 8) + h(c, 0) + h(d, 24) + h(d, 16) + h(d, 8) + h(d, 0)
  ); // prettier-ignore
}

export function render(tpl: Template, t: number, rid: string): string {
  const { parts, holes } = tpl;
  let s = parts[0] as string;
  for (let i = 0; i < holes.length; i++) {
    const h = holes[i] as Hole;
    s +=
      (h.kind === 'rid' ? rid : h.kind === 'iso' ? fastIso(t + h.delta) : fastW3c(t + h.delta)) +
      parts[i + 1];
  }
  return s;
}
