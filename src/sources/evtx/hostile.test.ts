// Damaged and hostile files: every loss located (inside the file) and counted alike by scan and dump.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lossOf } from '../../core/problem-codes.js';
import { crc32 } from './crc32.js';
import { ChunkBuilder, fileHeader, u32le, type TNode } from './testing/build.js';
import { dumpPath, scanPath, sorted, type PathResult, type ScanResult } from './testing/both.js';
import { fixtureChunk } from './testing/fixture.js';

/** Runs `data` through both paths and checks that they agree on records, bad records and problems. */
async function both(data: Buffer): Promise<[ScanResult, PathResult]> {
  const scan = scanPath(data);
  const dump = await dumpPath(data);
  assert.deepEqual(dump.json, scan.json, 'both paths read the same records');
  assert.equal(dump.badRecords, scan.badRecords, 'both paths count the same bad records');
  assert.deepEqual(sorted(dump.problems), sorted(scan.problems), 'both paths report the same problems');
  for (const p of scan.problems)
    assert.ok(p.offset !== undefined && p.offset <= data.length, `${p.code} inside the file`);
  return [scan, dump];
}

/** Chunk offsets of the records of a built chunk. */
function recordOffsets(chunk: Buffer): number[] {
  const out: number[] = [];
  for (let o = 512; o < chunk.readUInt32LE(48); o += chunk.readUInt32LE(o + 4)) out.push(o);
  return out;
}

const codes = (r: PathResult, code: string) => r.problems.filter((p) => p.code === code);

test('a file cut exactly at a chunk boundary reports the missing chunks at its end (a part lost)', async () => {
  const chunk = fixtureChunk().finish();
  const data = Buffer.concat([fileHeader(3), chunk, chunk]);
  const [scan] = await both(data);
  assert.equal(scan.json.length, 8);
  assert.deepEqual(codes(scan, 'evtx.missing-chunks'), [
    { code: 'evtx.missing-chunks', offset: data.length, severity: 'error' },
  ]);
  assert.match(scan.raw.find((p) => p.code === 'evtx.missing-chunks')!.message, /expected 3, found 2/);
  assert.equal(lossOf('evtx.missing-chunks'), 'part');
  // A header alone, listing one chunk.
  const [head] = await both(fileHeader(1));
  assert.deepEqual(head.problems, [{ code: 'evtx.missing-chunks', offset: 4096, severity: 'error' }]);
});

test('a zeroed chunk the header lists is reported at its offset; the chunks around it are read', async () => {
  const chunk = fixtureChunk().finish();
  const data = Buffer.concat([fileHeader(3), chunk, Buffer.alloc(65536), chunk]);
  const [scan] = await both(data);
  assert.equal(scan.json.length, 8);
  assert.deepEqual(scan.problems, [{ code: 'evtx.zeroed-chunk', offset: 4096 + 65536, severity: 'error' }]);
  assert.equal(scan.raw[0]!.bytes, 65536);
  assert.equal(lossOf('evtx.zeroed-chunk'), 'part');
});

test('a zeroed range inside a chunk is reported with its length, its record counted as lost', async () => {
  const chunk = Buffer.from(fixtureChunk().finish());
  const [, second, third] = recordOffsets(chunk);
  chunk.fill(0, second, third);
  const [scan] = await both(Buffer.concat([fileHeader(1), chunk]));
  assert.equal(scan.json.length, 3, 'records 1, 3 and 4 still read');
  const range = scan.raw.find((p) => p.code === 'evtx.zeroed-range')!;
  assert.equal(range.offset, 4096 + second!);
  assert.equal(range.bytes, third! - second!);
  assert.deepEqual(
    scan.raw.filter((p) => p.code === 'evtx.lost-record').map((p) => [p.line, p.offset]),
    [[2, 4096 + second!]],
  );
  assert.equal(scan.badRecords, 1);
  assert.ok(scan.raw.some((p) => p.code === 'evtx.bad-records-checksum'));
});

