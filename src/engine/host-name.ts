// The Exchange server's own name, as its evidence says it: so a fleet upload is filed under the server's
// name and not under whatever the responder called the folder. Read from a bounded sample.

import type { LogRecord } from '../core/record.js';
import type { Evidence } from '../evidence/index.js';
import { SOURCES } from '../sources/registry.js';
import { baseName } from '../sources/text/paths.js';
import type { Task } from './discover.js';

export interface HostName {
  name: string;
  /** Where it was read: `HttpProxy ServerHostName`, `IIS s-computername`, `Test-ProxyLogon file name`. */
  from: string;
}

const SAMPLE_FILES = 16;
const SAMPLE_BYTES = 64 << 10;

/** `EXCH01`, `exch01.corp.example`: a NetBIOS or DNS name, nothing an attacker's junk could pass for. */
const HOST = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}(\.[A-Za-z0-9][A-Za-z0-9-]{0,62}){0,8}$/;

/** Test-ProxyLogon names its outputs `<Computer>-Cve-2021-26855.csv`, `<Computer>-other.csv`, ... */
export function hostOfTplFile(path: string): string | undefined {
  const m = /^(.+?)-(cve-2021-\d+[^/]*|other[^/]*)\.(csv|log)$/i.exec(baseName(path));
  return m && HOST.test(m[1] as string) ? m[1] : undefined;
}

function fieldOf(r: LogRecord): { value: string; from: string } | undefined {
  for (const [field, from] of [
    ['ServerHostName', 'HttpProxy ServerHostName'],
    ['s-computername', 'IIS s-computername'],
  ] as const) {
    const v = r.get(field);
    if (typeof v === 'string' && HOST.test(v)) return { value: v, from };
  }
  return undefined;
}

/** The name most of the sampled lines give (case folded to the first spelling seen), or none. */
export async function sampleHostName(ev: Evidence, tasks: readonly Task[]): Promise<HostName | undefined> {
  const votes = new Map<string, { name: string; from: string; n: number }>();
  const vote = (name: string, from: string, n = 1) => {
    const k = name.toLowerCase();
    const v = votes.get(k) ?? { name, from, n: 0 };
    v.n += n;
    votes.set(k, v);
  };
  for (const t of tasks) {
    const h =
      t.source.startsWith('tpl-') || t.reader?.startsWith('tpl-') ? hostOfTplFile(t.file.path) : undefined;
    if (h) vote(h, 'Test-ProxyLogon file name', 100);
  }
  const logs = tasks
    .filter((t) => t.source === 'httpproxy' || t.source === 'iis-w3c')
    .sort((a, b) => a.file.path.localeCompare(b.file.path))
    .slice(-SAMPLE_FILES);
  for (const t of logs) {
    const def = SOURCES.get(t.reader ?? t.source);
    if (!def) continue;
    const parser = def.createParser(
      { path: t.file.path },
      {
        record(r) {
          const f = fieldOf(r);
          if (f) vote(f.value, f.from);
        },
        problem() {
          // The main read reported this file's problems; this is a sample.
        },
      },
    );
    try {
      const stream = await ev.open(t.file, SAMPLE_BYTES);
      for await (const chunk of stream) parser.push(chunk as Buffer);
      parser.end();
    } catch {
      // Unreadable files were reported by the main read.
    }
  }
  let best: { name: string; from: string; n: number } | undefined;
  for (const v of votes.values()) if (!best || v.n > best.n) best = v;
  return best && { name: best.name, from: best.from };
}
