// The fallback backend: Debian's `yara` and `yarac` programs, run with argument lists (never a shell).

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Problem } from '../../core/problem.js';
import { parseCompileError, parseYaraOutput } from './cli-output.js';
import type { Backend, RawMatch, RuleSource } from './types.js';

/** Seconds yara may spend on one file before it gives up (its `-a`). */
const TIMEOUT_S = 120;

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      bin,
      args,
      { maxBuffer: 64 << 20, encoding: 'utf8', windowsHide: true },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout, stderr: stderr || (err && code === -1 ? err.message : '') });
      },
    );
  });
}

/** Whether `bin` runs (`yara --version`); the reason when it does not. */
export async function probeYaraCli(bin: string): Promise<string | undefined> {
  const r = await run(bin, ['--version']);
  return r.code === 0 ? undefined : `${bin} did not run: ${r.stderr.trim() || `exit ${r.code}`}`;
}

/**
 * Rule files are checked one by one with yarac (so an error names its file and line), then the good ones
 * are compiled together once; each scan loads the compiled file. Decoded sources live in a private temp
 * folder only until they are compiled.
 */
export async function yaraCliBackend(yara: string, yarac: string): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-yara-'));
  const compiled = join(dir, 'rules.yarc');
  let ready = false;
  return {
    name: 'yara-cli',
    buffers: false,
    async compile(sources: RuleSource[]) {
      const problems: Problem[] = [];
      const good: string[] = [];
      for (const [i, s] of sources.entries()) {
        const file = join(dir, `${i}.yar`);
        await writeFile(file, s.text, { mode: 0o600 });
        const r = await run(yarac, [`${s.namespace}:${file}`, join(dir, `${i}.yarc`)]);
        if (r.code === 0) good.push(`${s.namespace}:${file}`);
        else {
          const e = parseCompileError(r.stderr);
          problems.push({
            code: 'yara.rule-error',
            message: e.message,
            path: s.path,
            ...(e.line !== undefined ? { line: e.line } : {}),
            severity: 'error',
          });
        }
      }
      if (good.length > 0) {
        const r = await run(yarac, [...good, compiled]);
        if (r.code === 0) ready = true;
        else
          problems.push({
            code: 'yara.rule-error',
            message: parseCompileError(r.stderr).message,
            severity: 'error',
          });
      }
      for (const [i] of sources.entries()) await rm(join(dir, `${i}.yar`), { force: true });
      return problems;
    },
    scanBuffer: () => Promise.reject(new Error('the yara command line scans files only')),
    async scanPath(path: string): Promise<RawMatch[]> {
      if (!ready) return [];
      const r = await run(yara, [
        '-C',
        '-e',
        '-m',
        '-g',
        '-s',
        '-w',
        '-a',
        String(TIMEOUT_S),
        compiled,
        path,
      ]);
      if (r.code !== 0) throw new Error(r.stderr.trim() || `yara exited with ${r.code}`);
      return parseYaraOutput(r.stdout, path);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
