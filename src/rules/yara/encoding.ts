// Rule files and webshell-like fixtures are stored XOR-ed and base64-encoded, so antivirus does not quarantine them.

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** First line of an encoded file; the key is one byte in hex. */
const HEADER = /^exhunt-encoded xor=([0-9a-f]{2})\r?\n/i;
const KEY = 0x5a;

/**
 * XOR with one byte then base64: the stored bytes contain none of the strings a scanner looks for, and
 * anyone can decode them with a one-liner. This is a storage format, not secrecy.
 */
export function encodeAtRest(data: string | Buffer, key = KEY): string {
  const bytes = Buffer.from(data);
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i]! ^ key;
  const b64 = out.toString('base64').replace(/.{1,76}/g, '$&\n');
  return `exhunt-encoded xor=${key.toString(16).padStart(2, '0')}\n${b64}`;
}

/** Decodes `encodeAtRest` output; text without the header is taken as plain base64. */
export function decodeAtRest(text: string): Buffer {
  const m = HEADER.exec(text);
  const body = (m ? text.slice(m[0].length) : text).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new Error('not base64');
  const bytes = Buffer.from(body, 'base64');
  if (m) {
    const key = parseInt(m[1]!, 16);
    for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ key;
  }
  return bytes;
}

/** `node dist/src/rules/yara/encoding.js encode|decode IN OUT`: how the files in rules/yara are made and read. */
function main(argv: string[]): void {
  const [cmd, input, output] = argv;
  if ((cmd !== 'encode' && cmd !== 'decode') || !input || !output) {
    process.stderr.write('usage: encoding.js encode|decode IN OUT\n');
    process.exitCode = 2;
    return;
  }
  const data = readFileSync(input);
  writeFileSync(output, cmd === 'encode' ? encodeAtRest(data) : decodeAtRest(data.toString('latin1')));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
