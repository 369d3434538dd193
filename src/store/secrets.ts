// Random bearer secrets (API tokens, session cookies) and their stored form: only a hash is kept.

import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits: too many to guess, so a fast hash suffices to store them (passwords need scrypt). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
