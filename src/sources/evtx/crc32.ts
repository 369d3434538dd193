// CRC-32 (RFC 1952, initial value 0) for the file header, chunk header and event-records checksums.
import zlib from 'node:zlib';

let table: Int32Array | undefined;

function jsCrc32(data: Uint8Array, crc: number): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// zlib.crc32 is native but only exists from Node 20.15; the table version covers older 20.x releases.
const native: ((d: Uint8Array, v?: number) => number) | undefined =
  typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

/** CRC-32 of `data`, continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  return native ? native(data, crc) : jsCrc32(data, crc);
}

/** The table implementation, exported so tests can check it against the native one. */
export const crc32Portable = (data: Uint8Array, crc = 0): number => jsCrc32(data, crc);
