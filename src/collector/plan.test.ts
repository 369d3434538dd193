// The collection plan and the scan's discovery agree: what the scan reads in the example trees is what the
// plan collects, and every entry of the plan names files the scan claims (or, marked scan: false, does not).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { SCENARIOS } from '../../examples/lib/scenarios/index.js';
import { discover } from '../engine/discover.js';
import { exposureFileKind } from '../engine/exposure.js';
import { openEvidence } from '../evidence/index.js';
import { SCRIPT_EXTENSIONS } from '../sources/files/index.js';
import { sourceForPath } from '../sources/registry.js';
import { channelFromPath } from '../sources/evtx/channels.js';
import { DEFAULT_INSTALL, entryFor, loadPlan, nameMatches, validatePlan } from './plan.js';

const plan = loadPlan();

test('the plan loads, and a broken plan is refused with every problem', () => {
  assert.ok(plan.files.length > 10);
  const errors = validatePlan({
    about: 'x',
    limits: { maxTotalGB: 1, throttle: 2 },
    patterns: { scripts: ['*.aspx'], staged: ["*.zip'; rm"] },
    files: [{ id: 'a', why: 'w', root: 'elsewhere', folder: '../up', names: [], example: 'x' }],
    eventLogs: [{ channel: 'App"lication' }],
    facts: {},
  });
  for (const part of ['patterns.staged', 'root must be', 'folder must be', 'names must be', 'eventLogs[0]'])
    assert.ok(
      errors.some((e) => e.includes(part)),
      `${part} in ${errors.join('; ')}`,
    );
});

test("every entry's example is its own and the scan claims it, or (scan: false) does not", () => {
  for (const e of plan.files) {
    const siteRoots = e.root === 'site' ? [e.example.slice(0, e.example.indexOf('/', 6))] : [];
    const taken = entryFor(plan, e.example, { install: DEFAULT_INSTALL, siteRoots });
    assert.equal(taken?.id, e.id, `${e.example} is taken by ${taken?.id ?? 'nothing'}, not ${e.id}`);
    const lower = e.example.toLowerCase();
    // Scripts in IIS site folders are claimed once applicationHost.config has named the folder.
    const claimed =
      sourceForPath(lower) !== undefined ||
      exposureFileKind(lower) !== undefined ||
      (e.root === 'site' && SCRIPT_EXTENSIONS.some((x) => lower.endsWith(x)));
    assert.equal(claimed, e.scan, `${e.id}: the scan ${claimed ? 'reads' : 'does not read'} ${e.example}`);
  }
});

test('the script patterns are the extensions the scan reads as web files', () => {
  const fromPlan = plan.patterns.scripts.map((p) => p.replace(/^\*/, '')).sort();
  assert.deepEqual(fromPlan, [...SCRIPT_EXTENSIONS].sort());
  assert.ok(nameMatches('*.aspx', 'ErrorFE.ASPX') && !nameMatches('*.aspx', 'x.aspx.bak'));
});

test('each event log channel is exported under the file name the scan reads it by', () => {
  for (const { channel } of plan.eventLogs) {
    const file = `Windows/System32/winevt/Logs/${channel.replace(/\//g, '%4')}.evtx`;
    assert.equal(channelFromPath(file), channel);
    assert.equal(sourceForPath(file.toLowerCase())?.id, 'evtx');
  }
});

for (const name of ['clean', 'probed', 'compromised', 'implanted']) {
  test(`${name}: every file the scan reads as an artifact is one the plan collects`, async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), `exhunt-plan-${name}-`));
    try {
      await SCENARIOS[name]!({ seed: 1, scale: 1 }).tree.write(root);
      const ev = await openEvidence(root);
      const read: string[] = [];
      const layout = await discover(ev, {
        problem: () => {},
        task: (t) => read.push(t.file.path),
        exposureFile: (f) => read.push(f.path),
      });
      await ev.close();
      assert.ok(read.length > 100, `${read.length} artifacts`);
      const ctx = {
        install: DEFAULT_INSTALL,
        siteRoots: (layout.siteRoots ?? []).map((r) => r.replace(/\/$/, '')),
      };
      const missed = [...new Set(read)].filter((p) => !entryFor(plan, p, ctx));
      assert.deepEqual(missed, []);
      if (name === 'implanted')
        assert.ok(
          read.some((p) => entryFor(plan, p, ctx)?.id === 'site-roots'),
          'a site folder was read',
        );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
}
