// Decodes one substitution or value-token payload of a known type and size into a Decoded value.
import { i32, u16, u32 } from '../bytes.js';
import { EvtxFormatError } from '../errors.js';
import { filetimeIso, guidString, hex32, hex64, sidSize, sidString, systemtimeIso } from './format.js';
import { ARRAY, VT, fixedSize, type Decoded, type Scalar } from './types.js';

const scratch = Buffer.allocUnsafe(512);

/**
 * UTF-16LE text in `[o, end)` without its trailing end-of-string characters. Text that is all Latin-1
 * (nearly all of it in event logs) is built as a one-byte string: V8 then concatenates, flattens and
 * encodes it to UTF-8 at half the cost of the two-byte string a UTF-16 decode makes.
 */
export function utf16(b: Buffer, o: number, end: number): string {
  if ((end - o) & 1) end--;
  while (end > o && b[end - 1] === 0 && b[end - 2] === 0) end -= 2;
  const n = (end - o) >> 1;
  if (n === 0) return '';
  if (n <= scratch.length) {
    let i = 0;
    for (; i < n; i++) {
      if (b[o + 2 * i + 1] !== 0) break;
      scratch[i] = b[o + 2 * i]!;
    }
    if (i === n) return scratch.toString('latin1', 0, n);
  }
  return b.toString('utf16le', o, end);
}

function ansi(b: Buffer, o: number, end: number): string {
  while (end > o && b[end - 1] === 0) end--;
  return b.toString('latin1', o, end);
}

