// The HTML report in headless Chromium: hostile strings from the evidence show as text and never run.

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { EVIL, hostileReport } from '../analysis/testkit.js';
import { renderHtml } from './html.js';
import { chromiumSkip, launchChromium } from './testing/chromium.js';

const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url);

test(
  'no script from the evidence runs in the HTML report, and the text shows as written',
  {
    skip: chromiumSkip(),
  },
  async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = new URL('xss-report.html', ARTIFACTS);
    await writeFile(file, renderHtml(hostileReport()));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(file.href, { waitUntil: 'load' });
      assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, [file.href], 'the page loads nothing but itself');
      assert.equal(
        await page.evaluate('document.querySelectorAll("script, img, svg, iframe, object, embed").length'),
        0,
      );
      const text = String(await page.evaluate('document.body.innerText'));
      assert.ok(text.includes(EVIL.script), 'the script tag is shown as text');
      assert.ok(text.includes(EVIL.img.trim()));
      await page.screenshot({ path: fileURLToPath(new URL('xss-report.png', ARTIFACTS)), fullPage: false });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({
        path: fileURLToPath(new URL('xss-report-print.png', ARTIFACTS)),
        fullPage: false,
      });
    } finally {
      await browser.close();
    }
  },
);
