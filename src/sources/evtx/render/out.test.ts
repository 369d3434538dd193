// Tests for the JSON byte writer: UTF-16 transcoding and escaping agree with JSON.stringify.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonOut } from './out.js';

const tricky = [
  'plain',
  'quote " and \\ backslash',
  'tab\tnew\nline\r\u0001\u001f',
  'é ü ß – “curly”',
  '𝄞 emoji 😀',
  'lone \ud800 high',
  'lone \udc00 low',
  '',
];

test('UTF-16LE text is written exactly as JSON.stringify would quote it', () => {
  for (const s of tricky) {
    const out = new JsonOut(16);
    const src = Buffer.from(s, 'utf16le');
    out.utf16(src, 0, src.length);
    assert.equal(out.toString(), JSON.stringify(s), s);
  }
});

test('JS strings and ASCII strings are quoted the same way; the buffer grows as needed', () => {
  const out = new JsonOut(4);
  for (const s of tricky) out.string(s);
  out.quotedAscii('{0000-AB}');
  out.text('null');
  assert.equal(out.toString(), tricky.map((s) => JSON.stringify(s)).join('') + '"{0000-AB}"null');
});