function int64(b: Uint8Array, o: number, signed: boolean): number | bigint {
  const lo = u32(b, o);
  const hi = signed ? i32(b, o + 4) : u32(b, o + 4);
  // Exact as a double when the high word is small; otherwise keep every digit.
  if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** One fixed-size item at `o` (the caller checked `o + fixedSize(type) <= end`). */
function scalar(b: Buffer, o: number, type: number, size: number): Scalar {
  switch (type) {
    case VT.Int8:
      return (b[o]! << 24) >> 24;
    case VT.UInt8:
      return b[o]!;
    case VT.Int16:
      return (u16(b, o) << 16) >> 16;
    case VT.UInt16:
      return u16(b, o);
    case VT.Int32:
      return i32(b, o);
    case VT.UInt32:
      return u32(b, o);
    case VT.Int64:
      return int64(b, o, true);
    case VT.UInt64:
      return int64(b, o, false);
    case VT.Real32:
      return b.readFloatLE(o);
    case VT.Real64:
      return b.readDoubleLE(o);
    case VT.Bool:
      // Any non-zero value is true: some providers store booleans as values other than 0 and 1.
      for (let i = 0; i < size; i++) if (b[o + i] !== 0) return true;
      return false;
    case VT.Guid:
      return guidString(b, o);
    case VT.FileTime:
      return filetimeIso(u32(b, o), u32(b, o + 4));
    case VT.SysTime:
      return systemtimeIso(b, o);
    case VT.HexInt32:
      return hex32(u32(b, o));
    case VT.HexInt64:
      return hex64(u32(b, o), u32(b, o + 4));
    default:
      throw new EvtxFormatError('unsupported value type', o, 'a known value type', '0x' + type.toString(16));
  }
}

/** Splits NUL-separated UTF-16 or ANSI strings, dropping the empty item after the last separator. */
function stringArray(b: Buffer, o: number, end: number, wide: boolean): string[] {
  const text = wide ? b.toString('utf16le', o, end - ((end - o) & 1)) : b.toString('latin1', o, end);
  const items = text.split('\0');
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  return items;
}

/**
 * What `decodeValue` needs of each type: 0 any size, n > 0 a fixed size (an empty value is NULL, a
 * shorter one is damage), -1 a type it cannot decode. BinXML (0x21) is -1: it is parsed as tokens.
 */
export const MIN_SIZE = new Int8Array(256).map((_, type) => {
  if (type & ARRAY) {
    const item = type & 0x7f;
    const variable: number[] = [VT.String, VT.AnsiString, VT.Sid, VT.SizeT];
    return variable.includes(item) || fixedSize(item) > 0 ? 0 : -1;
  }
  const variable: number[] = [VT.Null, VT.String, VT.AnsiString, VT.Binary, VT.Sid, VT.SizeT];
  if (variable.includes(type) || type === VT.EvtHandle || type === VT.EvtXml) return 0;
  return fixedSize(type) || -1;
});

/**
 * The error `decodeValue` would throw for a value of `type` and `size` at `o`, or undefined when it
 * decodes: records are checked with this before they are emitted, so the scan (which decodes lazily)
 * and `evtx dump` (which decodes everything) count the same records as bad.
 */
export function valueFault(o: number, size: number, type: number): EvtxFormatError | undefined {
  const min = MIN_SIZE[type]!;
  if (min === 0 || (min > 0 && (size === 0 || size >= min || type === VT.Bool))) return undefined;
  if (min > 0) return new EvtxFormatError('value is shorter than its type', o, `${min} bytes`, `${size}`);
  const hex = '0x' + type.toString(16);
  return type & ARRAY
    ? new EvtxFormatError(
        'unsupported array item type',
        o,
        'a fixed-size type',
        '0x' + (type & 0x7f).toString(16),
      )
    : new EvtxFormatError('unsupported value type', o, 'a known value type', hex);
}

/** Decodes `size` bytes at `o` of value type `type` (never BinXML, which the caller parses as tokens). */
export function decodeValue(b: Buffer, o: number, size: number, type: number): Decoded {
  const end = o + size;
  if (end > b.length)
    throw new EvtxFormatError('value runs past the end of the chunk', o, `${size} bytes`, `${b.length - o}`);
  switch (type) {
    case VT.Null:
      return null;
    case VT.String:
      return utf16(b, o, end);
    case VT.AnsiString:
      return ansi(b, o, end);
    case VT.Binary:
      return b.toString('hex', o, end).toUpperCase();
    case VT.Sid:
      return sidString(b, o, end);
    case VT.SizeT:
      // size_t is 4 or 8 bytes, rendered like the hex integer of that width.
      return size === 4 ? hex32(u32(b, o)) : size === 8 ? hex64(u32(b, o), u32(b, o + 4)) : null;
    case VT.EvtHandle:
    case VT.EvtXml:
      return b.toString('hex', o, end).toUpperCase();
  }
  if (type & ARRAY) return decodeArray(b, o, end, type & 0x7f);
  const n = fixedSize(type);
  if (n === 0)
    throw new EvtxFormatError('unsupported value type', o, 'a known value type', '0x' + type.toString(16));
  if (size < n) {
    // Booleans have been seen stored in fewer bytes than four; anything else this short is damage.
    if (type === VT.Bool && size > 0) return scalar(b, o, type, size);
    if (size === 0) return null;
    throw new EvtxFormatError('value is shorter than its type', o, `${n} bytes`, `${size}`);
  }
  return scalar(b, o, type, n);
}

function decodeArray(b: Buffer, o: number, end: number, item: number): Scalar[] {
  if (item === VT.String) return stringArray(b, o, end, true);
  if (item === VT.AnsiString) return stringArray(b, o, end, false);
  const out: Scalar[] = [];
  if (item === VT.Sid) {
    for (let p = o; p < end;) {
      const n = sidSize(b, p, end);
      if (n === 0) break;
      out.push(sidString(b, p, end));
      p += n;
    }
    return out;
  }
  if (item === VT.SizeT) {
    // An array of size_t has no width of its own; the payload size says whether items are 4 or 8 bytes.
    const w = (end - o) % 8 === 0 ? 8 : 4;
    for (let p = o; p + w <= end; p += w)
      out.push(w === 4 ? hex32(u32(b, p)) : hex64(u32(b, p), u32(b, p + 4)));
    return out;
  }
  const n = fixedSize(item);
  if (n === 0)
    throw new EvtxFormatError(
      'unsupported array item type',
      o,
      'a fixed-size type',
      '0x' + item.toString(16),
    );
  for (let p = o; p + n <= end; p += n) out.push(scalar(b, p, item, n));
  return out;
}
