// The command table as users meet it: the top-level help, `exhunt help COMMAND`, `exhunt --version`, and the
// bash and PowerShell completion scripts made from the table.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadPowerShellParser } from '../collector/ps-grammar.js';
import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import { migrations } from '../store/migrations/index.js';
import { COMMANDS } from './commands.js';
import { completionEntries, optionsIn } from './completion.js';
import type { CompletionEntry } from './completion.js';
import { HELP, main } from './main.js';
import { runCaptured } from './testing.js';

const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

test('the top-level help lists every command of the table with its summary', async () => {
  const r = await runCaptured(main, ['help']);
  assert.equal(r.code, 0);
  assert.equal(r.out, HELP);
  const lines = r.out.split('\n');
  for (const c of COMMANDS)
    assert.ok(
      lines.some((l) => l.startsWith(`  ${c.synopsis} `) && l.endsWith(` ${c.summary}`)),
      `${c.name} is listed with its summary`,
    );
});

describe('exhunt help COMMAND', () => {
  for (const c of COMMANDS)
    test(`help ${c.name} prints that command's usage and options`, async () => {
      const r = await runCaptured(main, ['help', c.name]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      assert.match(r.out, new RegExp(`^Usage:\\s+(?:.*\\n\\s+)?exhunt ${c.name}\\b`));
      // The command itself answers --help with the same text.
      const self = await runCaptured(main, [c.name, '--help']);
      assert.equal(self.code, 0, self.err);
      assert.equal(self.out, r.out);
    });

  test('an unknown command is an error that shows the command list', async () => {
    const r = await runCaptured(main, ['help', 'scna']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown command "scna"/);
    assert.match(r.err, /Commands:/);
  });
});

test('--version names the release, the report schema, the newest migration and Node.js', async () => {
  const newest = Object.keys(migrations('sqlite')).sort().at(-1);
  for (const argv of [['--version'], ['version']]) {
    const r = await runCaptured(main, argv);
    assert.equal(r.code, 0);
    assert.deepEqual(r.out.trimEnd().split('\n'), [
      `exhunt ${pkg.version}`,
      `report schema ${REPORT_SCHEMA_VERSION}`,
      `database migrations up to ${newest}`,
      `Node.js ${process.versions.node}`,
    ]);
  }
  assert.equal((await runCaptured(main, ['version', 'extra'])).code, 2);
});

test('options are read from help text: long and short, not words with dashes inside', () => {
  assert.deepEqual(
    optionsIn('Usage: x [-o FILE] [--max-gb N]\n  --no-color  plain; non-UTF-8 names, evtx_dump-shaped'),
    ['--help', '--max-gb', '--no-color', '-o'],
  );
});

describe(
  'bash completion',
  {
    skip:
      spawnSync('bash', ['-c', 'compgen -W a a']).status === 0 ? false : 'bash with compgen is not available',
  },
  () => {
    let dir: string;
    let script: string;
    let entries: CompletionEntry[];
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'exhunt-completion-'));
      const r = await runCaptured(main, ['completion', 'bash']);
      assert.equal(r.code, 0, r.err);
      script = path.join(dir, 'exhunt.bash');
      await writeFile(script, r.out);
      entries = await completionEntries(COMMANDS);
    });
    after(() => rm(dir, { recursive: true, force: true }));

    /** What the completion function offers for a command line whose last word is being typed. */
    function complete(...words: string[]): string[] {
      const quoted = words.map((w) => `'${w}'`).join(' ');
      const r = spawnSync(
        'bash',
        [
          '-c',
          `source "$1"; complete -p exhunt >/dev/null || exit 9; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _exhunt_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
          'bash',
          script,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '');
      return r.stdout.split('\n').filter(Boolean);
    }

    test('the first word: every command, help and the top-level options', () => {
      assert.deepEqual(
        complete('exhunt', '').sort(),
        [...COMMANDS.map((c) => c.name), 'help', '--help', '--version'].sort(),
      );
      assert.deepEqual(complete('exhunt', 'se'), ['serve']);
      assert.deepEqual(complete('exhunt', 'co'), ['collector', 'completion']);
    });

    test("each command's options after a dash, its sub-commands as the first argument", () => {
      for (const e of entries) {
        if (e.options.length > 0)
          assert.deepEqual(
            complete('exhunt', e.name, '--').sort(),
            e.options.filter((o) => o.startsWith('--')).sort(),
            e.name,
          );
        if (e.subcommands.length > 0)
          assert.deepEqual(complete('exhunt', e.name, ''), [...e.subcommands], e.name);
      }
      assert.deepEqual(complete('exhunt', 'scan', '--ht'), ['--html']);
      assert.deepEqual(complete('exhunt', 'rules', 't'), ['test']);
      assert.deepEqual(complete('exhunt', 'help', 'wo'), ['worker']);
      assert.deepEqual(complete('exhunt', 'completion', 'p'), ['powershell']);
    });

    test('anything else is left to file-name completion', () => {
      assert.deepEqual(complete('exhunt', 'scan', 'evid'), []);
      assert.deepEqual(complete('exhunt', 'rules', 'lint', 'ru'), []);
      assert.deepEqual(complete('exhunt', 'nosuch', '--x'), []);
    });
  },
);

const parser = await loadPowerShellParser();
test(
  'PowerShell completion parses, and carries every command with its options and sub-commands',
  { skip: typeof parser === 'string' ? `skipped: ${parser}` : false },
  async () => {
    if (typeof parser === 'string') return;
    const r = await runCaptured(main, ['completion', 'powershell']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(parser(r.out), []);
    assert.match(r.out, /Register-ArgumentCompleter -Native -CommandName 'exhunt', 'exhunt.exe'/);
    for (const e of await completionEntries(COMMANDS)) {
      const list = (w: readonly string[]) => `@(${w.map((x) => `'${x}'`).join(', ')})`;
      assert.ok(
        r.out.includes(
          `'${e.name}' = @{ Subcommands = ${list(e.subcommands)}; Options = ${list(e.options)} }`,
        ),
        e.name,
      );
    }
  },
);

test('completion without a known shell is a usage error', async () => {
  for (const argv of [['completion'], ['completion', 'zsh'], ['completion', 'bash', 'x']]) {
    const r = await runCaptured(main, argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, /exhunt completion: say which shell: bash or powershell/);
  }
});
