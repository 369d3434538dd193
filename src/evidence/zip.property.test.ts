// Property tests for the zip reader: random bundles, then bit flips, cuts and edited header fields.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import fc from 'fast-check';
import yazl from 'yazl';
import { lossOf } from '../core/problem-codes.js';
import type { Problem } from '../core/problem.js';
import { DEFAULT_LIMITS, EvidenceError } from './types.js';
import type { EvidenceLimits } from './types.js';
import { openZip } from './zip.js';

/** Short by default; `EXHUNT_FUZZ_RUNS=5000` for a longer pass. */
const RUNS = Number(process.env.EXHUNT_FUZZ_RUNS ?? 40);
/** Generous: only there to turn a hang into a failure. */
const BUDGET_MS = 20_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'exhunt-zipfuzz-'));

interface Spec {
  name: string;
  data: Uint8Array;
  compress: boolean;
  zip64: boolean;
}

const entry: fc.Arbitrary<Spec> = fc.record({
  name: fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6}){0,2}\.(log|txt)$/),
  data: fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    // Compressible text, as logs are.
    fc.tuple(fc.string({ maxLength: 40 }), fc.nat({ max: 300 })).map(([s, n]) => Buffer.from(s.repeat(n))),
  ),
  compress: fc.boolean(),
  zip64: fc.boolean(),
});
const bundle = fc.uniqueArray(entry, { maxLength: 6, selector: (e) => e.name });

async function build(specs: Spec[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const s of specs)
    z.addBuffer(Buffer.from(s.data), s.name, { compress: s.compress, forceZip64Format: s.zip64 });
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Offsets and widths of the header fields worth lying in: flags, method, CRC, sizes, lengths, offsets, counts. */
function fields(zip: Buffer): [number, 2 | 4][] {
  const out: [number, 2 | 4][] = [];
  const each = (sig: number[], list: [number, 2 | 4][]) => {
    for (let at = zip.indexOf(Buffer.from(sig)); at >= 0; at = zip.indexOf(Buffer.from(sig), at + 1))
      for (const [o, w] of list) if (at + o + w <= zip.length) out.push([at + o, w]);
  };
  each(
    [0x50, 0x4b, 3, 4],
    [
      [6, 2],
      [8, 2],
      [14, 4],
      [18, 4],
      [22, 4],
      [26, 2],
      [28, 2],
    ],
  );
  each(
    [0x50, 0x4b, 1, 2],
    [
      [8, 2],
      [10, 2],
      [16, 4],
      [20, 4],
      [24, 4],
      [28, 2],
      [30, 2],
      [32, 2],
      [42, 4],
    ],
  );
  each(
    [0x50, 0x4b, 5, 6],
    [
      [10, 2],
      [12, 4],
      [16, 4],
      [20, 2],
    ],
  );
  each(
    [0x50, 0x4b, 6, 6],
    [
      [32, 4],
      [40, 4],
      [48, 4],
    ],
  );
  each(
    [0x50, 0x4b, 7, 8],
    [
      [4, 4],
      [8, 4],
      [12, 4],
    ],
  );
  return out;
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'cut'; at: number }
  | { kind: 'field'; pick: number; value: number; delta: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('field' as const),
    pick: fc.nat(),
    value: fc.constantFrom(0, 1, 0xffff, 0xffffffff, 0x7fffffff, -1),
    delta: fc.integer({ min: -3, max: 3 }),
  }),
);

function mutate(zip: Buffer, ms: Mutation[]): Buffer {
  let out = Buffer.from(zip);
  for (const m of ms) {
    if (out.length === 0) break;
    if (m.kind === 'flip') out[m.at % out.length]! ^= 1 << m.bit;
    else if (m.kind === 'cut') out = out.subarray(0, m.at % out.length);
    else {
      const list = fields(out);
      if (list.length === 0) continue;
      const [at, width] = list[m.pick % list.length]!;
      const max = width === 2 ? 0xffff : 0xffffffff;
      const old = width === 2 ? out.readUInt16LE(at) : out.readUInt32LE(at);
      // -1: the field's own value, nudged (an off-by-a-few lie); otherwise a value that means something.
      const v = m.value === -1 ? (old + m.delta + max + 1) % (max + 1) : Math.min(m.value, max);
      if (width === 2) out.writeUInt16LE(v, at);
      else out.writeUInt32LE(v >>> 0, at);
    }
  }
  return out;
}

