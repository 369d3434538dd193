// Encoding modifiers: base64, base64offset, utf16le/wide, utf16be, utf16 (with byte order mark).

import { ONE, hasWildcards, literal, mapStrings, normalizeParts, plainText, requireEq } from '../values.js';
import type { Modifier, Part, StrValue } from '../values.js';

function bytesOf(v: StrValue): Buffer {
  const s = plainText(v);
  return Buffer.from(s, v.bytes ? 'latin1' : 'utf8');
}

/** Encoded text of `value` when it sits 0, 1 or 2 bytes into a longer base64-encoded string. */
export function base64Offsets(value: Buffer): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const enc = Buffer.concat([Buffer.alloc(shift), value]).toString('base64');
    // Leading characters mix in the unknown preceding bytes; trailing ones the unknown following bytes.
    const start = [0, 2, 3][shift] as number;
    const endCut = [0, 3, 2][(value.length + shift) % 3] as number;
    out.push(enc.slice(start, enc.length - endCut));
  }
  return out;
}

function encoder(name: string, enc: (v: StrValue) => string[] | string): Modifier {
  return (spec) => {
    const bad = requireEq(spec, name);
    if (bad) return bad;
    return mapStrings(spec, name, (v) => {
      if (hasWildcards(v)) return `'${name}' cannot encode a value with wildcards`;
      const r = enc(v);
      if (typeof r === 'string') return r;
      return r.filter((s) => s !== '').map((s) => literal(s, { cased: true }));
    });
  };
}

function utf16(name: string, le: boolean, bom: boolean): Modifier {
  return (spec) => {
    const bad = requireEq(spec, name);
    if (bad) return bad;
    return mapStrings(spec, name, (v) => {
      if (v.parts.includes(ONE)) return `'${name}' cannot encode '?' wildcards`;
      const parts: Part[] = v.parts.map((p) => {
        if (typeof p !== 'string') return p;
        const b = Buffer.from(p, 'utf16le');
        if (!le) b.swap16();
        return b.toString('latin1');
      });
      if (bom) parts.unshift('\xff\xfe');
      return { k: 'str', parts: normalizeParts(parts), bytes: true, cased: true };
    });
  };
}

export const encodingModifiers: Record<string, Modifier> = {
  base64: encoder('base64', (v) => [bytesOf(v).toString('base64')]),
  base64offset: encoder('base64offset', (v) => base64Offsets(bytesOf(v))),
  utf16le: utf16('utf16le', true, false),
  wide: utf16('wide', true, false),
  utf16be: utf16('utf16be', false, false),
  utf16: utf16('utf16', true, true),
};
