// Test-only: the real fleet server on 127.0.0.1 (temporary SQLite folder, built dashboard, in-process worker),
// Debian's headless Chromium driven by playwright-core, and the example generator's compromised bundle.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { SCENARIOS } from '../../../examples/lib/scenarios/index.js';
import { chromiumSkip, launchChromium } from '../../report/testing/chromium.js';
import { startServer } from '../runtime.js';
import type { Running } from '../runtime.js';

/** From dist/src/server/testing/ back to the repository. */
const REPO = new URL('../../../../', import.meta.url);
const WEB_DIST = fileURLToPath(new URL('web/dist/', REPO));
export const ARTIFACTS = fileURLToPath(new URL('test-artifacts/dashboard/', REPO));

/** Why the browser tests cannot run here, or false when they can. */
export function browserSkip(): string | false {
  const noChromium = chromiumSkip();
  if (noChromium) return noChromium;
  if (!existsSync(path.join(WEB_DIST, 'index.html')))
    return `the dashboard is not built (${WEB_DIST}): run npm run build:web first`;
  return false;
}

export { launchChromium };

export interface LiveServer {
  url: string;
  adminPassword: string;
  /** A scratch folder removed on close (the database lives in it). */
  dir: string;
  close(): Promise<void>;
}

/**
 * `exhunt serve` in this process, as users run it, on a free port; the first start prints admin's password.
 * On SQLite by default, with one worker in the process; given a PostgreSQL `database`, none (start workers).
 */
export async function startLiveServer(o: { database?: string } = {}): Promise<LiveServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-e2e-'));
  const lines: string[] = [];
  const running: Running = await startServer({
    dataDir: path.join(dir, 'data'),
    host: '127.0.0.1',
    port: 0,
    log: (l) => lines.push(l),
    webRoot: WEB_DIST,
    ...(o.database ? { database: o.database, workers: 0 } : { workers: 1 }),
    // One scan thread: the suite shares two cores with everything else in CI.
    threads: 1,
  }).catch(async (e: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  const adminPassword = /with password (\S+)/.exec(lines.join('\n'))?.[1];
  if (!adminPassword) throw new Error(`no administrator password printed: ${lines.join('\n')}`);
  return {
    url: running.url,
    adminPassword,
    dir,
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The README's compromised example server as an evidence bundle. */
export async function exampleBundle(dir: string): Promise<string> {
  const file = path.join(dir, 'compromised.zip');
  const make = SCENARIOS.compromised;
  if (!make) throw new Error('the example generator has no compromised scenario');
  await make({ seed: 1, scale: 1 }).tree.zip(file, 'compromised');
  return file;
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Signed in as the administrator, creates an organisation and an analyst in it, then signs in as that
 * analyst: where most dashboard tests start. Throws with the server's answer when a step is refused.
 */
export async function signInAsNewAnalyst(
  page: Page,
  server: LiveServer,
  who: { org: string; username: string; password: string },
): Promise<void> {
  await signIn(page, server.url, 'admin', server.adminPassword);
  const org = await fetchIn(page, '/organisations', { method: 'POST', body: { name: who.org } });
  if (org.status !== 201) throw new Error(`creating organisation ${who.org}: ${org.status} ${org.body}`);
  const user = await fetchIn(page, '/users', {
    method: 'POST',
    body: { username: who.username, role: 'analyst', org: who.org, password: who.password },
  });
  if (user.status !== 201) throw new Error(`creating user ${who.username}: ${user.status} ${user.body}`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, server.url, who.username, who.password);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A call to the API from the page, with its session cookie and the header cookie-signed changes need. */
export async function fetchIn(
  page: Page,
  pathname: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: string }> {
  return page.evaluate(
    async ({ pathname, method, body }) => {
      const r = await fetch(`/api/v1${pathname}`, {
        method,
        headers: {
          'x-requested-with': 'e2e',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: r.status, body: await r.text() };
    },
    { pathname, method: init.method ?? 'GET', body: init.body },
  );
}
