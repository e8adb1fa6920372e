import { decideAwards, halfYearStars, starsByBand, type MonthResult } from './awards.ts';
import type { CampaignFormat, CampaignRules, RewardItem, StarRule } from './campaigns.ts';
import { conflict, type DomainError } from './errors.ts';
import { frac, oneDecimal, type Fraction } from './fraction.ts';
import { rankEntries, type EntryScore } from './scoring.ts';
import { chineseDayOf, parseDay, shanghaiDayOf, shanghaiDayStart } from './time.ts';

export type ResultKind = 'round' | 'half_year';
export type ResultStatus = 'draft' | 'announced' | 'final';

/** Results everyone may read: announced (公示) and final ones. A draft is its campaign's cadres' alone. */
export const PUBLISHED_STATUSES = ['announced', 'final'] as const satisfies readonly ResultStatus[];

/** Where a period is named: beside its campaign's title (a heading under which the title stands), or on its own. */
export type PeriodPlace = 'beside_title' | 'alone';

/** A result or a round, as much as naming its period takes. */
export interface PeriodOf {
  kind: ResultKind;
  /** 2026H1, 2026-10, or a single round's first day 2026-11-28 */
  period: string;
  campaignTitle: string;
}

/** The words of months and half-years in one language: the server's are Chinese, the web brings its English. */
export interface PeriodWords {
  month(year: number, month: number): string;
  halfYear(year: number, half: 1 | 2): string;
}

export const CHINESE_PERIOD_WORDS: PeriodWords = {
  month: (year, month) => `${year}年${month}月`,
  halfYear: (year, half) => `${year}年${half === 1 ? '上' : '下'}半年`,
};

/** Whether this is a single evaluation's one round (known by its campaign), not a month or a half-year. */
export function isSingleRound(p: Pick<PeriodOf, 'kind' | 'period'>): boolean {
  return p.kind === 'round' && !isMonth(p.period);
}

/**
 * A result's or a round's period as people say it. Months and half-years by themselves
 * (2026年10月, 2026年上半年). A single evaluation has no period anyone knows it by, only its
 * name (岭畔村2026年最美卫生庭院评比): beside that name it is nothing, on its own it is the name.
 */
export function periodLabel(p: PeriodOf, place: PeriodPlace = 'alone', words: PeriodWords = CHINESE_PERIOD_WORDS): string {
  const year = Number(p.period.slice(0, 4));
  if (p.kind === 'half_year') return words.halfYear(year, p.period.endsWith('1') ? 1 : 2);
  if (isMonth(p.period)) return words.month(year, Number(p.period.slice(5)));
  return place === 'beside_title' ? '' : p.campaignTitle;
}

/** A period in a file's name: months and half-years by their code (2026-10, 2026H1, which sort), a single evaluation by its name. */
export function periodInFileName(p: PeriodOf): string {
  return isSingleRound(p) ? periodLabel(p) : p.period;
}

/** Whether a round's period is a month (a monthly contest), not a single round's first day. */
export function isMonth(period: string): boolean {
  return /^\d{4}-\d{2}$/.test(period);
}

export function isPublished(status: ResultStatus): boolean {
  return (PUBLISHED_STATUSES as readonly ResultStatus[]).includes(status);
}

/** The same rule inside SQL: `status in (${PUBLISHED_SQL})` (constants, never input). */
export const PUBLISHED_SQL = PUBLISHED_STATUSES.map((s) => `'${s}'`).join(', ');

/** A qualified entry of a round with its score, before ranking. */
export interface ScoredEntry {
  entryId: string;
  villageId: string;
  householdId: string;
  headName: string;
  qualifiedAt: number;
  score: EntryScore;
}

/** One household's line in a result set: every figure behind it and the reason in words. */
export interface ResultLine {
  householdId: string;
  villageId: string;
  entryId: string | null;
  rank: number | null;
  total: Fraction | null;
  criteria: Array<{ key: string; name: string; max: number; mean: string }>;
  sheets: number;
  awarded: boolean;
  stars: number;
  reason: string;
  detail: Record<string, unknown>;
  excludedReason: string | null;
}

/**
 * Ranks within each village among ranked entries (DESIGN §3 ties: total, then hygiene mean,
 * then the earlier qualification). The first rubric criterion is hygiene.
 */
