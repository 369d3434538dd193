// A feed file's bytes as text, as the feed parsers want it.

/** UTF-8, or UTF-16 when the file says so with its byte order mark (as Windows tools write lists). */
export function feedText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return bytes.toString('utf8');
}
