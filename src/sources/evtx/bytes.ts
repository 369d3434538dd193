// Little-endian integer readers over byte arrays; callers check bounds first (see `need`).

export function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
}

export function i32(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
}

/** A u64 as a JS number: exact below 2^53, which every record id and offset in an EVTX file is. */
export function u64n(b: Uint8Array, o: number): number {
  return u32(b, o + 4) * 0x100000000 + u32(b, o);
}

/** True when every byte in `[start, end)` is zero (unused chunks and slack space). */
export function allZero(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}
