// Writes the report files a scan asks for besides JSON: HTML, Markdown and the remediation script.

import { writeFile } from 'node:fs/promises';
import type { ScanReport } from '../core/report.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { remediationScript } from '../report/powershell.js';

interface ReportFileOptions {
  html?: string;
  markdown?: string;
  /** The generated PowerShell remediation script (`--remediation-script FILE`). */
  powershell?: string;
  /** The script's host when the report names none (`--server-name`); without either it asks for one. */
  host?: string;
}

export async function writeReportFiles(report: ScanReport, opts: ReportFileOptions): Promise<void> {
  const jobs: Promise<void>[] = [];
  if (opts.html) jobs.push(writeFile(opts.html, renderHtml(report), 'utf8'));
  if (opts.markdown) jobs.push(writeFile(opts.markdown, renderMarkdown(report), 'utf8'));
  if (opts.powershell)
    jobs.push(
      writeFile(opts.powershell, remediationScript(report, opts.host ? { host: opts.host } : {}), 'utf8'),
    );
  await Promise.all(jobs);
}
