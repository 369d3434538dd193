// Template definitions: compiled once per chunk from their offset, then shared by reference.
import { u32 } from '../bytes.js';
import { EvtxFormatError, need } from '../errors.js';
import { guidString } from '../values/format.js';
import { COMPILING, type ChunkContext, type Node, type Template } from './nodes.js';

/**
 * The definition at chunk offset `off`: next-definition offset (u32), GUID (16 bytes), data size (u32),
 * then a BinXML fragment that `compile` parses. A definition that fails to parse is remembered as
 * failed, so every record using it reports the same error without parsing it again. A definition that
 * uses itself, directly or through the templates it uses, is an error found at once (`ref` is where the
 * reference was read): template graphs stay acyclic, so every walk over them ends.
 */
export function getTemplate(
  ctx: ChunkContext,
  off: number,
  ref: number,
  compile: (start: number, end: number) => Node[],
): Template {
  let t = ctx.templates.get(off);
  if (t === COMPILING)
    throw new EvtxFormatError(
      'template definition uses itself',
      ref,
      'a template defined apart',
      `offset ${off}`,
    );
  if (t === undefined) {
    ctx.templates.set(off, COMPILING);
    try {
      const b = ctx.buf;
      if (off + 24 > b.length)
        throw new EvtxFormatError(
          'template definition runs past the end of the chunk',
          ref,
          `an offset below ${b.length - 24}`,
          `${off}`,
        );
      const size = u32(b, off + 20);
      // A real definition holds at least a fragment header and an element; zeros here are damage.
      if (size === 0)
        throw new EvtxFormatError(
          'template definition is empty',
          ref,
          'a definition',
          `0 bytes at offset ${off}`,
        );
      need(off + 24, size, b.length, 'template definition data');
      const nodes = compile(off + 24, off + 24 + size);
      t = { offset: off, guid: guidString(b, off + 4), nodes };
    } catch (e) {
      t = e instanceof Error ? e : new Error(String(e));
    }
    ctx.templates.set(off, t);
  }
  if (t instanceof EvtxFormatError) throw t;
  if (t instanceof Error) throw new EvtxFormatError(`bad template definition: ${t.message}`, ref);
  return t;
}
