// One contract suite run against every YARA backend present: our rules on our fixtures, listings, user rules, caps.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { encodeAtRest } from './encoding.js';
import { fixtureBytes, YARA_FIXTURES } from './fixtures.js';
import { openYara } from './scanner.js';
import { BUILTIN_YARA_DIR } from './rules.js';

const BUILTIN_FILES = readdirSync(BUILTIN_YARA_DIR).filter((n) => /\.yara?(\.b64)?$/.test(n)).length;
import { engines, reader, zipOf } from './testing.js';

for (const { name, open, skip } of await engines()) {
  test(`${name}: our rules match our positive fixtures and none of the negative ones`, { skip }, async () => {
    const y = await open();
    try {
      assert.deepEqual(y.problems, []);
      assert.equal(y.ruleFiles, BUILTIN_FILES);
      for (const [file, f] of Object.entries(YARA_FIXTURES)) {
        const buf = fixtureBytes(file);
        const all = await y.scanFile(reader(buf), buf.length, `C/inetpub/wwwroot/aspnet_client/${file}`);
        // The family rules may add matches on a positive fixture; on a negative one nothing may match.
        const ms = f.expect.length === 0 ? all : all.filter((m) => m.namespace === 'exchange_webshells');
        assert.deepEqual(ms.map((m) => m.rule).sort(), [...f.expect].sort(), file);
        for (const m of all) {
          assert.equal(m.source, 'exhunt');
          assert.equal(m.meta.author, 'exhunt');
          assert.equal(m.target, 'content');
        }
      }
    } finally {
      await y.close();
    }
  });

  test(`${name}: a staged zip's listing is scanned, from memory and from a temp file`, { skip }, async () => {
    const bad = await zipOf(['stage/lsass.dmp', 'out/mbx.pst', 'readme.txt']);
    const clean = await zipOf(['docs/report.docx', 'lsass-notes.txt']);
    for (const memLimit of [1 << 20, 16]) {
      const y = await open({ memLimit });
      try {
        const ms = await y.scanFile(reader(bad), bad.length, 'C/ProgramData/it.zip');
        assert.deepEqual(ms.map((m) => `${m.target} ${m.rule}`).sort(), [
          'listing exhunt_listing_credential_material',
          'listing exhunt_listing_mailbox_export',
        ]);
        assert.deepEqual(await y.scanFile(reader(clean), clean.length, 'C/ProgramData/ok.zip'), []);
      } finally {
        await y.close();
      }
    }
  });

  test(
    `${name}: user rules (plain and encoded) load beside ours; a broken file is a located problem`,
    { skip },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'exhunt-yrules-'));
      try {
        await writeFile(
          join(dir, 'plain.yar'),
          'rule user_marker { meta: author = "Analyst One" score = 70 strings: $a = "ZZ-MARKER-42" condition: $a }\n',
        );
        await writeFile(
          join(dir, 'enc.yar.b64'),
          encodeAtRest(
            'rule user_encoded { meta: author = "Analyst Two" strings: $a = "QQ-ENC-7" condition: $a }\n',
          ),
        );
        await writeFile(
          join(dir, 'broken.yar'),
          'rule ok_one { condition: true }\n\nrule broken { condition: nosuch }\n',
        );
        const y = await open({ rules: [dir] });
        try {
          assert.deepEqual(
            y.problems.map((p) => [p.code, p.path?.endsWith('broken.yar'), p.line]),
            [['yara.rule-error', true, 3]],
          );
          assert.equal(y.ruleFiles, BUILTIN_FILES + 2);
          const buf = Buffer.from('xx ZZ-MARKER-42 yy QQ-ENC-7');
          const ms = await y.scanFile(reader(buf), buf.length, 'C/inetpub/wwwroot/x.aspx');
          assert.deepEqual(
            ms.map((m) => `${m.source} ${m.namespace}.${m.rule} ${String(m.meta.author)}`).sort(),
            ['enc.yar.b64 enc.user_encoded Analyst Two', 'plain.yar plain.user_marker Analyst One'],
          );
          const marker = ms.find((m) => m.rule === 'user_marker');
          assert.deepEqual(
            marker?.strings.map((s) => [s.id, s.offset]),
            [['$a', 3]],
          );
        } finally {
          await y.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  test(
    `${name}: the size cap is reported and the file skipped; a local path is scanned in place`,
    { skip },
    async () => {
      const y = await open({ maxSize: 128 });
      const dir = await mkdtemp(join(tmpdir(), 'exhunt-ylocal-'));
      try {
        const big = fixtureBytes('oab-dump.aspx');
        let opened = false;
        const none = await y.scanFile(
          () => {
            opened = true;
            return reader(big)();
          },
          big.length,
          'C/x/oab.aspx',
        );
        assert.deepEqual(none, []);
        assert.equal(opened, false, 'a file over the cap is not even opened');
        assert.deepEqual(
          y.problems.map((p) => [p.code, p.path, p.severity]),
          [['limit.yara-size', 'C/x/oab.aspx', 'limit']],
        );
        const small = fixtureBytes('chopper-jscript.aspx');
        const local = join(dir, 'c.aspx');
        await writeFile(local, small);
        const ms = await y.scanFile(
          () => Promise.reject(new Error('must not be read')),
          small.length,
          'C/x/c.aspx',
          {
            localPath: local,
          },
        );
        assert.deepEqual(
          ms.filter((m) => m.namespace === 'exchange_webshells').map((m) => m.rule),
          ['exhunt_chopper_eval_request'],
        );
      } finally {
        await y.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
}

test('no engine: the scan is told why, with a yara.unavailable problem', async () => {
  const x = await openYara({ rules: [], maxSize: 1, backend: 'yara-x', module: '/nonexistent/yara-x' });
  assert.ok('unavailable' in x);
  assert.match(x.unavailable, /YARA-X binding: \/nonexistent\/yara-x could not be loaded/);
  assert.deepEqual(
    x.problems.map((p) => p.code),
    ['yara.unavailable'],
  );
  const c = await openYara({ rules: [], maxSize: 1, backend: 'yara-cli', bin: '/nonexistent/yara' });
  assert.ok('unavailable' in c);
  assert.match(c.unavailable, /yara program: \/nonexistent\/yara did not run/);
  const w = await openYara({ rules: [], maxSize: 1, backend: 'yara-wasm', wasmModule: '/nonexistent/wasm' });
  assert.ok('unavailable' in w);
  assert.match(w.unavailable, /WebAssembly libyara: \/nonexistent\/wasm could not be loaded/);
  const none = { module: '/nonexistent/yara-x', wasmModule: '/nonexistent/wasm', bin: '/nonexistent/yara' };
  const all = await openYara({ rules: [], maxSize: 1, backend: 'auto', ...none });
  assert.ok('unavailable' in all);
  assert.match(
    all.unavailable,
    /YARA-X binding: .*; WebAssembly libyara: .*; yara program: .*reinstall exhunt/,
  );
  const heavy = await openYara({ rules: [], maxSize: 1, backend: 'auto', heavy: true, ...none });
  assert.ok('unavailable' in heavy);
  assert.match(heavy.unavailable, /YARA-X binding: .*; yara program: .*; WebAssembly libyara: /);
});

test('auto: YARA-X first; then the wasm build for our rules on web scripts, the yara program for heavier work', async (t) => {
  const noX = { rules: [], maxSize: 1, builtin: false, module: '/nonexistent/yara-x' };
  const pick = async (o: Parameters<typeof openYara>[0]) => {
    const y = await openYara(o);
    if ('unavailable' in y) return 'none';
    await y.close();
    return y.backend;
  };
  const x = await pick({ rules: [], maxSize: 1, builtin: false });
  if (x !== 'yara-x') return t.skip(`YARA-X is not installed here (auto picked ${x})`);
  assert.equal(await pick(noX), 'yara-wasm');
  const cli = await pick({ ...noX, backend: 'yara-cli' });
  if (cli === 'none') return t.skip('the yara program is not installed here');
  assert.equal(await pick({ ...noX, heavy: true }), 'yara-cli');
  const old = process.env.EXHUNT_YARA_ENGINE;
  process.env.EXHUNT_YARA_ENGINE = 'yara-wasm';
  try {
    assert.equal(await pick({ rules: [], maxSize: 1, builtin: false, heavy: true }), 'yara-wasm');
  } finally {
    if (old === undefined) delete process.env.EXHUNT_YARA_ENGINE;
    else process.env.EXHUNT_YARA_ENGINE = old;
  }
});
