// CLI: writes the hostile evidence cases (damaged and adversarial inputs) under an output folder.

import { parseArgs } from 'node:util';
import { HOSTILE_CASES } from './index.js';
import { writeCase } from './write.js';

const USAGE = 'usage: node dist/examples/hostile/generate.js <outDir> [--case ID]... [--list]';

export function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { case: { type: 'string', multiple: true }, list: { type: 'boolean', default: false } },
    });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.list) {
    for (const c of HOSTILE_CASES.values()) console.log(`${c.id.padEnd(30)} ${c.kind.padEnd(9)} ${c.what}`);
    return 0;
  }
  const out = positionals[0];
  if (!out || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const ids = values.case ?? [...HOSTILE_CASES.keys()];
  for (const id of ids) {
    const c = HOSTILE_CASES.get(id);
    if (!c) {
      console.error(`unknown case ${id}; --list shows them`);
      return 2;
    }
    console.log(`${id}: ${writeCase(c, out)}`);
  }
  return 0;
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('generate.js') || entry.endsWith('generate.ts'))
  process.exitCode = main(process.argv.slice(2));
