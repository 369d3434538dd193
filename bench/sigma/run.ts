// One timed pass for the Sigma benchmark, in its own process: the scan's EVTX hot path or the whole scan.

import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Hit } from '../../src/core/detector.js';
import { scan } from '../../src/engine/scan.js';
import { createRuleSet } from '../../src/engine/ruleset.js';
import { loadSigmaMatchers } from '../../src/engine/sigma.js';
import { EvtxParser } from '../../src/sources/evtx/parser.js';

/**
 * `match FILE RULES`: parse the file and run every rule on every event on this thread, as a scan worker
 * does. `scan DIR RULES`: the whole scan with one worker thread (hashing, findings, analysis included).
 */
async function main(): Promise<void> {
  const [mode, target, rulesDir] = process.argv.slice(2);
  if (!target || !rulesDir || (mode !== 'match' && mode !== 'scan'))
    throw new Error('usage: run.js match|scan TARGET RULES');
  const rules = { builtinRules: true, rulePaths: [rulesDir], mappingPaths: [] };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const sigma = await loadSigmaMatchers(rules);
  const loadMs = performance.now() - t0;
  // CPU time, not wall time, of the load: on a busy machine the wall time can exceed the whole run's CPU.
  const loadCpu = process.cpuUsage(cpu0);
  let records = 0;
  let hits = 0;
  const start = performance.now();
  if (mode === 'match') {
    const set = createRuleSet(sigma.forSource).forSource('evtx');
    const out: Hit[] = [];
    const parser = new EvtxParser(
      { path: target },
      {
        record: (r) => {
          records++;
          set.run(r, { path: target }, out);
          hits += out.length;
          out.length = 0;
        },
        problem: () => {},
      },
    );
    const fd = fs.openSync(target, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) parser.push(buf.subarray(0, n));
    fs.closeSync(fd);
    parser.end();
  } else {
    const { report } = await scan(target, { threads: 1, rules });
    records = report.stats.records;
    hits = report.findings.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({
      records,
      hits,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loadSeconds: loadMs / 1000,
      loadCpuSeconds: (loadCpu.user + loadCpu.system) / 1e6,
      rulesLoaded: sigma.stats.loaded,
      rulesSkipped: sigma.stats.skipped.length,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

await main();
