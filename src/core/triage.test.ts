// The triage score: each reason appears exactly when its evidence does, with its weight and its words, and
// the clock-dependent reasons say when they change.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_TRIAGE, scoreTriage, TRIAGE_WEIGHTS, triageOrderText } from './triage.js';
import type { TriageCode, TriageInputs } from './triage.js';

const NOW = '2024-06-20T12:00:00.000Z';
const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(Date.parse(NOW) - days * DAY).toISOString();

/** A server with nothing to say: scanned yesterday, clean, patched. */
function quiet(over: Partial<TriageInputs> = {}): TriageInputs {
  return {
    verdict: 'clean',
    scannedAt: ago(1),
    webshells: { count: 0, paths: [] },
    credentials: { count: 0, targets: [] },
    data: { mailboxes: 0, exports: 0, addressBook: 0, targets: [] },
    lastActivity: null,
    openCves: [],
    mitigatedCves: [],
    build: '15.2.1544.4',
    openSteps: 0,
    ...over,
  };
}

const codes = (i: TriageInputs, now = NOW) => scoreTriage(i, DEFAULT_TRIAGE, now).reasons.map((r) => r.code);
const reason = (i: TriageInputs, code: TriageCode) =>
  scoreTriage(i, DEFAULT_TRIAGE, NOW).reasons.find((r) => r.code === code);

