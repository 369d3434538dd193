// A bundle laid out as the collector writes it scans like the plain tree, with its manifest verified; a file
// changed or removed after the collection is a located problem that costs the verdict its clean word.

import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import { scan } from '../engine/scan.js';
import { reportErrors } from '../server/validate.js';
import { writeCollectorBundle } from './testing.js';

async function both(name: string) {
  const root = await mkdtemp(path.join(os.tmpdir(), `exhunt-bundle-${name}-`));
  const s = SCENARIOS[name]!({ seed: 1, scale: 1 });
  await s.tree.write(path.join(root, 'plain'));
  const manifest = await writeCollectorBundle(s.tree, path.join(root, 'bundle'));
  return { root, manifest, plain: path.join(root, 'plain'), bundle: path.join(root, 'bundle') };
}

const key = (r: Awaited<ReturnType<typeof scan>>['report']) =>
  r.findings
    .map((f) => `${f.rule.id} ${f.evidence[0]?.path.replace(/^C\//, '')}:${f.evidence[0]?.line}`)
    .sort();

for (const name of ['compromised', 'implanted']) {
  test(`${name}: the collector's bundle scans like the tree, its manifest verified`, async () => {
    const t = await both(name);
    try {
      const plain = (await scan(t.plain, { threads: 2 })).report;
      const { report } = await scan(t.bundle, { threads: 2 });
      assert.deepEqual(reportErrors(report), [], 'the report with its custody section fits the schema');
      assert.equal(report.verdict, plain.verdict);
      assert.deepEqual(key(report), key(plain));
      assert.ok(t.manifest.files.length > 100);
      assert.deepEqual(
        { files: report.custody?.files, verified: report.custody?.verified, failed: report.custody?.failed },
        { files: t.manifest.files.length, verified: t.manifest.files.length, failed: 0 },
      );
      assert.equal(report.custody?.operator, 'CORP\\responder');
      assert.equal(report.custody?.timeZone?.id, 'W. Europe Standard Time');
      assert.match(report.custody?.manifestSha256 ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual(report.scan.host, { name: 'EXCH01', from: 'collector manifest' });
      assert.deepEqual(
        report.problems.filter((p) => p.code.startsWith('custody.')),
        [],
      );
    } finally {
      await rm(t.root, { recursive: true, force: true });
    }
  });
}

test('a file changed, removed or added after the collection is reported where the manifest lists it', async () => {
  const t = await both('clean');
  try {
    const logs = t.manifest.files.filter((f) => f.entry === 'iis-logs');
    const changed = logs[0]!;
    const removed = logs[1]!;
    await appendFile(path.join(t.bundle, changed.path), '\n');
    await unlink(path.join(t.bundle, removed.path));
    await writeFile(path.join(t.bundle, 'C/inetpub/wwwroot/added.aspx'), '<% %>');
    const { report } = await scan(t.bundle, { threads: 2 });
    const custody = report.problems.filter((p) => p.code.startsWith('custody.'));
    const at = (code: string) => custody.filter((p) => p.code === code).map((p) => p.path);
    assert.deepEqual(at('custody.hash-mismatch'), [changed.path]);
    assert.deepEqual(at('custody.missing'), [removed.path]);
    assert.deepEqual(at('custody.unlisted'), ['C/inetpub/wwwroot/added.aspx']);
    assert.match(
      custody.find((p) => p.code === 'custody.hash-mismatch')!.message,
      /manifest\.json files\[\d+\]/,
    );
    assert.equal(report.custody?.failed, 2);
    assert.equal(report.custody?.verified, t.manifest.files.length - 2);
    // The clean server's verdict rests on its IIS logs: with one changed and one gone, it cannot say clean.
    assert.equal(report.verdict, 'inconclusive');
    assert.ok(report.integrity?.losses.some((l) => l.path === changed.path));
  } finally {
    await rm(t.root, { recursive: true, force: true });
  }
});
