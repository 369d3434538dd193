// Worker thread hosting libyara-wasm: one instance at a time, replaced when its heap has grown, so memory stays bounded.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { WasmCompileError, WasmReply, WasmRequest, WasmRuleHit } from './wasm-protocol.js';

/** The part of libyara-wasm 1.2's embind API used here (its YaraCC.cpp). */
interface EmVector<T> {
  size(): number;
  get(i: number): T;
  delete(): void;
}
interface EmResult {
  compileErrors: EmVector<{ message: string; lineNumber: number; warning: boolean }>;
  matchedRules: EmVector<{
    ruleName: string;
    resolvedMatches: EmVector<{ location: number; matchLength: number; stringIdentifier: string }>;
    metadata: EmVector<{ identifier: string; data: string }>;
  }>;
  delete(): void;
}
interface EmModule {
  run(data: Uint8Array, rules: string): EmResult;
  HEAPU8: Uint8Array;
}
type Factory = (opts?: object) => Promise<EmModule>;

/** The part of the WebAssembly API used here (this project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * libyara-wasm's `run` leaks its compiled rules (8-12 MiB a call: the wrapper never destroys them), and
 * touching that much new memory on every call was most of its cost. So each instance keeps the image of
 * its memory as it started, and after every call the memory is put back to it: the next call reuses the
 * same pages. This is sound because all of the module's mutable state lives in its memory (libc, the
 * allocator, libyara's globals) and every handle embind gave out is deleted first. Memory cannot shrink,
 * so an instance that grew past this size for a large file is dropped for a new one (about 5 ms).
 */
const RECYCLE_HEAP = 64 * 1024 * 1024;
/** Matched strings kept per rule: the findings show eight; a string can match a million times. */
const MAX_STRINGS = 1000;
const SHOWN_BYTES = 120;

const { module: spec } = workerData as { module: string };
const port = parentPort!;
let factory: Factory;
let compiled: object | undefined;
let live: { em: EmModule; clean: Uint8Array } | undefined;
let bundles: string[] = [];

/**
 * The module is built with SINGLE_FILE: its wasm is a base64 data URL inside the JavaScript. Compiling it
 * once lets each new instance skip decoding and compiling (20 ms → 5 ms); if the layout ever changes, the
 * factory does both itself.
 */
function precompile(file: string): object | undefined {
  const m = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(readFileSync(file, 'latin1'));
  return m ? new wasm.Module(Buffer.from(m[1]!, 'base64')) : undefined;
}

/** The factory adds process-wide listeners that rethrow; they would keep every dropped instance alive. */
async function instantiate(): Promise<EmModule> {
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (e: (typeof events)[number]) => process.listeners(e as 'uncaughtException') as unknown[];
  const before = events.map(listeners);
  try {
    const mod = compiled;
    return await factory(
      mod
        ? {
            instantiateWasm(imports: object, ok: (instance: object) => void) {
              void wasm.instantiate(mod, imports).then(ok);
              return {};
            },
          }
        : {},
    );
  } finally {
    events.forEach((e, i) => {
      for (const l of listeners(e))
        if (!before[i]!.includes(l)) process.removeListener(e, l as (...args: unknown[]) => void);
    });
  }
}

/** A new instance and its starting image: memory up to its last non-zero word (5.4 MiB for 1.2.1). */
async function fresh(): Promise<{ em: EmModule; clean: Uint8Array }> {
  const em = await instantiate();
  const heap = em.HEAPU8;
  const words = new Uint32Array(heap.buffer, heap.byteOffset, heap.length >>> 2);
  let top = words.length;
  while (top > 0 && words[top - 1] === 0) top--;
  return { em, clean: heap.slice(0, top * 4) };
}

/** One call of the wrapper, its result read, every handle deleted, then memory back to the image. */
async function run<T>(data: Uint8Array, rules: string, read: (r: EmResult) => T): Promise<T> {
  if (!live || live.em.HEAPU8.length > RECYCLE_HEAP) live = await fresh();
  const { em, clean } = live;
  let r: EmResult | undefined;
  try {
    r = em.run(data, rules);
    return read(r);
  } catch (e) {
    live = undefined; // an aborted instance is unusable
    throw e;
  } finally {
    r?.delete();
    if (live) em.HEAPU8.set(clean, 0);
  }
}

