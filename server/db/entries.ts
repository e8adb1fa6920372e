import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { householdLabel } from '../domain/households.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { entryTransition, isEditable, isPublic, MAX_PHOTOS, submitOutcome, type EntryState } from '../domain/entries.ts';
import { periodLabel } from '../domain/results.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../lib/ids.ts';
import { hashDistance, NEAR_DUPLICATE_BITS } from '../domain/photos.ts';
import { likesOpen } from '../domain/likes.ts';
import { takesEntries } from '../domain/rounds.ts';
import type { StoredPhoto } from '../media/pool.ts';
import { appendAudit } from './audit.ts';
import { prepared, type Db, type Tx } from './client.ts';
import { notifyHousehold } from './notifications.ts';
import { campaigns, entries, households, photoMatches, photos, rounds, towns, villages } from './schema.ts';

type EntryRow = typeof entries.$inferSelect;
type PhotoRow = typeof photos.$inferSelect;

const entryById = (db: Db | Tx) => db.select().from(entries).where(eq(entries.id, sql.placeholder('id'))).prepare();
const livePhotosOf = (db: Db | Tx) =>
  db.select().from(photos).where(and(eq(photos.entryId, sql.placeholder('entryId')), isNull(photos.removedAt))).orderBy(asc(photos.position)).prepare();
const contextOf = (db: Db | Tx) =>
  db
    .select({ round: rounds, campaign: campaigns, village: villages, townName: towns.name })
    .from(rounds)
    .innerJoin(campaigns, eq(campaigns.id, rounds.campaignId))
    .innerJoin(villages, eq(villages.id, sql.placeholder('villageId')))
    .innerJoin(towns, eq(towns.id, villages.townId))
    .where(eq(rounds.id, sql.placeholder('roundId')))
    .prepare();
const headNameOf = (db: Db | Tx) => db.select({ headName: households.headName }).from(households).where(eq(households.id, sql.placeholder('id'))).prepare();

export function getEntry(db: Db | Tx, id: string): EntryRow {
  const e = prepared(db, entryById).get({ id });
  if (!e) throw notFound('参评作品');
  return e;
}

export function photoUrl(key: string, size: 'display' | 'thumb'): string {
  return `/api/photos/${key}/${size}.webp`;
}

export function livePhotos(db: Db | Tx, entryId: string): PhotoRow[] {
  return prepared(db, livePhotosOf).all({ entryId });
}

/** The context an entry is judged in: its round, campaign (threshold, rules) and village. */
export function entryContext(db: Db | Tx, e: EntryRow) {
  return prepared(db, contextOf).get({ villageId: e.villageId, roundId: e.roundId })!;
}

/**
 * What anyone may see of an entry: the household as 陈家庭院 and its village, never a door
 * number or phone. `privileged` (the household, its cadres) adds hidden photos with reasons,
 * capture-time flags and the hiding reason of the entry.
 */
