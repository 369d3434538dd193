// Tests for the PE version reader on small PE images built here, byte by byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headers, resources } from './pe-fixture.js';
import { readPeFileVersion, type ReadAt } from './pe-version.js';

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
