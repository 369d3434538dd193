// Tests on real logs in ../shared/samples: recovered record counts, and field values against reference parsers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { LogRecord } from '../../core/record.js';
import { ChunkContext } from './binxml/nodes.js';
import { BinXmlReader } from './binxml/reader.js';
import { resolveDocument } from './binxml/resolve.js';
import { EvtxParser } from './parser.js';
import { renderJson } from './render/json.js';
import { EvtxEvent } from './event.js';
import { dumpFile, scanPath, sorted } from './testing/both.js';
import {
  canon,
  evtxFiles,
  evtxexportEvents,
  flattenXml,
  hasCommand,
  pythonEvtxEvents,
  sharedSamples,
} from './testing/reference.js';

const parserSamples = sharedSamples('evtx-parser-samples');
const attackSamples = sharedSamples('evtx-attack-samples');
const noShared = 'skipped: ../shared/samples is absent (it is not part of the repository)';

function readAll(file: string): { records: LogRecord[]; rendered: number } {
  const records: LogRecord[] = [];
  let rendered = 0;
  const p = new EvtxParser(
    { path: file },
    {
      record: (r) => {
        records.push(r);
        if (r instanceof EvtxEvent) {
          // The fast JSON writer and the tree renderer must agree, and the line must be valid JSON.
          const line = r.json();
          assert.equal(line, renderJson(r.tree()), `${file}@${r.offset}`);
          JSON.parse(line);
          // The bound the size caps are checked against holds.
          assert.ok(Buffer.byteLength(line) <= r.expandedBytes, `${file}@${r.offset}: JSON within its bound`);
          rendered++;
        }
      },
      problem: () => {},
    },
  );
  p.push(fs.readFileSync(file));
  p.end();
  return { records, rendered };
}

test(
  'recovers at least the expected records from damaged and unusual files',
  { skip: parserSamples ? false : noShared },
  () => {
    const dir = parserSamples!;
    const rows = fs.readFileSync(path.join(dir, 'EXPECTED_COUNTS.tsv'), 'utf8').trim().split('\n').slice(1);
    assert.ok(rows.length >= 10);
    for (const row of rows) {
      const [file, ok] = row.split('\t');
      const { records, rendered } = readAll(path.join(dir, file!));
      assert.ok(records.length >= Number(ok), `${file}: ${records.length} records, expected at least ${ok}`);
      assert.equal(rendered, records.length, `${file}: every emitted record renders as JSON`);
    }
  },
);

test(
  'the MSExchange Management cmdlet log (forwarded, no templates) gives its Data items',
  { skip: parserSamples ? false : noShared },
  () => {
    const [r] = readAll(path.join(parserSamples!, 'MSExchange_Management_wec.evtx')).records;
    assert.ok(r);
    assert.equal(r.get('Channel'), 'MSExchange Management');
    assert.equal(r.get('EventID'), 1);
    const data = r.get('Data') as string[];
    assert.equal(data[0], 'Set-Mailbox');
    assert.match(data[1]!, /-ForwardingSmtpAddress "smtp:test2@example.com"/);
    assert.equal(r.time, '2021-11-19T16:52:33.833Z');
  },
);

const refSkip = !attackSamples
  ? noShared
  : !hasCommand('evtxexport')
    ? 'skipped: evtxexport (Debian libevtx-utils) is not installed'
    : false;

test('every attack sample matches evtxexport record for record, field for field', { skip: refSkip }, () => {
  const mismatches: string[] = [];
  let compared = 0;
  const files = evtxFiles(attackSamples!);
  assert.ok(files.length > 50);
  for (const file of files) {
    const ours = readAll(file).records;
    const ref = evtxexportEvents(file);
    if (ours.length !== ref.length)
      mismatches.push(`${file}: ${ours.length} records, evtxexport ${ref.length}`);
    ref.forEach((ev, i) => {
      const r = ours[i];
      if (!r) return;
      for (const [k, v] of flattenXml(ev)) {
        compared++;
        if (canon(r.get(k)) !== canon(v))
          mismatches.push(
            `${path.basename(file)} #${i} ${k}: ${JSON.stringify(r.get(k))} vs ${JSON.stringify(v)}`,
          );
      }
    });
  }
  assert.ok(compared > 10000, `compared ${compared} values`);
  assert.deepEqual(mismatches.slice(0, 20), []);
});

