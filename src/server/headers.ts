// The headers every response carries, HTML and API alike: no framing by any page (clickjacking), no type
// sniffing, no referrer leaking a server's URL, nothing cached.

import type { FastifyReply } from 'fastify';

const FRAME = "frame-ancestors 'none'";

export function securityHeaders(reply: FastifyReply): void {
  // A route's own policy (the hand-off report's sandbox) is kept and given frame-ancestors too.
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp !== 'string' || csp === '') reply.header('content-security-policy', FRAME);
  else if (!/frame-ancestors/i.test(csp)) reply.header('content-security-policy', `${csp}; ${FRAME}`);
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
}
