// Sizes and depths of a record before it is rendered: values checked, expansion and nesting capped.
import { EvtxLimitError } from '../limits.js';
import { MIN_SIZE, valueFault } from '../values/decode.js';
import { VT } from '../values/types.js';
import type { ChunkContext, Node, Ref, Shape, Substitutions, Template } from './nodes.js';
import { nestedDocument } from './resolve.js';

/*
 * Templates may hold template instances and values may hold BinXML that instantiates templates again,
 * so a few hundred bytes can describe billions of elements (each level referencing the one below many
 * times). Rendering would find out too late. This pass walks the parsed structure once, with each
 * template's shape computed once per chunk, and adds up a bound on the JSON the record expands to. It
 * also checks every value a template uses the way the decoder will, so a record that passes renders
 * without error on every path.
 *
 * The bound: no character of a name or text, and no byte of a value, renders to more than six bytes
 * (a control character escaped as \u0001; a 4-byte float as a 25-character number), and an element
 * adds at most its keys and braces. The property tests check JSON length <= this on mutated files.
 */

/** JSON bytes per element (keys, braces, `#attributes`, `#text`, a `_1` suffix) and attribute. */
const ELEM = 48;
const ATTR = 8;
/** JSON bytes of a document around its elements. */
const DOC = 16;
/** Most JSON bytes one character or value byte renders to. */
const PER = 6;

interface Measure {
  weight: number;
  depth: number;
}

/**
 * The depth of the last instance measured. Records are measured by the million, so the hot functions
 * return the weight and leave the depth here rather than allocate a result each time.
 */
let lastDepth = 0;

/** The budget one record is measured against: exceeding it throws a located limit error. */
export interface Budget {
  maxBytes: number;
  maxDepth: number;
  /** Offset reported when the budget is exceeded (the record's offset in its chunk). */
  at: number;
}

function tooDeep(b: Budget, depth: number): EvtxLimitError {
  return new EvtxLimitError(
    'limit.evtx-depth',
    'BinXML nested too deeply',
    b.at,
    `at most ${b.maxDepth} levels`,
    `${depth}`,
  );
}

function tooBig(b: Budget, weight: number): EvtxLimitError {
  const found = Number.isFinite(weight) ? `about ${weight} bytes` : 'more than 2^1024 bytes';
  return new EvtxLimitError(
    'limit.evtx-expansion',
    'record expands beyond the size cap',
    b.at,
    `at most ${b.maxBytes} bytes`,
    found,
  );
}

class Walk {
  weight = 0;
  depth = 0;
  refs: Map<number, Ref> | undefined;

  constructor(
    private readonly ctx: ChunkContext,
    private readonly budget: Budget,
    /** Absolute nesting of the node list walked, where nested BinXML is parsed. */
    private readonly base: number,
    collectRefs: boolean,
  ) {
    if (collectRefs) this.refs = new Map();
  }

  nodes(list: readonly Node[], level: number): void {
    for (const n of list) {
      switch (n.kind) {
        case 'elem':
          this.weight += ELEM + PER * n.name.length;
          if (level + 1 > this.depth) this.depth = level + 1;
          for (const a of n.attrs) {
            this.weight += ATTR + PER * a.name.length;
            this.nodes(a.parts, level + 1);
          }
          this.nodes(n.children, level + 1);
          break;
        case 'text':
          this.weight += PER * n.text.length + 2;
          break;
        case 'value':
          this.weight += PER * String(n.value).length + 2;
          break;
        case 'pi':
          this.weight += PER * (n.target.length + n.data.length) + 8;
          break;
        case 'subst': {
          if (!this.refs) break; // a document's own substitutions have no values: they render as nothing
          const r = this.refs.get(n.index);
          if (r) {
            r.count++;
            if (level > r.level) r.level = level;
          } else this.refs.set(n.index, { index: n.index, count: 1, level });
          break;
        }
        case 'instance': {
          this.weight += instanceWeight(this.ctx, n.template, n.values, this.budget, this.base + level + 1);
          if (level + 1 + lastDepth > this.depth) this.depth = level + 1 + lastDepth;
          break;
        }
      }
      if (this.weight > this.budget.maxBytes) throw tooBig(this.budget, this.weight);
    }
  }
}

/** The shape of a template, computed on first use and kept with it for the rest of the chunk. */
function shapeOf(ctx: ChunkContext, t: Template, budget: Budget, base: number): Shape {
  if (t.shape) return t.shape;
  const w = new Walk(ctx, budget, base, true);
  w.nodes(t.nodes, 0);
  t.shape = { weight: w.weight, depth: w.depth, refs: [...w.refs!.values()] };
  return t.shape;
}

/** A template bound to its values, `base` levels deep: checks each value it uses and adds up the cost. */
function instanceWeight(
  ctx: ChunkContext,
  t: Template,
  vals: Substitutions,
  budget: Budget,
  base: number,
): number {
  if (base > budget.maxDepth) throw tooDeep(budget, base);
  const s = shapeOf(ctx, t, budget, base);
  let weight = s.weight;
  let depth = s.depth;
  const b = vals.ctx.buf;
  const desc = vals.descriptors;
  const refs = s.refs;
  for (let k = 0; k < refs.length; k++) {
    const r = refs[k]!;
    const i = r.index;
    if (i >= vals.length) continue;
    const d = desc + 4 * i;
    const type = b[d + 2]!;
    if (type === VT.Null) continue;
    if (type === VT.BinXml) {
      const doc = nestedDocument(vals, i, base + r.level);
      const w = nodesWeight(ctx, doc, budget, base + r.level);
      weight += r.count * w;
      if (r.level + lastDepth > depth) depth = r.level + lastDepth;
    } else {
      const size = b[d]! | (b[d + 1]! << 8);
      // The decoder's own table: a type it decodes at any size, or a fixed size that fits (see valueFault).
      const min = MIN_SIZE[type]!;
      if (min !== 0 && (min < 0 || (size !== 0 && size < min && type !== VT.Bool)))
        throw valueFault(vals.offsets[i]!, size, type)!;
      weight += r.count * (PER * size + 32);
    }
    if (weight > budget.maxBytes) throw tooBig(budget, weight);
  }
  if (base + depth > budget.maxDepth) throw tooDeep(budget, base + depth);
  lastDepth = depth;
  return weight;
}

/** The weight of a node list, its depth left in `lastDepth`; a lone instance (most records) walks nothing. */
function nodesWeight(ctx: ChunkContext, nodes: readonly Node[], budget: Budget, base: number): number {
  const only = nodes.length === 1 ? nodes[0]! : undefined;
  if (only !== undefined && only.kind === 'instance') {
    const w = DOC + instanceWeight(ctx, only.template, only.values, budget, base + 1);
    lastDepth += 1;
    if (base + lastDepth > budget.maxDepth) throw tooDeep(budget, base + lastDepth);
    if (w > budget.maxBytes) throw tooBig(budget, w);
    return w;
  }
  const w = new Walk(ctx, budget, base, false);
  w.weight = DOC; // a document renders as `{}` even when empty
  w.nodes(nodes, 0);
  if (base + w.depth > budget.maxDepth) throw tooDeep(budget, base + w.depth);
  lastDepth = w.depth;
  return w.weight;
}

/** A node list whose substitutions have no values (a record body, a nested BinXML value). */
export function measureNodes(
  ctx: ChunkContext,
  nodes: readonly Node[],
  budget: Budget,
  base: number,
): Measure {
  const weight = nodesWeight(ctx, nodes, budget, base);
  return { weight, depth: lastDepth };
}
