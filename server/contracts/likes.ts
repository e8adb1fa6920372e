import { z } from 'zod';
import { EntryStatus, Instant, Reason } from './common.ts';

export const LikeResult = z
  .object({ likeCount: z.number().int(), liked: z.boolean(), qualifiedAt: Instant.nullable() })
  .meta({ id: 'LikeResult' });

export const VoidRequest = z
  .object({ likeIds: z.array(z.string().min(1).max(64)).min(1, '请至少选择一个点赞。').max(1000, '一次最多作废 1000 个点赞。'), reason: Reason })
  .strict()
  .meta({ id: 'VoidLikes' });

export const VoidResult = z
  .object({ entries: z.array(z.object({ entryId: z.string(), voided: z.number().int(), likeCount: z.number().int(), status: EntryStatus })) })
  .meta({ id: 'VoidResult' });

export const SuspiciousLike = z.object({
  likeId: z.string(),
  entryId: z.string(),
  householdLabel: z.string(),
  accountPhone: z.string().meta({ description: 'Cadres only' }),
  at: Instant,
  ipPrefix: z.string(),
  accountCreatedAt: Instant,
  reasons: z.array(z.string()),
});
export const SuspiciousList = z.object({ likes: z.array(SuspiciousLike) }).meta({ id: 'SuspiciousLikes' });
