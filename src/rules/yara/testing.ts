// Test helpers for the YARA backend contract suites: each engine's opener, and why it is skipped when absent.

import { Readable } from 'node:stream';
import yazl from 'yazl';
import { openYara } from './scanner.js';
import type { OpenYaraOptions } from './scanner.js';
import type { BackendName, YaraScanner } from './types.js';

export const reader = (buf: Buffer) => () => Promise.resolve(Readable.from([buf]));

export function zipOf(names: string[]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const n of names) z.addBuffer(Buffer.from(`content of ${n}`), n);
  z.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => parts.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    z.outputStream.on('error', reject);
  });
}

const BACKEND_NAMES: readonly BackendName[] = ['yara-x', 'yara-wasm', 'yara-cli'];

export interface Engine {
  name: BackendName;
  open(o?: Partial<OpenYaraOptions>): Promise<YaraScanner>;
  /** The reason to skip this engine's tests (it is not installed here), or false. */
  skip: string | false;
}

/** Every engine, probed once: a contract test runs against each and skips, saying why, where one is absent. */
export async function engines(): Promise<Engine[]> {
  const out: Engine[] = [];
  for (const name of BACKEND_NAMES) {
    const open = async (o: Partial<OpenYaraOptions> = {}) => {
      const y = await openYara({ rules: [], maxSize: 1 << 20, backend: name, ...o });
      if ('unavailable' in y) throw new Error(y.unavailable);
      return y;
    };
    const probe = await openYara({ rules: [], maxSize: 1, builtin: false, backend: name });
    const skip = 'unavailable' in probe ? `${name} is not installed here: ${probe.unavailable}` : false;
    if (!('unavailable' in probe)) await probe.close();
    out.push({ name, open, skip });
  }
  return out;
}
