import { z } from 'zod';
import { HIDDEN_CHARACTER_PROBLEM, hiddenCharacter } from '../domain/text.ts';
import { CAMPAIGN_FORMATS, CAMPAIGN_STATUSES, ENTRY_STATUSES, HOUSEHOLD_STATUSES, ROLE_KINDS, ROUND_STATUSES } from '../domain/states.ts';

/** The states the API speaks of: the same lists the database's columns are made from. */
export const RoleKind = z.enum(ROLE_KINDS);
export const HouseholdStatus = z.enum(HOUSEHOLD_STATUSES);
export const CampaignFormat = z.enum(CAMPAIGN_FORMATS);
export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);
export const RoundStatus = z.enum(ROUND_STATUSES);
export const EntryStatus = z.enum(ENTRY_STATUSES);

/** The one error shape every refusal has. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid_phone' }),
      message: z.string().meta({ example: '手机号应为 11 位中国大陆手机号，如 13800138000。' }),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, '编号格式不正确。');
/** Text a person typed, refused when it carries characters they cannot see (domain/text.ts). */
export const visibleText = (multiline: boolean) => (s: string) => !hiddenCharacter(s, multiline);
export const Reason = z
  .string()
  .trim()
  .min(2, '请填写原因（至少 2 个字）。')
  .max(500, '原因最多 500 字。')
  .refine(visibleText(true), `原因${HIDDEN_CHARACTER_PROBLEM}`);
export const Instant = z.string().meta({ description: 'ISO 8601 instant with +08:00 offset', example: '2026-05-31T23:59:59.999+08:00' });
export const Ok = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });

/** A whole number between `min` and `max`, its refusals naming the field as people call it. */
export const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label}必须是数字。` })
    .int(`${label}必须是整数。`)
    .min(min, `${label}不能小于 ${min}。`)
    .max(max, `${label}不能大于 ${max}。`);
