// Turning an evidence stream into something an engine can scan (a buffer, or a temp file for large ones), and zip listings.

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { ZipFile } from 'yauzl';

export interface Materialised {
  buf?: Buffer;
  file?: string;
  dispose(): Promise<void>;
}

/** Refuses to read more than `max` bytes, whatever size the evidence claimed. */
async function readAll(stream: NodeJS.ReadableStream | Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) throw new Error(`more than ${max} bytes`);
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts, n);
}

/**
 * Small files are held in memory; larger ones (or every file, for engines that only scan paths) are
 * streamed to a private temp file, so a multi-gigabyte dump never sits in memory whole.
 */
export async function materialise(
  read: () => Promise<NodeJS.ReadableStream | Readable>,
  size: number,
  opts: { memLimit: number; needFile: boolean; maxSize: number },
): Promise<Materialised> {
  if (!opts.needFile && size <= opts.memLimit) {
    const buf = await readAll(await read(), Math.min(opts.memLimit, opts.maxSize));
    return { buf, dispose: () => Promise.resolve() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-yscan-'));
  const file = join(dir, 'target');
  let written = 0;
  try {
    const src = (await read()) as Readable;
    const cap = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        written += chunk.length;
        if (written > opts.maxSize) throw new Error(`more than ${opts.maxSize} bytes`);
        yield chunk;
      }
    };
    await pipeline(src, cap, createWriteStream(file, { mode: 0o600 }));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return { file, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** First line of a listing, so rules can tell a listing from file content (`$h at 0`). */
export const LISTING_HEADER = 'EXHUNT-ZIP-LISTING\n';
const MAX_LISTED = 100_000;

export function looksLikeZip(path: string, head: Buffer | undefined): boolean {
  if (head && head.length >= 4) return head.readUInt32LE(0) === 0x04034b50;
  return path.toLowerCase().endsWith('.zip');
}

/**
 * The names in a zip's central directory, one per line after the header. Names are taken as bytes and
 * decoded without yauzl's checks: a hostile name (`../x`, `C:\x`) is exactly what a rule may look for.
 */
export async function zipListing(m: Materialised): Promise<string | undefined> {
  let zip: ZipFile;
  try {
    const opts = { lazyEntries: true, autoClose: false, decodeStrings: false };
    zip = m.buf ? await yauzl.fromBufferPromise(m.buf, opts) : await yauzl.openPromise(m.file!, opts);
  } catch {
    return undefined; // not a zip after all, or its directory is damaged: content scanning still ran
  }
  const names: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => {
        const raw = e.fileName as unknown as Buffer;
        const utf8 = (e.generalPurposeBitFlag & 0x800) !== 0;
        names.push(raw.toString(utf8 ? 'utf8' : 'latin1').replace(/[\r\n]/g, ' '));
        if (names.length >= MAX_LISTED) resolve();
        else zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch {
    // A directory damaged part-way: what was read is still worth scanning.
  } finally {
    zip.close();
  }
  return LISTING_HEADER + names.map((n) => `${n}\n`).join('');
}
