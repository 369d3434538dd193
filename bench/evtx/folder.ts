// EVTX benchmark over a folder of many real-size files (as collected from a server), and one large file, against evtxexport per file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectChunks, writeCorpus } from './corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..'); // dist/bench/evtx -> repository root
const outDir = path.join(root, 'bench', 'out');
const samples = path.resolve(root, '..', 'shared', 'samples');
const BIN = path.join(root, 'dist/src/cli/bin.js');

interface Timing {
  name: string;
  mib: number;
  wall: number;
  cpu: number;
  rssMiB: number;
  note?: string;
}

function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...evtxFiles(p));
    else if (e.name.toLowerCase().endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

function bytesOf(files: readonly string[]): number {
  return files.reduce((n, f) => n + fs.statSync(f).size, 0);
}

/** Runs a command under GNU time (wall, user+sys CPU, peak RSS of the largest process), stdout discarded. */
function timed(name: string, bytes: number, cmd: string, args: string[]): Timing {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 28,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys, rss] = last.split(' ').map(Number);
  return {
    name,
    mib: bytes / 1048576,
    wall: wall ?? NaN,
    cpu: (user ?? NaN) + (sys ?? NaN),
    rssMiB: (rss ?? NaN) / 1024,
    ...(r.status === 0 ? {} : { note: `exit ${r.status}: ${r.stderr.split('\n')[0]}` }),
  };
}

/** The median of `runs` runs by wall time. */
function median(runs: number, run: () => Timing): Timing {
  const all = Array.from({ length: runs }, run).sort((a, b) => a.wall - b.wall);
  return { ...all[Math.floor(all.length / 2)]!, rssMiB: Math.max(...all.map((t) => t.rssMiB)) };
}

/**
 * The folder: every sample file evtxexport reads to the end (real files of real sizes, 68 KiB to 2 MiB,
 * as `winevt\Logs` holds many small channels), copied until there are `count` of them, plus `large`
 * files of `largeMiB` built from their full chunks (the Security and System logs of a busy server).
 */
function buildFolder(dir: string, count: number, large: number, largeMiB: number): string[] {
  const sources = evtxFiles(samples).filter(
    (f) => spawnSync('evtxexport', ['-f', 'xml', f], { stdio: 'ignore' }).status === 0,
  );
  if (sources.length === 0) throw new Error('no sample file that evtxexport reads completely');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const src = sources[i % sources.length]!;
    const dst = path.join(dir, `${String(i).padStart(4, '0')}-${path.basename(src)}`);
    fs.copyFileSync(src, dst);
    files.push(dst);
  }
  const chunks = collectChunks([samples]);
  for (let i = 0; i < large; i++) {
    const f = path.join(dir, `large-${i}.evtx`);
    writeCorpus(f, chunks, Math.floor((largeMiB * 1048576) / 65536));
    files.push(f);
  }
  return files;
}

function row(t: Timing): string {
  const f = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
  return `| ${t.name} | ${f(t.mib, 0)} | ${f(t.wall, 2)} | ${f(t.mib / t.wall)} | ${f(t.mib / t.cpu)} | ${f(t.rssMiB, 0)} |${t.note ? ' ' + t.note : ''}`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '350' },
      large: { type: 'string', default: '2' },
      'large-mib': { type: 'string', default: '64' },
      runs: { type: 'string', default: '3' },
    },
  });
  if (!fs.existsSync(samples)) {
    console.error(`samples not found at ${samples}; the benchmark needs ../shared/samples`);
    process.exit(2);
  }
  const dir = path.join(outDir, 'evtx-folder');
  const files = buildFolder(dir, Number(values.files), Number(values.large), Number(values['large-mib']));
  const small = files.filter((f) => !path.basename(f).startsWith('large-'));
  const big = files.find((f) => path.basename(f).startsWith('large-'));
  const smallDir = path.join(outDir, 'evtx-folder-small');
  fs.rmSync(smallDir, { recursive: true, force: true });
  fs.mkdirSync(smallDir);
  for (const f of small) fs.linkSync(f, path.join(smallDir, path.basename(f)));
  const cores = os.availableParallelism();
  const runs = Math.max(1, Number(values.runs));
  const node = process.execPath;
  // evtxexport as users run it: once per file, from a shell loop.
  const perFile = (d: string) => [
    '-c',
    `for f in '${d}'/*.evtx; do evtxexport -f xml "$f"; done > /dev/null 2>&1`,
  ];
  const loadBefore = os.loadavg()[0]!;
  const rows: Timing[] = [];
  const sets: [string, string, number][] = [
    [`${small.length} real-size files`, smallDir, bytesOf(small)],
    ...(big ? ([['one large file', big, fs.statSync(big).size]] as [string, string, number][]) : []),
    [`${small.length} files + ${files.length - small.length} large`, dir, bytesOf(files)],
  ];
  for (const [label, target, bytes] of sets) {
    const isDir = fs.statSync(target).isDirectory();
    rows.push(median(runs, () => timed(`${label}: exhunt evtx dump, 1 thread`, bytes, node, [BIN, 'evtx', 'dump', target, '--threads', '1']))); // prettier-ignore
    rows.push(median(runs, () => timed(`${label}: exhunt evtx dump, ${cores} threads`, bytes, node, [BIN, 'evtx', 'dump', target]))); // prettier-ignore
    rows.push(median(runs, () => isDir
      ? timed(`${label}: evtxexport -f xml per file`, bytes, 'sh', perFile(target))
      : timed(`${label}: evtxexport -f xml`, bytes, 'evtxexport', ['-f', 'xml', target]))); // prettier-ignore
  }
  console.log(
    `folder: ${files.length} files, ${(bytesOf(files) / 1048576).toFixed(0)} MiB in ${dir}; ${cores} cores; median of ${runs}; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`,
  );
  console.log('| run | MiB | wall s | MiB/s wall | MiB/s CPU | peak RSS MiB |');
  console.log('|---|---|---|---|---|---|');
  for (const t of rows) console.log(row(t));
  for (let i = 0; i + 2 < rows.length; i += 3) {
    const [one, all, ref] = [rows[i]!, rows[i + 1]!, rows[i + 2]!];
    console.log(
      `${sets[i / 3]![0]}: dump / evtxexport by wall time ${(ref.wall / one.wall).toFixed(1)}x on 1 thread, ${(ref.wall / all.wall).toFixed(1)}x on ${cores}; by CPU time ${(ref.cpu / one.cpu).toFixed(1)}x`,
    );
  }
}

main();
