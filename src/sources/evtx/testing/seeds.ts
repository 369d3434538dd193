// Seed files for property tests and the fuzzer: cut from ../shared/samples when present, else built here.
import fs from 'node:fs';
import path from 'node:path';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../header.js';
import { fileHeader, utf16z, type TNode, type TValue } from './build.js';
import { fixtureChunk, fixtureFile } from './fixture.js';
import { sharedSamples } from './reference.js';

interface Seed {
  name: string;
  data: Buffer;
}

/** The file header and chunks `[first, first + count)` of a sample (its header still lists them all). */
function cut(file: string, first: number, count: number): Buffer {
  const data = fs.readFileSync(file);
  const start = FILE_HEADER_SIZE + first * CHUNK_SIZE;
  return Buffer.concat([
    data.subarray(0, FILE_HEADER_SIZE),
    data.subarray(start, start + count * CHUNK_SIZE),
  ]);
}

/** Real logs with the shapes that matter: templates, forwarded events, nested BinXML, damage. */
const FROM_SAMPLES: [name: string, first: number, count: number][] = [
  ['MSExchange_Management_wec.evtx', 0, 1],
  ['Security_short_selected.evtx', 0, 1],
  ['Microsoft-Windows-HelloForBusiness%4Operational.evtx', 0, 1],
  ['E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx', 0, 2],
  ['sample_with_a_bad_chunk_magic.evtx', 6, 2],
  ['Security_with_size_t.evtx', 0, 1],
];

/** Files made here: the fixture, a two-chunk log, and a record whose values nest its template. */
function builtSeeds(): Seed[] {
  const fan: TNode = {
    el: 'E',
    kids: [
      { sub: 0, type: 0x21 },
      { sub: 0, type: 0x21 },
    ],
  };
  let v: TValue = { type: 0x01, bytes: utf16z('x') };
  for (let i = 0; i < 3; i++) v = { nested: ['fan', fan, [v]] };
  const c = fixtureChunk();
  c.record(5, 'fan', fan, [v]);
  return [
    { name: 'fixture', data: fixtureFile() },
    { name: 'two-chunks', data: Buffer.concat([fileHeader(2), fixtureChunk().finish(), c.finish()]) },
  ];
}

/** Seeds cut from the shared samples when they are there, plus the built ones. */
export function seedFiles(): Seed[] {
  const dir = sharedSamples('evtx-parser-samples');
  const seeds = builtSeeds();
  if (!dir) return seeds;
  for (const [name, first, count] of FROM_SAMPLES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) seeds.push({ name: `${name}#${first}+${count}`, data: cut(file, first, count) });
  }
  return seeds;
}