export function entryView(db: Db | Tx, e: EntryRow, privileged: boolean, now: number) {
  const ctx = entryContext(db, e);
  const h = prepared(db, headNameOf).get({ id: e.householdId })!;
  const all = livePhotos(db, e.id);
  const shown = privileged ? all : all.filter((p) => p.hiddenAt === null);
  return {
    id: e.id,
    roundId: e.roundId,
    campaignId: ctx.campaign.id,
    campaignTitle: ctx.campaign.title,
    period: ctx.round.period,
    roundEndsAt: toShanghaiIso(ctx.round.endsAt),
    likesOpen: likesOpen(ctx.campaign.status === 'open', ctx.round, now),
    // Decided here, by the server's clock: a phone's may be wrong by days.
    takesChanges: takesEntries(ctx.campaign.status === 'open', ctx.round, now),
    editable: takesEntries(ctx.campaign.status === 'open', ctx.round, now) && isEditable(e.status),
    roundOver: now > ctx.round.endsAt,
    villageId: ctx.village.id,
    villageName: ctx.village.name,
    townName: ctx.townName,
    householdLabel: householdLabel(h.headName),
    number: e.number,
    description: e.description,
    status: e.status,
    likeCount: e.likeCount,
    threshold: ctx.campaign.likeThreshold,
    qualifiedAt: e.qualifiedAt === null ? null : toShanghaiIso(e.qualifiedAt),
    submittedAt: e.submittedAt === null ? null : toShanghaiIso(e.submittedAt),
    byProxy: e.proxyBy !== null,
    coverUrl: shown[0] ? photoUrl(shown[0].storageKey, 'thumb') : null,
    photos: shown.map((p) => ({
      id: p.id,
      kind: p.kind,
      position: p.position,
      thumbUrl: photoUrl(p.storageKey, 'thumb'),
      displayUrl: photoUrl(p.storageKey, 'display'),
      width: p.width,
      height: p.height,
      ...(privileged
        ? {
            hidden: p.hiddenAt === null ? null : { reason: p.hiddenReason ?? '', at: toShanghaiIso(p.hiddenAt) },
            capturedAt: p.capturedAt === null ? null : toShanghaiIso(p.capturedAt),
            takenOutsideRound: takenOutside(p.capturedAt, ctx.round),
          }
        : {}),
    })),
    ...(privileged ? { hidden: e.hiddenAt === null ? null : { reason: e.hiddenReason ?? '', at: toShanghaiIso(e.hiddenAt) } } : {}),
  };
}

export type EntryView = ReturnType<typeof entryView>;

/**
 * The public gallery of a round: visible entries, most liked first, a page at a time — one
 * query for the page, with each card's cover and count of visible photos alongside.
 */
export function publicEntries(db: Db, roundId: string, limit: number, offset: number) {
  const visible = `e.round_id = ? and e.hidden_at is null and e.status not in ('draft', 'withdrawn')`;
  const rows = db.$client
    .prepare(
      `select e.id, e.number, e.status, e.like_count as likeCount, e.qualified_at as qualifiedAt, e.proxy_by as proxyBy, h.head_name as headName,
              (select p.storage_key from photos p where p.entry_id = e.id and p.removed_at is null and p.hidden_at is null order by p.position limit 1) as cover,
              (select count(*) from photos p where p.entry_id = e.id and p.removed_at is null and p.hidden_at is null) as photoCount
         from entries e join households h on h.id = e.household_id
        where ${visible}
        order by e.like_count desc, e.submitted_at asc
        limit ? offset ?`,
    )
    .all(roundId, limit, offset) as Array<{ id: string; number: number | null; status: EntryState; likeCount: number; qualifiedAt: number | null; proxyBy: string | null; headName: string; cover: string | null; photoCount: number }>;
  const total = (db.$client.prepare(`select count(*) as n from entries e where ${visible}`).get(roundId) as { n: number }).n;
  return {
    total,
    entries: rows.map((r) => ({
      id: r.id,
      householdLabel: householdLabel(r.headName),
      number: r.number,
      status: r.status,
      likeCount: r.likeCount,
      qualifiedAt: r.qualifiedAt === null ? null : toShanghaiIso(r.qualifiedAt),
      coverUrl: r.cover ? photoUrl(r.cover, 'thumb') : null,
      photoCount: r.photoCount,
      byProxy: r.proxyBy !== null,
    })),
  };
}

/** Every entry of a round in these villages that has been submitted at some point (drafts are the household's own business), with its family's head and door. */
export function entriesForReview(db: Db, roundId: string, villageIds: string[]) {
  return db
    .select({ entry: entries, headName: households.headName, doorNumber: households.doorNumber })
    .from(entries)
    .innerJoin(households, eq(households.id, entries.householdId))
    .where(and(eq(entries.roundId, roundId), inArray(entries.villageId, villageIds), ne(entries.status, 'draft')))
    .orderBy(desc(entries.hiddenAt), desc(entries.likeCount))
    .all();
}

export function entriesOfHousehold(db: Db, householdId: string) {
  return db.select().from(entries).where(eq(entries.householdId, householdId)).orderBy(desc(entries.createdAt)).all();
}

export interface NewEntry {
  roundId: string;
  householdId: string;
  villageId: string;
  description: string;
  actorId: string;
  byProxy: boolean;
}

