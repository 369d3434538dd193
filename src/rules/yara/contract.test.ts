// More of the backend contract, run against every engine present: empty files, failing streams, tags, meta, namespaces.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import test from 'node:test';
import { engines, reader } from './testing.js';

/** A stream like a FIFO or a damaged disk: some bytes, then an error. */
function failingAfter(bytes: Buffer) {
  return () =>
    Promise.resolve(
      new Readable({
        read() {
          if (this.readableLength === 0 && !(this as { sent?: boolean }).sent) {
            (this as { sent?: boolean }).sent = true;
            this.push(bytes);
          } else this.destroy(new Error('I/O error at 4096'));
        },
      }),
    );
}

const USER_RULES = {
  'a.yar':
    'rule same_name : tagA tagB { meta: author = "A" score = 70 flag = true neg = -3 note = "12" ' +
    'strings: $a = "ALPHA-1" condition: $a }\n' +
    'rule empty_file { condition: filesize == 0 }\n',
  'b.yar': 'rule same_name { meta: author = "B" strings: $b = { 00 ff 41 } condition: $b }\n',
  'g.yar':
    'global private rule only_small { condition: filesize < 64 }\nrule g_marker { strings: $g = "GG" condition: $g }\n',
};

for (const { name, open, skip } of await engines()) {
  const withRules = async <T>(fn: (dir: string) => Promise<T>): Promise<T> => {
    const dir = await mkdtemp(join(tmpdir(), 'exhunt-ycontract-'));
    try {
      for (const [f, text] of Object.entries(USER_RULES)) await writeFile(join(dir, f), text);
      return await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  test(`${name}: an empty file is scanned (filesize == 0 matches) with no problem`, { skip }, () =>
    withRules(async (dir) => {
      const y = await open({ rules: [dir] });
      try {
        const ms = await y.scanFile(reader(Buffer.alloc(0)), 0, 'C/inetpub/wwwroot/empty.aspx');
        assert.deepEqual(
          ms.map((m) => `${m.namespace}.${m.rule}`),
          ['a.empty_file'],
        );
        assert.deepEqual(y.problems, []);
      } finally {
        await y.close();
      }
    }),
  );

  test(
    `${name}: a stream that fails part-way is a located scan-failed problem; the next file scans`,
    { skip },
    () =>
      withRules(async (dir) => {
        const y = await open({ rules: [dir] });
        try {
          const ms = await y.scanFile(
            failingAfter(Buffer.from('ALPHA-1 '.repeat(512))),
            8192,
            'C/x/fifo.aspx',
          );
          assert.deepEqual(ms, []);
          assert.deepEqual(
            y.problems.map((p) => [p.code, p.path, p.bytes, /I\/O error at 4096/.test(p.message)]),
            [['yara.scan-failed', 'C/x/fifo.aspx', 8192, true]],
          );
          const ok = await y.scanFile(reader(Buffer.from('xx ALPHA-1')), 10, 'C/x/next.aspx');
          assert.deepEqual(
            ok.map((m) => m.rule),
            ['same_name'],
          );
        } finally {
          await y.close();
        }
      }),
  );

  test(
    `${name}: tags, typed meta, one rule name in two files, a global rule bound to its own file`,
    { skip },
    () =>
      withRules(async (dir) => {
        const y = await open({ rules: [dir], builtin: false });
        try {
          assert.deepEqual(y.problems, []);
          const big = Buffer.concat([
            Buffer.from('ALPHA-1 GG '),
            Buffer.from([0, 0xff, 0x41]),
            Buffer.alloc(80),
          ]);
          const ms = await y.scanFile(reader(big), big.length, 'C/x/t.aspx');
          // g_marker is not there: its file's global rule wants a small file; the other files ignore it.
          assert.deepEqual(ms.map((m) => `${m.namespace}.${m.rule} ${String(m.meta.author)}`).sort(), [
            'a.same_name A',
            'b.same_name B',
          ]);
          const a = ms.find((m) => m.namespace === 'a')!;
          assert.deepEqual(a.tags, ['tagA', 'tagB']);
          assert.deepEqual(a.meta, { author: 'A', score: 70, flag: true, neg: -3, note: '12' });
          const b = ms.find((m) => m.namespace === 'b')!;
          assert.deepEqual(
            b.strings.map((s) => [s.id, s.offset]),
            [['$b', 11]],
          );
          const small = await y.scanFile(reader(Buffer.from('GG')), 2, 'C/x/s.aspx');
          assert.deepEqual(
            small.map((m) => `${m.namespace}.${m.rule}`),
            ['g.g_marker'],
          );
        } finally {
          await y.close();
        }
      }),
  );
}
