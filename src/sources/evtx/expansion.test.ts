// Records that would expand exponentially or nest thousands deep: capped, reported, and reading goes on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_EVTX_LIMITS, type EvtxLimits } from './limits.js';
import { renderJson } from './render/json.js';
import { readChunk } from './read-chunk.js';
import { ChunkBuilder, fileHeader, utf16z, type TNode, type TValue } from './testing/build.js';
import { dumpPath, scanPath, sorted } from './testing/both.js';

/** A generous bound, only to turn a hang into a failure. */
const HANG = { timeout: 60_000 };

const GOOD: TNode = {
  el: 'Event',
  kids: [{ el: 'System', kids: [{ el: 'EventID', kids: [{ sub: 0, type: 0x06 }] }] }],
};
const good = (c: ChunkBuilder, id: number): number =>
  c.record(id, 'good', GOOD, [{ type: 0x06, bytes: Buffer.from([id, 0]) }]);

/** Template `key` whose root uses value 0 (nested BinXML) `fan` times. */
const fanOut = (fan: number): TNode => ({
  el: 'E',
  kids: Array.from({ length: fan }, () => ({ sub: 0, type: 0x21 })),
});

/** Value 0 nested `levels` deep, each level instantiating the fan-out template again. */
function nestedChain(key: string, root: TNode, levels: number): TValue {
  let v: TValue = { type: 0x01, bytes: utf16z('x') };
  for (let i = 0; i < levels; i++) v = { nested: [key, root, [v]] };
  return v;
}

/** Both paths on a one-chunk file; they must agree, and the records listed must be the good ones. */
async function check(c: ChunkBuilder, limits?: EvtxLimits) {
  const data = Buffer.concat([fileHeader(1), c.finish()]);
  const scan = scanPath(data, data.length, limits);
  const dump = await dumpPath(data, limits ? { limits } : {});
  assert.deepEqual(dump.json, scan.json);
  assert.equal(dump.badRecords, scan.badRecords);
  assert.deepEqual(sorted(dump.problems), sorted(scan.problems));
  const out = scan.json.reduce((n, l) => n + l.length, 0);
  return { data, scan, dump, out };
}

test('BinXML values that instantiate their own template 16 times per level are capped', HANG, async () => {
  const c = new ChunkBuilder();
  good(c, 1);
  const root = fanOut(16);
  // 16^10 leaves (about 10^12) from a few hundred bytes.
  const at = c.record(2, 'fan', root, [nestedChain('fan', root, 9)]);
  good(c, 3);
  const { data, scan, out } = await check(c);
  const used = data.readUInt32LE(4096 + 48) - 512;
  assert.ok(used < 2000, `the three records take ${used} bytes`);
  assert.equal(scan.json.length, 2, 'the records around it are read');
  assert.deepEqual(
    scan.raw.filter((p) => p.severity === 'error').map((p) => [p.code, p.line, p.offset]),
    [['limit.evtx-expansion', 2, 4096 + at]],
  );
  assert.equal(scan.badRecords, 1);
  assert.ok(out < 1 << 20, `output stays small (${out} bytes)`);
});

test('templates holding instances of templates (4 per level, 20 levels) are capped', HANG, async () => {
  const c = new ChunkBuilder();
  let t: TNode = { el: 'L0', kids: ['x'] };
  for (let k = 1; k <= 20; k++) {
    const inner: TNode = t;
    t = {
      el: `L${k}`,
      kids: Array.from({ length: 4 }, () => ({
        inst: [`T${k - 1}`, inner, []] as [string, TNode, TValue[]],
      })),
    };
  }
  const at = c.record(1, 'T20', t, []);
  good(c, 2);
  const { scan } = await check(c);
  assert.equal(scan.json.length, 1);
  assert.deepEqual(
    scan.raw.filter((p) => p.severity === 'error').map((p) => [p.code, p.line, p.offset]),
    [['limit.evtx-expansion', 1, 4096 + at]],
  );
});

