// Property tests of the W3C reader on damaged and hostile logs: accounted, chunk-proof, encoding-proof, linear.

import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { params } from '../text/testing/fuzz.js';
import { assertAccounted, feed } from '../text/testing/feed.js';
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

const SOFTWARE = '#Software: Microsoft Internet Information Services 10.0';
const FIELDS = [
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status',
  '#Fields: date time cs-method cs-uri-stem c-ip sc-status',
  '#Fields: s-ip date time cs-uri-stem',
  '#Fields:',
];
const GATE = {
  literals: [
    { text: '/ecp/', mask: 1 },
    { text: 'serverinfo~', mask: 2 },
    { text: '.aspx', mask: 4, root: true },
  ],
  all: false,
};

const word = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9/.+~-]{1,8}$/) },
  { weight: 2, arbitrary: fc.constantFrom('GET', 'POST', '/owa/', '-', '200', '1.2.3.4') },
  { weight: 1, arbitrary: fc.constantFrom('/ecp/y.js', '/aspnet_client/x.aspx', 'ServerInfo~a]@b') },
  { weight: 1, arbitrary: junk.map((j) => j.replace(/ /g, '')) },
);
/** Words after date and time that each layout above wants (the third puts the date second: no plain lines). */
const WORDS = [9, 4, 2, 0];
/** A data line for a layout: a date and time (real or not), then words (mostly as many as the layout wants). */
const row = (layout: number) =>
  fc
    .tuple(
      fc.oneof(goodDate, goodDate, goodDate, badDate),
      fc.oneof(goodClock, goodClock, goodClock, badClock),
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(WORDS[layout]!) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) },
      ),
    )
    .chain(([d, t, n]) => fc.array(word, { minLength: n, maxLength: n }).map((w) => [d, t, ...w].join(' ')));
const other = fc.oneof(
  fc.constantFrom(SOFTWARE, '#Version: 1.0', '#Date: 2021-03-05 00:00:00', ''),
  junk,
  fc.tuple(row(0), junk).map(([r, j]) => r + j),
  // What a crash leaves: NULs, then the log's head written again.
  fc.tuple(junk, fc.constantFrom(...FIELDS, SOFTWARE)).map(([j, f]) => j + f),
);
/** A #Fields line (or none: the file's start, read with the default layout) and the lines under it. */
const segment = fc.integer({ min: 0, max: FIELDS.length - 1 }).chain((layout) =>
  fc
    .tuple(
      fc.boolean(),
      fc.array(fc.oneof({ weight: 4, arbitrary: row(layout) }, { weight: 1, arbitrary: other }), {
        maxLength: 12,
      }),
    )
    .map(([declared, lines]) => (declared ? [FIELDS[layout]!, ...lines] : lines)),
);
const log = fc
  .tuple(fc.array(segment, { maxLength: 4 }), fc.array(lineEnd, { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([segments, ends, final]) => assemble([SOFTWARE, ...segments.flat()], ends, final));

test('property: W3C logs of any damage are read the same in every chunking and encoding, every line accounted', () => {
  fc.assert(
    fc.property(log, slicesArb, (text, slices) => checkReader('iis-w3c', text, slices, GATE)),
    params(150),
  );
});

test('a log with no #Fields reads the same a byte at a time as whole (a case the property once found)', () => {
  // The default layout is chosen on the first data line; the lines after it in the same read must not be
  // counted differently from when the reads cut between them.
  const text = `${SOFTWARE}\n2021-13-45 24:00:00 /ecp/y.js GET\n2021-03-08 13:06:01 A "," . / A 0 - GET A - a ~ \n`;
  checkReader('iis-w3c', text, [2], GATE);
});

test('property: W3C logs with bytes that are not UTF-8 are read the same in every chunking', () => {
  fc.assert(
    fc.property(log, slicesArb, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (text, slices, damage) =>
      checkReader('iis-w3c', text, slices, GATE, damage),
    ),
    params(100),
  );
});

test('half a million damaged lines (NULs, impossible times, CR ends, junk) read in linear time', () => {
  const started = Date.now();
  const kinds = [
    '2021-03-05 03:00:00 GET /owa/ 1.2.3.4 200',
    '2021-13-45 99:99:99 GET /owa/ 1.2.3.4 200',
    '\0\0\0\0',
    'garbage "with quotes',
    '2021-03-05 03:00:00 POST /ecp/y.js 1.2.3.4 200',
  ];
  const lines = Array.from({ length: 500_000 }, (_, i) => kinds[i % kinds.length]);
  const text = `${FIELDS[1]}\r${lines.join('\r')}\r`;
  const got = feed('iis-w3c', Buffer.from(text), [], GATE);
  assertAccounted(got, 500_001);
  assert.equal(got.records.length + got.tallied.records, 300_000);
  // Generous: a few seconds on a laptop; anything quadratic would not finish.
  assert.ok(Date.now() - started < 120_000, `took ${Date.now() - started} ms`);
});

test('the generated logs do hold records, plain lines, problems and multi-layout files', () => {
  let records = 0;
  let plain = 0;
  let problems = 0;
  for (const [text] of fc.sample(fc.tuple(log), { numRuns: 200, seed: 7 })) {
    const f = feed('iis-w3c', Buffer.from(text), [], GATE);
    records += f.records.length;
    plain += f.tallied.records;
    problems += f.problems.length;
  }
  assert.ok(records > 200 && plain > 50 && problems > 200, JSON.stringify({ records, plain, problems }));
});
