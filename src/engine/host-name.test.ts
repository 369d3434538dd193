// The server's name from Test-ProxyLogon's output names: the computer name before the check's suffix.

import assert from 'node:assert/strict';
import test from 'node:test';
import { hostOfTplFile } from './host-name.js';

test("Test-ProxyLogon's outputs name their computer, dashes and domains included", () => {
  assert.equal(hostOfTplFile('Test-ProxyLogonLogs/EXCH01-Cve-2021-26855.csv'), 'EXCH01');
  assert.equal(hostOfTplFile('logs/mail-srv-02.corp.example-Cve-2021-27065-ResetVDir.csv'), 'mail-srv-02.corp.example'); // prettier-ignore
  assert.equal(hostOfTplFile('x/EX2016-other.csv'), 'EX2016');
  assert.equal(hostOfTplFile('x/EX2016-Cve-2021-26858.log'), 'EX2016');
  // Not an output name, or a "name" no host could have: no guess.
  assert.equal(hostOfTplFile('x/HttpProxy_2021030100-1.LOG'), undefined);
  assert.equal(hostOfTplFile('x/<script>-Cve-2021-26855.csv'), undefined);
  assert.equal(hostOfTplFile('x/-Cve-2021-26855.csv'), undefined);
});
