// What a responder brings from a server: Test-ProxyLogon's output folder and logs exported with Export-Csv,
// computed from a generated server's tree by the script's own checks (CSS-Exchange Test-ProxyLogon.ps1, as
// the exchange-forensics guide describes them), so the files agree with the logs they came from.

import { parseCsvRow } from './csv.js';
import type { Site } from './site.js';
import { DAY } from './time.js';
import type { Tree } from './tree.js';

/** PowerShell's `-like`: `*` any run, `?` one character, case-insensitive. */
export function like(value: string, pattern: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(value);
}

/** Export-Csv as Windows PowerShell 5 writes it: a `#TYPE` line, then every field quoted, CRLF. */
export function exportCsv(
  type: string,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const q = (v: readonly string[]) => v.map((x) => `"${x.replace(/"/g, '""')}"`).join(',');
  return [`#TYPE ${type}`, q(columns), ...rows.map(q)].map((l) => `${l}\r\n`).join('');
}

const SELECTED = 'Selected.System.Management.Automation.PSCustomObject';
const PSOBJECT = 'System.Management.Automation.PSCustomObject';

/** `C:\Program Files\...` for an evidence path of a system drive. */
export const windowsPath = (p: string) => `C:\\${p.replace(/\//g, '\\')}`;

/** DateTime as Export-Csv writes it under en-US: `3/5/2021 3:12:14 AM`. */
export function usDateTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A log's rows as field maps, `#Fields` read wherever it appears (comma-separated Exchange logs). */
export function exchangeRows(text: string): { fields: string[]; values: string[] }[] {
  const out: { fields: string[]; values: string[] }[] = [];
  let fields: string[] = [];
  for (const line of text.split('\r\n')) {
    if (line.startsWith('#Fields: ')) fields = line.slice(9).split(',');
    else if (line.length > 0 && !line.startsWith('#') && fields.length > 0)
      out.push({ fields, values: parseCsvRow(line) });
  }
  return out;
}

const get = (r: { fields: string[]; values: string[] }, name: string) =>
  r.values[r.fields.indexOf(name)] ?? '';

/** The nine HttpProxy columns the script keeps (it reads `ClientIpAddress` as `ClientIPAddress`). */
const TPL_COLUMNS = ['DateTime', 'RequestId', 'ClientIPAddress', 'UrlHost', 'UrlStem', 'RoutingHint', 'UserAgent', 'AnchorMailbox', 'HttpStatus']; // prettier-ignore
const tplRow = (r: { fields: string[]; values: string[] }) =>
  TPL_COLUMNS.map((c) => get(r, c === 'ClientIPAddress' ? 'ClientIpAddress' : c));

export interface TplRun {
  /** When the script ran: it sees the log lines written before. */
  at: number;
  /** Where its -OutPath lies in the responder's evidence. */
  out: string;
  /** Copy the suspicious files into CollectedLogFiles (-CollectFiles). */
  collect: boolean;
}

/**
 * Runs Test-ProxyLogon's checks over `server` (a generated system drive) and writes its outputs into
 * `into`. Returns the output paths written.
 */