/** Enter a household in a round; a withdrawn entry is taken up again rather than duplicated. */
export function createEntry(db: Db, n: NewEntry, now: number): EntryRow {
  return db.transaction((tx) => {
    const existing = tx.select().from(entries).where(and(eq(entries.roundId, n.roundId), eq(entries.householdId, n.householdId))).get();
    if (existing && existing.status !== 'withdrawn') {
      throw conflict('entry_exists', '这一户在本轮已经报名参评，请直接编辑已有的作品。', { entryId: existing.id });
    }
    if (existing) {
      entryTransition('withdrawn', 'draft', 'reenter');
      // A draft again: the earlier submission (and its qualification) no longer stands.
      tx.update(entries).set({ status: 'draft', description: n.description, submittedAt: null, qualifiedAt: null, updatedAt: now }).where(eq(entries.id, existing.id)).run();
      appendAudit(tx, { actorId: n.actorId, action: 'entry.reenter', subjectType: 'entry', subjectId: existing.id, before: { status: 'withdrawn' }, after: { status: 'draft' } }, now);
      return getEntry(tx, existing.id);
    }
    const id = newId('en');
    tx.insert(entries)
      .values({ id, roundId: n.roundId, householdId: n.householdId, villageId: n.villageId, description: n.description, status: 'draft', createdAt: now, updatedAt: now, createdBy: n.actorId, proxyBy: n.byProxy ? n.actorId : null })
      .run();
    appendAudit(tx, { actorId: n.actorId, action: n.byProxy ? 'entry.create_proxy' : 'entry.create', subjectType: 'entry', subjectId: id, after: { status: 'draft', roundId: n.roundId, householdId: n.householdId } }, now);
    return getEntry(tx, id);
  });
}

export function updateEntry(db: Db, id: string, patch: { description?: string | undefined; photoOrder?: string[] | undefined; photoKinds?: Record<string, PhotoRow['kind']> | undefined }, actorId: string, now: number): EntryRow {
  return db.transaction((tx) => {
    const e = getEntry(tx, id);
    const live = livePhotos(tx, id);
    if (patch.photoOrder) {
      const ids = new Set(live.map((p) => p.id));
      if (patch.photoOrder.length !== live.length || !patch.photoOrder.every((pid) => ids.has(pid)) || new Set(patch.photoOrder).size !== live.length) {
        throw conflict('photo_order_mismatch', '照片顺序应包含这个作品现有的每一张照片，各一次。请刷新后再排。', { field: 'photoOrder', photoIds: [...ids] });
      }
      patch.photoOrder.forEach((pid, i) => tx.update(photos).set({ position: i + 1 }).where(eq(photos.id, pid)).run());
    }
    if (patch.photoKinds) {
      for (const [pid, kind] of Object.entries(patch.photoKinds)) {
        if (!live.some((p) => p.id === pid)) throw conflict('photo_not_in_entry', '要修改的照片不属于这个作品。', { field: 'photoKinds', photoId: pid });
        tx.update(photos).set({ kind }).where(eq(photos.id, pid)).run();
      }
    }
    if (patch.description !== undefined) tx.update(entries).set({ description: patch.description }).where(eq(entries.id, id)).run();
    tx.update(entries).set({ updatedAt: now }).where(eq(entries.id, id)).run();
    const kinds = (list: ReadonlyArray<{ id: string; kind: string }>) => Object.fromEntries(list.map((p) => [p.id, p.kind]));
    appendAudit(
      tx,
      {
        actorId,
        action: 'entry.edit',
        subjectType: 'entry',
        subjectId: id,
        before: { description: e.description, order: live.map((p) => p.id), kinds: kinds(live) },
        after: { description: patch.description ?? e.description, order: patch.photoOrder ?? live.map((p) => p.id), kinds: kinds(livePhotos(tx, id)) },
      },
      now,
    );
    return getEntry(tx, id);
  });
}

/**
 * Store a processed photo on an entry. The count is checked again inside the transaction, so
 * two uploads racing for the ninth place cannot both take it. Reuse is looked for here too.
 * The same file sent again to the same entry is the photo it already has: a phone that gave up
 * waiting for the answer, on a weak line, sends it once more.
 */
