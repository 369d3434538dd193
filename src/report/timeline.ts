// Timeline writers: JSONL and Timesketch-ready CSV (`message`, `datetime`, `timestamp_desc` first).

import type { ScanReport } from '../core/report.js';
import { csvField } from './escape.js';

interface TimelineRow {
  datetime: string;
  timestamp_desc: string;
  message: string;
  rule_id: string;
  rule_title: string;
  rule_author: string;
  severity: string;
  stage: string;
  outcome: string;
  cves: string;
  source_ips: string;
  path: string;
  line: string;
  finding_id: string;
}

function timelineRows(report: ScanReport): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const f of report.findings) {
    if (!f.time) continue;
    const ev = f.evidence[0];
    rows.push({
      datetime: f.time,
      timestamp_desc: ev?.line !== undefined ? 'Log Entry' : 'File Modified',
      message: `[${f.outcome}/${f.stage}] ${f.rule.title}${f.summary ? `: ${f.summary}` : ''}`,
      rule_id: f.rule.id,
      rule_title: f.rule.title,
      rule_author: f.rule.author,
      severity: f.severity,
      stage: f.stage,
      outcome: f.outcome,
      cves: f.cves.join(' '),
      source_ips: f.sourceIps.join(' '),
      path: ev?.path ?? '',
      line: ev?.line !== undefined ? String(ev.line) : '',
      finding_id: f.id,
    });
  }
  return rows.sort((a, b) => a.datetime.localeCompare(b.datetime));
}

export function timelineJsonl(report: ScanReport): string {
  return timelineRows(report)
    .map((r) => JSON.stringify(r) + '\n')
    .join('');
}

const COLUMNS: (keyof TimelineRow)[] = [
  'message',
  'datetime',
  'timestamp_desc',
  'rule_id',
  'rule_title',
  'rule_author',
  'severity',
  'stage',
  'outcome',
  'cves',
  'source_ips',
  'path',
  'line',
  'finding_id',
];

export function timelineCsv(report: ScanReport): string {
  const lines = [COLUMNS.join(',')];
  for (const r of timelineRows(report)) lines.push(COLUMNS.map((c) => csvField(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
