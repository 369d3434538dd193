// The scan command on evidence with losses: never a silent clean, and the loss shown on every output.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ScanReport } from '../core/report.js';
import { main } from './main.js';
import { runCaptured } from './testing.js';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'exhunt-integrity-'));
  for (const [p, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, p)), { recursive: true });
    await writeFile(path.join(root, p), text);
  }
  return root;
}

const run = (args: string[]) => runCaptured(main, args);

const FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

/** A benign IIS day: a few OWA logons spread over the day. */
function day(date: string, extra = ''): string {
  const head = `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: ${date} 00:00:00\r\n#Fields: ${FIELDS}\r\n`;
  const lines = ['00:10:00', '12:00:00', '23:50:00'].map(
    (t) => `${date} ${t} 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.1.1.1 Mozilla/5.0 - 200 0 0 1\r\n`,
  );
  return head + lines.join('') + extra;
}

const log = (d: string) => `inetpub/logs/LogFiles/W3SVC1/u_ex${d.replace(/-/g, '').slice(2)}.log`;

async function report(
  root: string,
  ...args: string[]
): Promise<{ code: number; r: ScanReport; out: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-integrity-out-'));
  const json = path.join(dir, 'r.json');
  const res = await run(['scan', root, '--no-color', '--json', json, ...args]);
  return { code: res.code, r: JSON.parse(await readFile(json, 'utf8')) as ScanReport, out: res.out };
}

test('benign days with nothing lost: clean, exit 0, integrity complete and valid against the schema', async () => {
  const root = await tree(Object.fromEntries(['2021-03-01', '2021-03-02'].map((d) => [log(d), day(d)])));
  const { code, r, out } = await report(root);
  assert.equal(code, 0);
  assert.equal(r.verdict, 'clean');
  assert.equal(r.integrity?.complete, true);
  assert.equal(r.integrity?.files.read, 2);
  assert.match(out, /2 files listed: 2 read, 0 skipped, 0 not read/);
  await assertValid(r);
});

async function assertValid(r: ScanReport): Promise<void> {
  const schema: unknown = JSON.parse(
    await readFile(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8'),
  );
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema as object);
  assert.ok(validate(r), JSON.stringify(validate.errors));
}

test('a damaged line in a web log: inconclusive, exit 5, the line named in the verdict, console and HTML', async () => {
  const root = await tree({
    [log('2021-03-01')]: day('2021-03-01'),
    [log('2021-03-02')]: day('2021-03-02', '2021-03-02 23:59:00 broken line\r\n'),
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-integrity-html-'));
  const html = path.join(dir, 'r.html');
  const { code, r, out } = await report(root, '--html', html);
  assert.equal(code, 5);
  assert.equal(r.verdict, 'inconclusive');
  assert.match(r.explanation, /u_ex210302\.log:8/);
  assert.equal(r.integrity?.complete, false);
  assert.match(out, /Evidence \(incomplete/);
  assert.match(out, /lost, lowering the verdict \(1\)/);
  const page = await readFile(html, 'utf8');
  assert.match(page, /Evidence read \(incomplete\)/);
  assert.match(page, /u_ex210302\.log:8/);
});

test('a day of web logs missing inside the span: inconclusive, the day named', async () => {
  const root = await tree(Object.fromEntries(['2021-03-01', '2021-03-03'].map((d) => [log(d), day(d)])));
  const { code, r, out } = await report(root);
  assert.equal(code, 5);
  assert.match(r.explanation, /Logs are missing for 2021-03-02 \(IIS\/W3SVC1, 1 day\)/);
  assert.deepEqual(r.coverage[0]?.gaps, [{ from: '2021-03-02', to: '2021-03-02', days: 1 }]);
  assert.match(out, /missing logs: IIS\/W3SVC1 2021-03-02 \(1 day\) while exposed/);
});

test('every listed file is read or skipped with a reason: empty files and files no reader claims', async () => {
  const root = await tree({
    [log('2021-03-01')]: day('2021-03-01'),
    'inetpub/logs/LogFiles/W3SVC1/u_ex210302.log': '',
    'Windows/notes.bin': 'xyz',
  });
  const { r } = await report(root);
  const i = r.integrity!;
  assert.equal(i.files.listed, 3);
  assert.equal(i.files.read + i.files.skipped + i.files.unread, i.files.listed);
  assert.deepEqual(
    i.skipped.map((g) => [g.reason, g.files, g.examples]),
    [
      ['empty', 1, ['inetpub/logs/LogFiles/W3SVC1/u_ex210302.log']],
      ['no-reader', 1, ['Windows/notes.bin']],
    ],
  );
  assert.equal(i.bytes.read + i.bytes.skipped, i.bytes.listed);
});

test('a line that never ends: reading stops there (--max-unended-line), the rest a loss, the hash partial', async () => {
  const attack = `2021-03-02 23:00:00 10.0.0.5 GET /owa/auth/RedirSuiteServerProxy.aspx - 443 - 203.0.113.51 python-requests/2.25.1 - 200 0 0 12\r\n`;
  const before = day('2021-03-02');
  const text = before + 'A'.repeat(3 << 20) + '\r\n' + attack;
  const root = await tree({ [log('2021-03-01')]: day('2021-03-01'), [log('2021-03-02')]: text });
  const { code, r, out } = await report(root, '--max-unended-line', '1');
  assert.equal(code, 5);
  assert.equal(r.verdict, 'inconclusive');
  const p = r.problems.find((x) => x.code === 'text.unended-line');
  assert.ok(p, JSON.stringify(r.problems));
  assert.equal(p.path, log('2021-03-02'));
  assert.equal(p.offset, Buffer.byteLength(before));
  assert.equal(p.bytes, Buffer.byteLength(text) - Buffer.byteLength(before));
  const a = r.artifacts.find((x) => x.path === log('2021-03-02'))!;
  assert.equal(a.unread, 'rest');
  assert.equal(a.sha256, '');
  assert.ok(a.size > Buffer.byteLength(before) && a.size < Buffer.byteLength(text), String(a.size));
  assert.equal(a.unreadBytes, Buffer.byteLength(text) - a.size);
  const prefix = Buffer.from(text).subarray(0, a.size);
  assert.equal(a.partialSha256, createHash('sha256').update(prefix).digest('hex'));
  const i = r.integrity!;
  assert.equal(i.bytes.read + i.bytes.skipped + i.bytes.unread, i.bytes.listed);
  assert.ok(i.losses.some((l) => l.path === log('2021-03-02') && l.lowers && l.loss === 'part'));
  assert.match(out, /u_ex210302\.log/);
  await assertValid(r);
  // With the default limit (64 MiB) the same line is read through, and the attack after it is found.
  const whole = await report(root);
  assert.equal(whole.r.verdict, 'compromised');
  assert.ok(!whole.r.problems.some((x) => x.code === 'text.unended-line'));
});
