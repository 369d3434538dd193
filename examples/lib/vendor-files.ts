// Security and backup products' own archives and dumps on a server: what a staged-file check must leave as context.

import { minidump, storedZip } from './binaries.js';
import type { Rng } from './rng.js';
import { DAY, yyyymmdd } from './time.js';
import type { Tree } from './tree.js';

/** One product's file: where it lies (a folder of data/security-products.json) and what it holds. */
export interface VendorFile {
  path: string;
  product: string;
  /** Days before the copy's start when the product wrote it. */
  ageDays: number;
  kind: 'archive' | 'dump';
  /** Entries of the archive (names only matter: contents are short stand-in text). */
  entries?: readonly string[];
}

/**
 * The files of third-party products an ordinary Exchange server carries. Folder names are the products'
 * data folders as the table lists them; file names are our own stand-ins. The last one is outside every
 * product folder and is excused by its name alone (McAfee's `avvdat-NNNN.zip` definition package).
 */
export function vendorFiles(server: string, from: number): VendorFile[] {
  const day = yyyymmdd(from - 2 * DAY);
  return [
    {
      path: `ProgramData/ESET/ESET Security/Diagnostics/${server}_eset_logs_${day}.zip`,
      product: 'ESET',
      ageDays: 2,
      kind: 'archive',
      entries: ['virlog.dat', 'warnlog.dat', 'config.xml'],
    },
    {
      path: 'ProgramData/Sophos/AutoUpdate/Cache/decoded/savxp/sdds_package.zip',
      product: 'Sophos',
      ageDays: 5,
      kind: 'archive',
      entries: ['manifest.dat', 'vdl.dat'],
    },
    {
      path: 'ProgramData/Trend Micro/OfficeScan Client/Backup/pattern_backup.zip',
      product: 'Trend Micro',
      ageDays: 9,
      kind: 'archive',
      entries: ['lpt$vpn.zip', 'icrc$oth.txt'],
    },
    {
      path: `ProgramData/Veeam/Backup/${server}_support_${day}.zip`,
      product: 'Veeam',
      ageDays: 1,
      kind: 'archive',
      entries: ['Svc.VeeamEndpointBackup.log', 'Job.BackupJob.log'],
    },
    {
      path: 'ProgramData/CrowdStrike/Dumps/CSFalconService.dmp',
      product: 'CrowdStrike',
      ageDays: 12,
      kind: 'dump',
    },
    {
      path: 'Windows/Temp/avvdat-10512.zip',
      product: 'McAfee',
      ageDays: 3,
      kind: 'archive',
      entries: ['avvscan.dat'],
    },
  ];
}

/** Writes the product files into the tree (their folders dated with them). */
export function addVendorFiles(tree: Tree, rng: Rng, server: string, from: number): VendorFile[] {
  const files = vendorFiles(server, from);
  for (const f of files) {
    const mtime = from - f.ageDays * DAY + rng.int(3_600_000, 20 * 3_600_000);
    const data =
      f.kind === 'dump'
        ? minidump(rng, 4096, mtime)
        : storedZip(
            (f.entries ?? []).map((name) => ({
              name,
              data: Buffer.from(`${f.product} ${name}: product data stand-in\r\n`),
              mtime: mtime - DAY,
            })),
          );
    tree.add(f.path, data, mtime);
  }
  return files;
}
