// Worker thread hosting libyara-wasm: one instance at a time, replaced when its heap has grown, so memory stays bounded.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { WasmReply, WasmRequest, WasmRuleHit } from './wasm-protocol.js';

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
 * An instance's heap only grows, and every `run` call leaks its compiled rules (about 8-12 MiB: the
 * wrapper never destroys them). Past this size the instance is dropped and a new one made (about 5 ms).
 */
const RECYCLE_HEAP = 192 * 1024 * 1024;
/** Matched strings kept per rule: the findings show eight; a string can match a million times. */
const MAX_STRINGS = 1000;
const SHOWN_BYTES = 120;

const { module: spec } = workerData as { module: string };
const port = parentPort!;
let factory: Factory;
let compiled: object | undefined;
let instance: EmModule | undefined;
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
async function fresh(): Promise<EmModule> {
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

async function yara(): Promise<EmModule> {
  if (!instance || instance.HEAPU8.length > RECYCLE_HEAP) instance = await fresh();
  return instance;
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

async function handle(req: WasmRequest): Promise<WasmReply> {
  const y = await yara();
  if (req.op === 'rules') {
    bundles = req.bundles;
    return { id: req.id, ok: true };
  }
  if (req.op === 'check') {
    const r = y.run(new Uint8Array(0), req.text);
    const errs = r.compileErrors;
    const errors = [];
    for (let i = 0; i < errs.size(); i++) errors.push(errs.get(i));
    errs.delete();
    r.delete();
    return { id: req.id, ok: true, errors };
  }
  const data = new Uint8Array(req.data);
  const results: WasmRuleHit[][] = [];
  for (const text of bundles) {
    const r = (await yara()).run(data, text);
    try {
      const { hits, errors } = collect(r, data);
      // A bundle that compiled when loaded fails now only when the heap is exhausted: never a silent miss.
      if (errors.length > 0) throw new Error(`the WebAssembly engine failed: ${errors[0]}`);
      results.push(hits);
    } finally {
      r.delete();
    }
  }
  return { id: req.id, ok: true, results, heap: instance?.HEAPU8.length ?? 0 };
}

async function main(): Promise<void> {
  try {
    const req = createRequire(import.meta.url);
    const file = req.resolve(spec);
    factory = req(file) as Factory;
    if (typeof factory !== 'function') throw new Error(`${spec} does not export a module factory`);
    compiled = precompile(file);
    instance = await fresh();
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
        if (instance && instance.HEAPU8.length > RECYCLE_HEAP) instance = undefined;
        port.postMessage(reply);
      })
      .catch((e: unknown) => {
        instance = undefined; // an aborted instance is unusable
        port.postMessage({ id: req.id, ok: false, error: (e as Error).message } satisfies WasmReply);
      });
  });
}

void main();
