import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PHOTO_KINDS } from '../domain/photos.ts';
import { CAMPAIGN_FORMATS, CAMPAIGN_STATUSES, ENTRY_STATUSES, HOUSEHOLD_STATUSES, ROLE_KINDS, ROUND_STATUSES } from '../domain/states.ts';

export { CAMPAIGN_FORMATS, CAMPAIGN_STATUSES, ENTRY_STATUSES, HOUSEHOLD_STATUSES, ROLE_KINDS, ROUND_STATUSES };

// Times are UTC instants in epoch milliseconds; they are shown and bucketed in Asia/Shanghai.

export const towns = sqliteTable('towns', {
  /** GB/T 2260 town code, 9 digits (350582102 磁灶镇). */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  countyCode: text('county_code').notNull(),
  countyName: text('county_name').notNull(),
});

export const villages = sqliteTable(
  'villages',
  {
    /** 12-digit village committee code (350582102201 岭畔村委会). */
    id: text('id').primaryKey(),
    townId: text('town_id').notNull().references(() => towns.id),
    /** Official committee name as registered (岭畔村委会). */
    officialName: text('official_name').notNull(),
    /** Name people use (岭畔村). */
    name: text('name').notNull(),
  },
  (t) => [index('villages_town').on(t.townId)],
);

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  /** Mainland mobile number, 11 digits. Never shown on public pages. */
  phone: text('phone').notNull().unique(),
  displayName: text('display_name'),
  createdAt: integer('created_at').notNull(),
  /** Set the first time the account signs in with a code sent to its phone. */
  verifiedAt: integer('verified_at'),
});

export type RoleKind = (typeof ROLE_KINDS)[number];

/**
 * Office roles. A village cadre or grid worker is scoped to a village (scopeId = village code),
 * a town admin to a town (scopeId = town code). Household membership is in householdMembers.
 */
export const roles = sqliteTable(
  'roles',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    kind: text('kind', { enum: ROLE_KINDS }).notNull(),
    scopeId: text('scope_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('roles_unique').on(t.accountId, t.kind, t.scopeId), index('roles_scope').on(t.scopeId, t.kind)],
);

export const otpCodes = sqliteTable(
  'otp_codes',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    /** HMAC of phone and code under the deployment secret; the code itself is never stored. */
    codeHash: text('code_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    consumedAt: integer('consumed_at'),
    requestIp: text('request_ip'),
  },
  (t) => [index('otp_phone_created').on(t.phone, t.createdAt)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the session token held in the cookie. */
    tokenHash: text('token_hash').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_account').on(t.accountId)],
);

export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];
export const HOUSEHOLD_SOURCES = ['self', 'proxy', 'import'] as const;

export const households = sqliteTable(
  'households',
  {
    id: text('id').primaryKey(),
    villageId: text('village_id').notNull().references(() => villages.id),
    headName: text('head_name').notNull(),
    /** 门牌号 as written; never shown on public pages. */
    doorNumber: text('door_number').notNull(),
    /** Normalised door number (full-width folded, spaces removed) used to find duplicates. */
    doorKey: text('door_key').notNull(),
    status: text('status', { enum: HOUSEHOLD_STATUSES }).notNull(),
    source: text('source', { enum: HOUSEHOLD_SOURCES }).notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').references(() => accounts.id),
    /** The cadre or grid worker who registered it on the family's behalf (代录). */
    proxyBy: text('proxy_by').references(() => accounts.id),
    decidedBy: text('decided_by').references(() => accounts.id),
    decidedAt: integer('decided_at'),
    rejectReason: text('reject_reason'),
  },
  (t) => [
    index('households_village_status').on(t.villageId, t.status),
    // A rejected registration does not block a correct one for the same door.
    uniqueIndex('households_door').on(t.villageId, t.doorKey).where(sql`status <> 'rejected'`),
  ],
);

export const householdMembers = sqliteTable(
  'household_members',
  {
    householdId: text('household_id').notNull().references(() => households.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.accountId] }), uniqueIndex('members_account').on(t.accountId)],
);


