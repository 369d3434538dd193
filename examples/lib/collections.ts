// Other tools' collections of an example tree, in their real layouts: a Velociraptor offline collection zip
// and a KAPE target folder, each with the tool's own record of what it copied. Used by the tests that show a
// collection scans to the same verdict and findings as the plain tree.

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { escapeName } from '../../src/core/drive-folder.js';
import type { Tree } from './tree.js';

export interface VelociraptorOptions {
  /** `auto` stores `C%3A/...`; `ntfs` (raw NTFS access) stores `%5C%5C.%5CC%3A/...`. Default `auto`. */
  accessor?: 'auto' | 'ntfs';
  host?: string;
  /** Result rows of our artifact (`results/Exchange.Exhunt.Collect.json`) with each upload's hashes. Default true. */
  results?: boolean;
  /** Bytes to store instead of the tree's for some paths (a file changed after it was recorded). */
  tamper?: Record<string, Buffer>;
  /** Tree paths listed in uploads.json but left out of the zip. */
  drop?: string[];
  /** Epoch ms of the collection. */
  at?: number;
}

const sha = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
/** Velociraptor's `.index` files: one little-endian 64-bit offset per row. */
function index(text: string): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  for (const line of text.split('\n').slice(0, -1)) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(offset));
    out.push(b);
    offset += Buffer.byteLength(line) + 1;
  }
  return Buffer.concat(out);
}

/** The tree as a Velociraptor offline collector's zip (`Collection-<host>-<time>.zip`). */
export async function velociraptorZip(
  tree: Tree,
  zipPath: string,
  o: VelociraptorOptions = {},
): Promise<void> {
  const accessor = o.accessor ?? 'auto';
  const host = o.host ?? 'EXCH01';
  const at = o.at ?? Date.UTC(2021, 2, 10, 9, 0, 0);
  const device = accessor === 'ntfs' ? '\\\\.\\C:' : 'C:';
  const z = new yazl.ZipFile();
  const uploads: object[] = [];
  const results: object[] = [];
  const log: object[] = [];
  for (const p of tree.paths()) {
    const f = tree.files.get(p)!;
    const data = o.tamper?.[p] ?? f.data;
    const components = ['uploads', accessor, device, ...p.split('/')];
    const stored = components.map(escapeName).join('/');
    const vfs = `${device}\\${p.replace(/\//g, '\\')}`;
    if (!o.drop?.includes(p)) z.addBuffer(data, stored, { mtime: new Date(f.mtime), compress: true });
    log.push({
      _ts: at / 1000,
      level: 'DEFAULT',
      message: `Collecting file ${vfs} into /${stored} (${f.data.length} bytes)`,
    });
    uploads.push({
      Timestamp: at / 1000,
      started: new Date(at).toISOString(),
      vfs_path: vfs,
      _Components: components,
      file_size: f.data.length,
      uploaded_size: f.data.length,
      Type: '',
    });
    results.push({
      OSPath: vfs,
      Size: f.data.length,
      Mtime: new Date(f.mtime).toISOString(),
      Upload: {
        Path: vfs,
        Size: f.data.length,
        StoredSize: f.data.length,
        sha256: sha('sha256', f.data),
        md5: sha('md5', f.data),
        StoredName: `/${stored}`,
        Components: components,
      },
    });
  }
  const add = (name: string, body: string | Buffer) =>
    z.addBuffer(Buffer.isBuffer(body) ? body : Buffer.from(body), name, {
      mtime: new Date(at),
      compress: true,
    });
  if (o.results !== false) {
    const text = jsonl(results);
    add('results/Exchange.Exhunt.Collect.json', text);
    add('results/Exchange.Exhunt.Collect.json.index', index(text));
  }
  const listing = jsonl(uploads);
  add('uploads.json', listing);
  add('uploads.json.index', index(listing));
  const logText = jsonl(log);
  add('log.json', logText);
  add('log.json.index', index(logText));
  add('client_info.json', JSON.stringify({ ClientId: 'C.1234567890abcdef', Hostname: host, Fqdn: `${host}.corp.local`, OS: 'windows' }, null, 1)); // prettier-ignore
  add('collection_context.json', JSON.stringify({ client_id: 'C.1234567890abcdef', session_id: 'F.EXHUNT', create_time: at * 1000, total_uploaded_files: uploads.length, artifacts_with_results: ['Exchange.Exhunt.Collect'], state: 'FINISHED' }, null, 1)); // prettier-ignore
  add(
    'requests.json',
    JSON.stringify({ items: [{ session_id: 'F.EXHUNT', query: [{ Name: 'Exchange.Exhunt.Collect' }] }] }),
  );
  z.end();
  await mkdir(dirname(zipPath), { recursive: true });
  await pipeline(z.outputStream, createWriteStream(zipPath));
}

export interface KapeOptions {
  /** The destination as KAPE was given it (`--tdest`). */
  dest?: string;
  host?: string;
  tamper?: Record<string, Buffer>;
  drop?: string[];
}

/** The tree as KAPE's target output: `<dir>/C/...`, `<run>_CopyLog.csv` (UTF-8 BOM, CRLF, SHA-1), the console log. */
export async function kapeFolder(tree: Tree, dir: string, o: KapeOptions = {}): Promise<void> {
  const dest = o.dest ?? 'E:\\kape\\tout';
  const run = '2021-03-10T090000';
  await rm(dir, { recursive: true, force: true });
  const rows = ['CopiedTimestamp,SourceFile,DestinationFile,FileSize,SourceFileSha1,DeferredCopy,CreatedOnUtc,ModifiedOnUtc,LastAccessedOnUtc,CopyDuration']; // prettier-ignore
  const q = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const p of tree.paths()) {
    const f = tree.files.get(p)!;
    const win = p.replace(/\//g, '\\');
    const t = new Date(f.mtime).toISOString().replace('T', ' ').replace('Z', '0000');
    rows.push([ '2021-03-10 09:00:01.1234567', `C:\\${win}`, `${dest}\\C\\${win}`, String(f.data.length), sha('sha1', f.data).toUpperCase(), 'False', t, t, t, '00:00:00.0012345' ].map(q).join(',')); // prettier-ignore
    if (o.drop?.includes(p)) continue;
    const full = join(dir, 'C', p);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, o.tamper?.[p] ?? f.data);
    await utimes(full, f.mtime / 1000, f.mtime / 1000);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${run}_CopyLog.csv`), '\ufeff' + rows.map((r) => `${r}\r\n`).join(''));
  const console = [
    '2021-03-10 09:00:00.1234 | I | KAPE version 1.3.0.2 Author: Eric Zimmerman (kape@kroll.com)',
    `2021-03-10 09:00:00.1300 | I | Command line:   --tsource C: --tdest ${dest} --target Exhunt`,
    `2021-03-10 09:00:00.1400 | I | System info: Machine name: ${o.host ?? 'EXCH01'}, 64-bit: True, User: Administrator OS: Windows2016Server (10.0.14393)`,
    `2021-03-10 09:00:02.0000 | I | Copied ${tree.paths().length} out of ${tree.paths().length} files. See '${run}_CopyLog.csv' in '${dest}' for copy details`,
  ];
  await writeFile(join(dir, `${run}_ConsoleLog.txt`), console.map((l) => `${l}\r\n`).join(''));
}
