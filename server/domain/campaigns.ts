import { invalid } from './errors.ts';
import { dayRangeBounds, isValidDay, monthBounds, monthsBetween, MONTH_RE } from './time.ts';

export interface Criterion {
  key: string;
  name: string;
  nameEn: string;
  max: number;
  guidance: string;
}

/** DESIGN §3: hygiene 40, beautification 30, openness 15, cultural content 15. */
export const DEFAULT_RUBRIC: readonly Criterion[] = [
  { key: 'hygiene', name: '卫生情况', nameEn: 'Hygiene', max: 40, guidance: '院内外干净整洁，无垃圾杂物堆放，无污水，厕所卫生。' },
  { key: 'beautification', name: '美化情况', nameEn: 'Beautification', max: 30, guidance: '种花种草，绿化美化，物品摆放有序。' },
  { key: 'openness', name: '开放情况', nameEn: 'Openness', max: 15, guidance: '庭院开放，邻里可进可看，乐于分享经验。' },
  { key: 'culture', name: '文化内涵', nameEn: 'Cultural content', max: 15, guidance: '家风家训、乡土文化、闽南特色元素。' },
];

export interface StarBand {
  stars: number;
  minTotal: number;
}
export interface HalfYearStarRule {
  stars: number;
  minMonthsAwarded: number;
  minMeanTotal: number;
}
export type StarRule = { kind: 'bands'; bands: StarBand[] } | { kind: 'half_year'; levels: HalfYearStarRule[] };

export const DEFAULT_STAR_BANDS: StarBand[] = [
  { stars: 5, minTotal: 95 },
  { stars: 4, minTotal: 90 },
  { stars: 3, minTotal: 85 },
];
export const DEFAULT_HALF_YEAR_LEVELS: HalfYearStarRule[] = [
  { stars: 5, minMonthsAwarded: 5, minMeanTotal: 90 },
  { stars: 4, minMonthsAwarded: 4, minMeanTotal: 85 },
  { stars: 3, minMonthsAwarded: 3, minMeanTotal: 80 },
];

/** A reward attached to an award: environmental-improvement funds in fen, goods, or both. */
export interface RewardItem {
  fen: number | null;
  goods: string | null;
}

export interface RewardRules {
  /** For each monthly award (美丽庭院 of the month). */
  monthlyAward: RewardItem | null;
  /** For a star level, from single-format bands or half-year stars. */
  byStars: Array<{ stars: number } & RewardItem>;
}

export interface CampaignRules {
  passMark: number;
  quotaPerVillage: number | null;
  dailyLikeCap: number;
  quorum: number;
  dueDays: number;
  objectionDays: number;
  /** Whether a monthly award also earns an honor plate (stars always do). */
  monthlyPlates: boolean;
  rewards: RewardRules;
}

export const DEFAULT_RULES: CampaignRules = {
  passMark: 80,
  quotaPerVillage: null,
  dailyLikeCap: 30,
  quorum: 3,
  dueDays: 7,
  objectionDays: 5,
  monthlyPlates: false,
  rewards: { monthlyAward: null, byStars: [] },
};

/** A campaign's stored rules with defaults for what older campaigns did not store. */
export function rulesWithDefaults(stored: Partial<CampaignRules>): CampaignRules {
  return { ...DEFAULT_RULES, ...stored, rewards: { ...DEFAULT_RULES.rewards, ...stored.rewards } };
}

export type CampaignFormat = 'monthly' | 'single';

/** What a cadre sends (already shape-checked by the contract); every field but the core ones optional. */
export interface CampaignDraft {
  title: string;
  format: CampaignFormat;
  villageIds: string[];
  likeThreshold?: number | undefined;
  rubric?: Criterion[] | undefined;
  rules?: Partial<CampaignRules> | undefined;
  starRule?: StarRule | undefined;
  months?: { from: string; to: string } | undefined;
  window?: { from: string; to: string } | undefined;
}

export interface PlannedRound {
  seq: number;
  period: string;
  startsAt: number;
  endsAt: number;
}

export interface CampaignPlan {
  title: string;
  format: CampaignFormat;
  villageIds: string[];
  likeThreshold: number;
  rubric: Criterion[];
  rules: CampaignRules;
  starRule: StarRule;
  startsAt: number;
  endsAt: number;
  rounds: PlannedRound[];
}

export interface Problem {
  field: string;
  problem: string;
}

