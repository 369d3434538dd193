// The data folder holds the worst secrets of every tenant (evidence bundles may hold LSASS dumps), so it is
// the server's alone: folders 0700, files 0600. New files are created so; at start the folder is checked
// and anything readable by others is *fixed* (not merely warned about), each fix logged: the server owns
// these files, and a warning nobody reads would leave dumps world-readable.

import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** mkdir -p with the folder mode (mkdir's mode is masked by the umask, so it is set again). */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await chmod(dir, DIR_MODE);
}

/**
 * Makes `dataDir` and everything in it private; returns the paths whose modes were changed. Links are
 * neither followed nor changed.
 */
export async function secureDataDir(dataDir: string): Promise<string[]> {
  await mkdir(dataDir, { recursive: true, mode: DIR_MODE });
  const fixed: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => undefined);
    if (!st || st.isSymbolicLink()) return;
    const want = st.isDirectory() ? DIR_MODE : FILE_MODE;
    // Only group and other bits are judged: an owner who made a file read-only keeps it so.
    if ((st.mode & 0o077) !== 0) {
      await chmod(p, (st.mode & 0o700) | (want & 0o700));
      fixed.push(p);
    }
    if (st.isDirectory())
      for (const name of await readdir(p).catch(() => [] as string[])) await visit(path.join(p, name));
  };
  await visit(dataDir);
  return fixed;
}