test('zeros up to the free space offset lose the records the chunk header lists', async () => {
  const chunk = Buffer.from(fixtureChunk().finish());
  const [, , third] = recordOffsets(chunk);
  chunk.fill(0, third, chunk.readUInt32LE(48));
  const [scan] = await both(Buffer.concat([fileHeader(1), chunk]));
  assert.equal(scan.json.length, 2);
  // The header's CRC32 holds and says records 1..4: 3 and 4 are lost.
  assert.deepEqual(
    scan.raw.filter((p) => p.code === 'evtx.lost-record').map((p) => p.line),
    [3, 4],
  );
});

test('a zeroed file header is reported at offset 0 and every chunk is still read', async () => {
  const chunk = fixtureChunk().finish();
  const data = Buffer.concat([Buffer.alloc(4096), chunk, chunk]);
  const [scan] = await both(data);
  assert.equal(scan.json.length, 8);
  assert.deepEqual(scan.problems, [{ code: 'evtx.bad-file-magic', offset: 0, severity: 'error' }]);
});

test('a zeroed chunk header: the records after it are searched for and read', async () => {
  const chunk = Buffer.from(fixtureChunk().finish());
  chunk.fill(0, 0, 512);
  const [scan] = await both(Buffer.concat([fileHeader(2), chunk, fixtureChunk().finish()]));
  assert.equal(scan.json.length, 8);
  assert.deepEqual(scan.problems, [{ code: 'evtx.bad-chunk-magic', offset: 4096, severity: 'error' }]);
});

const SIMPLE: TNode = {
  el: 'Event',
  kids: [
    { el: 'System', kids: [{ el: 'EventID', kids: [{ sub: 0, type: 0x06 }] }] },
    { el: 'EventData', kids: [{ el: 'Data', attrs: [['Name', 'X']], kids: [{ sub: 1, type: 0x08 }] }] },
  ],
};
const id = (n: number) => ({ type: 0x06, bytes: Buffer.from([n, 0]) });

test('values that fail to decode in a chunk whose CRCs hold are bad records on both paths', async () => {
  const c = new ChunkBuilder();
  c.record(1, 'simple', SIMPLE, [id(1), { type: 0x08, bytes: u32le(7) }]);
  const short = c.record(2, 'simple', SIMPLE, [id(2), { type: 0x08, bytes: Buffer.from([1, 2]) }]);
  const unknown = c.record(3, 'simple', SIMPLE, [id(3), { type: 0x30, bytes: u32le(7) }]);
  // A bad value the template never uses is never decoded: not a bad record.
  c.record(4, 'simple', SIMPLE, [id(4), { type: 0x08, bytes: u32le(9) }, { type: 0x31, bytes: u32le(1) }]);
  const data = Buffer.concat([fileHeader(1), c.finish()]);
  const [scan] = await both(data);
  assert.equal(scan.json.length, 2);
  assert.equal(scan.badRecords, 2);
  const bad = scan.raw.filter((p) => p.code === 'evtx.bad-record');
  assert.deepEqual(
    bad.map((p) => [p.line, p.offset]),
    [
      [2, 4096 + short],
      [3, 4096 + unknown],
    ],
  );
  assert.match(bad[0]!.message, /value is shorter than its type/);
  assert.match(bad[1]!.message, /unsupported value type .*found 0x30/);
});

test('a record size beyond the chunk is a located damaged range, the records around it read', async () => {
  const chunk = Buffer.from(fixtureChunk().finish());
  const [, second] = recordOffsets(chunk);
  chunk.writeUInt32LE(0x7fffffff, second! + 4);
  const [scan] = await both(Buffer.concat([fileHeader(1), chunk]));
  assert.equal(scan.json.length, 3);
  const p = scan.raw.find((x) => x.code === 'evtx.damaged-range')!;
  assert.equal(p.offset, 4096 + second!);
  assert.match(p.message, /size is out of range \(found 2147483647\)/);
});

