// The Retro-hunts pages end to end in headless Chromium against the real server (SQLite, in-process worker):
// an analyst's bundle is analysed, then a feed named like markup is uploaded, and a retro-hunt started from
// the page follows its progress to the end and shows the server whose evidence holds the feed's address,
// with the feed's name as text. A screenshot of the hunt's page is kept in test-artifacts/dashboard/.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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
const HOSTILE = '<img src=x onerror=alert(1)> watchlist';
/** The address evidenceZip's attacker uses: a finding names it, so the index path answers at once too. */
const FEED = '198.51.100.9\n';
const DEADLINE_MS = 300_000;

describe('the Retro-hunts pages in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  before(async () => {
    server = await startLiveServer();
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
    await server?.close();
  });

  test('an analyst starts a retro-hunt with a feed added after the analysis and sees the server hit', async () => {
    await signInAsNewAnalyst(page, server, { org: 'acme', username: 'alice', password: PASSWORD });

    const zip = path.join(server.dir, 'ex01.zip');
    await writeFile(zip, await evidenceZip('retrohunt'));
    await page.getByRole('link', { name: 'Upload' }).click();
    await page.getByLabel('Exchange server the evidence is from').fill('EX01');
    await page.getByLabel('Evidence bundle (.zip)').setInputFiles(zip);
    await page.getByRole('button', { name: 'Upload and scan' }).click();
    await page.waitForURL(/\/servers\/\d+\?scan=\d+$/, { timeout: DEADLINE_MS });

    await page.getByRole('link', { name: 'Feeds' }).click();
    const form = page.getByRole('form', { name: 'Upload a feed' });
    await form
      .getByLabel(/^Feed file/)
      .setInputFiles({ name: 'w.txt', mimeType: 'text/plain', buffer: Buffer.from(FEED) });
    await form.getByLabel(/^Feed name/).fill(HOSTILE);
    await form.getByRole('button', { name: 'Upload feed' }).click();
    await form.getByRole('status').filter({ hasText: 'Loaded 1 indicator' }).waitFor();

    await page.getByRole('link', { name: 'Retro-hunts' }).click();
    await page.getByRole('heading', { name: 'Retro-hunts', level: 1 }).waitFor();
    const start = page.getByRole('form', { name: 'Start a retro-hunt' });
    await start.getByLabel('Run').selectOption({ label: `feed 1: ${HOSTILE}` });
    await start.getByLabel('from (UTC)').fill('2021-01-01T00:00');
    await start.getByRole('button', { name: 'Start retro-hunt' }).click();
    await page.waitForURL(/\/retrohunts\/\d+$/);
    await page.getByTestId('retrohunt-status').filter({ hasText: 'done' }).waitFor({ timeout: DEADLINE_MS });
    // The feed's name is text in the heading, never markup.
    const heading = (await page.getByRole('heading', { level: 1 }).textContent()) ?? '';
    assert.ok(heading.includes(HOSTILE), heading);
    assert.equal(await page.locator('h1 img').count(), 0);
    assert.match(
      (await page.getByTestId('retrohunt-hits').textContent()) ?? '',
      /^1 on 1 server\(s\), 1 new finding/,
    );
    const row = page.getByRole('table', { name: 'Hits' }).getByRole('row', { name: /EX01/ });
    await row.waitFor();
    const cells = (await row.getByRole('cell').allTextContents()).join(' | ');
    assert.match(cells, /198\.51\.100\.9/);
    assert.match(cells, /both/, 'found in stored indicators and in the bundle');
    assert.equal(
      await page.getByRole('progressbar', { name: 'Bundles re-analysed' }).getAttribute('value'),
      '1',
    );
    await screenshot(page, 'retrohunt');
    // The hit links to its server.
    await row.getByRole('link', { name: 'EX01' }).click();
    await page.waitForURL(/\/servers\/\d+/);
    assert.deepEqual(dialogs, []);
  });
});
