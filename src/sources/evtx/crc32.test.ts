// Tests for the CRC-32 used by EVTX headers: the native and table versions agree with RFC 1952.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, crc32Portable } from './crc32.js';

test('crc32 of "123456789" is the RFC 1952 check value', () => {
  const data = Buffer.from('123456789');
  assert.equal(crc32(data), 0xcbf43926);
  assert.equal(crc32Portable(data), 0xcbf43926);
});

test('crc32 continues across pieces and the table version matches the native one', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
  assert.equal(crc32(data.subarray(300), crc32(data.subarray(0, 300))), crc32(data));
  assert.equal(crc32Portable(data), crc32(data));
});
