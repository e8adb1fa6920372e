import { z } from 'zod';
import { Instant, int, Reason, visibleText } from './common.ts';
import { HIDDEN_CHARACTER_PROBLEM } from '../domain/text.ts';
import { CampaignVillage } from './campaigns.ts';
import { VillageTodo } from './places.ts';

/** A plate's standing: issued (valid), revoked with a reason, or replaced by a newer plate. */
const PlateStatus = z.enum(['issued', 'revoked', 'superseded']);

export const HalfYear = z.string().regex(/^\d{4}H[12]$/, '半年期应写作 2026H1（上半年）或 2026H2（下半年）。');

export const AnnounceRequest = z
  .object({ objectionDays: int('公示天数', 1, 30).optional().meta({ description: "Days of the objection period; the campaign's rule (default 5) when omitted" }) })
  .strict()
  .meta({ id: 'AnnounceRequest' });

const LineMark = z.object({
  member: z.string().meta({ description: 'Panel member anonymised as A, B, C… (the same letter is the same member within a result)' }),
  role: z.string(),
  passed: z.boolean(),
  points: z.record(z.string(), z.number()),
});

export const ResultLine = z
  .object({
    householdId: z.string(),
    householdLabel: z.string().meta({ example: '陈家庭院' }),
    /** Full name: for whoever runs the campaign, and a cadre of the household's village (can.readHouseholdNames); null on public reads. */
    headName: z.string().nullable(),
    village: z.object({ id: z.string(), name: z.string() }),
    entryId: z.string().nullable(),
    entryNumber: z.number().int().nullable().meta({ description: "The entry's 编号 in its round and village (round results); tells apart households of one surname" }),
    rank: z.number().int().nullable(),
    total: z.string().nullable().meta({ description: 'Total to one decimal (computed exactly)' }),
    criteria: z.array(z.object({ key: z.string(), name: z.string(), nameEn: z.string(), max: z.number(), mean: z.string() })),
    sheets: z.number().int(),
    marks: z.array(LineMark),
    awarded: z.boolean(),
    stars: z.number().int(),
    reason: z.string(),
    detail: z.record(z.string(), z.unknown()),
    excludedReason: z.string().nullable(),
    coverUrl: z.string().nullable(),
    photos: z.array(z.object({ thumbUrl: z.string(), displayUrl: z.string() })),
    /** The honour plate issued from this line, whatever its status now (the latest, if one was reissued); its verify page is public. */
    plate: z.object({ serial: z.string(), status: PlateStatus }).nullable(),
  })
  .meta({ id: 'ResultLine' });

export const ResultChange = z.object({
  objectionId: z.string(),
  decidedAt: Instant,
  reason: z.string(),
  householdLabel: z.string(),
  moves: z.array(z.object({ householdLabel: z.string(), before: z.string(), after: z.string() })),
});

export const ResultSet = z
  .object({
    id: z.string(),
    kind: z.enum(['round', 'half_year']),
    period: z.string(),
    periodLabel: z.string().meta({ example: '2026年7月', description: 'The period in words: 2026年7月, 2026年上半年, or for a single evaluation its campaign\'s title' }),
    status: z.enum(['draft', 'announced', 'final']),
    version: z.number().int(),
    computedAt: Instant,
    announcedAt: Instant.nullable(),
    objectionDeadline: Instant.nullable(),
    objectionsOpen: z.boolean().meta({ description: 'Objections are taken now (announced, period running)' }),
    finalizedAt: Instant.nullable(),
    campaign: z.object({
      id: z.string(),
      title: z.string(),
      format: z.enum(['monthly', 'single']),
      /** Its villages: a campaign of several is run by their town's admin, who settles the objections and finalises. */
      villages: z.array(CampaignVillage),
    }),
    round: z.object({ id: z.string(), period: z.string(), status: z.string() }).nullable(),
    rules: z.object({ passMark: z.number(), quotaPerVillage: z.number().nullable(), starRule: z.unknown() }),
    openObjections: z.number().int(),
    finalizeBlocked: z.string().nullable().meta({ description: 'Why finalising (定稿) would be refused now, the same check the finalise route makes; null when it may be done' }),
    lines: z.array(ResultLine),
    changes: z.array(ResultChange),
  })
  .meta({ id: 'ResultSet' });

/** A result set as lists name it: which period, of which kind, how far along. */
export const ResultBrief = z
  .object({
    id: z.string(),
    kind: z.enum(['round', 'half_year']),
    period: z.string(),
    periodLabel: z.string(),
    status: z.enum(['draft', 'announced', 'final']),
    roundId: z.string().nullable(),
    objectionDeadline: Instant.nullable().meta({ description: 'The last instant objections are taken, once announced' }),
  })
  .meta({ id: 'ResultBrief' });

