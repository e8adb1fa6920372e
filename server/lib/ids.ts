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
