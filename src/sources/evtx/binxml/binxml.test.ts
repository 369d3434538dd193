// Tests for BinXML decoding on a synthetic chunk: templates, back-references, substitutions, nesting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvtxEvent } from '../event.js';
import { readChunk, type EvtxIssue } from '../read-chunk.js';
import { renderJson } from '../render/json.js';
import { fixtureChunk } from '../testing/fixture.js';

function events(): EvtxEvent[] {
  const issues: EvtxIssue[] = [];
  const r = readChunk(fixtureChunk().finish(), 4096, issues);
  assert.deepEqual(issues, []);
  return r.events;
}

test('a template defined in the first record is reused by reference in the second', () => {
  const [a, b] = events();
  assert.equal(a!.get('CommandLine'), 'cmd.exe /c "whoami"');
  assert.equal(b!.get('CommandLine'), 'powershell -enc AAAA');
  assert.equal(b!.get('EventID'), 4688);
});

test('System fields get Sigma names and types; time is TimeCreated to the millisecond', () => {
  const e = events()[0]!;
  assert.equal(e.get('Provider_Name'), 'Microsoft-Windows-Security-Auditing');
  assert.equal(e.get('Provider_Guid'), '{49859625-5478-4994-A5BA-3E3B0328C30D}');
  assert.equal(e.get('Keywords'), '0x8020000000000000');
  assert.equal(e.get('Security_UserID'), 'S-1-5-18');
  assert.equal(e.get('Channel'), 'Security');
  assert.equal(e.get('TimeCreated_SystemTime'), '2021-03-03T06:49:42.1623456Z');
  assert.equal(e.time, '2021-03-03T06:49:42.162Z');
  assert.equal(e.line, 101);
  assert.equal(e.offset, 4096 + 512);
  assert.equal(e.source, 'evtx');
});

test('EventData values keep their types: hex, irregular booleans, size_t, binary, arrays, empty', () => {
  const e = events()[0]!;
  assert.equal(e.get('NewProcessId'), '0x1a2b');
  assert.equal(e.get('Elevated'), true);
  assert.equal(e.get('Size'), '0x10');
  assert.equal(e.get('Blob'), 'DEAD');
  assert.deepEqual(e.get('Items'), ['a', 'b']);
  assert.equal(e.get('Empty'), '');
  assert.ok(e.fieldNames().includes('CommandLine'));
  assert.match(e.text(), /cmd\.exe \/c "whoami"/);
  assert.equal(e.get('NoSuchField'), undefined);
});

test('an optional substitution with a NULL value leaves the attribute out', () => {
  const e = events()[1]!;
  assert.equal(e.get('Security_UserID'), undefined);
  const json = JSON.parse(e.json()) as { Event: { System: { Security: unknown } } };
  assert.equal(json.Event.System.Security, null);
});

test('unnamed Data items become one array, as in the MSExchange Management log', () => {
  const e = events()[2]!;
  assert.deepEqual(e.get('Data'), ['Set-Mailbox', '-Identity "x"', '']);
  const json = JSON.parse(e.json()) as { Event: { EventData: unknown } };
  assert.deepEqual(json.Event.EventData, { Data: { '#text': ['Set-Mailbox', '-Identity "x"', ''] } });
});

test('nested BinXML (a template instance as a value) renders as UserData objects', () => {
  const e = events()[3]!;
  assert.equal(e.get('Param1'), 'WmiApRpl');
  assert.equal(e.get('Error_Code'), 15007);
  const json = JSON.parse(e.json()) as { Event: { UserData: unknown } };
  assert.deepEqual(json.Event.UserData, {
    EventXML: {
      '#attributes': { xmlns: 'Event_NS' },
      Param1: 'WmiApRpl',
      Error: { '#attributes': { Code: 15007 } },
    },
  });
});

test('JSON has the evtx_dump shape', () => {
  const json = JSON.parse(events()[0]!.json()) as Record<string, Record<string, Record<string, unknown>>>;
  const ev = json['Event']!;
  assert.deepEqual(ev['#attributes'], { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' });
  assert.equal(ev['System']!['EventID'], 4688);
  assert.deepEqual(ev['System']!['TimeCreated'], {
    '#attributes': { SystemTime: '2021-03-03T06:49:42.1623456Z' },
  });
  assert.deepEqual(ev['System']!['Execution'], { '#attributes': { ProcessID: 4 } });
  assert.equal(ev['EventData']!['NewProcessId'], '0x1a2b');
});

test('JSON written straight from templates equals JSON rendered from the resolved tree', () => {
  for (const e of events()) assert.equal(e.json(), renderJson(e.tree()));
});
