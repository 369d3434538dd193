// Every file of every scenario parses as its format, and one seed always gives the same bytes.

import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatOf, validateFile } from '../validate.js';
import { SCENARIOS } from './index.js';
import { small } from './fixtures.js';

for (const name of Object.keys(SCENARIOS)) {
  test(`${name}: every log file is well-formed for its format`, () => {
    const s = small(name);
    let logs = 0;
    for (const [p, f] of s.tree.files) {
      if (formatOf(p)) logs++;
      assert.deepEqual(validateFile(p, f.data).slice(0, 3), [], p);
    }
    // The responder brings no system drive, only tables (checked in responder.test.ts).
    if (name !== 'responder') assert.ok(logs > 50, `${name} has ${logs} log files`);
  });
}

test('the same seed gives identical trees; another seed changes traffic but not the attack', () => {
  const build = SCENARIOS.compromised;
  assert.ok(build);
  const a = build({ seed: 3, scale: 0.1 });
  const b = build({ seed: 3, scale: 0.1 });
  assert.deepEqual(a.tree.paths(), b.tree.paths());
  for (const [p, f] of a.tree.files) {
    const g = b.tree.files.get(p);
    assert.ok(g && g.data.equals(f.data) && g.mtime === f.mtime, p);
  }
  const c = build({ seed: 4, scale: 0.1 });
  assert.deepEqual(c.timeline, a.timeline);
  const w1 = 'inetpub/logs/LogFiles/W3SVC1/u_ex210302.log';
  assert.notEqual(c.tree.text(w1), a.tree.text(w1));
});

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(p + '/', ...(await listFiles(root, p)));
    else out.push(p);
  }
  return out.sort();
}

test('written trees are byte-identical, with the same file and folder times', async () => {
  const build = SCENARIOS.probed;
  assert.ok(build);
  const base = await mkdtemp(join(tmpdir(), 'exhunt-gen-'));
  try {
    const dirs = [join(base, 'a'), join(base, 'b')];
    for (const d of dirs) await build({ seed: 11, scale: 0.1 }).tree.write(d);
    const [la, lb] = [await listFiles(dirs[0] as string), await listFiles(dirs[1] as string)];
    assert.deepEqual(la, lb);
    for (const p of la) {
      const [sa, sb] = [await stat(join(dirs[0] as string, p)), await stat(join(dirs[1] as string, p))];
      assert.equal(Math.round(sa.mtimeMs), Math.round(sb.mtimeMs), p);
      if (!p.endsWith('/')) assert.ok((await readFile(join(dirs[0] as string, p))).equals(await readFile(join(dirs[1] as string, p))), p); // prettier-ignore
    }
    const log = await stat(join(dirs[0] as string, 'inetpub/logs/LogFiles/W3SVC1/u_ex210810.log'));
    assert.ok(
      log.mtimeMs > Date.UTC(2021, 7, 10) && log.mtimeMs <= Date.UTC(2021, 7, 11, 0, 0, 2),
      'log time matches content',
    );
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
