// A tagged template for HTML in which every interpolated value is escaped unless it is already markup.

import { htmlSafe } from './escape.js';

/** Markup built by `html`: the only values inserted without escaping. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | undefined | null | readonly Part[];

function render(v: Part): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return (v as readonly Part[]).map(render).join('');
  if (v === undefined || v === null || v === false || v === true) return '';
  return htmlSafe(String(v));
}

/**
 * `markup\`<td>${userText}</td>\``: text is escaped (markup, quotes, controls, bidi), nested markup is kept.
 * Not named `html`, which formatters take for embedded HTML and reflow, whitespace inside `<pre>` included.
 */
export function markup(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Lines of text for a `<pre>`: each escaped on its own, joined by real line breaks. */
export function lines(xs: readonly string[]): Html {
  return new Html(xs.map((x) => htmlSafe(x)).join('\n'));
}

/** Text cut to a length, with the cut shown. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