describe('triage score', () => {
  test('a quiet server scores nothing and says nothing', () => {
    const t = scoreTriage(quiet(), DEFAULT_TRIAGE, NOW);
    assert.equal(t.score, 0);
    assert.deepEqual(t.reasons, []);
  });

  test('a webshell on disk at the latest scan, with its paths', () => {
    const i = quiet({ webshells: { count: 4, paths: ['a.aspx', 'b.aspx', 'c.aspx'] } });
    const r = reason(i, 'webshell-on-disk');
    assert.equal(r?.weight, TRIAGE_WEIGHTS.webshell);
    assert.equal(r?.detail, '4 files: a.aspx, b.aspx, c.aspx and 1 more');
    assert.ok(!codes(quiet()).includes('webshell-on-disk'));
  });

  test('credential dumps', () => {
    const i = quiet({ credentials: { count: 1, targets: ['inetpub/wwwroot/lsass.dmp (seen)'] } });
    assert.equal(reason(i, 'credential-dump')?.detail, '1 dump: inetpub/wwwroot/lsass.dmp (seen)');
    assert.ok(!codes(quiet()).includes('credential-dump'));
  });

  test('attacker activity counts inside the window only, and says when it leaves it', () => {
    const i = quiet({ lastActivity: ago(3) });
    const t = scoreTriage(i, DEFAULT_TRIAGE, NOW);
    assert.ok(t.reasons.some((r) => r.code === 'attacker-active' && /3 days ago/.test(r.detail)));
    assert.equal(t.until, new Date(Date.parse(ago(3)) + 7 * DAY).toISOString());
    assert.equal(t.lastActivity, ago(3));
    assert.ok(!codes(quiet({ lastActivity: ago(8) })).includes('attacker-active'));
    // At the boundary it is out: the stored score is refreshed at `until`, and must then drop the reason.
    assert.ok(!codes(quiet({ lastActivity: ago(7) })).includes('attacker-active'));
    const wider = scoreTriage(quiet({ lastActivity: ago(8) }), { ...DEFAULT_TRIAGE, activeDays: 10 }, NOW);
    assert.equal(wider.reasons[0]?.text, 'Attacker active in the last 10 days');
  });

  test('the verdict weighs by how far the attacker got; clean weighs nothing', () => {
    assert.equal(reason(quiet({ verdict: 'compromised' }), 'verdict')?.weight, 25);
    assert.equal(reason(quiet({ verdict: 'exploited' }), 'verdict')?.weight, 20);
    assert.equal(reason(quiet({ verdict: 'attempted' }), 'verdict')?.weight, 5);
    assert.match(reason(quiet({ verdict: 'inconclusive' }), 'verdict')?.detail ?? '', /could not rule/);
    assert.equal(reason(quiet(), 'verdict'), undefined);
  });

  test('data exposure weighs by the worst kind and names each', () => {
    const data = {
      mailboxes: 1,
      exports: 0,
      addressBook: 1,
      targets: ['every mailbox, through EWS (likely)'],
    };
    const r = reason(quiet({ data }), 'data-exposure');
    assert.equal(r?.weight, TRIAGE_WEIGHTS.data.mailboxes);
    assert.equal(r?.text, 'Data exposed: mailboxes reached, the address book read');
    assert.equal(
      reason(quiet({ data: { ...data, exports: 2 } }), 'data-exposure')?.weight,
      TRIAGE_WEIGHTS.data.exports,
    );
    assert.equal(
      reason(quiet({ data: { ...data, mailboxes: 0 } }), 'data-exposure')?.weight,
      TRIAGE_WEIGHTS.data.addressBook,
    );
    assert.ok(!codes(quiet()).includes('data-exposure'));
  });

  test('exposure counts only CVEs left open; mitigated ones are said, not weighed', () => {
    const r = reason(
      quiet({ openCves: ['CVE-2021-26855'], mitigatedCves: ['CVE-2022-41040'], build: '15.1.2176.2' }),
      'exposure-open',
    );
    assert.equal(r?.detail, '15.1.2176.2 is vulnerable to CVE-2021-26855; mitigated: CVE-2022-41040');
    assert.ok(!codes(quiet({ mitigatedCves: ['CVE-2022-41040'] })).includes('exposure-open'));
  });

  test('open remediation steps weigh per step, up to a cap', () => {
    assert.equal(reason(quiet({ openSteps: 1 }), 'remediation-open')?.weight, TRIAGE_WEIGHTS.step);
    assert.equal(reason(quiet({ openSteps: 40 }), 'remediation-open')?.weight, TRIAGE_WEIGHTS.stepsMax);
    assert.equal(reason(quiet({ openSteps: 3 }), 'remediation-open')?.text, '3 remediation steps open');
    assert.ok(!codes(quiet()).includes('remediation-open'));
  });

  test('a stale scan or none is a reason; a fresh one says when it goes stale', () => {
    assert.equal(reason(quiet({ scannedAt: ago(20) }), 'scan-age')?.text, 'Latest scan is 20 days old');
    assert.equal(reason(quiet({ scannedAt: null, verdict: null }), 'scan-age')?.text, 'Not scanned yet');
    const fresh = scoreTriage(quiet({ scannedAt: ago(1) }), DEFAULT_TRIAGE, NOW);
    assert.deepEqual(fresh.reasons, []);
    assert.equal(fresh.until, new Date(Date.parse(ago(1)) + 14 * DAY).toISOString());
    assert.equal(scoreTriage(quiet({ scannedAt: ago(30) }), DEFAULT_TRIAGE, NOW).until, null);
  });

  test('the score is the sum of the reasons, heaviest first; `until` is the first change', () => {
    const i = quiet({
      verdict: 'compromised',
      webshells: { count: 1, paths: ['x.aspx'] },
      lastActivity: ago(6),
      openSteps: 2,
      scannedAt: ago(2),
    });
    const t = scoreTriage(i, DEFAULT_TRIAGE, NOW);
    assert.deepEqual(
      t.reasons.map((r) => r.code),
      ['webshell-on-disk', 'attacker-active', 'verdict', 'remediation-open'],
    );
    assert.equal(
      t.score,
      t.reasons.reduce((n, r) => n + r.weight, 0),
    );
    assert.equal(t.until, new Date(Date.parse(ago(6)) + 7 * DAY).toISOString(), 'activity leaves first');
  });

  test('the order in words names every weight and the window', () => {
    const text = triageOrderText({ activeDays: 3, staleDays: 30 });
    assert.match(text, /last 3 days/);
    assert.match(text, /older than 30 days/);
    for (const w of [TRIAGE_WEIGHTS.webshell, TRIAGE_WEIGHTS.credentials, TRIAGE_WEIGHTS.exposure])
      assert.ok(text.includes(`(${w})`), String(w));
  });
});