export function addPhoto(db: Db, entryId: string, kind: PhotoRow['kind'], p: StoredPhoto, actorId: string, now: number): PhotoRow {
  return db.transaction((tx) => {
    const e = getEntry(tx, entryId);
    const live = livePhotos(tx, entryId);
    const again = live.find((x) => x.sourceHash === p.sourceHash);
    if (again) return again;
    if (live.length >= MAX_PHOTOS) throw conflict('too_many_photos', `每个作品最多 ${MAX_PHOTOS} 张照片。请先删除一张再上传。`, { max: MAX_PHOTOS });
    const id = newId('ph');
    tx.insert(photos)
      .values({
        id,
        entryId,
        householdId: e.householdId,
        position: (live.at(-1)?.position ?? 0) + 1,
        kind,
        sourceHash: p.sourceHash,
        perceptualHash: p.perceptualHash,
        storageKey: p.storageKey,
        width: p.width,
        height: p.height,
        bytes: p.displayBytes,
        capturedAt: p.capturedAt,
        createdAt: now,
        uploadedBy: actorId,
      })
      .run();
    for (const m of findReuse(tx, { id, entryId, householdId: e.householdId, roundId: e.roundId, sourceHash: p.sourceHash, perceptualHash: p.perceptualHash })) {
      tx.insert(photoMatches).values({ photoId: id, matchPhotoId: m.id, kind: m.kind, distance: m.distance, createdAt: now }).onConflictDoNothing().run();
    }
    tx.update(entries).set({ updatedAt: now }).where(eq(entries.id, entryId)).run();
    appendAudit(tx, { actorId, action: 'photo.add', subjectType: 'entry', subjectId: entryId, after: { photoId: id, kind, storageKey: p.storageKey } }, now);
    return tx.select().from(photos).where(eq(photos.id, id)).get()!;
  });
}

/**
 * Photos this one repeats: the same file or a near-identical picture, used by another
 * household (any round), or by the same household in an earlier round.
 */
function findReuse(tx: Tx, p: { id: string; entryId: string; householdId: string; roundId: string; sourceHash: string; perceptualHash: string }) {
  const candidates = tx
    .select({ id: photos.id, householdId: photos.householdId, entryId: photos.entryId, sourceHash: photos.sourceHash, perceptualHash: photos.perceptualHash, roundStartsAt: rounds.startsAt })
    .from(photos)
    .innerJoin(entries, eq(entries.id, photos.entryId))
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .where(and(ne(photos.id, p.id), ne(photos.entryId, p.entryId)))
    .all();
  const ownRoundStart = tx.select({ s: rounds.startsAt }).from(rounds).where(eq(rounds.id, p.roundId)).get()!.s;
  const out: Array<{ id: string; kind: 'exact' | 'near'; distance: number }> = [];
  for (const c of candidates) {
    const relevant = c.householdId !== p.householdId || c.roundStartsAt < ownRoundStart;
    if (!relevant) continue;
    if (c.sourceHash === p.sourceHash) out.push({ id: c.id, kind: 'exact', distance: 0 });
    else {
      const d = hashDistance(c.perceptualHash, p.perceptualHash);
      // Exact means the very same file; a re-saved or resized copy is near, even at distance 0.
      if (d <= NEAR_DUPLICATE_BITS) out.push({ id: c.id, kind: 'near', distance: d });
    }
  }
  return out;
}

export function removePhoto(db: Db, entryId: string, photoId: string, actorId: string, now: number): void {
  db.transaction((tx) => {
    const p = tx.select().from(photos).where(and(eq(photos.id, photoId), eq(photos.entryId, entryId), isNull(photos.removedAt))).get();
    if (!p) throw notFound('照片');
    tx.update(photos).set({ removedAt: now }).where(eq(photos.id, photoId)).run();
    // Close the gap so positions stay 1..n.
    tx.update(photos).set({ position: sql`${photos.position} - 1` }).where(and(eq(photos.entryId, entryId), isNull(photos.removedAt), sql`${photos.position} > ${p.position}`)).run();
    appendAudit(tx, { actorId, action: 'photo.remove', subjectType: 'entry', subjectId: entryId, before: { photoId, kind: p.kind } }, now);
  });
}