export const MAX_MONTHS = 24;

export function rubricTotal(rubric: readonly Criterion[]): number {
  return rubric.reduce((sum, c) => sum + c.max, 0);
}

/**
 * Whether villagers are told that the town, not their village, decides a campaign's results and
 * objections: a campaign of several villages is run by whoever manages them all, the town admin
 * (can.runCampaign); one village's by its cadres.
 */
export function runByTown(campaignVillages: readonly unknown[]): boolean {
  return campaignVillages.length > 1;
}

/** Who will answer, as a villager says it: 镇里 for a town's campaign, 村里 for a village's. */
export function whoDecides(campaignVillages: readonly unknown[]): '镇里' | '村里' {
  return runByTown(campaignVillages) ? '镇里' : '村里';
}

/**
 * Check a campaign's configuration as a whole (the contract checks each field's shape) and
 * plan its rounds: one per Shanghai calendar month (monthly) or one window (single).
 * Throws one 400 listing every problem found, so the cadre can fix them all at once.
 */
export function planCampaign(draft: CampaignDraft): CampaignPlan {
  const problems: Problem[] = [];
  const rubric = draft.rubric ?? DEFAULT_RUBRIC.map((c) => ({ ...c }));
  const likeThreshold = draft.likeThreshold ?? (draft.format === 'monthly' ? 50 : 0);
  const total = rubricTotal(rubric);
  // The default star lines are for a 100-point rubric; a rubric of another total gets them in proportion.
  const scale = (points: number) => Math.ceil((points * total) / 100);
  const starRule: StarRule =
    draft.starRule ??
    (draft.format === 'monthly'
      ? { kind: 'half_year', levels: DEFAULT_HALF_YEAR_LEVELS.map((l) => ({ ...l, minMeanTotal: scale(l.minMeanTotal) })) }
      : { kind: 'bands', bands: DEFAULT_STAR_BANDS.map((b) => ({ ...b, minTotal: scale(b.minTotal) })) });
  const rules: CampaignRules = rulesWithDefaults({ passMark: scale(DEFAULT_RULES.passMark), ...stripUndefined(draft.rules ?? {}) });

  if (new Set(draft.villageIds).size !== draft.villageIds.length) {
    problems.push({ field: 'villageIds', problem: '村庄列表中有重复。' });
  }

  const keys = new Set<string>();
  rubric.forEach((c, i) => {
    if (keys.has(c.key)) problems.push({ field: `rubric.${i}.key`, problem: `评分项「${c.key}」重复。` });
    keys.add(c.key);
    if (!Number.isInteger(c.max) || c.max <= 0) {
      problems.push({ field: `rubric.${i}.max`, problem: `评分项「${c.name}」的满分必须是正整数。` });
    }
  });
  if (rules.passMark > total) {
    problems.push({ field: 'rules.passMark', problem: `合格分 ${rules.passMark} 超过了评分表总分 ${total}。` });
  }
  const rewardProblem = (item: RewardItem, field: string) => {
    if (!item.fen && !item.goods?.trim()) problems.push({ field, problem: '奖励需填写金额（分）或奖品。' });
  };
  if (rules.rewards.monthlyAward) {
    if (draft.format !== 'monthly') problems.push({ field: 'rules.rewards.monthlyAward', problem: '月度奖励只用于按月评比。' });
    rewardProblem(rules.rewards.monthlyAward, 'rules.rewards.monthlyAward');
  }
  const rewardStars = new Set<number>();
  rules.rewards.byStars.forEach((r, i) => {
    if (rewardStars.has(r.stars)) problems.push({ field: `rules.rewards.byStars.${i}.stars`, problem: `${r.stars}星的奖励填写了两次。` });
    rewardStars.add(r.stars);
    rewardProblem(r, `rules.rewards.byStars.${i}`);
  });
  if (rules.monthlyPlates && draft.format !== 'monthly') problems.push({ field: 'rules.monthlyPlates', problem: '月度门牌只用于按月评比。' });
  if (likeThreshold < 0 || !Number.isInteger(likeThreshold)) {
    problems.push({ field: 'likeThreshold', problem: '点赞门槛必须是不小于 0 的整数（0 表示不设门槛）。' });
  }

  if (starRule.kind === 'bands') {
    if (draft.format !== 'single') {
      problems.push({ field: 'starRule', problem: '按月评比的星级按半年的月度结果评定，不能用分数段。' });
    }
    checkDescending(starRule.bands, 'starRule.bands', problems, (b) => b.minTotal);
    starRule.bands.forEach((b, i) => {
      if (b.minTotal > total) {
        problems.push({ field: `starRule.bands.${i}.minTotal`, problem: `${b.stars}星的分数线 ${b.minTotal} 超过了总分 ${total}。` });
      }
    });
  } else {
    if (draft.format !== 'monthly') {
      problems.push({ field: 'starRule', problem: '单次评比的星级按分数段评定，不能用半年规则。' });
    }
    checkDescending(starRule.levels, 'starRule.levels', problems, (l) => l.minMeanTotal);
    starRule.levels.forEach((l, i) => {
      if (l.minMonthsAwarded > 6) {
        problems.push({ field: `starRule.levels.${i}.minMonthsAwarded`, problem: '半年最多 6 个月。' });
      }
      if (l.minMeanTotal > total) {
        problems.push({ field: `starRule.levels.${i}.minMeanTotal`, problem: `平均分要求 ${l.minMeanTotal} 超过了总分 ${total}。` });
      }
    });
  }

  let rounds: PlannedRound[] = [];
  if (draft.format === 'monthly') {
    if (!draft.months) problems.push({ field: 'months', problem: '按月评比需要填写起止月份。' });
    if (draft.window) problems.push({ field: 'window', problem: '按月评比不使用评比时段，请填写起止月份。' });
    if (draft.months) {
      const { from, to } = draft.months;
      const fromOk = MONTH_RE.test(from);
      const toOk = MONTH_RE.test(to);
      if (!fromOk) problems.push({ field: 'months.from', problem: '起始月份格式应为 2026-05。' });
      if (!toOk) problems.push({ field: 'months.to', problem: '结束月份格式应为 2026-10。' });
      if (fromOk && toOk) {
        const months = monthsBetween(from, to);
        if (from > to) problems.push({ field: 'months.to', problem: '结束月份早于起始月份。' });
        else if (months.length > MAX_MONTHS) {
          problems.push({ field: 'months.to', problem: `一次活动最多 ${MAX_MONTHS} 个月。` });
        } else {
          rounds = months.map((period, i) => ({ seq: i + 1, period, ...monthBounds(period) }));
        }
      }
    }
  } else {
    if (!draft.window) problems.push({ field: 'window', problem: '单次评比需要填写评比起止日期。' });
    if (draft.months) problems.push({ field: 'months', problem: '单次评比不按月份分轮，请填写评比起止日期。' });
    if (draft.window) {
      const { from, to } = draft.window;
      const fromOk = isValidDay(from);
      const toOk = isValidDay(to);
      if (!fromOk) problems.push({ field: 'window.from', problem: '开始日期应为有效日期，如 2026-06-01。' });
      if (!toOk) problems.push({ field: 'window.to', problem: '结束日期应为有效日期，如 2026-06-30。' });
      if (fromOk && toOk) {
        if (from > to) problems.push({ field: 'window.to', problem: '结束日期早于开始日期。' });
        else rounds = [{ seq: 1, period: from, ...dayRangeBounds(from, to) }];
      }
    }
  }

  if (problems.length) {
    throw invalid('invalid_campaign', problems.map((p) => p.problem).join(' '), { problems });
  }
  return {
    title: draft.title.trim(),
    format: draft.format,
    villageIds: draft.villageIds,
    likeThreshold,
    rubric,
    rules,
    starRule,
    startsAt: rounds[0]!.startsAt,
    endsAt: rounds[rounds.length - 1]!.endsAt,
    rounds,
  };
}

/** Star levels must run from most stars to fewest, each asking no less than the one below. */
function checkDescending<T extends { stars: number }>(
  items: T[],
  field: string,
  problems: Problem[],
  threshold: (item: T) => number,
): void {
  if (items.length === 0) problems.push({ field, problem: '星级规则至少需要一档。' });
  items.forEach((item, i) => {
    const prev = items[i - 1];
    if (prev && !(prev.stars > item.stars && threshold(prev) >= threshold(item))) {
      problems.push({ field: `${field}.${i}`, problem: '星级须从高到低排列，星级越高要求不能越低。' });
    }
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const CAMPAIGN_EDGES = [
  { from: 'draft', to: 'open' },
  { from: 'open', to: 'closed' },
] as const;
