// The tables of the line kernel's literal search (Teddy, 16 buckets, 4-byte fingerprints), built from the gate's literals.

/** A literal a line may contain, with the bits of the matchers that need it. */
export interface GateLiteral {
  text: string;
  mask: number;
  /** Counts only where it ends a one-segment path after a space or comma (`GET /name.aspx `). */
  root?: boolean;
  /** Counts only where the URL path after it names a script, and with `except` not an except name. */
  script?: boolean;
  except?: boolean;
}

export interface TeddyTables {
  /** [bucket set 0..1][position 0..3][lo, hi][nibble] → bits of the set's 8 buckets, flattened (256 bytes). */
  masks: Uint8Array;
  /** The literals' bytes, one after another, ordered by bucket. */
  bytes: Buffer;
  /**
   * One column per field of the kernel's literal table, literal i at index i: where its bytes start and
   * how many, the distance from its fingerprint's end back to its start, its matchers' bits, its first
   * four bytes as a little-endian word with the bytes that count and the letters OR 0x20 folds, and its
   * flags (1 a root-path literal, 2 a script-path one, 4 with except names: see wasm/linescan.c).
   */
  columns: Record<'off' | 'len' | 'back' | 'mask' | 'word' | 'wmask' | 'fold' | 'flags', Uint32Array>;
  /** Literals shorter than four bytes by bucket: shortLits[shortFirst[b] .. shortFirst[b + 1]). */
  shortLits: number[];
  shortFirst: number[];
  /** Bits of the buckets that hold a short literal. */
  shortBuckets: number;
  /** The others by their 4-byte window (lower case, little-endian): open addressing, chains in `next`. */
  hashKey: Uint32Array;
  hashHead: Uint32Array;
  next: Uint32Array;
}

/** Slots of the window hash table (the kernel's HASH_BITS). */
const HASH_BITS = 12;

/** The kernel's hash of a 4-byte window. */
function windowHash(word: number): number {
  return Math.imul(word, 0x9e3779b1) >>> (32 - HASH_BITS);
}

/**
 * Printable ASCII from most to least frequent in IIS and Exchange logs (letters folded to lower case),
 * counted on the generated benchmark corpus. Only used to pick a literal's rarest three bytes.
 */
const BY_FREQUENCY = '0e1,2o.aritc-s p4nd35l689m=7f:/;bx+huvygw&kz_q\\)(<>%j@~?#"\'$]!*[^`{|}';

/** Bytes that end a field: a literal's variants for each (`.aspx `, `.aspx,`, `.aspx?`) then share a window. */
const ENDS = new Set([0x20, 0x2c, 0x3f, 0x09]);

function rarity(c: number): number {
  if (ENDS.has(c)) return -BY_FREQUENCY.length;
  const i = BY_FREQUENCY.indexOf(String.fromCharCode(c));
  return i < 0 ? BY_FREQUENCY.length : i;
}

const WIDTH = 4;
const BUCKETS = 16;

/**
 * Lower-cased ASCII pieces a matching line must contain. The kernel compares bytes case-insensitively
 * for ASCII only, so a literal with other characters is cut to its longest ASCII run (a superset);
 * undefined when some literal has none (the gate cannot be proven for bytes).
 */
export function normaliseLiterals(lits: readonly GateLiteral[]): GateLiteral[] | undefined {
  const byText = new Map<string, GateLiteral>();
  for (const l of lits) {
    let best = '';
    for (const run of asciiRuns(l.text.toLowerCase())) if (run.length > best.length) best = run;
    if (best === '' || best.includes('\n')) return undefined;
    // A cut literal no longer ends where the whole one did, so it cannot keep the root or script condition.
    const whole = best.length === l.text.length;
    const root = !!l.root && whole;
    const script = !!l.script && whole;
    const except = script && !!l.except;
    const key = `${root ? 'r' : 'a'}${script ? (except ? 'e' : 's') : 'a'}${best}`;
    const had = byText.get(key);
    byText.set(key, {
      text: best,
      mask: (had?.mask ?? 0) | l.mask,
      ...(root ? { root } : {}),
      ...(script ? { script } : {}),
      ...(except ? { except } : {}),
    });
  }
  return [...byText.values()];
}

