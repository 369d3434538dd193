// Hostile EVTX files: cut at a chunk boundary, zeroed regions, a record that fails to decode under good checksums.

import { crc32 } from '../../src/sources/evtx/crc32.js';
import { fileHeader, utf16z } from '../../src/sources/evtx/testing/build.js';
import type { TNode, TValue } from '../../src/sources/evtx/testing/build.js';
import { SYSMON_PATH, SYSMON_RULE, sysmonChunk, sysmonFile } from './carriers.js';
import type { HostileCase } from './case.js';
import { FOUND } from './case.js';

const HEADER = 4096;
const CHUNK = 65536;

/** Recomputes a chunk's two checksums, so that damage inside it passes them. */
function reseal(file: Buffer, chunk: number): void {
  const b = file.subarray(HEADER + chunk * CHUNK, HEADER + (chunk + 1) * CHUNK);
  const free = b.readUInt32LE(48);
  b.writeUInt32LE(crc32(b.subarray(512, free)), 52);
  b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
}

/** A template that uses its one nested BinXML value 16 times: nested 9 deep, about 10^12 elements. */
function bombValue(): { root: TNode; value: TValue } {
  const root: TNode = { el: 'E', kids: Array.from({ length: 16 }, () => ({ sub: 0, type: 0x21 })) };
  let value: TValue = { type: 0x01, bytes: utf16z('x') };
  for (let i = 0; i < 9; i++) value = { nested: ['bomb', root, [value]] };
  return { root, value };
}

export const EVTX_CASES: HostileCase[] = [
  {
    id: 'evtx-cut-at-chunk',
    kind: 'evtx',
    what: 'a Sysmon log cut exactly at a chunk boundary: the header lists 4 chunks, the file holds 2',
    build: () => ({ files: [[SYSMON_PATH, sysmonFile(2, 1, 4)]] }),
    expect: { verdicts: FOUND, finding: SYSMON_RULE, problem: /^evtx\./ },
  },
  {
    id: 'evtx-zeroed-chunk',
    kind: 'evtx',
    what: 'a Sysmon log whose middle chunk is all zeros; the attack is in the last chunk',
    build: () => {
      const f = sysmonFile(3, 2);
      f.fill(0, HEADER + CHUNK, HEADER + 2 * CHUNK);
      return { files: [[SYSMON_PATH, f]] };
    },
    expect: { verdicts: FOUND, finding: SYSMON_RULE, problem: /^evtx\./ },
  },
  {
    id: 'evtx-zeroed-range',
    kind: 'evtx',
    what: 'a Sysmon log with 4 KiB zeroed inside the first chunk’s records; the attack is in the second chunk',
    build: () => {
      const f = sysmonFile(2, 1);
      f.fill(0, HEADER + 2048, HEADER + 6144);
      return { files: [[SYSMON_PATH, f]] };
    },
    expect: { verdicts: FOUND, finding: SYSMON_RULE, problem: /^evtx\./ },
  },
  {
    id: 'evtx-bad-value-good-checksums',
    kind: 'evtx',
    what: 'a record whose value has a type no EVTX writer uses (0x2f), in a chunk with valid checksums',
    build: () => {
      const f = sysmonFile(2, 1);
      // The value descriptors of a Sysmon event start (size, type): (2, UInt16) (8, FILETIME) (8, UInt64).
      const pattern = Buffer.from([2, 0, 6, 0, 8, 0, 0x11, 0, 8, 0, 0x0a, 0]);
      const at = f.indexOf(pattern, HEADER + 512 + 2000);
      if (at < 0 || at > HEADER + CHUNK) throw new Error('value descriptors not found in the first chunk');
      f[at + 14] = 0x2f; // the Image string now claims a type that does not exist
      reseal(f, 0);
      return { files: [[SYSMON_PATH, f]] };
    },
    expect: { verdicts: FOUND, finding: SYSMON_RULE, problem: /^evtx\./, badRecords: 1 },
  },
  {
    id: 'evtx-expansion-bomb',
    kind: 'evtx',
    what: 'a record of a few hundred bytes whose nested templates expand to about 10^12 elements, before the attack',
    build: () => {
      const c = sysmonChunk(1, 10);
      const { root, value } = bombValue();
      c.record(11, 'bomb', root, [value]);
      const attack = sysmonChunk(12, 5, 14);
      return { files: [[SYSMON_PATH, Buffer.concat([fileHeader(2), c.finish(), attack.finish()])]] };
    },
    expect: { verdicts: FOUND, finding: SYSMON_RULE, problem: /^limit\.evtx-/, badRecords: 1, seconds: 60 },
  },
];
