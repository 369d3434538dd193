// A retro-hunt's page following its progress on PostgreSQL with workers (pg-boss), in headless Chromium: two
// bundles are analysed by a worker, the worker stops, a hunt started from the page shows 0 of 2 bundles while
// its jobs wait, and once a new worker runs them the page moves on by itself to 2 of 2, done, both servers hit.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { backends, createPgDatabase } from '../store/testing.js';
import { startWorker } from './runtime.js';
import type { Backend } from './runtime.js';
import {
  browserSkip,
  launchChromium,
  screenshot,
  signInAsNewAnalyst,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';
import { evidenceZip } from './testing/fixtures.js';

const PASSWORD = 'acme-analyst-password';
const FEED = '198.51.100.9\n';
const DEADLINE_MS = 300_000;
const pgSkip = (await backends()).find((b) => b.dialect === 'postgres')?.skip ?? 'no PostgreSQL backend';

describe('a retro-hunt page on PostgreSQL with workers', { skip: browserSkip() || pgSkip }, () => {
  let db: { url: string; drop(): Promise<void> };
  let server: LiveServer;
  let browser: Browser;
  let page: Page;
  let worker: Backend | undefined;
  let workDir: string;
  const dialogs: string[] = [];
  const logs: string[] = [];

  const newWorker = () =>
    startWorker({
      dataDir: path.join(workDir, `w${Date.now()}`),
      database: db.url,
      concurrency: 1,
      threads: 1,
      log: (l) => logs.push(l),
    });

  before(async () => {
    db = await createPgDatabase();
    workDir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-rh-pg-'));
    server = await startLiveServer({ database: db.url });
    worker = await newWorker();
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      colorScheme: 'light',
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await worker?.close();
    await server?.close();
    await db?.drop();
    await rm(workDir, { recursive: true, force: true });
  });

  test('the page follows the hunt from 0 of 2 bundles to done as a worker runs its jobs', async () => {
    await signInAsNewAnalyst(page, server, { org: 'acme', username: 'alice', password: PASSWORD });
    for (const name of ['EX01', 'EX02']) {
      const zip = path.join(workDir, `${name}.zip`);
      await writeFile(zip, await evidenceZip(name));
      await page.getByRole('link', { name: 'Upload' }).click();
      await page.getByLabel('Exchange server the evidence is from').fill(name);
      await page.getByLabel('Evidence bundle (.zip)').setInputFiles(zip);
      await page.getByRole('button', { name: 'Upload and scan' }).click();
      await page.waitForURL(/\/servers\/\d+\?scan=\d+$/, { timeout: DEADLINE_MS });
    }
    // No worker while the hunt is queued: its jobs wait on pg-boss.
    await worker!.close();
    worker = undefined;

    await page.getByRole('link', { name: 'Feeds' }).click();
    const form = page.getByRole('form', { name: 'Upload a feed' });
    await form
      .getByLabel(/^Feed file/)
      .setInputFiles({ name: 'w.txt', mimeType: 'text/plain', buffer: Buffer.from(FEED) });
    await form.getByLabel(/^Feed name/).fill('watchlist');
    await form.getByRole('button', { name: 'Upload feed' }).click();
    await form.getByRole('status').filter({ hasText: 'Loaded 1 indicator' }).waitFor();

    await page.getByRole('link', { name: 'Retro-hunts' }).click();
    const start = page.getByRole('form', { name: 'Start a retro-hunt' });
    await start.getByLabel('Run').selectOption({ label: 'feed 1: watchlist' });
    await start.getByRole('button', { name: 'Start retro-hunt' }).click();
    await page.waitForURL(/\/retrohunts\/\d+$/);
    const bar = page.getByRole('progressbar', { name: 'Bundles re-analysed' });
    await page.getByTestId('retrohunt-status').filter({ hasText: 'running' }).waitFor();
    assert.equal(await bar.getAttribute('max'), '2');
    assert.equal(await bar.getAttribute('value'), '0');
    // The index path answered at once: the hits so far come from stored indicators only.
    const early = page.getByRole('table', { name: 'Hits' }).getByRole('row', { name: /EX01/ });
    assert.match((await early.getByRole('cell').allTextContents()).join(' | '), /stored indicators/);
    await screenshot(page, 'retrohunt-pg-running');

    // A worker comes: the page, left alone, follows the hunt to its end.
    worker = await newWorker();
    await page.getByTestId('retrohunt-status').filter({ hasText: 'done' }).waitFor({ timeout: DEADLINE_MS });
    assert.equal(await bar.getAttribute('value'), '2');
    assert.match((await page.getByTestId('retrohunt-hits').textContent()) ?? '', /^2 on 2 server\(s\)/);
    const hits = page.getByRole('table', { name: 'Hits' });
    for (const name of ['EX01', 'EX02']) {
      const cells = (await hits.getByRole('row', { name: new RegExp(name) }).getByRole('cell').allTextContents()).join(' | '); // prettier-ignore
      assert.match(cells, /198\.51\.100\.9/);
      assert.match(cells, /both/, 'found in stored indicators and in the bundle');
    }
    await screenshot(page, 'retrohunt-pg-done');
    assert.deepEqual(dialogs, []);
  });
});
