// The scan engine on damaged EVTX: Artifact.badRecords counts what `evtx dump` counts, problems located.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { scan } from '../../engine/scan.js';
import { ChunkBuilder, fileHeader, u32le, type TNode } from './testing/build.js';
import { dumpFile } from './testing/both.js';
import { fixtureChunk } from './testing/fixture.js';

const SIMPLE: TNode = {
  el: 'Event',
  kids: [
    { el: 'System', kids: [{ el: 'EventID', kids: [{ sub: 0, type: 0x06 }] }] },
    { el: 'EventData', kids: [{ el: 'Data', attrs: [['Name', 'X']], kids: [{ sub: 1, type: 0x08 }] }] },
  ],
};

test(
  'Artifact.badRecords counts undecodable and lost records, as evtx dump does',
  { timeout: 120_000 },
  async () => {
    // Chunk 1: two records whose values fail to decode though the chunk's CRCs hold.
    const c = new ChunkBuilder();
    c.record(1, 's', SIMPLE, [
      { type: 0x06, bytes: Buffer.from([1, 0]) },
      { type: 0x08, bytes: u32le(1) },
    ]);
    c.record(2, 's', SIMPLE, [
      { type: 0x06, bytes: Buffer.from([2, 0]) },
      { type: 0x08, bytes: Buffer.from([1]) },
    ]);
    c.record(3, 's', SIMPLE, [
      { type: 0x06, bytes: Buffer.from([3, 0]) },
      { type: 0x30, bytes: u32le(1) },
    ]);
    // Chunk 2: the fixture with its second record zeroed (lost, its number known from its neighbours).
    const second = Buffer.from(fixtureChunk().finish());
    const r2 = 512 + second.readUInt32LE(512 + 4);
    second.fill(0, r2, r2 + second.readUInt32LE(r2 + 4));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exhunt-evtx-scan-'));
    const file = path.join(dir, 'Security.evtx');
    fs.writeFileSync(file, Buffer.concat([fileHeader(2), c.finish(), second]));

    const { report } = await scan(dir, { threads: 0 });
    const a = report.artifacts.find((x) => x.path.endsWith('Security.evtx'));
    assert.ok(a, 'the log was read as an artifact');
    assert.equal(a.source, 'evtx');
    assert.equal(a.records, 4);
    assert.equal(a.badRecords, 3, 'two undecodable records and one lost record');
    const dump = await dumpFile(file);
    assert.equal(dump.json.length, a.records);
    assert.equal(dump.badRecords, a.badRecords);
    const mine = report.problems.filter((p) => p.path === a.path);
    assert.deepEqual(
      mine
        .filter((p) => p.line !== undefined && p.severity === 'error')
        .map((p) => [p.code, p.line])
        .sort(),
      [
        ['evtx.bad-record', 2],
        ['evtx.bad-record', 3],
        ['evtx.lost-record', 2],
      ],
    );
    for (const p of mine) assert.ok(p.offset !== undefined && p.offset < fs.statSync(file).size, p.code);
  },
);
