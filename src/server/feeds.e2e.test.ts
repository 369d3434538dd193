// The dashboard's Feeds page end to end in headless Chromium against the real server: an analyst uploads a
// feed with a bad line and reads the line in the feed's problems, a refused feed shows the server's problems,
// a feed named like markup shows as text, turning a feed off, an administrator's shared feed that tenants
// cannot change, and a viewer who is offered no upload.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserSkip,
  fetchIn,
  launchChromium,
  screenshot,
  signIn,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';

const ANALYST_PASSWORD = 'acme-analyst-password';
const VIEWER_PASSWORD = 'acme-viewer-password';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
/** Two indicators and, on line 2, a line that is none. */
const FEED = '203.0.113.77\nnot an indicator line!!\nevil.example.com\n';

const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

describe('the Feeds page in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  let analyst: { context: BrowserContext; page: Page };
  const dialogs: string[] = [];

  before(async () => {
    server = await startLiveServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    // Anything markup in a feed could make the page do would show up as a dialog; none must.
    page.on('dialog', (d) => {
      if (d.type() === 'confirm') return void d.accept();
      dialogs.push(d.message());
      void d.dismiss();
    });
    return { context, page };
  }

  const feedsTable = (page: Page) => page.getByRole('table', { name: 'Feeds', exact: true });

  test('an administrator sets up a tenant and uploads a shared feed from the page', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.url, 'admin', server.adminPassword);
    assert.equal(
      (await fetchIn(page, '/organisations', { method: 'POST', body: { name: 'acme' } })).status,
      201,
    );
    for (const [username, role, password] of [
      ['alice', 'analyst', ANALYST_PASSWORD],
      ['vera', 'viewer', VIEWER_PASSWORD],
    ] as const) {
      const r = await fetchIn(page, '/users', {
        method: 'POST',
        body: { username, role, org: 'acme', password },
      });
      assert.equal(r.status, 201, r.body);
    }
    await page.getByRole('link', { name: 'Feeds' }).click();
    await page.getByRole('heading', { name: 'Feeds', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Upload a feed' });
    await form.getByLabel(/^Feed file/).setInputFiles(file('cert-shared.txt', '198.51.100.9\n'));
    await form.getByLabel('Shared with every organisation').check();
    assert.equal(await form.getByLabel('Organisation', { exact: true }).isDisabled(), true);
    await form.getByRole('button', { name: 'Upload feed' }).click();
    await form.getByRole('status').filter({ hasText: 'Loaded 1 indicator from “cert-shared.txt”' }).waitFor();
    const row = feedsTable(page).getByRole('row', { name: /cert-shared\.txt/ });
    await row.getByText('shared', { exact: true }).waitFor();
    await context.close();
  });

  test('an analyst uploads a feed with one bad line, sees it listed with 1 problem and the line in its detail', async () => {
    analyst = await newPage();
    const { page } = analyst;
    await signIn(page, server.url, 'alice', ANALYST_PASSWORD);
    await page.getByRole('link', { name: 'Feeds' }).click();
    await page.waitForURL(/\/feeds$/);
    // The shared feed is listed, but it is the administrators' to change.
    const shared = feedsTable(page).getByRole('row', { name: /cert-shared\.txt/ });
    await shared.waitFor();
    assert.equal(await shared.getByRole('button').count(), 0, 'no buttons on a shared feed for a tenant');

    const form = page.getByRole('form', { name: 'Upload a feed' });
    await form.getByLabel(/^Feed file/).setInputFiles(file('acme-ips.txt', FEED));
    await form.getByLabel(/^Feed name/).fill('acme watchlist');
    await form.getByRole('button', { name: 'Upload feed' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: 'Loaded 2 indicators from “acme watchlist”, with 1 problem.' })
      .waitFor();
    const row = feedsTable(page).getByRole('row', { name: /acme watchlist/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    assert.deepEqual(cells.slice(0, 6), ['acme watchlist', 'acme', 'text', '2', '1', 'enabled']);
    assert.equal(cells[6], 'alice');
    assert.match(cells[7] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // The new feed is selected: its detail lists the problem with its line.
    await page.waitForURL(/feed=\d+/);
    await page.getByRole('heading', { name: /acme watchlist/, level: 2 }).waitFor();
    const problems = page.getByRole('table', { name: 'Feed problems' });
    const problem = problems.getByRole('row', { name: /ioc\.bad-entry/ });
    await problem.waitFor();
    const [code, line, message] = await problem.getByRole('cell').allTextContents();
    assert.equal(code, 'ioc.bad-entry');
    assert.equal(line, '2');
    assert.match(message ?? '', /not an indicator line!!/);
    // A click on another row's name selects that row instead.
    await shared.getByText('cert-shared.txt').click();
    await page.getByRole('heading', { name: /cert-shared\.txt/, level: 2 }).waitFor();
    await page
      .getByRole('table', { name: 'Feed problems' })
      .getByText('Every line of the feed loaded.')
      .waitFor();
    await row.click();
    await problems.getByRole('row', { name: /ioc\.bad-entry/ }).waitFor();
    await screenshot(page, 'feeds');
  });

  test('a feed where nothing loads is refused with the server’s problems', async () => {
    const { page } = analyst;
    const form = page.getByRole('form', { name: 'Upload a feed' });
    await form.getByLabel(/^Feed file/).setInputFiles(file('junk.txt', 'foo bar\nbaz qux\n'));
    await form.getByLabel(/^Feed name/).fill('');
    await form.getByRole('button', { name: 'Upload feed' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /^Refused: nothing in "junk\.txt" could be loaded/ })
      .waitFor();
    const refused = page.getByRole('table', { name: 'Problems of the refused feed' });
    assert.equal(await refused.getByRole('row', { name: /ioc\.bad-entry/ }).count(), 2);
    const lines = await refused.locator('.vt-body [role=row] [role=cell]:nth-child(2)').allTextContents();
    assert.deepEqual(lines, ['1', '2']);
    assert.equal(
      await feedsTable(page)
        .getByRole('row', { name: /junk\.txt/ })
        .count(),
      0,
    );
    await screenshot(page, 'feeds-refused');
  });

  test('a feed named like markup shows as text, and no element is made from it', async () => {
    const { page } = analyst;
    const form = page.getByRole('form', { name: 'Upload a feed' });
    await form.getByLabel(/^Feed file/).setInputFiles(file('x.txt', `192.0.2.44\n${HOSTILE_NAME}\n`));
    await form.getByLabel(/^Feed name/).fill(HOSTILE_NAME);
    await form.getByRole('button', { name: 'Upload feed' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: `Loaded 1 indicator from “${HOSTILE_NAME}”` })
      .waitFor();
    const row = feedsTable(page).locator('[role=row]', { hasText: HOSTILE_NAME });
    await row.waitFor();
    await page.getByRole('heading', { name: HOSTILE_NAME, level: 2 }).waitFor();
    await page
      .getByRole('table', { name: 'Feed problems' })
      .getByText(HOSTILE_NAME, { exact: false })
      .waitFor();
    const text = String(await page.evaluate('document.body.innerText'));
    assert.ok(text.includes(HOSTILE_NAME), 'the name is shown as written');
    assert.equal(await page.locator('img, iframe, object, embed, main script').count(), 0);
    assert.deepEqual(dialogs, []);
    await screenshot(page, 'feeds-hostile-name');
  });

  test('the analyst disables the feed and the row shows it disabled, also after a reload', async () => {
    const { page } = analyst;
    const row = feedsTable(page).getByRole('row', { name: /acme watchlist/ });
    await row.getByRole('button', { name: 'Disable acme watchlist' }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Enable acme watchlist' }).waitFor();
    await page.reload();
    await feedsTable(page)
      .getByRole('row', { name: /acme watchlist/ })
      .getByText('disabled', { exact: true })
      .waitFor();
    const list = JSON.parse((await fetchIn(page, '/feeds')).body) as {
      items: { name: string; enabled: boolean }[];
    };
    assert.equal(list.items.find((f) => f.name === 'acme watchlist')?.enabled, false);
    // Deleting asks first (the dialog is accepted) and takes the row away.
    const hostile = feedsTable(page).locator('[role=row]', { hasText: HOSTILE_NAME });
    await hostile.getByRole('button', { name: /^Delete / }).click();
    await hostile.waitFor({ state: 'detached' });
    assert.deepEqual(dialogs, []);
  });

  test('the exports follow the organisation filter', async () => {
    const { page } = analyst;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export as CSV' }).click(),
    ]);
    assert.match(download.url(), /\/api\/v1\/intel\/csv$/);
    assert.equal(
      await page.getByRole('link', { name: 'Export as STIX 2.1' }).getAttribute('href'),
      '/api/v1/intel/stix',
    );
    await page.goto(`${server.url}/feeds?org=acme`);
    assert.equal(
      await page.getByRole('link', { name: 'Export as STIX 2.1' }).getAttribute('href'),
      '/api/v1/intel/stix?org=acme',
    );
  });

  test('a viewer sees the feeds but no upload form, no buttons and no exports', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.url, 'vera', VIEWER_PASSWORD);
    await page.getByRole('link', { name: 'Feeds' }).click();
    const row = feedsTable(page).getByRole('row', { name: /acme watchlist/ });
    await row.waitFor();
    assert.equal(await page.getByRole('form', { name: 'Upload a feed' }).count(), 0);
    assert.equal(await page.getByLabel(/^Feed file/).count(), 0);
    assert.equal(
      await feedsTable(page)
        .getByRole('button', { name: /^(Disable|Enable|Delete) / })
        .count(),
      0,
    );
    assert.equal(await page.getByRole('link', { name: /^Export as / }).count(), 0);
    await screenshot(page, 'feeds-viewer');
    await context.close();
  });
});
