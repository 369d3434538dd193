// The scanner: picks a backend, compiles the rules, and scans one evidence file (and a zip's listing) at a time.

import { Readable } from 'node:stream';
import type { Problem } from '../../core/problem.js';
import { pickEngine } from './engines.js';
import type { EngineOptions } from './engines.js';
import { loadRuleSources } from './rules.js';
import type { Materialised } from './target.js';
import { looksLikeZip, materialise, zipListing } from './target.js';
import type { Backend, RawMatch, ScanFileOptions, YaraMatch, YaraScanner } from './types.js';

export interface OpenYaraOptions extends EngineOptions {
  /** Rule files or folders (`--yara`); `*.yar.b64` files are decoded in memory. */
  rules: string[];
  /** Files larger than this are not scanned; each one skipped is a `limit` problem. */
  maxSize: number;
  /** Also load our rules from rules/yara (default true). */
  builtin?: boolean;
  /** Files up to this size are scanned from memory; larger ones from a temp file (default 16 MiB). */
  memLimit?: number;
}

export const DEFAULT_YARA_MAX_SIZE = 512 * 1024 * 1024;

/**
 * Bytes held at once by an engine that needs whole files in memory: files wait until they fit, and a
 * file larger than this waits until it is alone, so peak memory follows the largest file, not the pool.
 */
const IN_FLIGHT_BYTES = 256 * 1024 * 1024;

/** Problems that leave a rule file out of the scan. */
const COMPILE_FAILED = new Set(['yara.rule-error', 'yara.module-missing']);

class ByteBudget {
  private used = 0;
  private waiting: (() => void)[] = [];

  async take(n: number): Promise<void> {
    while (this.used > 0 && this.used + n > IN_FLIGHT_BYTES)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.used += n;
  }

  give(n: number): void {
    this.used -= n;
    for (const w of this.waiting.splice(0)) w();
  }
}

/**
 * Opens a scanner, or says why none is available (with a `yara.unavailable` problem the scan reports
 * before going on without YARA).
 */
export async function openYara(
  opts: OpenYaraOptions,
): Promise<YaraScanner | { unavailable: string; problems: Problem[] }> {
  const backend = await pickEngine(opts);
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
    new Set(problems.filter((p) => COMPILE_FAILED.has(p.code)).map((p) => p.path)).size;
  return new Scanner(backend, Math.max(0, good), problems, names, opts.maxSize, opts.memLimit ?? 16 << 20);
}

class Scanner implements YaraScanner {
  readonly backend: YaraScanner['backend'];
  private readonly budget = new ByteBudget();

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
    const cap = Math.min(this.maxSize, this.engine.maxBytes ?? Infinity);
    if (size > cap) {
      this.problems.push({
        code: 'limit.yara-size',
        message:
          cap < this.maxSize
            ? `${size} bytes is more than the ${this.backend} engine can hold (${cap}); not scanned`
            : `${size} bytes is over the YARA size cap of ${cap} (raise --yara-max-size); not scanned`,
        path,
        bytes: size,
        severity: 'limit',
      });
      return [];
    }
    const whole = this.engine.memoryOnly === true;
    if (whole) await this.budget.take(size);
    let m: Materialised | undefined;
    try {
      m = opts.localPath
        ? { file: opts.localPath, dispose: () => Promise.resolve() }
        : await materialise(read, size, {
            memLimit: whole ? cap : this.memLimit,
            needFile: !this.engine.buffers,
            maxSize: cap,
          });
      // The listing first: an engine that runs elsewhere takes the buffer over when it scans it.
      const listing = looksLikeZip(path, m.buf?.subarray(0, 4)) ? await zipListing(m) : undefined;
      const out = this.wrap(await this.scan(m), 'content', path);
      if (listing) out.push(...this.wrap(await this.scanText(listing), 'listing', path));
      return out;
    } catch (e) {
      this.problems.push({
        code: 'yara.scan-failed',
        message: `YARA could not scan this file: ${(e as Error).message}`,
        path,
        bytes: size,
        severity: 'error',
      });
      return [];
    } finally {
      if (m && !opts.localPath) await m.dispose();
      if (whole) this.budget.give(size);
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
