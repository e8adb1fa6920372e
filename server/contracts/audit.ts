import { z } from 'zod';
import { Instant } from './common.ts';

/**
 * What a trail may be asked for: a household, an entry, a campaign, a round; a result set (its
 * objections' rows with it), an honour plate by its serial, a reward of the ledger.
 */
export const AUDIT_SUBJECTS = ['household', 'entry', 'campaign', 'round', 'result', 'plate', 'reward'] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECTS)[number];

export const AuditQuery = z.object({
  subject: z
    .string()
    .regex(
      new RegExp(`^(${AUDIT_SUBJECTS.join('|')}):[A-Za-z0-9_-]{1,64}$`),
      'subject 应为「类型:编号」，类型是 household、entry、campaign、round、result、plate 或 reward，如 household:hh_xxx、result:rs_xxx、plate:350582-YW-2026H1-0001、reward:rw_xxx。',
    )
    .meta({ example: 'result:rs_xxx' }),
});

export const AuditRow = z.object({
  seq: z.number().int(),
  at: Instant,
  actor: z.string().nullable().meta({ description: 'Phone of the acting account (cadres only see this); null for the system' }),
  actorName: z.string().nullable().meta({ description: 'The name the actor was given on a panel, if any' }),
  actorKind: z
    .enum(['town_admin', 'village_cadre', 'grid_worker', 'panel_member', 'villager', 'account'])
    .nullable()
    .meta({ description: 'The highest office the actor holds, else panel member, villager (a household member) or a bare account' }),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  before: z.unknown(),
  after: z.unknown().meta({
    description:
      "The state the action left, as recorded; light enough for a phone: arrays holding one record per household are replaced by their length — `lineRecords` (results.compute, results.recompute: one per result line, tens of thousands in a county) and `rewardRecords` (results.finalize: one per reward entered). `hash` is still the stored row's, over the full row; `npm run audit:verify` checks full rows.",
  }),
  reason: z.string().nullable(),
  hash: z.string().meta({ description: "The stored row's SHA-256, chained to the row before it" }),
});
export const AuditList = z
  .object({ rows: z.array(AuditRow).meta({ description: "Oldest first; a result's trail holds its objections' rows (subjectType objection) in their place" }) })
  .meta({ id: 'AuditList' });
