// The scanner: picks a backend, compiles the rules, and scans one evidence file (and a zip's listing) at a time.

import { Readable } from 'node:stream';
import type { Problem } from '../../core/problem.js';
import { probeYaraCli, yaraCliBackend } from './backend-cli.js';
import { DEFAULT_YARA_X_MODULE, loadYaraX, yaraXBackend } from './backend-x.js';
import { loadRuleSources } from './rules.js';
import type { Materialised } from './target.js';
import { looksLikeZip, materialise, zipListing } from './target.js';
import type { Backend, RawMatch, ScanFileOptions, YaraMatch, YaraScanner } from './types.js';

export interface OpenYaraOptions {
  /** Rule files or folders (`--yara`); `*.yar.b64` files are decoded in memory. */
  rules: string[];
  /** Files larger than this are not scanned; each one skipped is a `limit` problem. */
  maxSize: number;
  /** Also load our rules from rules/yara (default true). */
  builtin?: boolean;
  /** `auto` tries the YARA-X binding, then the yara program. */
  backend?: 'auto' | 'yara-x' | 'yara-cli';
  /** Binding package or path; default EXHUNT_YARA_MODULE, else `@litko/yara-x`. */
  module?: string;
  /** yara program; default EXHUNT_YARA_BIN, else `yara` on PATH (`yarac` beside it). */
  bin?: string;
  /** Files up to this size are scanned from memory; larger ones from a temp file (default 16 MiB). */
  memLimit?: number;
}

export const DEFAULT_YARA_MAX_SIZE = 512 * 1024 * 1024;

async function pickBackend(o: OpenYaraOptions): Promise<Backend | { unavailable: string }> {
  const want = o.backend ?? 'auto';
  const why: string[] = [];
  if (want !== 'yara-cli') {
    const mod = await loadYaraX(o.module ?? process.env.EXHUNT_YARA_MODULE ?? DEFAULT_YARA_X_MODULE);
    if (!('error' in mod)) return yaraXBackend(mod);
    why.push(`YARA-X binding: ${mod.error}`);
  }
  if (want !== 'yara-x') {
    const bin = o.bin ?? process.env.EXHUNT_YARA_BIN ?? 'yara';
    const yarac = bin.replace(/yara(\.exe)?$/i, 'yarac$1');
    const err = (await probeYaraCli(bin)) ?? (await probeYaraCli(yarac));
    if (!err) return yaraCliBackend(bin, yarac);
    why.push(`yara program: ${err}`);
  }
  return {
    unavailable: `no YARA engine: ${why.join('; ')} (install @litko/yara-x with npm, or the yara package)`,
  };
}

/**
 * Opens a scanner, or says why none is available (with a `yara.unavailable` problem the scan reports
 * before going on without YARA).
 */
export async function openYara(
  opts: OpenYaraOptions,
): Promise<YaraScanner | { unavailable: string; problems: Problem[] }> {
  const backend = await pickBackend(opts);
  if ('unavailable' in backend)
    return {
      unavailable: backend.unavailable,
      problems: [{ code: 'yara.unavailable', message: backend.unavailable, severity: 'warning' }],
    };
  const loaded = await loadRuleSources(opts.rules, opts.builtin ?? true);
  const problems = [...loaded.problems, ...(await backend.compile(loaded.sources))];
  const names = new Map(loaded.sources.map((s) => [s.namespace, s.builtin ? 'exhunt' : s.name]));
  const good =
    loaded.sources.length -
    new Set(problems.filter((p) => p.code === 'yara.rule-error').map((p) => p.path)).size;
  return new Scanner(backend, Math.max(0, good), problems, names, opts.maxSize, opts.memLimit ?? 16 << 20);
}

class Scanner implements YaraScanner {
  readonly backend: YaraScanner['backend'];

  constructor(
    private readonly engine: Backend,
    readonly ruleFiles: number,
    readonly problems: Problem[],
    private readonly sources: Map<string, string>,
    private readonly maxSize: number,
    private readonly memLimit: number,
  ) {
    this.backend = engine.name;
  }

  async scanFile(
    read: () => Promise<NodeJS.ReadableStream | Readable>,
    size: number,
    path: string,
    opts: ScanFileOptions = {},
  ): Promise<YaraMatch[]> {
    if (size > this.maxSize) {
      this.problems.push({
        code: 'limit.yara-size',
        message: `${size} bytes is over the YARA size cap of ${this.maxSize} (raise --yara-max-size); not scanned`,
        path,
        severity: 'limit',
      });
      return [];
    }
    let m: Materialised | undefined;
    try {
      m = opts.localPath
        ? { file: opts.localPath, dispose: () => Promise.resolve() }
        : await materialise(read, size, {
            memLimit: this.memLimit,
            needFile: !this.engine.buffers,
            maxSize: this.maxSize,
          });
      const out = this.wrap(await this.scan(m), 'content', path);
      if (looksLikeZip(path, m.buf?.subarray(0, 4))) {
        const listing = await zipListing(m);
        if (listing) out.push(...this.wrap(await this.scanText(listing), 'listing', path));
      }
      return out;
    } catch (e) {
      this.problems.push({
        code: 'yara.scan-failed',
        message: `YARA could not scan this file: ${(e as Error).message}`,
        path,
        severity: 'error',
      });
      return [];
    } finally {
      if (m && !opts.localPath) await m.dispose();
    }
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  private scan(m: Materialised): Promise<RawMatch[]> {
    return m.buf ? this.engine.scanBuffer(m.buf) : this.engine.scanPath(m.file!);
  }

  private async scanText(text: string): Promise<RawMatch[]> {
    const buf = Buffer.from(text, 'utf8');
    if (this.engine.buffers) return this.engine.scanBuffer(buf);
    const m = await materialise(() => Promise.resolve(Readable.from([buf])), buf.length, {
      memLimit: 0,
      needFile: true,
      maxSize: Infinity,
    });
    try {
      return await this.engine.scanPath(m.file!);
    } finally {
      await m.dispose();
    }
  }

  private wrap(raw: RawMatch[], target: YaraMatch['target'], path: string): YaraMatch[] {
    return raw.map((r) => ({ ...r, source: this.sources.get(r.namespace) ?? r.namespace, target, path }));
  }
}