export const campaigns = sqliteTable('campaigns', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  format: text('format', { enum: CAMPAIGN_FORMATS }).notNull(),
  status: text('status', { enum: CAMPAIGN_STATUSES }).notNull(),
  likeThreshold: integer('like_threshold').notNull(),
  /** JSON: ordered criteria [{key, name, nameEn, max, guidance}]. */
  rubric: text('rubric', { mode: 'json' }).notNull(),
  /** JSON: {passMark, quotaPerVillage|null, dailyLikeCap, quorum, dueDays, objectionDays}. */
  rules: text('rules', { mode: 'json' }).notNull(),
  /** JSON: star bands (single) or half-year thresholds (monthly). */
  starRule: text('star_rule', { mode: 'json' }).notNull(),
  startsAt: integer('starts_at').notNull(),
  endsAt: integer('ends_at').notNull(),
  createdBy: text('created_by').notNull().references(() => accounts.id),
  createdAt: integer('created_at').notNull(),
});

export const campaignVillages = sqliteTable(
  'campaign_villages',
  {
    campaignId: text('campaign_id').notNull().references(() => campaigns.id),
    villageId: text('village_id').notNull().references(() => villages.id),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.villageId] }), index('campaign_villages_village').on(t.villageId)],
);


export const rounds = sqliteTable(
  'rounds',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull().references(() => campaigns.id),
    seq: integer('seq').notNull(),
    /** 2026-05 for a monthly round; the window's first day for a single round. */
    period: text('period').notNull(),
    startsAt: integer('starts_at').notNull(),
    /** Last instant that takes entries and likes (23:59:59.999 +08:00 on the last day). */
    endsAt: integer('ends_at').notNull(),
    status: text('status', { enum: ROUND_STATUSES }).notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('rounds_campaign_seq').on(t.campaignId, t.seq)],
);

/** Append-only, hash-chained record of every state change. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: text('before'),
    after: text('after'),
    reason: text('reason'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_subject').on(t.subjectType, t.subjectId)],
);

/** In-app inbox. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    kind: text('kind').notNull(),
    /** JSON payload the web app renders in the reader's language. */
    payload: text('payload', { mode: 'json' }).notNull(),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
  },
  (t) => [index('notifications_account').on(t.accountId, t.createdAt)],
);

/** Messages waiting for the delivery adapter (console, SMS or webhook). */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_pending').on(t.sentAt, t.id)],
);

/** Key/value facts about this deployment (demo seed done, schema notes). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});


/** One household's entry in one round. Hiding by a cadre is a flag beside the status, so restoring puts it back as it was. */
export const entries = sqliteTable(
  'entries',
  {
    id: text('id').primaryKey(),
    roundId: text('round_id').notNull().references(() => rounds.id),
    householdId: text('household_id').notNull().references(() => households.id),
    villageId: text('village_id').notNull().references(() => villages.id),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ENTRY_STATUSES }).notNull(),
    /** Likes counted now (active, not voided); kept in the same transaction as the like rows. */
    likeCount: integer('like_count').notNull().default(0),
    qualifiedAt: integer('qualified_at'),
    submittedAt: integer('submitted_at'),
    /**
     * 参评编号: 1, 2, 3… within its round and village, in the order entries were first
     * submitted, and kept for good (a withdrawn entry keeps its number). Tells apart the
     * households a village's clans share a surname with (three 陈家庭院).
     */
    number: integer('number'),
    hiddenAt: integer('hidden_at'),
    hiddenBy: text('hidden_by').references(() => accounts.id),
    hiddenReason: text('hidden_reason'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    createdBy: text('created_by').notNull().references(() => accounts.id),
    /** The cadre or grid worker who entered it for a family without a smartphone (代录). */
    proxyBy: text('proxy_by').references(() => accounts.id),
  },
  (t) => [
    uniqueIndex('entries_round_household').on(t.roundId, t.householdId),
    uniqueIndex('entries_round_village_number').on(t.roundId, t.villageId, t.number),
    index('entries_round_status').on(t.roundId, t.status),
    index('entries_household').on(t.householdId),
  ],
);

export { PHOTO_KINDS };

