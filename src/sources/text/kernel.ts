// The WebAssembly line kernel's instances: compiled once per thread, pooled, loaded with a gate's Teddy tables.

import type { LineGate } from '../../core/source.js';
import { LINESCAN_WASM } from './linescan-wasm.js';
import { buildClauses, buildPaths, buildTeddy, normaliseLiterals } from './teddy.js';
import type { ClauseTables, PathTables, TeddyTables } from './teddy.js';

type Tables = TeddyTables & { clauses?: ClauseTables; paths?: PathTables };

interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The kernel's exports (wasm/linescan.c). */
export interface Kernel {
  memory: Memory;
  __heap_base: { value: unknown };
  ptr(which: number): number;
  limits(which: number): number;
  set_gate(n: number, all: number, shortBuckets: number): void;
  set_clauses(n: number): void;
  set_paths(exts: number, except: number): void;
  set_format(sep: number, fields: number, stampLen: number, compare: number, csv: number): void;
  set_max_line(n: number): void;
  set_input(at: number, len: number): void;
  position(): number;
  lines(): number;
  set_lines(n: number): void;
  more(): number;
  plain_lines(): number;
  blank_lines(): number;
  reset_blank(): void;
  set_quote(q: number): void;
  reset_tally(): void;
  scan(): number;
}

/** Flags of a listed line: a NUL or non-ASCII byte in it; longer than the limit. */
export const F_ODD = 1;
export const F_LONG = 2;
/** Words per listed line: start, end, line number, literal mask, flags. */
export const OUT_WORDS = 5;

/** The part of the WebAssembly API used here (this project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | undefined;
/** Tables per gate: a source's gate is one object for the whole scan, and its files are many. */
const prepared = new WeakMap<LineGate, Tables | null>();

/** Null when the kernel cannot take the gate (a literal without ASCII, or more than it holds). */
function tablesFor(gate: LineGate, k: Kernel): Tables | null {
  let t: Tables | null | undefined = prepared.get(gate);
  if (t !== undefined) return t;
  // Script literals need the path tables: without them (too many, or none given) they count anywhere.
  const paths = gate.scriptPath
    ? buildPaths(gate.scriptPath, { exts: k.limits(8), extBytes: k.limits(9), except: k.limits(10), exceptBytes: k.limits(11) }) // prettier-ignore
    : undefined;
  const lits = normaliseLiterals(
    paths ? gate.literals : gate.literals.map(({ script: _s, except: _e, ...l }) => l),
  );
  t = lits && lits.length <= k.limits(0) ? buildTeddy(lits) : null;
  if (t && t.bytes.length > k.limits(1)) t = null;
  // Clauses that do not fit are left out: bits are then set more often, never less.
  const clauses = t
    ? buildClauses(gate.clauses, { clauses: k.limits(5), literals: k.limits(6), bytes: k.limits(7) })
    : undefined;
  if (t && clauses) t = { ...t, clauses };
  if (t && paths) t = { ...t, paths };
  prepared.set(gate, t);
  return t;
}
/** Kernels of finished readers, reused by the next ones in this thread. */
const idle: Kernel[] = [];
/** The gate whose tables each kernel holds. */
const holds = new WeakMap<Kernel, LineGate>();

/** A kernel from the pool (or a new one), reset, with `gate` loaded (none: every line is listed). */
export function takeKernel(gate: LineGate | undefined, maxLine: number): Kernel {
  let k = idle.pop();
  if (!k) {
    compiled ??= new wasm.Module(Buffer.from(LINESCAN_WASM, 'base64'));
    k = new wasm.Instance(compiled).exports as Kernel;
  }
  k.set_lines(0);
  k.set_quote(0);
  k.reset_tally();
  k.reset_blank();
  k.set_format(0, 0, 0, 0, 0);
  k.set_max_line(maxLine);
  setGate(k, gate);
  return k;
}

export function releaseKernel(k: Kernel): void {
  idle.push(k);
}

function setGate(k: Kernel, gate: LineGate | undefined): void {
  const t = gate ? tablesFor(gate, k) : undefined;
  if (!gate || !t) {
    k.set_gate(0, 1, 0);
    k.set_clauses(0);
    return;
  }
  // A kernel back from the pool usually holds this source's tables already.
  if (holds.get(k) !== gate) {
    const u32 = (which: number, a: ArrayLike<number>) =>
      new Uint32Array(k.memory.buffer, k.ptr(which), a.length).set(a);
    Buffer.from(k.memory.buffer).set(t.masks, k.ptr(0));
    Buffer.from(k.memory.buffer).set(t.bytes, k.ptr(5));
    const c = t.columns;
    u32(1, c.off);
    u32(2, c.len);
    u32(3, c.back);
    u32(10, c.mask);
    u32(11, c.word);
    u32(12, c.wmask);
    u32(13, c.fold);
    u32(14, c.flags);
    u32(4, t.shortFirst);
    u32(15, t.shortLits);
    u32(16, t.hashKey);
    u32(17, t.hashHead);
    u32(18, t.next);
    const cl = t.clauses;
    if (cl) {
      u32(19, cl.mask);
      u32(20, cl.first);
      u32(21, cl.off);
      u32(22, cl.len);
      Buffer.from(k.memory.buffer).set(cl.bytes, k.ptr(23));
    }
    const pt = t.paths;
    if (pt) {
      u32(24, pt.exts.off);
      u32(25, pt.exts.len);
      Buffer.from(k.memory.buffer).set(pt.exts.bytes, k.ptr(26));
      u32(27, pt.except.off);
      u32(28, pt.except.len);
      Buffer.from(k.memory.buffer).set(pt.except.bytes, k.ptr(29));
    }
    holds.set(k, gate);
  }
  k.set_clauses(t.clauses ? t.clauses.mask.length : 0);
  k.set_paths(t.paths ? t.paths.exts.off.length : 0, t.paths ? t.paths.except.off.length : 0);
  k.set_gate(t.columns.len.length, gate.all ? 1 : 0, t.shortBuckets);
}
