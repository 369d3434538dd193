// What a re-analysis keeps: only the trigger's matches, inside the range (undated ones kept), one hit per
// rule with its count, times and first evidence; and a bundle read with loss said in one line.

import assert from 'node:assert/strict';
import test from 'node:test';
import type { ScanReport } from '../../core/report.js';
import { finding } from '../../store/testing.js';
import type { HuntForJob } from '../../store/index.js';
import { hitsOf, lossOf } from './job.js';

const hunt: HuntForJob = {
  id: 7,
  trigger: { kind: 'feed', id: 3, name: 'CERT', sha256: 'x' },
  since: '2021-03-01T00:00:00.000Z',
  until: '2021-03-31T23:59:59.999Z',
  status: 'running',
};
const rule = (id: string, source: string) => ({ id, title: `t ${id}`, author: 'a', source });
const at = (t: string | undefined, id: string, ruleId = 'ioc.ip.1', source = 'CERT (feed 3)') =>
  finding(id, { rule: rule(ruleId, source), ...(t ? { time: t } : { time: undefined }) });

test('hitsOf: the trigger’s matches in range, grouped per rule; other sources and out-of-range left out', () => {
  const hits = hitsOf(
    [
      at('2021-03-03T06:00:00.000Z', 'a'),
      at('2021-03-05T06:00:00.000Z', 'b'),
      at('2021-04-05T06:00:00.000Z', 'late'),
      at('2021-02-05T06:00:00.000Z', 'early'),
      at(undefined, 'file', 'ioc.sha256.2'),
      at('2021-03-04T06:00:00.000Z', 'ours', 'exhunt.proxylogon.ssrf', 'exhunt'),
      at('2021-03-04T06:00:00.000Z', 'other feed', 'ioc.ip.1', 'CERT (feed 4)'),
    ],
    hunt,
    11,
  );
  assert.deepEqual(
    hits.map((h) => [h.ruleId, h.occurrences, h.firstAt, h.lastAt, h.scanId, h.via]),
    [
      ['ioc.ip.1', 2, '2021-03-03T06:00:00.000Z', '2021-03-05T06:00:00.000Z', 11, 'bundle'],
      // A file on disk has no time: it cannot be put outside the range.
      ['ioc.sha256.2', 1, null, null, 11, 'bundle'],
    ],
  );
  assert.equal(hits[0]!.finding.id, 'a');
  assert.equal(hits[0]!.finding.evidence.length, 2, 'the evidence of every occurrence, bounded');
});

test('lossOf: nothing when all was read; the count and the first loss otherwise', () => {
  assert.deepEqual(lossOf({ integrity: { losses: [] } } as unknown as ScanReport), {});
  assert.deepEqual(lossOf({} as ScanReport), {});
  const r = lossOf({
    integrity: { losses: [{ path: 'inetpub/u_ex1.log', loss: 'part', codes: ['zip.crc'], problems: 1 }, {}] },
  } as unknown as ScanReport);
  assert.equal(r.loss, 'read with loss: 2 file(s), first inetpub/u_ex1.log (part: zip.crc)');
});