function nextEntryNumber(tx: Db | Tx, roundId: string, villageId: string): number {
  const row = tx
    .select({ last: sql<number | null>`max(${entries.number})` })
    .from(entries)
    .where(and(eq(entries.roundId, roundId), eq(entries.villageId, villageId)))
    .get();
  return (row?.last ?? 0) + 1;
}

export function submitEntry(db: Db, id: string, likeThreshold: number, actorId: string, now: number): EntryRow {
  return db.transaction((tx) => {
    const e = getEntry(tx, id);
    const to = submitOutcome({ status: e.status, photoCount: livePhotos(tx, id).length, likeCount: e.likeCount }, likeThreshold);
    // The first submission gives the entry its number in its round and village, for good.
    const number = e.number ?? nextEntryNumber(tx, e.roundId, e.villageId);
    tx.update(entries).set({ status: to, submittedAt: now, updatedAt: now, number, ...(to === 'qualified' ? { qualifiedAt: now } : {}) }).where(eq(entries.id, id)).run();
    appendAudit(tx, { actorId, action: 'entry.submit', subjectType: 'entry', subjectId: id, before: { status: e.status }, after: { status: to } }, now);
    return getEntry(tx, id);
  });
}

export function withdrawEntry(db: Db, id: string, actorId: string, reason: string | null, now: number): EntryRow {
  return db.transaction((tx) => {
    const e = getEntry(tx, id);
    entryTransition(e.status, 'withdrawn', 'withdraw');
    tx.update(entries).set({ status: 'withdrawn', updatedAt: now }).where(eq(entries.id, id)).run();
    appendAudit(tx, { actorId, action: 'entry.withdraw', subjectType: 'entry', subjectId: id, before: { status: e.status }, after: { status: 'withdrawn' }, reason }, now);
    return getEntry(tx, id);
  });
}

/** A cadre hides or restores an entry or one of its photos, with a reason the household is told. */
export function moderate(
  db: Db,
  target: { entryId: string; photoId?: string | undefined },
  action: 'hide' | 'restore',
  reason: string,
  actorId: string,
  now: number,
): void {
  db.transaction((tx) => {
    const e = getEntry(tx, target.entryId);
    const ctx = entryContext(tx, e);
    if (target.photoId) {
      const p = tx.select().from(photos).where(and(eq(photos.id, target.photoId), eq(photos.entryId, e.id), isNull(photos.removedAt))).get();
      if (!p) throw notFound('照片');
      if ((action === 'hide') === (p.hiddenAt !== null)) {
        throw conflict('already_' + (action === 'hide' ? 'hidden' : 'visible'), action === 'hide' ? '这张照片已经被隐藏了。' : '这张照片没有被隐藏。');
      }
      tx.update(photos)
        .set(action === 'hide' ? { hiddenAt: now, hiddenBy: actorId, hiddenReason: reason } : { hiddenAt: null, hiddenBy: null, hiddenReason: null })
        .where(eq(photos.id, p.id))
        .run();
      appendAudit(tx, { actorId, action: `photo.${action}`, subjectType: 'entry', subjectId: e.id, before: { photoId: p.id, hidden: p.hiddenAt !== null }, after: { photoId: p.id, hidden: action === 'hide' }, reason }, now);
      const text = action === 'hide' ? `您在「${ctx.campaign.title}」的一张照片已被村干部隐藏，原因：${reason}` : `您在「${ctx.campaign.title}」被隐藏的照片已恢复显示。`;
      notifyHousehold(tx, e.householdId, action === 'hide' ? 'photo_hidden' : 'photo_restored', { entryId: e.id, photoId: p.id, reason }, text, now);
      return;
    }
    if ((action === 'hide') === (e.hiddenAt !== null)) {
      throw conflict('already_' + (action === 'hide' ? 'hidden' : 'visible'), action === 'hide' ? '这个作品已经被隐藏了。' : '这个作品没有被隐藏。');
    }
    tx.update(entries)
      .set(action === 'hide' ? { hiddenAt: now, hiddenBy: actorId, hiddenReason: reason, updatedAt: now } : { hiddenAt: null, hiddenBy: null, hiddenReason: null, updatedAt: now })
      .where(eq(entries.id, e.id))
      .run();
    appendAudit(tx, { actorId, action: `entry.${action}`, subjectType: 'entry', subjectId: e.id, before: { hidden: e.hiddenAt !== null }, after: { hidden: action === 'hide' }, reason }, now);
    const text = action === 'hide' ? `您在「${ctx.campaign.title}」的参评作品已被村干部隐藏，原因：${reason}` : `您在「${ctx.campaign.title}」的参评作品已恢复显示。`;
    notifyHousehold(tx, e.householdId, action === 'hide' ? 'entry_hidden' : 'entry_restored', { entryId: e.id, reason }, text, now);
  });
}

