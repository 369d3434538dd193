// The WebAssembly backend: libyara 4.2 built to wasm (the libyara-wasm package), always installed, run in worker threads.

import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Problem } from '../../core/problem.js';
import { outlineRules } from './outline.js';
import type { RuleOutline } from './outline.js';
import type { Backend, MetaValue, RawMatch, RuleSource } from './types.js';
import { WasmPool } from './wasm-pool.js';
import type { WasmRuleHit } from './wasm-protocol.js';

export const DEFAULT_YARA_WASM_MODULE = 'libyara-wasm';

/** The modules compiled into libyara-wasm 1.2.1 (probed with `import`); magic, cuckoo, macho, dex, string are not. */
const WASM_MODULES = ['pe', 'elf', 'math', 'hash', 'dotnet', 'time', 'console'];

/**
 * The largest file it can scan. The heap stops at 2 GiB and holds the bytes twice (the binding's copy
 * and the wrapper's std::string); 1000 MiB still scanned, so 900 MiB leaves room for the rules.
 */
export const WASM_MAX_BYTES = 900 * 1024 * 1024;

/** The wasm build has no scan timeout of its own: a worker that takes longer is stopped. */
const wasmTimeoutMs = (bytes: number) => 120_000 + Math.ceil(bytes / (1024 * 1024)) * 1000;

interface Member {
  namespace: string;
  rules: Map<string, RuleOutline>;
}
interface Bundle {
  text: string;
  members: Member[];
  /** Set when any member has a global rule: a global rule would bind every other file in its bundle. */
  alone: boolean;
}

export async function loadYaraWasm(spec: string, threads?: number): Promise<WasmPool | { error: string }> {
  const r = await WasmPool.open(spec, threads ?? Math.min(4, availableParallelism()));
  return 'error' in r ? { error: `${spec} could not be loaded: ${r.error}` } : r;
}

function typed(meta: [string, string][], kinds: RuleOutline['meta'] | undefined): Record<string, MetaValue> {
  const out: Record<string, MetaValue> = {};
  for (const [k, v] of meta) {
    const kind = kinds?.[k];
    const n = Number(v);
    out[k] = typeof kind === 'boolean' ? kind : kind === 'number' && Number.isFinite(n) ? n : v;
  }
  return out;
}

/** A buffer the worker can take over without copying, when `buf` is the only view on its memory. */
function transferable(buf: Buffer): ArrayBuffer {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength && buf.buffer instanceof ArrayBuffer)
    return buf.buffer;
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy.buffer;
}

function compileProblem(s: RuleSource, errors: { message: string; lineNumber: number }[]): Problem {
  const missing = errors.map((e) => /unknown module "([^"]+)"/.exec(e.message)?.[1]).find(Boolean);
  if (missing)
    return {
      code: 'yara.module-missing',
      message:
        `uses the YARA module "${missing}", which the WebAssembly build of libyara lacks (it has ` +
        `${WASM_MODULES.join(', ')}): this file's rules do not run; install @litko/yara-x or the yara program`,
      path: s.path,
      severity: 'error',
    };
  const e = errors[0]!;
  return {
    code: 'yara.rule-error',
    message: e.message + (errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''),
    path: s.path,
    ...(e.lineNumber > 0 ? { line: e.lineNumber } : {}),
    severity: 'error',
  };
}

/**
 * libyara-wasm's only entry point compiles the rules on every call. Each file is first compiled alone (so
 * an error names its file and line); the good ones are then joined into as few texts as YARA accepts in
 * one namespace (no rule name twice, no global rule), each compiled and run once per scanned file.
 */
async function bundle(pool: WasmPool, good: { s: RuleSource; outline: RuleOutline[] }[]): Promise<Bundle[]> {
  const bundles: Bundle[] = [];
  for (const { s, outline } of good) {
    const member = { namespace: s.namespace, rules: new Map(outline.map((r) => [r.name, r])) };
    const alone = outline.length === 0 || outline.some((r) => r.global);
    const last = bundles.at(-1);
    const clash = last?.members.some((m) => outline.some((r) => m.rules.has(r.name)));
    if (last && !last.alone && !alone && !clash) {
      last.text += `\n${s.text}`;
      last.members.push(member);
    } else bundles.push({ text: s.text, members: [member], alone });
  }
  const out: Bundle[] = [];
  for (const b of bundles) {
    const joinedOk = b.members.length === 1 || (await pool.check(b.text)).every((e) => e.warning);
    if (joinedOk) out.push(b);
    else
      for (const m of b.members) {
        const s = good.find((g) => g.s.namespace === m.namespace)!.s;
        out.push({ text: s.text, members: [m], alone: true });
      }
  }
  return out;
}

export function yaraWasmBackend(pool: WasmPool): Backend {
  let bundles: Bundle[] = [];
  const toRaw = (results: WasmRuleHit[][]): RawMatch[] =>
    results.flatMap((hits, i) => {
      const b = bundles[i]!;
      return hits.map((h) => {
        const m = b.members.find((x) => x.rules.has(h.rule)) ?? b.members[0]!;
        const o = m.rules.get(h.rule);
        return {
          rule: h.rule,
          namespace: m.namespace,
          tags: [...(o?.tags ?? [])],
          meta: typed(h.meta, o?.meta),
          strings: h.strings,
        };
      });
    });
  return {
    name: 'yara-wasm',
    buffers: true,
    memoryOnly: true,
    maxBytes: WASM_MAX_BYTES,
    async compile(sources: RuleSource[]) {
      const problems: Problem[] = [];
      const good: { s: RuleSource; outline: RuleOutline[] }[] = [];
      for (const s of sources) {
        const errors = (await pool.check(s.text)).filter((e) => !e.warning);
        if (errors.length > 0) problems.push(compileProblem(s, errors));
        else good.push({ s, outline: outlineRules(s.text) });
      }
      bundles = await bundle(pool, good);
      await pool.setRules(bundles.map((b) => b.text));
      return problems;
    },
    async scanBuffer(buf: Buffer) {
      if (bundles.length === 0) return [];
      return toRaw(await pool.scan(transferable(buf), wasmTimeoutMs(buf.length)));
    },
    async scanPath(path: string) {
      if (bundles.length === 0) return [];
      const fh = await open(path, 'r');
      let data: Buffer;
      try {
        const { size } = await fh.stat();
        if (size > WASM_MAX_BYTES) throw new Error(`${size} bytes is more than the engine can hold`);
        data = Buffer.from(new ArrayBuffer(size));
        let got = 0;
        while (got < size) {
          const { bytesRead } = await fh.read(data, got, size - got, got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        if (got < size) data = data.subarray(0, got);
      } finally {
        await fh.close();
      }
      return toRaw(await pool.scan(transferable(data), wasmTimeoutMs(data.length)));
    },
    close: () => pool.close(),
  };
}