const pySkip = !attackSamples
  ? noShared
  : !hasCommand('evtx_dump.py')
    ? 'skipped: evtx_dump.py (Debian python3-evtx) is not installed'
    : false;

test('a few attack samples match python-evtx (times compared to the millisecond)', { skip: pySkip }, () => {
  const files = evtxFiles(attackSamples!)
    .filter((f) => fs.statSync(f).size <= 70000)
    .slice(0, 6);
  const mismatches: string[] = [];
  for (const file of files) {
    const ours = readAll(file).records;
    const ref = pythonEvtxEvents(file);
    assert.equal(ours.length, ref.length, file);
    ref.forEach((ev, i) => {
      for (const [k, v] of flattenXml(ev)) {
        // python-evtx renders booleans as True/False, binary as base64 and string arrays as <string> items.
        if (k === 'Binary' || (typeof v === 'string' && v.includes('<string>'))) continue;
        const a = canon(ours[i]!.get(k), 3).toLowerCase();
        const b = canon(v, 3).toLowerCase();
        if (a !== b) mismatches.push(`${path.basename(file)} #${i} ${k}: ${a} vs ${b}`);
      }
    });
  }
  assert.deepEqual(mismatches.slice(0, 20), []);
});

test(
  'a raw BinXML fragment (the first record of a chunk) decodes on its own',
  { skip: parserSamples ? false : noShared },
  () => {
    const fragment = fs.readFileSync(path.join(parserSamples!, 'binxml.dat'));
    // Offsets inside BinXML are chunk-relative: the first record's BinXML starts at 512 + 24.
    const chunk = Buffer.alloc(65536);
    fragment.copy(chunk, 536);
    const nodes = new BinXmlReader(new ChunkContext(chunk, 0), 536, 536 + fragment.length).parseDocument();
    const json = JSON.parse(renderJson(resolveDocument(nodes))) as {
      Event: { System: Record<string, unknown> };
    };
    assert.equal(json.Event.System['EventID'], 4608);
    assert.equal(json.Event.System['Computer'], '37L4247F27-25');
    assert.deepEqual(json.Event.System['TimeCreated'], {
      '#attributes': { SystemTime: '2016-07-08T18:12:51.6816408Z' },
    });
  },
);

test(
  'on every parser sample, scan and dump agree, and every problem lies inside the file',
  { skip: parserSamples ? false : noShared, timeout: 300_000 },
  async () => {
    const files = evtxFiles(parserSamples!);
    assert.ok(files.length >= 20);
    let located = 0;
    for (const file of files) {
      const data = fs.readFileSync(file);
      const scan = scanPath(data);
      const dump = await dumpFile(file);
      const name = path.basename(file);
      assert.equal(dump.json.length, scan.json.length, `${name}: records`);
      assert.equal(dump.badRecords, scan.badRecords, `${name}: bad records`);
      assert.deepEqual(sorted(dump.problems), sorted(scan.problems), `${name}: problems`);
      for (const p of scan.raw) {
        assert.ok(p.offset !== undefined, `${name}: ${p.code} has an offset`);
        // Inside the file, or exactly at its end for what is missing after it.
        assert.ok(p.offset <= data.length, `${name}: ${p.code} at ${p.offset} of ${data.length}`);
        if (p.offset === data.length) assert.equal(p.code, 'evtx.missing-chunks', name);
        // Offsets quoted in messages are file offsets too.
        for (const m of p.message.matchAll(/at offset (\d+)/g))
          assert.ok(Number(m[1]) < data.length, `${name}: ${p.message}`);
        located++;
      }
    }
    assert.ok(located > 100, `${located} problems checked`);
  },
);
