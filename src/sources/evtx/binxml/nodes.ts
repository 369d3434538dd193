// The parsed form of BinXML: element trees whose text may hold substitutions, before values are bound.
// Nodes, templates, their shapes, an instance's values and the chunk's state refer to each other, so they
// live in one file.
import { DEFAULT_EVTX_LIMITS } from '../limits.js';
import { decodeValue } from '../values/decode.js';
import { VT, type Decoded } from '../values/types.js';

export interface Elem {
  kind: 'elem';
  name: string;
  attrs: Attr[];
  children: Node[];
  /** Caches the JSON renderer fills in once per template: element children, quoted name. */
  jsonCache?: ElemJsonCache;
}

export interface ElemJsonCache {
  /** The element children, all bound to the parent's values. */
  kids: { elems: Elem[]; vals: undefined; keys: Buffer[] | undefined };
  /** `"name":` as UTF-8. */
  key: Buffer;
  /** True when some child is a substitution or instance, which may bring nested elements. */
  mayNest: boolean;
  /** The `Name` attribute when it is literal text (as in `<Data Name="CommandLine">`), else undefined. */
  staticName: string | undefined;
  /** `"<staticName>":` as UTF-8. */
  staticNameKey: Buffer | undefined;
}

export interface Attr {
  name: string;
  /** Text, typed values and substitutions that concatenate to the attribute's value. */
  parts: Node[];
  /** `"name":` as UTF-8, filled in by the JSON renderer. */
  jsonKey?: Buffer;
}

/** Literal text: value-text tokens, CDATA, and character or entity references already decoded. */
export interface Text {
  kind: 'text';
  text: string;
}

/** A typed value written inline with a value token (rare: value tokens normally carry strings). */
export interface Value {
  kind: 'value';
  value: Decoded;
}

/** A placeholder filled from the template instance's values; `optional` ones vanish when NULL. */
interface Subst {
  kind: 'subst';
  index: number;
  optional: boolean;
  type: number;
}

export interface PI {
  kind: 'pi';
  target: string;
  data: string;
}

/** A template bound to the values of one instance: a record body, or a nested BinXML value. */
export interface Instance {
  kind: 'instance';
  template: Template;
  values: Substitutions;
}

export type Node = Elem | Text | Value | Subst | PI | Instance;

/** A template definition, compiled once per chunk and shared by every record that references it. */
export interface Template {
  /** Chunk-relative offset of the definition, the key records use to reference it. */
  offset: number;
  guid: string;
  nodes: Node[];
  /** Lazily built map from System field name to the parts that give its value (see fields.ts). */
  systemPlan?: Map<string, Node[]> | null;
  /** What the template costs when expanded, computed on first use (see measure.ts). */
  shape?: Shape;
}

// Per-chunk decoding state: the chunk bytes and the names and templates defined inside it.

/** Marks a template whose definition is being parsed: meeting it again means it contains itself. */
export const COMPILING = Symbol('compiling');

/**
 * Names and template definitions are referenced by their offset inside the chunk, so both caches live
 * exactly as long as one chunk. Parsing a chunk never looks outside it.
 */
export class ChunkContext {
  readonly names = new Map<number, string>();
  readonly templates = new Map<number, Template | Error | typeof COMPILING>();

  constructor(
    /** The chunk's bytes (or, for a raw BinXML fragment, the fragment itself). */
    readonly buf: Buffer,
    /** File offset of `buf[0]`, to turn chunk-relative offsets into file offsets in reports. */
    readonly fileOffset: number,
    /** Nesting of elements, template instances and BinXML values allowed in one record. */
    readonly maxDepth: number = DEFAULT_EVTX_LIMITS.maxDepth,
  ) {}
}

/** A substitution of the enclosing instance's values, used `count` times, at most `level` deep. */
export interface Ref {
  index: number;
  count: number;
  level: number;
}

/** What a template's nodes cost before its values are known. */
export interface Shape {
  weight: number;
  depth: number;
  refs: Ref[];
}

/** The values of one template instance: descriptors read eagerly, each value decoded on first use. */
export class Substitutions {
  private decoded: (Decoded | undefined)[] | undefined;
  /** Parsed BinXML values (type 0x21), filled in by the resolver the first time each is needed. */
  nested: (Node[] | undefined)[] | undefined;

  constructor(
    readonly ctx: ChunkContext,
    /** Chunk-relative offset of the descriptors: per value a u16 size, a u8 type and a pad byte. */
    readonly descriptors: number,
    /** Chunk-relative offset of each value. */
    readonly offsets: readonly number[],
  ) {}

  get length(): number {
    return this.offsets.length;
  }

  /** Type of value `i`; a substitution past the end of the list is treated as NULL. */
  type(i: number): number {
    return i < this.offsets.length ? this.ctx.buf[this.descriptors + 4 * i + 2]! : VT.Null;
  }

  size(i: number): number {
    const b = this.ctx.buf;
    const d = this.descriptors + 4 * i;
    return b[d]! | (b[d + 1]! << 8);
  }

  /** Decoded value `i` (never for BinXML values, which the resolver parses as tokens). */
  value(i: number): Decoded {
    if (i >= this.offsets.length) return null;
    const cache = (this.decoded ??= new Array<Decoded | undefined>(this.offsets.length));
    let v = cache[i];
    if (v === undefined) {
      v = decodeValue(this.ctx.buf, this.offsets[i]!, this.size(i), this.type(i));
      cache[i] = v;
    }
    return v;
  }
}

/**
 * Every node is built by this one class, so all nodes share one hidden class: the renderers read
 * `kind` on mixed nodes millions of times, and V8 keeps such reads fast only while shapes agree.
 */
class NodeShape {
  name = '';
  attrs: Attr[] = [];
  children: Node[] = [];
  jsonCache: ElemJsonCache | undefined = undefined;
  text = '';
  value: Decoded = null;
  index = 0;
  type = 0;
  optional = false;
  target = '';
  data = '';
  template: Template | undefined = undefined;
  values: Substitutions | undefined = undefined;
  constructor(readonly kind: Node['kind']) {}
}

export function elemNode(name: string, attrs: Attr[], children: Node[]): Elem {
  const n = new NodeShape('elem');
  n.name = name;
  n.attrs = attrs;
  n.children = children;
  return n as unknown as Elem;
}

export function textNode(text: string): Text {
  const n = new NodeShape('text');
  n.text = text;
  return n as unknown as Text;
}

export function valueNode(value: Decoded): Value {
  const n = new NodeShape('value');
  n.value = value;
  return n as unknown as Value;
}

export function substNode(index: number, type: number, optional: boolean): Subst {
  const n = new NodeShape('subst');
  n.index = index;
  n.type = type;
  n.optional = optional;
  return n as unknown as Subst;
}

export function piNode(target: string, data: string): PI {
  const n = new NodeShape('pi');
  n.target = target;
  n.data = data;
  return n as unknown as PI;
}

export function instanceNode(template: Template, values: Substitutions): Instance {
  const n = new NodeShape('instance');
  n.template = template;
  n.values = values;
  return n as unknown as Instance;
}
