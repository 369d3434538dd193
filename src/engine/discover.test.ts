// Tests for reading the Exchange install folder off the evidence layout.

import assert from 'node:assert/strict';
import test from 'node:test';
import { installFolder, windowsInstallPath } from './discover.js';

test('finds the install folder wherever the drive root sits', () => {
  const p = 'Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp/a.log';
  assert.equal(installFolder(p), 'Program Files/Microsoft/Exchange Server/V15/');
  assert.equal(installFolder(`bundle/C/${p}`), 'bundle/C/Program Files/Microsoft/Exchange Server/V15/');
  assert.equal(installFolder('inetpub/logs/x.log'), undefined);
});

test('spells it as Windows does, or gives up when the drive root is unknown', () => {
  const v15 = 'c:\\program files\\microsoft\\exchange server\\v15\\';
  assert.equal(windowsInstallPath('Program Files/Microsoft/Exchange Server/V15/'), v15);
  assert.equal(windowsInstallPath('compromised/Program Files/Microsoft/Exchange Server/V15/'), v15);
  assert.equal(windowsInstallPath('E/Program Files/Microsoft/Exchange Server/V15/'), v15.replace('c:', 'e:'));
  assert.equal(windowsInstallPath('D/Apps/Exchange Server/V15/'), 'd:\\apps\\exchange server\\v15\\');
  assert.equal(windowsInstallPath('collected/Exchange Server/V15/'), undefined);
});
