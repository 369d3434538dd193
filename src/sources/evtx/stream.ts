// `evtx dump` of a named pipe: read as a stream through the push parser, without ever blocking on it.
import fs from 'node:fs';
import { formatLocation, type Problem } from '../../core/problem.js';
import { describeError } from './errors.js';
import type { EvtxEvent } from './event.js';
import type { EvtxLimits } from './limits.js';
import { EvtxParser } from './parser.js';
import { JsonOut } from './render/out.js';

interface StreamStats {
  records: number;
  badRecords: number;
  errors: number;
}

interface StreamOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  limits: EvtxLimits;
  /** How long to wait for a writer to open the pipe before giving up on it. */
  writerWaitMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function write(out: NodeJS.WritableStream, data: Buffer): Promise<void> {
  if (data.length === 0) return;
  if (!out.write(data)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/**
 * Reads the FIFO at `file` to its end. It is opened non-blocking, since a blocking open waits for a
 * writer forever: a read then gives data, EAGAIN (a writer is there, with nothing yet), or 0 (end of
 * data, or no writer yet). Before any writer has shown itself, 0 means keep waiting, up to
 * `writerWaitMs`; after, it is the end. Problems and counts are those of the scan path's parser.
 */
export async function dumpStream(file: string, opts: StreamOptions): Promise<StreamStats> {
  const stats: StreamStats = { records: 0, badRecords: 0, errors: 0 };
  const json = new JsonOut(1 << 20);
  const problem = (p: Problem): void => {
    if (p.severity === 'error') stats.errors++;
    if (p.severity === 'error' && p.line !== undefined) stats.badRecords++;
    opts.err.write(
      `${formatLocation({ path: file, offset: p.offset })}: ${p.severity} ${p.code}: ${p.message}\n`,
    );
  };
  const record = (e: EvtxEvent): void => {
    const mark = json.pos;
    try {
      e.writeJson(json);
      json.byte(0x0a);
      stats.records++;
    } catch (err) {
      json.pos = mark;
      problem({
        code: 'evtx.bad-record',
        message: `event record ${e.ref.id}: ${describeError(err, e.offset - e.ref.offset)}`,
        offset: e.offset,
        line: e.ref.id,
        severity: 'error',
      });
    }
  };
  const parser = new EvtxParser(
    { path: file },
    { record: (r) => record(r as EvtxEvent), problem },
    opts.limits,
  );
  const flush = async (): Promise<void> => {
    await write(opts.out, Buffer.from(json.buf.subarray(0, json.pos)));
    json.pos = 0;
  };
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const buf = Buffer.allocUnsafe(1 << 16);
  let size = 0;
  let writerSeen = false;
  const deadline = Date.now() + opts.writerWaitMs;
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        writerSeen = true;
        await sleep(5);
        continue;
      }
      if (n > 0) {
        writerSeen = true;
        size += n;
        parser.push(buf.subarray(0, n));
        await flush();
        continue;
      }
      if (writerSeen) break;
      if (Date.now() >= deadline) {
        problem({
          code: 'evtx.no-writer',
          message: `named pipe: no writer opened it within ${opts.writerWaitMs} ms; nothing read`,
          offset: 0,
          severity: 'error',
        });
        return stats;
      }
      await sleep(20);
    }
  } catch (e) {
    problem({
      code: 'evidence.read-failed',
      message: `named pipe: reading stopped after ${size} bytes: ${describeError(e, 0)}`,
      offset: size,
      severity: 'error',
    });
  } finally {
    fs.closeSync(fd);
  }
  parser.end();
  await flush();
  return stats;
}
