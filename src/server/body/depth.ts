// How deep a JSON text nests, found by one pass over its bytes before it is parsed: a deeply nested body
// is refused before JSON.parse (and every recursive walk after it) has to hold it.

/** Nesting allowed in any JSON body: a report nests about ten levels. */
export const MAX_JSON_DEPTH = 64;

/** The byte offset at which nesting first exceeds `max`, or -1 when it never does. */
export function depthExceeded(buf: Uint8Array, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next byte is escaped, whatever it is
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}
