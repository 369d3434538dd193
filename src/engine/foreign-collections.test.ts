// Velociraptor and KAPE collections of the example trees scan to the same verdict and findings as the plain
// tree, citing the paths as the collection stores them; their own records are checked as chain of custody.

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { kapeFolder, velociraptorZip } from '../../examples/lib/collections.js';
import { small } from '../../examples/lib/scenarios/fixtures.js';
import { windowsPathOf } from '../core/drive-folder.js';
import type { ScanReport } from '../core/report.js';
import { scan } from './scan.js';

const tmp = () => mkdtemp(path.join(os.tmpdir(), 'exhunt-foreign-'));

/** Rule, evidence path with the collection's prefix taken off (names unescaped), line: one string a finding. */
function findingKeys(r: ScanReport, strip: (p: string) => string): string[] {
  return r.findings
    .map(
      (f) =>
        `${f.rule.id} ${f.outcome} ${f.evidence.map((e) => `${strip(e.path)}:${e.line ?? e.offset ?? ''}`).join(' ')}`,
    )
    .sort();
}

/** `uploads/auto/C%3A/Program Files/x` and `C/Program Files/x` → `Program Files/x`. */
const fromDrive = (p: string) => {
  const win = windowsPathOf(p);
  return win ? win.slice(3).replace(/\\/g, '/') : p;
};

const plain = new Map<string, ScanReport>();
async function plainScan(name: string): Promise<ScanReport> {
  let r = plain.get(name);
  if (!r) {
    const dir = path.join(await tmp(), name);
    await small(name).tree.write(dir);
    r = (await scan(dir, { threads: 1 })).report;
    plain.set(name, r);
  }
  return r;
}

for (const name of ['compromised', 'clean'])
  for (const accessor of ['auto', 'ntfs'] as const)
    test(
      `a Velociraptor collection (${accessor} accessor) of ${name} scans like the tree`,
      { timeout: 180_000 },
      async () => {
        const want = await plainScan(name);
        const zip = path.join(await tmp(), 'Collection-EXCH01-2021-03-10T09_00_00Z.zip');
        await velociraptorZip(small(name).tree, zip, { accessor });
        const { report } = await scan(zip, { threads: 1 });
        assert.equal(report.verdict, want.verdict);
        assert.equal(report.scan.layout, 'system-drive');
        if (name === 'compromised') assert.equal(report.verdict, 'compromised');
        assert.deepEqual(
          findingKeys(report, fromDrive),
          findingKeys(want, (p) => p),
        );
        const drive = accessor === 'auto' ? 'uploads/auto/C%3A/' : 'uploads/ntfs/%5C%5C.%5CC%3A/';
        for (const f of report.findings)
          for (const e of f.evidence) assert.ok(e.path.startsWith(drive), e.path);
        assert.equal(
          report.scan.installPath,
          `${drive}program files/microsoft/exchange server/v15/`.toLowerCase(),
        );
        assert.equal(report.artifacts.length, want.artifacts.length);
        assert.deepEqual(report.custody && { ...report.custody }, {
          manifest: 'uploads.json, results/Exchange.Exhunt.Collect.json',
          collector: { name: 'velociraptor' },
          host: 'EXCH01',
          collectedAt: '2021-03-10T09:00:00.000Z',
          files: small(name).tree.paths().length,
          verified: small(name).tree.paths().length,
          sizeOnly: 0,
          failed: 0,
          notCollected: 0,
          unlisted: 0,
        });
        assert.equal(report.scan.host?.name, 'EXCH01');
        assert.deepEqual(
          report.problems.filter((p) => p.code.startsWith('custody.')),
          [],
        );
      },
    );

for (const name of ['compromised', 'clean'])
  test(
    `a KAPE target folder of ${name} scans like the tree, its copy log verified`,
    { timeout: 180_000 },
    async () => {
      const want = await plainScan(name);
      const dir = path.join(await tmp(), 'tout');
      await kapeFolder(small(name).tree, dir);
      const { report } = await scan(dir, { threads: 1 });
      assert.equal(report.verdict, want.verdict);
      assert.deepEqual(
        findingKeys(report, fromDrive),
        findingKeys(want, (p) => p),
      );
      for (const f of report.findings) for (const e of f.evidence) assert.ok(e.path.startsWith('C/'), e.path);
      const n = small(name).tree.paths().length;
      assert.equal(report.custody?.collector.name, 'kape');
      assert.equal(report.custody?.verified, n);
      assert.equal(report.custody?.failed, 0);
      assert.equal(report.scan.host?.name, 'EXCH01');
    },
  );

test(
  'a collection whose files differ from the tool’s record: each missing or changed file is a located problem',
  { timeout: 180_000 },
  async () => {
    const tree = small('compromised').tree;
    const logs = tree.paths().filter((p) => p.startsWith('inetpub/logs/'));
    const [changed, gone] = [logs[0]!, logs[1]!];
    const zip = path.join(await tmp(), 'c.zip');
    await velociraptorZip(tree, zip, { tamper: { [changed]: Buffer.concat([tree.files.get(changed)!.data, Buffer.from('#x\r\n')]) }, drop: [gone] }); // prettier-ignore
    const v = (await scan(zip, { threads: 1 })).report;
    const at = (p: string) => `uploads/auto/C%3A/${p}`;
    assert.deepEqual(
      v.problems
        .filter((p) => p.code.startsWith('custody.'))
        .map((p) => [p.code, p.path])
        .sort(),
      [
        ['custody.missing', at(gone)],
        ['custody.size-mismatch', at(changed)],
      ].sort(),
    );
    assert.equal(v.custody?.failed, 2);
    // Same bytes count, other content: only the hash tells.
    const same = Buffer.from(tree.files.get(changed)!.data);
    same[same.length - 3] = same[same.length - 3] === 0x30 ? 0x31 : 0x30;
    const dir = path.join(await tmp(), 'tout');
    await kapeFolder(tree, dir, { tamper: { [changed]: same } });
    const k = (await scan(dir, { threads: 1 })).report;
    const bad = k.problems.filter((p) => p.code.startsWith('custody.'));
    assert.deepEqual(
      bad.map((p) => [p.code, p.path]),
      [['custody.hash-mismatch', `C/${changed}`]],
    );
    assert.match(bad[0]?.message ?? '', /SHA1 [0-9a-f]{40}, recorded [0-9a-f]{40}/);
  },
);
