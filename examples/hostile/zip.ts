// Hostile zip bundles: end records that lie, duplicate names, overlapping entries (a zip bomb), bad checksums.

import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../lib/binaries.js';
import { ATTACK_RULE, benignLine, iisDay, iisHead, iisPath } from './carriers.js';
import type { HostileCase } from './case.js';
import { FOUND, NOT_CLEAN } from './case.js';
import { rawZip, stored } from './zip-raw.js';
import type { RawEntry } from './zip-raw.js';

const days = ['2021-03-03', '2021-03-04', '2021-03-05'];

/** About `bytes` of IIS lines that deflate about 8:1 (random addresses and times), deterministic. */
function busyLog(bytes: number): Buffer {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) >>> 0);
  const lines: string[] = [iisHead('2021-03-03')];
  let n = lines[0]!.length;
  while (n < bytes) {
    const t = next();
    const time = `${String((t >>> 8) % 24).padStart(2, '0')}:${String((t >>> 16) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
    const l =
      benignLine('2021-03-03', time).replace(
        '10.1.1.1',
        `10.${(t >>> 4) & 255}.${(t >>> 12) & 255}.${t & 255}`,
      ) + '\r\n';
    lines.push(l);
    n += l.length;
  }
  return Buffer.from(lines.join(''));
}

function deflated(name: string, data: Buffer): RawEntry {
  const z = deflateRawSync(data);
  return { name, data: z, method: 8, crc: crc32(data), uncompressed: data.length };
}

export const ZIP_CASES: HostileCase[] = [
  {
    id: 'zip-eocd-count-low',
    kind: 'zip',
    what: 'an end record that declares 2 entries where the central directory holds 3; the attack is in the third',
    build: () => ({
      files: [],
      zip: rawZip(
        days.map((d, i) => stored(iisPath(d), iisDay(d, { attack: i === 2 }))),
        { declare: 2 },
      ),
    }),
    expect: { verdicts: NOT_CLEAN, problem: /^zip\./ },
  },
  {
    id: 'zip-eocd-count-high',
    kind: 'zip',
    what: 'an end record that declares 5 entries where the central directory holds 2',
    build: () => ({
      files: [],
      zip: rawZip(
        days.slice(0, 2).map((d) => stored(iisPath(d), iisDay(d))),
        { declare: 5 },
      ),
    }),
    expect: { verdicts: NOT_CLEAN, problem: /^zip\./ },
  },
  {
    id: 'zip-duplicate-names',
    kind: 'zip',
    what: 'two entries under one name: a benign day, then the same day with the attack',
    build: () => ({
      files: [],
      zip: rawZip([
        stored(iisPath(days[0]!), iisDay(days[0]!)),
        stored(iisPath(days[0]!), iisDay(days[0]!, { attack: true })),
      ]),
    }),
    expect: { verdicts: FOUND, finding: ATTACK_RULE, problem: /^zip\./, artifacts: 2 },
  },
  {
    id: 'zip-overlap-bomb',
    kind: 'zip',
    what: '10,000 entries that share one deflated 20 MB log: a few MB that would inflate to 200 GB',
    build: () => {
      const base = deflated(iisPath('2021-03-03'), busyLog(20 << 20));
      const entries: RawEntry[] = [base];
      for (let i = 1; i < 10_000; i++)
        entries.push({ ...base, name: `inetpub/logs/LogFiles/W3SVC1/u_ex210303_${i}.log`, sharesWith: 0 });
      return { files: [], zip: rawZip(entries) };
    },
    expect: { verdicts: NOT_CLEAN, problem: /^(zip|limit)\./, seconds: 120 },
  },
  {
    id: 'zip-crc-mismatch',
    kind: 'zip',
    what: 'an entry whose stored CRC-32 does not match its bytes',
    build: () => {
      const e = stored(iisPath(days[0]!), iisDay(days[0]!, { attack: true }));
      return { files: [], zip: rawZip([{ ...e, crc: e.crc ^ 1 }]) };
    },
    expect: { verdicts: NOT_CLEAN, problem: /crc/i },
  },
  {
    id: 'zip-declares-250gb',
    kind: 'zip',
    what: 'a ZIP64 log entry that declares 250 GB for a few bytes of data',
    build: () => {
      const e = deflated(iisPath(days[1]!), Buffer.from(iisDay(days[1]!)));
      return {
        files: [],
        zip: rawZip([
          stored(iisPath(days[0]!), iisDay(days[0]!)),
          { ...e, uncompressed: 250 * 1024 ** 3, zip64: true },
        ]),
      };
    },
    expect: { verdicts: ['inconclusive'], problem: /^zip\./, seconds: 20 },
  },
  {
    id: 'zip-size-lie',
    kind: 'zip',
    what: 'an entry that declares 1,000 bytes and inflates to 10 MB',
    build: () => {
      const e = deflated(iisPath(days[1]!), busyLog(10 << 20));
      return {
        files: [],
        zip: rawZip([stored(iisPath(days[0]!), iisDay(days[0]!)), { ...e, uncompressed: 1000 }]),
      };
    },
    expect: { verdicts: ['inconclusive'], problem: /./, seconds: 30 },
  },
];
