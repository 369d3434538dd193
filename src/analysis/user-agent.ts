// User agents compared across logs that write them differently.

/** User agents compared loosely: HttpProxy writes the commas of a user agent as spaces, IIS as `+`. */
export function normaliseUserAgent(ua: string): string {
  return ua.toLowerCase().replace(/[+,]/g, ' ').replace(/\s+/g, ' ').trim();
}