test('elements nested 5000 deep are a depth limit, found while parsing', HANG, async () => {
  const c = new ChunkBuilder();
  good(c, 1);
  const at = c.rawRecord(2, (offset) => {
    const parts: Buffer[] = [Buffer.from([0x0f, 0x01, 0x01, 0x00])];
    let pos = offset + 4;
    let nameAt = 0;
    for (let i = 0; i < 5000; i++) {
      const head = Buffer.alloc(9);
      head[0] = 0x01;
      if (i === 0) {
        // The first element stores its name inline, right after the head; the others refer to it.
        nameAt = pos + 9;
        head.writeUInt32LE(nameAt, 5);
        const name = Buffer.alloc(12);
        name.writeUInt16LE(1, 6);
        name.write('a\0', 8, 'utf16le');
        parts.push(head, name, Buffer.from([0x02]));
        pos += 9 + 12 + 1;
      } else {
        head.writeUInt32LE(nameAt, 5);
        parts.push(head, Buffer.from([0x02]));
        pos += 10;
      }
    }
    parts.push(Buffer.alloc(5000, 0x04), Buffer.from([0x00]));
    return Buffer.concat(parts);
  });
  good(c, 3);
  const { scan } = await check(c);
  assert.equal(scan.json.length, 2);
  const p = scan.raw.find((x) => x.severity === 'error')!;
  assert.deepEqual([p.code, p.line, p.offset], ['limit.evtx-depth', 2, 4096 + at]);
  assert.match(p.message, new RegExp(`expected at most ${DEFAULT_EVTX_LIMITS.maxDepth} levels`));
});

test('templates nesting templates 500 deep are a depth limit, not a stack overflow', HANG, async () => {
  const c = new ChunkBuilder();
  let t: TNode = { el: 'leaf', kids: ['x'] };
  for (let k = 1; k <= 500; k++) t = { el: 'n', kids: [{ inst: [`D${k - 1}`, t, []] }] };
  const at = c.record(1, 'D500', t, []);
  good(c, 2);
  const { scan } = await check(c);
  assert.equal(scan.json.length, 1);
  assert.deepEqual(
    scan.raw.filter((p) => p.severity === 'error').map((p) => [p.code, p.line, p.offset]),
    [['limit.evtx-depth', 1, 4096 + at]],
  );
});

test('a template that contains an instance of itself is a located bad record', HANG, async () => {
  const c = new ChunkBuilder();
  const self: TNode = { el: 'S', kids: [] };
  (self.kids as TNode[]).push({ inst: ['self', self, []] });
  const at = c.record(1, 'self', self, []);
  good(c, 2);
  const { scan } = await check(c);
  assert.equal(scan.json.length, 1);
  const p = scan.raw.find((x) => x.severity === 'error')!;
  assert.deepEqual([p.code, p.line, p.offset], ['evtx.bad-record', 1, 4096 + at]);
  assert.match(p.message, /template definition uses itself/);
});

test('the caps are settable: a record within them renders alike through both renderers', HANG, async () => {
  const c = new ChunkBuilder();
  const root = fanOut(4);
  // The record's own instance fans out too: 4^5 = 1024 leaves.
  c.record(1, 'fan', root, [nestedChain('fan', root, 4)]);
  const chunk = c.finish();
  // Within the default caps: emitted, and the JSON written straight equals the tree rendered.
  const [e] = readChunk(chunk, 4096, []).events;
  assert.ok(e);
  assert.equal(e.json(), renderJson(e.tree()));
  assert.equal((e.json().match(/x/g) ?? []).length, 1024, 'every leaf rendered');
  // With a small record cap the same record is over it.
  const small = { ...DEFAULT_EVTX_LIMITS, maxRecordBytes: 2000 };
  const { scan } = await check(c, small);
  assert.deepEqual(
    scan.raw.map((p) => p.code),
    ['limit.evtx-expansion'],
  );
});

test('the chunk cap stops records once the chunk as a whole has expanded too far', HANG, async () => {
  const c = new ChunkBuilder();
  const root = fanOut(4);
  for (let id = 1; id <= 10; id++) c.record(id, 'fan', root, [nestedChain('fan', root, 4)]);
  const events = readChunk(c.finish(), 4096, []).events;
  assert.equal(events.length, 10, 'all ten fit the default caps');
  // Room for three and a half of them: the first three are read, the other seven are over the cap.
  const each = events[0]!.expandedBytes;
  const { scan } = await check(c, { ...DEFAULT_EVTX_LIMITS, maxChunkBytes: Math.floor(3.5 * each) });
  assert.equal(scan.json.length, 3);
  const over = scan.raw.filter((p) => p.code === 'limit.evtx-expansion');
  assert.deepEqual(
    over.map((p) => p.line),
    [4, 5, 6, 7, 8, 9, 10],
  );
  assert.match(over[0]!.message, /chunk size cap/);
});
