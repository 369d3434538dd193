// The dashboard end to end in headless Chromium against the real server: sign-in and administration, an
// uploaded bundle scanned into a verdict and a timeline, the remediation checklist, tenant isolation, escaping
// of attacker text, a 100,000-row table, filters in the address, keyboard use and both themes.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EVIL, hostileReport } from '../analysis/testkit.js';
import type { ScanReport } from '../core/report.js';
import { finding, makeReport, webshell } from '../store/testing.js';
import {
  browserSkip,
  exampleBundle,
  fetchIn,
  launchChromium,
  screenshot,
  signIn,
  startLiveServer,
} from './testing/browser.js';
import type { LiveServer } from './testing/browser.js';

const UPLOAD_DEADLINE_MS = 180_000;
const BOB_PASSWORD = 'globex-analyst-password';

describe('the dashboard in Chromium', { skip: browserSkip() }, () => {
  let server: LiveServer;
  let browser: Browser;
  let alice: { context: BrowserContext; page: Page; password: string };
  let bundle: string;
  /** Where the upload landed: `/servers/<id>?scan=<id>`. */
  let resultPath = '';

  before(async () => {
    server = await startLiveServer();
    bundle = await exampleBundle(server.dir);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(
    opts: { colorScheme?: 'light' | 'dark' } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      colorScheme: opts.colorScheme ?? 'light',
    });
    return { context, page: await context.newPage() };
  }

  test('an administrator signs in, creates an organisation, an analyst and a token (secrets shown once), and revokes the token', async () => {
    const { context, page } = await newPage();
    await signIn(page, server.url, 'admin', server.adminPassword);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByLabel('Organisation name').fill('acme');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.locator('#orgs-h + ul li', { hasText: 'acme' }).waitFor();
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username').fill('alice');
    await form.getByLabel('Role').selectOption('analyst');
    await form.getByLabel('Organisation').selectOption({ label: 'acme' });
    await form.getByRole('button', { name: 'Create user' }).click();
    const secret = page.locator('.secret', { hasText: 'Password for alice' }).locator('code');
    await secret.waitFor();
    const password = (await secret.textContent()) ?? '';
    assert.ok(password.length >= 16, 'a generated password is shown');
    await page.locator('table.plain tr', { hasText: 'alice' }).waitFor();
    const tokens = page.getByRole('form', { name: 'New API token' });
    await tokens.getByLabel('Token name').fill('ci-upload');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    await page
      .locator('.secret', { hasText: 'Token ci-upload' })
      .locator('code', { hasText: /^exh_/ })
      .waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Revoke ci-upload' }).click();
    await page
      .locator('table.plain tr', { hasText: 'ci-upload' })
      .getByText(/^revoked /)
      .waitFor();
    // The second tenant through the API, with the administrator's session cookie.
    assert.equal(
      (await fetchIn(page, '/organisations', { method: 'POST', body: { name: 'globex' } })).status,
      201,
    );
    const bob = await fetchIn(page, '/users', {
      method: 'POST',
      body: { username: 'bob', role: 'analyst', org: 'globex', password: BOB_PASSWORD },
    });
    assert.equal(bob.status, 201, bob.body);
    await screenshot(page, 'admin');
    await context.close();
    alice = { ...(await newPage()), password };
  });

  test('an analyst uploads the example bundle, watches it scanned, and lands on the verdict and the timeline', async () => {
    const { page } = alice;
    await signIn(page, server.url, 'alice', alice.password);
    // The first visit to the overview is what "new since your last visit" later counts from.
    await page.locator('.new-findings', { hasText: 'First visit' }).waitFor();
    await page.getByRole('link', { name: 'Upload' }).click();
    await page.getByLabel('Exchange server the evidence is from').fill('EX01');
    await page.getByLabel('Evidence bundle (.zip)').setInputFiles(bundle);
    await page.getByRole('button', { name: 'Upload and scan' }).click();
    await page.waitForURL(/\/servers\/\d+\?scan=\d+$/, { timeout: UPLOAD_DEADLINE_MS });
    resultPath = new URL(page.url()).pathname + new URL(page.url()).search;
    const verdict = page.locator('.verdict-panel');
    await verdict.locator('.badge', { hasText: 'Compromised' }).waitFor();
    assert.match((await verdict.locator('.explanation').textContent()) ?? '', /compromised/i);
    await verdict.getByRole('button', { name: /^Show the decisive evidence/ }).click();
    await verdict.locator('.finding pre.excerpt').first().waitFor();
    await verdict.getByRole('button', { name: /^Hide the decisive evidence/ }).click();
    // One lane per attacker session, plus the milestones.
    const lanes = await page
      .locator('svg [data-lane]')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-lane')));
    assert.equal(lanes[0], 'milestones');
    assert.ok(lanes.includes('S1') && lanes.includes('S2'), `lanes: ${lanes.join(' ')}`);
    const shown = await page.locator('svg circle.event').count();
    assert.ok(shown > 5, `events drawn: ${shown}`);
    await screenshot(page, 'server-timeline');
    // Zooming narrows what is drawn and goes into the address, so the view can be shared.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForURL(/tfrom=.*tto=/);
    assert.ok(
      (await page.locator('svg circle.event').count()) < shown,
      'zooming in leaves events out of view',
    );
    await page.getByRole('button', { name: 'Show all' }).click();
    // An event's findings with their evidence.
    await page.getByRole('table', { name: 'Timeline events' }).getByRole('row').nth(1).click();
    await page.locator('.event-findings .finding pre.excerpt').first().waitFor();
  });

  test('a remediation step is marked done, with who and when, and stays done', async () => {
    const { page } = alice;
    await page.getByRole('tab', { name: 'Remediation' }).click();
    await page.waitForURL(/tab=remediation/);
    const step = page.locator('.step[data-step="preserve-evidence"]');
    await step.getByRole('checkbox', { name: 'Preserve the evidence first' }).check();
    await step
      .locator('.step-who', { hasText: /^done — alice, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/ })
      .waitFor();
    await page.reload();
    await step.locator('.step-who', { hasText: 'done — alice' }).waitFor();
    assert.equal(await step.getByRole('checkbox').isChecked(), true);
    await screenshot(page, 'remediation');
    await page.getByRole('tab', { name: 'Downloads' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'HTML report' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^exhunt-EX01-scan-\d+\.html$/);
  });

  test('scan history lists a later scan of the server and what changed since the first', async () => {
    const { page } = alice;
    const [, serverId, scanId] = /\/servers\/(\d+)\?scan=(\d+)/.exec(resultPath) ?? [];
    const report = JSON.parse((await fetchIn(page, `/scans/${scanId}/report`)).body) as {
      scan: { finishedAt: string };
      webshells: unknown[];
    };
    // The same server scanned again after the webshells were quarantined.
    report.scan.finishedAt = new Date().toISOString();
    report.webshells = [];
    const up = await fetchIn(page, '/reports?server=EX01', { method: 'POST', body: report });
    assert.equal(up.status, 201, up.body);
    const later = (JSON.parse(up.body) as { scanId: number }).scanId;
    await page.goto(`${server.url}/servers/${serverId}?tab=history`);
    const scans = page.getByRole('table', { name: 'Scans of this server' });
    await scans.getByRole('row', { name: new RegExp(`^${later}\\b`) }).waitFor();
    await scans.getByRole('row', { name: new RegExp(`^${scanId}\\b`) }).waitFor();
    await page.getByRole('heading', { name: new RegExp(`^Since scan ${scanId} `) }).waitFor();
    await page.getByText(/^2 webshells gone/).waitFor();
    await screenshot(page, 'history-diff');
  });

  test('the overview lists what is new since the last visit, and filters live in the address', async () => {
    // A new tab is a new visit; the last one was before the upload.
    const page = await alice.context.newPage();
    await page.goto(server.url);
    const news = page.locator('.new-findings');
    await news.getByRole('link', { name: 'EX01' }).waitFor();
    assert.match((await news.textContent()) ?? '', /\d+ new findings? on 1 server/);
    await page.locator('.verdict-card.verdict-compromised .big', { hasText: '1' }).waitFor();
    await screenshot(page, 'fleet');
    await page.getByLabel('Verdict', { exact: true }).selectOption('clean');
    await page.waitForURL(/verdict=clean/);
    await page.getByRole('table', { name: 'Servers', exact: true }).getByText('No server matches.').waitFor();
    await page.getByLabel('Verdict', { exact: true }).selectOption('compromised');
    await page.getByLabel('Search').fill('ex0');
    await page.waitForURL(/q=ex0/);
    await page.reload();
    assert.equal(await page.getByLabel('Search').inputValue(), 'ex0');
    assert.equal(await page.getByLabel('Verdict', { exact: true }).inputValue(), 'compromised');
    await page
      .getByRole('table', { name: 'Servers', exact: true })
      .getByRole('link', { name: 'EX01' })
      .waitFor();
    await page.close();
  });

  test('needs action first: every server in triage order, each line with its reasons, the order explained', async () => {
    const page = await alice.context.newPage();
    await page.goto(server.url);
    const ago = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();
    const now = new Date().toISOString();
    const fresh = (r: ScanReport): ScanReport => ({
      ...r,
      scan: { ...r.scan, startedAt: now, finishedAt: now },
    });
    // Beside the scanned example (EX01: compromised, credentials dumped): a webshell with an attacker active
    // yesterday, attempts yesterday, and a quiet server.
    const uploads: [string, ScanReport][] = [
      [
        'MAIL-SHELL',
        fresh(
          makeReport(
            'compromised',
            [finding('s1', { time: ago(1), outcome: 'compromise', stage: 'webshell-use' })],
            {
              webshells: [webshell(`inetpub/wwwroot/aspnet_client/${EVIL.img}.aspx`, 'f'.repeat(64))],
            },
          ),
        ),
      ],
      ['MAIL-ACTIVE', fresh(makeReport('attempted', [finding('a1', { time: ago(1), outcome: 'attempt' })]))],
      ['MAIL-QUIET', fresh(makeReport('clean', []))],
    ];
    for (const [name, report] of uploads) {
      const up = await fetchIn(page, `/reports?server=${name}`, { method: 'POST', body: report });
      assert.equal(up.status, 201, up.body);
    }
    await page.reload();
    const table = page.getByRole('table', { name: 'Needs action first' });
    await table.getByRole('link', { name: 'MAIL-QUIET' }).waitFor();
    const rows = table.locator('.vt-body [role=row]');
    const order = await rows.evaluateAll((rs) =>
      rs
        .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
        .map((r) => r.querySelector('a')?.textContent ?? ''),
    );
    const at = (name: string) => order.indexOf(name);
    assert.ok(
      at('MAIL-SHELL') === 0 && at('EX01') < at('MAIL-ACTIVE') && at('MAIL-ACTIVE') < at('MAIL-QUIET'),
      order.join(' '),
    );
    const codes = async (name: string) =>
      rows
        .filter({ has: page.getByRole('link', { name, exact: true }) })
        .locator('.reason')
        .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-code')));
    assert.deepEqual(await codes('MAIL-SHELL'), ['webshell-on-disk', 'attacker-active', 'verdict']);
    assert.ok((await codes('EX01')).includes('credential-dump'));
    assert.deepEqual(await codes('MAIL-ACTIVE'), ['attacker-active', 'verdict']);
    assert.deepEqual(await codes('MAIL-QUIET'), []);
    // The facts behind a reason, attacker text included, as text on hover.
    const shell = rows
      .filter({ has: page.getByRole('link', { name: 'MAIL-SHELL' }) })
      .locator('.reason')
      .first();
    assert.ok(((await shell.getAttribute('title')) ?? '').includes(EVIL.img));
    assert.equal(await page.locator('main img').count(), 0);
    const why = (await page.locator('.why-order').textContent()) ?? '';
    assert.match(why, /^Why this order: Highest triage score first/);
    assert.match(why, /last 7 days/);
    await screenshot(page, 'needs-action');
    await page.close();
  });

  test('events: one row per request opened to its lines from every log, probes grouped after them', async () => {
    const page = await alice.context.newPage();
    await page.goto(server.url + resultPath);
    await page.getByRole('tab', { name: 'Events' }).click();
    const events = page.getByRole('list', { name: 'Events' });
    await events.getByRole('listitem').first().waitFor();
    // The example's ProxyLogon requests are logged by the front end, HttpProxy and the back end: one event.
    const joined = events.locator('details.event').filter({ hasText: 'back-end IIS' }).first();
    await joined.locator('summary').click();
    const text = (await joined.textContent()) ?? '';
    assert.match(text, /front-end IIS/);
    assert.match(text, /HttpProxy/);
    assert.match(text, /cafeReqId|request/i);
    assert.match(String(await page.evaluate('document.body.innerText')), /Probes, grouped by rule/);
    await screenshot(page, 'events');
    await page.close();
  });

  test('the exposure list groups servers by build with the updates they miss; campaigns list attackers with victims, timeline and STIX export', async () => {
    const page = await alice.context.newPage();
    await page.goto(`${server.url}/exposure`);
    const builds = page.getByRole('table', { name: 'Builds' });
    const row = builds.getByRole('row', { name: /15\.1\.2176\.9/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /KB\d+/, 'the missing updates are named');
    await row.click();
    await page.waitForURL(/build=15\.1\.2176\.9/);
    await page
      .getByRole('table', { name: /^Servers on / })
      .getByRole('link', { name: 'EX01' })
      .waitFor();
    await screenshot(page, 'exposure');
    await page.goto(`${server.url}/campaigns`);
    // One row per attacker cluster; its page names the victims, the timeline, the indicators and the export.
    const clusters = page.getByRole('table', { name: 'Attacker clusters' });
    // The example's attacker (other tests add servers with attackers of their own).
    await clusters.getByRole('row').filter({ hasText: 'EX01' }).getByRole('link').first().click();
    await page.getByRole('table', { name: 'Victims' }).getByRole('link', { name: 'EX01' }).waitFor();
    await page
      .getByRole('list', { name: 'Timeline across victims' })
      .getByRole('link', { name: 'EX01' })
      .waitFor();
    const href = String(await page.getByRole('link', { name: 'Export STIX' }).getAttribute('href'));
    assert.match(href, /^\/api\/v1\/campaigns\/\d+\/stix$/);
    const stix = await fetchIn(page, href.replace('/api/v1', ''));
    assert.equal(stix.status, 200);
    assert.equal(JSON.parse(stix.body).type, 'bundle');
    assert.match(String(await page.evaluate('document.body.innerText')), /Who was hit first/);
    await screenshot(page, 'campaign');
    await page.close();
  });

  test('a user of another organisation cannot reach the server, its scan or its checklist', async () => {
    const { context, page } = await newPage({ colorScheme: 'dark' });
    await signIn(page, server.url, 'bob', BOB_PASSWORD);
    // The system's dark preference applies with no choice stored.
    assert.equal(await page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(18, 20, 23)');
    await page.locator('.verdict-card.verdict-compromised .big', { hasText: '0' }).waitFor();
    await page.goto(server.url + resultPath);
    await page.getByRole('alert').filter({ hasText: 'Not found, or not in your organisation.' }).waitFor();
    const text = String(await page.evaluate('document.body.innerText'));
    assert.ok(!text.includes('EX01') && !/compromised/i.test(text), text);
    const serverId = /\/servers\/(\d+)/.exec(resultPath)?.[1];
    const scanId = /scan=(\d+)/.exec(resultPath)?.[1];
    const items = await fetchIn(alice.page, `/remediation?serverId=${serverId}`);
    const stepId = (JSON.parse(items.body) as { items: { id: number }[] }).items[0]?.id;
    assert.ok(stepId);
    for (const p of [
      `/servers/${serverId}`,
      `/scans/${scanId}/details`,
      `/scans/${scanId}/download?format=html`,
    ])
      assert.equal((await fetchIn(page, p)).status, 404, p);
    assert.equal((await fetchIn(page, `/remediation?serverId=${serverId}`)).body, '{"items":[],"next":null}');
    const patch = await fetchIn(page, `/remediation/${stepId}`, {
      method: 'PATCH',
      body: { status: 'open' },
    });
    assert.equal(patch.status, 404);
    const still = await fetchIn(alice.page, `/remediation?serverId=${serverId}`);
    assert.match(still.body, /"status":"done"/);
    await screenshot(page, 'other-organisation');
    await context.close();
  });

  test('attacker text in a report shows as text and never runs', async () => {
    const page = await alice.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(server.url);
    const report = hostileReport();
    // The schema refuses control characters in paths; every other hostile string stays.
    report.findings = report.findings.filter((f) => !f.evidence.some((e) => /\p{Cc}/u.test(e.path)));
    report.webshells = report.webshells.filter((w) => !/\p{Cc}/u.test(w.path));
    const up = await fetchIn(page, `/reports?server=${encodeURIComponent(`EVIL-01${EVIL.img}`)}`, {
      method: 'POST',
      body: report,
    });
    assert.equal(up.status, 201, up.body);
    const { serverId } = JSON.parse(up.body) as { serverId: number };
    await page.goto(`${server.url}/servers/${serverId}?tab=webshells`);
    await page
      .getByRole('table', { name: 'Webshells' })
      .getByText(EVIL.script, { exact: false })
      .first()
      .waitFor();
    await page.getByRole('tab', { name: 'Findings' }).click();
    await page.getByRole('table', { name: 'Findings' }).getByRole('row').nth(1).click();
    await page.locator('.finding').first().waitFor();
    await page.getByRole('tab', { name: 'Evidence read' }).click();
    await page
      .getByRole('table', { name: 'Losses' })
      .getByText(EVIL.script, { exact: false })
      .first()
      .waitFor();
    await page.getByRole('table', { name: 'Problems' }).getByRole('row').nth(1).waitFor();
    const evidence = String(await page.evaluate('document.body.innerText'));
    assert.match(evidence, /Evidence read: incomplete/);
    assert.ok(evidence.includes(`${EVIL.svg}.bin`), 'a skipped file name is shown as text');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('table', { name: 'Timeline events' }).getByRole('row').nth(1).waitFor();
    const text = String(await page.evaluate('document.body.innerText'));
    assert.ok(text.includes(EVIL.svg), 'the svg payload is shown as text');
    assert.match(text, /Evidence incomplete/, 'the verdict panel says the evidence is incomplete');
    assert.ok(text.includes(`EVIL-01${EVIL.img}`), 'the server name is shown as written');
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    assert.deepEqual(dialogs, []);
    assert.equal(await page.locator('img, iframe, object, embed, main svg[onload], main script').count(), 0);
    await screenshot(page, 'hostile-text');
    await page.close();
  });

  test('100,000 rows: the table keeps a few dozen in the page and reaches the last by keyboard', async () => {
    const page = await alice.context.newPage();
    const items = Array.from({ length: 100_000 }, (_, i) => ({
      id: i + 1,
      organisation: { id: 1, name: 'acme' },
      name: `srv-${String(i).padStart(6, '0')}`,
      verdict: i % 7 === 0 ? 'compromised' : 'clean',
      lastScanAt: '2021-03-10T10:05:00.000Z',
      latestScanId: i + 1,
      build: '15.1.2176.2',
      exposure: null,
      openRemediation: 0,
    }));
    const body = JSON.stringify({ items, next: null });
    // The list is served whole so the test measures the table, not the database.
    await page.route(/\/api\/v1\/dashboard\/servers/, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body }),
    );
    await page.goto(server.url);
    const table = page.getByRole('table', { name: 'Servers', exact: true });
    await table.getByText('100,000 servers').waitFor();
    assert.equal(await table.getAttribute('aria-rowcount'), '100001');
    const rendered = await table.locator('.vt-body [role=row]').count();
    assert.ok(rendered > 5 && rendered < 80, `rows in the page: ${rendered}`);
    await table.locator('.vt-body').focus();
    await page.keyboard.press('End');
    await table.getByText('srv-099999').waitFor();
    assert.ok((await table.locator('.vt-body [role=row]').count()) < 80);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/servers\/99999$/);
    await page.close();
  });

  test('keyboard: the scan tabs move with the arrow keys, a finding opens with Enter; the dark theme is one click', async () => {
    const { page } = alice;
    await page.goto(server.url + resultPath);
    await page.getByRole('tab', { name: 'Timeline', selected: true }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/tab=events/);
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Events');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/tab=findings/);
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Findings');
    const findings = page.getByRole('table', { name: 'Findings' });
    await findings.getByRole('row').nth(1).waitFor();
    await findings.locator('.vt-body').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('.finding pre.excerpt').first().waitFor();
    await page.getByRole('button', { name: 'Theme: system' }).click();
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    assert.equal(await page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(18, 20, 23)');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.locator('svg circle.event').first().waitFor();
    await screenshot(page, 'server-timeline-dark');
  });
});
