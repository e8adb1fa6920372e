import { z } from 'zod';
import { Instant } from './common.ts';

export const AuditQuery = z.object({
  subject: z
    .string()
    .regex(/^(household|entry|campaign|round):[A-Za-z0-9_-]{1,64}$/, 'subject 应为「类型:编号」，如 household:hh_xxx、entry:en_xxx、campaign:cp_xxx 或 round:rd_xxx。'),
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
  after: z.unknown(),
  reason: z.string().nullable(),
  hash: z.string(),
});
export const AuditList = z.object({ rows: z.array(AuditRow) }).meta({ id: 'AuditList' });
