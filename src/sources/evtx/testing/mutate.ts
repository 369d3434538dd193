// Mutations of EVTX files for property tests and fuzzing: flips, cuts, zeros, inserts, hostile integers.
import fc from 'fast-check';
import { crc32 } from '../crc32.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../header.js';

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'zero'; at: number; len: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'u16'; at: number; value: number };

interface MutationPlan {
  seed: number;
  mutations: Mutation[];
  /** Recompute every chunk's CRC32s afterwards, so the damage sits in chunks that look sound. */
  fixCrcs: boolean;
}

/**
 * A place to damage: anywhere, or near where structure is (the file header, chunk headers, the first
 * records and the templates they define). Taken modulo the file's size when applied.
 */
const place = fc.oneof(
  fc.nat(),
  fc.nat({ max: 200 }),
  fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 600 })).map(([k, o]) => FILE_HEADER_SIZE + k * CHUNK_SIZE + o),
  fc
    .tuple(fc.nat({ max: 3 }), fc.nat({ max: 6000 }))
    .map(([k, o]) => FILE_HEADER_SIZE + k * CHUNK_SIZE + 512 + o),
);

/** Sizes, counts and offsets that break assumptions. */
const hostile = fc.constantFrom(
  0,
  1,
  0x1b,
  0x1c,
  0xff,
  0xffff,
  0x10000,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  0x2a2a,
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: place, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: place }),
  fc.record({
    kind: fc.constant('zero' as const),
    at: place,
    len: fc.oneof(fc.nat({ max: 64 }), fc.nat({ max: 70000 })),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: place,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: place,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  }),
  fc.record({
    kind: fc.constant('u32' as const),
    at: place,
    value: fc.oneof(hostile, fc.nat({ max: 0xffffffff })),
  }),
  fc.record({
    kind: fc.constant('u16' as const),
    at: place,
    value: fc.oneof(
      hostile.map((v) => v & 0xffff),
      fc.nat({ max: 0xffff }),
    ),
  }),
);

export const planArb = (seeds: number): fc.Arbitrary<MutationPlan> =>
  fc.record({
    seed: fc.nat({ max: seeds - 1 }),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
    fixCrcs: fc.boolean(),
  });

/** Applies the mutations in order to a copy of `data`. */
export function mutate(data: Buffer, plan: Omit<MutationPlan, 'seed'>): Buffer {
  let b = Buffer.from(data);
  for (const m of plan.mutations) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.kind) {
      case 'flip':
        b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'zero':
        b.fill(0, at, Math.min(at + m.len, b.length));
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      case 'overwrite':
        Buffer.from(m.bytes.subarray(0, b.length - at)).copy(b, at);
        break;
      case 'u32':
        if (at + 4 <= b.length) b.writeUInt32LE(m.value >>> 0, at);
        break;
      case 'u16':
        if (at + 2 <= b.length) b.writeUInt16LE(m.value & 0xffff, at);
        break;
    }
  }
  if (plan.fixCrcs) fixChunkCrcs(b);
  return b;
}

/** Recomputes both CRC32s of every full chunk that has its magic and a possible free space offset. */
function fixChunkCrcs(b: Buffer): void {
  for (let o = FILE_HEADER_SIZE; o + CHUNK_SIZE <= b.length; o += CHUNK_SIZE) {
    const c = b.subarray(o, o + CHUNK_SIZE);
    if (c.toString('latin1', 0, 8) !== 'ElfChnk\0') continue;
    const free = c.readUInt32LE(48);
    if (free >= 512 && free <= CHUNK_SIZE) c.writeUInt32LE(crc32(c.subarray(512, free)), 52);
    c.writeUInt32LE(crc32(c.subarray(128, 512), crc32(c.subarray(0, 120))), 124);
  }
}
