// Tests for the EVTX source definition: path matching, sniffing and log families.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evtxSource } from './index.js';
import { fixtureFile } from './testing/fixture.js';

test('matches .evtx paths and sniffs the ElfFile magic', () => {
  assert.equal(evtxSource.id, 'evtx');
  assert.ok(evtxSource.matchPath('windows/system32/winevt/logs/security.evtx'));
  assert.ok(!evtxSource.matchPath('logs/security.evtx.bak'));
  assert.ok(evtxSource.sniff?.(fixtureFile().subarray(0, 64)));
  assert.ok(!evtxSource.sniff?.(Buffer.from('#Software: Microsoft Internet Information Services')));
});

test('the family is the channel the file name stores, canonical case when known', () => {
  const head = Buffer.alloc(0);
  assert.equal(evtxSource.family('windows/system32/winevt/logs/security.evtx', head), 'EVTX/Security');
  assert.equal(evtxSource.family('Windows/System32/winevt/Logs/Security.evtx', head), 'EVTX/Security');
  assert.equal(evtxSource.family('logs/msexchange management.evtx', head), 'EVTX/MSExchange Management');
  assert.equal(
    evtxSource.family('logs/microsoft-windows-sysmon%4operational.evtx', head),
    'EVTX/Microsoft-Windows-Sysmon/Operational',
  );
  assert.equal(evtxSource.family('x/Custom-App%4Admin.evtx', head), 'EVTX/Custom-App/Admin');
});

test('createParser returns a push parser that emits evtx records', () => {
  const records: number[] = [];
  const p = evtxSource.createParser(
    { path: 'a.evtx' },
    { record: (r) => records.push(r.line), problem: () => {} },
  );
  p.push(fixtureFile());
  p.end();
  assert.deepEqual(records, [101, 102, 103, 104]);
});