/** Whether a photo was taken outside its round: its camera's date lies before the round began or after it ended. */
function takenOutside(capturedAt: number | null, round: { startsAt: number; endsAt: number }): boolean {
  return capturedAt !== null && (capturedAt < round.startsAt || capturedAt > round.endsAt);
}

/**
 * Whether photo `p` (its round `r`) is flagged for the cadre: it repeats another photo, or it was
 * taken outside its round (`takenOutside`, in SQL). The one rule the checks' waiting count and
 * clearing a photo's flags use.
 */
export const FLAGGED_PHOTO_SQL = `(exists (select 1 from photo_matches m where m.photo_id = p.id)
  or (p.captured_at is not null and (p.captured_at < r.starts_at or p.captured_at > r.ends_at)))`;

/**
 * A cadre looked at a flagged photo (a repeat, a date outside the round) and found nothing wrong:
 * it leaves the checks' waiting list, with the reason recorded. Its flags stay visible.
 */
export function clearPhotoFlags(db: Db, target: { entryId: string; photoId: string }, reason: string, actorId: string, now: number): void {
  db.transaction((tx) => {
    const e = getEntry(tx, target.entryId);
    const p = tx.select().from(photos).where(and(eq(photos.id, target.photoId), eq(photos.entryId, e.id), isNull(photos.removedAt))).get();
    if (!p) throw notFound('照片');
    if (p.flagsClearedAt !== null) throw conflict('flags_cleared', '这张照片已经核实过没问题了。');
    const flagged = db.$client.prepare(`select 1 from photos p join entries e on e.id = p.entry_id join rounds r on r.id = e.round_id where p.id = ? and ${FLAGGED_PHOTO_SQL}`).get(p.id);
    if (!flagged) throw conflict('not_flagged', '这张照片没有需要核实的地方。');
    tx.update(photos).set({ flagsClearedAt: now, flagsClearedBy: actorId, flagsClearedReason: reason }).where(eq(photos.id, p.id)).run();
    appendAudit(tx, { actorId, action: 'photo.flags_clear', subjectType: 'entry', subjectId: e.id, before: { photoId: p.id, flagsCleared: false }, after: { photoId: p.id, flagsCleared: true }, reason }, now);
  });
}

