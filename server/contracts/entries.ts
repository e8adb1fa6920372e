import { z } from 'zod';
import { EntryStatus, Instant, Reason, RoundStatus, visibleText } from './common.ts';
import { HIDDEN_CHARACTER_PROBLEM } from '../domain/text.ts';

export const PhotoKind = z.enum(['overview', 'before', 'after', 'detail'], { error: '照片类型应为 overview（全景）、before（整治前）、after（整治后）或 detail（细节）。' });

export const EntryCreate = z
  .object({
    /** Omitted: the signer's own household. Given: entering on a family's behalf (代录). */
    householdId: z.string().min(1).max(64).optional(),
    description: z.string().trim().max(500, '作品介绍最多 500 字。').refine(visibleText(true), `作品介绍${HIDDEN_CHARACTER_PROBLEM}`).default(''),
  })
  .strict()
  .meta({ id: 'EntryCreate' });

export const EntryUpdate = z
  .object({
    description: z.string().trim().max(500, '作品介绍最多 500 字。').refine(visibleText(true), `作品介绍${HIDDEN_CHARACTER_PROBLEM}`).optional(),
    photoOrder: z.array(z.string().min(1).max(64)).max(9).optional().meta({ description: 'Every live photo id of the entry, in the new order' }),
    photoKinds: z.record(z.string().min(1).max(64), PhotoKind).optional(),
  })
  .strict()
  .meta({ id: 'EntryUpdate' });

export const Moderation = z
  .object({ action: z.enum(['hide', 'restore'], { error: 'action 应为 hide（隐藏）或 restore（恢复）。' }), reason: Reason, photoId: z.string().min(1).max(64).optional() })
  .strict()
  .meta({ id: 'Moderation' });

export const WithdrawRequest = z.object({ reason: z.string().trim().max(500).refine(visibleText(true), `原因${HIDDEN_CHARACTER_PROBLEM}`).optional() }).strict();

/** Why a cadre found a flagged photo fine (e.g. 是本户上个月自己拍的同一个角度). */
export const FlagsClear = z.object({ reason: Reason }).strict().meta({ id: 'FlagsClear' });

const EntryPhoto = z.object({
  id: z.string(),
  kind: PhotoKind,
  position: z.number().int(),
  thumbUrl: z.string(),
  displayUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  hidden: z.object({ reason: z.string(), at: Instant }).nullable().optional(),
  capturedAt: Instant.nullable().optional(),
  takenOutsideRound: z.boolean().optional(),
});

export const Entry = z
  .object({
    id: z.string(),
    roundId: z.string(),
    campaignId: z.string(),
    campaignTitle: z.string(),
    period: z.string(),
    roundEndsAt: Instant,
    /** Whether the round takes likes now (its month, while entries are open, in an open campaign). */
    likesOpen: z.boolean(),
    /** Whether the household may still enter, change or re-enter (its round takes entries, the campaign is open). */
    takesChanges: z.boolean(),
    /** Whether the household may change it now: an early state, in a round that takes changes (the rule the edit routes apply). */
    editable: z.boolean(),
    /** Whether the round's last day has passed. */
    roundOver: z.boolean(),
    villageId: z.string(),
    villageName: z.string(),
    townName: z.string(),
    householdLabel: z.string().meta({ example: '陈家庭院' }),
    number: z.number().int().nullable().meta({ description: '参评编号: 1, 2, 3… within its round and village, given at first submission and kept; null while a draft', example: 3 }),
    description: z.string(),
    status: EntryStatus,
    likeCount: z.number().int(),
    threshold: z.number().int(),
    qualifiedAt: Instant.nullable(),
    submittedAt: Instant.nullable(),
    byProxy: z.boolean(),
    coverUrl: z.string().nullable(),
    photos: z.array(EntryPhoto),
    hidden: z.object({ reason: z.string(), at: Instant }).nullable().optional().meta({ description: 'Only for the household and its cadres' }),
    likedByMe: z.boolean().nullable().optional().meta({ description: 'Whether the signed-in account has an active like on it; null when anonymous' }),
    ownHousehold: z.boolean().nullable().optional().meta({ description: "Whether it is the signed-in account's own household's entry (which it may not like); null when anonymous" }),
    mayWithdraw: z.boolean().nullable().optional().meta({ description: 'Whether the signed-in account may withdraw it (its household; a cadre or grid worker only for an entry they entered by proxy); null when anonymous' }),
  })
  .meta({ id: 'Entry' });

export const EntryBody = z.object({ entry: Entry });

/** An entry as its cadres review it: with the family's head and door, so that two 吴家庭院 are told apart. */
export const ReviewEntry = Entry.extend({ household: z.object({ headName: z.string(), doorNumber: z.string() }) }).meta({ id: 'ReviewEntry' });

export const EntryCard = z
  .object({
    id: z.string(),
    householdLabel: z.string(),
    number: z.number().int().nullable().meta({ description: '参评编号: 1, 2, 3… within its round and village, given at first submission and kept; null while a draft', example: 3 }),
    status: EntryStatus,
    likeCount: z.number().int(),
    qualifiedAt: Instant.nullable(),
    coverUrl: z.string().nullable(),
    photoCount: z.number().int(),
    byProxy: z.boolean(),
  })
  .meta({ id: 'EntryCard' });

export const EntryList = z
  .object({ total: z.number().int(), threshold: z.number().int(), round: z.object({ id: z.string(), period: z.string(), status: RoundStatus, endsAt: Instant }), entries: z.array(EntryCard) })
  .meta({ id: 'EntryList' });

export const EntryListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(24),
  offset: z.coerce.number().int().min(0).max(100000).default(0),
});

/** One side of a photo flag: whose photo it is (the head's name: cadres only) and where it is. */
const FlaggedPhoto = z.object({
  photoId: z.string(),
  entryId: z.string(),
  householdId: z.string(),
  householdName: z.string(),
  thumbUrl: z.string(),
  displayUrl: z.string(),
  uploadedAt: Instant,
  period: z.string().optional().meta({ description: "The matching photo's round (the other side of a reuse)" }),
  roundId: z.string().optional(),
  capturedAt: Instant.optional().meta({ description: 'When a photo taken outside the round was taken' }),
  hidden: z.boolean().meta({ description: 'A cadre has hidden it' }),
  cleared: z.object({ at: Instant, reason: z.string() }).nullable().meta({ description: 'A cadre looked at the flags and found nothing wrong' }),
});

export const PhotoFlags = z
  .object({
    reused: z.array(
      z.object({
        kind: z.enum(['exact', 'near']),
        distance: z.number().int().meta({ description: "Bits that differ between the two pictures' perceptual hashes (0 for the same file)" }),
        sameHousehold: z.boolean(),
        photo: FlaggedPhoto,
        match: FlaggedPhoto,
      }),
    ),
    outsideRound: z.array(FlaggedPhoto),
  })
  .meta({ id: 'PhotoFlags' });
