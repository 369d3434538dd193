// The chain of custody in every report: the same sentence, the manifest's text escaped by each writer.

import assert from 'node:assert/strict';
import test from 'node:test';
import { report } from '../analysis/testkit.js';
import { renderConsole } from './console.js';
import { custodyText, liveText } from './custody-text.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';

const EVIL = '<img src=x onerror=alert(1)>';

test('custody: collector bundles and other tools’ records, in the console, HTML and Markdown, as text', () => {
  const r = report([], { verdict: 'clean' });
  r.custody = {
    manifest: 'manifest.json',
    manifestSha256: 'a'.repeat(64),
    collector: { name: 'exhunt-collector', version: '0.1.0' },
    operator: `CORP\\${EVIL}`,
    host: 'EXCH01',
    collectedAt: '2021-03-10T09:00:00.000Z',
    files: 10,
    verified: 9,
    failed: 1,
    notCollected: 2,
    unlisted: 0,
  };
  const sentence = custodyText(r.custody);
  assert.match(sentence, /^Collected with exhunt-collector 0\.1\.0 by CORP\\<img .*> on EXCH01 at 2021-03-10T09:00:00\.000Z: 9 of 10 files verified, 1 failed, 2 not collected, 0 added after; manifest SHA-256 a{64}$/); // prettier-ignore
  const html = renderHtml(r);
  assert.ok(html.includes('Chain of custody'));
  assert.ok(!html.includes(EVIL) && html.includes('&#60;img src=x onerror=alert(1)&#62;'));
  const md = renderMarkdown(r);
  assert.match(md, /### Chain of custody/);
  assert.ok(!md.includes(EVIL));
  assert.match(renderConsole(r, { color: false }), /Collected with exhunt-collector 0\.1\.0/);
  // Another tool's record: no manifest hash, files checked by size only are said.
  r.custody = { manifest: 'uploads.json', collector: { name: 'velociraptor' }, files: 5, verified: 3, sizeOnly: 2, failed: 0, notCollected: 0, unlisted: 0 }; // prettier-ignore
  assert.equal(
    custodyText(r.custody),
    'Collected with velociraptor: 3 of 5 files verified (2 more by size only: the record holds no hash), 0 failed, 0 not collected, 0 added after; record uploads.json',
  );
});

test('a live scan: what was exported, failed or absent, in the console, HTML and Markdown, as text', () => {
  const r = report([], { verdict: 'inconclusive' });
  const at = '2026-12-07T10:00:00.000Z';
  const e = (channel: string, status: 'exported' | 'failed' | 'absent', readLive?: boolean) => ({
    channel,
    path: `Windows/System32/winevt/Logs/${channel}.evtx`,
    status,
    startedAt: at,
    finishedAt: at,
    ...(readLive !== undefined ? { readLive } : {}),
  });
  r.scan.live = {
    tempFolder: `C:\\Temp\\exhunt-live-${EVIL}`,
    removed: false,
    exports: [e('Application', 'exported'), e('Security', 'failed', false), e('Windows PowerShell', 'failed', true), e('Sysmon', 'absent')],
  }; // prettier-ignore
  assert.equal(
    liveText(r.scan.live),
    `Scanned live: 1 of 4 event log channels exported with wevtutil epl and read in place of the live files; not exported: Security (not read), Windows PowerShell (the live file read instead); not on this server: Sysmon; the exports were NOT deleted: C:\\Temp\\exhunt-live-${EVIL}`,
  );
  const html = renderHtml(r);
  assert.ok(html.includes('<h3>Live scan</h3>') && !html.includes(EVIL));
  assert.match(renderMarkdown(r), /### Live scan\n\nScanned live: 1 of 4/);
  assert.match(renderConsole(r, { color: false }), /Scanned live: 1 of 4 event log channels/);
  r.scan.live.removed = true;
  assert.match(liveText(r.scan.live), /; the exports were deleted$/);
});