/** A village's honours: the latest winners, its star courtyards, and every published result of its campaigns. */
export const VillageHonors = z
  .object({
    winners: z.array(z.object({ period: z.string(), periodLabel: z.string(), householdLabel: z.string(), entryNumber: z.number().int().nullable(), entryId: z.string().nullable(), coverUrl: z.string().nullable(), total: z.string().nullable(), stars: z.number().int(), final: z.boolean() })),
    stars: z.array(z.object({ serial: z.string(), householdLabel: z.string(), stars: z.number().int(), title: z.string(), status: PlateStatus })),
    published: z.array(z.object({ campaignId: z.string(), campaignTitle: z.string(), results: z.array(ResultBrief) })),
  })
  .meta({ id: 'VillageHonors' });

export const ResultResponse = z.object({ result: ResultSet }).meta({ id: 'ResultResponse' });

export const ObjectionCreate = z
  .object({
    householdId: z.string().min(1).max(64).meta({ description: 'The household whose result is disputed (a line of the results)' }),
    text: z.string().trim().min(5, '请写清异议内容（至少 5 个字）。').max(1000, '异议内容最多 1000 字。').refine(visibleText(true), `异议内容${HIDDEN_CHARACTER_PROBLEM}`),
  })
  .strict()
  .meta({ id: 'ObjectionCreate' });

export const ObjectionDecision = z
  .object({
    uphold: z.boolean({ error: 'uphold 应为 true（成立）或 false（不成立）。' }),
    reason: Reason,
  })
  .strict()
  .meta({ id: 'ObjectionDecision' });

export const Objection = z
  .object({
    id: z.string(),
    resultId: z.string(),
    period: z.string(),
    householdLabel: z.string(),
    entryNumber: z.number().int().nullable().meta({ description: "The 编号 of the household's entry, as the result's line names it (round results); tells apart households of one surname" }),
    /** The head's full name: for whoever runs the campaign, and a cadre of the household's village; null for anyone else. */
    headName: z.string().nullable(),
    /** The village of the household objected to: in a town's result each village has its own 陈家庭院. */
    village: z.object({ id: z.string(), name: z.string() }),
    /**
     * Who objected: phone, and family if any (13800138000（林志强家 · 洋尾村7号）). For whoever runs the
     * campaign (who settles it); for a cadre reading it for their village, only when the objector's
     * family is of a village they manage; null elsewhere.
     */
    objector: z.string().nullable(),
    mine: z.boolean(),
    text: z.string(),
    status: z.enum(['open', 'upheld', 'dismissed']),
    createdAt: Instant,
    decidedAt: Instant.nullable(),
    decisionReason: z.string().nullable(),
    photos: z.array(z.object({ id: z.string(), thumbUrl: z.string(), displayUrl: z.string() })),
    /** How many photos an objection may carry in all. */
    maxPhotos: z.number().int(),
  })
  .meta({ id: 'Objection' });

export const ObjectionList = z.object({ objections: z.array(Objection) }).meta({ id: 'ObjectionList' });

export const PlateIssue = z
  .object({
    period: HalfYear.optional(),
    roundId: z.string().min(1).max(64).optional(),
    householdIds: z.array(z.string().min(1).max(64)).min(1).max(2000).optional().meta({ description: 'Only these households (default: every one eligible without a plate)' }),
  })
  .strict()
  .refine((b) => (b.period === undefined) !== (b.roundId === undefined), { message: '请指定半年期（period）或评比轮次（roundId）中的一个。', path: ['period'] })
  .meta({ id: 'PlateIssue' });

export const Plate = z
  .object({
    serial: z.string().meta({ example: '350582-LP-2026H1-0007' }),
    title: z.string(),
    holderName: z.string(),
    village: z.object({ id: z.string(), name: z.string(), townName: z.string() }),
    issuer: z.string(),
    issuedAt: Instant,
    issuedOn: z.string().meta({ example: '2026-07-15' }),
    stars: z.number().int(),
    period: z.string(),
    status: PlateStatus,
    statusLabel: z.string(),
    revokedReason: z.string().nullable(),
    supersededBy: z.string().nullable(),
    verifyUrl: z.string(),
    result: z.object({
      id: z.string(),
      kind: z.enum(['round', 'half_year']),
      period: z.string(),
      campaignId: z.string(),
      roundId: z.string().nullable(),
      campaignTitle: z.string(),
      reason: z.string(),
      stars: z.number().int(),
      awarded: z.boolean(),
    }),
  })
  .meta({ id: 'Plate' });

export const PlateList = z.object({ plates: z.array(Plate) }).meta({ id: 'PlateList' });
export const PlateListing = z
  .object({
    plates: z.array(Plate),
    waiting: z.number().int().meta({ description: 'Households 发放门牌 would issue a plate to now: eligible, never given one for this result' }),
    reissuable: z.array(z.string()).meta({ description: 'Serials of revoked plates whose household holds no valid plate of this result: each may be issued again' }),
  })
  .meta({ id: 'PlateListing' });