export const photos = sqliteTable(
  'photos',
  {
    id: text('id').primaryKey(),
    entryId: text('entry_id').notNull().references(() => entries.id),
    householdId: text('household_id').notNull().references(() => households.id),
    /** Order within the entry, 1-based; the first is the cover. */
    position: integer('position').notNull(),
    kind: text('kind', { enum: PHOTO_KINDS }).notNull(),
    /** SHA-256 of the bytes as uploaded: finds the exact same file used again. */
    sourceHash: text('source_hash').notNull(),
    /** 64-bit difference hash (hex) of the picture: finds near-duplicates (re-saved, resized). */
    perceptualHash: text('perceptual_hash').notNull(),
    /** Content address of the re-encoded copies under DATA_DIR/photos. */
    storageKey: text('storage_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    /** When the camera says it was taken (EXIF), if it says. */
    capturedAt: integer('captured_at'),
    createdAt: integer('created_at').notNull(),
    uploadedBy: text('uploaded_by').notNull().references(() => accounts.id),
    removedAt: integer('removed_at'),
    hiddenAt: integer('hidden_at'),
    hiddenBy: text('hidden_by').references(() => accounts.id),
    hiddenReason: text('hidden_reason'),
    /** A cadre looked at this photo's flags (a repeat, a capture date outside the round) and found nothing wrong. */
    flagsClearedAt: integer('flags_cleared_at'),
    flagsClearedBy: text('flags_cleared_by').references(() => accounts.id),
    flagsClearedReason: text('flags_cleared_reason'),
  },
  (t) => [index('photos_entry').on(t.entryId, t.position), index('photos_source').on(t.sourceHash), index('photos_storage').on(t.storageKey)],
);

/** A photo that looks like one used by another household, or by the same household in an earlier round. */
export const photoMatches = sqliteTable(
  'photo_matches',
  {
    photoId: text('photo_id').notNull().references(() => photos.id),
    matchPhotoId: text('match_photo_id').notNull().references(() => photos.id),
    /** exact: the same file; near: the same picture re-saved, resized or lightly edited. */
    kind: text('kind', { enum: ['exact', 'near'] }).notNull(),
    distance: integer('distance').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.photoId, t.matchPhotoId] })],
);

export const LIKE_STATUSES = ['active', 'unliked', 'voided'] as const;

/**
 * Every like ever given, kept: unliking and voiding mark the row. At most one active like per
 * account and entry. `entries.likeCount` counts the active rows, in the same transaction.
 */
