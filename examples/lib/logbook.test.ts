// Tests for cutting entries into files: daily IIS files with header rewrites, `-2` files after a restart.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogBook, writeLogs } from './logbook.js';
import type { Req } from './request.js';
import { Rng } from './rng.js';
import { build, makeSite } from './site.js';
import { utc } from './time.js';
import { Tree } from './tree.js';
import { IIS_FIELDS_XFF } from './w3c.js';

const site = makeSite(new Rng(1));
const req = (t: string, rid: string): Req => ({
  t: utc(t), taken: 10, rid, method: 'GET', host: 'h', port: 443, stem: '/owa/', query: '', status: 200,
  cip: '10.0.0.9', ua: 'UA', proto: 'Owa', be: { stem: '/owa/', query: '', user: 'CORP\\u' },
}); // prettier-ignore

test('a restart splits HttpProxy files, changes the build and rewrites the IIS header', () => {
  const book = new LogBook();
  book.add(
    req('2021-03-08T21:10:00', 'a'),
    req('2021-03-08T22:30:00', 'b'),
    req('2021-03-10T00:00:01', 'late'),
  );
  const restart = utc('2021-03-08T22:20:00');
  const tree = new Tree();
  writeLogs(tree, book, site, {
    builds: [
      { from: 0, build: build('15.01.2176.002') },
      { from: restart, build: build('15.01.2176.009') },
    ],
    restarts: [restart],
    feFields: [{ from: restart, fields: IIS_FIELDS_XFF }],
    rollHours: 4,
    span: { from: utc('2021-03-01T00:00:00'), to: utc('2021-03-10T00:00:00') },
  });
  const proxy = tree.paths().filter((p) => p.includes('/HttpProxy/Owa/'));
  assert.deepEqual(
    proxy.map((p) => p.slice(p.lastIndexOf('/') + 1)),
    ['HttpProxy_2021030820-1.LOG', 'HttpProxy_2021030820-2.LOG'],
  );
  assert.match(tree.text(proxy[0] as string) ?? '', /#Version: 15\.01\.2176\.002/);
  assert.match(tree.text(proxy[1] as string) ?? '', /#Version: 15\.01\.2176\.009/);
  const fe = tree.text('inetpub/logs/LogFiles/W3SVC1/u_ex210308.log') ?? '';
  assert.equal(fe.match(/^#Fields:/gm)?.length, 2);
  assert.match(fe, /#Date: 2021-03-08 22:20:00\r\n#Fields: .* X-Forwarded-For\r\n/);
  assert.ok(!tree.paths().some((p) => p.includes('u_ex210310')), 'entries after the span are dropped');
  assert.equal(tree.files.get(proxy[1] as string)?.mtime, utc('2021-03-08T22:30:01'));
});
