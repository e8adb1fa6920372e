import { z } from 'zod';
import { CampaignFormat, CampaignStatus, Instant, int, Reason, RoundStatus, visibleText } from './common.ts';
import { HIDDEN_CHARACTER_PROBLEM } from '../domain/text.ts';


export const CriterionInput = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, '评分项标识应为小写英文字母开头的短词，如 hygiene。'),
    name: z.string().trim().min(1, '请填写评分项名称。').max(20, '评分项名称最多 20 个字。').refine(visibleText(false), `评分项名称${HIDDEN_CHARACTER_PROBLEM}`),
    nameEn: z.string().trim().max(40).refine(visibleText(false), `评分项英文名称${HIDDEN_CHARACTER_PROBLEM}`).default(''),
    max: int('满分', 1, 100),
    guidance: z.string().trim().max(300, '评分说明最多 300 字。').refine(visibleText(true), `评分说明${HIDDEN_CHARACTER_PROBLEM}`).default(''),
  })
  .strict();

const RewardItemInput = z
  .object({
    fen: int('奖励金额（分）', 1, 100_000_000).nullable().default(null),
    goods: z.string().trim().max(60, '奖品名称最多 60 个字。').refine(visibleText(false), `奖品名称${HIDDEN_CHARACTER_PROBLEM}`).nullable().default(null),
  })
  .strict();

export const StarRuleInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('bands'),
      bands: z.array(z.object({ stars: int('星级', 1, 5), minTotal: int('分数线', 0, 1000) }).strict()).min(1).max(5),
    })
    .strict(),
  z
    .object({
      kind: z.literal('half_year'),
      levels: z
        .array(
          z
            .object({ stars: int('星级', 1, 5), minMonthsAwarded: int('获评月数', 1, 6), minMeanTotal: int('平均分', 0, 1000) })
            .strict(),
        )
        .min(1)
        .max(5),
    })
    .strict(),
]);

export const CampaignCreate = z
  .object({
    title: z.string().trim().min(2, '活动名称至少 2 个字。').max(60, '活动名称最多 60 个字。').refine(visibleText(false), `活动名称${HIDDEN_CHARACTER_PROBLEM}`),
    format: z.enum(['monthly', 'single'], { error: '评比形式应为 monthly（按月）或 single（单次）。' }),
    villageIds: z.array(z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。')).min(1, '至少选择一个村。').max(100),
    likeThreshold: int('点赞门槛', 0, 100000).optional(),
    rubric: z.array(CriterionInput).min(1, '评分表至少需要一项。').max(10, '评分表最多 10 项。').optional(),
    rules: z
      .object({
        passMark: int('合格分', 0, 1000).optional(),
        quotaPerVillage: int('每村名额', 1, 1000).nullable().optional(),
        dailyLikeCap: int('每日点赞上限', 1, 1000).optional(),
        quorum: int('最少评分人数', 1, 20).optional(),
        dueDays: int('核实期限天数', 1, 60).optional(),
        objectionDays: int('公示天数', 1, 30).optional(),
        monthlyPlates: z.boolean({ error: 'monthlyPlates 应为 true 或 false。' }).optional(),
        rewards: z
          .object({
            monthlyAward: RewardItemInput.nullable().default(null),
            byStars: z.array(RewardItemInput.extend({ stars: int('星级', 1, 5) }).strict()).max(5).default([]),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    starRule: StarRuleInput.optional(),
    months: z.object({ from: z.string(), to: z.string() }).strict().optional().meta({ description: 'Monthly format: YYYY-MM to YYYY-MM' }),
    window: z.object({ from: z.string(), to: z.string() }).strict().optional().meta({ description: 'Single format: YYYY-MM-DD to YYYY-MM-DD' }),
  })
  .strict()
  .meta({ id: 'CampaignCreate' });

export const Criterion = z.object({ key: z.string(), name: z.string(), nameEn: z.string(), max: z.number(), guidance: z.string() });

export const Round = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    seq: z.number().int(),
    period: z.string().meta({ example: '2026-05' }),
    startsAt: Instant,
    endsAt: Instant,
    status: RoundStatus,
  })
  .meta({ id: 'Round' });

/** A village a campaign runs in, with its town: a campaign of several villages is its town's to run. */
export const CampaignVillage = z.object({ id: z.string(), name: z.string(), townId: z.string(), townName: z.string() });

export const Campaign = z
  .object({
    id: z.string(),
    title: z.string(),
    format: CampaignFormat,
    status: CampaignStatus,
    likeThreshold: z.number().int(),
    rubric: z.array(Criterion),
    rubricTotal: z.number().int(),
    rules: z.object({
      passMark: z.number(),
      quotaPerVillage: z.number().nullable(),
      dailyLikeCap: z.number(),
      quorum: z.number(),
      dueDays: z.number(),
      objectionDays: z.number(),
      monthlyPlates: z.boolean(),
      rewards: z.object({
        monthlyAward: z.object({ fen: z.number().nullable(), goods: z.string().nullable() }).nullable(),
        byStars: z.array(z.object({ stars: z.number(), fen: z.number().nullable(), goods: z.string().nullable() })),
      }),
    }),
    starRule: z.unknown(),
    villages: z.array(CampaignVillage),
    startsAt: Instant,
    endsAt: Instant,
    createdAt: Instant,
  })
  .meta({ id: 'Campaign' });

export const CampaignWithRounds = z.object({ campaign: Campaign, rounds: z.array(Round) }).meta({ id: 'CampaignWithRounds' });
export const RoundList = z.object({ rounds: z.array(Round) }).meta({ id: 'RoundList' });
export const CampaignList = z.object({ campaigns: z.array(Campaign) }).meta({ id: 'CampaignList' });
export const CampaignListQuery = z.object({ village: z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。').optional() });

export const CampaignTransition = z.object({ to: z.enum(['open', 'closed'], { error: '活动状态只能改为 open 或 closed。' }) }).strict();
export const RoundTransition = z
  .object({
    to: z.enum(['entries_open', 'inspecting', 'scoring_closed', 'announced', 'final'], {
      error: 'to 应为 entries_open、inspecting、scoring_closed、announced 或 final 之一。',
    }),
    reason: Reason.optional(),
  })
  .strict();
