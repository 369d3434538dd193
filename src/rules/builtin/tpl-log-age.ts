// Test-ProxyLogon's log age table as context: how far back the server kept each log when the script ran.

import type { Detector } from '../../core/detector.js';
import { builtinRule, str } from './util.js';

const REFS = ['https://github.com/microsoft/CSS-Exchange/blob/main/docs/Security/Test-ProxyLogon.md'];

const LOG_AGE = builtinRule(
  'proxylogon.tpl-log-age',
  'How far back the server kept its logs when Test-ProxyLogon ran',
  'informational',
  REFS,
);

/** Columns of the log age table: which log folder each counts back. */
const AGE_COLUMNS: [string, string][] = [
  ['Oabgen', 'OABGeneratorLog'],
  ['Ecp', 'ECP\\Server'],
  ['AutodProxy', 'HttpProxy\\Autodiscover'],
  ['EasProxy', 'HttpProxy\\Eas'],
  ['EcpProxy', 'HttpProxy\\Ecp'],
  ['EwsProxy', 'HttpProxy\\Ews'],
  ['MapiProxy', 'HttpProxy\\Mapi'],
  ['OabProxy', 'HttpProxy\\Oab'],
  ['OwaProxy', 'HttpProxy\\Owa'],
  ['OwaCalendarProxy', 'HttpProxy\\OwaCalendar'],
  ['PowershellProxy', 'HttpProxy\\PowerShell'],
  ['RpcHttpProxy', 'HttpProxy\\RpcHttp'],
];

const DAY = 86_400_000;

/**
 * The ages are days from the oldest file's creation to the script's run, in the server's number format
 * (`12.5`, `12,5`, `1,234.5`). With the file's write time as the run, they give the date each log began.
 */
export const tplLogAgeDetector: Detector = {
  id: 'tpl-log-age',
  title: "Test-ProxyLogon's log age table",
  sources: ['tpl-log-age'],
  check(r) {
    const written = str(r, 'WrittenAt');
    const run = Date.parse(written);
    const details: Record<string, string> = {};
    /** Folders by what the table says of them, so that the many HttpProxy folders read as one line. */
    const groups = new Map<string, string[]>();
    let oldest: number | undefined;
    for (const [col, folder] of AGE_COLUMNS) {
      const raw = str(r, col).trim();
      if (raw === '') continue;
      const days = ageDays(raw);
      details[col] = raw;
      if (days === undefined) continue;
      let since = '';
      if (Number.isFinite(run)) {
        const start = run - days * DAY;
        since = new Date(start).toISOString().slice(0, 10);
        details[`${col}Since`] = since;
        if (/^HttpProxy/.test(folder) && (oldest === undefined || start < oldest)) oldest = start;
      }
      const what = `${days} days${since ? ` (from about ${since})` : ''}`;
      groups.set(what, [...(groups.get(what) ?? []), folder]);
    }
    const parts = [...groups].map(([what, folders]) => `${folders.join(', ')}: ${what}`);
    if (parts.length === 0) return undefined;
    if (written) details.writtenAt = written;
    const oldestDay = oldest !== undefined ? new Date(oldest).toISOString().slice(0, 10) : '';
    return [
      {
        cves: [],
        time: r.time,
        sourceIps: [],
        rule: LOG_AGE,
        severity: 'informational',
        stage: 'context',
        outcome: 'context',
        summary: `On the server, Test-ProxyLogon found logs going back ${parts.join('; ')}. Its checks saw nothing older${oldestDay ? `; no HttpProxy log on the server reached back before ${oldestDay}` : ''}. Compare with the coverage of the logs read here.`,
        details,
        note: Number.isFinite(run)
          ? "dates count back from the file's last write, taken as the time the script ran"
          : 'the file keeps no write time, so the ages cannot be turned into dates',
      },
    ];
  },
};

/** `12.5`, `12,5` or `1,234.5` (N1 in the server's culture) as a number of days. */
export function ageDays(raw: string): number | undefined {
  const s = raw.replace(/[\s\u00a0']/g, '');
  let v: string;
  if (/^\d{1,3}([.,]\d{3})+[.,]\d$/.test(s)) v = s.slice(0, -2).replace(/[.,]/g, '') + '.' + s.slice(-1);
  else if (/^\d+[.,]\d$/.test(s)) v = s.replace(',', '.');
  else if (/^\d+$/.test(s)) v = s;
  else return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