/** The fixture chunk with `patch` applied and both CRC32s recomputed, so only the patch is damage. */
function patched(patch: (chunk: Buffer, records: number[]) => void): Buffer {
  const chunk = Buffer.from(fixtureChunk().finish());
  patch(chunk, recordOffsets(chunk));
  chunk.writeUInt32LE(crc32(chunk.subarray(512, chunk.readUInt32LE(48))), 52);
  chunk.writeUInt32LE(crc32(chunk.subarray(128, 512), crc32(chunk.subarray(0, 120))), 124);
  return Buffer.concat([fileHeader(1), chunk]);
}

test('a string length beyond the chunk fails its template: located, no throw', async () => {
  const data = patched((chunk) => {
    const text = chunk.indexOf(Buffer.from('Microsoft-Windows-Security-Auditing', 'utf16le'));
    chunk.writeUInt16LE(0xffff, text - 2);
  });
  const [scan] = await both(data);
  // The first template (records 1 and 2) holds the broken text; the others are intact.
  assert.equal(scan.json.length, 2);
  const bad = scan.raw.filter((p) => p.code === 'evtx.bad-record');
  assert.deepEqual(
    bad.map((p) => p.line),
    [1, 2],
  );
  assert.match(bad[0]!.message, /value text runs past the end of its data/);
});

test('a name offset past the chunk is reported where it is read, never at the offset it claims', async () => {
  const data = patched((chunk, recs) => {
    // Record 1 defines the template inline: its first element's name offset follows token, id and size.
    const def = recs[0]! + 24 + 4 + 10;
    const element = def + 24 + 4; // after the definition header and the fragment header
    chunk.writeUInt32LE(0xfffffff0, element + 7);
  });
  const [scan] = await both(data);
  const bad = scan.raw.filter((p) => p.code === 'evtx.bad-record');
  assert.deepEqual(
    bad.map((p) => p.line),
    [1, 2],
  );
  assert.match(bad[0]!.message, /name runs past the end of the chunk at offset (\d+)/);
  const at = Number(/at offset (\d+)/.exec(bad[0]!.message)![1]);
  assert.ok(at < data.length, `the location ${at} is inside the file`);
});

test('substitution counts and value sizes beyond the record are located, without a huge allocation', async () => {
  const before = process.memoryUsage().rss;
  const data = patched((chunk, recs) => {
    // Record 2 refers to the template record 1 defined: its value count follows the 10-byte instance.
    chunk.writeUInt32LE(0x40000000, recs[1]! + 24 + 4 + 10);
    // Record 3 (its own template, defined inline): make its first value claim 65535 bytes.
    const r3 = recs[2]!;
    const defSize = chunk.readUInt32LE(r3 + 24 + 4 + 10 + 20);
    const descriptors = r3 + 24 + 4 + 10 + 24 + defSize + 4;
    chunk.writeUInt16LE(0xffff, descriptors);
  });
  const [scan] = await both(data);
  assert.equal(scan.json.length, 2);
  const bad = scan.raw.filter((p) => p.code === 'evtx.bad-record');
  assert.deepEqual(
    bad.map((p) => p.line),
    [2, 3],
  );
  assert.match(bad[0]!.message, /template value descriptors runs past the end of its data/);
  assert.match(bad[1]!.message, /template values run past the end of the data/);
  assert.ok(process.memoryUsage().rss - before < 512 << 20, 'no allocation sized by the claimed counts');
});

test('every new EVTX code is in the loss table with what it costs', () => {
  assert.equal(lossOf('evtx.zeroed-range'), 'part');
  assert.equal(lossOf('evtx.damaged-range'), 'part');
  assert.equal(lossOf('evtx.lost-record'), 'records');
  assert.equal(lossOf('limit.evtx-expansion'), 'records');
  assert.equal(lossOf('limit.evtx-depth'), 'records');
});
