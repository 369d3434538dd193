// Earliest and latest timestamp among lines read in place: compared as text, a string made only for a new extreme.

export class TimeRange {
  min: string | undefined;
  max: string | undefined;
  count = 0;

  /** Takes the `len` characters at `start` as a sortable timestamp (ISO or W3C `date time`). */
  consider(text: string, start: number, len: number): void {
    this.count++;
    if (this.min === undefined || compareAt(text, start, len, this.min) < 0)
      this.min = text.slice(start, start + len);
    if (this.max === undefined || compareAt(text, start, len, this.max) > 0)
      this.max = text.slice(start, start + len);
  }

  reset(): void {
    this.min = this.max = undefined;
    this.count = 0;
  }
}

function compareAt(text: string, start: number, len: number, key: string): number {
  for (let i = 0; i < len; i++) {
    const d = text.charCodeAt(start + i) - key.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}

/** Fields separated by `sep` in `text[start, end)`, counted without making strings. */
export function countFieldsAt(text: string, start: number, end: number, sep: string): number {
  let n = 1;
  for (let i = text.indexOf(sep, start); i >= 0 && i < end; i = text.indexOf(sep, i + 1)) n++;
  return n;
}
