// YAML reading for rules and mappings: plain values plus a way to find the line of any key or value.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';

export interface Pos {
  line: number;
  column: number;
}

export interface YamlDoc {
  /** Plain JS value of the document (maps are plain objects, hex/float scalars keep their text). */
  readonly value: unknown;
  /** 1-based position of the document start. */
  readonly pos: Pos;
  /** Syntax errors of this document; a document with errors should not be used. */
  readonly errors: readonly (Pos & { message: string })[];
  /** Position of the value at `path`, or of its key when `key` is set; falls back to the nearest parent. */
  locate(path: readonly (string | number)[], key?: boolean): Pos;
}

const MAX_ALIAS_DEPTH = 32;
/**
 * Values one document may expand to. Aliases share nodes, so a few lines can name billions of values
 * (`a1: [*a0, *a0, ...]`, the "billion laughs"); real rules and mappings stay far below this.
 */
const MAX_YAML_VALUES = 200_000;
const DECIMAL_INT = /^[-+]?[0-9]+$/;

/** Split a multi-document YAML text into documents, each with its own errors and a locator. */
export function readYamlDocuments(text: string): YamlDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false });
  // parseAllDocuments returns an EmptyStream (array-like, no documents) for empty input.
  const out: YamlDoc[] = [];
  for (const doc of Array.from(docs)) {
    out.push(wrap(doc, lc));
  }
  return out;
}

function posAt(lc: LineCounter, offset: number): Pos {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

function wrap(doc: Document.Parsed, lc: LineCounter): YamlDoc {
  const errors = doc.errors.map((e) => ({ ...posAt(lc, e.pos[0]), message: e.message.split('\n')[0] ?? '' }));
  const start = doc.contents?.range?.[0] ?? doc.range[0];
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = toPlain(doc, doc.contents, 0, { left: MAX_YAML_VALUES, targets: new Map() });
    } catch (e) {
      errors.push({ ...posAt(lc, start), message: (e as Error).message });
    }
  }
  return {
    value,
    pos: posAt(lc, start),
    errors,
    locate(path, key = false) {
      let node: unknown = doc.contents;
      let best = start;
      for (let i = 0; i < path.length; i++) {
        const step = path[i];
        const last = i === path.length - 1;
        if (isMap(node)) {
          const pair = node.items.find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step),
          );
          if (!pair) break;
          const k = pair.key as Node;
          if (k.range) best = k.range[0];
          if (last && key) break;
          node = pair.value;
        } else if (isSeq(node) && typeof step === 'number') {
          node = node.items[step];
        } else break;
        const r = (node as Node | null | undefined)?.range;
        if (r && (!last || !key)) best = r[0];
      }
      return posAt(lc, best);
    },
  };
}

interface Budget {
  left: number;
  /** Each alias resolved once: resolving walks the document. */
  targets: Map<unknown, unknown>;
}

function toPlain(doc: Document.Parsed, node: unknown, depth: number, budget: Budget): unknown {
  if (--budget.left < 0)
    throw new Error(
      `the document expands to more than ${MAX_YAML_VALUES} values (aliases repeated too often)`,
    );
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (depth > MAX_ALIAS_DEPTH) throw new Error('YAML aliases nested too deeply');
    let target = budget.targets.get(node);
    if (target === undefined) {
      target = node.resolve(doc) ?? null;
      budget.targets.set(node, target);
    }
    return toPlain(doc, target, depth + 1, budget);
  }
  if (isScalar(node)) {
    const v = node.value;
    // `0x1410` or `1.50` would otherwise become numbers and stop matching their text in logs.
    if (
      typeof v === 'number' &&
      typeof node.source === 'string' &&
      (!DECIMAL_INT.test(node.source) || !Number.isSafeInteger(v))
    ) {
      return node.source;
    }
    return v;
  }
  if (isMap(node)) {
    // No prototype: a key named `__proto__` must stay a key.
    const o = Object.create(null) as Record<string, unknown>;
    for (const p of node.items) {
      const k = isScalar(p.key) ? String(p.key.value) : String(p.key);
      o[k] = toPlain(doc, p.value, depth, budget);
    }
    return o;
  }
  if (isSeq(node)) return node.items.map((n) => toPlain(doc, n, depth, budget));
  throw new Error('unsupported YAML node');
}
