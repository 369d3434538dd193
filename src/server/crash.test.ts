// A worker killed with SIGKILL in the middle of a job, for real, on SQLite and PostgreSQL: no partial scan
// is left, the job runs again in another worker, and its scan appears exactly once.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backends } from '../store/testing.js';
import type { Fixture } from '../store/testing.js';
import { API_PREFIX } from './route.js';
import { evidenceZip, testApp, testEnv, tokenFor } from './testing/fixtures.js';
import type { TestApp } from './testing/fixtures.js';
import { until } from './testing/wait.js';

const RUN_CLI = new URL('./testing/run-cli.js', import.meta.url).pathname;

/** A worker; with `pauseAt`, one that writes that file inside its ingest transaction and stops there. */
function worker(fx: Fixture, pauseAt?: string): ChildProcess {
  const where = fx.database ? ['--database', fx.database] : ['--data', fx.dataDir];
  const argv = pauseAt ? ['paused-worker', pauseAt, ...where] : ['worker', ...where, '--threads', '0'];
  return spawn(process.execPath, [RUN_CLI, ...argv], {
    cwd: fx.dataDir,
    env: { ...process.env, ...testEnv(), ...fx.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => p.once('exit', () => r()));
}

for (const b of await backends())
  describe(`a worker killed mid-job on ${b.name}`, { skip: b.skip }, () => {
    let fx: Fixture;
    let t: TestApp;
    const children: ChildProcess[] = [];
    before(async () => {
      fx = await b.create();
      t = await testApp(fx);
    });
    after(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(children.map(exited));
      await t.close();
      await fx.dispose();
    });

    test('leaves no partial scan, and the scan appears exactly once after another worker reruns the job', async () => {
      const analyst = await tokenFor(fx, 'acme', 'analyst');
      const up = await t.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/bundles?server=ex01`,
        headers: { ...analyst, 'content-type': 'application/zip' },
        payload: await evidenceZip('crash'),
      });
      assert.equal(up.statusCode, 202, up.body);
      const bundleId = up.json<{ id: number }>().id;
      const marker = path.join(fx.dataDir, 'paused');
      const first = worker(fx, marker);
      children.push(first);
      let stderr = '';
      first.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
      // The marker is written inside the ingest transaction, after every row was inserted, before commit.
      await until(
        async () =>
          existsSync(marker) ? true : first.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined,
        'the paused worker',
      );
      first.kill('SIGKILL');
      await exited(first);
      assert.equal(first.signalCode, 'SIGKILL');
      const count = async (table: 'scans' | 'findings' | 'webshells' | 'indicator_servers') =>
        Number(
          (
            await fx.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const table of ['scans', 'findings', 'webshells', 'indicator_servers'] as const)
        assert.equal(await count(table), 0, table);

      const second = worker(fx);
      children.push(second);
      const done = await until(async () => {
        const r = await fx.store.db
          .selectFrom('bundles')
          .select(['status', 'scan_id', 'error'])
          .where('id', '=', bundleId)
          .executeTakeFirstOrThrow();
        return r.status === 'done' || r.status === 'failed' ? r : undefined;
      }, 'the rerun');
      assert.equal(done.status, 'done', done.error ?? '');
      const scans = await fx.store.db
        .selectFrom('scans')
        .select(['id', 'bundle_id', 'findings_count'])
        .execute();
      assert.equal(scans.length, 1);
      assert.equal(scans[0]?.bundle_id, bundleId);
      assert.equal(await count('findings'), scans[0]?.findings_count);
      assert.ok((scans[0]?.findings_count ?? 0) > 0);
      second.kill('SIGTERM');
      await exited(second);
      assert.equal(second.exitCode, 0);
    });
  });
