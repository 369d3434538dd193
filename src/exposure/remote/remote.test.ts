// Network probing against loopback imitations of Exchange 2013, 2016 and 2019 and of things that are not Exchange.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify } from './http-get.js';
import {
  selfSignedCert,
  startImitation,
  type Imitation,
  type RunningImitation,
  type TlsMaterial,
} from './imitation.js';
import { probeTarget, type TargetResult } from './probe.js';
import { scanTargets } from './scan.js';
import { parseTarget, readTargetLines } from './target.js';

const tls: TlsMaterial | undefined = selfSignedCert();
const running: RunningImitation[] = [];
const start = async (im: Imitation, withTls = false) => {
  const r = await startImitation(im, withTls ? tls : undefined);
  running.push(r);
  return r;
};
after(async () => {
  await Promise.all(running.map((r) => r.close()));
});

const probe = (url: string, timeoutMs = 5000, retries = 0) => probeTarget(url, 0, { timeoutMs, retries });

test('Exchange 2013 CU23 Mar21SU with X-OWA-Version: one request, full build', async () => {
  const s = await start({ kind: 'exchange', build: '15.0.1497.12', header: true, owaPath: true });
  const r = await probe(s.url);
  assert.equal(r.ok, true);
  assert.deepEqual(
    [r.build, r.source, r.precision, r.product, r.cu, r.su],
    ['15.0.1497.12', 'x-owa-version', 'full', '2013', 'CU23', 'Mar21SU'],
  );
  assert.ok(r.patched.includes('CVE-2021-26855'));
  assert.ok(r.vulnerable.includes('CVE-2021-34473') && r.vulnerable.includes('CVE-2022-41040'));
  assert.ok(r.missing.some((m) => m.startsWith('Nov22SU (KB5019758')));
  assert.equal(r.requests, 1);
  assert.equal(
    s.hits.get('/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application'),
    undefined,
  );
});

test('Exchange 2016 CU22 Nov22SU over HTTPS with a self-signed certificate, build from the export tool manifest', async (t) => {
  if (!tls) return t.skip('openssl is not installed: no certificate for the HTTPS imitation');
  const s = await start({ kind: 'exchange', build: '15.1.2375.37', exporttool: true, owaPath: true }, true);
  assert.match(s.url, /^https:/);
  const r = await probe(s.url);
  assert.deepEqual([r.ok, r.build, r.source, r.su], [true, '15.1.2375.37', 'exporttool', 'Nov22SU']);
  assert.deepEqual(r.vulnerable, []);
  assert.deepEqual(r.unknown, []);
});

test('Exchange 2019 CU9 showing only the OWA resource path: CU known, SU unknown where it matters', async () => {
  const s = await start({ kind: 'exchange', build: '15.2.858.5', owaPath: true });
  const r = await probe(s.url);
  assert.deepEqual([r.ok, r.build, r.source, r.precision, r.cu], [true, '15.2.858', 'owa-path', 'cu', 'CU9']);
  assert.ok(r.patched.includes('CVE-2021-26855'), 'CU9 is newer than every CU that needed Mar21SU');
  assert.ok(r.unknown.includes('CVE-2021-34473') && r.unknown.includes('CVE-2021-31207'));
  assert.ok(r.vulnerable.includes('CVE-2022-41040'), 'CU9 never got Nov22SU');
  assert.ok(r.notes.some((n) => /CU, not the security update/.test(n)));
  assert.equal(r.requests, 3, 'logon page, export tool, /owa/');
});

test('Exchange 2019 CU12 Oct22SU: header wins over the path; /owa/ header used when the logon page has none', async () => {
  const a = await start({ kind: 'exchange', build: '15.2.1118.15', header: true, owaPath: true });
  const ra = await probe(a.url);
  assert.deepEqual([ra.build, ra.su, ra.precision], ['15.2.1118.15', 'Oct22SU', 'full']);
  assert.ok(ra.vulnerable.includes('CVE-2022-41082'));
  const b = await start({ kind: 'exchange', build: '15.2.986.36' });
  const rb = await probe(b.url);
  assert.equal(rb.ok, true);
  assert.deepEqual(rb.unknown, ['all'], 'Exchange (X-FEServer) but no build disclosed');
});

