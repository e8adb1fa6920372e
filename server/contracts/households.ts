import { z } from 'zod';
import { Phone } from './auth.ts';
import { HouseholdStatus, Instant, Reason } from './common.ts';

export const HouseholdCreate = z
  .object({
    villageId: z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。'),
    headName: z.string().trim().min(1, '请填写户主姓名。').max(20, '户主姓名最多 20 个字。'),
    doorNumber: z.string().trim().min(1, '请填写门牌号。').max(40, '门牌号最多 40 个字。'),
    /**
     * Present when a cadre or grid worker registers a family that has no smartphone (代录):
     * the family's phone, if it has one, becomes the household's member.
     */
    proxy: z
      .object({ memberPhone: Phone.optional() })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'HouseholdCreate' });

export const HouseholdMember = z.object({ accountId: z.string(), phone: z.string(), verified: z.boolean() });

export const Household = z
  .object({
    id: z.string(),
    villageId: z.string(),
    headName: z.string(),
    doorNumber: z.string(),
    label: z.string(),
    status: HouseholdStatus,
    source: z.enum(['self', 'proxy', 'import']),
    proxyBy: z.string().nullable().meta({ description: 'Phone of the cadre or grid worker who entered it by proxy' }),
    createdAt: Instant,
    decidedAt: Instant.nullable(),
    rejectReason: z.string().nullable(),
    members: z.array(HouseholdMember),
  })
  .meta({ id: 'Household' });

export const HouseholdList = z.object({ households: z.array(Household) }).meta({ id: 'HouseholdList' });
export const HouseholdListQuery = z.object({ status: HouseholdStatus.optional() });
/** A registration corrected by the family while it waits: the same fields as registering oneself. */
export const HouseholdCorrection = HouseholdCreate.omit({ proxy: true }).strict().meta({ id: 'HouseholdCorrection' });
export const MemberAdd = z.object({ phone: Phone }).strict().meta({ id: 'MemberAdd' });
export const RejectRequest = z.object({ reason: Reason }).strict();

export const RosterProblem = z.object({ row: z.number().int(), field: z.string(), problem: z.string() });
export const ImportResult = z
  .object({
    imported: z.number().int(),
    accountsCreated: z.number().int(),
    /** With ?skip=problem_rows: the problems of the rows left out, by row. */
    skipped: z.array(z.object({ row: z.number().int(), field: z.string(), problem: z.string() })),
  })
  .meta({ id: 'ImportResult' });
