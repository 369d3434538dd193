// NUL bytes in attacker-controlled text. PostgreSQL's text type refuses U+0000 (SQLite keeps it), so one NUL
// planted in a log by a webshell failed a whole bundle's ingest there. Stored text has each NUL written as
// the four characters `\x00` instead, as the reports already show control bytes, on both databases alike,
// so that an excerpt still says where the NUL was.

/** `\x00` for each NUL; other text unchanged. */
export function escapeNulText(s: string): string {
  return s.includes('\0') ? s.replaceAll('\0', '\\x00') : s;
}

/** A copy of a JSON-shaped value with NUL escaped in every string and key (only what changes is copied). */
export function escapeNul<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return escapeNulText(v);
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const w = walk(v[i]);
        if (w !== v[i]) (copy ??= v.slice())[i] = w;
      }
      return copy ?? v;
    }
    let changed = false;
    const next = Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      const k2 = escapeNulText(k);
      const x2 = walk(x);
      if (k2 !== k || x2 !== x) changed = true;
      return [k2, x2] as const;
    });
    return changed ? Object.fromEntries(next) : v;
  };
  return walk(value) as T;
}