/** For cadres: photos of a round that repeat others, with both sides, and photos taken outside the round. */
export function photoFlags(db: Db, roundId: string, villageIds: string[]) {
  const round = db.select().from(rounds).where(eq(rounds.id, roundId)).get();
  if (!round) throw notFound('评比轮次');
  const inRound = db
    .select({ p: photos, headName: households.headName })
    .from(photos)
    .innerJoin(entries, eq(entries.id, photos.entryId))
    .innerJoin(households, eq(households.id, photos.householdId))
    // drafts too (the cadre may look early); not a withdrawn entry or one the cadre has hidden
    .where(and(eq(entries.roundId, roundId), inArray(entries.villageId, villageIds), ne(entries.status, 'withdrawn'), isNull(entries.hiddenAt), isNull(photos.removedAt)))
    .all();
  if (!inRound.length) return { reused: [], outsideRound: [] };
  const ids = inRound.map((r) => r.p.id);
  const matches = db.select().from(photoMatches).where(inArray(photoMatches.photoId, ids)).all();
  const others = matches.length
    ? db
        .select({ p: photos, headName: households.headName, roundId: entries.roundId, period: rounds.period })
        .from(photos)
        .innerJoin(households, eq(households.id, photos.householdId))
        .innerJoin(entries, eq(entries.id, photos.entryId))
        .innerJoin(rounds, eq(rounds.id, entries.roundId))
        .where(inArray(photos.id, matches.map((m) => m.matchPhotoId)))
        .all()
    : [];
  const side = (p: PhotoRow, headName: string, extra: Record<string, unknown>) => ({
    photoId: p.id,
    entryId: p.entryId,
    householdId: p.householdId,
    householdName: headName,
    thumbUrl: photoUrl(p.storageKey, 'thumb'),
    displayUrl: photoUrl(p.storageKey, 'display'),
    uploadedAt: toShanghaiIso(p.createdAt),
    hidden: p.hiddenAt !== null,
    cleared: p.flagsClearedAt !== null ? { at: toShanghaiIso(p.flagsClearedAt), reason: p.flagsClearedReason ?? '' } : null,
    ...extra,
  });
  const byId = new Map(inRound.map((r) => [r.p.id, r]));
  const otherById = new Map(others.map((o) => [o.p.id, o]));
  return {
    reused: matches.map((m) => {
      const a = byId.get(m.photoId)!;
      const b = otherById.get(m.matchPhotoId)!;
      return {
        kind: m.kind,
        distance: m.distance,
        sameHousehold: a.p.householdId === b.p.householdId,
        photo: side(a.p, a.headName, {}),
        match: side(b.p, b.headName, { period: b.period, roundId: b.roundId }),
      };
    }),
    outsideRound: inRound
      .filter((r) => takenOutside(r.p.capturedAt, round))
      .map((r) => side(r.p, r.headName, { capturedAt: toShanghaiIso(r.p.capturedAt!) })),
  };
}

/** Whether some photo stored under this key may be shown to the public. */
export function photoKeyIsPublic(db: Db, key: string): boolean {
  const rows = db
    .select({ hiddenAt: photos.hiddenAt, removedAt: photos.removedAt, status: entries.status, entryHidden: entries.hiddenAt })
    .from(photos)
    .innerJoin(entries, eq(entries.id, photos.entryId))
    .where(eq(photos.storageKey, key))
    .all();
  return rows.some((r) => r.hiddenAt === null && r.removedAt === null && isPublic({ status: r.status as EntryState, hiddenAt: r.entryHidden }));
}

/** Households and villages whose private view of this key a person may have (own or managed). */
export function photoKeyOwners(db: Db, key: string) {
  return db
    .select({ householdId: photos.householdId, villageId: entries.villageId })
    .from(photos)
    .innerJoin(entries, eq(entries.id, photos.entryId))
    .where(eq(photos.storageKey, key))
    .all();
}

/**
 * Someone else (a cadre, a grid worker) changed an entry the family made themselves: the family
 * is told, once a day for each entry, who did it, so that a change they did not ask for is seen.
 */
export function tellFamilyOfChange(db: Db, actor: { accountId: string; householdId: string | null; phone: string }, entry: EntryRow, now: number): void {
  if (actor.householdId === entry.householdId || entry.proxyBy !== null) return;
  const client = db.$client;
  const told = client
    .prepare(
      `select 1 from notifications n join household_members m on m.account_id = n.account_id
        where m.household_id = ? and n.kind = 'entry_changed_for_you' and n.created_at > ? and json_extract(n.payload, '$.entryId') = ? limit 1`,
    )
    .get(entry.householdId, now - 86_400_000, entry.id);
  if (told) return;
  const round = client.prepare(`select r.period, c.title from rounds r join campaigns c on c.id = r.campaign_id where r.id = ?`).get(entry.roundId) as { period: string; title: string };
  const words = periodLabel({ kind: 'round', period: round.period, campaignTitle: round.title });
  notifyHousehold(db, entry.householdId, 'entry_changed_for_you', { entryId: entry.id }, `${actor.phone} 代您家修改了${words}的参评作品。如果不是您家请他改的，请联系村干部。`, now);
}
