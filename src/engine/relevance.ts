// Which unread paths the verdict depends on: a file some source would have read, or a folder that may hold one.

import { driveFolderOf } from '../core/drive-folder.js';
import type { Problem } from '../core/problem.js';
import { sourceForPath, worthSniffing } from '../sources/registry.js';

/** Where on a system drive exhunt finds what it reads (lower-case, no trailing slash). */
const READ_PLACES = [
  'inetpub',
  'program files/microsoft/exchange server',
  'windows/system32/winevt',
  'windows/system32/inetsrv',
  'windows/temp',
  'programdata',
  'users/public',
  'perflogs',
  'root',
];

/**
 * The log family of a problem's path when exhunt would have read it (`evidence` for the container or a
 * folder that may hold such files), else undefined. Paths are evidence-relative, forward slashes.
 */
export function familyOfUnread(p: Problem, layout: 'system-drive' | 'collected'): string | undefined {
  if (p.path === undefined) return 'detection';
  const lower = p.path.toLowerCase();
  if (lower === '.' || lower === '') return 'evidence';
  if (p.code === 'evidence.unreadable-folder') return folderMayHold(lower, layout) ? 'evidence' : undefined;
  // A web site IIS serves whose folder was not collected: its scripts were never examined.
  if (p.code === 'iis.site-root-missing') return 'WebFolders';
  const def = sourceForPath(lower);
  if (def) return def.family(lower, Buffer.alloc(0));
  // Links are not followed: a link counts only when its own name is that of a file exhunt reads.
  if (p.code === 'evidence.symlink-skipped') return undefined;
  return worthSniffing(lower) ? 'unidentified' : undefined;
}

function folderMayHold(lower: string, layout: 'system-drive' | 'collected'): boolean {
  if (layout === 'collected') return true;
  // Anywhere under a drive-letter folder of a collection (`C/inetpub/...`, Velociraptor's
  // `uploads/auto/C%3A/inetpub/...`) counts like the drive itself.
  const drive = driveFolderOf(`${lower}/`);
  const bare = drive ? lower.slice(drive.prefix.length) : lower.replace(/^[a-z]\//, '');
  if (drive && bare === '') return true;
  return READ_PLACES.some(
    (place) => place.startsWith(`${bare}/`) || bare === place || bare.startsWith(`${place}/`),
  );
}
