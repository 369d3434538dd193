// Benchmark: network exposure scan of N loopback targets; prints targets per minute and peak RSS.
//
//   npm run build && node dist/bench/exposure/bench.js [--targets 10000] [--concurrency 64] [--http]
//
// The imitation servers run in a child process so that the RSS measured is the scanner's alone. Every
// target is an address on 127.0.0.1; the run is bounded by the target count.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createWriter } from '../../src/exposure/remote/output.js';
import { scanTargets } from '../../src/exposure/remote/scan.js';
import { readTargetLines } from '../../src/exposure/remote/target.js';
import { Writable } from 'node:stream';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const count = arg('--targets', 10_000);
const concurrency = arg('--concurrency', 64);
const plain = process.argv.includes('--http');
const here = dirname(fileURLToPath(import.meta.url));

const child = spawn(process.execPath, [join(here, 'servers.js'), ...(plain ? ['--http'] : [])], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', resolve);
  child.once('exit', (c) => reject(new Error(`servers exited with ${c}`)));
});
const { urls, tls } = JSON.parse(first) as { urls: string[]; tls: boolean };

// The targets go through a file, as `--targets FILE` would, so the streaming path is the one measured.
const outDir = join(here, '..', '..', '..', 'bench', 'out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'exposure-targets.txt');
writeFileSync(file, Array.from({ length: count }, (_, i) => urls[i % urls.length]).join('\n') + '\n');

let bytes = 0;
const devnull = new Writable({
  write(chunk: Buffer, _e, cb) {
    bytes += chunk.length;
    cb();
  },
});
const writer = createWriter('csv', devnull);
const tally = new Map<string, number>();
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const t0 = performance.now();
const { targets } = await scanTargets(
  readTargetLines(file),
  { concurrency, timeoutMs: 10_000, retries: 1 },
  (r) => {
    writer.row(r);
    const k = r.ok
      ? r.vulnerable.length
        ? 'vulnerable'
        : r.unknown.length
          ? 'unknown'
          : 'patched'
      : `error:${r.error?.kind}`;
    tally.set(k, (tally.get(k) ?? 0) + 1);
  },
);
const seconds = (performance.now() - t0) / 1000;
writer.end();
clearInterval(sampler);
child.stdin.end();

const result = {
  targets,
  protocol: tls ? 'https' : 'http',
  concurrency,
  seconds: Number(seconds.toFixed(2)),
  targetsPerMinute: Math.round((targets / seconds) * 60),
  peakRssMiB: Number((Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(1)),
  csvBytes: bytes,
  rows: Object.fromEntries(tally),
  node: process.version,
};
console.log(JSON.stringify(result, null, 2));
