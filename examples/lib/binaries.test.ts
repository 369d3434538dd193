// Tests for the zip and minidump builders.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, minidump, storedZip } from './binaries.js';
import { Rng } from './rng.js';

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('a stored zip has local headers, a central directory and an end record', () => {
  const z = storedZip([{ name: 'a.txt', data: Buffer.from('hello'), mtime: Date.UTC(2021, 2, 5) }]);
  assert.equal(z.readUInt32LE(0), 0x04034b50);
  const end = z.length - 22;
  assert.equal(z.readUInt32LE(end), 0x06054b50);
  assert.equal(z.readUInt16LE(end + 10), 1);
  const cdOffset = z.readUInt32LE(end + 16);
  assert.equal(z.readUInt32LE(cdOffset), 0x02014b50);
  assert.equal(z.toString('latin1', 30, 35), 'a.txt');
  assert.equal(z.toString('latin1', 35, 40), 'hello');
});

test('a minidump starts with MDMP', () => {
  const d = minidump(new Rng(1), 4096, Date.UTC(2021, 2, 5));
  assert.equal(d.toString('latin1', 0, 4), 'MDMP');
  assert.equal(d.length, 4096);
});
