import type { HalfYearStarRule, StarBand } from './campaigns.ts';
import { add, atLeast, frac, oneDecimal, type Fraction } from './fraction.ts';

export interface AwardCandidate {
  entryId: string;
  villageId: string;
  total: Fraction | null;
  rank: number | null;
  ranked: boolean;
  disqualified: boolean;
}

export interface AwardDecision {
  entryId: string;
  awarded: boolean;
  reason: string;
}

/**
 * Monthly award rule (DESIGN §3): winners are ranked, verified entries with a total at or
 * above the pass mark, at most `quota` per village if one is set, best first. Entries tied
 * at the quota's edge share the rank and are all awarded rather than split by chance.
 */
export function decideAwards(candidates: readonly AwardCandidate[], passMark: number, quota: number | null): AwardDecision[] {
  return candidates.map((c) => {
    if (c.disqualified) return { entryId: c.entryId, awarded: false, reason: '实地核实未通过' };
    if (!c.ranked || c.total === null || c.rank === null) return { entryId: c.entryId, awarded: false, reason: '评分表不足，未排名' };
    if (!atLeast(c.total, passMark)) return { entryId: c.entryId, awarded: false, reason: `总分 ${oneDecimal(c.total)} 低于合格分 ${passMark}` };
    if (quota !== null) {
      const better = candidates.filter((o) => o.villageId === c.villageId && o.ranked && !o.disqualified && o.total !== null && atLeast(o.total, passMark) && o.rank !== null && o.rank < c.rank!).length;
      if (better >= quota) return { entryId: c.entryId, awarded: false, reason: `总分 ${oneDecimal(c.total)}，本村第 ${c.rank} 名，超出每村 ${quota} 个名额` };
    }
    return { entryId: c.entryId, awarded: true, reason: `总分 ${oneDecimal(c.total)}，本村第 ${c.rank} 名，达到合格分 ${passMark}` };
  });
}

/** Single format: the star level of a total by score band, with the reason. Bands are ordered from most stars down. */
export function starsByBand(total: Fraction | null, bands: readonly StarBand[]): { stars: number; reason: string } {
  if (total === null) return { stars: 0, reason: '未评分' };
  const band = bands.find((b) => atLeast(total, b.minTotal));
  return band
    ? { stars: band.stars, reason: `总分 ${oneDecimal(total)}，达到 ${band.stars} 星线 ${band.minTotal} 分` }
    : { stars: 0, reason: `总分 ${oneDecimal(total)}，未达到最低星级线 ${bands.at(-1)?.minTotal ?? '—'} 分` };
}

export interface MonthResult {
  period: string;
  awarded: boolean;
  /** Null for a month the household was not scored. */
  total: Fraction | null;
}

/**
 * Half-year star courtyards (DESIGN §3): with m = months awarded and a = mean of the scored
 * totals, the first level whose months and mean are both met; the reason carries both figures.
 */
export function halfYearStars(months: readonly MonthResult[], levels: readonly HalfYearStarRule[], monthsInPeriod: number): { stars: number; reason: string; monthsAwarded: number; mean: Fraction | null } {
  const awarded = months.filter((m) => m.awarded).length;
  const scored = months.filter((m) => m.total !== null).map((m) => m.total!);
  const sum = scored.reduce(add, frac(0));
  const meanOf = scored.length ? frac(sum.num, sum.den * scored.length) : null;
  const facts = `${monthsInPeriod} 个月中获评 ${awarded} 个月，评分月份平均 ${meanOf ? oneDecimal(meanOf) : '—'} 分`;
  const level = meanOf ? levels.find((l) => awarded >= l.minMonthsAwarded && atLeast(meanOf, l.minMeanTotal)) : undefined;
  return {
    stars: level?.stars ?? 0,
    reason: level ? `${facts}，评为 ${level.stars} 星级庭院` : `${facts}，未达到星级要求`,
    monthsAwarded: awarded,
    mean: meanOf,
  };
}

/** Half-year period of a month: 2026-03 → 2026H1, 2026-08 → 2026H2. */
export function halfYearOf(month: string): string {
  const [y, m] = month.split('-');
  return `${y}H${Number(m) <= 6 ? 1 : 2}`;
}

/** The months of a half-year held so far whose results are not final: stars rest on settled months only. */
export function monthsNotFinal(held: ReadonlyArray<{ period: string; status: string }>): string[] {
  return held.filter((r) => r.status !== 'final').map((r) => r.period);
}

/** A half-year's stars can be worked out: it has months, and every one of them is final. */
export function halfYearReady(held: ReadonlyArray<{ period: string; status: string }>): boolean {
  return held.length > 0 && monthsNotFinal(held).length === 0;
}

export function monthsOfHalfYear(period: string): string[] {
  const m = /^(\d{4})H([12])$/.exec(period);
  if (!m) throw new RangeError(`not a half-year: ${period}`);
  const first = m[2] === '1' ? 1 : 7;
  return Array.from({ length: 6 }, (_, i) => `${m[1]}-${String(first + i).padStart(2, '0')}`);
}
