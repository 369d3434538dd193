// The error a route throws to answer with a status and a reason (and, for 429 and 503, a Retry-After).
// Its own module so that the body worker can throw it without loading the store.

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
