// Security suite: a zip bomb made of many small entries, each under the per-entry ratio check's 1 MiB
// floor. The bundle as a whole is capped (200 times its own size plus 64 MiB, and the server's
// --max-inflated-mb): entries past the cap are located `zip.total-size` problems, and a scan that lost
// logs to the cap is inconclusive, never clean.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import yazl from 'yazl';
import type { Problem } from '../../core/problem.js';
import { scan } from '../../engine/scan.js';
import { DEFAULT_LIMITS, openEvidence } from '../../evidence/index.js';

const MiB = 1024 * 1024;
const HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-01 00:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

/** A day's IIS log: the same harmless request over and over, which deflates about 500:1. */
function dayLog(day: number, bytes: number): Buffer {
  const d = `2021-03-${String(day).padStart(2, '0')}`;
  const line = `${d} 10:00:00 10.0.0.5 GET /owa/ - 443 - 10.0.0.9 Mozilla/5.0 - 200 0 0 1\r\n`;
  return Buffer.from(HEAD + line.repeat(Math.floor(bytes / line.length)));
}

async function zipOf(entries: [string, Buffer][]): Promise<string> {
  const z = new yazl.ZipFile();
  for (const [name, data] of entries) z.addBuffer(data, name, { mtime: new Date('2021-03-21T00:00:00Z') });
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-bomb-'));
  const file = path.join(dir, 'bundle.zip');
  await writeFile(file, Buffer.concat(parts));
  return file;
}

const logName = (day: number) => `inetpub/logs/LogFiles/W3SVC1/u_ex2103${String(day).padStart(2, '0')}.log`;

test('many small entries are stopped at 200 times the bundle size, each refusal located', async () => {
  // 120 entries of 1 MiB (exempt one by one from the ratio check) in a bundle of a few hundred KB.
  const zeros = Buffer.alloc(MiB);
  const file = await zipOf(
    Array.from({ length: 120 }, (_, i) => [`bomb/${i}.bin`, zeros] as [string, Buffer]),
  );
  try {
    const ev = await openEvidence(file, DEFAULT_LIMITS);
    const problems: Problem[] = [];
    let listed = 0;
    for await (const f of ev.files((p) => problems.push(p))) listed += f.size;
    await ev.close();
    const refused = problems.filter((p) => p.code === 'zip.total-size');
    assert.ok(refused.length > 0, 'the cap was reached');
    assert.ok(listed < 120 * MiB, `${listed} bytes listed`);
    assert.match(refused[0]!.path!, /^bomb\/\d+\.bin$/);
    assert.match(refused[0]!.message, /200 times the bundle's \d+ bytes/);
  } finally {
    await rm(path.dirname(file), { recursive: true, force: true });
  }
});

test('a scan that lost logs to the inflated-bytes cap is inconclusive, and says which', async () => {
  const entries = Array.from(
    { length: 20 },
    (_, i) => [logName(i + 1), dayLog(i + 1, 400 * 1024)] as [string, Buffer],
  );
  const file = await zipOf(entries);
  try {
    const capped = await scan(file, {
      threads: 0,
      evidenceLimits: { ...DEFAULT_LIMITS, maxTotalBytes: 4 * MiB },
    });
    const lost = capped.report.problems.filter((p) => p.code === 'zip.total-size');
    assert.ok(lost.length > 0);
    assert.ok(lost.every((p) => /^inetpub\/logs\/LogFiles\/W3SVC1\/u_ex2103\d\d\.log$/.test(p.path ?? '')));
    assert.equal(capped.report.verdict, 'inconclusive');
    const whole = await scan(file, { threads: 0 });
    assert.equal(whole.report.problems.filter((p) => p.code === 'zip.total-size').length, 0);
    assert.equal(whole.report.verdict, 'clean', whole.report.explanation);
  } finally {
    await rm(path.dirname(file), { recursive: true, force: true });
  }
});
