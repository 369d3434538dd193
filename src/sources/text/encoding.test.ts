// Tests for encoding detection and the streaming UTF-16 to UTF-8 transcoder, against the platform's decoders.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { decodeHead, detectEncoding, Utf16ToUtf8, utf16Units } from './encoding.js';
import { params } from './testing/fuzz.js';
import { utf16 } from './testing/feed.js';

const IIS = '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n';

test('tells UTF-8 and UTF-16 apart, with a byte-order mark or from the zero bytes of ASCII text', () => {
  const cases: [Buffer, string, number][] = [
    [Buffer.from(IIS), 'utf-8', 0],
    [Buffer.from('\ufeff' + IIS), 'utf-8', 3],
    [utf16(IIS, false, true), 'utf-16le', 2],
    [utf16(IIS, true, true), 'utf-16be', 2],
    [utf16(IIS, false, false), 'utf-16le', 0],
    [utf16(IIS, true, false), 'utf-16be', 0],
    // A crash can leave NUL bytes at a file's start: that is not UTF-16.
    [Buffer.concat([Buffer.alloc(40), Buffer.from(IIS)]), 'utf-8', 0],
    [Buffer.from('2021-03-05 03:06:27 é ' + 'x'.repeat(60)), 'utf-8', 0],
  ];
  for (const [head, encoding, bom] of cases) {
    assert.deepEqual(detectEncoding(head, false), { encoding, bom }, head.subarray(0, 8).toString('hex'));
  }
});

test('waits for enough bytes unless told the input ends, and decides on a short file', () => {
  assert.equal(detectEncoding(Buffer.from('#S'), false), undefined);
  assert.deepEqual(detectEncoding(Buffer.from('#S'), true), { encoding: 'utf-8', bom: 0 });
  assert.deepEqual(detectEncoding(utf16('#So', false, false), true), { encoding: 'utf-16le', bom: 0 });
  assert.deepEqual(detectEncoding(Buffer.from([0xff, 0xfe]), false), { encoding: 'utf-16le', bom: 2 });
});

test('decodes a head in any of the encodings for sniffing', () => {
  for (const be of [false, true])
    for (const bom of [false, true]) assert.equal(decodeHead(utf16(IIS, be, bom), 8192), IIS);
  assert.equal(decodeHead(Buffer.from('\ufeff' + IIS), 8192), IIS);
});

/** Transcodes `bytes` cut into pieces of the given sizes (round and round). */
function transcode(bytes: Buffer, bigEndian: boolean, sizes: number[]): Buffer {
  const t = new Utf16ToUtf8(bigEndian);
  const parts: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes.length ? Math.max(1, sizes[k % sizes.length]!) : bytes.length;
    parts.push(Buffer.from(t.push(bytes.subarray(i, i + n))));
    i += n;
  }
  parts.push(Buffer.from(t.end()));
  return Buffer.concat(parts);
}

test('a surrogate pair or a code unit split across chunks decodes whole', () => {
  const text = 'a😀b€\u0000c';
  for (const be of [false, true]) {
    const bytes = utf16(text, be, false);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const t = new Utf16ToUtf8(be);
      const out = Buffer.concat([
        Buffer.from(t.push(bytes.subarray(0, cut))),
        Buffer.from(t.push(bytes.subarray(cut))),
        t.end(),
      ]);
      assert.equal(out.toString('utf8'), text, `cut at ${cut}`);
    }
  }
});

test('lone surrogates and a last odd byte become a byte that is never UTF-8, one per code unit', () => {
  const bytes = Buffer.concat([utf16('a\ud800b\udc00', false, false), Buffer.from([0x41])]);
  const out = transcode(bytes, false, [3]);
  assert.deepEqual([...out], [0x61, 0xc0, 0x62, 0xc0, 0xc0]);
  assert.equal(utf16Units(out, 0, out.length), 5);
});

const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 5 });

test('property: well-formed text in UTF-16 transcodes to its UTF-8, in any chunking, units counted', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.boolean(), sizes, (s, be, cut) => {
      const out = transcode(utf16(s, be, false), be, cut);
      assert.deepEqual(out, Buffer.from(s, 'utf8'));
      assert.equal(utf16Units(out, 0, out.length), s.length);
    }),
    params(200),
  );
});

test('property: any bytes transcode as the platform decoder reads them (U+FFFD per bad unit), never throwing', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: anyUnit }).map((s) => utf16(s, false, false)),
      ),
      sizes,
      (raw, cut) => {
        const bytes = Buffer.from(raw);
        const out = transcode(bytes, false, cut);
        assert.equal(out.toString('utf8'), new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes));
      },
    ),
    params(200),
  );
});
