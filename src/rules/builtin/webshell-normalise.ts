// Undoes the usual webshell obfuscation (escapes, comments, char codes, split strings) in one linear pass per step.

/**
 * Normalised code: whitespace reduced to one space between two word characters and dropped elsewhere, block
 * comments gone, `\x61` `\u0061` `&#97;` `%61` escapes decoded, char codes turned into string literals and
 * adjacent literals joined. Case is kept (base64 needs it); behaviours match case-insensitively.
 */
export interface Normalised {
  text: string;
  /** For each character of `text`, its offset in the decoded source, for excerpts of the original code. */
  origin: Int32Array;
  /** Which tricks were undone, for the report (`hex escapes`, `char codes`, ...). */
  tricks: Set<string>;
}

/** Grows as characters are pushed; every character keeps where it came from. */
class Builder {
  private codes: Uint16Array;
  private at: Int32Array;
  n = 0;
  constructor(capacity: number) {
    this.codes = new Uint16Array(Math.max(16, capacity));
    this.at = new Int32Array(Math.max(16, capacity));
  }
  push(code: number, origin: number): void {
    if (this.n === this.codes.length) {
      const codes = new Uint16Array(this.n * 2);
      codes.set(this.codes);
      this.codes = codes;
      const at = new Int32Array(this.n * 2);
      at.set(this.at);
      this.at = at;
    }
    this.codes[this.n] = code;
    this.at[this.n++] = origin;
  }
  last(): number {
    return this.n > 0 ? this.codes[this.n - 1]! : -1;
  }
  done(): { text: string; origin: Int32Array } {
    let text = '';
    for (let i = 0; i < this.n; i += 8192)
      text += String.fromCharCode(...this.codes.subarray(i, Math.min(this.n, i + 8192)));
    return { text, origin: this.at.slice(0, this.n) };
  }
}

/** UTF-16 files (BOM, or every other byte zero) as text; anything else stays one character per byte. */
export function decodeSource(latin1: string): string {
  const bom = latin1.charCodeAt(0) === 0xff && latin1.charCodeAt(1) === 0xfe;
  const bomBe = latin1.charCodeAt(0) === 0xfe && latin1.charCodeAt(1) === 0xff;
  let zerosOdd = 0;
  let zerosEven = 0;
  const probe = Math.min(latin1.length, 4096);
  for (let i = 0; i < probe; i++) {
    if (latin1.charCodeAt(i) !== 0) continue;
    if (i % 2) zerosOdd++;
    else zerosEven++;
  }
  const le = bom || (!bomBe && zerosOdd > probe / 6 && zerosEven < probe / 40);
  const be = bomBe || (!bom && zerosEven > probe / 6 && zerosOdd < probe / 40);
  if (!le && !be) return latin1;
  const start = bom || bomBe ? 2 : 0;
  const out: string[] = [];
  for (let i = start; i + 1 < latin1.length; i += 2) {
    const lo = latin1.charCodeAt(le ? i : i + 1);
    const hi = latin1.charCodeAt(le ? i + 1 : i);
    out.push(String.fromCharCode(lo | (hi << 8)));
  }
  return out.join('');
}

const isWord = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isSpace = (c: number) =>
  c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0 || c === 0xa0;
const hexVal = (c: number) =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;

const ENTITIES: Record<string, number> = { lt: 60, gt: 62, quot: 34, amp: 38, apos: 39, nbsp: 32 };
/** How far a block comment may run before `/*` is taken as not opening one. */
const MAX_COMMENT = 1 << 16;

/** Reads a run of hex digits (up to `max`) at `i`; returns the value and length, or undefined. */
function hexRun(s: string, i: number, min: number, max: number): [number, number] | undefined {
  let v = 0;
  let n = 0;
  while (n < max && i + n < s.length) {
    const h = hexVal(s.charCodeAt(i + n));
    if (h < 0) break;
    v = v * 16 + h;
    n++;
  }
  return n >= min ? [v, n] : undefined;
}

