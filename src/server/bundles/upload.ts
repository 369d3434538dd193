// Streams an upload to a file while hashing it, stopping at the size limit: memory use stays flat.

import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HttpError } from '../auth.js';
import { FILE_MODE, privateDir } from '../file-modes.js';

export interface Received {
  file: string;
  sha256: string;
  size: number;
}

export async function receiveToFile(body: Readable, dir: string, maxBytes: number): Promise<Received> {
  await privateDir(dir);
  const file = path.join(dir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes)
        return done(new HttpError(413, `bundle larger than the limit of ${maxBytes} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(file, { mode: FILE_MODE }));
  } catch (e) {
    await rm(file, { force: true });
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new HttpError(413, `bundle larger than the limit of ${maxBytes} bytes`);
    throw e;
  }
  return { file, sha256: hash.digest('hex'), size };
}
