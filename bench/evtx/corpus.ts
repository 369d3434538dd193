// Builds a large, valid EVTX benchmark file from real sample chunks (header patched, CRCs recomputed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from '../../src/sources/evtx/crc32.js';
import { CHUNK_SIZE, FILE_HEADER_SIZE, hasFileMagic } from '../../src/sources/evtx/header.js';
import { CHUNK_MAGIC, readChunkHeader } from '../../src/sources/evtx/chunk.js';

function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...evtxFiles(p));
    else if (e.name.toLowerCase().endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

/**
 * Chunks that are valid (magic, both CRC32s) and at least `minFill` used, from files every reference
 * tool reads to the end: a full chunk is what real logs are made of, and sparse ones would flatter
 * throughput. When `evtxexport` is installed, files it cannot export completely are left out.
 */
export function collectChunks(dirs: readonly string[], minFill = 0.75): Buffer[] {
  const checkWithEvtxexport =
    spawnSync('sh', ['-c', 'command -v evtxexport'], { stdio: 'ignore' }).status === 0;
  const chunks: Buffer[] = [];
  for (const dir of dirs) {
    for (const file of evtxFiles(dir)) {
      if (
        checkWithEvtxexport &&
        spawnSync('evtxexport', ['-f', 'xml', file], { stdio: 'ignore' }).status !== 0
      )
        continue;
      const data = fs.readFileSync(file);
      if (!hasFileMagic(data)) continue;
      for (let off = FILE_HEADER_SIZE; off + CHUNK_SIZE <= data.length; off += CHUNK_SIZE) {
        const c = data.subarray(off, off + CHUNK_SIZE);
        if (!CHUNK_MAGIC.equals(c.subarray(0, 8))) continue;
        const h = readChunkHeader(c);
        if (h.freeSpaceOffset < CHUNK_SIZE * minFill || h.freeSpaceOffset > CHUNK_SIZE) continue;
        if (crc32(c.subarray(128, 512), crc32(c.subarray(0, 120))) !== h.headerChecksum) continue;
        if (crc32(c.subarray(512, h.freeSpaceOffset)) !== h.recordsChecksum) continue;
        chunks.push(Buffer.from(c));
      }
    }
  }
  return chunks;
}

/** Writes `count` chunks (cycling through `chunks`) behind a fresh file header; returns the size. */
export function writeCorpus(file: string, chunks: readonly Buffer[], count: number): number {
  if (chunks.length === 0) throw new Error('no usable chunks found for the corpus');
  const header = Buffer.alloc(FILE_HEADER_SIZE);
  header.write('ElfFile\0', 0, 'latin1');
  header.writeBigUInt64LE(0n, 8); // first chunk number
  header.writeBigUInt64LE(BigInt(count - 1), 16); // last chunk number
  header.writeBigUInt64LE(1n, 24); // next record identifier (not used by readers)
  header.writeUInt32LE(128, 32);
  header.writeUInt16LE(1, 36); // minor version
  header.writeUInt16LE(3, 38); // major version
  header.writeUInt16LE(FILE_HEADER_SIZE, 40);
  header.writeUInt16LE(Math.min(count, 0xffff), 42);
  header.writeUInt32LE(0, 120); // flags: clean
  header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, header);
    for (let i = 0; i < count; i++) fs.writeSync(fd, chunks[i % chunks.length]!);
  } finally {
    fs.closeSync(fd);
  }
  return FILE_HEADER_SIZE + count * CHUNK_SIZE;
}