/** An escape at `i` (`\x41`, `\u0041`, `&#65;`, `&#x41;`, `&lt;`, `%41` in runs): [char code, length]. */
function escapeAt(s: string, i: number): [number, number] | undefined {
  const c = s.charCodeAt(i);
  const d = s.charCodeAt(i + 1);
  if (c === 92) {
    if (d === 120 || d === 88) {
      const h = hexRun(s, i + 2, 1, 4);
      return h && [h[0], 2 + h[1]];
    }
    if (d === 117) {
      if (s.charCodeAt(i + 2) === 123) {
        const h = hexRun(s, i + 3, 1, 6);
        return h && s.charCodeAt(i + 3 + h[1]) === 125 ? [h[0] & 0xffff, 4 + h[1]] : undefined;
      }
      const h = hexRun(s, i + 2, 4, 4);
      return h && [h[0], 6];
    }
    if (d === 85) {
      const h = hexRun(s, i + 2, 8, 8);
      return h && [h[0] & 0xffff, 10];
    }
    return undefined;
  }
  if (c === 38) {
    if (d === 35) {
      const x = s.charCodeAt(i + 2) === 120 || s.charCodeAt(i + 2) === 88;
      let v = 0;
      let n = 0;
      const from = i + (x ? 3 : 2);
      while (n < 7) {
        const ch = s.charCodeAt(from + n);
        const digit = x ? hexVal(ch) : ch >= 48 && ch <= 57 ? ch - 48 : -1;
        if (digit < 0) break;
        v = v * (x ? 16 : 10) + digit;
        n++;
      }
      const end = from + n;
      if (n === 0) return undefined;
      return [v & 0xffff, end - i + (s.charCodeAt(end) === 59 ? 1 : 0)];
    }
    const semi = s.indexOf(';', i);
    if (semi > i && semi - i <= 5) {
      const v = ENTITIES[s.slice(i + 1, semi).toLowerCase()];
      if (v !== undefined) return [v, semi - i + 1];
    }
    return undefined;
  }
  if (c === 37) {
    // URL escapes only in runs of three or more, so `100%ab` and `<%` stay as they are.
    const one = (j: number): [number, number] | undefined => {
      if (s.charCodeAt(j) !== 37) return undefined;
      if (s.charCodeAt(j + 1) === 117) {
        const h = hexRun(s, j + 2, 4, 4);
        return h && [h[0], 6];
      }
      const h = hexRun(s, j + 1, 2, 2);
      return h && [h[0], 3];
    };
    const first = one(i);
    if (!first) return undefined;
    const second = one(i + first[1]);
    const third = second && one(i + first[1] + second[1]);
    const before = i >= 3 && one(i - 3) !== undefined;
    const before6 = i >= 6 && one(i - 6) !== undefined;
    return third || before || before6 ? first : undefined;
  }
  return undefined;
}

/**
 * One pass over the decoded source: block comments outside strings dropped (`eval/*x*\/(`), VB line
 * continuations joined, escapes decoded, whitespace reduced. Strings end at the end of their line so that
 * text the pass misreads (a VB comment with a quote in it) cannot hide the rest of the file.
 */
function lex(src: string, tricks: Set<string>): { text: string; origin: Int32Array } {
  const out = new Builder(src.length);
  let inString = false;
  let pendingSpace = -1;
  // Where the next `*/` is, found once and reused: a search per `/*` would make the pass quadratic.
  let close = -1;
  const emit = (code: number, at: number) => {
    if (isSpace(code)) {
      if (pendingSpace < 0) pendingSpace = at;
      return;
    }
    if (pendingSpace >= 0 && isWord(code) && isWord(out.last())) out.push(32, pendingSpace);
    pendingSpace = -1;
    out.push(code, at);
  };
  for (let i = 0; i < src.length;) {
    const c = src.charCodeAt(i);
    if (c === 10 || c === 13) inString = false;
    if (!inString && c === 47 && src.charCodeAt(i + 1) === 42 && src.charCodeAt(i - 1) !== 42) {
      if (close !== Infinity && close < i + 2) {
        close = src.indexOf('*/', i + 2);
        if (close < 0) close = Infinity;
      }
      const end = close;
      if (end !== Infinity && end - i <= MAX_COMMENT) {
        tricks.add('comments between tokens');
        if (pendingSpace < 0) pendingSpace = i;
        i = end + 2;
        continue;
      }
    }
    if (c === 95 && !inString && !isWord(src.charCodeAt(i + 1))) {
      // VB `_` at the end of a line continues the statement.
      let j = i + 1;
      while (j < src.length && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9)) j++;
      if (src.charCodeAt(j) === 13 || src.charCodeAt(j) === 10) {
        if (pendingSpace < 0) pendingSpace = i;
        i = j;
        continue;
      }
    }
    if (c === 92 && src.charCodeAt(i + 1) === 92) {
      emit(92, i);
      emit(92, i + 1);
      i += 2;
      continue;
    }
    if (c === 92 || c === 38 || c === 37) {
      const e = escapeAt(src, i);
      if (e) {
        tricks.add(c === 92 ? 'backslash escapes' : c === 38 ? 'character entities' : 'URL escapes');
        emit(e[0], i);
        i += e[1];
        continue;
      }
    }
    if (c === 34) inString = !inString;
    else if (c === 92 && inString) {
      emit(c, i);
      if (i + 1 < src.length) emit(src.charCodeAt(i + 1), i + 1);
      i += 2;
      continue;
    }
    emit(c, i);
    i++;
  }
  return out.done();
}

