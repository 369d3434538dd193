// Test-only: evidence trees of the generated fleet with a request planted in their front-end IIS log (the
// indicators a retro-hunt must find), zipped as the bundles the collector uploads.

import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';

const IIS = 'inetpub/logs/LogFiles/W3SVC1';
const FIELDS =
  'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

export interface Planted {
  ip: string;
  userAgent: string;
  /** The query string, where a rule pack's rule looks. */
  query: string;
  at: Date;
}

/**
 * One ordinary-looking GET from `p.ip` at `p.at`: appended to that day's log when the tree has one (with the
 * fields in that file's order), else written as a new day's file. Nothing in it is an attack by itself.
 */
export async function plantRequest(root: string, p: Planted): Promise<void> {
  const dir = path.join(root, IIS);
  const iso = p.at.toISOString();
  const day = iso.slice(0, 10);
  const file = path.join(dir, `u_ex${day.slice(2).replace(/-/g, '')}.log`);
  const existing = (await readdir(dir)).includes(path.basename(file));
  const head = existing ? await readFile(file, 'latin1') : '';
  const fields = ([...head.matchAll(/^#Fields: (.*)$/gm)].pop()?.[1] ?? FIELDS).trim().split(' ');
  const value: Record<string, string> = {
    date: day,
    time: iso.slice(11, 19),
    's-ip': '10.20.1.15',
    'cs-method': 'GET',
    'cs-uri-stem': '/owa/auth/logon.aspx',
    'cs-uri-query': p.query,
    's-port': '443',
    'c-ip': p.ip,
    'cs(User-Agent)': p.userAgent.replace(/ /g, '+'),
    'sc-status': '200',
    'sc-substatus': '0',
    'sc-win32-status': '0',
    'time-taken': '31',
  };
  const line = fields.map((f) => value[f] ?? '-').join(' ') + '\r\n';
  if (existing) await appendFile(file, line);
  else
    await writeFile(
      file,
      `#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: ${day} ${iso.slice(11, 19)}\r\n#Fields: ${fields.join(' ')}\r\n${line}`,
    );
}

async function files(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await files(root, r)));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/** The folder as a .zip, paths relative to it, as `Collect-Exhunt.ps1` lays out a bundle. */
export async function zipFolder(root: string): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const f of await files(root))
    z.addBuffer(await readFile(path.join(root, f)), f, { mtime: new Date(0) });
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
