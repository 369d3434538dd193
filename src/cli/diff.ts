// `exhunt diff <old-report.json> <new-report.json> [--json]`: what is gone, what remains, what is new.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ScanReport } from '../core/report.js';
import { diffReports, renderDiff } from '../report/diff.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const DIFF_HELP = `Usage: exhunt diff <old-report.json> <new-report.json> [--json]

  Compares two reports of exhunt scan --json, typically before and after remediation: findings (by rule
  and evidence), webshells (by path and SHA-256) and indicators (addresses, user agents, webshell names).
  A finding on a file that is still there remains; an old log line read again is history, not activity.

Options:
  --json    print the comparison as JSON

Exit codes: 0 = nothing remains and nothing is new; 1 = something remains or is new; 2 = error.
`;

export async function diffCommand(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out.write(DIFF_HELP);
      return EXIT.clean;
    }
    if (positionals.length !== 2) throw new UsageError('diff takes exactly two report files', DIFF_HELP);
    const [before, after] = await Promise.all(positionals.map(readReport));
    const d = diffReports(before as ScanReport, after as ScanReport);
    io.out.write(values.json ? JSON.stringify(d, null, 2) + '\n' : renderDiff(d));
    return d.clean ? 0 : 1;
  } catch (e) {
    const help = e instanceof UsageError ? `\n${e.help}` : '';
    io.err.write(`exhunt diff: ${e instanceof Error ? e.message : String(e)}\n${help}`);
    return EXIT.error;
  }
}

async function readReport(file: string): Promise<ScanReport> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable JSON file (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = data as Partial<ScanReport> | null;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.schemaVersion === 'string' &&
    /^1\./.test(r.schemaVersion) &&
    Array.isArray(r.findings) &&
    Array.isArray(r.webshells) &&
    typeof r.scan === 'object';
  if (!ok) throw new Error(`${file}: not an exhunt scan report (schema 1.x)`);
  return r as ScanReport;
}
