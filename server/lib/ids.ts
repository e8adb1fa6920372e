import { createHash, randomBytes, randomInt } from 'node:crypto';

// Random bytes drawn a page at a time: ids are made on the busiest path (every like).
let pool = Buffer.alloc(0);
let offset = 0;

/** An opaque, URL-safe identifier with a short prefix that says what it names (hh_…, lk_…). */
export function newId(prefix: string): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const id = pool.subarray(offset, offset + 12).toString('base64url');
  offset += 12;
  return `${prefix}_${id}`;
}

/**
 * An identifier that sorts by creation time (base-36 milliseconds, then 8 random characters),
 * for rows written in bulk: each new key lands at the right edge of the primary-key index
 * instead of on a random page, so a group commit of likes writes a few pages, not one per like.
 */
export function newTimeOrderedId(prefix: string, now: number): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${newId('').slice(1, 9)}`;
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
