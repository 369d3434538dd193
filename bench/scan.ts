// Benchmark of `exhunt scan` on a generated corpus (1 thread, all threads, start-up) next to ripgrep searching the same files for our rules' patterns.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DETECTORS } from '../src/rules/builtin/index.js';
import { loadSigmaMatchers } from '../src/engine/sigma.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'dist/src/cli/bin.js');

interface Run {
  name: string;
  seconds: number;
  /** User + system CPU seconds: steadier than wall time when other work shares the machine. */
  cpu: number;
  maxRssMb: number;
  mbPerSecond: number;
  exit: number;
}

/** The median of `runs` runs by wall time (the largest peak RSS): single runs here vary by about 10%. */
function median(runs: number, name: string, cmd: string, args: string[], bytes: number): Run {
  const all = Array.from({ length: runs }, () => timed(name, cmd, args, bytes));
  all.sort((a, b) => a.seconds - b.seconds);
  const mid = all[Math.floor(all.length / 2)]!;
  return { ...mid, maxRssMb: Math.max(...all.map((r) => r.maxRssMb)) };
}

/** Runs a command under GNU time for wall time and peak RSS (of the process tree's largest member). */
function timed(name: string, cmd: string, args: string[], bytes: number): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb, user, sys] = last.split(' ').map(Number);
  const seconds = secs ?? NaN;
  return {
    name,
    seconds,
    cpu: (user ?? NaN) + (sys ?? NaN),
    maxRssMb: (kb ?? 0) / 1024,
    mbPerSecond: bytes > 0 ? bytes / 1e6 / seconds : 0,
    exit: r.status ?? -1,
  };
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

/** Every literal and pattern our rules and detectors gate on, as regular expressions for ripgrep. */
async function patterns(): Promise<string[]> {
  const out = new Set<string>();
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const d of DETECTORS.values()) {
    for (const l of d.literals ?? []) out.add(esc(l));
    if (d.prefilter) out.add(withoutLookarounds(d.prefilter.source));
  }
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  for (const source of ['iis-w3c', 'httpproxy', 'ecp-server', 'oab-generator', 'rps-http']) {
    for (const m of sigma.forSource(source)) {
      // The rules of a source come as groups (a gate bit each) with their literals.
      for (const l of [...(m.literals ?? []), ...(m.groups ?? []).flatMap((g) => g.literals)])
        out.add(esc(l));
      if (m.prefilter) out.add(withoutLookarounds(m.prefilter.source));
    }
  }
  return [...out];
}

