// Smoke test of the bench corpus: a few megabytes written, every file well-formed, attacks included.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { main } from '../../../bench/corpus.js';
import { formatOf, validateFile } from '../validate.js';

async function walk(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true }))
    out.push(...(e.isDirectory() ? await walk(join(d, e.name)) : [join(d, e.name)]));
  return out;
}

test('a small corpus is well-formed and carries attack episodes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-corpus-'));
  const log = console.log;
  try {
    console.log = () => {};
    assert.equal(main([dir, '--gb', '0.004', '--users', '20', '--attack-every', '300', '--seed', '2']), 0);
    console.log = log;
    const files = await walk(dir);
    let logs = 0;
    for (const f of files) {
      const rel = relative(dir, f).split(sep).join('/');
      if (!formatOf(rel)) continue;
      logs++;
      assert.deepEqual(validateFile(rel, await readFile(f)).slice(0, 2), [], rel);
    }
    assert.ok(logs > 20);
    const manifest = JSON.parse(await readFile(join(dir, 'corpus-manifest.json'), 'utf8')) as { bytes: number; attackEpisodes: object }; // prettier-ignore
    assert.ok(manifest.bytes >= 4e6);
    assert.ok(Object.keys(manifest.attackEpisodes).length >= 3);
  } finally {
    console.log = log;
    await rm(dir, { recursive: true, force: true });
  }
});
