// Parses the output of `yara -e -m -g -s`: rule lines with namespace, tags and meta, then matched strings.

import type { MetaValue, RawMatch } from './types.js';

/** `[a,b]` tags then `[k="v",n=5,f=true]` meta; quoted values may hold `,` `]` and escaped quotes. */
function parseBrackets(
  s: string,
  from: number,
): { tags: string[]; meta: Record<string, MetaValue>; end: number } {
  let i = from;
  const tags: string[] = [];
  const meta: Record<string, MetaValue> = {};
  const skip = () => {
    while (s[i] === ' ') i++;
  };
  skip();
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    tags.push(
      ...s
        .slice(i + 1, close)
        .split(',')
        .filter(Boolean),
    );
    i = close + 1;
  }
  skip();
  if (s[i] !== '[') return { tags, meta, end: i };
  i++;
  while (i < s.length && s[i] !== ']') {
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const key = s.slice(i, eq).trim();
    i = eq + 1;
    while (s[i] === ' ') i++;
    let value: MetaValue;
    if (s[i] === '"') {
      let v = '';
      for (i++; i < s.length && s[i] !== '"'; i++) {
        if (s[i] === '\\' && i + 1 < s.length) {
          const n = s[++i];
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        } else v += s[i];
      }
      i++;
      value = v;
    } else {
      let j = i;
      while (j < s.length && s[j] !== ',' && s[j] !== ']') j++;
      const raw = s.slice(i, j).trim();
      value = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw;
      i = j;
    }
    meta[key] = value;
    if (s[i] === ',') i++;
  }
  return { tags, meta, end: i + 1 };
}

/**
 * The output for one scanned file. Rule lines are `namespace:rule [tags] [meta] target`; string lines
 * are `0xOFFSET:$id: data` with non-printable bytes escaped by yara itself, so lines never break.
 */
export function parseYaraOutput(out: string, target: string): RawMatch[] {
  const matches: RawMatch[] = [];
  let cur: RawMatch | undefined;
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const s = /^0x([0-9a-f]+):(\$[\w]*):?\s?(.*)$/i.exec(line);
    if (s && cur) {
      cur.strings.push({ id: s[2]!, offset: parseInt(s[1]!, 16), data: s[3] ?? '' });
      continue;
    }
    const body = line.endsWith(` ${target}`) ? line.slice(0, -target.length - 1) : line;
    const m = /^([A-Za-z_][\w]*):([A-Za-z_][\w]*)/.exec(body);
    if (!m) continue;
    const { tags, meta } = parseBrackets(body, m[0].length);
    cur = { namespace: m[1]!, rule: m[2]!, tags, meta, strings: [] };
    matches.push(cur);
  }
  return matches;
}

/** `file.yar(12): error: ...` or `error: rule "x" in file.yar(12): ...` → line and message. */
export function parseCompileError(stderr: string): { line?: number; message: string } {
  const first = stderr.split('\n').find((l) => l.trim() !== '') ?? stderr;
  const line = /\((\d+)\):/.exec(first)?.[1];
  return { ...(line ? { line: Number(line) } : {}), message: first.replace(/^.*?\(\d+\):\s*/, '').trim() };
}
