// Test support: a synthetic log with the shapes real ones have (System, named and unnamed Data, UserData).
import { ChunkBuilder, fileHeader, u32le, u64le, utf16z, type TNode, type TValue } from './build.js';

const sub = (n: number, type: number, optional = false): TNode => ({ sub: n, type, optional });

/** 2021-03-03T06:49:42.1623456Z as FILETIME ticks. */
export const FILETIME = BigInt(Date.UTC(2021, 2, 3, 6, 49, 42)) * 10000n + 1623456n + 116444736000000000n;

const system = (channel: TNode): TNode => ({
  el: 'System',
  kids: [
    {
      el: 'Provider',
      attrs: [
        ['Name', 'Microsoft-Windows-Security-Auditing'],
        ['Guid', { sub: 0, type: 0x0f }],
      ],
    },
    { el: 'EventID', kids: [sub(1, 0x06)] },
    { el: 'Level', kids: [sub(2, 0x04)] },
    { el: 'Keywords', kids: [sub(3, 0x15)] },
    { el: 'TimeCreated', attrs: [['SystemTime', { sub: 4, type: 0x11 }]] },
    { el: 'EventRecordID', kids: [sub(5, 0x0a)] },
    { el: 'Execution', attrs: [['ProcessID', { sub: 6, type: 0x08 }]] },
    { el: 'Channel', kids: [channel] },
    { el: 'Computer', kids: [sub(7, 0x01)] },
    { el: 'Security', attrs: [['UserID', { sub: 8, type: 0x13, optional: true }]] },
  ],
});

const EVENT = (data: TNode): TNode => ({
  el: 'Event',
  attrs: [['xmlns', 'http://schemas.microsoft.com/win/2004/08/events/event']],
  kids: [system('Security'), data],
});

const NAMED: TNode = EVENT({
  el: 'EventData',
  kids: [
    { el: 'Data', attrs: [['Name', 'CommandLine']], kids: [sub(9, 0x01)] },
    { el: 'Data', attrs: [['Name', 'NewProcessId']], kids: [sub(10, 0x14)] },
    { el: 'Data', attrs: [['Name', 'Elevated']], kids: [sub(11, 0x0d)] },
    { el: 'Data', attrs: [['Name', 'Size']], kids: [sub(12, 0x10)] },
    { el: 'Data', attrs: [['Name', 'Blob']], kids: [sub(13, 0x0e)] },
    { el: 'Data', attrs: [['Name', 'Items']], kids: [sub(14, 0x81)] },
    { el: 'Data', attrs: [['Name', 'Empty']], kids: [sub(15, 0x01)] },
  ],
});

const UNNAMED: TNode = EVENT({
  el: 'EventData',
  kids: [0, 1, 2].map((i) => ({ el: 'Data', kids: [sub(9 + i, 0x01)] })),
});

const USERDATA: TNode = EVENT({ el: 'UserData', kids: [sub(9, 0x21)] });
const INNER: TNode = {
  el: 'EventXML',
  attrs: [['xmlns', 'Event_NS']],
  kids: [
    { el: 'Param1', kids: [sub(0, 0x01)] },
    { el: 'Error', attrs: [['Code', { sub: 1, type: 0x08 }]] },
  ],
};

const guid = Buffer.from('2596854978549449a5ba3e3b0328c30d', 'hex');
const sid = Buffer.from('010100000000000512000000', 'hex'); // S-1-5-18
const v = (type: number, bytes: Buffer): TValue => ({ type, bytes });
const u16 = (n: number): Buffer => Buffer.from([n & 0xff, n >> 8]);

function systemValues(eventId: number, recordId: number, withUser: boolean): TValue[] {
  return [
    v(0x0f, guid),
    v(0x06, u16(eventId)),
    v(0x04, Buffer.from([0])),
    v(0x15, u64le(0x8020000000000000n)),
    v(0x11, u64le(FILETIME)),
    v(0x0a, u64le(BigInt(recordId))),
    v(0x08, u32le(4)),
    v(0x01, utf16z('DC01.example.local')),
    withUser ? v(0x13, sid) : v(0x00, Buffer.alloc(0)),
  ];
}

/** One chunk: two records sharing a template, one with unnamed Data, one with nested UserData. */
export function fixtureChunk(): ChunkBuilder {
  const c = new ChunkBuilder();
  const named = (id: number, cmd: string, withUser: boolean): TValue[] => [
    ...systemValues(4688, id, withUser),
    v(0x01, utf16z(cmd)),
    v(0x14, u32le(0x1a2b)),
    v(0x0d, u32le(2)), // a boolean stored as 2: still true
    v(0x10, u64le(0x10n)),
    v(0x0e, Buffer.from([0xde, 0xad])),
    v(0x81, Buffer.from('a\0b\0', 'utf16le')),
    v(0x01, Buffer.alloc(0)),
  ];
  c.record(1, 'named', NAMED, named(101, 'cmd.exe /c "whoami"', true));
  c.record(2, 'named', NAMED, named(102, 'powershell -enc AAAA', false));
  c.record(3, 'unnamed', UNNAMED, [
    ...systemValues(1, 103, true),
    ...['Set-Mailbox', '-Identity "x"', ''].map((s) => v(0x01, utf16z(s))),
  ]);
  c.record(4, 'user', USERDATA, [
    ...systemValues(20, 104, true),
    { nested: ['inner', INNER, [v(0x01, utf16z('WmiApRpl')), v(0x08, u32le(15007))]] },
  ]);
  return c;
}

/** A whole file: header plus the fixture chunk. */
export function fixtureFile(): Buffer {
  return Buffer.concat([fileHeader(1), fixtureChunk().finish()]);
}
