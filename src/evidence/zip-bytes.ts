// Positional reads of the bundle file, through a small window so that many small headers cost few reads.

import { read } from 'node:fs';

const WINDOW = 1 << 20;

function readAt(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

export class Bytes {
  private win = Buffer.alloc(0);
  private winAt = 0;
  /** Bytes read so far, for the budget of a damaged bundle's recovery scan. */
  scanned = 0;

  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}

  /**
   * `length` bytes at `pos`, fewer at the end of the file; the result may be a view of the window. On a miss
   * the window moves to `pos` and takes `ahead` bytes: a full megabyte for a walk through neighbouring
   * headers, a page for headers far apart (one per entry of a bundle of large files).
   */
  async at(pos: number, length: number, ahead = WINDOW): Promise<Buffer> {
    const end = Math.min(this.size, pos + length);
    if (pos < 0 || pos >= end) return Buffer.alloc(0);
    if (pos >= this.winAt && end <= this.winAt + this.win.length)
      return this.win.subarray(pos - this.winAt, end - this.winAt);
    if (end - pos > WINDOW / 4) return this.exact(pos, end - pos);
    const len = Math.min(Math.max(ahead, end - pos), this.size - pos);
    const buf = Buffer.allocUnsafe(len);
    const n = await readAt(this.fd, buf, len, pos);
    this.scanned += n;
    this.win = buf.subarray(0, n);
    this.winAt = pos;
    return this.win.subarray(0, Math.min(n, end - pos));
  }

  /** A fresh buffer of exactly the bytes there are at [pos, pos + length). */
  async exact(pos: number, length: number): Promise<Buffer> {
    const len = Math.max(0, Math.min(length, this.size - pos));
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = await readAt(this.fd, buf.subarray(got), len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    this.scanned += got;
    return buf.subarray(0, got);
  }

  /** First offset in [from, to) where `sig` starts and ends before `to`, or -1. */
  async find(sig: Buffer, from: number, to: number): Promise<number> {
    const step = WINDOW - sig.length;
    for (let pos = from; pos + sig.length <= to; pos += step) {
      const b = await this.at(pos, Math.min(WINDOW, to - pos));
      const i = b.indexOf(sig);
      if (i >= 0) return pos + i;
      if (b.length < WINDOW) return -1;
    }
    return -1;
  }
}
