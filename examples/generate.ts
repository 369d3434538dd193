// CLI: writes the example evidence trees (clean, probed, compromised, implanted, responder) under an output folder, optionally zipped.

import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SCENARIOS } from './lib/scenarios/index.js';

const USAGE =
  'usage: node dist/examples/generate.js <outDir> [--scenario clean|probed|compromised|implanted|responder|all] [--zip] [--seed N]';

export async function main(argv: string[]): Promise<number> {
  // Zip entries carry DOS times in local time; pinning UTC keeps `--zip` output identical on every machine.
  process.env.TZ = 'UTC';
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scenario: { type: 'string', default: 'all' },
        zip: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        scale: { type: 'string', default: '1' },
        timeline: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const out = positionals[0];
  const seed = Number(values.seed);
  const scale = Number(values.scale);
  const names = values.scenario === 'all' ? Object.keys(SCENARIOS) : [values.scenario];
  if (!out || positionals.length > 1 || !Number.isSafeInteger(seed) || !(scale > 0)) {
    console.error(USAGE);
    return 2;
  }
  for (const name of names) {
    const build = SCENARIOS[name];
    if (!build) {
      console.error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}, all`);
      return 2;
    }
    const started = Date.now();
    const s = build({ seed, scale });
    const dir = resolve(out, name);
    await s.tree.write(dir);
    if (values.zip) await s.tree.zip(join(resolve(out), `${name}.zip`), name);
    if (values.timeline) await writeFile(join(resolve(out), `${name}.timeline.json`), JSON.stringify(s.timeline, null, 2) + '\n'); // prettier-ignore
    const bytes = [...s.tree.files.values()].reduce((n, f) => n + f.data.length, 0);
    console.log(`${name}: ${s.tree.files.size} files, ${(bytes / 1e6).toFixed(1)} MB in ${Date.now() - started} ms -> ${dir}`); // prettier-ignore
  }
  return 0;
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('generate.js') || entry.endsWith('generate.ts')) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exitCode = 1;
    },
  );
}
