// Tests for hostile and damaged zip bundles: each case is built here, byte by byte, and every entry is read or reported.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { lossOf } from '../core/problem-codes.js';
import type { Problem } from '../core/problem.js';
import { DEFAULT_LIMITS, EvidenceError } from './types.js';
import type { EvidenceFile, EvidenceLimits } from './types.js';
import { openZip } from './zip.js';
import { forgeZip, overlapBomb } from './zip-forge.js';
import type { ForgeEntry } from './zip-forge.js';

async function write(buf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-zip-'));
  const p = path.join(dir, 'bundle.zip');
  await writeFile(p, buf);
  return p;
}

/** Lists and reads every entry (twice when asked), as the scan does: problems from both, thrown ones included. */
async function readBundle(zip: Buffer, limits: EvidenceLimits = DEFAULT_LIMITS, passes = 1) {
  const ev = await openZip(await write(zip), limits);
  const problems: Problem[] = [];
  const files: Record<string, string> = {};
  let inflated = 0;
  const listed = [];
  for await (const f of ev.files((p) => problems.push(p))) listed.push(f);
  for (let pass = 0; pass < passes; pass++)
    for (const f of listed) {
      const parts: Buffer[] = [];
      try {
        for await (const c of await ev.open(f, undefined, (p) => problems.push(p))) parts.push(c as Buffer);
      } catch (e) {
        assert.ok(e instanceof EvidenceError, `a read fails with an EvidenceError, not ${String(e)}`);
        problems.push({ code: e.code, message: e.message, path: f.path, severity: 'error' });
      }
      const data = Buffer.concat(parts);
      inflated += data.length;
      files[f.path] = data.toString('latin1');
    }
  await ev.close();
  return { files, problems, inflated, codes: problems.map((p) => [p.code, p.path ?? '']) };
}

const text = (s: string) => Buffer.from(s);
const entries = (...names: string[]): ForgeEntry[] =>
  names.map((n) => ({ name: n, data: text(`content of ${n}\n`) }));
const contents = (...names: string[]) => Object.fromEntries(names.map((n) => [n, `content of ${n}\n`]));

test('a well-formed forged bundle reads cleanly, with and without data descriptors', async () => {
  const plain = await readBundle(forgeZip(entries('a.log', 'b.log')).zip);
  assert.deepEqual(plain.files, contents('a.log', 'b.log'));
  assert.deepEqual(plain.problems, []);
  const desc = forgeZip(entries('a.log', 'b.log').map((e) => ({ ...e, descriptor: true })));
  const withDesc = await readBundle(desc.zip);
  assert.deepEqual(withDesc.files, contents('a.log', 'b.log'));
  assert.deepEqual(withDesc.problems, []);
});

test('an end record that declares fewer or more entries than the directory holds: every entry read, mismatch reported', async () => {
  for (const [declared, code] of [
    [1, 'zip.count-mismatch'],
    [5, 'zip.entries-missing'],
  ] as const) {
    const r = await readBundle(forgeZip(entries('a.log', 'b.log', 'c.log'), { declaredCount: declared }).zip);
    assert.deepEqual(r.files, contents('a.log', 'b.log', 'c.log'), `declared ${declared}`);
    assert.deepEqual(r.codes, [[code, '.']]);
    assert.match(r.problems[0]!.message, new RegExp(`declares ${declared} entries.*holds (only )?3`));
  }
  // More entries than declared loses nothing; fewer may mean entries removed with their data.
  assert.equal(lossOf('zip.count-mismatch'), 'none');
  assert.equal(lossOf('zip.entries-missing'), 'part');
});

test('duplicate names: both entries read, the second as #2/name, and reported', async () => {
  const zip = forgeZip([
    { name: 'logs/a.log', data: text('first') },
    { name: 'logs/a.log', data: text('second') },
    { name: '#2/logs/a.log', data: text('a real name with #2') },
  ]).zip;
  const r = await readBundle(zip);
  assert.deepEqual(r.files, {
    'logs/a.log': 'first',
    '#2/logs/a.log': 'second',
    '#2/#2/logs/a.log': 'a real name with #2',
  });
  assert.deepEqual(r.codes, [
    ['zip.duplicate-name', '#2/logs/a.log'],
    ['zip.duplicate-name', '#2/#2/logs/a.log'],
  ]);
});