export function rankWithinVillages(scored: readonly ScoredEntry[], hygieneKey: string | undefined): Map<string, number> {
  const ranks = new Map<string, number>();
  const byVillage = new Map<string, ScoredEntry[]>();
  for (const s of scored) {
    if (!s.score.ranked) continue;
    const group = byVillage.get(s.villageId) ?? [];
    byVillage.set(s.villageId, group);
    group.push(s);
  }
  for (const group of byVillage.values()) {
    const ranked = rankEntries(
      group.map((g) => ({
        id: g.entryId,
        total: g.score.total ?? frac(0),
        hygiene: g.score.criteria.find((c) => c.key === hygieneKey)?.mean ?? frac(0),
        qualifiedAt: g.qualifiedAt,
      })),
    );
    for (const r of ranked) ranks.set(r.id, r.rank);
  }
  return ranks;
}

/**
 * A round's result lines. Entries taken out by an upheld objection are left out of the
 * ranking (the others move up) and keep a line that says why. Monthly rounds decide awards
 * by the pass mark and quota; single rounds give stars by score band.
 */
export function roundLines(
  scored: readonly ScoredEntry[],
  campaign: { format: CampaignFormat; rules: CampaignRules; starRule: StarRule; hygieneKey: string | undefined },
  excluded: ReadonlyMap<string, string>,
): ResultLine[] {
  const inPlay = scored.filter((s) => !excluded.has(s.householdId));
  const ranks = rankWithinVillages(inPlay, campaign.hygieneKey);
  const decisions = new Map(
    decideAwards(
      inPlay.map((s) => ({
        entryId: s.entryId,
        villageId: s.villageId,
        total: s.score.total,
        rank: ranks.get(s.entryId) ?? null,
        ranked: s.score.ranked,
        disqualified: s.score.disqualified,
      })),
      campaign.rules.passMark,
      campaign.rules.quotaPerVillage,
    ).map((d) => [d.entryId, d]),
  );
  return scored.map((s): ResultLine => {
    const base = {
      householdId: s.householdId,
      villageId: s.villageId,
      entryId: s.entryId,
      total: s.score.total,
      criteria: s.score.criteria.map((c) => ({ key: c.key, name: c.name, max: c.max, mean: c.display })),
      sheets: s.score.sheets,
      detail: { explanation: s.score.explanation, disqualified: s.score.disqualified },
    };
    const excludedReason = excluded.get(s.householdId);
    if (excludedReason !== undefined) {
      return { ...base, rank: null, awarded: false, stars: 0, reason: `经异议核实取消：${excludedReason}`, excludedReason };
    }
    const rank = ranks.get(s.entryId) ?? null;
    const decision = decisions.get(s.entryId)!;
    if (campaign.format === 'monthly' || campaign.starRule.kind !== 'bands') {
      return { ...base, rank, awarded: decision.awarded, stars: 0, reason: decision.reason, excludedReason: null };
    }
    // Single format: star level by band, for ranked entries that passed the on-site check.
    if (!decision.awarded && (s.score.disqualified || !s.score.ranked)) {
      return { ...base, rank, awarded: false, stars: 0, reason: decision.reason, excludedReason: null };
    }
    const band = starsByBand(s.score.total, campaign.starRule.bands);
    const rankNote = rank !== null ? `，本村第 ${rank} 名` : '';
    return { ...base, rank, awarded: band.stars > 0, stars: band.stars, reason: band.reason + rankNote, excludedReason: null };
  });
}

/** A household's monthly results over a half-year, as the star rule reads them. */
export interface HalfYearInput {
  householdId: string;
  villageId: string;
  months: Array<MonthResult & { rank: number | null }>;
}

