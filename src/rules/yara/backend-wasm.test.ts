// Tests of what only the WebAssembly engine has: missing modules, its memory cap and recycling, stuck scans, real webshells.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_YARA_WASM_MODULE, WASM_MAX_BYTES } from './backend-wasm.js';
import { decodeAtRest } from './encoding.js';
import { fixtureBytes, YARA_FIXTURES } from './fixtures.js';
import { BUILTIN_YARA_DIR } from './rules.js';
import { engines, reader } from './testing.js';
import { WasmPool } from './wasm-pool.js';
import type { WasmRuleHit } from './wasm-protocol.js';

const all = await engines();
const wasm = all.find((e) => e.name === 'yara-wasm')!;
const { skip } = wasm;

async function ruleDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-ywasm-'));
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
  return dir;
}

test(
  'a rule file using a module the wasm build lacks is one clear problem; its neighbours run',
  { skip },
  async () => {
    const dir = await ruleDir({
      'macho.yar': 'import "macho"\nrule m { condition: macho.number_of_segments > 0 }\n',
      'pe.yar': 'import "pe"\nrule not_pe { strings: $a = "PLAIN" condition: not pe.is_pe and $a }\n',
      'two-errors.yar': 'rule e1 { condition: nosuch1 }\nrule e2 {\n condition: nosuch2 }\n',
      'eof.yar': 'rule cut { condition: true ',
    });
    const y = await wasm.open({ rules: [dir], builtin: false });
    try {
      assert.deepEqual(
        y.problems.map((p) => [p.code, relative(dir, p.path!), p.line, p.message]),
        [
          ['yara.rule-error', 'eof.yar', undefined, 'syntax error'],
          [
            'yara.module-missing',
            'macho.yar',
            undefined,
            'uses the YARA module "macho", which the WebAssembly build of libyara lacks (it has pe, elf, math, ' +
              "hash, dotnet, time, console): this file's rules do not run; install @litko/yara-x or the yara program",
          ],
          ['yara.rule-error', 'two-errors.yar', 1, 'undefined identifier "nosuch1" (and 1 more errors)'],
        ],
      );
      assert.equal(y.ruleFiles, 1);
      const ms = await y.scanFile(reader(Buffer.from('a PLAIN text')), 12, 'C/x/a.aspx');
      assert.deepEqual(
        ms.map((m) => `${m.namespace}.${m.rule}`),
        ['pe.not_pe'],
      );
    } finally {
      await y.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a file the wasm heap cannot hold is reported as a limit and never opened, whatever --yara-max-size says',
  { skip },
  async () => {
    const y = await wasm.open({ maxSize: 4 * 1024 ** 3 });
    try {
      const size = WASM_MAX_BYTES + 1;
      const none = await y.scanFile(
        () => Promise.reject(new Error('must not be opened')),
        size,
        'C/ProgramData/big.dmp',
      );
      assert.deepEqual(none, []);
      assert.deepEqual(
        y.problems.map((p) => [p.code, p.path, p.bytes, p.severity]),
        [['limit.yara-size', 'C/ProgramData/big.dmp', size, 'limit']],
      );
      assert.match(y.problems[0]!.message, /more than the yara-wasm engine can hold/);
    } finally {
      await y.close();
    }
  },
);

test('matched bytes are shown escaped, as yara shows them', { skip }, async () => {
  const dir = await ruleDir({ 'bin.yar': 'rule bin { strings: $h = { 00 ff 5c 41 0a } condition: $h }\n' });
  const y = await wasm.open({ rules: [dir], builtin: false });
  try {
    const buf = Buffer.from([1, 2, 0, 0xff, 0x5c, 0x41, 0x0a, 3]);
    const [m] = await y.scanFile(reader(buf), buf.length, 'C/x/b.aspx');
    assert.deepEqual(m?.strings, [{ id: '$h', offset: 2, data: '\\x00\\xff\\x5cA\\x0a' }]);
  } finally {
    await y.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test(
  'memory goes back to its starting image after every call: many scans, same answers, no growth',
  { skip },
  async () => {
    const pool = await WasmPool.open(DEFAULT_YARA_WASM_MODULE, 1);
    assert.ok(!('error' in pool));
    try {
      const rules = decodeAtRest(
        await readFile(join(BUILTIN_YARA_DIR, 'exchange-webshells.yar.b64'), 'latin1'),
      );
      await pool.setRules([rules.toString('utf8')]);
      const names = Object.keys(YARA_FIXTURES);
      const once = async (name: string) => {
        const results: WasmRuleHit[][] = await pool.scan(new Uint8Array(fixtureBytes(name)).buffer, 60_000);
        return results[0]!.map((h) => `${h.rule} ${h.strings.map((x) => `${x.id}@${x.offset}`).join(',')}`);
      };
      const first = new Map<string, string[]>();
      for (const n of names) first.set(n, await once(n));
      assert.ok([...first.values()].some((v) => v.length > 0));
      for (let round = 0; round < 20; round++) {
        // A failing compile between scans returns early inside the wrapper: its state must not leak either.
        assert.equal((await pool.check('rule broken { condition: nosuch }')).length, 1);
        for (const n of names) assert.deepEqual(await once(n), first.get(n), `${n}, round ${round}`);
      }
      // Each call leaks 8-12 MiB inside libyara-wasm: without the reset this would be past a gigabyte.
      assert.ok(pool.maxHeap <= 64 * 1024 * 1024, `heap reached ${pool.maxHeap}`);
    } finally {
      await pool.close();
    }
  },
);

test(
  'a scan that outlives its time is stopped and reported; the next scan gets a new worker',
  { skip },
  async () => {
    const pool = await WasmPool.open(DEFAULT_YARA_WASM_MODULE, 1);
    assert.ok(!('error' in pool));
    try {
      await pool.setRules(['rule slow { strings: $a = /[a-z]{2,}[0-9]{2,}x/ condition: #a > 100 }']);
      const data = Buffer.alloc(8 << 20, 'ab12');
      await assert.rejects(pool.scan(new Uint8Array(data).buffer, 1), /took longer than 0 s; stopped/);
      const results: WasmRuleHit[][] = await pool.scan(new Uint8Array(Buffer.from('xyz')).buffer, 60_000);
      assert.deepEqual(results, [[]]);
    } finally {
      await pool.close();
    }
  },
);

const SAMPLES = fileURLToPath(new URL('../../../../../shared/samples/webshells/', import.meta.url));

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }))
    if (e.isDirectory()) out.push(...(await files(join(dir, e.name))));
    else out.push(join(dir, e.name));
  return out.sort();
}

/** Plain-text strings only, so that the engines' regular-expression differences cannot show. */
const SAMPLE_RULES =
  'rule t_page { strings: $p = "<%@" $l = "language=" nocase condition: $p and $l }\n' +
  'rule t_process { strings: $a = "Process" $b = "cmd.exe" nocase wide ascii condition: all of them }\n';

test('on real webshells, the wasm engine finds what the other engines find, with our rules and test rules', async (t) => {
  if (skip) return t.skip(skip);
  if (!existsSync(SAMPLES))
    return t.skip(`../shared/samples is absent (${SAMPLES}): real-sample test skipped`);
  const shells = await files(SAMPLES);
  const dir = await ruleDir({ 'samples.yar': SAMPLE_RULES });
  try {
    const seen = new Map<string, string[]>();
    for (const e of all.filter((x) => !x.skip)) {
      const y = await e.open({ rules: [dir], maxSize: 64 << 20 });
      const out: string[] = [];
      try {
        for (const f of shells) {
          const buf = await readFile(f);
          for (const m of await y.scanFile(reader(buf), buf.length, relative(SAMPLES, f)))
            out.push(
              `${m.path} ${m.namespace}.${m.rule} ${m.strings.map((s) => `${s.id}@${s.offset}`).join(',')}`,
            );
        }
        assert.deepEqual(y.problems, [], e.name);
      } finally {
        await y.close();
      }
      seen.set(e.name, out.sort());
    }
    const mine = seen.get('yara-wasm')!;
    assert.ok(mine.length >= 20, `only ${mine.length} matches on ${shells.length} webshells`);
    for (const [name, out] of seen) assert.deepEqual(mine, out, `yara-wasm and ${name} differ`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
