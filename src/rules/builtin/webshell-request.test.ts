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
