// Tests for the PE version reader on small PE images built here, byte by byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPeFileVersion, type ReadAt } from './pe-version.js';

const RES_RVA = 0x1000;

/** Headers for a PE32+ image with one `.rsrc` section whose raw data starts at `rawPtr`. */
function headers(rawPtr: number, rawSize: number, magic = 0x20b): Buffer {
  const b = Buffer.alloc(0x200);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x40, 0x3c);
  b.write('PE\0\0', 0x40, 'latin1');
  const optSize = magic === 0x20b ? 240 : 224;
  b.writeUInt16LE(0x8664, 0x44);
  b.writeUInt16LE(1, 0x46); // one section
  b.writeUInt16LE(optSize, 0x54);
  const opt = 0x58;
  b.writeUInt16LE(magic, opt);
  const dirBase = magic === 0x20b ? 112 : 96;
  b.writeUInt32LE(16, opt + dirBase - 4);
  b.writeUInt32LE(RES_RVA, opt + dirBase + 16);
  b.writeUInt32LE(rawSize, opt + dirBase + 20);
  const sec = opt + optSize;
  b.write('.rsrc', sec, 'latin1');
  b.writeUInt32LE(rawSize, sec + 8);
  b.writeUInt32LE(RES_RVA, sec + 12);
  b.writeUInt32LE(rawSize, sec + 16);
  b.writeUInt32LE(rawPtr, sec + 20);
  return b;
}

/** A resource section: RT_VERSION → id 1 → language 0x409 → VS_VERSIONINFO with the given versions. */
function resources(file: number[], product: number[]): Buffer {
  const b = Buffer.alloc(0x100);
  const dir = (off: number, id: number, target: number) => {
    b.writeUInt16LE(1, off + 14); // one id entry
    b.writeUInt32LE(id, off + 16);
    b.writeUInt32LE(target >>> 0, off + 20);
  };
  dir(0x00, 16, 0x80000000 | 0x18);
  dir(0x18, 1, 0x80000000 | 0x30);
  dir(0x30, 0x409, 0x48);
  b.writeUInt32LE(RES_RVA + 0x58, 0x48);
  b.writeUInt32LE(92, 0x4c);
  const v = 0x58;
  b.writeUInt16LE(92, v);
  b.writeUInt16LE(52, v + 2);
  b.write('VS_VERSION_INFO\0', v + 6, 'utf16le');
  const f = v + 40; // 6 + 32 bytes of key, padded to a 4-byte boundary
  b.writeUInt32LE(0xfeef04bd, f);
  b.writeUInt32LE(0x00010000, f + 4);
  const [a = 0, c = 0, d = 0, e = 0] = file;
  b.writeUInt32LE(((a << 16) | c) >>> 0, f + 8);
  b.writeUInt32LE(((d << 16) | e) >>> 0, f + 12);
  const [pa = 0, pc = 0, pd = 0, pe = 0] = product;
  b.writeUInt32LE(((pa << 16) | pc) >>> 0, f + 16);
  b.writeUInt32LE(((pd << 16) | pe) >>> 0, f + 20);
  return b;
}

/** A sparse file: the headers at 0 and the resources far away, with every read recorded. */
function sparse(parts: [number, Buffer][], size: number) {
  const reads: [number, number][] = [];
  const read: ReadAt = async (offset, length) => {
    reads.push([offset, length]);
    const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
    for (const [at, buf] of parts) {
      const from = Math.max(offset, at);
      const to = Math.min(offset + out.length, at + buf.length);
      if (from < to) buf.copy(out, from - offset, from - at, to - at);
    }
    return out;
  };
  return { read, reads };
}

test('reads ExSetup-like file and product versions from a large file with a few small reads', async () => {
  const far = 300 * 1024 * 1024;
  const { read, reads } = sparse(
    [
      [0, headers(far, 0x100)],
      [far, resources([15, 1, 2375, 37], [15, 1, 2375, 37])],
    ],
    far + 0x100,
  );
  assert.deepEqual(await readPeFileVersion(read, far + 0x100), {
    ok: true,
    fileVersion: '15.1.2375.37',
    productVersion: '15.1.2375.37',
  });
  const total = reads.reduce((n, [, len]) => n + len, 0);
  assert.ok(total < 2048, `read ${total} bytes`);
  assert.ok(reads.length < 16);
});

test('PE32 headers and distinct product version', async () => {
  const { read } = sparse(
    [
      [0, headers(0x200, 0x100, 0x10b)],
      [0x200, resources([15, 2, 1118, 20], [15, 2, 1118, 0])],
    ],
    0x300,
  );
  const r = await readPeFileVersion(read, 0x300);
  assert.ok(r.ok);
  assert.equal(r.fileVersion, '15.2.1118.20');
  assert.equal(r.productVersion, '15.2.1118.0');
});

test('malformed files give an error value, never a throw', async () => {
  const notPe = sparse([[0, Buffer.from('hello world')]], 64);
  assert.deepEqual(await readPeFileVersion(notPe.read, 64), {
    ok: false,
    error: 'not a PE file (no MZ header)',
    offset: 0,
  });
  const truncated = sparse([[0, headers(0x200, 0x100)]], 0x200);
  const t = await readPeFileVersion(truncated.read, 0x200);
  assert.equal(t.ok, false);
  const noVersion = resources([1, 2, 3, 4], [1, 2, 3, 4]);
  noVersion.writeUInt32LE(3, 0x10); // the type entry is RT_ICON, not RT_VERSION
  const nv = sparse(
    [
      [0, headers(0x200, 0x100)],
      [0x200, noVersion],
    ],
    0x300,
  );
  const r = await readPeFileVersion(nv.read, 0x300);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /no version resource/);
  assert.equal((await readPeFileVersion(notPe.read, 10)).ok, false);
});
