// The hand-off downloads in headless Chromium against the real server: an analyst marks a checklist step,
// then downloads the client's HTML report and the remediation script from the server page and both files
// say what the dashboard says.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RemediationStep } from '../core/report.js';
import { finding, makeReport, webshell } from '../store/testing.js';
import {
  browserSkip,
  fetchIn,
  launchChromium,
  screenshot,
  signInAsNewAnalyst,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';

const PASSWORD = 'contoso-analyst-password';
const SHELL = 'b'.repeat(64);

const STEPS: RemediationStep[] = [
  { order: 1, id: 'preserve-evidence', phase: 'preserve', title: 'Preserve the evidence first', why: 'Cleaning destroys evidence.', actions: ['Copy the logs.'], targets: [], scripted: false },
  {
    order: 2, id: 'quarantine-files', phase: 'eradicate', title: 'Quarantine the webshells', why: 'They give the attacker a way back.', actions: ['Run the script.'], scripted: true,
    targets: [{ kind: 'file', value: 'inetpub/wwwroot/aspnet_client/s.aspx', serverPath: '%SystemDrive%\\inetpub\\wwwroot\\aspnet_client\\s.aspx', sha256: SHELL, detail: 'webshell' }],
  },
]; // prettier-ignore

describe('hand-off downloads in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  let page: Page;
  let serverId = 0;

  before(async () => {
    server = await startLiveServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    await signInAsNewAnalyst(page, server, { org: 'Contoso Ltd', username: 'carol', password: PASSWORD });
    const now = new Date().toISOString();
    const base = makeReport('compromised', [finding('h1', { outcome: 'compromise', stage: 'webshell-use' })], {
      webshells: [webshell('inetpub/wwwroot/aspnet_client/s.aspx', SHELL)],
      remediation: { steps: STEPS, updates: [] },
    });
    const report = {
      ...base,
      scan: { ...base.scan, startedAt: now, finishedAt: now, installPath: 'program files/microsoft/exchange server/v15/', host: { name: 'MAIL01', from: 'iis' } },
    };
    const up = await fetchIn(page, '/reports?server=mail01.contoso.local', { method: 'POST', body: report });
    assert.equal(up.status, 201, up.body);
    serverId = (JSON.parse(up.body) as { serverId: number }).serverId;
  }); // prettier-ignore
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function download(name: string): Promise<{ file: string; text: string }> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    const path = await d.path();
    return { file: d.suggestedFilename(), text: await readFile(path, 'utf8') };
  }

  test('the server page offers both files; they carry the organisation, the statuses marked and the checks', async () => {
    await page.goto(`${server.url}/servers/${serverId}?tab=remediation`);
    const step = page.locator('.step[data-step="quarantine-files"]');
    await step.locator('code.step-key', { hasText: 'quarantine-files' }).waitFor();
    await step.getByRole('checkbox', { name: 'Quarantine the webshells' }).check();
    await step.locator('.step-who', { hasText: /^done — carol, / }).waitFor();
    await page.getByRole('tab', { name: 'Downloads' }).click();
    const handoff = page.locator('.handoff-downloads');
    await handoff.getByRole('heading', { name: 'For Contoso Ltd' }).waitFor();
    await screenshot(page, 'handoff-downloads');

    const report = await download('Report for Contoso Ltd');
    assert.match(report.file, /^exhunt-Contoso_Ltd-mail01.contoso.local-scan-\d+\.html$/);
    const shown = await browser.newPage();
    await shown.setContent(report.text);
    const header = (await shown.locator('section.handoff').textContent()) ?? '';
    assert.match(header, /Prepared for Contoso Ltd · server mail01\.contoso\.local/);
    assert.match(header, /verdict compromised · 1 finding ·/);
    const status = async (key: string) =>
      ((await shown.locator(`[data-step="${key}"] .status`).textContent()) ?? '').replace(/\s+/g, ' ').trim();
    assert.match(await status('quarantine-files'), /^done done — carol, \d{4}-/);
    assert.match(await status('preserve-evidence'), /^open checklist item preserve-evidence/);
    await screenshot(shown, 'handoff-report');
    await shown.close();

    const script = await download('Remediation script');
    assert.match(script.file, /^exhunt-remediation-mail01.contoso.local-scan-\d+\.ps1$/);
    assert.ok(script.text.startsWith('\ufeff# exhunt remediation script'));
    assert.ok(script.text.includes("[string]$ExpectedHost = 'MAIL01',"), 'the host the evidence names');
    assert.ok(script.text.includes("[string]$InstallPath = ($SystemDrive + '\\program files\\microsoft\\exchange server\\v15')"));
    assert.match(script.text, /^Invoke-Step '2\. Quarantine the webshells \[checklist item quarantine-files\]' \{$/m);
    assert.match(script.text, /^# {3}1\. Preserve the evidence first \[checklist item preserve-evidence\]$/m);

    const audit = JSON.parse((await fetchIn(page, '/audit')).body) as { items: { action: string }[] };
    const actions = audit.items.map((a) => a.action);
    assert.ok(actions.includes('remediation-script.download') && actions.includes('report.download'), actions.join(' '));
  }); // prettier-ignore
});
