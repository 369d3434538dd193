// Benchmark of the three YARA engines on the same files: a system-drive-like tree of web scripts, and large staged files.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stagedFileSource, webFileSource } from '../src/sources/files/index.js';
import { openYara } from '../src/rules/yara/index.js';
import type { BackendName } from '../src/rules/yara/types.js';
import { Rng } from '../examples/lib/rng.js';

const USAGE = `usage:
  node dist/bench/yara-engines.js tree <out> [--files 4000] [--seed 1]   web folders of a system drive
  node dist/bench/yara-engines.js big <out> [--mb 64] [--count 4]        staged dumps and archives
  node dist/bench/yara-engines.js run <dir> --engine NAME [--yara PATH]   one engine, one JSON line
  node dist/bench/yara-engines.js all <dir> [--yara PATH] [--engine A,B]  each engine under GNU time`;

const EXCHANGE = 'Program Files/Microsoft/Exchange Server/V15';
const FOLDERS = [
  `${EXCHANGE}/FrontEnd/HttpProxy/owa/auth`,
  `${EXCHANGE}/FrontEnd/HttpProxy/ecp/auth`,
  `${EXCHANGE}/ClientAccess/ecp/Customize`,
  `${EXCHANGE}/ClientAccess/ecp/Organize`,
  `${EXCHANGE}/ClientAccess/ecp/Reporting`,
  `${EXCHANGE}/ClientAccess/ecp/UsersGroups`,
  `${EXCHANGE}/ClientAccess/ecp/RulesEditor`,
  `${EXCHANGE}/ClientAccess/Owa/forms/premium`,
  `${EXCHANGE}/ClientAccess/Autodiscover`,
  `${EXCHANGE}/ClientAccess/exchweb/ews`,
  `${EXCHANGE}/ClientAccess/Sync`,
  'inetpub/wwwroot/aspnet_client/system_web/4_0_30319',
];
const EXTS = ['.aspx', '.aspx', '.aspx', '.ascx', '.ascx', '.svc', '.asmx', '.ashx', '.master'];
// The parentheses matter: without them only the last line was split, and WORDS was one string.
const WORDS = (
  'asp:Label runat server ID Text CssClass Visible OnClick EnableViewState div span table tr td input ' +
  'type hidden value Microsoft Exchange Management ControlPanel WebControls Strings Resources ' +
  'ClientScript RegisterStartupScript function var return document getElementById style width height'
).split(' ');

/** Stand-in pages with a size spread like the Exchange web folders' (median about 4 KiB, a few near 200 KiB). */
function tree(out: string, files: number, seed: number): void {
  const rng = new Rng(seed);
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const dir = path.join(out, FOLDERS[i % FOLDERS.length]!, `part${Math.floor(i / 400)}`);
    mkdirSync(dir, { recursive: true });
    const size = Math.min(200_000, Math.round(Math.exp(8.3 + rng.next() * 1.6 - 0.8 + (rng.next() - 0.5))));
    let s = `<%@ Page Language="C#" AutoEventWireup="true" Inherits="Microsoft.Exchange.Page${i}" %>\r\n`;
    while (s.length < size) {
      const w = WORDS[Math.floor(rng.next() * WORDS.length)]!;
      s += rng.next() < 0.1 ? `<${w} id="c${i}">\r\n` : `${w} `;
    }
    writeFileSync(path.join(dir, `page${i}${EXTS[i % EXTS.length]}`), s);
    bytes += s.length;
  }
  console.log(`${files} script files, ${(bytes / 1e6).toFixed(1)} MB, under ${out}`);
}

/** Dump-like binary files (random pages with text strings) in a staging folder. */
function big(out: string, mb: number, count: number): void {
  const dir = path.join(out, 'ProgramData');
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(7);
  for (let i = 0; i < count; i++) {
    const buf = Buffer.allocUnsafe(mb * 1024 * 1024);
    for (let j = 0; j < buf.length; j += 4) buf.writeUInt32LE((rng.next() * 0x1_0000_0000) >>> 0, j);
    for (let j = 0; j < buf.length - 64; j += 65_536)
      buf.write('C:\\Windows\\System32\\lsass.exe kerberos', j);
    writeFileSync(path.join(dir, `dump${i}.dmp`), buf);
  }
  console.log(`${count} files of ${mb} MiB under ${dir}`);
}

function walk(root: string, dir = root, out: { rel: string; abs: string; size: number }[] = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) walk(root, abs, out);
    else if (e.isFile())
      out.push({ rel: path.relative(root, abs).split(path.sep).join('/'), abs, size: statSync(abs).size });
  }
  return out;
}

/** Scans the tree's YARA targets the way the scan does (in place, two at a time); prints one JSON line. */
async function run(dir: string, engine: BackendName, rules: string[]): Promise<void> {
  const targets = walk(dir).filter((f) => {
    const p = f.rel.toLowerCase();
    return webFileSource.matchPath(p) || stagedFileSource.matchPath(p);
  });
  const t0 = performance.now();
  const y = await openYara({ rules, maxSize: 900 * 1024 * 1024, backend: engine });
  if ('unavailable' in y) throw new Error(y.unavailable);
  const opened = performance.now() - t0;
  let matches = 0;
  const t1 = performance.now();
  for (let i = 0; i < targets.length; i += 2)
    await Promise.all(
      targets.slice(i, i + 2).map(async (f) => {
        const ms = await y.scanFile(() => Promise.reject(new Error('in place')), f.size, f.rel, {
          localPath: f.abs,
        });
        matches += ms.length;
      }),
    );
  const secs = (performance.now() - t1) / 1000;
  await y.close();
  const bytes = targets.reduce((n, f) => n + f.size, 0);
  console.log(
    JSON.stringify({
      engine,
      files: targets.length,
      mb: +(bytes / 1e6).toFixed(1),
      openMs: Math.round(opened),
      seconds: +secs.toFixed(2),
      filesPerSecond: Math.round(targets.length / secs),
      mbPerSecond: +(bytes / 1e6 / secs).toFixed(1),
      matches,
      problems: y.problems.length,
    }),
  );
}

function all(dir: string, rules: string[], engines: string[]): void {
  const self = fileURLToPath(import.meta.url);
  for (const engine of engines) {
    const r = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%e %M %U %S',
        process.execPath,
        self,
        'run',
        dir,
        '--engine',
        engine,
        ...rules.flatMap((p) => ['--yara', p]),
      ],
      { encoding: 'utf8' },
    );
    const [, kb, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    const cpu = (user ?? 0) + (sys ?? 0);
    console.log(
      `${r.stdout.trim()}  CPU ${cpu.toFixed(1)} s, peak RSS ${((kb ?? 0) / 1024).toFixed(0)} MB` +
        (r.status ? ` (exit ${r.status})` : ''),
    );
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      files: { type: 'string', default: '4000' },
      seed: { type: 'string', default: '1' },
      mb: { type: 'string', default: '64' },
      count: { type: 'string', default: '4' },
      engine: { type: 'string' },
      yara: { type: 'string', multiple: true, default: [] },
    },
  });
  const [cmd, dir] = positionals;
  if (!dir) return (console.error(USAGE), 2);
  if (cmd === 'tree') tree(dir, Number(values.files), Number(values.seed));
  else if (cmd === 'big') big(dir, Number(values.mb), Number(values.count));
  else if (cmd === 'run' && values.engine) await run(dir, values.engine as BackendName, values.yara);
  else if (cmd === 'all')
    all(dir, values.yara, values.engine?.split(',') ?? ['yara-x', 'yara-wasm', 'yara-cli']);
  else return (console.error(USAGE), 2);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
