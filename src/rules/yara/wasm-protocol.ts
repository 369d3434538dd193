// Messages between the WebAssembly YARA backend and its worker threads.

/** `rules`: the bundles every later scan runs; `check`: compile one source alone; `scan`: one file's bytes. */
export type WasmRequest =
  | { id: number; op: 'rules'; bundles: string[] }
  | { id: number; op: 'check'; text: string }
  | { id: number; op: 'scan'; data: ArrayBuffer };

export interface WasmCompileError {
  message: string;
  /** 0 when libyara gives none (a syntax error at the end of the text). */
  lineNumber: number;
  warning: boolean;
}

/** One matching rule of one bundle; meta values come back as text whatever their type. */
export interface WasmRuleHit {
  rule: string;
  meta: [string, string][];
  strings: { id: string; offset: number; data: string }[];
}

export type WasmReply =
  | {
      id: number;
      ok: true;
      errors?: WasmCompileError[];
      /** Per bundle, in order. */
      results?: WasmRuleHit[][];
      /** The instance's heap after the call, for measurements. */
      heap?: number;
    }
  | { id: number; ok: false; error: string };