function asciiRuns(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i <= s.length; i++)
    if (i === s.length || s.charCodeAt(i) > 0x7f) {
      if (i > start) out.push(s.slice(start, i));
      start = i + 1;
    }
  return out;
}

/** Start of the literal's four rarest adjacent bytes (the whole literal when shorter). */
function windowOf(bytes: Uint8Array): { at: number; width: number } {
  const width = Math.min(WIDTH, bytes.length);
  let at = 0;
  let best = -1;
  for (let d = 0; d + width <= bytes.length; d++) {
    let score = 0;
    for (let k = 0; k < width; k++) score += rarity(bytes[d + k]!);
    if (score > best) {
      best = score;
      at = d;
    }
  }
  return { at, width };
}

function cases(c: number): number[] {
  return c >= 0x61 && c <= 0x7a ? [c, c - 0x20] : [c];
}

export function buildTeddy(lits: readonly GateLiteral[]): TeddyTables {
  const items = lits.map((l) => {
    const bytes = Buffer.from(l.text, 'latin1');
    const w = windowOf(bytes);
    const flags = (l.root ? 1 : 0) | (l.script ? 2 : 0) | (l.script && l.except ? 4 : 0);
    return { bytes, mask: l.mask, flags, ...w, key: l.text.slice(w.at, w.at + w.width) };
  });
  // Buckets are made of distinct windows, similar ones together, so the nibble tables mix few combinations;
  // literals with the same window share its bucket.
  const keys = [...new Set(items.map((it) => it.key))].sort();
  const per = Math.max(1, Math.ceil(keys.length / BUCKETS));
  const bucketOf = new Map(keys.map((k, i) => [k, Math.floor(i / per)]));
  items.sort((a, b) => bucketOf.get(a.key)! - bucketOf.get(b.key)!);
  const masks = new Uint8Array(256);
  const set = (b: number, k: number, half: number, nib: number) => {
    const at = ((Math.floor(b / 8) * WIDTH + k) * 2 + half) * 16 + nib;
    masks[at] = masks[at]! | (1 << (b % 8));
  };
  for (const it of items) {
    const b = bucketOf.get(it.key)!;
    // A window shorter than four bytes sits at the end; the positions before it take any byte.
    const pad = WIDTH - it.width;
    for (let k = 0; k < pad; k++)
      for (let nib = 0; nib < 16; nib++) {
        set(b, k, 0, nib);
        set(b, k, 1, nib);
      }
    for (let t = 0; t < it.width; t++)
      for (const c of cases(it.bytes[it.at + t]!)) {
        set(b, pad + t, 0, c & 15);
        set(b, pad + t, 1, c >> 4);
      }
  }
  const n = items.length;
  const columns: TeddyTables['columns'] = {
    off: new Uint32Array(n),
    len: new Uint32Array(n),
    back: new Uint32Array(n),
    mask: new Uint32Array(n),
    word: new Uint32Array(n),
    wmask: new Uint32Array(n),
    fold: new Uint32Array(n),
    flags: new Uint32Array(n),
  };
  const parts: Uint8Array[] = [];
  let at = 0;
  let i = 0;
  const shortLits: number[] = [];
  const shortFirst: number[] = [];
  let shortBuckets = 0;
  const hashKey = new Uint32Array(1 << HASH_BITS);
  const hashHead = new Uint32Array(1 << HASH_BITS);
  const next = new Uint32Array(n);
  for (let b = 0; b < BUCKETS; b++) {
    shortFirst.push(shortLits.length);
    for (const it of items) {
      if (bucketOf.get(it.key) !== b) continue;
      parts.push(it.bytes);
      columns.off[i] = at;
      columns.len[i] = it.bytes.length;
      columns.back[i] = it.at + it.width - 1;
      columns.mask[i] = it.mask >>> 0;
      columns.flags[i] = it.flags;
      for (let j = 0; j < Math.min(4, it.bytes.length); j++) {
        const c = it.bytes[j]!;
        columns.word[i] = (columns.word[i]! | (c << (8 * j))) >>> 0;
        columns.wmask[i] = (columns.wmask[i]! | (0xff << (8 * j))) >>> 0;
        if (c >= 0x61 && c <= 0x7a) columns.fold[i] = (columns.fold[i]! | (0x20 << (8 * j))) >>> 0;
      }
      at += it.bytes.length;
      if (it.width < WIDTH) {
        shortLits.push(i);
        shortBuckets |= 1 << b;
      } else {
        const key = it.bytes.readUInt32LE(it.at);
        let h = windowHash(key);
        while (hashHead[h] !== 0 && hashKey[h] !== key) h = (h + 1) & ((1 << HASH_BITS) - 1);
        hashKey[h] = key;
        next[i] = hashHead[h]!;
        hashHead[h] = i + 1;
      }
      i++;
    }
  }
  shortFirst.push(shortLits.length);
  const bytes = Buffer.concat(parts);
  return { masks, bytes, columns, shortLits, shortFirst, shortBuckets, hashKey, hashHead, next };
}

