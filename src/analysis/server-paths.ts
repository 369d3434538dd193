// Where a file of the evidence lives on the server: evidence-relative paths mapped back to Windows paths.

import { driveFolderOf, windowsPathOf } from '../core/drive-folder.js';

/** Folders that only sit at the root of a Windows system drive. */
const DRIVE_ROOT =
  /(?:^|\/)((?:program files(?: \(x86\))?|programdata|inetpub|windows|users|root|perflogs)\/.*)$/i;

/**
 * `Program Files/Microsoft/.../x.aspx` → `%SystemDrive%\Program Files\Microsoft\...\x.aspx`, also under a
 * bundle's top folder. Undefined when the path does not start at a folder of the system drive's root (logs
 * collected in another layout): then only the responder knows where the file was.
 */
export function serverPathOf(evidencePath: string): string | undefined {
  // Under a Velociraptor drive folder, names are stored escaped (`%25` for `%`): the server has them unescaped.
  const drive = driveFolderOf(evidencePath);
  if (drive?.style === 'velociraptor') {
    const win = windowsPathOf(evidencePath) as string;
    return drive.letter === 'c' ? `%SystemDrive%${win.slice(2)}` : win;
  }
  const m = DRIVE_ROOT.exec(evidencePath);
  if (!m?.[1]) return undefined;
  return `%SystemDrive%\\${m[1].replace(/\//g, '\\')}`;
}

/**
 * A Windows path from a log (`C:\inetpub\...`, `\\127.0.0.1\c$\inetpub\...`): administrative shares of the
 * server itself become local paths; other UNC paths are kept (a file written to another machine).
 */
export function normaliseWindowsPath(p: string): string {
  const s = p.trim().replace(/^["']|["']$/g, '');
  const admin = /^\\\\(?:localhost|127\.0\.0\.1|\[?::1\]?)\\([a-z])\$\\(.*)$/i.exec(s);
  if (admin) return `${(admin[1] as string).toUpperCase()}:\\${admin[2]}`;
  return s;
}

/** True for a path on another machine, which a script on this server must not touch. */
export function isRemotePath(p: string): boolean {
  return p.startsWith('\\\\');
}
