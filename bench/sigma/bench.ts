// Sigma benchmark: thousands of rules over a large EVTX corpus, per core, next to Hayabusa's published rate.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { collectChunks, writeCorpus } from '../evtx/corpus.js';
import { builtinTemplates, readTemplates, writeRules } from './rules.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..'); // dist/bench/sigma -> repository root
const outDir = path.join(root, 'bench', 'out', 'sigma');
const samples = path.resolve(root, '..', 'shared', 'samples', 'evtx-attack-samples');

/** Hayabusa's figure: 3 GB of EVTX with 3,891 rules in about 9 minutes on 4 cores. */
const HAYABUSA_MB_PER_CORE = 3000 / (9 * 60) / 4;

interface Pass {
  records: number;
  hits: number;
  seconds: number;
  cpuSeconds: number;
  loadSeconds: number;
  /** CPU time of loading the rules (the match pass subtracts it). */
  loadCpuSeconds: number;
  rulesLoaded: number;
  rulesSkipped: number;
  maxRssMiB: number;
}

function pass(mode: 'match' | 'scan', target: string, rules: string): Pass {
  const r = spawnSync(process.execPath, [path.join(here, 'run.js'), mode, target, rules], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${mode} pass failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Pass;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      rules: { type: 'string' },
      count: { type: 'string', default: '3000' },
      mib: { type: 'string', default: '128' },
      scan: { type: 'boolean' },
    },
  });
  const rulesFrom = values.rules ?? process.env.EXHUNT_BENCH_SIGMA_RULES;
  const count = Number(values.count);
  const mib = Number(values.mib);
  if (!fs.existsSync(samples)) {
    console.error(`EVTX samples not found at ${samples}; the benchmark needs ../shared/samples`);
    process.exit(2);
  }
  const real = rulesFrom !== undefined && fs.existsSync(rulesFrom);
  const templates = real ? readTemplates(rulesFrom) : builtinTemplates();
  const rulesDir = path.join(outDir, 'rules');
  writeRules(templates, count, rulesDir);
  // The corpus folder holds one file only: the scan pass reads the whole folder.
  const corpusDir = path.join(outDir, 'corpus');
  fs.rmSync(corpusDir, { recursive: true, force: true });
  fs.mkdirSync(corpusDir, { recursive: true });
  const corpus = path.join(corpusDir, `corpus-${mib}MiB.evtx`);
  const chunks = collectChunks([samples]);
  const bytes = writeCorpus(corpus, chunks, Math.floor(mib * 16));
  const mb = bytes / 1e6;

  const rows: string[] = [];
  // Per core: MB per second of CPU time (every thread of the process counted), so a busy machine does
  // not flatter or penalise the figure; wall time on one thread is shown beside it.
  const row = (name: string, p: Pass, cpu: number): void => {
    rows.push(
      `| ${name} | ${p.rulesLoaded} | ${p.records} | ${p.hits} | ${p.seconds.toFixed(2)} | ${cpu.toFixed(2)} | ${Math.round(p.records / cpu)} | ${(mb / p.seconds).toFixed(1)} | ${(mb / cpu).toFixed(1)} | ${(mb / cpu / HAYABUSA_MB_PER_CORE).toFixed(1)}x | ${p.maxRssMiB.toFixed(0)} |`,
    );
  };
  const hot = pass('match', corpus, rulesDir);
  // The match pass's CPU time less its one rule compile: what reading costs once rules are loaded.
  row('parse + match, 1 thread', hot, hot.cpuSeconds - hot.loadCpuSeconds);
  if (values.scan) {
    const s = pass('scan', corpusDir, rulesDir);
    // The scan compiles the rules twice (main thread, then the worker): all of it is counted.
    row('exhunt scan, 1 worker (hash, findings, analysis, 2 rule compiles)', s, s.cpuSeconds);
  }

  console.log(
    `rules: ${count} generated from ${real ? `${templates.length} real rules in ${rulesFrom} (values altered per clone)` : `${templates.length} built-in synthetic templates`}; ${hot.rulesLoaded} loaded (exhunt's own included), ${hot.rulesSkipped} skipped; compile ${hot.loadSeconds.toFixed(1)} s wall, ${hot.loadCpuSeconds.toFixed(1)} s CPU`,
  );
  console.log(
    `corpus: ${mb.toFixed(0)} MB of EVTX from ${chunks.length} real sample chunks repeated; ${os.availableParallelism()} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    '| run | rules | events | matches | wall s | CPU s | events per CPU s | MB/s wall | MB per CPU s (per core) | vs Hayabusa per core | peak RSS MiB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(
    `Hayabusa (published): 3 GB, 3,891 rules, ~9 min on 4 cores = ${HAYABUSA_MB_PER_CORE.toFixed(2)} MB/s per core; target 4x = ${(4 * HAYABUSA_MB_PER_CORE).toFixed(1)} MB/s per core.`,
  );
}

main();
