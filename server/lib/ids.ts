import { createHash, randomBytes, randomInt } from 'node:crypto';

/** An opaque, URL-safe identifier with a short prefix that says what it names (hh_…, cp_…). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** A session token: 32 random bytes. Only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A 6-digit one-time code, uniformly drawn. */
export function newOtpCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
