// Property tests of the EVTX readers on random and mutated input (EXHUNT_FUZZ_RUNS=n for a longer pass).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChunkContext } from './binxml/nodes.js';
import { measureNodes } from './binxml/measure.js';
import { BinXmlReader } from './binxml/reader.js';
import { checkChunk, walkRecords, RECORD_OVERHEAD, type ChunkIssue } from './chunk.js';
import { EvtxFormatError } from './errors.js';
import { EvtxEvent } from './event.js';
import { DEFAULT_EVTX_LIMITS, type EvtxLimits } from './limits.js';
import { readChunk, type EvtxIssue } from './read-chunk.js';
import { renderJson } from './render/json.js';
import { dumpPath, scanPath, sorted } from './testing/both.js';
import { fixtureChunk } from './testing/fixture.js';
import { mutate, mutationArb, planArb } from './testing/mutate.js';
import { seedFiles } from './testing/seeds.js';
import { decodeValue, valueFault } from './values/decode.js';

/**
 * Runs per property: short by default, since CI runs every test; a longer pass is
 * `EXHUNT_FUZZ_RUNS=2000 node --test dist/src/sources/evtx/evtx.property.test.js`, and
 * `EXHUNT_FUZZ_SEED=<seed>` replays the run fast-check printed with a failure.
 */
const RUNS = Number(process.env['EXHUNT_FUZZ_RUNS'] ?? 0);
const SEED = process.env['EXHUNT_FUZZ_SEED'];
const params = (runs: number): fc.Parameters<unknown> => ({
  numRuns: RUNS > 0 ? RUNS : runs,
  ...(SEED ? { seed: Number(SEED) } : {}),
});
/** Each property is bounded only to turn a hang into a failure, never to measure speed. */
const HANG = { timeout: 30 * 60_000 };

const seeds = seedFiles();
/** Caps small enough that mutated seeds reach them, so the bound is checked where it matters. */
const SMALL: EvtxLimits = { maxRecordBytes: 256 << 10, maxChunkBytes: 1 << 20, maxDepth: 24 };

/** The only thing a reader may throw on bad bytes is a located format error. */
function formatErrorsOnly(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EvtxFormatError)) throw e;
  }
}

/** A record that was emitted renders on both renderers, alike, as valid JSON within its bound. */
function rendersWithinBound(e: EvtxEvent, where: string): void {
  const line = e.json();
  JSON.parse(line);
  assert.equal(line, renderJson(e.tree()), `${where}: both renderers agree`);
  assert.ok(
    Buffer.byteLength(line) <= e.expandedBytes,
    `${where}: ${Buffer.byteLength(line)} > ${e.expandedBytes}`,
  );
  e.text();
  e.get('EventID');
  assert.equal(e.error, undefined, `${where}: lazy decoding failed after the record was measured`);
}

test('values: decodeValue throws exactly when valueFault says it will', HANG, () => {
  fc.assert(
    fc.property(fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 40 }), (type, bytes) => {
      fc.pre(type !== 0x21); // BinXML is parsed as tokens, never decoded as a value
      const b = Buffer.from(bytes);
      const fault = valueFault(0, b.length, type);
      let thrown: unknown;
      try {
        decodeValue(b, 0, b.length, type);
      } catch (e) {
        thrown = e;
      }
      assert.equal(
        thrown === undefined,
        fault === undefined,
        `type 0x${type.toString(16)}, ${b.length} bytes`,
      );
      if (thrown) assert.equal((thrown as Error).message, fault!.message);
    }),
    params(2000),
  );
});

test('chunk: checks and the record walk never throw, and locate everything inside the chunk', HANG, () => {
  const base = fixtureChunk().finish();
  fc.assert(
    fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 6 }), fc.boolean(), (mutations, fixCrcs) => {
      const shifted = mutations.map((m) => ({ ...m, at: m.at + 4096 })); // chunk-relative
      const file = mutate(Buffer.concat([Buffer.alloc(4096), base]), { mutations: shifted, fixCrcs });
      const chunk = file.subarray(4096, 4096 + 65536);
      const issues: ChunkIssue[] = [];
      const check = checkChunk(chunk, issues);
      if (check.header) {
        const refs = walkRecords(chunk, check.header, issues, check.headerOk);
        for (const r of refs) assert.ok(r.offset >= 512 && r.offset + r.size <= chunk.length);
      }
      for (const i of issues)
        assert.ok(i.offset >= 0 && i.offset < Math.max(chunk.length, 1), `${i.code} at ${i.offset}`);
      const lost = issues.filter((i) => i.code === 'evtx.lost-record').length;
      assert.ok(lost <= chunk.length / RECORD_OVERHEAD);
    }),
    params(300),
  );
});