/** Half-year star courtyards (DESIGN §3): one line per household that took part in any month. */
export function halfYearLines(
  households: readonly HalfYearInput[],
  levels: Extract<StarRule, { kind: 'half_year' }>['levels'],
  monthsInPeriod: number,
  excluded: ReadonlyMap<string, string>,
): ResultLine[] {
  return households.map((h): ResultLine => {
    const stars = halfYearStars(h.months, levels, monthsInPeriod);
    const detail = {
      monthsAwarded: stars.monthsAwarded,
      monthsInPeriod,
      mean: stars.mean ? oneDecimal(stars.mean) : null,
      months: h.months.map((m) => ({ period: m.period, awarded: m.awarded, total: m.total ? oneDecimal(m.total) : null })),
    };
    const common = { householdId: h.householdId, villageId: h.villageId, entryId: null, rank: null, total: stars.mean, criteria: [], sheets: 0, detail };
    const excludedReason = excluded.get(h.householdId);
    if (excludedReason !== undefined) {
      return { ...common, awarded: false, stars: 0, reason: `经异议核实取消：${excludedReason}`, excludedReason };
    }
    return { ...common, awarded: stars.stars > 0, stars: stars.stars, reason: stars.reason, excludedReason: null };
  });
}

/**
 * The objection period (公示期) runs to the end of the Nth Shanghai calendar day after the
 * day of announcement: announced on 8 August with 5 days, objections are taken until
 * 13 August 23:59:59 +08:00. Whole days read plainly on a notice board.
 */
export function objectionDeadline(announcedAt: number, days: number): number {
  const [y, m, d] = parseDay(shanghaiDayOf(announcedAt));
  return shanghaiDayStart(y, m, d + days + 1) - 1;
}

/** Whether objections are taken now: results announced and the period still running. */
export function objectionPeriodOpen(result: { status: ResultStatus; objectionDeadline: number | null }, now: number): boolean {
  return result.status === 'announced' && (result.objectionDeadline === null || now <= result.objectionDeadline);
}

/** Whether an objection may be filed now: only while the results are announced and the period runs. */
export function assertMayObject(result: { status: ResultStatus; objectionDeadline: number | null }, now: number): void {
  if (result.status === 'draft') throw conflict('not_announced', '结果尚未公示，还不能提出异议。');
  if (result.status === 'final') throw conflict('results_final', '结果已定稿，公示期已结束，不能再提出异议。');
  if (result.objectionDeadline !== null && now > result.objectionDeadline) {
    throw conflict('objection_period_over', `公示期已于 ${chineseDayOf(result.objectionDeadline)}结束，不能再提出异议。`);
  }
}

/**
 * Finalising (定稿) locks results: only once the objection period is over and every objection
 * has been upheld or dismissed.
 */
/** Why finalising (定稿) would be refused now, or null when it may be done. */
export function finalizeRefusal(result: { status: ResultStatus; objectionDeadline: number | null }, openObjections: number, now: number): DomainError | null {
  if (result.status === 'draft') return conflict('not_announced', '结果需先公示，公示期满后才能定稿。');
  if (result.status === 'final') return conflict('results_final', '结果已经定稿。');
  if (openObjections > 0) return conflict('objections_open', `还有 ${openObjections} 条异议未处理，处理完毕后才能定稿。`, { openObjections });
  if (result.objectionDeadline !== null && now <= result.objectionDeadline) {
    return conflict('objection_period_running', `公示期到 ${chineseDayOf(result.objectionDeadline)}结束，期满后才能定稿。`);
  }
  return null;
}

export function assertMayFinalize(result: { status: ResultStatus; objectionDeadline: number | null }, openObjections: number, now: number): void {
  const refusal = finalizeRefusal(result, openObjections, now);
  if (refusal) throw refusal;
}

/** Results may be (re)computed as a draft while the round is being scored or has closed, never once announced. */
export function assertMayCompute(status: ResultStatus | null): void {
  if (status === 'announced') throw conflict('results_announced', '结果已公示，只能通过处理异议更改。');
  if (status === 'final') throw conflict('results_final', '结果已定稿，不能再更改。');
}

/** The reward an award earns under the campaign's rules, or null. */
export function rewardFor(rules: CampaignRules, line: Pick<ResultLine, 'awarded' | 'stars'>, kind: 'monthly_award' | 'stars'): RewardItem | null {
  if (!line.awarded) return null;
  if (kind === 'monthly_award') return rules.rewards.monthlyAward;
  const r = rules.rewards.byStars.find((b) => b.stars === line.stars);
  return r ? { fen: r.fen, goods: r.goods } : null;
}

/** A reward in words, as a household reads it: 100.00 元, 三星级荣誉门牌, or both. */
export function rewardWords(fen: number | null, goods: string | null): string {
  const money = fen === null ? '' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')} 元`;
  return [money, goods ?? ''].filter(Boolean).join(' + ');
}
