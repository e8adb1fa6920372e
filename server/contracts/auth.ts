import { z } from 'zod';
import { normalizePhone, PHONE_MESSAGE, PHONE_RE } from '../domain/phone.ts';
import { HouseholdStatus, Instant, RoleKind } from './common.ts';

/** What people type (spaces, dashes, +86, full-width digits) is folded to 11 digits, then checked. */
export const Phone = z
  .string()
  .max(40, '手机号应为 11 位中国大陆手机号，如 13800138000。')
  .transform(normalizePhone)
  .pipe(z.string().regex(PHONE_RE, PHONE_MESSAGE))
  .meta({ example: '13800138000' });

export const OtpRequest = z.object({ phone: Phone }).strict().meta({ id: 'OtpRequest' });
export const OtpResponse = z
  .object({
    sent: z.literal(true),
    resendAfterSeconds: z.number().int(),
    expiresInSeconds: z.number().int(),
    devCode: z.string().optional().meta({ description: 'Only in demo mode: the code that was sent.' }),
  })
  .meta({ id: 'OtpResponse' });

export const LoginRequest = z
  .object({ phone: Phone, code: z.string().trim().regex(/^\d{6}$/, '验证码是 6 位数字。') })
  .strict()
  .meta({ id: 'LoginRequest' });

export const RoleView = z.object({
  kind: RoleKind,
  scopeId: z.string(),
  scopeName: z.string(),
});

export const MyHousehold = z.object({
  id: z.string(),
  villageId: z.string(),
  villageName: z.string(),
  headName: z.string(),
  doorNumber: z.string(),
  label: z.string(),
  status: HouseholdStatus,
  rejectReason: z.string().nullable(),
  proxy: z.boolean(),
  /** The phones that may act for the family: the viewer's own in full, the others masked (138****8000). */
  family: z.array(z.object({ phone: z.string(), you: z.boolean() })),
});

export const User = z
  .object({
    id: z.string(),
    phone: z.string(),
    displayName: z.string().nullable(),
    createdAt: Instant,
    roles: z.array(RoleView),
    household: MyHousehold.nullable(),
    /** Sits on an evaluation panel (考评组) of some campaign: the app offers the scoring screens. */
    panelMember: z.boolean(),
    /** The villages whose open contests this account scores on a panel: the scoring screen opens on them without a search. */
    panelVillages: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .meta({ id: 'User' });

export const MeResponse = z.object({ user: User }).meta({ id: 'Me' });

export type UserView = z.infer<typeof User>;
