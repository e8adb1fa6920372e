import { z } from 'zod';
import { Instant } from './common.ts';

/**
 * One notice in a household member's inbox. `payload` holds what the notice is about (the entry,
 * the reason given, …) besides `text`, the sentence shown.
 */
export const Notice = z
  .object({
    id: z.string(),
    kind: z.string(),
    payload: z.object({ text: z.string().optional(), entryId: z.string().optional(), reason: z.string().optional() }).catchall(z.unknown()),
    createdAt: Instant,
    read: z.boolean(),
  })
  .meta({ id: 'Notice' });

export const NoticeList = z.object({ notifications: z.array(Notice), unread: z.number().int() }).meta({ id: 'NoticeList' });
