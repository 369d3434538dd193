// The Account page end to end in headless Chromium: a user changes their password, the form refuses a
// wrong current password and two new ones that differ, and only the new password signs in afterwards.

import assert from 'node:assert/strict';
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

const FIRST = 'pat-first-password';
const SECOND = 'pat-second-password';

describe('the Account page in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;

  before(async () => {
    server = await startLiveServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a user changes their password from the page; the old one no longer signs in', async () => {
    const admin = await browser.newPage();
    await signIn(admin, server.url, 'admin', server.adminPassword);
    assert.equal(
      (await fetchIn(admin, '/organisations', { method: 'POST', body: { name: 'acme' } })).status,
      201,
    );
    const made = await fetchIn(admin, '/users', {
      method: 'POST',
      body: { username: 'pat', role: 'analyst', org: 'acme', password: FIRST },
    });
    assert.equal(made.status, 201, made.body);

    const context = await browser.newContext({
      viewport: { width: 1200, height: 800 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    await signIn(page, server.url, 'pat', FIRST);
    await page.getByRole('link', { name: 'pat · analyst · acme' }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    const fill = async (current: string, next: string, again: string) => {
      await page.getByLabel('Current password').fill(current);
      await page.getByLabel(/^New password \(/).fill(next);
      await page.getByLabel('New password again').fill(again);
      await page.getByRole('button', { name: 'Change password' }).click();
    };
    await fill(FIRST, SECOND, `${SECOND}x`);
    assert.match(await page.getByRole('alert').innerText(), /differ/);
    await fill('not the password', SECOND, SECOND);
    await page.getByRole('alert').getByText('the current password is wrong').waitFor();
    await fill(FIRST, SECOND, SECOND);
    await page
      .getByRole('status')
      .getByText(/Password changed/)
      .waitFor();
    await screenshot(page, 'account');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('pat');
    await page.getByLabel('Password').fill(FIRST);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('wrong username or password').waitFor();
    await signIn(page, server.url, 'pat', SECOND);
    await context.close();
  });
});