test('an entry hidden from the central directory is still found, read and reported', async () => {
  const r = await readBundle(forgeZip(entries('a.log', 'hidden.log', 'c.log'), { hidden: [1] }).zip);
  assert.deepEqual(r.files, contents('a.log', 'c.log', 'hidden.log'));
  assert.deepEqual(r.codes, [['zip.orphan-entry', 'hidden.log']]);
});

test('two directory records for one local header: the second is refused as an overlap', async () => {
  const r = await readBundle(
    forgeZip(entries('a.log', 'b.log'), { aliases: [{ name: 'alias.log', target: 0 }] }).zip,
  );
  assert.deepEqual(r.files, contents('a.log', 'b.log'));
  assert.deepEqual(r.codes, [['zip.overlap', 'alias.log']]);
  assert.equal(lossOf('zip.overlap'), 'file');
});

test('the overlapping zip bomb declaring about 200 GB is refused in seconds, with nothing inflated', async () => {
  // 100 MiB of zeros deflate to about 100 KB; 2,000 entries share it.
  const kernelSize = 100 << 20;
  const kernel = deflateRawSync(Buffer.alloc(kernelSize));
  const zip = overlapBomb(kernel, undefined, 2000, kernelSize);
  assert.ok(zip.length < 1 << 20, `bundle of ${zip.length} bytes`);
  const started = Date.now();
  const r = await readBundle(zip);
  assert.ok(Date.now() - started < 20_000, 'finishes, and within 20 s');
  assert.equal(r.inflated, 0);
  assert.deepEqual(Object.keys(r.files), []);
  const count = (code: string) => r.problems.filter((p) => p.code === code).length;
  assert.equal(count('zip.overlap'), 1000); // 1,999 overlaps: the first 1,000 listed ...
  assert.match(r.problems.find((p) => p.code === 'limit.problems')!.message, /999 more zip.overlap/);
  assert.equal(count('zip.ratio'), 1); // ... and the outermost entry, which owns the bytes, is a bomb itself
});

test('the overlapping zip bomb within the ratio cap: only the entry that owns the bytes is read', async () => {
  // Incompressible data, so each entry's ratio is about 1:1 and only the overlap check stands in the way.
  const kernelOut = randomBytes(256 << 10);
  const zip = overlapBomb(deflateRawSync(kernelOut), kernelOut, 300, kernelOut.length);
  const r = await readBundle(zip);
  // Read whole, the 300 entries would inflate to about 80 MB; one is.
  assert.deepEqual(Object.keys(r.files), ['f000000.log']);
  assert.ok(r.inflated < kernelOut.length + 300 * 50, `inflated ${r.inflated}`);
  assert.equal(r.problems.filter((p) => p.code === 'zip.overlap').length, 299);
  assert.ok(!r.problems.some((p) => p.code === 'zip.crc-mismatch'), 'the one entry read is intact');
});

test('a CRC-32 that does not match the bytes read is reported as damage on that entry', async () => {
  const r = await readBundle(
    forgeZip([
      { name: 'good.log', data: text('good') },
      { name: 'bad.log', data: text('tampered'), method: 0, crc32: 0x12345678 },
    ]).zip,
  );
  assert.deepEqual(r.files, { 'good.log': 'good', 'bad.log': 'tampered' });
  assert.deepEqual(r.codes, [['zip.crc-mismatch', 'bad.log']]);
  assert.match(r.problems[0]!.message, /0x12345678/);
});

test('a header that declares less than the data inflates to: reading stops at the declared size and says so', async () => {
  const data = text('x'.repeat(10_000));
  const r = await readBundle(forgeZip([{ name: 'liar.log', data, size: 100 }]).zip);
  assert.equal(r.files['liar.log']!.length, 100);
  assert.deepEqual(r.codes, [['zip.size-mismatch', 'liar.log']]);
  assert.match(r.problems[0]!.message, /past its declared size of 100/);
});

test('a header that declares more than there is: all of it read, the shortfall reported', async () => {
  const r = await readBundle(forgeZip([{ name: 'short.log', data: text('only this'), size: 5000 }]).zip);
  assert.equal(r.files['short.log'], 'only this');
  assert.deepEqual(r.codes, [['zip.size-mismatch', 'short.log']]);
  assert.equal(r.problems[0]!.bytes, 5000 - 9);
});

