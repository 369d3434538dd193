// Discovery: which evidence files are artifacts exhunt can read, which source reads each, and the layout.

import { driveFolderOf, windowsPathOf } from '../core/drive-folder.js';
import type { Problem } from '../core/problem.js';
import type { SkipReason as ReportSkipReason } from '../core/report.js';
import type { Evidence, EvidenceFile } from '../evidence/index.js';
import { exposureFileKind } from './exposure.js';
import { sourceForHead, sourceForPath, worthSniffing } from '../sources/registry.js';
import { isScriptPath, webFileSource } from '../sources/files/index.js';
import { isApplicationHostConfig, underRoot } from '../sources/iis-config/site-roots.js';
import { missingRoots, readSiteRoots } from './iis-sites.js';
import type { SiteRoot } from './iis-sites.js';

export interface Task {
  file: EvidenceFile;
  /** The source whose records the file holds: its rules run, and the artifact is counted as its. */
  source: string;
  /** The source that parses the file, when it is not `source` itself (see `SourceDef.dataOf`). */
  reader?: string;
  family: string;
  /**
   * The file's bytes when discovery already read them whole (applicationHost.config, for the site folders):
   * the reader takes them instead of reading the file a second time.
   */
  content?: Uint8Array;
}

export interface Layout {
  layout: 'system-drive' | 'collected';
  /** Evidence-relative, lower-case, with trailing slash: `program files/microsoft/exchange server/v15/`. */
  installPath?: string;
  /** The same folder as Windows spells it, lower-case, drive letter kept as `c:` when unknown. */
  installPathWindows?: string;
  /** IIS site roots and virtual directories (evidence-relative, lower-case) read from applicationHost.config. */
  siteRoots?: string[];
}

const HEAD_BYTES = 8192;

/**
 * Why a file of the evidence was not read: skipped for a reason the report lists, or `unreadable` (its
 * first bytes could not be read: a located problem says so, and the report counts it as not read).
 */
export type SkipReason = ReportSkipReason | 'unreadable';

interface DiscoverSink {
  problem(p: Problem): void;
  task(t: Task): void;
  /** Build and mitigation evidence (ExSetup.exe, web.config), read by the exposure step. */
  exposureFile?(f: EvidenceFile): void;
  skip?(f: EvidenceFile, reason: SkipReason): void;
}

export async function discover(ev: Evidence, sink: DiscoverSink): Promise<Layout> {
  let install: string | undefined;
  let drive = false;
  const skip = (f: EvidenceFile, reason: SkipReason) => sink.skip?.(f, reason);
  // Scripts outside the known web folders wait until applicationHost.config has said which folders IIS serves.
  const pending: EvidenceFile[] = [];
  const roots: SiteRoot[] = [];
  const dirs = new Set<string>();
  for await (const file of ev.files((p) => sink.problem(p))) {
    const lower = file.path.toLowerCase();
    dirs.add(lower.slice(0, lower.lastIndexOf('/') + 1));
    if (install === undefined) install = installFolder(file.path);
    if (!drive && (/(^|\/)(inetpub|program files|windows\/system32)\//.test(lower) || driveFolderOf(lower)))
      drive = true;
    if (file.special) {
      skip(file, 'special');
      continue;
    }
    if (file.size === 0) {
      skip(file, 'empty');
      continue;
    }
    let content: Buffer | undefined;
    if (isApplicationHostConfig(lower)) {
      const read = await readSiteRoots(ev, file, (p) => sink.problem(p));
      roots.push(...read.roots);
      content = read.bytes;
    }
    if (exposureFileKind(lower)) {
      sink.exposureFile?.(file);
      // web.config is also a script file IIS reads: it is scanned for webshell code as well.
      if (!sourceForPath(lower)) continue;
    }
    let def = sourceForPath(lower);
    let head: Buffer | undefined;
    if (!def && worthSniffing(lower)) {
      head = await readHead(ev, file, (p) => sink.problem(p));
      if (!head) {
        // Its first bytes could not be read: say so rather than "no reader", which would blame the format.
        skip(file, 'unreadable');
        continue;
      }
      def = sourceForHead(head);
    }
    if (!def) {
      if (isScriptPath(lower)) pending.push(file);
      else skip(file, 'no-reader');
      continue;
    }
    const family = def.family(lower, head ?? Buffer.alloc(0));
    sink.task({
      file,
      source: def.dataOf ?? def.id,
      ...(def.dataOf ? { reader: def.id } : {}),
      family,
      ...(content ? { content } : {}),
    });
  }
  const folders = roots.map((r) => r.folder);
  for (const file of pending) {
    const lower = file.path.toLowerCase();
    if (underRoot(lower, folders)) sink.task({ file, source: webFileSource.id, family: 'WebFolders' });
    else skip(file, 'no-reader');
  }
  for (const p of missingRoots(roots, dirs)) sink.problem(p);
  const layout: Layout = { layout: drive || install ? 'system-drive' : 'collected' };
  if (roots.length) layout.siteRoots = [...new Set(folders)];
  if (install) {
    layout.installPath = install.toLowerCase();
    const win = windowsInstallPath(install);
    if (win) layout.installPathWindows = win;
  }
  return layout;
}

/** The Exchange install folder (up to `Exchange Server/V15/`) a path lies in, spelled as in the evidence. */
export function installFolder(path: string): string | undefined {
  const m = /^(.*?(?:^|\/)exchange server\/v1[45]\/)/i.exec(path);
  return m?.[1];
}

/**
 * The install folder as Windows spells it, from where it sits in the evidence: `Program Files/...` at the
 * root of a mounted drive or under a collector's drive folder (`C/Program Files/...`), or any folder under
 * a drive folder (`D/Exchange/V15/`). Undefined when the evidence does not show where the drive root is.
 */
export function windowsInstallPath(install: string): string | undefined {
  // A Velociraptor drive folder (`uploads/auto/C%3A/...`) says its letter; names below it are escaped.
  const drive = driveFolderOf(install);
  if (drive?.style === 'velociraptor') return windowsPathOf(install)?.toLowerCase();
  const lower = install.toLowerCase();
  const pf = /(^|\/)(?:([a-z])\/)?(program files(?: \(x86\))?\/.*)$/.exec(lower);
  if (pf) return `${pf[2] ?? 'c'}:\\${(pf[3] ?? '').replace(/\//g, '\\')}`;
  const letter = /^([a-z])\/(.*)$/.exec(lower);
  if (letter) return `${letter[1]}:\\${(letter[2] ?? '').replace(/\//g, '\\')}`;
  return undefined;
}

async function readHead(
  ev: Evidence,
  file: EvidenceFile,
  onProblem: (p: Problem) => void,
): Promise<Buffer | undefined> {
  try {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const chunk of await ev.open(file, HEAD_BYTES)) {
      parts.push(chunk as Buffer);
      n += (chunk as Buffer).length;
      if (n >= HEAD_BYTES) break;
    }
    return Buffer.concat(parts).subarray(0, HEAD_BYTES);
  } catch (e) {
    onProblem({ code: 'evidence.unreadable-file', message: String(e), path: file.path, severity: 'error' });
    return undefined;
  }
}
