// The folder walk of `evtx dump`: every `*.evtx` below a folder; what cannot be walked is said, not fatal.
import fs from 'node:fs';
import path from 'node:path';

/** The two calls the walk makes, so a test can make any folder unreadable (root reads chmod 000 ones). */
export interface WalkFs {
  readdir(dir: string): fs.Dirent[];
}

const nodeFs: WalkFs = { readdir: (dir) => fs.readdirSync(dir, { withFileTypes: true }) };

type WalkReport = (line: string, severity: 'error' | 'warning') => void;

/**
 * Every entry named `*.evtx` below `root` that is not a folder or a link (regular files, and named
 * pipes, which the dump reads as streams), sorted by name within each folder. A folder that cannot be
 * listed is reported and the walk goes on with the rest; links are not followed (a loop of links
 * would never end, and a link may lead out of the evidence), and are reported too.
 */
export function walkEvtx(root: string, report: WalkReport, fsApi: WalkFs = nodeFs): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fsApi.readdir(dir);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      report(
        `${dir}: error evidence.unreadable-folder: folder not listed, its files not read: ${why}`,
        'error',
      );
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink())
        report(`${p}: warning evidence.symlink-skipped: symbolic link not followed`, 'warning');
      else if (e.isDirectory()) walk(p);
      else if (e.name.toLowerCase().endsWith('.evtx')) files.push(p);
    }
  };
  walk(root);
  return files;
}