test("data hidden after the end of an entry's deflate stream is reported", async () => {
  const raw = Buffer.concat([deflateRawSync(text('visible')), text('HIDDEN PAYLOAD')]);
  const r = await readBundle(forgeZip([{ name: 'a.log', data: text('visible'), raw }]).zip);
  assert.equal(r.files['a.log'], 'visible');
  assert.deepEqual(r.codes, [['zip.unaccounted-bytes', 'a.log']]);
  assert.equal(r.problems[0]!.bytes, 14);
});

test('damaged deflate data stops that entry with a located problem; the others are read', async () => {
  const raw = Buffer.from('this is not deflate data at all, not even close');
  const r = await readBundle(
    forgeZip([
      { name: 'broken.log', data: text('lost'), raw },
      { name: 'ok.log', data: text('fine') },
    ]).zip,
  );
  assert.equal(r.files['ok.log'], 'fine');
  assert.deepEqual(r.codes, [['zip.damaged', 'broken.log']]);
});

test('a local header that disagrees with the central directory is reported', async () => {
  const r = await readBundle(
    forgeZip([
      { name: 'a.log', data: text('a'), localName: 'x.log' },
      { name: 'b.log', data: text('b'), method: 0, localMethod: 8 },
    ]).zip,
  );
  assert.deepEqual(r.files, { 'a.log': 'a', 'b.log': 'b' });
  assert.deepEqual(r.codes, [
    ['zip.local-mismatch', 'a.log'],
    ['zip.local-mismatch', 'b.log'],
  ]);
  assert.match(r.problems[0]!.message, /local name "x.log"/);
  assert.match(r.problems[1]!.message, /compression method 8, central 0/);
});

test('a truncated bundle: entries before the cut are recovered, the cut is reported, nothing throws', async () => {
  const big = randomBytes(50_000);
  const whole = forgeZip([
    { name: 'a.log', data: text('first entry') },
    { name: 'b.log', data: text('second entry') },
    { name: 'c.bin', data: big, method: 0 },
  ]);
  const cut = whole.zip.subarray(0, whole.headers[2]! + 30 + 5 + 20_000);
  const r = await readBundle(cut);
  assert.deepEqual(r.files, { 'a.log': 'first entry', 'b.log': 'second entry' });
  assert.deepEqual(r.codes, [
    ['zip.no-end-record', '.'],
    ['zip.unaccounted-bytes', '.'],
  ]);
  assert.equal(r.problems[1]!.offset, whole.headers[2]);
  assert.equal(r.problems[1]!.bytes, cut.length - whole.headers[2]!);
  assert.equal(lossOf('zip.unaccounted-bytes'), 'part');
});

test('a bundle cut inside its central directory: every entry recovered from its local header', async () => {
  const whole = forgeZip(entries('a.log', 'b.log', 'c.log'));
  const r = await readBundle(whole.zip.subarray(0, whole.cdOffset + 60));
  assert.deepEqual(r.files, contents('a.log', 'b.log', 'c.log'));
  assert.deepEqual(r.codes, [
    ['zip.no-end-record', '.'],
    ['zip.unaccounted-bytes', '.'],
  ]);
});

test('an entry declaring 250 GB is refused at once, by ratio or because its data would lie past the end', async () => {
  const base = { name: 'huge.log', data: text('tiny') };
  const started = Date.now();
  const byRatio = await readBundle(forgeZip([{ ...base, size: 0xfffffffe }]).zip);
  assert.deepEqual(byRatio.codes, [['zip.ratio', 'huge.log']]);
  const zip64 = await yazlZip([['huge.log', text('tiny')]]);
  // ZIP64 sizes: the uncompressed size in the central directory's extra field becomes 250 GB.
  let at = zip64.lastIndexOf(Buffer.from('huge.log')) + 8;
  while (zip64.readUInt16LE(at) !== 0x0001) at += 4 + zip64.readUInt16LE(at + 2); // to the ZIP64 field
  zip64.writeUInt32LE((250e9 % 2 ** 32) >>> 0, at + 4);
  zip64.writeUInt32LE(Math.floor(250e9 / 2 ** 32), at + 8);
  const declared = await readBundle(zip64);
  assert.equal(declared.codes[0]?.[0], 'zip.ratio');
  assert.match(declared.problems[0]!.message, /ratio/);
  const past = await readBundle(forgeZip([{ ...base, compressedSize: 0xfffffff0, size: 0xfffffff0 }]).zip);
  assert.deepEqual(past.codes, [['zip.truncated', 'huge.log']]);
  assert.equal(Object.keys(past.files).length, 0);
  assert.ok(Date.now() - started < 20_000, 'finishes, and within 20 s');
});

