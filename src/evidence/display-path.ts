// File names as bytes ↔ display paths: one-to-one, so two files never share a name and each opens by its own bytes.

/**
 * The rule: a name is read as UTF-8; every byte that does not belong to a well-formed UTF-8 sequence (a
 * stray continuation byte, a cut-off or overlong sequence, an encoded surrogate, anything above U+10FFFF)
 * is shown as `\xNN` (two lower-case hex digits), and a literal backslash as `\\`. Every other character
 * stands for itself. Windows names cannot hold a backslash, so on evidence from Windows the escape shows
 * only where bytes were not UTF-8; the backslash is escaped anyway so that `a\xff` (one byte 0xFF) and a
 * name spelt `a\xff` (four characters) stay apart.
 */
export function displayName(raw: Uint8Array): string {
  let out = '';
  let plainFrom = 0;
  const flush = (to: number) => {
    if (to > plainFrom) out += Buffer.from(raw.buffer, raw.byteOffset + plainFrom, to - plainFrom).toString();
  };
  for (let i = 0; i < raw.length;) {
    const b = raw[i]!;
    if (b === 0x5c) {
      flush(i);
      out += '\\\\';
      plainFrom = ++i;
      continue;
    }
    const n = b < 0x80 ? 1 : sequenceLength(raw, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    out += `\\x${b.toString(16).padStart(2, '0')}`;
    plainFrom = ++i;
  }
  flush(raw.length);
  return out;
}

/** The bytes a display path stands for; undefined when it is not one `displayName` could have made. */
export function rawName(display: string): Buffer | undefined {
  const parts: Buffer[] = [];
  let plainFrom = 0;
  for (let i = 0; i < display.length;) {
    if (display[i] !== '\\') {
      i++;
      continue;
    }
    parts.push(Buffer.from(display.slice(plainFrom, i)));
    if (display[i + 1] === '\\') {
      parts.push(Buffer.from([0x5c]));
      i += 2;
    } else if (display[i + 1] === 'x' && /^[0-9a-f]{2}$/.test(display.slice(i + 2, i + 4))) {
      parts.push(Buffer.from([parseInt(display.slice(i + 2, i + 4), 16)]));
      i += 4;
    } else return undefined;
    plainFrom = i;
  }
  parts.push(Buffer.from(display.slice(plainFrom)));
  return Buffer.concat(parts);
}

/** Length of the well-formed UTF-8 sequence (2 to 4 bytes) that starts at `i`, or 0 when there is none. */
function sequenceLength(raw: Uint8Array, i: number): number {
  const b = raw[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const c = raw[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  // Table 3-7 of the Unicode standard: the only well-formed byte sequences.
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