/** The gate's clauses as the kernel holds them: per clause its bit and its literals' bytes. */
export interface ClauseTables {
  mask: Uint32Array;
  /** Clause c's literals are [first[c], first[c + 1]). */
  first: Uint32Array;
  off: Uint32Array;
  len: Uint32Array;
  bytes: Buffer;
}

/**
 * Lower-cased ASCII clause literals; a literal with other characters is cut to its longest ASCII run (it
 * must still occur), and a clause with a literal that has none is left out (the bit is then kept: a
 * superset). Undefined when there is none or they do not fit the kernel's limits.
 */
export function buildClauses(
  clauses: readonly { mask: number; any: readonly string[] }[] | undefined,
  limits: { clauses: number; literals: number; bytes: number },
): ClauseTables | undefined {
  const kept: { mask: number; lits: string[] }[] = [];
  for (const c of clauses ?? []) {
    const lits: string[] = [];
    for (const l of c.any) {
      let best = '';
      for (const run of asciiRuns(l.toLowerCase())) if (run.length > best.length) best = run;
      if (best === '' || best.includes('\n')) {
        lits.length = 0;
        break;
      }
      lits.push(best);
    }
    if (lits.length > 0 && c.mask !== 0) kept.push({ mask: c.mask, lits: [...new Set(lits)] });
  }
  const n = kept.reduce((a, c) => a + c.lits.length, 0);
  const bytes = Buffer.from(kept.flatMap((c) => c.lits).join(''), 'latin1');
  if (kept.length === 0 || kept.length > limits.clauses || n > limits.literals || bytes.length > limits.bytes)
    return undefined;
  const t: ClauseTables = {
    mask: new Uint32Array(kept.length),
    first: new Uint32Array(kept.length + 1),
    off: new Uint32Array(n),
    len: new Uint32Array(n),
    bytes,
  };
  let j = 0;
  let at = 0;
  kept.forEach((c, i) => {
    t.mask[i] = c.mask >>> 0;
    t.first[i] = j;
    for (const l of c.lits) {
      t.off[j] = at;
      t.len[j] = l.length;
      at += l.length;
      j++;
    }
  });
  t.first[kept.length] = j;
  return t;
}

/** The script-path tables: extensions and except names, lower case, each as offsets into its bytes. */
export interface PathTables {
  exts: { off: Uint32Array; len: Uint32Array; bytes: Buffer };
  except: { off: Uint32Array; len: Uint32Array; bytes: Buffer };
}

/** Undefined when the lists do not fit the kernel (its script literals then count anywhere) or hold non-ASCII. */
export function buildPaths(
  p: { exts: readonly string[]; except: readonly string[] },
  limits: { exts: number; extBytes: number; except: number; exceptBytes: number },
): PathTables | undefined {
  const table = (list: readonly string[], max: number, maxBytes: number) => {
    const lower = [...new Set(list.map((x) => x.toLowerCase()))];
    const bytes = Buffer.from(lower.join(''), 'latin1');
    if (lower.length > max || bytes.length > maxBytes || lower.some((x) => /[^\x20-\x7e]/.test(x)))
      return undefined;
    const off = new Uint32Array(lower.length);
    const len = new Uint32Array(lower.length);
    let at = 0;
    lower.forEach((x, i) => {
      off[i] = at;
      len[i] = x.length;
      at += x.length;
    });
    return { off, len, bytes };
  };
  const exts = table(p.exts, limits.exts, limits.extBytes);
  const except = table(p.except, limits.except, limits.exceptBytes);
  return exts && except && exts.off.length > 0 ? { exts, except } : undefined;
}
