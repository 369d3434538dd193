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
