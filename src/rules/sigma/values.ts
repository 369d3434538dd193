// Sigma values while modifiers apply: wildcard-aware strings, numbers, and the per-field match spec.

/** Wildcard tokens inside a string value; literal runs are plain strings. */
export const STAR = 0;
export const ONE = 1;
export type Part = string | typeof STAR | typeof ONE;

export interface StrValue {
  readonly k: 'str';
  /** Literal runs and wildcards, adjacent literals merged. */
  readonly parts: readonly Part[];
  /** The value as written, while no modifier has changed it (needed by `re`, `cidr`, `fieldref`). */
  readonly raw?: string;
  /** Compare case-sensitively (set by encodings: base64 text is case-significant). */
  readonly cased?: boolean;
  /** Literal runs are byte strings (one char per byte), after a utf16 encoding. */
  readonly bytes?: boolean;
}

export type SigmaValue =
  | StrValue
  | { readonly k: 'num'; readonly n: number; readonly raw: string }
  | { readonly k: 'bool'; readonly b: boolean }
  | { readonly k: 'null' };

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export type Op = 'eq' | 're' | 'cidr' | 'lt' | 'lte' | 'gt' | 'gte' | 'exists' | 'fieldref';

/** What a field's modifier chain has made of it; built fresh per compile, then turned into a predicate. */
export interface ValueSpec {
  values: SigmaValue[];
  /** Link values with AND instead of OR. */
  all: boolean;
  cased: boolean;
  /** `neq`: each value test is negated. */
  negate: boolean;
  op: Op;
  reFlags: string;
  timePart?: TimePart;
  /** How a `fieldref` compares: equality or one of the positional forms. */
  refMode: 'eq' | 'contains' | 'startswith' | 'endswith';
  /** Modifiers applied so far, for order checks. */
  applied: string[];
}

export interface ModifierContext {
  /** Placeholder values for `expand`; undefined while only checking a rule (placeholders not known yet). */
  readonly placeholders: Readonly<Record<string, readonly string[]>> | undefined;
}

/** Apply one modifier to the spec in place; return an error message when it cannot apply. */
export type Modifier = (spec: ValueSpec, ctx: ModifierContext) => string | undefined;

/** Parse Sigma string escaping: `\*`, `\?`, `\\` escape; any other backslash is literal. */
export function parseSigmaString(s: string): StrValue {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      if (lit) parts.push(lit);
      lit = '';
      // Consecutive stars are one star.
      if (!(c === '*' && parts[parts.length - 1] === STAR)) parts.push(c === '*' ? STAR : ONE);
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return { k: 'str', parts, raw: s };
}

/** A plain (wildcard-free) string value. */
export function literal(s: string, extra: Partial<StrValue> = {}): StrValue {
  return { k: 'str', parts: s ? [s] : [], ...extra };
}

/** Merge adjacent literals and collapse star runs after a transformation. */
export function normalizeParts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else if (!(p === STAR && last === STAR)) out.push(p);
  }
  return out;
}

export function hasWildcards(v: StrValue): boolean {
  return v.parts.some((p) => typeof p !== 'string');
}

/** The text of a wildcard-free value. */
export function plainText(v: StrValue): string {
  return v.parts.join('');
}

/** Numbers and booleans become strings for string modifiers (`EventID|startswith: 46`). */
export function asStr(v: SigmaValue): StrValue | undefined {
  switch (v.k) {
    case 'str':
      return v;
    case 'num':
      return { k: 'str', parts: [v.raw], raw: v.raw };
    case 'bool':
      return { k: 'str', parts: [String(v.b)], raw: String(v.b) };
    case 'null':
      return undefined;
  }
}

/** Replace every value through `fn`; the first error message wins. */
function mapValues(
  spec: ValueSpec,
  fn: (v: SigmaValue) => SigmaValue | SigmaValue[] | string,
): string | undefined {
  const out: SigmaValue[] = [];
  for (const v of spec.values) {
    const r = fn(v);
    if (typeof r === 'string') return r;
    if (Array.isArray(r)) out.push(...r);
    else out.push(r);
  }
  spec.values = out;
  return undefined;
}

/** Like mapValues for string modifiers: numbers become strings, null is refused. */
export function mapStrings(
  spec: ValueSpec,
  name: string,
  fn: (v: StrValue) => SigmaValue | SigmaValue[] | string,
): string | undefined {
  return mapValues(spec, (v) => {
    const s = asStr(v);
    return s ? fn(s) : `'${name}' cannot apply to null`;
  });
}

/** Only plain matching may precede these modifiers (`re`, `cidr`, ... change what a value means). */
export function requireEq(spec: ValueSpec, name: string): string | undefined {
  return spec.op === 'eq' ? undefined : `'${name}' cannot follow '${spec.op}'`;
}
