// The chain of custody on the server page, in headless Chromium against the real server: each scan shows its
// collector, operator, host and time, whether the record was verified, the counts, and behind a disclosure the
// files that disagreed, all as text (hostile names included); a live scan says which event logs it exported.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { EVIL } from '../analysis/testkit.js';
import type { Problem } from '../core/problem.js';
import type { ScanReport } from '../core/report.js';
import { makeReport } from '../store/testing.js';
import {
  browserSkip,
  fetchIn,
  launchChromium,
  screenshot,
  signInAsNewAnalyst,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';

const PASSWORD = 'fabrikam-analyst-password';
const SHA = 'a'.repeat(64);

function custodyProblems(): Problem[] {
  const p = (code: string, path: string, message: string): Problem => ({
    code,
    path,
    message,
    severity: code === 'custody.not-collected' || code === 'custody.unlisted' ? 'warning' : 'error',
  });
  return [
    p('custody.missing', 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210302.log', 'manifest.json files[3]: listed as collected, not in the bundle'),
    p('custody.hash-mismatch', `C/inetpub/wwwroot/aspnet_client/${EVIL.img}.aspx`, `manifest.json files[7]: SHA-256 ${'b'.repeat(64)}; collected with SHA-256 ${SHA}: not the file that was collected`),
    p('custody.hash-mismatch', `C/inetpub/wwwroot/aspnet_client/${EVIL.bidi}`, 'manifest.json files[8]: another hash'),
    p('custody.not-collected', 'C/ProgramData/big.zip', 'manifest.json skipped[0]: C:\\ProgramData\\big.zip not collected (larger than maxBytes)'),
    p('custody.unlisted', 'C/Windows/Temp/added.aspx', 'in the bundle but not in manifest.json: added after the collection'),
    { code: 'parse.bad-line', path: 'C/x.log', line: 2, message: 'not custody', severity: 'error' },
  ]; // prettier-ignore
}

describe('the chain of custody in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, number> = {};

  before(async () => {
    server = await startLiveServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    await signInAsNewAnalyst(page, server, { org: 'Fabrikam', username: 'dave', password: PASSWORD });
    const now = new Date().toISOString();
    const base = makeReport('inconclusive', []);
    const scan = { ...base.scan, startedAt: now, finishedAt: now };
    const collected: ScanReport = {
      ...base,
      scan,
      problems: custodyProblems(),
      custody: {
        manifest: 'manifest.json',
        manifestSha256: SHA,
        collector: { name: 'exhunt-collector', version: `1.2.3${EVIL.script}` },
        operator: `CONTOSO\\resp${EVIL.bidi}`,
        host: 'EXCH01',
        domain: 'contoso.local',
        timeZone: { id: 'W. Europe Standard Time', utcOffsetMinutes: 60 },
        collectedAt: '2021-03-10T09:00:00.000Z',
        files: 40,
        verified: 37,
        failed: 3,
        notCollected: 1,
        unlisted: 1,
      },
    };
    const live: ScanReport = {
      ...base,
      scan: {
        ...scan,
        live: {
          tempFolder: 'C:\\Windows\\Temp\\exhunt-live-x',
          removed: true,
          exports: [
            { channel: 'Application', path: 'Windows/System32/winevt/Logs/Application.evtx', status: 'exported', startedAt: now, finishedAt: now, bytes: 69632 },
            { channel: 'Security', path: 'Windows/System32/winevt/Logs/Security.evtx', status: 'failed', startedAt: now, finishedAt: now, error: 'exit code 5: Access is denied.', readLive: false },
            { channel: 'Microsoft-Windows-Sysmon/Operational', path: 'Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%4Operational.evtx', status: 'absent', startedAt: now, finishedAt: now },
          ],
        },
      },
    }; // prettier-ignore
    for (const [name, report] of [
      ['exch01', collected],
      ['exch02', live],
    ] as const) {
      const up = await fetchIn(page, `/reports?server=${name}.contoso.local`, {
        method: 'POST',
        body: report,
      });
      assert.equal(up.status, 201, up.body);
      ids[name] = (JSON.parse(up.body) as { serverId: number }).serverId;
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a collected bundle: collector, operator, host, time, not verified, counts, the files behind them', async () => {
    await page.goto(`${server.url}/servers/${ids['exch01']}?tab=evidence`);
    const section = page.locator('section.custody');
    await section.getByRole('heading', { name: 'Chain of custody' }).waitFor();
    const facts = (await section.locator('.custody-facts').textContent()) ?? '';
    assert.match(facts, /Collected withCollect-Exhunt\.ps1 1\.2\.3<script>/);
    assert.ok(facts.includes('CONTOSO\\resp' + EVIL.bidi.replace('\u202e', '\\u202e')), facts);
    assert.match(facts, /HostEXCH01 \(contoso\.local\), time zone W\. Europe Standard Time/);
    assert.match(facts, /Collected at2021-03-10 09:00(:00)? UTC/);
    assert.ok(facts.includes(`SHA-256 ${SHA}`));
    const verdict = section.locator('[data-verified]');
    assert.equal(await verdict.getAttribute('data-verified'), 'no');
    assert.match((await verdict.textContent()) ?? '', /Record not verified: 3 files of 40/);
    const countOf = async (kind: string) =>
      ((await section.locator(`.custody-counts [data-kind="${kind}"]`).textContent()) ?? '').trim();
    assert.equal(await countOf('missing'), '1 missing');
    assert.equal(await countOf('hashMismatch'), '2 hash mismatch');
    assert.equal(await countOf('notCollected'), '1 skipped by the collector');
    assert.equal(await countOf('unlisted'), '1 not in the record');
    // The list is behind a disclosure, and holds only custody problems.
    const list = section.locator('details.custody-list');
    const rows = list.locator('tbody tr');
    assert.equal(await rows.first().isVisible(), false);
    await list.locator('summary', { hasText: 'The 5 files behind these counts' }).click();
    await rows.first().waitFor();
    assert.equal(await rows.count(), 5);
    const bodyText = (await list.locator('tbody').textContent()) ?? '';
    assert.ok(bodyText.includes(EVIL.img), 'the hostile name is shown as text');
    assert.ok(bodyText.includes('gpj.\\u202easpx'), 'the bidi override is shown, not applied');
    assert.ok(!bodyText.includes('\u202e'));
    // Nothing the evidence said became markup.
    assert.equal(await page.locator('section.custody img, section.custody script').count(), 0);
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    // The problems table below shows the same names the same way.
    const problems = (await page.getByRole('table', { name: 'Problems' }).textContent()) ?? '';
    assert.ok(problems.includes('gpj.\\u202easpx') && !problems.includes('\u202e'), 'problems: bidi shown');
    await screenshot(page, 'custody-collected');
  });

  test('a live scan: the event logs exported, the one that failed, the one the server lacks', async () => {
    await page.goto(`${server.url}/servers/${ids['exch02']}?tab=evidence`);
    const live = page.locator('section.custody .custody-live');
    await live.waitFor();
    const text = (await live.textContent()) ?? '';
    assert.match(text, /Scanned live on the server: 1 of 3 event log channels exported with wevtutil epl/);
    assert.match(text, /deleted after reading/);
    assert.match(
      (await live.locator('[data-status="failed"]').textContent()) ?? '',
      /Security: not exported \(exit code 5: Access is denied\.\); not read/,
    );
    assert.match((await live.locator('[data-status="absent"]').textContent()) ?? '', /Sysmon.*no such log/);
    // No collector's record: the panel does not invent one.
    assert.equal(await page.locator('section.custody .custody-facts').count(), 0);
    await screenshot(page, 'custody-live');
  });
});
