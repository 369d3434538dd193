// Targets named by the user: parse `host`, `host:port`, `[v6]:port` or an http(s) URL; stream them from a file.

import { createReadStream } from 'node:fs';
import { isIP } from 'node:net';

export interface Target {
  /** As the user wrote it. */
  input: string;
  protocol: 'https:' | 'http:';
  /** Host name or address, IPv6 without brackets. */
  host: string;
  port: number;
  /** `https://host:port`, the base every probe path is appended to. */
  origin: string;
}

/** Parses one target; a string with the reason when it cannot be a target. */
export function parseTarget(input: string): Target | string {
  const text = input.trim();
  if (!text) return 'empty target';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return `not a host or URL: ${text}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `unsupported scheme ${url.protocol}`;
  if (url.username || url.password) return 'credentials in the URL are not used; remove them';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return `no host in ${text}`;
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  return { input: text, protocol: url.protocol, host, port, origin: `${url.protocol}//${hostPart}:${port}` };
}

/**
 * Lines of a targets file, one target a line, `#` comments and blank lines skipped. The file is pulled one
 * chunk at a time as the consumer asks, so memory stays bounded whatever its length.
 */
export async function* readTargetLines(path: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const text = rest + (chunk as string);
    const lines = text.split(/\r?\n/);
    rest = lines.pop() ?? '';
    if (rest.length > 64 * 1024) throw new Error(`${path}: a line longer than 64 KiB`);
    for (const line of lines) {
      const t = line.replace(/#.*/, '').trim();
      if (t) yield t;
    }
  }
  const t = rest.replace(/#.*/, '').trim();
  if (t) yield t;
}
