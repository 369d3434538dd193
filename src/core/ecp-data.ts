// The ECP Server log's EventData format, `S:KEY=value;` pairs, shared by its source and its detectors.

/**
 * Values may themselves contain `;` (a script payload does), so keys are found by their `S:KEY=` shape
 * rather than by splitting on `;`. A pair whose value holds quotes or separators is written wrapped in
 * single quotes, with the quotes inside doubled; such values are unwrapped.
 */
export function parseEcpEventData(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|;|,|")('?)S:([A-Z][A-Z0-9]*)=/g;
  let m = re.exec(text);
  while (m) {
    const quoted = m[1] === "'";
    const key = m[2] ?? '';
    const start = re.lastIndex;
    let value: string;
    let next: number;
    if (quoted) {
      const end = closingQuote(text, start);
      value = text.slice(start, end).replace(/''/g, "'");
      next = end + 1;
    } else {
      const following = findNext(re, text, start);
      const end = following ?? text.length;
      value = text.slice(start, end);
      if (following === undefined) value = trimEnd(value);
      next = end;
    }
    if (!out.has(key)) out.set(key, value);
    re.lastIndex = next;
    m = re.exec(text);
  }
  return out;
}

/**
 * The value without the `;` and `"` that close the last pair. A loop, not /[;"]+$/: on a long run of them
 * that does not reach the end, that expression tries every start in the run (quadratic on hostile text).
 */
function trimEnd(value: string): string {
  let end = value.length;
  while (end > 0) {
    const c = value.charCodeAt(end - 1);
    if (c !== 59 && c !== 34) break;
    end--;
  }
  return value.slice(0, end);
}

/** Index of the quote that closes a single-quoted value (a quote that is not doubled), or the end. */
function closingQuote(text: string, from: number): number {
  for (let i = text.indexOf("'", from); i >= 0; i = text.indexOf("'", i + 2)) {
    if (text.charCodeAt(i + 1) !== 39) return i;
  }
  return text.length;
}

/** Where the next pair starts, without consuming it. */
function findNext(re: RegExp, text: string, from: number): number | undefined {
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : undefined;
}