/** Bytes as `yara -s` shows them: printable ASCII as is, the rest `\xNN`. */
function shown(data: Uint8Array, at: number, length: number): string {
  let s = '';
  for (let i = at; i < Math.min(at + length, at + SHOWN_BYTES, data.length); i++) {
    const b = data[i]!;
    s +=
      b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

function collect(r: EmResult, data: Uint8Array): { hits: WasmRuleHit[]; errors: string[] } {
  const errors: string[] = [];
  const errs = r.compileErrors;
  for (let i = 0; i < errs.size(); i++) {
    const e = errs.get(i);
    if (!e.warning) errors.push(e.message);
  }
  errs.delete();
  const hits: WasmRuleHit[] = [];
  const rules = r.matchedRules;
  for (let i = 0; i < rules.size(); i++) {
    const m = rules.get(i);
    const strings: WasmRuleHit['strings'] = [];
    for (let j = 0; j < Math.min(m.resolvedMatches.size(), MAX_STRINGS); j++) {
      const s = m.resolvedMatches.get(j);
      strings.push({
        id: s.stringIdentifier,
        offset: s.location,
        data: shown(data, s.location, s.matchLength),
      });
    }
    const meta: [string, string][] = [];
    for (let j = 0; j < m.metadata.size(); j++) {
      const d = m.metadata.get(j);
      meta.push([d.identifier, d.data]);
    }
    m.resolvedMatches.delete();
    m.metadata.delete();
    hits.push({ rule: m.ruleName, meta, strings });
  }
  rules.delete();
  return { hits, errors };
}

function compileErrors(r: EmResult): WasmCompileError[] {
  const errs = r.compileErrors;
  const out: WasmCompileError[] = [];
  for (let i = 0; i < errs.size(); i++) out.push(errs.get(i));
  errs.delete();
  return out;
}

async function handle(req: WasmRequest): Promise<WasmReply> {
  if (req.op === 'rules') {
    bundles = req.bundles;
    return { id: req.id, ok: true };
  }
  if (req.op === 'check')
    return { id: req.id, ok: true, errors: await run(new Uint8Array(0), req.text, compileErrors) };
  const data = new Uint8Array(req.data);
  const results: WasmRuleHit[][] = [];
  let heap = 0;
  for (const text of bundles) {
    const { hits, errors } = await run(data, text, (r) => collect(r, data));
    // A bundle that compiled when loaded fails now only when the heap is exhausted: never a silent miss.
    if (errors.length > 0) throw new Error(`the WebAssembly engine failed: ${errors[0]}`);
    results.push(hits);
    heap = Math.max(heap, live?.em.HEAPU8.length ?? 0);
  }
  return { id: req.id, ok: true, results, heap };
}

async function main(): Promise<void> {
  try {
    const req = createRequire(import.meta.url);
    const file = req.resolve(spec);
    factory = req(file) as Factory;
    if (typeof factory !== 'function') throw new Error(`${spec} does not export a module factory`);
    compiled = precompile(file);
    live = await fresh();
    port.postMessage({ id: 0, ok: true } satisfies WasmReply);
  } catch (e) {
    port.postMessage({
      id: 0,
      ok: false,
      error: (e as Error).message.split('\n')[0] ?? '',
    } satisfies WasmReply);
    return;
  }
  port.on('message', (req: WasmRequest) => {
    handle(req)
      .then((reply) => {
        // Drop a heap grown by a large file now, not at the next call: the worker may sit idle a while.
        if (live && live.em.HEAPU8.length > RECYCLE_HEAP) live = undefined;
        port.postMessage(reply);
      })
      .catch((e: unknown) => {
        port.postMessage({ id: req.id, ok: false, error: (e as Error).message } satisfies WasmReply);
      });
  });
}

void main();
