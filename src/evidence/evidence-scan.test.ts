// Whole scans over hostile evidence: every file read or reported, nothing hashed that was not read, no hang.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { deflateRawSync } from 'node:zlib';
import type { Artifact } from '../core/artifact.js';
import { lossOf } from '../core/problem-codes.js';
import type { ScanReport } from '../core/report.js';
import { scan } from '../engine/scan.js';
import { forgeZip } from './zip-forge.js';

const LOGS = 'inetpub/logs/LogFiles/W3SVC1';
const HEAD =
  '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2023-01-01 00:00:00\r\n' +
  '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

/** An IIS log of `n` ordinary requests. */
function iisLog(n: number): Buffer {
  let s = HEAD;
  for (let i = 0; i < n; i++)
    s += `2023-01-01 00:00:${String(i % 60).padStart(2, '0')} 10.0.0.5 GET /owa/ - 443 - 10.0.0.${i % 250} Mozilla/5.0 - 200 0 0 15\r\n`;
  return Buffer.from(s);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'exhunt-scan-'));
const byPath = (r: ScanReport) => new Map<string, Artifact>(r.artifacts.map((a) => [a.path, a]));
const problemsAt = (r: ScanReport, p: string) => r.problems.filter((x) => x.path === p).map((x) => x.code);

for (const threads of [0, 1])
  test(`names that are not UTF-8: two logs stay two artifacts, each with its own hash (threads: ${threads})`, async () => {
    const dir = tmp();
    const logs = path.join(dir, LOGS);
    mkdirSync(logs, { recursive: true });
    const one = iisLog(3);
    const two = iisLog(5);
    writeFileSync(
      Buffer.concat([Buffer.from(`${logs}/u_ex`), Buffer.from([0xff]), Buffer.from('.log')]),
      one,
    );
    writeFileSync(
      Buffer.concat([Buffer.from(`${logs}/u_ex`), Buffer.from([0xfe]), Buffer.from('.log')]),
      two,
    );
    const { report } = await scan(dir, { threads });
    const arts = byPath(report);
    assert.deepEqual([...arts.keys()].sort(), [`${LOGS}/u_ex\\xfe.log`, `${LOGS}/u_ex\\xff.log`]);
    assert.equal(arts.get(`${LOGS}/u_ex\\xff.log`)?.sha256, sha(one));
    assert.equal(arts.get(`${LOGS}/u_ex\\xff.log`)?.records, 3);
    assert.equal(arts.get(`${LOGS}/u_ex\\xfe.log`)?.sha256, sha(two));
    assert.equal(arts.get(`${LOGS}/u_ex\\xfe.log`)?.records, 5);
  });

test(
  'files that cannot be read after listing are artifacts marked unread, with no hash, and reported',
  { timeout: 120_000 },
  async () => {
    const dir = tmp();
    const logs = path.join(dir, LOGS);
    mkdirSync(logs, { recursive: true });
    const names = ['u_ex230101.log', 'u_ex230102.log', 'u_ex230103.log', 'u_ex230104.log', 'u_ex230105.log'];
    for (const n of names) writeFileSync(path.join(logs, n), iisLog(2));
    let changed = false;
    const started = Date.now();
    const { report } = await scan(dir, {
      threads: 0,
      // Between discovery and reading: one file becomes a folder, one a FIFO, one a link out, one is removed.
      onProgress: (p) => {
        if (p.phase !== 'read' || changed) return;
        changed = true;
        const f = (n: string) => path.join(logs, n);
        for (const n of names.slice(1)) rmSync(f(n));
        mkdirSync(f('u_ex230102.log'));
        execFileSync('mkfifo', [f('u_ex230103.log')]);
        symlinkSync('/etc/hostname', f('u_ex230104.log'));
      },
    });
    assert.ok(Date.now() - started < 60_000, 'finishes (a FIFO does not block it), and within 60 s');
    const arts = byPath(report);
    assert.equal(arts.get(`${LOGS}/u_ex230101.log`)?.sha256, sha(iisLog(2)));
    assert.equal(arts.get(`${LOGS}/u_ex230101.log`)?.unread, undefined);
    for (const n of names.slice(1)) {
      const a = arts.get(`${LOGS}/${n}`);
      assert.equal(a?.unread, 'all', n);
      assert.equal(a?.sha256, '', `${n}: no hash of zero bytes`);
      assert.equal(a?.size, 0);
      assert.deepEqual(problemsAt(report, `${LOGS}/${n}`), ['evidence.unreadable-file'], n);
    }
    assert.equal(lossOf('evidence.unreadable-file'), 'file');
  },
);

for (const threads of [0, 1])
  test(`a hostile bundle through the scan: every entry read or reported (threads: ${threads})`, async () => {
    const log = iisLog(4);
    const deflated = deflateRawSync(iisLog(2000));
    const zip = forgeZip(
      [
        { name: `${LOGS}/u_ex230101.log`, data: log },
        { name: `${LOGS}/u_ex230101.log`, data: iisLog(1) },
        { name: `${LOGS}/u_ex230102.log`, data: log, crc32: 1 },
        // Compressed data cut short: some lines read, then the entry stops.
        {
          name: `${LOGS}/u_ex230103.log`,
          data: iisLog(2000),
          raw: deflated.subarray(0, deflated.length >> 1),
        },
      ],
      { aliases: [{ name: `${LOGS}/u_ex230104.log`, target: 0 }] },
    ).zip;
    const file = path.join(tmp(), 'bundle.zip');
    writeFileSync(file, zip);
    const { report } = await scan(file, { threads });
    const arts = byPath(report);
    assert.deepEqual([...arts.keys()].sort(), [
      `#2/${LOGS}/u_ex230101.log`,
      `${LOGS}/u_ex230101.log`,
      `${LOGS}/u_ex230102.log`,
      `${LOGS}/u_ex230103.log`,
    ]);
    assert.equal(arts.get(`${LOGS}/u_ex230101.log`)?.records, 4);
    assert.equal(arts.get(`#2/${LOGS}/u_ex230101.log`)?.records, 1);
    assert.deepEqual(problemsAt(report, `#2/${LOGS}/u_ex230101.log`), ['zip.duplicate-name']);
    // Read whole and hashed, but the CRC says the bytes are not what was stored.
    assert.equal(arts.get(`${LOGS}/u_ex230102.log`)?.sha256, sha(log));
    assert.deepEqual(problemsAt(report, `${LOGS}/u_ex230102.log`), ['zip.crc-mismatch']);
    const cut = arts.get(`${LOGS}/u_ex230103.log`);
    assert.equal(cut?.unread, 'rest');
    assert.equal(cut?.sha256, '');
    assert.ok(cut.records > 0 && cut.records < 2000, `${cut?.records} records`);
    assert.deepEqual(problemsAt(report, `${LOGS}/u_ex230103.log`), ['zip.damaged']);
    assert.deepEqual(problemsAt(report, `${LOGS}/u_ex230104.log`), ['zip.overlap']);
    // What the verdict reads: losses that keep a clean result from standing.
    assert.deepEqual([...new Set(report.problems.map((p) => `${p.code}:${lossOf(p.code)}`))].sort(), [
      'zip.crc-mismatch:part',
      'zip.damaged:part',
      'zip.duplicate-name:none',
      'zip.overlap:file',
    ]);
  });