/** A replacement step over normalised text that keeps the origin of every character. */
function replaceMapped(
  n: { text: string; origin: Int32Array },
  re: RegExp,
  fn: (m: RegExpExecArray) => string | undefined,
): { text: string; origin: Int32Array; changed: boolean } {
  const out = new Builder(n.text.length);
  let last = 0;
  let changed = false;
  re.lastIndex = 0;
  for (let m = re.exec(n.text); m; m = re.exec(n.text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const rep = fn(m);
    if (rep === undefined) continue;
    for (let i = last; i < m.index; i++) out.push(n.text.charCodeAt(i), n.origin[i]!);
    const at = n.origin[m.index]!;
    for (let i = 0; i < rep.length; i++) out.push(rep.charCodeAt(i), at);
    last = m.index + m[0].length;
    changed = true;
  }
  if (!changed) return { ...n, changed };
  for (let i = last; i < n.text.length; i++) out.push(n.text.charCodeAt(i), n.origin[i]!);
  return { ...out.done(), changed };
}

const NUM = String.raw`(0x[0-9a-f]{1,6}|&h[0-9a-f]{1,6}|\d{1,6})`;
const num = (s: string) =>
  /^0x/i.test(s) ? parseInt(s.slice(2), 16) : /^&h/i.test(s) ? parseInt(s.slice(2), 16) : parseInt(s, 10);
const lit = (s: string) => `"${s.replace(/"/g, "'")}"`;

/** Steps over normalised text: each pattern is linear (bounded runs, no nested quantifiers on overlaps). */
const STEPS: { trick: string; re: RegExp; fn: (m: RegExpExecArray) => string | undefined }[] = [
  {
    trick: 'char codes',
    re: new RegExp(
      String.raw`\(char\)\(?${NUM}\)?|convert\.tochar\(${NUM}\)|(?<![\w.])chr[wb]?\(${NUM}\)|char\.convertfromutf32\(${NUM}\)`,
      'gi',
    ),
    fn: (m) => lit(String.fromCharCode(num(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '0') & 0xffff)),
  },
  {
    trick: 'char codes',
    re: /(?:string\.)?fromcharcode\(((?:(?:0x[0-9a-f]{1,4}|\d{1,6}),){0,400}(?:0x[0-9a-f]{1,4}|\d{1,6}))\)/gi,
    fn: (m) => lit(String.fromCharCode(...(m[1] ?? '').split(',').map((x) => num(x) & 0xffff))),
  },
  {
    trick: 'char arrays',
    re: /new ?(?:string|system\.string)\(new ?char\[\d*\]\{((?:["'][^"'\n]{1,2}["'],){0,400}["'][^"'\n]{1,2}["'])\}\)/gi,
    fn: (m) =>
      lit(
        (m[1] ?? '')
          .split(',')
          .map((x) => x.slice(1, -1).replace(/^\\/, ''))
          .join(''),
      ),
  },
  {
    trick: 'split strings',
    re: /(?:string\.)?concat\(((?:"[^"\n]{0,400}",){1,60}"[^"\n]{0,400}")\)/gi,
    fn: (m) => lit((m[1] ?? '').slice(1, -1).split('","').join('')),
  },
  { trick: 'split strings', re: /["'][+&][@$]?["']/g, fn: () => '' },
  {
    trick: 'string replace',
    re: /"([^"\n]{0,4000})"\.replace\("([^"\n]{1,40})","([^"\n]{0,40})"\)/gi,
    fn: (m) => lit((m[1] ?? '').split(m[2] ?? '').join(m[3] ?? '')),
  },
  {
    trick: 'reversed strings',
    re: /strreverse\("([^"\n]{0,4000})"\)|"([^"\n]{0,4000})"\.reverse\(\)/gi,
    fn: (m) => lit([...(m[1] ?? m[2] ?? '')].reverse().join('')),
  },
  { trick: 'split strings', re: /["'][+&][@$]?["']/g, fn: () => '' },
];

/** The whole normalisation of one decoded source. */
export function normalise(src: string): Normalised {
  const tricks = new Set<string>();
  let n: { text: string; origin: Int32Array } = lex(src, tricks);
  for (const step of STEPS) {
    const r = replaceMapped(n, step.re, step.fn);
    if (r.changed) tricks.add(step.trick);
    n = r;
  }
  return { text: n.text, origin: n.origin, tricks };
}
