// The values of one template instance: descriptors read eagerly, each value decoded on first use.
import { decodeValue } from '../values/decode.js';
import { VT, type Decoded } from '../values/types.js';
import type { ChunkContext } from './context.js';
import type { Node } from './nodes.js';

export class Substitutions {
  private decoded: (Decoded | undefined)[] | undefined;
  /** Parsed BinXML values (type 0x21), filled in by the resolver the first time each is needed. */
  nested: (Node[] | undefined)[] | undefined;

  constructor(
    readonly ctx: ChunkContext,
    /** Value type of each substitution, as the instance's descriptor says. */
    readonly types: Uint8Array,
    /** Chunk-relative offset of each value. */
    readonly offsets: Uint32Array,
    readonly sizes: Uint16Array,
  ) {}

  get length(): number {
    return this.types.length;
  }

  /** Type of value `i`; a substitution past the end of the list is treated as NULL. */
  type(i: number): number {
    return i < this.types.length ? this.types[i]! : VT.Null;
  }

  /** Decoded value `i` (never for BinXML values, which the resolver parses as tokens). */
  value(i: number): Decoded {
    if (i >= this.types.length) return null;
    const cache = (this.decoded ??= new Array<Decoded | undefined>(this.types.length));
    let v = cache[i];
    if (v === undefined) {
      v = decodeValue(this.ctx.buf, this.offsets[i]!, this.sizes[i]!, this.types[i]!);
      cache[i] = v;
    }
    return v;
  }
}
