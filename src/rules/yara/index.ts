// YARA over web-served files, staged archives (content and zip listing) and dumps: YARA-X, the yara program or libyara in wasm.

export { DEFAULT_YARA_WASM_MODULE, WASM_MAX_BYTES } from './backend-wasm.js';
export { DEFAULT_YARA_X_MODULE } from './backend-x.js';
export { decodeAtRest, encodeAtRest } from './encoding.js';
export { yaraFindings, yaraHit, yaraRuleRef } from './findings.js';
export type { YaraFileContext } from './findings.js';
export { ENGINE_ORDER, isEngineChoice } from './engines.js';
export type { EngineChoice } from './engines.js';
export { BUILTIN_YARA_DIR } from './rules.js';
export { DEFAULT_YARA_MAX_SIZE, openYara } from './scanner.js';
export type { OpenYaraOptions } from './scanner.js';
export { LISTING_HEADER } from './target.js';
export type { BackendName, ScanFileOptions, YaraMatch, YaraScanner, YaraString } from './types.js';

/** Sources whose files YARA reads: scripts in web-served folders and staged dumps and archives. */
export function isYaraTarget(source: string): boolean {
  return source === 'web-file' || source === 'staged-file';
}

/** `--yara-max-size` values: bytes, or a number with K, M or G (binary units). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').charAt(0).toLowerCase();
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}
