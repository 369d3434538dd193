// A KAPE target collection: `<dest>/C/Program Files/...`, and `<run>_CopyLog.csv` in `<dest>` with one row
// per file copied (SourceFile, DestinationFile, FileSize, SourceFileSha1, times). The console log names the
// machine.

import type { Problem } from '../../core/problem.js';
import { csvRows } from './csv.js';
import type { CustodyEntry, CustodyManifest, ReadText } from './types.js';

/** KAPE's copy logs in the evidence (`2021-03-05T101010_CopyLog.csv`, newer `..._5246365_CopyLog.csv`). */
export function kapeCopyLogs(paths: readonly string[]): string[] {
  return paths.filter((p) => /(^|\/)\d{4}-\d{2}-\d{2}T[\d_]+_CopyLog\.csv$/i.test(p)).sort();
}

/** `2025-08-25T20_20_59_5246365_CopyLog.csv`, `2022-05-28T024344_CopyLog.csv` → UTC ISO-8601. */
function runTime(name: string): string | undefined {
  const m = /(\d{4}-\d{2}-\d{2})T(\d{2})_?(\d{2})_?(\d{2})/.exec(name);
  return m ? `${m[1]}T${m[2]}:${m[3]}:${m[4]}.000Z` : undefined;
}

export async function readKape(copyLogs: readonly string[], read: ReadText): Promise<CustodyManifest> {
  const problems: Problem[] = [];
  const entries: CustodyEntry[] = [];
  const manifest: CustodyManifest = { tool: 'kape', manifests: [...copyLogs], entries, problems };
  for (const log of copyLogs) {
    const dir = log.slice(0, log.lastIndexOf('/') + 1);
    const rows = csvRows((await read(log)) ?? '');
    const header = rows.shift()?.fields.map((f) => f.trim().toLowerCase()) ?? [];
    const col = (name: string) => header.indexOf(name);
    const [src, dst, size, sha1] = ['sourcefile', 'destinationfile', 'filesize', 'sourcefilesha1'].map(col);
    if (src === undefined || src < 0 || dst === undefined || dst < 0) {
      problems.push({ code: 'custody.bad-entry', message: 'not a KAPE copy log: no SourceFile and DestinationFile columns', path: log, line: 1, severity: 'warning' }); // prettier-ignore
      continue;
    }
    // The destination folder as KAPE wrote it (`D:\kape\tout`): the part of DestinationFile before the
    // drive folder that mirrors SourceFile (`C:\x` is copied to `<dest>\C\x`).
    let dest: string | undefined;
    for (const { fields, line } of rows) {
      const source = fields[src] ?? '';
      const destination = (fields[dst] ?? '').replace(/\\/g, '/');
      const mirror = /^([a-z]):\\(.*)$/i.exec(source);
      if (dest === undefined && mirror) {
        const tail = `/${mirror[1]}/${(mirror[2] ?? '').replace(/\\/g, '/')}`.toLowerCase();
        if (destination.toLowerCase().endsWith(tail))
          dest = destination.slice(0, destination.length - tail.length + 1);
      }
      const rel =
        dest !== undefined && destination.toLowerCase().startsWith(dest.toLowerCase())
          ? destination.slice(dest.length)
          : mirror
            ? `${mirror[1]}/${(mirror[2] ?? '').replace(/\\/g, '/')}`
            : undefined;
      const entry: CustodyEntry = { source, line, ...(rel ? { path: dir + rel } : {}) };
      const n = Number(fields[size ?? -1]);
      if (size !== undefined && size >= 0 && Number.isSafeInteger(n)) entry.size = n;
      const h = fields[sha1 ?? -1]?.trim() ?? '';
      if (/^[0-9a-f]{40}$/i.test(h)) entry.sha1 = h.toLowerCase();
      if (!source && !rel) {
        problems.push({ code: 'custody.bad-entry', message: 'a copy log row names no file', path: log, line, severity: 'warning' }); // prettier-ignore
        continue;
      }
      entries.push(entry);
    }
    manifest.collectedAt ??= runTime(log.slice(dir.length));
  }
  // The console log of the same run names the machine (`System info: Machine name: FS03, ...`).
  for (const log of copyLogs) {
    const console = await read(log.replace(/_CopyLog\.csv$/i, '_ConsoleLog.txt'));
    const host = console && /Machine name:\s*([A-Za-z0-9][A-Za-z0-9.-]{0,253})/.exec(console)?.[1];
    if (host) {
      manifest.host = host;
      break;
    }
  }
  return manifest;
}
