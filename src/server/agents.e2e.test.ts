// The Agents page and an agent's findings on its server's page, end to end in headless Chromium against the
// real server: two agents report (one named like markup, one that then goes silent), the page lists each with
// its state, last contact in UTC ISO-8601, lag and rules version, the hostile name as text; the watched
// server's page opens on the agent's scan, whose Events tab lists the request the agent found. A screenshot
// of the Agents page is kept in test-artifacts/dashboard/.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  browserSkip,
  fetchIn,
  launchChromium,
  screenshot,
  signInAsNewAnalyst,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';

const PASSWORD = 'acme-analyst-password';
const HOSTILE = '<img src=x onerror=alert(1)>ex02';
const SILENT_AFTER = 2;

describe('the Agents page in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const before_ = process.env.EXHUNT_AGENT_SILENT_SECONDS;

  before(async () => {
    // Read by the server at each request: agents go silent after 2 s here.
    process.env.EXHUNT_AGENT_SILENT_SECONDS = String(SILENT_AFTER);
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
    if (before_ === undefined) delete process.env.EXHUNT_AGENT_SILENT_SECONDS;
    else process.env.EXHUNT_AGENT_SILENT_SECONDS = before_;
    await browser?.close();
    await server?.close();
  });

  const beat = async (agentId: string, name: string, lagSeconds: number, problems: object[] = []) => {
    const r = await fetchIn(page, '/agent/heartbeat', {
      method: 'POST',
      body: {
        agentId,
        server: name,
        version: '0.1.0',
        rulesVersion: 'r-1234',
        indicators: 42,
        lagSeconds,
        spool: { bytes: 0, commits: 0, full: false },
        files: 7,
        losses: [],
        problems,
      },
    });
    assert.equal(r.status, 200, r.body);
  };

  test('agents are listed with their state, last contact and versions; the watched server shows what its agent found', async () => {
    await signInAsNewAnalyst(page, server, { org: 'acme', username: 'alice', password: PASSWORD });
    await beat('quiet-agent', HOSTILE, 0);
    await new Promise((r) => setTimeout(r, (SILENT_AFTER + 1) * 1000));
    await beat('busy-agent', 'EX01', 3, [
      {
        code: 'agent.event-log-query-failed',
        path: 'Windows/System32/winevt/Logs/Security.evtx',
        channel: 'Security',
        message: 'wevtutil epl Security failed (exit code 5: Access is denied.)',
      },
    ]);
    const sent = await fetchIn(page, '/agent/findings', {
      method: 'POST',
      body: {
        agentId: 'busy-agent',
        server: 'EX01',
        items: [
          {
            key: 'busy-agent-key-0001',
            source: 'httpproxy',
            family: 'HttpProxy/Ecp',
            seenAt: new Date().toISOString(),
            finding: {
              id: 'agent-f1',
              rule: {
                id: 'exhunt.proxylogon.ssrf',
                title: 'ProxyLogon SSRF',
                author: 'exhunt',
                source: 'exhunt',
              },
              severity: 'high',
              cves: ['CVE-2021-26855'],
              stage: 'exploit',
              outcome: 'success',
              time: new Date(Date.now() - 60_000).toISOString(),
              sourceIps: ['198.51.100.9'],
              userAgent: 'python-requests/2.25.1',
              evidence: [
                { path: 'Logging/HttpProxy/Ecp/HttpProxy_1.LOG', line: 7, excerpt: 'POST /ecp/y.js' },
              ],
              summary: 'POST /ecp/y.js from 198.51.100.9 -> 241',
            },
          },
        ],
      },
    });
    assert.equal(sent.status, 200, sent.body);

    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    const table = page.getByRole('table', { name: 'Agents' });
    const busy = table.getByRole('row', { name: /EX01/ });
    const quiet = table.getByRole('row', { name: /onerror/ });
    await busy.waitFor();
    assert.equal(await busy.locator('[data-state]').getAttribute('data-state'), 'ok');
    assert.equal(await quiet.locator('[data-state]').getAttribute('data-state'), 'silent');
    assert.match(
      (await busy.textContent()) ?? '',
      /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
      'last contact in UTC ISO',
    );
    assert.match((await busy.textContent()) ?? '', /r-1234 \(42 indicators\)/);
    assert.match((await busy.textContent()) ?? '', /3 s/);
    assert.match((await busy.textContent()) ?? '', /Security\.evtx: wevtutil epl Security failed/);
    // The hostile name is text: shown as typed, no element made of it, no script run.
    assert.match((await quiet.textContent()) ?? '', /<img src=x onerror=alert\(1\)>ex02/);
    assert.equal(await page.locator('main img').count(), 0);
    await page.getByRole('alert').filter({ hasText: '1 agent is silent' }).waitFor();
    await screenshot(page, 'agents');

    // The agent's finding raised the server's verdict: its page opens on the agent's scan, with the event.
    await busy.click();
    await page.waitForURL(/\/servers\/\d+\?scan=\d+$/);
    await page.locator('.verdict-panel .badge', { hasText: 'Exploited' }).waitFor();
    await page
      .getByLabel('Monitoring agents')
      .getByText(/busy-agent/)
      .waitFor();
    await page.getByRole('tab', { name: 'Events' }).click();
    const event = page.locator('.event[data-event="E1"]');
    await event.waitFor();
    assert.match((await event.textContent()) ?? '', /POST \/ecp\/y\.js/);
    assert.match((await page.locator('.triage-panel').textContent()) ?? '', /Triage score [1-9]/);
    assert.deepEqual(dialogs, []);
  });
});