test(
  'BinXML: random bytes and mutated records either parse and render, or fail with a located error',
  HANG,
  () => {
    const base = fixtureChunk().finish();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.nat({ max: 3000 }),
        fc.boolean(),
        (bytes, at, overFixture) => {
          // Over the fixture, the bytes land among real templates, names and values; else in zeros.
          const chunk = overFixture ? Buffer.from(base) : Buffer.alloc(65536);
          Buffer.from(bytes).copy(chunk, 536 + at);
          const ctx = new ChunkContext(chunk, 4096, SMALL.maxDepth);
          for (const start of [536, 536 + at]) {
            formatErrorsOnly(() => {
              const nodes = new BinXmlReader(
                ctx,
                start,
                Math.min(start + 6000, chunk.length),
              ).parseDocument();
              const budget = { maxBytes: SMALL.maxRecordBytes, maxDepth: SMALL.maxDepth, at: start };
              const m = measureNodes(ctx, nodes, budget, 0);
              const ref = {
                offset: start - 24,
                size: 6000,
                id: 1,
                writtenLo: 0,
                writtenHi: 0,
                sizeCopyOk: true,
              };
              const e = new EvtxEvent(ctx, ref, nodes);
              e.expandedBytes = m.weight;
              rendersWithinBound(e, `start ${start}`);
            });
          }
        },
      ),
      params(400),
    );
  },
);

test(
  'whole files, mutated: never a throw, every problem inside the file, records render within bounds',
  HANG,
  () => {
    fc.assert(
      fc.property(planArb(seeds.length), (plan) => {
        const seed = seeds[plan.seed]!;
        const data = mutate(seed.data, plan);
        for (const limits of [DEFAULT_EVTX_LIMITS, SMALL]) {
          const issues: EvtxIssue[] = [];
          for (let o = 4096, i = 0; o < data.length; o += 65536, i++) {
            const r = readChunk(data.subarray(o, o + 65536), o, issues, {
              verifyChecksums: true,
              index: i,
              listedChunks: undefined,
              limits,
            });
            r.events.forEach((e) => rendersWithinBound(e, `${seed.name} record ${e.ref.id}`));
          }
          const scan = scanPath(data, data.length, limits);
          for (const p of scan.problems)
            assert.ok(p.offset !== undefined && p.offset <= data.length, `${seed.name}: ${p.code}`);
        }
      }),
      params(40),
    );
  },
);

test('whole files, mutated: the scan path and evtx dump read and count the same', HANG, async () => {
  await fc.assert(
    fc.asyncProperty(planArb(seeds.length), fc.integer({ min: 1, max: 3 }), async (plan, perJob) => {
      const seed = seeds[plan.seed]!;
      const data = mutate(seed.data, plan);
      const scan = scanPath(data);
      const dump = await dumpPath(data, { chunksPerJob: perJob });
      assert.deepEqual(dump.json, scan.json, seed.name);
      assert.equal(dump.badRecords, scan.badRecords, seed.name);
      assert.deepEqual(sorted(dump.problems), sorted(scan.problems), seed.name);
    }),
    params(30),
  );
});

test('whole files, mutated: any slicing of the input gives the same records and problems', HANG, () => {
  fc.assert(
    fc.property(
      planArb(seeds.length),
      fc.oneof(
        fc.constant([1]),
        fc.array(fc.integer({ min: 1, max: 70000 }), { minLength: 1, maxLength: 20 }),
      ),
      (plan, slices) => {
        const data = mutate(seeds[plan.seed]!.data, plan);
        const whole = scanPath(data);
        // One byte at a time is slow on large seeds: cap it to the first 140 KB.
        const input = slices.length === 1 && slices[0] === 1 ? data.subarray(0, 140_000) : data;
        const ref = input === data ? whole : scanPath(input);
        const sliced = scanPath(input, slices);
        assert.deepEqual(sliced.json, ref.json);
        assert.deepEqual(sliced.raw, ref.raw);
      },
    ),
    params(20),
  );
});
