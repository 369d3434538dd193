// Tests for value decoding and Windows-style rendering: times, GUIDs, SIDs, hex, booleans, arrays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EvtxFormatError } from '../errors.js';
import { decodeValue } from './decode.js';
import { filetimeIso, filetimeIsoMs, guidString, hex64, sidString, systemtimeIso } from './format.js';
import { VT } from './types.js';

const ticks = BigInt(Date.UTC(2021, 2, 3, 6, 49, 42)) * 10000n + 1623456n + 116444736000000000n;
const lo = Number(ticks & 0xffffffffn);
const hi = Number(ticks >> 32n);

test('FILETIME renders with all seven fraction digits, and to milliseconds for sorting', () => {
  assert.equal(filetimeIso(lo, hi), '2021-03-03T06:49:42.1623456Z');
  assert.equal(filetimeIsoMs(lo, hi), '2021-03-03T06:49:42.162Z');
  assert.equal(filetimeIso(0, 0), '1601-01-01T00:00:00.0000000Z');
});

test('SYSTEMTIME renders in the same form', () => {
  const b = Buffer.alloc(16);
  [2019, 7, 3, 24, 13, 4, 9, 5].forEach((n, i) => b.writeUInt16LE(n, i * 2));
  assert.equal(systemtimeIso(b, 0), '2019-07-24T13:04:09.0050000Z');
});

test('GUIDs are upper case in braces with the first three fields little-endian', () => {
  const b = Buffer.from('2596854978549449a5ba3e3b0328c30d', 'hex');
  assert.equal(guidString(b, 0), '{49859625-5478-4994-A5BA-3E3B0328C30D}');
});

test('SIDs render as S-1-..., and a cut-short SID keeps what is there', () => {
  const b = Buffer.from('010500000000000515000000aaaaaaaabbbbbbbbccccccccf4010000', 'hex');
  assert.equal(sidString(b, 0, b.length), 'S-1-5-21-2863311530-3149642683-3435973836-500');
  assert.equal(sidString(b, 0, 16), 'S-1-5-21-2863311530');
});

test('hex integers have 0x and no padding, as Windows shows them', () => {
  assert.equal(decodeValue(Buffer.from('e7030000', 'hex'), 0, 4, VT.HexInt32), '0x3e7');
  assert.equal(decodeValue(Buffer.from('0000000000002080', 'hex'), 0, 8, VT.HexInt64), '0x8020000000000000');
  assert.equal(hex64(0, 0), '0x0');
  assert.equal(decodeValue(Buffer.from('10000000', 'hex'), 0, 4, VT.SizeT), '0x10');
});

test('booleans stored as any non-zero value are true', () => {
  assert.equal(decodeValue(Buffer.from('02000000', 'hex'), 0, 4, VT.Bool), true);
  assert.equal(decodeValue(Buffer.from('00000000', 'hex'), 0, 4, VT.Bool), false);
  assert.equal(decodeValue(Buffer.from('00010000', 'hex'), 0, 4, VT.Bool), true);
});

test('strings drop their end-of-string characters; arrays split on them', () => {
  assert.equal(decodeValue(Buffer.from('ab\0\0', 'utf16le'), 0, 8, VT.String), 'ab');
  assert.deepEqual(decodeValue(Buffer.from('one\0two\0', 'utf16le'), 0, 16, VT.String | 0x80), [
    'one',
    'two',
  ]);
  assert.deepEqual(decodeValue(Buffer.from('0100000002000000', 'hex'), 0, 8, VT.UInt32 | 0x80), [1, 2]);
});

test('64-bit integers stay exact: numbers when safe, bigints beyond', () => {
  assert.equal(decodeValue(Buffer.from('ffffffff00000000', 'hex'), 0, 8, VT.UInt64), 0xffffffff);
  assert.equal(decodeValue(Buffer.from('ffffffffffffffff', 'hex'), 0, 8, VT.UInt64), 18446744073709551615n);
  assert.equal(decodeValue(Buffer.from('ffffffffffffffff', 'hex'), 0, 8, VT.Int64), -1);
});

test('binary is upper-case hex; an unknown type is a located error', () => {
  assert.equal(decodeValue(Buffer.from([0xde, 0xad]), 0, 2, VT.Binary), 'DEAD');
  assert.throws(
    () => decodeValue(Buffer.alloc(8), 4, 2, 0x30),
    (e: unknown) => e instanceof EvtxFormatError && e.offset === 4 && e.found === '0x30',
  );
  assert.throws(() => decodeValue(Buffer.alloc(8), 4, 8, VT.String), EvtxFormatError);
});
