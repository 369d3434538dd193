// One timed pass of our parser over a file, run as a child process by bench.ts so RSS is its own.
import fs from 'node:fs';
import { dumpFiles } from '../../src/sources/evtx/dump.js';
import { EvtxParser } from '../../src/sources/evtx/parser.js';

/**
 * Modes: `records` is what a scan does with every record (time, EventID, Channel); `fields` also
 * decodes every field (keyword search); `json` renders every record like `evtx dump`, to /dev/null.
 */
async function main(): Promise<void> {
  const [mode = 'json', file, threadsArg = '1'] = process.argv.slice(2);
  if (!file) throw new Error('usage: run.js records|fields|json FILE [THREADS]');
  let records = 0;
  if (mode === 'json') {
    const out = fs.createWriteStream('/dev/null');
    const stats = await dumpFiles([file], { out, err: process.stderr, threads: Number(threadsArg) });
    records = stats.records;
    await new Promise<void>((resolve) => out.end(resolve));
  } else {
    let sink = 0;
    const parser = new EvtxParser(
      { path: file },
      {
        record: (r) => {
          records++;
          sink += (r.time ?? '').length;
          if (r.get('EventID') === 4688) sink++;
          if (r.get('Channel') === 'Security') sink++;
          if (mode === 'fields') sink += r.text().length;
        },
        problem: (p) => process.stderr.write(`${p.code} ${p.message}\n`),
      },
    );
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) parser.push(buf.subarray(0, n));
    fs.closeSync(fd);
    parser.end();
    if (sink < 0) process.stdout.write('');
  }
  process.stdout.write(JSON.stringify({ records, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
}

await main();
