import { z } from 'zod';
import { CampaignFormat, CampaignStatus, RoundStatus } from './common.ts';

export const VillageSummary = z
  .object({
    id: z.string().meta({ example: '350582102207' }),
    code: z.string().meta({ description: '12-digit village committee code' }),
    name: z.string().meta({ example: '洋尾村' }),
    officialName: z.string().meta({ example: '洋尾村委会' }),
    townId: z.string(),
    townName: z.string(),
  })
  .meta({ id: 'Village' });

export const TownSummary = z
  .object({ id: z.string(), code: z.string(), name: z.string(), villageCount: z.number().int() })
  .meta({ id: 'Town' });

export const VillagesQuery = z.object({
  town: z.string().regex(/^\d{9}$/, '镇（街道）编码应为 9 位数字。').optional(),
});

export const CampaignBrief = z.object({
  id: z.string(),
  title: z.string(),
  format: CampaignFormat,
  status: CampaignStatus,
  startsAt: z.string(),
  endsAt: z.string(),
  likeThreshold: z.number().int(),
  /** The round running now, else the latest one that has begun, else the first. */
  currentRound: z
    .object({ id: z.string(), period: z.string(), status: RoundStatus, startsAt: z.string(), endsAt: z.string(), begun: z.boolean().meta({ description: 'Whether the round has begun, by the server’s clock' }) })
    .nullable(),
});

export const VillageDetail = VillageSummary.extend({
  campaigns: z.array(CampaignBrief),
}).meta({ id: 'VillageDetail' });

/** What waits for a village's cadre, by the console's tabs (counts). */
export const VillageTodo = z
  .object({
    households: z.number().int().meta({ description: 'Registrations waiting to be confirmed or rejected' }),
    photos: z.number().int().meta({ description: 'Flagged photos (repeats, dates outside the round) of the rounds under way that no cadre has hidden or found fine' }),
    likes: z.number().int().meta({ description: 'Suspicious likes in the rounds taking likes now' }),
    scoring: z.number().int().meta({ description: 'Qualified entries the panel has not scored by their due day' }),
    objections: z.number().int().meta({ description: 'Objections from the village’s households not yet decided' }),
    results: z
      .number()
      .int()
      .meta({ description: 'Results to move on: rounds scored and closed but not announced, half-years whose months are all final but whose stars are not announced, announced results whose objection period is over (to lock)' }),
    rewards: z.number().int().meta({ description: 'Rewards not yet recorded as paid' }),
    /** Where the photos and the overdue visits wait: the round their tabs should open on (the console's pickers start on the current round). */
    roundOf: z.object({ photos: z.string().nullable(), scoring: z.string().nullable() }),
  })
  .meta({ id: 'VillageTodo' });
