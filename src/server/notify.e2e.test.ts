// The Notifications page in headless Chromium against the real server: an analyst adds a webhook channel,
// sends a test and sees it delivered (the server's own dispatcher, signed); a hostile channel name is text.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  browserSkip,
  fetchIn,
  launchChromium,
  screenshot,
  signIn,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the Notifications page in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  const received: { signature: string; body: string }[] = [];
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ signature: String(req.headers['x-exhunt-signature']), body });
      res.end();
    });
  });
  before(async () => {
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    server = await startLiveServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    hook.closeAllConnections();
    await new Promise((r) => hook.close(r));
  });

  test('an analyst adds a webhook, sends a test, and sees it sent', async () => {
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(page, server.url, 'admin', server.adminPassword);
    assert.equal(
      (await fetchIn(page, '/organisations', { method: 'POST', body: { name: 'acme' } })).status,
      201,
    );
    const made = await fetchIn(page, '/users', {
      method: 'POST',
      body: { username: 'alice', role: 'analyst', org: 'acme', password: 'acme-analyst-password' },
    });
    assert.equal(made.status, 201, made.body);
    await context.clearCookies();
    await signIn(page, server.url, 'alice', 'acme-analyst-password');
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Add a channel' });
    await form.getByLabel('Name').fill(HOSTILE);
    await form.getByLabel('URL').fill(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`);
    await form.getByLabel(/^Shared secret/).fill('0123456789abcdef-secret');
    await form.getByRole('button', { name: 'Add the channel' }).click();
    const table = page.getByRole('table', { name: 'Channels' });
    await table.getByRole('cell', { name: HOSTILE, exact: true }).waitFor();
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'the name is text, not markup');
    await table.getByRole('button', { name: /^Send a test/ }).click();
    await page.getByRole('status').filter({ hasText: 'A test is on its way' }).waitFor();
    // The server's dispatcher sends within seconds; the page shows it after a reload.
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(received.length, 1);
    assert.match(received[0]!.signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal((JSON.parse(received[0]!.body) as { event: string }).event, 'test');
    await page.reload();
    await table.getByRole('cell', { name: /^0 \/ 0$/ }).waitFor();
    assert.doesNotMatch(await table.innerText(), /Last sent \(UTC\)\s+—/);
    await screenshot(page, 'notifications');
    assert.deepEqual(dialogs, []);
    await context.close();
  });

  test('an analyst chooses what a channel is told and sets the remediation deadlines', async () => {
    const context = await browser.newContext({
      viewport: { width: 1360, height: 1400 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    await signIn(page, server.url, 'alice', 'acme-analyst-password');
    await page.getByRole('link', { name: 'Notifications' }).click();
    const events = page.getByRole('form', { name: `Events of ${HOSTILE}` });
    await events.waitFor();
    const campaignNew = events.getByLabel('an attacker campaign reaches a second server');
    const test = events.getByLabel('tests');
    assert.equal(await test.count(), 0, 'tests are sent on request, not chosen');
    await events.getByLabel('a server becomes exploited').uncheck();
    await campaignNew.check();
    await events.getByLabel('a campaign reaches another server').check();
    await events.getByRole('button', { name: /^Save/ }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the events' }).waitFor();
    const channels = await fetchIn(page, '/notifications/channels');
    const saved = (JSON.parse(channels.body) as { items: { events: string[] }[] }).items[0]?.events;
    assert.ok(saved?.includes('campaign.new') && saved?.includes('campaign.grown'), String(saved));
    assert.ok(!saved?.includes('server.exploited'), String(saved));
    const deadlines = page.getByRole('form', { name: 'Remediation deadlines' });
    const contain = deadlines.getByLabel(/^Contain \(days\)/);
    assert.equal(await contain.inputValue(), '1');
    await contain.fill('4');
    await deadlines.getByRole('button', { name: 'Save the deadlines' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the remediation deadlines' }).waitFor();
    await page.reload();
    const after = page.getByRole('form', { name: 'Remediation deadlines' });
    assert.equal(await after.getByLabel(/^Contain \(days\)/).inputValue(), '4');
    await after.getByText('default 1').waitFor();
    assert.equal(await page.getByRole('form', { name: `Events of ${HOSTILE}` }).getByLabel('an attacker campaign reaches a second server').isChecked(), true); // prettier-ignore
    const stored = JSON.parse((await fetchIn(page, '/notifications/overdue')).body) as {
      days: { contain: number };
    };
    assert.equal(stored.days.contain, 4);
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'the name is text, not markup');
    await screenshot(page, 'notification-settings');
    await context.close();
  });
});
