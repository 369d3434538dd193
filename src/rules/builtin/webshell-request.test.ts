// Tests for webshell requests: known names probed (404) or answered (200), aspnet_client scripts, stock pages.

import assert from 'node:assert/strict';
import test from 'node:test';
import { fakeRecord } from '../../core/fake-record.js';
import { webshellRequestDetector } from './webshell-request.js';

const req = (stem: string, status: number, query = '-') =>
  fakeRecord('iis-w3c', {
    'cs-method': 'GET',
    'cs-uri-stem': stem,
    'cs-uri-query': query,
    'sc-status': String(status),
    'c-ip': '1.2.3.4',
  });

test('known webshell names: 404 is a probe, 200 is a compromise', () => {
  assert.equal(
    webshellRequestDetector.check(req('/owa/auth/errorFS.aspx', 404), { path: 'p' })?.[0]?.outcome,
    'probe',
  );
  assert.equal(
    webshellRequestDetector.check(req('/aspnet_client/discover.aspx', 200), { path: 'p' })?.[0]?.outcome,
    'compromise',
  );
});

test('scripts answered from aspnet_client are shells; unknown owa/auth pages need review unless a command is passed', () => {
  assert.equal(
    webshellRequestDetector.check(req('/aspnet_client/system_web/abc.aspx', 200), { path: 'p' })?.[0]
      ?.outcome,
    'compromise',
  );
  assert.equal(
    webshellRequestDetector.check(req('/owa/auth/page1.aspx', 200), { path: 'p' })?.[0]?.outcome,
    'suspicious',
  );
  const cmd = webshellRequestDetector.check(req('/owa/auth/page1.aspx', 200, 'c=whoami'), { path: 'p' })?.[0];
  assert.equal(cmd?.outcome, 'compromise');
  assert.equal(cmd?.details?.command, 'whoami');
});

test('stock pages and unknown 404s are not flagged', () => {
  assert.equal(webshellRequestDetector.check(req('/owa/auth/logon.aspx', 200), { path: 'p' }), undefined);
  assert.equal(
    webshellRequestDetector.check(req('/ecp/auth/TimeoutLogoff.aspx', 200), { path: 'p' }),
    undefined,
  );
  assert.equal(webshellRequestDetector.check(req('/owa/auth/nothing.aspx', 404), { path: 'p' }), undefined);
  assert.equal(webshellRequestDetector.check(req('/ecp/Default.aspx', 200), { path: 'p' }), undefined);
});

test('rows of exported tables: a quoted, `;` or tab-separated path passes the prefilter and the check', () => {
  const stems = ['/owa/auth/RedirSuiteServerProxy.aspx', '/shell.aspx'];
  for (const stem of stems)
    for (const text of [
      `"2021-03-05 04:11:02","GET","${stem}","200","203.0.113.77"`,
      `"2021-03-05 04:11:02";"GET";"${stem}";"200";"203.0.113.77"`,
      `2021-03-05 04:11:02\tGET\t${stem}\t200\t203.0.113.77`,
    ]) {
      assert.equal(webshellRequestDetector.prefilter?.test(text), true, text);
      const r = fakeRecord(
        'iis-w3c',
        { 'cs-method': 'GET', 'cs-uri-stem': stem, 'sc-status': '200', 'c-ip': '203.0.113.77' },
        { text },
      );
      // A script at the root passes the prefilter; only known names and shell folders make a finding.
      const hit = webshellRequestDetector.check(r, { path: 'p' })?.[0];
      if (stem.startsWith('/owa/')) assert.equal(hit?.outcome, 'compromise', text);
    }
  assert.equal(webshellRequestDetector.prefilter?.test('"GET","/owa/auth/logon.aspx","200"'), true);
  assert.equal(
    webshellRequestDetector.check(
      fakeRecord(
        'iis-w3c',
        { 'cs-uri-stem': '/owa/auth/logon.aspx', 'sc-status': '200' },
        {
          text: '"GET","/owa/auth/logon.aspx","200"',
        },
      ),
      { path: 'p' },
    ),
    undefined,
  );
});
