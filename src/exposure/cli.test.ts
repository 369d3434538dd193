// `exhunt exposure` end to end: the --build form, network scans in each format, and the exit codes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exposureCommand } from '../cli/exposure.js';
import { startImitation, type RunningImitation } from './remote/imitation.js';
import { CSV_COLUMNS } from './remote/output.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]) {
  const out = sink();
  const err = sink();
  const code = await exposureCommand(argv, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

const servers: RunningImitation[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

test('--build prints each CVE with its state and fixing update; exit 1 when something is vulnerable', async () => {
  const r = await run('exposure', '--build', '15.02.0986.030');
  assert.equal(r.code, 1);
  assert.match(r.out, /Exchange Server 2019 CU11 Oct22SU/);
  assert.match(
    r.out,
    /CVE-2022-41040\s+ProxyNotShell\s+vulnerable\s+2019 CU11 Nov22SU KB5019758 15\.2\.986\.36/,
  );
  assert.match(r.out, /CVE-2021-26855\s+ProxyLogon\s+patched/);
  const ok = await run('--build', '15.2.1118.20', '--json');
  assert.equal(ok.code, 0);
  const a = JSON.parse(ok.out) as { su: string; cves: { cve: string; state: string }[] };
  assert.equal(a.su, 'Nov22SU');
  assert.ok(a.cves.every((c) => c.state === 'patched'));
});

test('--build reports the 2016 CU8 disagreement as unknown', async () => {
  const r = await run('--build', '15.1.1415.8');
  assert.equal(r.code, 1);
  assert.match(r.out, /CVE-2021-26855\s+ProxyLogon\s+unknown.*sources disagree/);
});

test('usage errors exit 2 and say why', async () => {
  for (const argv of [
    [],
    ['--json', '--csv', 'x'],
    ['--build'],
    ['--timeout', 'soon', 'x'],
    ['--bogus'],
    ['--build', '15.1.1.1', 'host'],
  ]) {
    const r = await run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, /exhunt exposure: .+\n\nUsage: exhunt exposure/);
  }
  assert.equal((await run('--help')).code, 0);
});

test('network scan: JSON, CSV and table rows per target, exit code from the worst row', async () => {
  const patched = await startImitation({ kind: 'exchange', build: '15.1.2507.16', header: true });
  const old = await startImitation({ kind: 'exchange', build: '15.0.1497.2', exporttool: true });
  const web = await startImitation({ kind: 'not-exchange' });
  servers.push(patched, old, web);

  const clean = await run(patched.url, '--json');
  assert.equal(clean.code, 0);
  const rows = JSON.parse(clean.out) as { build: string; vulnerable: string[] }[];
  assert.deepEqual(
    rows.map((x) => x.build),
    ['15.1.2507.16'],
  );

  const dir = mkdtempSync(join(tmpdir(), 'exhunt-cli-'));
  try {
    const file = join(dir, 'targets.txt');
    writeFileSync(file, `${old.url}\n# comment\n${web.url}\n`);
    const csv = await run('--targets', file, patched.url, '--csv', '--concurrency', '2', '--rate', '500');
    assert.equal(csv.code, 1);
    const lines = csv.out.trim().split('\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, 4);
    assert.ok(
      lines.some(
        (l) => l.includes(',vulnerable,') && l.includes('15.0.1497.2') && l.includes('CVE-2021-26855'),
      ),
    );
    assert.ok(lines.some((l) => l.includes('error:not-exchange')));
    assert.match(csv.err, /3 targets: 1 vulnerable, 0 unknown, 1 failed, 1 patched/);

    const table = await run(old.url, web.url);
    assert.match(table.out, /^TARGET\s+STATUS/);
    assert.match(table.out, /vulnerable\s+15\.0\.1497\.2\s+2013 CU23 .*V: 2021-26855/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