export const likes = sqliteTable(
  'likes',
  {
    id: text('id').primaryKey(),
    entryId: text('entry_id').notNull().references(() => entries.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    createdAt: integer('created_at').notNull(),
    /** The client's network, not its address: /24 for IPv4, /48 for IPv6. */
    ipPrefix: text('ip_prefix').notNull(),
    /** A hash of the browser's user agent and languages, to see many accounts on one phone. */
    deviceHash: text('device_hash').notNull(),
    status: text('status', { enum: LIKE_STATUSES }).notNull(),
    unlikedAt: integer('unliked_at'),
    voidedAt: integer('voided_at'),
    voidedBy: text('voided_by').references(() => accounts.id),
    voidReason: text('void_reason'),
  },
  // Every index here is written by every like, so only those a query needs: the entry's
  // active likes (one per account, counts, review) come from likes_one_active, a person's
  // likes (today's cap, their like of an entry) from likes_account.
  (t) => [
    uniqueIndex('likes_one_active').on(t.entryId, t.accountId).where(sql`status = 'active'`),
    index('likes_account').on(t.accountId, t.createdAt),
  ],
);

/** An evaluation panel (考评组) of a campaign, scoring the entries of the villages it covers. */
export const panels = sqliteTable('panels', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id').notNull().references(() => campaigns.id),
  name: text('name').notNull(),
  quorum: integer('quorum').notNull(),
  /** JSON array of village ids this panel covers. */
  villageIds: text('village_ids', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  createdBy: text('created_by').notNull().references(() => accounts.id),
});

export const panelMembers = sqliteTable(
  'panel_members',
  {
    panelId: text('panel_id').notNull().references(() => panels.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    /** 镇干部, 村干部, 网格员 or 村民代表. */
    role: text('role').notNull(),
    displayName: text('display_name').notNull(),
    addedAt: integer('added_at').notNull(),
    /**
     * When the cadre took the member off the panel (ill, moved away): they score no more, and
     * the sheets they sent while on it still count. Null while they are on the panel.
     */
    removedAt: integer('removed_at'),
  },
  (t) => [primaryKey({ columns: [t.panelId, t.accountId] }), index('panel_members_account').on(t.accountId)],
);

/** A member's score sheet for one entry; replaced (not added to) until scoring closes. */
export const scoreSheets = sqliteTable(
  'score_sheets',
  {
    id: text('id').primaryKey(),
    entryId: text('entry_id').notNull().references(() => entries.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    panelId: text('panel_id').notNull().references(() => panels.id),
    passed: integer('passed', { mode: 'boolean' }).notNull(),
    /** JSON {criterionKey: integer points}. */
    points: text('points', { mode: 'json' }).notNull(),
    comment: text('comment').notNull().default(''),
    /** The phone's key for this sheet: the same key sent twice is one sheet (offline queue). */
    idempotencyKey: text('idempotency_key').notNull(),
    bodyHash: text('body_hash').notNull(),
    submittedAt: integer('submitted_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** First time the member read the entry's sheets while another member's was there (panel independence). */
    othersSeenAt: integer('others_seen_at'),
    /** Last change of points, check or comment after othersSeenAt, with the member's reason. */
    revisedAt: integer('revised_at'),
    revisionReason: text('revision_reason'),
    /** JSON {passed, points, comment}: the sheet as it stood before its first revision after seeing the others. */
    original: text('original', { mode: 'json' }),
  },
  (t) => [uniqueIndex('score_sheets_member').on(t.entryId, t.accountId), index('score_sheets_entry').on(t.entryId)],
);

/** A member stepping aside from an entry (a relative's courtyard), with the reason. */
export const recusals = sqliteTable(
  'recusals',
  {
    entryId: text('entry_id').notNull().references(() => entries.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    reason: text('reason').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.accountId] })],
);

/** Photos a panel member takes on site for their sheet (same pipeline as entry photos; never public). */
export const sheetPhotos = sqliteTable(
  'sheet_photos',
  {
    id: text('id').primaryKey(),
    entryId: text('entry_id').notNull().references(() => entries.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    storageKey: text('storage_key').notNull(),
    /** sha256 of the file as sent: the same file sent again is the photo already stored (null before 0011). */
    sourceHash: text('source_hash'),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    capturedAt: integer('captured_at'),
    createdAt: integer('created_at').notNull(),
    /** When the member took it back (a wrong courtyard, a person in it): no longer shown; the audit row keeps it. */
    removedAt: integer('removed_at'),
    /** The phone's key for this photo (its outbox record): sent again, it is this photo, even one taken back since. */
    clientKey: text('client_key'),
  },
  (t) => [index('sheet_photos_entry').on(t.entryId, t.accountId), index('sheet_photos_storage').on(t.storageKey)],
);

export const RESULT_KINDS = ['round', 'half_year'] as const;
export const RESULT_STATUSES = ['draft', 'announced', 'final'] as const;

/**
 * A set of results: one round's ranking and awards (or star bands, single format), or one
 * half-year's star courtyards of a monthly campaign. Drafts are recomputed freely; announcing
 * opens the objection period (公示); final results are locked.
 */
export const results = sqliteTable(
  'results',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull().references(() => campaigns.id),
    roundId: text('round_id').references(() => rounds.id),
    kind: text('kind', { enum: RESULT_KINDS }).notNull(),
    /** 2026-07 (month), 2026-11-01 (single window), 2026H1 (half-year). */
    period: text('period').notNull(),
    status: text('status', { enum: RESULT_STATUSES }).notNull(),
    /** Bumped by every recomputation, so a printed notice can be matched to what it showed. */
    version: integer('version').notNull(),
    computedAt: integer('computed_at').notNull(),
    computedBy: text('computed_by').notNull().references(() => accounts.id),
    announcedAt: integer('announced_at'),
    announcedBy: text('announced_by').references(() => accounts.id),
    /** Last instant an objection is taken (23:59:59.999 +08:00 of the period's last day). */
    objectionDeadline: integer('objection_deadline'),
    finalizedAt: integer('finalized_at'),
    finalizedBy: text('finalized_by').references(() => accounts.id),
  },
  (t) => [uniqueIndex('results_campaign_period').on(t.campaignId, t.kind, t.period)],
);

/** One household's line in a result set, with every figure behind it and the reason in words. */
export const resultLines = sqliteTable(
  'result_lines',
  {
    resultId: text('result_id').notNull().references(() => results.id),
    householdId: text('household_id').notNull().references(() => households.id),
    villageId: text('village_id').notNull().references(() => villages.id),
    entryId: text('entry_id').references(() => entries.id),
    /** Rank within the village among ranked lines; null when unranked, disqualified or excluded. */
    rank: integer('rank'),
    /** Exact total as a fraction "num/den"; null when not scored. */
    total: text('total'),
    /** JSON [{key, name, max, mean}] with means to one decimal (half-year: empty). */
    criteria: text('criteria', { mode: 'json' }).notNull(),
    sheets: integer('sheets').notNull(),
    awarded: integer('awarded', { mode: 'boolean' }).notNull(),
    stars: integer('stars').notNull(),
    reason: text('reason').notNull(),
    /** JSON: half-year months [{period, awarded, total}] and figures; {} for a round. */
    detail: text('detail', { mode: 'json' }).notNull(),
    /** Set when an upheld objection took the line out of the results. */
    excludedReason: text('excluded_reason'),
  },
  (t) => [primaryKey({ columns: [t.resultId, t.householdId] }), index('result_lines_household').on(t.householdId)],
);

export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;

/** An objection (异议) to an announced result, about one household's line. */
export const objections = sqliteTable(
  'objections',
  {
    id: text('id').primaryKey(),
    resultId: text('result_id').notNull().references(() => results.id),
    householdId: text('household_id').notNull().references(() => households.id),
    accountId: text('account_id').notNull().references(() => accounts.id),
    text: text('text').notNull(),
    status: text('status', { enum: OBJECTION_STATUSES }).notNull(),
    createdAt: integer('created_at').notNull(),
    decidedAt: integer('decided_at'),
    decidedBy: text('decided_by').references(() => accounts.id),
    decisionReason: text('decision_reason'),
    /** JSON: what the decision changed, shown publicly ({before, after} of the lines that moved). */
    change: text('change', { mode: 'json' }),
  },
  (t) => [index('objections_result').on(t.resultId, t.status), index('objections_account').on(t.accountId)],
);

export const objectionPhotos = sqliteTable(
  'objection_photos',
  {
    id: text('id').primaryKey(),
    objectionId: text('objection_id').notNull().references(() => objections.id),
    storageKey: text('storage_key').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('objection_photos_objection').on(t.objectionId), index('objection_photos_storage').on(t.storageKey)],
);

export const PLATE_STATUSES = ['issued', 'revoked', 'superseded'] as const;

/** An honor door plate (荣誉门牌): public, verifiable by its serial. */
export const plates = sqliteTable(
  'plates',
  {
    serial: text('serial').primaryKey(),
    resultId: text('result_id').notNull().references(() => results.id),
    campaignId: text('campaign_id').notNull().references(() => campaigns.id),
    householdId: text('household_id').notNull().references(() => households.id),
    villageId: text('village_id').notNull().references(() => villages.id),
    period: text('period').notNull(),
    stars: integer('stars').notNull(),
    title: text('title').notNull(),
    /** The head of household's full name: the plate hangs on their door. */
    holderName: text('holder_name').notNull(),
    issuer: text('issuer').notNull(),
    issuedAt: integer('issued_at').notNull(),
    issuedBy: text('issued_by').notNull().references(() => accounts.id),
    status: text('status', { enum: PLATE_STATUSES }).notNull(),
    revokedAt: integer('revoked_at'),
    revokedBy: text('revoked_by').references(() => accounts.id),
    revokedReason: text('revoked_reason'),
    supersededBy: text('superseded_by'),
  },
  (t) => [
    uniqueIndex('plates_one_per_result').on(t.resultId, t.householdId).where(sql`status <> 'revoked'`),
    index('plates_household').on(t.householdId, t.issuedAt),
    index('plates_village').on(t.villageId, t.period),
  ],
);

export const REWARD_STATUSES = ['pending', 'paid'] as const;

/** A reward attached to an award: money in fen or goods; paid out and confirmed by the village. */
export const rewards = sqliteTable(
  'rewards',
  {
    id: text('id').primaryKey(),
    resultId: text('result_id').notNull().references(() => results.id),
    householdId: text('household_id').notNull().references(() => households.id),
    villageId: text('village_id').notNull().references(() => villages.id),
    /** What it is for (2026年上半年 四星级美丽庭院). */
    label: text('label').notNull(),
    amountFen: integer('amount_fen'),
    goods: text('goods'),
    status: text('status', { enum: REWARD_STATUSES }).notNull(),
    createdAt: integer('created_at').notNull(),
    /** The day it was paid (YYYY-MM-DD, Shanghai), who handed it over, and a note. */
    paidOn: text('paid_on'),
    payer: text('payer'),
    note: text('note'),
    confirmedBy: text('confirmed_by').references(() => accounts.id),
    confirmedAt: integer('confirmed_at'),
  },
  (t) => [uniqueIndex('rewards_one_per_result').on(t.resultId, t.householdId), index('rewards_village').on(t.villageId, t.status)],
);
