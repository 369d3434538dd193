import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { validateScannerTable } from './noise.js';

const url = new URL('../../../data/internet-scanners.json', import.meta.url);

test('the scanner table is sound: every row cites a source with a url and names a range or agent', () => {
  const data = JSON.parse(readFileSync(url, 'utf8')) as { scanners: unknown[] };
  assert.deepEqual(validateScannerTable(data), []);
  assert.ok(data.scanners.length >= 3);
});

test('the validator refuses rows without sources, bad ranges and unnormalised agents', () => {
  const errors = validateScannerTable({
    sources: { s: { title: 't', url: 'https://example.org' } },
    scanners: [
      { name: 'x', ranges: ['1.2.3.0/33'], userAgents: [], sources: ['s'] },
      { name: 'y', ranges: [], userAgents: ['Has+Plus'], sources: [] },
      { name: 'z', ranges: [], userAgents: [], sources: ['nope'] },
    ],
  });
  assert.equal(errors.length, 5, errors.join('\n'));
});
