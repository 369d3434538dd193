import assert from 'node:assert/strict';
import test from 'node:test';
import { driveFolderOf, escapeName, unescapeName, windowsPathOf } from './drive-folder.js';

test('drive folders: KAPE letters and both Velociraptor spellings, with where other drives sit', () => {
  assert.deepEqual(driveFolderOf('uploads/auto/C%3A/Program Files/x'), {
    prefix: 'uploads/auto/c%3a/',
    letter: 'c',
    style: 'velociraptor',
    parent: 'uploads/auto/',
  });
  assert.equal(driveFolderOf('uploads/ntfs/%5C%5C.%5CD%3A/Exchange/x')?.letter, 'd');
  assert.equal(driveFolderOf('tout/C/inetpub/logs/x')?.prefix, 'tout/c/');
  assert.equal(driveFolderOf('logs/ab/inetpub/logs/x'), undefined);
  assert.equal(
    windowsPathOf('uploads/auto/C%3A/Windows/Logs/PowerShell%254Operational.evtx'),
    'C:\\Windows\\Logs\\PowerShell%4Operational.evtx',
  );
  assert.equal(windowsPathOf('C/Program Files/a.aspx'), 'C:\\Program Files\\a.aspx');
});

test('names escaped as Velociraptor stores them in a zip, and back', () => {
  for (const [raw, stored] of [
    ['C:', 'C%3A'],
    ['\\\\.\\C:', '%5C%5C.%5CC%3A'],
    ['.hidden', '%2Ehidden'],
    ['trailing.', 'trailing%2E'],
    ['a%4b.evtx', 'a%254b.evtx'],
    ['Program Files', 'Program Files'],
    ['你好', '你好'],
  ]) {
    assert.equal(escapeName(raw as string), stored);
    assert.equal(unescapeName(stored as string), raw);
  }
  // Older releases escaped more (every byte but letters, digits and `-_.~ $`): read the same way.
  assert.equal(unescapeName('Program%20Files%20%28x86%29'), 'Program Files (x86)');
  assert.equal(unescapeName('100%'), '100%');
});
