// PowerShell `-like` semantics (case-insensitive, `*` and `?`), compiled once per pattern and cached.

const cache = new Map<string, RegExp>();

export function like(value: string, pattern: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[\\s\\S]*')
      .replace(/\?/g, '[\\s\\S]');
    re = new RegExp(`^${body}$`, 'i');
    cache.set(pattern, re);
  }
  return re.test(value);
}