export const PlateRevoke = z.object({ reason: Reason }).strict().meta({ id: 'PlateRevoke' });
export const PlateListQuery = z.object({ period: HalfYear.optional(), roundId: z.string().min(1).max(64).optional() });

export const Reward = z
  .object({
    id: z.string(),
    household: z.object({ id: z.string(), headName: z.string(), doorNumber: z.string() }),
    village: z.object({ id: z.string(), name: z.string() }),
    label: z.string(),
    batch: z
      .object({ id: z.string(), title: z.string().meta({ example: '2026年上半年 美丽庭院' }) })
      .meta({ description: 'The result it is for: a month’s winners, or a half-year’s stars of every level, are as a rule paid together' }),
    amountFen: z.number().int().nullable(),
    goods: z.string().nullable(),
    status: z.enum(['pending', 'paid']),
    createdAt: Instant,
    paidOn: z.string().nullable(),
    payer: z.string().nullable(),
    note: z.string().nullable(),
    confirmedAt: Instant.nullable(),
  })
  .meta({ id: 'Reward' });

export const RewardList = z
  .object({
    rewards: z.array(Reward),
    totals: z.object({ pendingFen: z.number().int(), paidFen: z.number().int() }),
    today: z.string().meta({ description: 'Today in China by the server’s clock (YYYY-MM-DD): the default and latest day of a payment' }),
  })
  .meta({ id: 'RewardList' });
export const RewardQuery = z.object({ village: z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。') });
/** One batch of a village's rewards: the result they are for (`batch.id` of a reward). */
export const RewardSheetQuery = RewardQuery.extend({ batch: z.string().min(1, '请指定哪一批奖励（batch）。').max(64) });
const payment = {
  paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '发放日期应写作 2026-07-15。'),
  payer: z.string().trim().min(1, '请填写发放人。').max(20, '发放人最多 20 个字。').refine(visibleText(false), `发放人${HIDDEN_CHARACTER_PROBLEM}`),
  note: z.string().trim().max(200, '备注最多 200 字。').refine(visibleText(true), `备注${HIDDEN_CHARACTER_PROBLEM}`).default(''),
};
export const RewardPaid = z.object(payment).strict().meta({ id: 'RewardPaid' });
/** Several rewards handed over on one day by one person (a month's winners at the village meeting). */
export const RewardsPaid = z
  .object({ rewardIds: z.array(z.string().min(1).max(64)).min(1, '请至少选择一笔奖励。').max(500, '一次最多登记 500 笔奖励。'), ...payment })
  .strict()
  .meta({ id: 'RewardsPaid' });

export const DashboardQuery = z.object({
  from: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '起始月份应写作 2026-01。').optional(),
  to: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '结束月份应写作 2026-12。').optional(),
});

const DashboardCell = z.object({
  month: z.string(),
  entries: z.number().int(),
  qualified: z.number().int(),
  awarded: z.number().int(),
  meanScore: z.string().nullable(),
});

export const Dashboard = z
  .object({
    town: z.object({ id: z.string(), name: z.string() }),
    months: z.array(z.string()),
    villages: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        households: z.number().int(),
        months: z.array(DashboardCell),
        /** Households counted once over the whole range: a family that entered in four months is one. */
        overRange: z
          .object({ entered: z.number().int(), qualified: z.number().int(), awarded: z.number().int() })
          .meta({ description: 'Households that entered, reached the like threshold, or were awarded at least once in the months asked for' }),
        /** What waits for the village's cadre today, whatever the months asked for. */
        todo: VillageTodo,
        /** The village's published half-year star courtyards in the half-years the months fall in. */
        stars: z.array(
          z.object({
            campaignId: z.string(),
            period: z.string().meta({ example: '2026H1' }),
            periodLabel: z.string(),
            status: z.enum(['announced', 'final']),
            byStars: z.array(z.object({ stars: z.number().int(), households: z.number().int() })),
            plates: z.number().int().meta({ description: 'Households of this result with a plate (issued, or since superseded)' }),
            platesWaiting: z.number().int().meta({ description: 'Final star households still without a valid plate' }),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'TownDashboard' });

export const MyResults = z
  .object({
    results: z.array(
      z.object({
        resultId: z.string(),
        campaignId: z.string(),
        roundId: z.string().nullable(),
        campaignTitle: z.string(),
        kind: z.enum(['round', 'half_year']),
        period: z.string(),
        periodLabel: z.string(),
        status: z.enum(['announced', 'final']),
        objectionDeadline: Instant.nullable(),
        objectionsOpen: z.boolean(),
        line: ResultLine,
        plate: z.object({ serial: z.string(), status: PlateStatus }).nullable(),
        reward: z
          .object({ amountFen: z.number().int().nullable(), goods: z.string().nullable(), status: z.enum(['pending', 'paid']), paidOn: z.string().nullable() })
          .nullable()
          .meta({ description: 'What the household earned with this result (once final), and whether the village has paid it' }),
      }),
    ),
    objections: z.array(Objection),
  })
  .meta({ id: 'MyResults' });
