// Bench corpus: streams gigabytes of Exchange/IIS logs (mostly benign, a sprinkling of attacks) to disk, in one of two shapes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { busyness } from '../examples/lib/benign/index.js';
import { makePool } from '../examples/lib/corpus/pool.js';
import type { Item, StreamId } from '../examples/lib/corpus/pool.js';
import { guidFrom, render } from '../examples/lib/corpus/template.js';
import { layoutOf, RollingWriter } from '../examples/lib/corpus/writer.js';
import { Rng } from '../examples/lib/rng.js';
import { DAY } from '../examples/lib/time.js';
import { sampler } from './mix.js';
import type { Shape } from './mix.js';

const USAGE =
  'usage: node dist/bench/corpus.js <outDir> --gb 5 [--shape realistic|classic] [--seed N] [--days D] [--users U] [--attack-every N]';
const START = Date.UTC(2021, 1, 1);

/** Activity with a floor, so nights still carry probes and phones; averaged over a week to keep volume on target. */
const weight = (t: number) => 0.25 + 0.75 * busyness(t, 1);
const AVG_WEIGHT = (() => {
  let s = 0;
  for (let i = 0; i < 7 * 24; i++) s += weight(START + i * 3_600_000);
  return s / (7 * 24);
})();

function itemBytes(it: Item): number {
  let n = 0;
  for (const l of it.lines) {
    for (const p of l.tpl.parts) n += p.length;
    for (const h of l.tpl.holes) n += h.kind === 'rid' ? 36 : h.kind === 'iso' ? 24 : 19;
  }
  return n;
}

export function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      gb: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      days: { type: 'string' },
      users: { type: 'string', default: '400' },
      'attack-every': { type: 'string', default: '50000' },
      shape: { type: 'string', default: 'realistic' },
    },
  });
  const out = positionals[0];
  const target = Number(values.gb) * 1e9;
  const seed = Number(values.seed);
  const users = Number(values.users);
  const every = Number(values['attack-every']);
  const shape = values.shape as Shape;
  if (
    !out ||
    !(target > 0) ||
    !Number.isSafeInteger(seed) ||
    !(users >= 20) ||
    !(every > 0) ||
    (shape !== 'realistic' && shape !== 'classic')
  ) {
    console.error(USAGE);
    return 2;
  }
  const root = resolve(out);
  mkdirSync(root, { recursive: true });
  const began = Date.now();
  const pool = makePool(seed, users);
  const mix = sampler(pool.benign, shape);
  // The mean size of a drawn request, estimated from draws (the realistic shape weights the items).
  const est = new Rng(seed).fork('estimate');
  let sampled = 0;
  for (let i = 0; i < 20_000; i++) sampled += itemBytes(mix.draw(est.next()));
  const avgBytes = sampled / 20_000;
  // Classic: 300 MB a day, up to 90 days. Realistic: 180 MB a day, up to 30 (what a server keeps by
  // default), so 2 GB is 11 days of hourly files (about 2,900) and larger corpora are busier days.
  const days = values.days
    ? Number(values.days)
    : shape === 'classic'
      ? Math.min(90, Math.max(2, Math.ceil(target / 300e6)))
      : Math.min(30, Math.max(2, Math.round(target / 180e6)));
  const meanGap = DAY / (target / avgBytes / days);

  const writers = new Map<StreamId, RollingWriter>();
  const writerOf = (s: StreamId) => {
    let w = writers.get(s);
    if (!w) writers.set(s, (w = new RollingWriter(root, layoutOf(s, pool.site, pool.build), 4 << 20)));
    return w;
  };
  const rng = new Rng(seed).fork('corpus');
  let written = 0;
  let lines = 0;
  const emit = (it: Item, t: number) => {
    const rid = guidFrom(rng.u32(), rng.u32(), rng.u32(), rng.u32());
    for (const l of it.lines) {
      const s = render(l.tpl, t, rid);
      writerOf(l.stream).write(t, s);
      written += s.length;
      lines++;
    }
  };

  // Attack episodes wait in time order and are written when the benign stream reaches their time.
  const pending: { t: number; it: Item }[] = [];
  const episodes = new Map<string, { count: number; first: string }>();
  let t = START;
  let n = 0;
  let nextReport = 1e9;
  while (written < target) {
    t += Math.max(1, Math.round((rng.expo(meanGap) * AVG_WEIGHT) / weight(t)));
    while (pending.length && (pending[0] as { t: number }).t <= t) {
      const p = pending.shift() as { t: number; it: Item };
      emit(p.it, p.t);
    }
    emit(
      shape === 'classic' ? (pool.benign[rng.u32() % pool.benign.length] as Item) : mix.draw(rng.next()),
      t,
    );
    if (++n % every === 0) {
      const ep = pool.attacks[rng.u32() % pool.attacks.length];
      if (ep) {
        const at = t + rng.int(1000, 60_000);
        for (const it of ep.items) pending.push({ t: at + it.at, it });
        pending.sort((a, b) => a.t - b.t);
        const e = episodes.get(ep.kind) ?? { count: 0, first: new Date(at).toISOString() };
        e.count++;
        episodes.set(ep.kind, e);
      }
    }
    if (written >= nextReport) {
      const s = (Date.now() - began) / 1000;
      console.log(`${(written / 1e9).toFixed(1)} GB, ${lines} lines, ${new Date(t).toISOString().slice(0, 10)}, ${(written / 1e6 / s).toFixed(0)} MB/s`); // prettier-ignore
      nextReport += 1e9;
    }
  }
  for (const p of pending) emit(p.it, p.t);
  let files = 0;
  for (const w of writers.values()) {
    w.close();
    files += w.files;
  }
  const seconds = (Date.now() - began) / 1000;
  const manifest = {
    shape,
    seed,
    bytes: written,
    lines,
    requests: n,
    files,
    from: new Date(START).toISOString(),
    to: new Date(t).toISOString(),
    seconds,
    mbPerSecond: Math.round(written / 1e6 / seconds),
    attackEpisodes: Object.fromEntries([...episodes.entries()].sort()),
    requestShares: mix.shares,
  };
  writeFileSync(join(root, 'corpus-manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${(written / 1e9).toFixed(2)} GB in ${files} files, ${lines} lines, ${seconds.toFixed(1)} s (${manifest.mbPerSecond} MB/s) -> ${root}`); // prettier-ignore
  return 0;
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('corpus.js') || entry.endsWith('corpus.ts'))
  process.exitCode = main(process.argv.slice(2));
