/** What a photo of an entry shows. */
export const PHOTO_KINDS = ['overview', 'before', 'after', 'detail'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

/** Near-duplicate: at most this many of the 64 bits of the difference hash differ. */
export const NEAR_DUPLICATE_BITS = 6;

/** Bits that differ between two difference hashes (0 = same picture, ≤ 10 of 64 = near-duplicate). */
export function hashDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}

