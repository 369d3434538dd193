// Writes the seed corpus for the fuzzer: cut from ../shared/samples when present, else built here.
import fs from 'node:fs';
import path from 'node:path';
import { seedFiles } from '../testing/seeds.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node dist/src/sources/evtx/fuzz/write-seeds.js CORPUS_DIR\n');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
for (const s of seedFiles()) {
  const name = s.name.replace(/[^A-Za-z0-9_.+#-]/g, '_');
  fs.writeFileSync(path.join(dir, name), s.data);
  process.stdout.write(`${name}: ${s.data.length} bytes\n`);
}
