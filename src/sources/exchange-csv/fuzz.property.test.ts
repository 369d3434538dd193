// Property tests of every Exchange CSV reader on damaged and hostile logs: accounted, chunk-proof, encoding-proof.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { feed } from '../text/testing/feed.js';
import { params } from '../text/testing/fuzz.js';
import {
  assemble,
  badClock,
  badDate,
  checkReader,
  goodClock,
  goodDate,
  junk,
  lineEnd,
  slicesArb,
} from '../text/testing/properties.js';

/** Each source with a short column set of its own and its #Log-type. */
const SOURCES: [string, string, string[]][] = [
  [
    'httpproxy',
    'HttpProxy Logs',
    ['DateTime', 'RequestId', 'UrlStem', 'AnchorMailbox', 'UserAgent', 'HttpStatus'],
  ],
  ['ecp-server', 'ECP Server Log', ['TimeStamp', 'ServerName', 'EventId', 'EventData']],
  [
    'oab-generator',
    'OABGenerator Log',
    ['Timestamp', 'ProcessId', 'ThreadId', 'Level', 'OabGuid', 'Message'],
  ],
  [
    'rps-http',
    'Rps Http Logs',
    ['DateTime', 'StartTime', 'RequestId', 'UrlStem', 'ClientInfo', 'CommandName'],
  ],
  ['rps-cmdlet', 'Rps Cmdlet Logs', ['DateTime', 'RequestId', 'Cmdlet', 'Parameters', 'UserAgent']],
];
const GATE = {
  literals: [
    { text: 'serverinfo~', mask: 1 },
    { text: '/ecp/', mask: 2 },
    { text: 'set-oabvirtualdirectory', mask: 4 },
  ],
  all: false,
};

/** A value as Exchange writes it, or as damage leaves it. */
const value = fc.oneof(
  { weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z0-9/.~:@-]{0,10}$/) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('ServerInfo~a]@b:444/ecp/', 'S:CMD=Set-OabVirtualDirectory;S:URL=/ecp/x'),
  },
  // Quoted as Exchange quotes: commas, doubled quotes, line breaks inside.
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom('a', ',', '""', ' ', '\r\n', '\n', "S:CMD='x''y';"), { maxLength: 6 })
      .map((p) => `"${p.join('')}"`),
  },
  { weight: 1, arbitrary: fc.constantFrom('"stray', 'x"y', '"') },
  { weight: 1, arbitrary: junk.map((j) => j.replace(/,/g, '')) },
);
/** An ISO time, real or not, the way Exchange starts its rows. */
const stamp = fc
  .tuple(fc.oneof(goodDate, goodDate, goodDate, badDate), fc.oneof(goodClock, goodClock, goodClock, badClock))
  .map(([d, t]) => `${d}T${t}.123Z`);
const row = (columns: number) =>
  fc
    .tuple(
      stamp,
      fc.oneof({ weight: 5, arbitrary: fc.constant(columns - 1) }, { weight: 1, arbitrary: fc.nat(8) }),
    )
    .chain(([s, n]) => fc.array(value, { minLength: n, maxLength: n }).map((v) => [s, ...v].join(',')));

function logOf(logType: string, columns: string[]) {
  const head = [
    columns.join(','),
    '#Software: Microsoft Exchange Server',
    '#Version: 15.01.2176.002',
    `#Log-type: ${logType}`,
    '#Date: 2021-03-03T00:00:00.000Z',
    `#Fields: ${columns.join(',')}`,
  ];
  const other = fc.oneof(
    fc.constantFrom(
      columns.join(','),
      `#Fields: ${columns.slice(0, 3).join(',')}`,
      '#Fields:',
      '',
      '#Version: 15.2',
    ),
    junk,
    // What a crash leaves: NULs, then the log's head written again.
    fc
      .tuple(junk, fc.constantFrom(`#Fields: ${columns.slice(1).join(',')}`, columns.join(',')))
      .map(([j, f]) => j + f),
  );
  return fc
    .tuple(
      fc.array(fc.oneof({ weight: 5, arbitrary: row(columns.length) }, { weight: 1, arbitrary: other }), {
        maxLength: 30,
      }),
      fc.array(lineEnd, { minLength: 1, maxLength: 4 }),
      fc.boolean(),
    )
    .map(([lines, ends, final]) => assemble([...head, ...lines.flatMap((l) => l.split('\n'))], ends, final));
}

for (const [source, logType, columns] of SOURCES) {
  test(`property: ${source} logs of any damage read the same in every chunking and encoding, every line accounted`, () => {
    fc.assert(
      fc.property(logOf(logType, columns), slicesArb, (text, slices) =>
        checkReader(source, text, slices, GATE),
      ),
      params(60),
    );
  });

  test(`property: ${source} logs with bytes that are not UTF-8 read the same in every chunking`, () => {
    fc.assert(
      fc.property(
        logOf(logType, columns),
        slicesArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        (text, slices, damage) => checkReader(source, text, slices, GATE, damage),
      ),
      params(30),
    );
  });
}

test('the generated logs do hold records, plain rows, multi-line values and problems', () => {
  let records = 0;
  let plain = 0;
  let multi = 0;
  let problems = 0;
  for (const text of fc.sample(logOf('HttpProxy Logs', SOURCES[0]![2]), { numRuns: 100, seed: 7 })) {
    const f = feed('httpproxy', Buffer.from(text), [], GATE);
    records += f.records.length;
    plain += f.tallied.records;
    multi += f.records.filter((r) => r.text.includes('\n')).length;
    problems += f.problems.length;
  }
  assert.ok(
    records > 100 && plain > 40 && multi > 5 && problems > 50,
    JSON.stringify({ records, plain, multi, problems }),
  );
});
