// Template definitions: compiled once per chunk from their offset, then shared by reference.
import { u32 } from '../bytes.js';
import { EvtxFormatError, need } from '../errors.js';
import { guidString } from '../values/format.js';
import type { ChunkContext } from './context.js';
import type { Node, Template } from './nodes.js';

/**
 * The definition at chunk offset `off`: next-definition offset (u32), GUID (16 bytes), data size (u32),
 * then a BinXML fragment that `compile` parses. A definition that fails to parse is remembered as failed, so every record
 * using it reports the same error without parsing it again.
 */
export function getTemplate(
  ctx: ChunkContext,
  off: number,
  compile: (start: number, end: number) => Node[],
): Template {
  let t = ctx.templates.get(off);
  if (t === undefined) {
    try {
      const b = ctx.buf;
      need(off, 24, b.length, 'template definition');
      const size = u32(b, off + 20);
      need(off + 24, size, b.length, 'template definition data');
      const nodes = compile(off + 24, off + 24 + size);
      t = { offset: off, guid: guidString(b, off + 4), nodes };
    } catch (e) {
      t = e instanceof Error ? e : new Error(String(e));
    }
    ctx.templates.set(off, t);
  }
  if (t instanceof EvtxFormatError) throw t;
  if (t instanceof Error) throw new EvtxFormatError(`bad template definition: ${t.message}`, off);
  return t;
}
