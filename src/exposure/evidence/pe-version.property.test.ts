// Property tests for the PE version reader: any version read back exactly, and mutated images never throw or hang.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { peImage } from './pe-fixture.js';
import { readPeFileVersion } from './pe-version.js';
import type { PeVersionResult, ReadAt } from './pe-version.js';

/** Short by default; `EXHUNT_FUZZ_RUNS=5000` for a longer pass. */
const RUNS = Number(process.env.EXHUNT_FUZZ_RUNS ?? 200);
const BUDGET_MS = 10_000;

const quad = fc.tuple(fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffff));
const magic = fc.constantFrom(0x10b, 0x20b);

/** Reads from a buffer, counting what was asked so that a walk that never ends shows. */
async function read(buf: Buffer): Promise<{ r: PeVersionResult; bytes: number }> {
  let bytes = 0;
  const at: ReadAt = (offset, length) => {
    bytes += Math.max(0, length);
    return Promise.resolve(buf.subarray(Math.max(0, offset), Math.max(0, offset + length)));
  };
  const started = Date.now();
  const r = await readPeFileVersion(at, buf.length);
  assert.ok(Date.now() - started < BUDGET_MS, `answered within ${BUDGET_MS} ms`);
  return { r, bytes };
}

test('property: whatever versions the resource holds are read back exactly', async () => {
  await fc.assert(
    fc.asyncProperty(quad, quad, magic, async (file, product, m) => {
      const { r } = await read(peImage(file, product, m));
      assert.deepEqual(r, { ok: true, fileVersion: file.join('.'), productVersion: product.join('.') });
    }),
    { numRuns: RUNS },
  );
});

type Edit = { at: number; value: number; width: 1 | 2 | 4 } | { cut: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    at: fc.nat(0x2ff),
    value: fc.oneof(fc.nat(0xff), fc.constantFrom(0, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff)),
    width: fc.constantFrom(1 as const, 2 as const, 4 as const),
  }),
  fc.record({ cut: fc.nat(0x2ff) }),
);

test('property: mutated images give a result or an error value, never a throw, and read a bounded amount', async () => {
  await fc.assert(
    fc.asyncProperty(quad, magic, fc.array(edit, { minLength: 1, maxLength: 6 }), async (v, m, edits) => {
      let buf = Buffer.from(peImage(v, v, m));
      for (const e of edits) {
        if ('cut' in e) buf = buf.subarray(0, e.cut);
        else if (e.at + e.width <= buf.length) buf.writeUIntLE(e.value % 2 ** (8 * e.width), e.at, e.width);
      }
      const { r, bytes } = await read(buf);
      if (r.ok) assert.match(r.fileVersion, /^\d+\.\d+\.\d+\.\d+$/);
      // The reader's own words, not a bounds error from Node that its catch-all happened to stop.
      else assert.doesNotMatch(r.error, /out of range|outside buffer bounds|ERR_|undefined/);
      // The reader's own caps: headers, 96 sections, 3 directory levels of 4,096 entries, 64 KiB of resource.
      assert.ok(bytes < 1 << 20, `read ${bytes} bytes of a ${buf.length}-byte file`);
    }),
    { numRuns: RUNS * 5 },
  );
});

test('property: random bytes behind an MZ header never throw', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 2, maxLength: 2048 }), async (bytes) => {
      const buf = Buffer.from(bytes);
      buf.write('MZ', 0, 'latin1');
      const { r } = await read(buf);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: RUNS },
  );
});
