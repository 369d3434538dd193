// `exhunt upload REPORT.json`: sends a saved scan report to a fleet server; also the upload step of
// `exhunt scan --upload`, which must never lose a result or its verdict.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ScanReport } from '../core/report.js';
import { UploadError, uploadReport } from '../server/client.js';
import type { Io } from './io.js';
import { EXIT, UsageError } from './io.js';

export const UPLOAD_HELP = `Usage: exhunt upload REPORT.json --server URL [--token T] [--server-name NAME]

  Sends a report written by exhunt scan --json (or saved by a scan whose upload failed) to a fleet
  server. The same report sent twice is one scan on the server.

Options:
  --server URL            the fleet server's address
  --token T               an analyst's or administrator's API token (or EXHUNT_TOKEN)
  --server-name NAME      the server the report belongs to (default: the host name the evidence gives,
                          else the evidence's folder or zip name)
`;

/** Where a scan keeps its report when it uploads and no --json file was named: the current folder. */
export function defaultReportFile(report: ScanReport, target: string): string {
  const stamp = report.scan.finishedAt.replace(/[:.]/g, '-');
  const name = serverNameOf(report, target).replace(/[^A-Za-z0-9._-]+/g, '_');
  return `exhunt-${name}-${stamp}.json`;
}

/**
 * The server's name: the host name its evidence gives (logs, Test-ProxyLogon's file names), else the
 * evidence's folder or zip file name without `.zip`.
 */
export function serverNameOf(report: ScanReport, target?: string): string {
  if (report.scan.host?.name) return report.scan.host.name;
  const root = target ?? report.scan.evidence.root;
  return path.basename(path.resolve(root)).replace(/\.zip$/i, '') || 'server';
}

/** Sends the report; a failure is said with how to send it again, and resolves false (never throws). */
export async function sendReport(
  url: string,
  token: string,
  report: ScanReport,
  name: string,
  savedAs: string,
  io: Io,
): Promise<boolean> {
  try {
    await uploadReport(url, token, report, name);
    io.err.write(`exhunt: report for ${name} sent to ${url}\n`);
    return true;
  } catch (e) {
    const why = e instanceof UploadError ? e.message : String(e);
    io.err.write(
      `exhunt: the report was NOT sent: ${why}\n` +
        `exhunt: it is saved in ${savedAs}; send it later with: exhunt upload ${JSON.stringify(savedAs)} --server ${url} --server-name ${JSON.stringify(name)}\n`,
    );
    return false;
  }
}

export async function uploadCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      'server-name': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out.write(UPLOAD_HELP);
    return EXIT.clean;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError('upload takes exactly one report file', UPLOAD_HELP);
  if (!values.server) throw new UsageError('--server URL is needed', UPLOAD_HELP);
  const token = values.token ?? process.env.EXHUNT_TOKEN;
  if (!token) throw new UsageError('--token (or EXHUNT_TOKEN) is needed', UPLOAD_HELP);
  const report = parseReport(await readFile(file, 'utf8'), file);
  const name = values['server-name'] ?? serverNameOf(report);
  return (await sendReport(values.server, token, report, name, file, io)) ? EXIT.clean : EXIT.error;
}

/** A report file as exhunt wrote it; anything else is refused here, before the server sees it. */
function parseReport(text: string, file: string): ScanReport {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not JSON: ${(e as Error).message}`);
  }
  const o = r as Partial<ScanReport> | null;
  if (!o || typeof o !== 'object' || typeof o.schemaVersion !== 'string' || typeof o.verdict !== 'string')
    throw new Error(`${file} is not an exhunt scan report (no schemaVersion or verdict)`);
  if (!o.scan || typeof o.scan.finishedAt !== 'string')
    throw new Error(`${file} is not an exhunt scan report (no scan section)`);
  return o as ScanReport;
}
