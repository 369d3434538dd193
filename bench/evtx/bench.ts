// EVTX speed benchmark: builds a corpus from real samples, then times our parser, evtxexport and python-evtx.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectChunks, writeCorpus } from './corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..'); // dist/bench/evtx -> repository root
const outDir = path.join(root, 'bench', 'out');
const samples = path.resolve(root, '..', 'shared', 'samples');

interface Timing {
  name: string;
  mb: number;
  wall: number;
  cpu: number;
  rssMiB: number;
  note?: string;
}

const has = (cmd: string): boolean =>
  spawnSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' }).status === 0;

/** Runs a command under GNU time (wall, user+sys CPU, peak RSS), stdout to /dev/null. */
function timed(name: string, file: string, cmd: string, args: string[]): Timing {
  const mb = fs.statSync(file).size / 1048576;
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 28,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, rss] = last.split(' ').map(Number);
  const note = r.status === 0 ? undefined : `exit ${r.status}: ${r.stderr.split('\n')[0]}`;
  return {
    name,
    mb,
    wall: wall ?? NaN,
    cpu: (user ?? NaN) + (sys ?? NaN),
    rssMiB: (rss ?? NaN) / 1024,
    note,
  };
}

function row(t: Timing): string {
  const f = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
  return `| ${t.name} | ${f(t.mb, 0)} | ${f(t.wall, 2)} | ${f(t.mb / t.wall)} | ${f(t.mb / t.cpu)} | ${f(t.rssMiB, 0)} |${t.note ? ' ' + t.note : ''}`;
}

function main(): void {
  const targetMiB = Number(process.argv[2] ?? 256);
  const pythonMiB = Number(process.argv[3] ?? 4);
  if (!fs.existsSync(samples)) {
    console.error(`samples not found at ${samples}; the benchmark needs ../shared/samples`);
    process.exit(2);
  }
  if (!has('/usr/bin/time')) console.error('GNU time (/usr/bin/time) is needed to measure peak RSS');
  const chunks = collectChunks([
    path.join(samples, 'evtx-attack-samples'),
    path.join(samples, 'evtx-parser-samples'),
  ]);
  const big = path.join(outDir, `evtx-corpus-${targetMiB}MiB.evtx`);
  const quarter = path.join(outDir, `evtx-corpus-${Math.round(targetMiB / 4)}MiB.evtx`);
  const small = path.join(outDir, `evtx-corpus-${pythonMiB}MiB.evtx`);
  const perMiB = 1048576 / 65536;
  writeCorpus(big, chunks, Math.floor(targetMiB * perMiB));
  writeCorpus(quarter, chunks, Math.floor((targetMiB / 4) * perMiB));
  writeCorpus(small, chunks, Math.floor(pythonMiB * perMiB));
  console.log(
    `corpus: ${chunks.length} distinct real chunks (>= 75% full, CRCs valid) repeated; ${os.availableParallelism()} cores`,
  );

  const run = path.join(here, 'run.js');
  const node = process.execPath;
  const cores = os.availableParallelism();
  const rows: Timing[] = [
    timed('ours: records (time, EventID, Channel), 1 core', big, node, [run, 'records', big]),
    timed('ours: records + all fields (text()), 1 core', big, node, [run, 'fields', big]),
    timed('ours: JSON dump, 1 core', big, node, [run, 'json', big, '1']),
    timed(`ours: JSON dump, ${cores} cores`, big, node, [run, 'json', big, String(cores)]),
    timed('ours: JSON dump, 1 core, 1/4 of the file (memory check)', quarter, node, [
      run,
      'json',
      quarter,
      '1',
    ]),
  ];
  if (has('evtxexport')) rows.push(timed('evtxexport -f xml', big, 'evtxexport', ['-f', 'xml', big]));
  else console.log('evtxexport not installed (Debian libevtx-utils): skipped');
  if (has('evtx_dump.py'))
    rows.push(timed('python-evtx evtx_dump.py (small file)', small, 'evtx_dump.py', [small]));
  else console.log('evtx_dump.py not installed (Debian python3-evtx): skipped');

  console.log('| run | MiB | wall s | MiB/s wall | MiB/s CPU | peak RSS MiB |');
  console.log('|---|---|---|---|---|---|');
  for (const t of rows) console.log(row(t));
  const ours = rows[2]!;
  const ref = rows.find((r) => r.name.startsWith('evtxexport'));
  if (ref)
    console.log(
      `JSON dump on 1 core vs evtxexport: ${(ours.mb / ours.wall / (ref.mb / ref.wall)).toFixed(1)}x (wall), ${(ours.mb / ours.cpu / (ref.mb / ref.cpu)).toFixed(1)}x (CPU)`,
    );
  console.log(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (other work on the machine slows wall times)`,
  );
}

main();
