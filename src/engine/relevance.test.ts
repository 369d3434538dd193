// Tests for which unread paths count against the verdict.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { Problem } from '../core/problem.js';
import { familyOfUnread } from './relevance.js';

const p = (code: string, path?: string): Problem => ({
  code,
  message: 'x',
  ...(path !== undefined ? { path } : {}),
  severity: 'error',
});

test('an unreadable log is counted under the family it would have been read as', () => {
  assert.equal(
    familyOfUnread(
      p('evidence.unreadable-file', 'inetpub/logs/LogFiles/W3SVC1/u_ex210301.log'),
      'system-drive',
    ),
    'IIS/W3SVC1',
  );
  assert.equal(familyOfUnread(p('zip.corrupt', '.'), 'collected'), 'evidence');
  assert.equal(familyOfUnread(p('limit.correlation-events'), 'collected'), 'detection');
  // A file that would be sniffed for a log header counts, whatever the layout.
  assert.equal(
    familyOfUnread(p('evidence.unreadable-file', 'Users/x/Desktop/copied.log'), 'system-drive'),
    'unidentified',
  );
});

test('unreadable folders count where logs, web files or staged files may be', () => {
  const folder = (path: string, layout: 'system-drive' | 'collected' = 'system-drive') =>
    familyOfUnread(p('evidence.unreadable-folder', path), layout);
  assert.equal(folder('Program Files'), 'evidence');
  assert.equal(folder('Program Files/Microsoft/Exchange Server/V15/Logging'), 'evidence');
  assert.equal(folder('inetpub/logs'), 'evidence');
  assert.equal(folder('C/inetpub'), 'evidence');
  assert.equal(folder('Windows/System32/config'), undefined);
  assert.equal(folder('System Volume Information'), undefined);
  assert.equal(folder('anything', 'collected'), 'evidence');
});

test('a link not followed counts only when its own name is a file exhunt reads', () => {
  assert.equal(
    familyOfUnread(p('evidence.symlink-skipped', 'ProgramData/Application Data'), 'system-drive'),
    undefined,
  );
  assert.equal(
    familyOfUnread(
      p('evidence.symlink-skipped', 'inetpub/logs/LogFiles/W3SVC1/u_ex210301.log'),
      'system-drive',
    ),
    'IIS/W3SVC1',
  );
});
