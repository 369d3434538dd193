// `exhunt collector`: the script on standard output with the options in it, and bad options refused.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import test from 'node:test';
import { main } from './main.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  const code = await main(['collector', ...args], { out, err, outIsTty: false, errIsTty: false });
  return { code, out: Buffer.concat(o).toString(), err: Buffer.concat(e).toString() };
}

test('writes the script with --since as UTC, --max-gb and the upload target', async () => {
  const r = await run([
    '--since',
    '2023-01-31',
    '--max-gb',
    '2.5',
    '--upload',
    'https://fleet.example:8443',
    '--token',
    'tok',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.ok(r.out.startsWith('<#\r\n'));
  for (const line of [
    "[string] $Since = '2023-01-31T00:00:00.000Z',",
    '[double] $MaxGB = 2.5,',
    "[string] $UploadUrl = 'https://fleet.example:8443',",
    "[string] $Token = 'tok',",
  ])
    assert.ok(r.out.includes(line), line);
});

test('refuses what the script could not use', async () => {
  for (const bad of [
    ['--since', 'last week'],
    ['--max-gb', '0'],
    ['--upload', 'ftp://x'],
    ['--token', 'a b'],
    ['extra'],
  ]) {
    const r = await run(bad);
    assert.equal(r.code, 2, bad.join(' '));
    assert.equal(r.out, '');
  }
});
