// The YARA scanner contract shared by its three backends: the YARA-X binding, libyara in WebAssembly, the yara program.

import type { Readable } from 'node:stream';
import type { Problem } from '../../core/problem.js';

export type MetaValue = string | number | boolean;

export interface YaraString {
  /** Pattern identifier (`$s1`). */
  id: string;
  offset: number;
  /** The matched bytes as the engine shows them (escaped), when it reports them. */
  data?: string;
}

export interface YaraMatch {
  rule: string;
  namespace: string;
  /** Base name of the rule file (`exchange-webshells.yar.b64`); `exhunt` for our own rules. */
  source: string;
  tags: string[];
  meta: Record<string, MetaValue>;
  strings: YaraString[];
  /** `listing`: the match is on the names inside an archive, not on its bytes. */
  target: 'content' | 'listing';
  /** Evidence-relative path of the scanned file. */
  path: string;
}

export interface ScanFileOptions {
  /** The file's path on this machine, when the evidence is a folder: scanned in place, nothing copied. */
  localPath?: string;
}

export type BackendName = 'yara-x' | 'yara-wasm' | 'yara-cli';

export interface YaraScanner {
  backend: BackendName;
  /** Rule files compiled. */
  ruleFiles: number;
  /** Rule-loading problems, then per-file problems (size cap, read errors) as scanning goes. */
  readonly problems: Problem[];
  scanFile(
    read: () => Promise<NodeJS.ReadableStream | Readable>,
    size: number,
    path: string,
    opts?: ScanFileOptions,
  ): Promise<YaraMatch[]>;
  close(): Promise<void>;
}

/** One rule file, decoded. */
export interface RuleSource {
  /** Where it came from, for problems. */
  path: string;
  /** Base name shown as the rule's source. */
  name: string;
  /** YARA namespace: the name reduced to identifier characters, unique per scan. */
  namespace: string;
  text: string;
  builtin: boolean;
}

/** A raw match before the scanner adds its file and target. */
export type RawMatch = Omit<YaraMatch, 'source' | 'target' | 'path'>;

/** What an engine backend does: compile each rule file (problems for bad ones), then scan. */
export interface Backend {
  name: BackendName;
  /** Compiles the sources; returns the problems of those that failed (the rest stay usable). */
  compile(sources: RuleSource[]): Promise<Problem[]>;
  /** Whether in-memory buffers can be scanned (else every target goes through a file). */
  buffers: boolean;
  /** The engine needs each file whole in memory (no temp file); the scanner bounds the bytes in flight. */
  memoryOnly?: boolean;
  /** The largest file the engine can take, whatever the size cap says. */
  maxBytes?: number;
  /** May take `buf` over (its memory detached afterwards): callers use it no more. */
  scanBuffer(buf: Buffer): Promise<RawMatch[]>;
  scanPath(path: string): Promise<RawMatch[]>;
  close(): Promise<void>;
}