test('failures say why: timeout, garbage, reset, refused, TLS, HTTP status, not Exchange, bad target', async () => {
  const slow = await start({ kind: 'slow' });
  const garbage = await start({ kind: 'garbage' });
  const reset = await start({ kind: 'reset' });
  const web = await start({ kind: 'not-exchange' });
  const down = await start({ kind: 'status', status: 503 });
  const closed = await startImitation({ kind: 'not-exchange' });
  await closed.close();
  const kind = async (url: string, timeoutMs?: number) => (await probe(url, timeoutMs)).error?.kind;
  assert.equal(await kind(slow.url, 300), 'timeout');
  assert.equal(await kind(garbage.url), 'bad-response');
  assert.equal(await kind(reset.url), 'reset');
  assert.equal(await kind(closed.url), 'refused');
  assert.equal(await kind(web.url.replace('http:', 'https:')), 'tls');
  assert.equal(await kind(down.url), 'http');
  assert.equal(await kind(web.url), 'not-exchange');
  assert.equal(await kind('ftp://127.0.0.1/'), 'invalid-target');
  assert.equal(
    classify(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })).kind,
    'dns',
  );
});

test('retries: a timeout is retried, an HTTP answer is not', async () => {
  const slow = await start({ kind: 'slow' });
  const r = await probe(slow.url, 200, 2);
  assert.equal(r.error?.kind, 'timeout');
  assert.equal(r.requests, 3);
  const down = await start({ kind: 'status', status: 500 });
  const r2 = await probe(down.url, 2000, 2);
  assert.equal(r2.error?.kind, 'http');
  assert.equal(down.hits.get('/owa/auth/logon.aspx'), 1);
});

test('targets: forms, and a streamed file with comments', async () => {
  const t = parseTarget('[::1]:8443');
  assert.ok(typeof t !== 'string');
  assert.equal(t.origin, 'https://[::1]:8443');
  assert.equal(
    (parseTarget('mail.example.org') as { origin: string }).origin,
    'https://mail.example.org:443',
  );
  assert.equal((parseTarget('http://127.0.0.1') as { port: number }).port, 80);
  assert.equal(typeof parseTarget('https://user:pw@host/'), 'string');
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-targets-'));
  try {
    const file = join(dir, 't.txt');
    writeFileSync(file, '# lab\n127.0.0.1:1\r\n\n  https://127.0.0.1:2/owa  # trailing\n127.0.0.1:3');
    const lines: string[] = [];
    for await (const l of readTargetLines(file)) lines.push(l);
    assert.deepEqual(lines, ['127.0.0.1:1', 'https://127.0.0.1:2/owa', '127.0.0.1:3']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('scan: every target once, bounded concurrency, rows for failures too', async () => {
  const e13 = await start({ kind: 'exchange', build: '15.0.1497.44', header: true });
  const e19 = await start({ kind: 'exchange', build: '15.2.792.3', exporttool: true });
  const web = await start({ kind: 'not-exchange' });
  const list = Array.from({ length: 60 }, (_, i) => [e13.url, e19.url, web.url][i % 3] as string);
  async function* stream() {
    yield* list;
  }
  const rows: TargetResult[] = [];
  const { targets } = await scanTargets(
    stream(),
    { concurrency: 7, timeoutMs: 5000 },
    (r) => void rows.push(r),
  );
  assert.equal(targets, 60);
  assert.deepEqual(
    rows.map((r) => r.index).sort((a, b) => a - b),
    [...Array(60).keys()],
  );
  assert.equal(rows.filter((r) => r.build === '15.0.1497.44').length, 20);
  assert.equal(
    rows.filter((r) => r.build === '15.2.792.3' && r.vulnerable.includes('CVE-2021-26855')).length,
    20,
  );
  assert.equal(rows.filter((r) => r.error?.kind === 'not-exchange').length, 20);
  assert.equal(e13.hits.get('/owa/auth/logon.aspx'), 20);
});
