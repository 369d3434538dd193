// RFC-4180 field splitting for one CSV line: quoted fields with commas and doubled quotes.

/** Splits one CSV line. A line without quotes takes the fast path. */
export function splitCsv(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line.charCodeAt(i) === 34) {
      // quoted field
      let value = '';
      let j = i + 1;
      while (j < n) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          value += line.slice(j);
          j = n;
          break;
        }
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // Text after the closing quote up to the next comma is kept rather than lost.
      const comma = line.indexOf(',', j);
      const end = comma < 0 ? n : comma;
      out.push(end > j ? value + line.slice(j, end) : value);
      i = end + 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? n : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** True when the line ends inside an open quoted field, so the record continues on the next line. */
export function hasOpenQuote(line: string): boolean {
  let open = false;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) open = !open;
  return open;
}
