// What the line kernel's gate hands to JavaScript on a corpus: lines per source, per matcher bit and per
// literal, rules evaluated, CPU seconds, and the findings (to compare with the JS-only path, `--no-gate`).
//
//   node dist/bench/gate-stats.js bench/out/corpus-realistic-0.25gb [--no-gate] [--findings out.txt]
//
// One thread, in process: the figures are counts, not times, except the CPU seconds of the whole pass.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Hit } from '../src/core/detector.js';
import type { LogRecord } from '../src/core/record.js';
import { createRuleSet } from '../src/engine/ruleset.js';
import { loadSigmaMatchers } from '../src/engine/sigma.js';
import { sourceForPath } from '../src/sources/registry.js';

interface PerSource {
  files: number;
  lines: number;
  plain: number;
  handed: number;
  /** Handed lines whose mask has no literal (directives, headers, bad or quoted lines). */
  noLiteral: number;
  /** Matcher checks run (a matcher whose bit is set in a handed line's mask). */
  checks: number;
  perBit: Map<number, number>;
  perLiteral: Map<string, number>;
}

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'no-gate': { type: 'boolean' }, findings: { type: 'string' } },
  });
  const root = path.resolve(positionals[0] ?? 'bench/out/corpus-realistic-0.25gb');
  const noGate = !!values['no-gate'];
  const cpu0 = process.cpuUsage();
  const sigma = await loadSigmaMatchers({ builtinRules: true, rulePaths: [], mappingPaths: [] });
  const rules = createRuleSet((s) => sigma.forSource(s));
  const cpuRules = process.cpuUsage(cpu0);
  const stats = new Map<string, PerSource>();
  const found: string[] = [];
  let matchCpu = 0;
  const files = walk(root, []).sort();
  for (const file of files) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const def = sourceForPath(rel.toLowerCase());
    if (!def || def.id === 'evtx' || def.id.startsWith('web') || def.id === 'staged-file') continue;
    const source = def.dataOf ?? def.id;
    const set = rules.forSource(source);
    const gate = set.gate();
    let st = stats.get(source);
    if (!st) {
      st = { files: 0, lines: 0, plain: 0, handed: 0, noLiteral: 0, checks: 0, perBit: new Map(), perLiteral: new Map() }; // prettier-ignore
      stats.set(source, st);
    }
    const s = st;
    s.files++;
    const hits: Hit[] = [];
    const onRecord = (r: LogRecord) => {
      s.handed++;
      const mask = r.gate;
      if (mask !== undefined && mask !== -1) {
        if (mask === 0) s.noLiteral++;
        for (let b = 0; b < 31; b++)
          if (mask & (1 << b)) {
            s.checks++;
            s.perBit.set(b, (s.perBit.get(b) ?? 0) + 1);
          }
        if (mask !== 0) {
          const text = r.text().toLowerCase();
          const seen = new Set<string>();
          for (const l of gate.literals)
            if (l.mask & mask && !seen.has(l.text) && text.includes(l.text)) {
              seen.add(l.text);
              s.perLiteral.set(l.text, (s.perLiteral.get(l.text) ?? 0) + 1);
            }
        }
      }
      const t = process.cpuUsage();
      set.run(r, { path: rel }, hits);
      const d = process.cpuUsage(t);
      matchCpu += d.user + d.system;
      for (const h of hits) found.push(`${rel}\t${r.line ?? ''}\t${h.rule.id}`);
      hits.length = 0;
    };
    const parser = def.createParser(
      { path: rel, ...(noGate ? {} : { gate }) },
      {
        record: onRecord,
        tally: (n) => {
          s.plain += n;
        },
        problem: () => undefined,
        version: () => undefined,
      },
    );
    const buf = readFileSync(file);
    for (let i = 0; i < buf.length; i += 1 << 20) parser.push(buf.subarray(i, i + (1 << 20)));
    parser.end();
  }
  const cpu = process.cpuUsage(cpu0);
  const out: string[] = [];
  out.push(`corpus ${root}, ${files.length} files, gate ${noGate ? 'off (JS only)' : 'on'}`);
  out.push(`CPU s: total ${((cpu.user + cpu.system) / 1e6).toFixed(2)}, rules load ${((cpuRules.user + cpuRules.system) / 1e6).toFixed(2)}, MatcherSet.run (incl. timer overhead) ${(matchCpu / 1e6).toFixed(2)}`); // prettier-ignore
  let plain = 0;
  let handed = 0;
  for (const [source, s] of [...stats].sort()) {
    plain += s.plain;
    handed += s.handed;
    const total = s.plain + s.handed;
    out.push(
      `${source}: ${s.files} files, ${total} lines, plain ${s.plain}, handed ${s.handed} (${((s.handed / Math.max(1, total)) * 100).toFixed(1)}%), of which no literal ${s.noLiteral}; matcher checks ${s.checks}`,
    );
    out.push(`  per bit: ${[...s.perBit].sort((a, b) => a[0] - b[0]).map(([b, n]) => `${b}:${n}`).join(' ')}`); // prettier-ignore
    const lits = [...s.perLiteral].sort((a, b) => b[1] - a[1]).slice(0, 12);
    out.push(`  top literals (lines holding them): ${lits.map(([l, n]) => `${l}=${n}`).join(' ')}`);
  }
  out.push(`all: handed ${handed} of ${plain + handed} lines (${((handed / Math.max(1, plain + handed)) * 100).toFixed(1)}%); findings ${found.length}`); // prettier-ignore
  process.stdout.write(out.join('\n') + '\n');
  if (values.findings) writeFileSync(values.findings, found.sort().join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