let seq = 0;
/** Lists and reads every entry; anything but an EvidenceError escaping the reader fails the property. */
async function readAll(zip: Buffer, limits: EvidenceLimits) {
  const file = path.join(dir, `b${seq++}.zip`);
  writeFileSync(file, zip);
  const started = Date.now();
  const ev = await openZip(file, limits);
  const problems: Problem[] = [];
  const files = new Map<string, Buffer>();
  let inflated = 0;
  for await (const f of ev.files((p) => problems.push(p))) {
    const parts: Buffer[] = [];
    try {
      for await (const c of await ev.open(f, undefined, (p) => problems.push(p))) parts.push(c as Buffer);
    } catch (e) {
      if (!(e instanceof EvidenceError)) throw e;
      problems.push({ code: e.code, message: e.message, path: f.path, severity: 'error' });
    }
    const data = Buffer.concat(parts);
    inflated += data.length;
    files.set(f.path, data);
  }
  await ev.close();
  assert.ok(Date.now() - started < BUDGET_MS, `read within ${BUDGET_MS} ms`);
  return { files, problems, inflated, lossy: problems.filter((p) => lossOf(p.code) !== 'none') };
}

/**
 * Each original entry is read whole and unchanged unless a loss was reported: silence means fidelity. Names
 * are held to it too, except when several mutations could have changed a name alike in both of its headers
 * (nothing in the format checks names: no reader could tell).
 */
function accountedFor(specs: Spec[], r: Awaited<ReturnType<typeof readAll>>, mutations = 0): void {
  if (r.lossy.length > 0) return;
  const why = `no loss reported: ${JSON.stringify(r.problems)}`;
  const want = new Map(specs.map((s) => [s.name, Buffer.from(s.data)]));
  const hex = (m: Map<string, Buffer>) => [...m.values()].map((b) => b.toString('hex')).sort();
  assert.deepEqual(hex(r.files), hex(want), `${why}, so every entry is read unchanged`);
  if (mutations <= 1)
    assert.deepEqual([...r.files.keys()].sort(), [...want.keys()].sort(), `${why}, names too`);
}

test('property: a bundle as written reads back exactly, with no problem', async () => {
  await fc.assert(
    fc.asyncProperty(bundle, async (specs) => {
      const r = await readAll(await build(specs), DEFAULT_LIMITS);
      assert.deepEqual(r.problems, []);
      accountedFor(specs, r);
    }),
    { numRuns: RUNS },
  );
});

test('property: damaged bundles never throw or hang, and every entry is read or a loss is reported', async () => {
  await fc.assert(
    fc.asyncProperty(bundle, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (specs, ms) => {
      const r = await readAll(mutate(await build(specs), ms), DEFAULT_LIMITS);
      accountedFor(specs, r, ms.length);
    }),
    { numRuns: RUNS * 5 },
  );
});

test('property: the bytes handed out never exceed the cap, however the headers lie', async () => {
  await fc.assert(
    fc.asyncProperty(
      bundle,
      fc.array(mutation, { maxLength: 2 }),
      fc.integer({ min: 1, max: 20_000 }),
      async (specs, ms, cap) => {
        const r = await readAll(mutate(await build(specs), ms), { ...DEFAULT_LIMITS, maxTotalBytes: cap });
        assert.ok(r.inflated <= cap, `${r.inflated} bytes inflated past the cap of ${cap}`);
        accountedFor(specs, r, ms.length);
      },
    ),
    { numRuns: RUNS * 2 },
  );
});