export function testProxyLogon(server: Tree, site: Site, run: TplRun, into: Tree): string[] {
  const written: string[] = [];
  const add = (name: string, text: string | Buffer, mtime = run.at) => {
    const p = `${run.out}/${name}`;
    into.add(p, text, mtime);
    written.push(p);
  };
  const C = site.server;
  const logging = `${site.installRel}/Logging/`;
  const before = (p: string) => (server.files.get(p)?.mtime ?? Infinity) <= run.at + DAY;
  const logs = (folder: string) =>
    server.paths().filter((p) => p.startsWith(logging + folder) && /\.log$/i.test(p) && before(p));
  const rowsBefore = (p: string) =>
    exchangeRows(server.text(p) ?? '').filter((r) => Date.parse(r.values[0] ?? '') < run.at);

  // Get-Cve26855: every HttpProxy log holding `ServerInfo~`; the 2021-03-11 exclusions applied.
  const hits26855: string[][] = [];
  const resetVdir: string[][] = [];
  for (const p of logs('HttpProxy/')) {
    if (!(server.text(p) ?? '').includes('ServerInfo~')) continue;
    for (const r of rowsBefore(p)) {
      const a = get(r, 'AnchorMailbox');
      if (like(a, 'ServerInfo~*/*') && !like(a, 'ServerInfo~*/autodiscover*') && !like(a, 'ServerInfo~localhost*/*'))
        hits26855.push(tplRow(r));
      if (p.includes('/HttpProxy/Ecp/') && like(a, 'ServerInfo~*/*Reset*VirtualDirectory#') && get(r, 'HttpStatus') === '200')
        resetVdir.push(tplRow(r));
    }
  } // prettier-ignore
  const byTime = (a: string[], b: string[]) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1);
  if (hits26855.length)
    add(`${C}-Cve-2021-26855.csv`, exportCsv(SELECTED, TPL_COLUMNS, hits26855.sort(byTime)));
  if (resetVdir.length) add(`${C}-Cve-2021-27065-ResetVDir.csv`, exportCsv(SELECTED, TPL_COLUMNS, resetVdir.sort(byTime))); // prettier-ignore

  // Get-Cve26858: OAB downloads whose temporary file was not under ClientAccess\OAB.
  const oabFiles: string[] = [];
  const downloads: string[] = [];
  const oabOk = `'${site.install}ClientAccess\\OAB`.toLowerCase();
  for (const p of logs('OABGeneratorLog/')) {
    let hit = false;
    for (const line of (server.text(p) ?? '').split('\r\n')) {
      const m = /Download failed and temporary file (.*?) needs to be removed/.exec(line);
      if (!m?.[1] || Date.parse(line.slice(0, 24)) >= run.at || m[1].toLowerCase().startsWith(oabOk))
        continue;
      downloads.push(m[1]);
      hit = true;
    }
    if (hit) oabFiles.push(windowsPath(p));
  }
  if (oabFiles.length) add(`${C}-Cve-2021-26858.log`, oabFiles.map((l) => `${l}\r\n`).join(''));
  if (downloads.length)
    add(`${C}-Cve-2021-26858-DownloadPaths.log`, downloads.map((l) => `${l}\r\n`).join(''));

  // Get-Cve27065: ECP Server logs with a script tag in a Set-*VirtualDirectory URL (file paths only).
  const script = /Set-.+VirtualDirectory.+?(?=Url).+<\w+.*>(.*?)<\/\w+>.+?(?=VirtualDirectory)/i;
  const ecp = logs('ECP/Server/').filter((p) =>
    (server.text(p) ?? '').split('\r\n').some((l) => script.test(l)),
  );
  if (ecp.length) add(`${C}-Cve-2021-27065.log`, ecp.map((p) => `${windowsPath(p)}\r\n`).join(''));

  // Get-SuspiciousFile, run only because a check above hit: LSASS dumps, and archives under ProgramData.
  const found = hits26855.length + resetVdir.length + oabFiles.length + ecp.length > 0;
  const suspicious = server.paths().filter((p) => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (/^(root|Windows\/Temp)\//i.test(p) && like(name, 'lsass*dmp')) return true;
    return /^ProgramData\//i.test(p) && /\.(7z|zip|rar)$/i.test(name);
  });
  if (found && suspicious.length) {
    const rows = suspicious.map((p) => {
      const name = p.slice(p.lastIndexOf('/') + 1);
      const type = /\.dmp$/i.test(name) ? 'LsassDump' : 'SuspiciousArchive';
      return [C, type, windowsPath(p), name, usDateTime(server.files.get(p)?.mtime ?? 0)];
    });
    add(`${C}-other.csv`, exportCsv(PSOBJECT, ['ComputerName', 'Type', 'Path', 'Name', 'LastWrite'], rows));
    if (run.collect)
      suspicious.forEach((p, i) => {
        const f = server.files.get(p);
        if (f) add(`CollectedLogFiles/${C}/SuspiciousFiles/${p.slice(p.lastIndexOf('/') + 1)}_${i}`, f.data, f.mtime);
      }); // prettier-ignore
  }

  // Get-LogAge: days since the oldest log of each folder was created (its first #Date).
  const ages: [string, string][] = [
    ['Oabgen', 'OABGeneratorLog/'],
    ['Ecp', 'ECP/Server/'],
    ...[
      'Autodiscover',
      'Eas',
      'Ecp',
      'Ews',
      'Mapi',
      'Oab',
      'Owa',
      'OwaCalendar',
      'PowerShell',
      'RpcHttp',
    ].map((x): [string, string] => [`${x === 'Autodiscover' ? 'Autod' : x}Proxy`, `HttpProxy/${x}/`]),
  ];
  const age = (folder: string) => {
    const firsts = logs(folder)
      .map((p) => /^#Date: (\S+)/m.exec(server.text(p) ?? '')?.[1])
      .map((d) => (d ? Date.parse(d) : NaN))
      .filter((t) => t < run.at);
    return firsts.length ? ((run.at - Math.min(...firsts)) / DAY).toFixed(1) : '';
  };
  add(
    `${C}-LogAgeDays.csv`,
    exportCsv(
      PSOBJECT,
      ages.map(([c]) => c),
      [ages.map(([, f]) => age(f))],
    ),
  );
  return written;
}

/**
 * An Exchange CSV log exported as a responder does it: read with its #Fields as the header
 * (`Import-Csv -Header`), the directive lines skipped, then `Export-Csv`.
 */
export function exportExchangeLog(text: string): string {
  const rows = exchangeRows(text);
  const fields = rows[0]?.fields ?? [];
  if (rows.some((r) => r.fields !== fields))
    throw new Error('the log changes its #Fields: export one layout');
  return exportCsv(
    PSOBJECT,
    fields,
    rows.map((r) => fields.map((_, i) => r.values[i] ?? '')),
  );
}

/** An IIS W3C log the same way: space-separated fields, its `#Fields` line as the header. */
export function exportW3cLog(text: string): string {
  let fields: string[] | undefined;
  const rows: string[][] = [];
  for (const line of text.split('\r\n')) {
    if (line.startsWith('#Fields: ')) {
      const f = line.slice(9).split(' ');
      if (fields && f.join(' ') !== fields.join(' ')) throw new Error('the log changes its #Fields');
      fields = f;
    } else if (line.length > 0 && !line.startsWith('#')) rows.push(line.split(' '));
  }
  return exportCsv(PSOBJECT, fields ?? [], rows);
}