/** ripgrep's default engine has no lookarounds; dropping them gives a superset, which only makes rg's job harder. */
function withoutLookarounds(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    if (
      re.startsWith('(?!', i) ||
      re.startsWith('(?=', i) ||
      re.startsWith('(?<!', i) ||
      re.startsWith('(?<=', i)
    ) {
      let depth = 0;
      for (; i < re.length; i++) {
        if (re[i] === '\\') i++;
        else if (re[i] === '(') depth++;
        else if (re[i] === ')' && --depth === 0) break;
      }
      continue;
    }
    if (re[i] === '\\') out += re[i++] ?? '';
    out += re[i] ?? '';
  }
  // JavaScript sources escape `/`, which Rust's regex syntax rejects.
  return out.replace(/\\\//g, '/');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      gb: { type: 'string', default: '2' },
      shape: { type: 'string', default: 'realistic' },
      runs: { type: 'string', default: '3' },
    },
  });
  const corpus = path.resolve(
    values.corpus ?? path.join(ROOT, `bench/out/corpus-${values.shape}-${values.gb}gb`),
  );
  if (!existsSync(corpus)) {
    process.stderr.write(`generating a ${values.gb} GB ${values.shape} corpus in ${corpus} ...\n`);
    const g = spawnSync(
      process.execPath,
      [path.join(ROOT, 'dist/bench/corpus.js'), corpus, '--gb', values.gb, '--shape', values.shape],
      { stdio: 'inherit' },
    );
    if (g.status !== 0) throw new Error('corpus generation failed');
  }
  const bytes = dirBytes(corpus);
  const files = fileCount(corpus);
  const outDir = path.join(ROOT, 'bench/out');
  mkdirSync(outDir, { recursive: true });
  const empty = path.join(outDir, 'empty-evidence');
  mkdirSync(empty, { recursive: true });
  const pats = await patterns();
  const patFile = path.join(outDir, 'rg-patterns.txt');
  writeFileSync(patFile, pats.join('\n') + '\n');
  // Warm the page cache so both tools read from memory, as they would on a second run.
  spawnSync('sh', ['-c', `find '${corpus}' -type f -exec cat {} + > /dev/null`]);
  const cores = os.availableParallelism();
  const n = Math.max(1, Number(values.runs));
  const loadBefore = os.loadavg()[0]!;
  const scanArgs = (dir: string, json: string, threads?: number) => [
    BIN,
    'scan',
    dir,
    '--quiet',
    ...(threads ? ['--threads', String(threads)] : []),
    '--json',
    path.join(outDir, json),
  ];
  // The runs alternate (ripgrep, one thread, all threads) so that load from elsewhere falls on all alike.
  const rgRuns: Run[] = [];
  const oneRuns: Run[] = [];
  const allRuns: Run[] = [];
  for (let i = 0; i < n; i++) {
    rgRuns.push(timed('rg', 'rg', ['-i', '-c', '-f', patFile, '--no-ignore', '-j', String(cores), corpus], bytes)); // prettier-ignore
    oneRuns.push(timed('one', process.execPath, scanArgs(corpus, 'scan-1.json', 1), bytes));
    allRuns.push(timed('all', process.execPath, scanArgs(corpus, 'scan-n.json'), bytes));
  }
  const startup = median(n, 'exhunt scan of an empty folder (start-up)', process.execPath, scanArgs(empty, 'scan-empty.json'), 0); // prettier-ignore
  const rg = pick(rgRuns, `ripgrep, ${pats.length} patterns, ${cores} threads`);
  const one = pick(oneRuns, 'exhunt scan, 1 thread');
  const all = pick(allRuns, `exhunt scan, ${cores} threads`);
  // rg exits 1 when nothing matched; anything above is an error (a pattern it cannot compile, say).
  if (rg.exit > 1) throw new Error(`ripgrep failed (exit ${rg.exit}); see ${patFile}`);
  const manifest = readManifest(corpus);
  const ratio = (r: Run) => `${((r.mbPerSecond / rg.mbPerSecond) * 100).toFixed(0)}%`;
  const row = (r: Run, vsRg: string) =>
    `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.mbPerSecond > 0 ? r.mbPerSecond.toFixed(0) : '-'} | ${vsRg} | ${r.cpu.toFixed(2)} | ${r.maxRssMb.toFixed(0)} |`;
  const lines = [
    `corpus: ${(bytes / 1e9).toFixed(2)} GB, ${files} files, shape ${manifest.shape ?? 'unknown'} (${corpus}); ${cores} cores; node ${process.version}; median of ${n} runs, page cache warm; load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`,
    '',
    '| run | seconds (wall, start-up included) | MB/s | vs ripgrep | CPU seconds | peak RSS MB |',
    '|---|---|---|---|---|---|',
    row(rg, '100%'),
    row(one, ratio(one)),
    row(all, ratio(all)),
    row(startup, '-'),
    '',
    `scaling, ${cores} threads / 1 thread: ${(one.seconds / all.seconds).toFixed(2)}x`,
  ];
  const out = path.join(outDir, `scan-bench-${path.basename(corpus)}.md`);
  writeFileSync(out, lines.join('\n') + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

/** The median run by wall time, with the largest peak RSS of all of them. */
function pick(all: Run[], name: string): Run {
  const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  return { ...mid, name, maxRssMb: Math.max(...all.map((r) => r.maxRssMb)) };
}

function fileCount(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? fileCount(path.join(dir, e.name)) : 1;
  return n;
}

function readManifest(dir: string): { shape?: string } {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'corpus-manifest.json'), 'utf8')) as { shape?: string };
  } catch {
    return {};
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
