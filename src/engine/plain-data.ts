// Parsed rules across a structured clone (to workers, to the cache file) with their objects' prototypes kept.

/**
 * Structured cloning (postMessage, v8.serialize) turns an object without prototype into a plain one. The
 * rule parser makes YAML mappings and detection identifiers prototype-less on purpose, so that a key named
 * `__proto__` or `constructor` stays a key and a lookup never finds Object.prototype's members: this
 * encoding says which objects were which, and `decodePlain` restores them exactly.
 */
type Encoded =
  | ['P', unknown]
  | ['N' | 'O', [string, Encoded][]]
  | ['A', Encoded[]]
  | ['M', [Encoded, Encoded][]]
  | ['S', Encoded[]];

export function encodePlain(v: unknown): Encoded {
  if (v === null || typeof v !== 'object') return ['P', v];
  if (Array.isArray(v)) return ['A', v.map(encodePlain)];
  if (v instanceof Map) return ['M', [...v].map(([k, x]) => [encodePlain(k), encodePlain(x)])];
  if (v instanceof Set) return ['S', [...v].map(encodePlain)];
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return ['P', v]; // RegExp, Date: cloned as they are
  return [
    proto === null ? 'N' : 'O',
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, encodePlain(x)]),
  ];
}

export function decodePlain(e: Encoded): unknown {
  switch (e[0]) {
    case 'P':
      return e[1];
    case 'A':
      return e[1].map(decodePlain);
    case 'M':
      return new Map(e[1].map(([k, x]) => [decodePlain(k), decodePlain(x)]));
    case 'S':
      return new Set(e[1].map(decodePlain));
    default: {
      const o: Record<string, unknown> = e[0] === 'N' ? (Object.create(null) as Record<string, unknown>) : {};
      // defineProperty: an own key `__proto__` must stay data, not set the prototype.
      for (const [k, x] of e[1])
        Object.defineProperty(o, k, {
          value: decodePlain(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return o;
    }
  }
}

export type { Encoded as PlainEncoded };
