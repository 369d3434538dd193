// The body of a feed upload, raw or as the one file of a form, read whole up to the feed size limit.

import type { Readable } from 'node:stream';
import { HttpError } from '../auth.js';
import type { Call } from '../route.js';

/** Feeds are parsed in the request and kept in the database: 20 MiB holds hundreds of thousands of values. */
export const MAX_FEED_BYTES = 20 * 1024 * 1024;
/** Content types streamed to the route unparsed (besides the bundles' octet-stream). */
export const FEED_TYPES = ['text/csv', 'application/stix+json'];

interface FeedUpload {
  bytes: Buffer;
  /** The form's file name, when the feed came as a form. */
  filename?: string;
}

const tooLarge = (max: number) => new HttpError(413, `feed larger than the limit of ${max} bytes`);

async function readCapped(body: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const c of body) {
      const chunk = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
      size += chunk.length;
      if (size > max) {
        body.destroy();
        throw tooLarge(max);
      }
      parts.push(chunk);
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(max);
    throw e;
  }
  return Buffer.concat(parts);
}

/**
 * The feed's bytes as sent (JSON included: the route takes it raw), so the lines of any problem refer to
 * the text that is stored. A JSON value parsed elsewhere is written back out, two-space indented.
 */
export async function feedUpload(call: Call, max: number): Promise<FeedUpload> {
  const multipart = call.req.isMultipart();
  // A form's boundaries and headers come on top of the file.
  if (Number(call.req.headers['content-length']) > max + (multipart ? 64 * 1024 : 0)) throw tooLarge(max);
  if (multipart) {
    const part = await call.req.file({ limits: { fileSize: max, files: 1 } });
    if (!part) throw new HttpError(400, 'the multipart body has no file');
    const bytes = await readCapped(part.file, max);
    if (part.file.truncated) throw tooLarge(max);
    return { bytes, ...(part.filename ? { filename: part.filename } : {}) };
  }
  const body = call.req.body;
  if (body === undefined || body === null || body === '')
    throw new HttpError(400, 'send the feed as the body (raw, or as the one file of a form)');
  if (typeof (body as Readable).pipe === 'function')
    return { bytes: await readCapped(body as Readable, max) };
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8') };
  // JSON arrives as its bytes (the route's rawJson), stored as sent.
  if (Buffer.isBuffer(body)) return { bytes: body };
  // Within the limit as sent (Fastify checked): indenting it may make it larger, which is no reason to refuse.
  return { bytes: Buffer.from(JSON.stringify(body, null, 2), 'utf8') };
}

export { feedText } from './feed-text.js';
