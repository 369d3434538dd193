// Per-chunk decoding state: the chunk bytes and the names and templates defined inside it.
import { DEFAULT_EVTX_LIMITS } from '../limits.js';
import type { Template } from './nodes.js';

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
