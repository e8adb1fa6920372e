/**
 * Exact non-negative rationals for score arithmetic: means of integer points are fractions,
 * and a total is a sum of such means. Floating point would let 36.35 become 36.349999… and
 * flip a rank or a star band; these never drift.
 */
export interface Fraction {
  num: number;
  den: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

export function frac(num: number, den = 1): Fraction {
  if (!Number.isInteger(num) || !Number.isInteger(den) || den <= 0) throw new RangeError(`bad fraction ${num}/${den}`);
  const g = gcd(num, den) || 1;
  return { num: num / g, den: den / g };
}

export const add = (a: Fraction, b: Fraction): Fraction => frac(a.num * b.den + b.num * a.den, a.den * b.den);
export const compare = (a: Fraction, b: Fraction): number => Math.sign(a.num * b.den - b.num * a.den);
export const atLeast = (a: Fraction, points: number): boolean => a.num >= points * a.den;
export const toNumber = (a: Fraction): number => a.num / a.den;

/** One decimal, rounded half up, computed on integers: 36.35 → "36.4", 72/7 → "10.3". */
export function oneDecimal(a: Fraction): string {
  const tenths = Math.floor((a.num * 20 + a.den) / (2 * a.den));
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

export function mean(values: number[]): Fraction {
  return frac(values.reduce((s, v) => s + v, 0), values.length);
}
