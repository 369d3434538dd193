// Choosing a YARA engine: the order they are tried in, and forcing one (option, flag or EXHUNT_YARA_ENGINE).

import { probeYaraCli, yaraCliBackend } from './backend-cli.js';
import { DEFAULT_YARA_WASM_MODULE, loadYaraWasm, yaraWasmBackend } from './backend-wasm.js';
import { DEFAULT_YARA_X_MODULE, loadYaraX, yaraXBackend } from './backend-x.js';
import type { Backend, BackendName } from './types.js';

/**
 * Tried in this order by `auto` (figures in rules/yara/README.md). YARA-X first: in-process, rules
 * compiled once, about 0.5 ms of CPU per web script. For the default scan (our few rules over web
 * scripts, thousands of small files) the WebAssembly build next: about 5.5 ms per file, where the yara
 * program costs 6 ms plus a process start that grows with the scan's own memory (fork), several times
 * slower in wall time on a busy machine.
 */
export const ENGINE_ORDER: readonly BackendName[] = ['yara-x', 'yara-wasm', 'yara-cli'];

/**
 * With rules of the user's or staged dumps and archives, the yara program goes before the WebAssembly
 * build: the wasm build compiles the rules again for every file (48 ms a file with 1,000 rules, against
 * 12 ms) and holds each file in memory three times (1.3 GB for a 400 MiB dump, against 0.4 GB), at a
 * third of the speed.
 */
const HEAVY_ENGINE_ORDER: readonly BackendName[] = ['yara-x', 'yara-cli', 'yara-wasm'];

export type EngineChoice = 'auto' | BackendName;

export function isEngineChoice(s: string): s is EngineChoice {
  return s === 'auto' || (ENGINE_ORDER as readonly string[]).includes(s);
}

export interface EngineOptions {
  /** `auto` tries ENGINE_ORDER (HEAVY_ENGINE_ORDER when `heavy`); default EXHUNT_YARA_ENGINE, else `auto`. */
  backend?: EngineChoice;
  /** User rules or staged dumps and archives in the scan: an engine that compiles once and streams first. */
  heavy?: boolean;
  /** YARA-X binding package or path; default EXHUNT_YARA_MODULE, else `@litko/yara-x`. */
  module?: string;
  /** libyara-wasm package or path; default EXHUNT_YARA_WASM_MODULE, else `libyara-wasm`. */
  wasmModule?: string;
  /** yara program; default EXHUNT_YARA_BIN, else `yara` on PATH (`yarac` beside it). */
  bin?: string;
  /** Worker threads of the WebAssembly engine (default: one per core, at most four). */
  threads?: number;
}

async function tryEngine(name: BackendName, o: EngineOptions): Promise<Backend | { error: string }> {
  if (name === 'yara-x') {
    const mod = await loadYaraX(o.module ?? process.env.EXHUNT_YARA_MODULE ?? DEFAULT_YARA_X_MODULE);
    return 'error' in mod ? { error: `YARA-X binding: ${mod.error}` } : yaraXBackend(mod);
  }
  if (name === 'yara-wasm') {
    const spec = o.wasmModule ?? process.env.EXHUNT_YARA_WASM_MODULE ?? DEFAULT_YARA_WASM_MODULE;
    const pool = await loadYaraWasm(spec, o.threads);
    return 'error' in pool ? { error: `WebAssembly libyara: ${pool.error}` } : yaraWasmBackend(pool);
  }
  const bin = o.bin ?? process.env.EXHUNT_YARA_BIN ?? 'yara';
  const yarac = bin.replace(/yara(\.exe)?$/i, 'yarac$1');
  const err = (await probeYaraCli(bin)) ?? (await probeYaraCli(yarac));
  return err ? { error: `yara program: ${err}` } : yaraCliBackend(bin, yarac);
}

/** The first engine that loads, or why none did. */
export async function pickEngine(o: EngineOptions): Promise<Backend | { unavailable: string }> {
  const env = process.env.EXHUNT_YARA_ENGINE;
  const want = o.backend ?? (env && isEngineChoice(env) ? env : 'auto');
  const why: string[] = [];
  const order = o.heavy ? HEAVY_ENGINE_ORDER : ENGINE_ORDER;
  for (const name of want === 'auto' ? order : [want]) {
    const b = await tryEngine(name, o);
    if (!('error' in b)) return b;
    why.push(b.error);
  }
  return {
    unavailable:
      `no YARA engine: ${why.join('; ')}` +
      (want === 'auto'
        ? ' (reinstall exhunt so that libyara-wasm is present, or install @litko/yara-x)'
        : ''),
  };
}
