// RFC-4180 CSV as Exchange writes its logs: quote a field only when it holds a comma, quote or line break.

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(values: readonly string[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) s += ',';
    s += csvField(values[i] as string);
  }
  return s;
}

/** Split one CSV record; used by the tests to prove rows round-trip. */
export function parseCsvRow(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unclosed quote in: ${line.slice(0, 80)}`);
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line[i] !== ',') throw new Error(`text after a closing quote at ${i}: ${line.slice(0, 80)}`);
      i++;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

/** Exchange's key-value blobs (ECP EventData) wrap a pair in single quotes when its value needs it. */
export function kvPair(key: string, value: string): string {
  const pair = `S:${key}=${value}`;
  return /[';,"\r\n]/.test(value) ? `'${pair.replace(/'/g, "''")}'` : pair;
}
