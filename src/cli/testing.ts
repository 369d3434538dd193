// Test-only: runs a command with captured output, as the tests of each command need.

import { PassThrough } from 'node:stream';
import type { Io } from './io.js';

interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs `command` (main or one command's function) on `args` with both streams captured, not a terminal. */
export async function runCaptured(
  command: (args: string[], io: Io) => Promise<number>,
  args: string[],
): Promise<Captured> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  const code = await command(args, { out, err, outIsTty: false, errIsTty: false });
  return { code, out: Buffer.concat(chunks.out).toString(), err: Buffer.concat(chunks.err).toString() };
}
