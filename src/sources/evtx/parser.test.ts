// Tests for the push parser: any slicing of the input, damaged chunks and records, stale headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Problem } from '../../core/problem.js';
import type { LogRecord } from '../../core/record.js';
import { crc32 } from './crc32.js';
import { EvtxParser } from './parser.js';
import { fileHeader } from './testing/build.js';
import { fixtureChunk, fixtureFile } from './testing/fixture.js';

function parse(data: Buffer, piece = data.length): { records: LogRecord[]; problems: Problem[] } {
  const records: LogRecord[] = [];
  const problems: Problem[] = [];
  const p = new EvtxParser(
    { path: 'logs/Security.evtx' },
    { record: (r) => records.push(r), problem: (x) => problems.push(x) },
  );
  for (let i = 0; i < data.length; i += piece) p.push(data.subarray(i, i + piece));
  p.end();
  return { records, problems };
}

const ids = (rs: LogRecord[]): number[] => rs.map((r) => r.line);

test('the same records come out whatever the size of the pieces pushed', () => {
  const file = fixtureFile();
  const whole = parse(file);
  assert.deepEqual(ids(whole.records), [101, 102, 103, 104]);
  assert.deepEqual(whole.problems, []);
  for (const piece of [1, 7, 4096, 65537])
    assert.deepEqual(ids(parse(file, piece).records), [101, 102, 103, 104]);
});

test('chunks past the header chunk count are read, and zeroed chunks are skipped silently', () => {
  const chunk = fixtureChunk().finish();
  const file = Buffer.concat([fileHeader(1), chunk, Buffer.alloc(65536), chunk]);
  const r = parse(file);
  assert.equal(r.records.length, 8);
  assert.deepEqual(r.problems, []);
});

test('a chunk with a bad magic is reported with its offset; its records are searched for, and the next chunk read', () => {
  const bad = Buffer.from(fixtureChunk().finish());
  bad.write('XXXXXXXX', 0, 'latin1');
  const r = parse(Buffer.concat([fileHeader(2), bad, fixtureChunk().finish()]));
  // Only the magic is broken: the records sit at their chunk offsets and decode.
  assert.equal(r.records.length, 8);
  const p = r.problems.find((x) => x.code === 'evtx.bad-chunk-magic');
  assert.ok(p, 'bad chunk magic reported');
  assert.equal(p.offset, 4096);
  assert.equal(p.path, 'logs/Security.evtx');
  assert.match(p.message, /expected 456c6643686e6b00.*found 5858585858585858/);
});

test('bad checksums are warnings: the records are still checked one by one and read', () => {
  const chunk = Buffer.from(fixtureChunk().finish());
  chunk.writeUInt32LE(0xdeadbeef, 124);
  chunk.writeUInt32LE(0xdeadbeef, 52);
  const r = parse(Buffer.concat([fileHeader(1), chunk]));
  assert.equal(r.records.length, 4);
  assert.deepEqual(r.problems.map((p) => [p.code, p.severity]).sort(), [
    ['evtx.bad-chunk-checksum', 'warning'],
    ['evtx.bad-records-checksum', 'warning'],
  ]);
});

test('a damaged record is reported at its file offset and the records after it are found again', () => {
  const chunk = Buffer.from(fixtureChunk().finish());
  const second = 512 + chunk.readUInt32LE(512 + 4);
  chunk.write('ZZZZ', second, 'latin1'); // break the second record's magic
  chunk.writeUInt32LE(crc32(chunk.subarray(512, chunk.readUInt32LE(48))), 52);
  const r = parse(Buffer.concat([fileHeader(1), chunk]));
  assert.deepEqual(ids(r.records), [101, 103, 104]);
  const p = r.problems.find((x) => x.code === 'evtx.damaged-range');
  assert.ok(p);
  assert.equal(p.offset, 4096 + second);
  assert.equal(p.severity, 'error');
  assert.equal(p.bytes, chunk.readUInt32LE(second + 4), 'the range runs to the next record header');
  // Record numbers 1 and 3 surround the damage: record 2 is the one lost, counted as a bad record.
  const lost = r.problems.filter((x) => x.code === 'evtx.lost-record');
  assert.deepEqual(
    lost.map((x) => [x.line, x.offset, x.severity]),
    [[2, 4096 + second, 'error']],
  );
});

test('a file header with a bad CRC is a warning; a file without CRCs is not checked', () => {
  const header = fileHeader(1);
  header.writeUInt32LE(1, 124);
  const r = parse(Buffer.concat([header, fixtureChunk().finish()]));
  assert.equal(r.records.length, 4);
  assert.deepEqual(
    r.problems.map((p) => p.code),
    ['evtx.bad-file-checksum'],
  );
  const chunk = Buffer.from(fixtureChunk().finish());
  chunk.writeUInt32LE(0, 124);
  const noCrc = parse(Buffer.concat([fileHeader(1, 0x4), chunk]));
  assert.deepEqual(noCrc.problems, []);
});

test('a file cut inside a chunk yields the whole records before the cut', () => {
  const file = fixtureFile();
  const fourth = 7211; // file offset of the fourth record
  const r = parse(file.subarray(0, fourth + 100));
  assert.deepEqual(ids(r.records), [101, 102, 103]);
  assert.ok(r.problems.some((p) => p.code === 'evtx.truncated-chunk'));
  assert.deepEqual(
    parse(file.subarray(0, 100)).problems.map((p) => p.code),
    ['evtx.truncated'],
  );
});

test('data that is no chunk past the listed chunks is a warning, not damage', () => {
  const junk = Buffer.alloc(65536, 0x41);
  const r = parse(Buffer.concat([fileHeader(1), fixtureChunk().finish(), junk]));
  assert.equal(r.records.length, 4);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.severity, p.offset]),
    [['evtx.not-a-chunk', 'warning', 4096 + 65536]],
  );
});
