// Where a Windows drive sits in an evidence path: the collectors' drive folders, and Velociraptor's escaping.
//
// KAPE copies `C:\Program Files\...` to `<dest>/C/Program Files/...`. A Velociraptor collection zip stores it
// as `uploads/<accessor>/C%3A/Program Files/...` (the `auto` and `file` accessors) or
// `uploads/ntfs/%5C%5C.%5CC%3A/Program Files/...` (the raw NTFS accessors), each name escaped for zip
// paths: `%XX` for `:`, `\`, `/`, `%`, `*`, `?`, `"`, `|`, `<`, `>`, a leading `.` or space, a trailing `.`
// or space, bytes that are not UTF-8, and (older releases) everything but letters, digits and `-_.~ $`.
// Evidence paths stay as stored (a finding cites the real path in the zip); these helpers say where the
// drive starts and what the Windows path is.

/** A drive folder found in an evidence path. */
interface DriveFolder {
  /** Evidence-relative folder of the drive's root, lower-case, with a trailing slash. */
  prefix: string;
  /** The drive letter, lower-case. */
  letter: string;
  /** `velociraptor` when names below it are escaped, `plain` for a KAPE-style `C/` folder. */
  style: 'velociraptor' | 'plain';
  /** What lies between the evidence root and the drive folder (`uploads/auto/`), lower-case. */
  parent: string;
}

/** `c%3a/` (auto accessor) or `%5c%5c.%5cc%3a/` (ntfs accessors): a Velociraptor drive folder, lower-case. */
const VELOCIRAPTOR_DRIVE = /(^|\/)(?:%5c%5c\.%5c)?([a-z])%3a\//;
/** `c/` followed by a folder only a drive's root holds. */
const PLAIN_DRIVE = /(^|\/)([a-z])\/(?=(?:program files|programdata|inetpub|windows|users|perflogs)\/)/;

/** The drive folder an evidence path lies in, if it lies in one. */
export function driveFolderOf(path: string): DriveFolder | undefined {
  const lower = path.toLowerCase();
  const v = VELOCIRAPTOR_DRIVE.exec(lower);
  if (v) {
    const parent = lower.slice(0, v.index + (v[1] ?? '').length);
    return {
      prefix: lower.slice(0, v.index + v[0].length),
      letter: v[2] as string,
      style: 'velociraptor',
      parent,
    };
  }
  const p = PLAIN_DRIVE.exec(lower);
  if (p) {
    const parent = lower.slice(0, p.index + (p[1] ?? '').length);
    return { prefix: lower.slice(0, p.index + p[0].length), letter: p[2] as string, style: 'plain', parent };
  }
  return undefined;
}

/** Another drive's folder next to `d` (`uploads/auto/d%3a/`, `d/`), spelled the way `d` is. */
export function siblingDrive(d: DriveFolder, letter: string): string {
  if (d.style === 'plain') return `${d.parent}${letter}/`;
  const own = d.prefix.slice(d.parent.length);
  return `${d.parent}${own.startsWith('%5c%5c.%5c') ? '%5c%5c.%5c' : ''}${letter}%3a/`;
}

/** Undoes Velociraptor's `%XX` escapes in one stored name (bytes that are not UTF-8 become U+FFFD). */
export function unescapeName(name: string): string {
  if (!name.includes('%')) return name;
  const bytes: number[] = [];
  const src = Buffer.from(name, 'utf8');
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as number;
    const hex = c === 0x25 && i + 2 < src.length ? src.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(c);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escapes one name as Velociraptor stores it in a zip (the inverse of `unescapeName` for UTF-8 names). */
export function escapeName(name: string): string {
  const chars = [...name];
  return chars
    .map((ch, i) => {
      const edge = (i === 0 || i === chars.length - 1) && (ch === '.' || ch === ' ');
      if (!edge && !/[?"*:|<>%/\\]/.test(ch) && ch.charCodeAt(0) >= 0x20) return ch;
      return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/**
 * The Windows path of an evidence path under a drive folder (`C:\Program Files\...`), names unescaped;
 * undefined when the path lies in no drive folder.
 */
export function windowsPathOf(path: string): string | undefined {
  const d = driveFolderOf(path);
  if (!d) return undefined;
  const rest = path.slice(d.prefix.length).split('/');
  const names = d.style === 'velociraptor' ? rest.map(unescapeName) : rest;
  return `${d.letter.toUpperCase()}:\\${names.join('\\')}`;
}