test('the cap on bytes actually inflated holds across reads, and says so when hit', async () => {
  const r = await readBundle(
    forgeZip(entries('a.log', 'b.log')).zip,
    { ...DEFAULT_LIMITS, maxTotalBytes: 40 },
    2,
  );
  // Listing allows 2 x 19 declared bytes; reading them twice would inflate 76.
  assert.ok(r.inflated <= 40, `inflated ${r.inflated}`);
  assert.ok(r.codes.some(([c]) => c === 'limit.zip-inflated'));
});

test('unsupported methods and data in a folder entry are refused by name; bytes that are no zip are reported', async () => {
  const r = await readBundle(
    forgeZip([
      { name: 'big.log', data: text('deflate64'), method: 9, raw: text('xxxx') },
      { name: 'dir/', data: text('data in a folder entry') },
      { name: 'ok.log', data: text('ok') },
    ]).zip,
  );
  assert.deepEqual(r.files, { 'ok.log': 'ok' });
  assert.deepEqual(r.codes, [
    ['zip.unsupported-method', 'big.log'],
    ['zip.bad-entry', 'dir/'],
  ]);
  assert.match(r.problems[0]!.message, /Deflate64/);
  for (const junk of [Buffer.alloc(0), text('not a zip at all'), randomBytes(100_000)]) {
    const j = await readBundle(junk);
    assert.deepEqual(Object.keys(j.files), []);
    assert.equal(j.codes[0]?.[0], 'zip.no-end-record');
  }
});

async function yazlZip(list: [string, Buffer][]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of list) z.addBuffer(data, name, { forceZip64Format: true });
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

test('a reader that takes no problems gets the damage as an error after the last byte; a head read checks nothing', async () => {
  const file = await write(forgeZip([{ name: 'bad.log', data: text('tampered'), method: 0, crc32: 7 }]).zip);
  const ev = await openZip(file);
  const listed: EvidenceFile[] = [];
  for await (const x of ev.files(() => {})) listed.push(x);
  const f = listed[0];
  const parts: Buffer[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of await ev.open(f!)) parts.push(c as Buffer);
    })(),
    (e: unknown) => e instanceof EvidenceError && e.code === 'zip.crc-mismatch',
  );
  assert.equal(Buffer.concat(parts).toString(), 'tampered');
  const heard: Problem[] = [];
  for await (const _ of await ev.open(f!, 4, (p) => heard.push(p)));
  assert.deepEqual(heard, []);
  await ev.close();
});

test('reading a bundle leaves its access time alone, and says so', async (t) => {
  const file = await write(forgeZip(entries('a.log')).zip);
  const past = new Date('2001-01-01T00:00:00Z');
  const reset = () => utimesSync(file, past, new Date('2002-01-01T00:00:00Z'));
  reset();
  readFileSync(file);
  if (statSync(file).atimeMs === past.getTime())
    return t.skip('this mount never updates access times (noatime)');
  reset();
  const ev = await openZip(file);
  for await (const f of ev.files(() => {})) for await (const _ of await ev.open(f));
  assert.equal(statSync(file).atimeMs, past.getTime(), 'access time unchanged');
  assert.equal(ev.readMode().noatime, process.platform === 'linux' ? 'used' : 'not-supported');
  await ev.close();
});

test('past the entry limit, the rest of the directory is one reported loss', async () => {
  const r = await readBundle(forgeZip(entries('a.log', 'b.log', 'c.log')).zip, {
    ...DEFAULT_LIMITS,
    maxEntries: 2,
  });
  assert.deepEqual(r.files, contents('a.log', 'b.log'));
  assert.deepEqual(r.codes, [['zip.too-many-entries', '.']]);
  assert.match(r.problems[0]!.message, /limit of 2 reached: 1 more/);
});
