import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { runByTown, type Criterion } from '../domain/campaigns.ts';
import type { EntryState } from '../domain/entries.ts';
import { conflict, forbidden, notFound } from '../domain/errors.ts';
import { compareDoorKeys, householdLabel } from '../domain/households.ts';
import { assertScoringOpen, checkPanelChange, MAX_SHEET_PHOTOS, panelChange, reviseSheet, scoreEntry, visitDueAt, type PanelRole, type SheetInput, type StoredSheet, type WantedMember } from '../domain/scoring.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId, sha256 } from '../lib/ids.ts';
import { accountForPhone } from './accounts.ts';
import { appendAudit } from './audit.ts';
import { clientOf, type Db, type Tx } from './client.ts';
import { notifyAccount } from './notifications.ts';
import { clause } from '../domain/text.ts';
import { accounts, campaigns, entries, households, panelMembers, panels, recusals, rounds, scoreSheets, sheetPhotos } from './schema.ts';
import { campaignVillageIds } from './campaigns.ts';
import type { StoredPhoto } from '../media/pool.ts';
import { photoUrl } from './entries.ts';

export interface NewPanel {
  campaignId: string;
  name: string;
  quorum: number;
  villageIds: string[];
  members: Array<{ phone: string; role: PanelRole; name: string }>;
}

export function createPanel(db: Db, p: NewPanel, actorId: string, now: number) {
  return db.transaction((tx) => {
    const id = newId('pn');
    tx.insert(panels).values({ id, campaignId: p.campaignId, name: p.name, quorum: p.quorum, villageIds: p.villageIds, createdAt: now, createdBy: actorId }).run();
    for (const m of p.members) {
      const account = accountForPhone(tx, m.phone, now, false);
      tx.insert(panelMembers).values({ panelId: id, accountId: account.id, role: m.role, displayName: m.name, addedAt: now }).run();
    }
    appendAudit(tx, { actorId, action: 'panel.create', subjectType: 'campaign', subjectId: p.campaignId, after: { panelId: id, name: p.name, quorum: p.quorum, members: p.members.map((m) => ({ role: m.role, name: m.name })) } }, now);
    return id;
  });
}

/**
 * A campaign's panels: the members on each, those taken off (with when), and how many sheets
 * came in through it (its quorum is fixed from the first).
 */
export function panelsOf(db: Db, campaignId: string) {
  return db
    .select()
    .from(panels)
    .where(eq(panels.campaignId, campaignId))
    .orderBy(asc(panels.createdAt))
    .all()
    .map((p) => {
      const seats = seatsOf(db, p.id);
      return {
        id: p.id,
        name: p.name,
        quorum: p.quorum,
        villageIds: p.villageIds as string[],
        members: seats.filter((m) => m.removedAt === null).map(({ removedAt: _r, ...m }) => m),
        formerMembers: seats.filter((m) => m.removedAt !== null).map((m) => ({ accountId: m.accountId, role: m.role, name: m.name, removedAt: toShanghaiIso(m.removedAt!) })),
        sheetsSent: sheetsSentThrough(db, p.id),
      };
    });
}

function sheetsSentThrough(db: Db | Tx, panelId: string): number {
  return (clientOf(db).prepare(`select count(*) as n from score_sheets where panel_id = ?`).get(panelId) as { n: number }).n;
}

export function getPanel(db: Db | Tx, id: string) {
  const panel = db.select().from(panels).where(eq(panels.id, id)).get();
  if (!panel) throw notFound('考评组');
  return panel;
}

/** Everyone who sat on a panel, in the order they joined (and were listed when it was formed). */
function seatsOf(db: Db | Tx, panelId: string) {
  return db
    .select({ accountId: panelMembers.accountId, role: panelMembers.role, name: panelMembers.displayName, phone: accounts.phone, removedAt: panelMembers.removedAt })
    .from(panelMembers)
    .innerJoin(accounts, eq(accounts.id, panelMembers.accountId))
    .where(eq(panelMembers.panelId, panelId))
    .orderBy(asc(panelMembers.addedAt), sql`${panelMembers}.rowid`)
    .all();
}

export interface PanelEdit {
  name: string;
  quorum: number;
  members: WantedMember[];
  reason: string;
}

/**
 * Change a panel's name, quorum and members (panelChange): a member taken off keeps the sheets
 * they sent and is told; one who joins or comes back is told where to look. One audit row with
 * the panel before and after, and the reason. A change that changes nothing writes nothing.
 */
export function changePanel(db: Db, panelId: string, edit: PanelEdit, actorId: string, now: number) {
  return db.transaction((tx) => {
    const panel = getPanel(tx, panelId);
    const seats = seatsOf(tx, panelId).map((s) => ({ ...s, role: s.role as PanelRole, phone: s.phone ?? '', removed: s.removedAt !== null }));
    checkPanelChange(edit.members, { before: panel.quorum, after: edit.quorum }, sheetsSentThrough(tx, panelId));
    const change = panelChange(seats, edit.members);
    const moves = change.joining.length + change.returning.length + change.leaving.length + change.relabelled.length;
    if (!moves && panel.name === edit.name && panel.quorum === edit.quorum) return { changed: false };

    const campaign = tx.select({ title: campaigns.title }).from(campaigns).where(eq(campaigns.id, panel.campaignId)).get()!;
    const where = `「${campaign.title}」的${edit.name}`;
    // Who changed it, as the member knows them: a town's campaign is run by its town admin.
    const changedBy = runByTown(campaignVillageIds(tx, panel.campaignId)) ? '镇管理员' : '村干部';
    const payload = { campaignId: panel.campaignId, panelId };
    tx.update(panels).set({ name: edit.name, quorum: edit.quorum }).where(eq(panels.id, panelId)).run();
    for (const m of change.leaving) {
      tx.update(panelMembers).set({ removedAt: now }).where(and(eq(panelMembers.panelId, panelId), eq(panelMembers.accountId, m.accountId))).run();
      notifyAccount(tx, m.accountId, 'panel_left', payload, `${changedBy}已把您移出${where}，不用再去打分。您已交的评分表仍然有效。原因：${clause(edit.reason)}。`, now);
    }
    for (const m of change.relabelled) {
      const seat = seats.find((s) => s.phone === m.phone)!;
      tx.update(panelMembers).set({ role: m.role, displayName: m.name }).where(and(eq(panelMembers.panelId, panelId), eq(panelMembers.accountId, seat.accountId))).run();
    }
    const welcome = (accountId: string, role: string) =>
      notifyAccount(tx, accountId, 'panel_joined', payload, `您已加入${where}（${role}）。登录后在「考评打分」里可以看到要去核实的庭院。`, now);
    for (const m of change.returning) {
      const seat = seats.find((s) => s.phone === m.phone)!;
      tx.update(panelMembers).set({ role: m.role, displayName: m.name, removedAt: null }).where(and(eq(panelMembers.panelId, panelId), eq(panelMembers.accountId, seat.accountId))).run();
      welcome(seat.accountId, m.role);
    }
    for (const m of change.joining) {
      const account = accountForPhone(tx, m.phone, now, false);
      tx.insert(panelMembers).values({ panelId, accountId: account.id, role: m.role, displayName: m.name, addedAt: now }).run();
      welcome(account.id, m.role);
    }
    const seatWords = (list: ReadonlyArray<{ role: string; name: string }>) => list.map((m) => ({ role: m.role, name: m.name }));
    appendAudit(
      tx,
      {
        actorId,
        action: 'panel.change',
        subjectType: 'campaign',
        subjectId: panel.campaignId,
        before: { panelId, name: panel.name, quorum: panel.quorum, members: seatWords(seats.filter((s) => !s.removed)) },
        after: { panelId, name: edit.name, quorum: edit.quorum, members: seatWords(edit.members), left: seatWords(change.leaving), joined: seatWords([...change.joining, ...change.returning]) },
        reason: edit.reason,
      },
      now,
    );
    return { changed: true };
  });
}

/** The panel through which this account scores entries of this village in this campaign, if any. */
export function panelFor(db: Db, accountId: string, campaignId: string, villageId: string) {
  const rows = db
    .select({ panel: panels, role: panelMembers.role })
    .from(panelMembers)
    .innerJoin(panels, eq(panels.id, panelMembers.panelId))
    .where(and(eq(panelMembers.accountId, accountId), eq(panels.campaignId, campaignId), isNull(panelMembers.removedAt)))
    .all();
  const hit = rows.find((r) => (r.panel.villageIds as string[]).includes(villageId));
  return hit ? { id: hit.panel.id, quorum: hit.panel.quorum, role: hit.role as PanelRole, villageIds: hit.panel.villageIds as string[] } : null;
}

export function sheetsOf(db: Db, entryId: string) {
  return db
    .select({ sheet: scoreSheets, role: panelMembers.role, name: panelMembers.displayName })
    .from(scoreSheets)
    .innerJoin(panelMembers, and(eq(panelMembers.panelId, scoreSheets.panelId), eq(panelMembers.accountId, scoreSheets.accountId)))
    .where(eq(scoreSheets.entryId, entryId))
    .orderBy(asc(scoreSheets.submittedAt))
    .all();
}

export function isRecused(db: Db, entryId: string, accountId: string): boolean {
  return !!db.select().from(recusals).where(and(eq(recusals.entryId, entryId), eq(recusals.accountId, accountId))).get();
}

/** Everything that decides whether a member may score this entry now. */
export function scoringContext(db: Db, entryId: string) {
  const r = db
    .select({ entry: entries, round: rounds, campaign: campaigns })
    .from(entries)
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .innerJoin(campaigns, eq(campaigns.id, rounds.campaignId))
    .where(eq(entries.id, entryId))
    .get();
  if (!r) throw notFound('参评作品');
  return { ...r, rubric: r.campaign.rubric as Criterion[] };
}

function bodyHash(s: SheetInput): string {
  const points = Object.fromEntries(Object.entries(s.points).sort(([a], [b]) => a.localeCompare(b)));
  return sha256(JSON.stringify([s.passed, points, s.comment.trim()]));
}

/**
 * Submit or replace a member's sheet, exactly once per idempotency key: the same key with the
 * same sheet answers the stored one (a phone resending after a lost answer), the same key with
 * a different sheet is a conflict, a new key replaces the sheet while scoring is open.
 */
export function putSheet(db: Db, a: { entryId: string; accountId: string; panelId: string; sheet: SheetInput; idempotencyKey: string; revisionReason?: string | undefined; roundStatus: string }, now: number) {
  return db.transaction((tx) => {
    const hash = bodyHash(a.sheet);
    const existing = tx.select().from(scoreSheets).where(and(eq(scoreSheets.entryId, a.entryId), eq(scoreSheets.accountId, a.accountId))).get();
    if (existing && existing.idempotencyKey === a.idempotencyKey) {
      if (existing.bodyHash !== hash) throw conflict('idempotency_conflict', '这份评分表已用同一编号提交过不同的内容。请刷新后重新填写。', { idempotencyKey: a.idempotencyKey });
      return { sheet: existing, outcome: 'replayed' as const };
    }
    assertScoringOpen(a.roundStatus);
    const values = { passed: a.sheet.passed, points: a.sheet.points, comment: a.sheet.comment.trim(), idempotencyKey: a.idempotencyKey, bodyHash: hash, updatedAt: now };
    if (existing) {
      const revision = reviseSheet(storedSheet(existing), a.sheet, a.revisionReason, now);
      tx.update(scoreSheets).set({ ...values, ...revision }).where(eq(scoreSheets.id, existing.id)).run();
      appendAudit(
        tx,
        {
          actorId: a.accountId,
          action: 'sheet.replace',
          subjectType: 'entry',
          subjectId: a.entryId,
          before: { passed: existing.passed, points: existing.points, comment: existing.comment },
          after: { passed: a.sheet.passed, points: a.sheet.points, comment: values.comment, ...(revision && { revisedAfterViewing: true }) },
          ...(revision && { reason: revision.revisionReason }),
        },
        now,
      );
    } else {
      tx.insert(scoreSheets).values({ id: newId('ss'), entryId: a.entryId, accountId: a.accountId, panelId: a.panelId, submittedAt: now, ...values }).run();
      appendAudit(tx, { actorId: a.accountId, action: 'sheet.submit', subjectType: 'entry', subjectId: a.entryId, after: { passed: a.sheet.passed, points: a.sheet.points, comment: values.comment } }, now);
    }
    return { sheet: tx.select().from(scoreSheets).where(and(eq(scoreSheets.entryId, a.entryId), eq(scoreSheets.accountId, a.accountId))).get()!, outcome: existing ? ('replaced' as const) : ('created' as const) };
  });
}

function storedSheet(s: typeof scoreSheets.$inferSelect): StoredSheet {
  return { passed: s.passed, points: s.points as Record<string, number>, comment: s.comment, othersSeenAt: s.othersSeenAt, original: s.original as SheetInput | null };
}

/**
 * A member has read the entry's sheets: if another member's sheet was among them, their own
 * sheet records when (the first time only), and from then on a change needs a reason.
 */
export function markOthersSeen(db: Db, entryId: string, accountId: string, sheets: ReturnType<typeof sheetsOf>, now: number): void {
  const own = sheets.find((s) => s.sheet.accountId === accountId);
  if (!own || own.sheet.othersSeenAt !== null || sheets.length < 2) return;
  db.update(scoreSheets).set({ othersSeenAt: now }).where(and(eq(scoreSheets.id, own.sheet.id), isNull(scoreSheets.othersSeenAt))).run();
}

/** How many sheets of each entry were changed after their member read the others'. */
export function revisedSheetCounts(db: Db, entryIds: string[]): Map<string, number> {
  if (!entryIds.length) return new Map();
  const rows = db
    .select({ entryId: scoreSheets.entryId, n: count() })
    .from(scoreSheets)
    .where(and(inArray(scoreSheets.entryId, entryIds), isNotNull(scoreSheets.revisedAt)))
    .groupBy(scoreSheets.entryId)
    .all();
  return new Map(rows.map((r) => [r.entryId, r.n]));
}

export function recuse(db: Db, entryId: string, accountId: string, reason: string, now: number): void {
  db.transaction((tx) => {
    if (tx.select().from(scoreSheets).where(and(eq(scoreSheets.entryId, entryId), eq(scoreSheets.accountId, accountId))).get()) {
      throw conflict('already_scored', '您已经给这户打过分，不能再回避。如确有亲属关系，请联系村干部。');
    }
    tx.insert(recusals).values({ entryId, accountId, reason, at: now }).onConflictDoNothing().run();
    appendAudit(tx, { actorId: accountId, action: 'sheet.recuse', subjectType: 'entry', subjectId: entryId, reason }, now);
  });
}

/**
 * A photo the member took on site, kept with their sheet for this entry. The same file sent again
 * to the same sheet is the photo it already has: a phone that kept it while there was no signal
 * sends it once more when its answer was lost on the way back.
 */
export function addSheetPhoto(db: Db, entryId: string, accountId: string, p: StoredPhoto, now: number, clientKey: string | null = null) {
  return db.transaction((tx) => {
    const mine = tx.select({ id: sheetPhotos.id, sourceHash: sheetPhotos.sourceHash, removedAt: sheetPhotos.removedAt, clientKey: sheetPhotos.clientKey }).from(sheetPhotos).where(and(eq(sheetPhotos.entryId, entryId), eq(sheetPhotos.accountId, accountId))).all();
    // The phone's key sent again is the photo it named, even one taken back since: a resend after
    // a lost answer does not bring back what the member deleted meanwhile.
    const resent = clientKey === null ? undefined : mine.find((x) => x.clientKey === clientKey);
    if (resent) return resent.id;
    // The same file again is the photo already stored; one taken back is not (the member chose it again).
    const kept = mine.filter((x) => x.removedAt === null);
    const again = kept.find((x) => x.sourceHash === p.sourceHash);
    if (again) return again.id;
    const n = kept.length;
    if (n >= MAX_SHEET_PHOTOS) throw conflict('too_many_photos', `每份评分表最多 ${MAX_SHEET_PHOTOS} 张现场照片。`, { max: MAX_SHEET_PHOTOS });
    const id = newId('sp');
    tx.insert(sheetPhotos).values({ id, entryId, accountId, storageKey: p.storageKey, sourceHash: p.sourceHash, clientKey, width: p.width, height: p.height, capturedAt: p.capturedAt, createdAt: now }).run();
    appendAudit(tx, { actorId: accountId, action: 'sheet.photo', subjectType: 'entry', subjectId: entryId, after: { photoId: id, storageKey: p.storageKey } }, now);
    return id;
  });
}

/**
 * A member takes back a photo of their sheet while scoring is open (the caller checks): it is no
 * longer shown nor served, and the audit row keeps which it was. Not theirs, or gone: 404.
 */
export function removeSheetPhoto(db: Db, entryId: string, accountId: string, photoId: string, now: number): void {
  db.transaction((tx) => {
    const photo = tx
      .select()
      .from(sheetPhotos)
      .where(and(eq(sheetPhotos.id, photoId), eq(sheetPhotos.entryId, entryId), eq(sheetPhotos.accountId, accountId), isNull(sheetPhotos.removedAt)))
      .get();
    if (!photo) throw notFound('现场照片');
    tx.update(sheetPhotos).set({ removedAt: now }).where(eq(sheetPhotos.id, photoId)).run();
    appendAudit(tx, { actorId: accountId, action: 'sheet.photo.remove', subjectType: 'entry', subjectId: entryId, before: { photoId, storageKey: photo.storageKey } }, now);
  });
}

export function sheetPhotosOf(db: Db, entryId: string, accountId: string) {
  return db
    .select()
    .from(sheetPhotos)
    .where(and(eq(sheetPhotos.entryId, entryId), eq(sheetPhotos.accountId, accountId), isNull(sheetPhotos.removedAt)))
    .orderBy(asc(sheetPhotos.createdAt))
    .all()
    .map((p) => ({ id: p.id, thumbUrl: photoUrl(p.storageKey, 'thumb'), displayUrl: photoUrl(p.storageKey, 'display'), width: p.width, height: p.height }));
}

/** Campaign and village of every on-site photo stored under this key: who may see it follows from them. */
export function sheetPhotoScopes(db: Db, key: string) {
  return db
    .select({ campaignId: rounds.campaignId, villageId: entries.villageId })
    .from(sheetPhotos)
    .innerJoin(entries, eq(entries.id, sheetPhotos.entryId))
    .innerJoin(rounds, eq(rounds.id, entries.roundId))
    .where(and(eq(sheetPhotos.storageKey, key), isNull(sheetPhotos.removedAt)))
    .all();
}

export function sheetView(s: typeof scoreSheets.$inferSelect, who: { role: string; name: string }, photos: ReturnType<typeof sheetPhotosOf> = []) {
  return {
    id: s.id,
    member: who.name,
    role: who.role,
    passed: s.passed,
    points: s.points as Record<string, number>,
    comment: s.comment,
    submittedAt: toShanghaiIso(s.submittedAt),
    updatedAt: toShanghaiIso(s.updatedAt),
    photos,
    revisedAfterViewing:
      s.revisedAt === null
        ? null
        : { at: toShanghaiIso(s.revisedAt), reason: s.revisionReason ?? '', original: s.original as { passed: boolean; points: Record<string, number>; comment: string } },
  };
}

/**
 * SQL for the quorum entry `e` is judged by: that of the panel whose members scored it, else
 * of a panel covering its village; null where no panel has it (the campaign's applies). The
 * one definition that closing scoring, an entry's score and the round's results all use.
 */
export const ENTRY_QUORUM_SQL = `coalesce(
  (select p.quorum from score_sheets s join panels p on p.id = s.panel_id where s.entry_id = e.id limit 1),
  (select p.quorum from panels p, json_each(p.village_ids) v
    where p.campaign_id = (select r.campaign_id from rounds r where r.id = e.round_id) and v.value = e.village_id limit 1))`;

/** The quorum an entry is judged by (ENTRY_QUORUM_SQL), else the campaign's. */
export function entryQuorum(db: Db, entryId: string, campaignQuorum: number): number {
  const row = db.$client.prepare(`select ${ENTRY_QUORUM_SQL} as quorum from entries e where e.id = ?`).get(entryId) as { quorum: number | null } | undefined;
  return row?.quorum ?? campaignQuorum;
}

/** An entry's score as it stands, explained criterion by criterion. */
export function entryScoreView(db: Db, entryId: string, rubric: Criterion[], campaignQuorum: number) {
  const sheets = sheetsOf(db, entryId).map((r) => ({ memberId: r.sheet.accountId, passed: r.sheet.passed, points: r.sheet.points as Record<string, number>, comment: r.sheet.comment }));
  const s = scoreEntry(sheets, rubric, entryQuorum(db, entryId, campaignQuorum));
  return {
    sheets: s.sheets,
    quorum: s.quorum,
    ranked: s.ranked,
    disqualified: s.disqualified,
    failedChecks: s.failedChecks,
    total: s.totalDisplay,
    explanation: s.explanation,
    criteria: s.criteria.map((c) => ({ key: c.key, name: c.name, max: c.max, mean: c.display, values: c.values, dropped: c.dropped, spreadFlag: c.spreadFlag, explanation: c.explanation })),
  };
}

/**
 * The panel's queue: qualified entries of the round in the panel's villages (and, once scoring
 * has closed, the ones scored), with due dates, door numbers (the panel visits) and the
 * member's own state.
 */
export function inspectionQueue(db: Db, roundId: string, panel: { id: string; villageIds: string[] }, accountId: string, dueDays: number, now: number) {
  const rows = db
    .select({ entry: entries, headName: households.headName, doorNumber: households.doorNumber, doorKey: households.doorKey })
    .from(entries)
    .innerJoin(households, eq(households.id, entries.householdId))
    .where(and(eq(entries.roundId, roundId), inArray(entries.status, ['qualified', 'scored']), inArray(entries.villageId, panel.villageIds)))
    .all();
  const ids = rows.map((r) => r.entry.id);
  const mine = ids.length ? db.select().from(scoreSheets).where(and(inArray(scoreSheets.entryId, ids), eq(scoreSheets.accountId, accountId))).all() : [];
  const counts = new Map<string, number>();
  if (ids.length) for (const s of db.select({ entryId: scoreSheets.entryId }).from(scoreSheets).where(inArray(scoreSheets.entryId, ids)).all()) counts.set(s.entryId, (counts.get(s.entryId) ?? 0) + 1);
  const recused = new Set(ids.length ? db.select().from(recusals).where(and(inArray(recusals.entryId, ids), eq(recusals.accountId, accountId))).all().map((r) => r.entryId) : []);
  return rows
    .map((r) => {
      const dueAt = visitDueAt(r.entry, dueDays);
      const sheet = mine.find((s) => s.entryId === r.entry.id);
      return {
        entryId: r.entry.id,
        householdLabel: householdLabel(r.headName),
        headName: r.headName,
        doorNumber: r.doorNumber,
        doorKey: r.doorKey,
        householdId: r.entry.householdId,
        qualifiedAt: r.entry.qualifiedAt === null ? null : toShanghaiIso(r.entry.qualifiedAt),
        dueAt: toShanghaiIso(dueAt),
        overdue: now > dueAt && !sheet && !recused.has(r.entry.id),
        sheetsIn: counts.get(r.entry.id) ?? 0,
        recused: recused.has(r.entry.id),
        myPhotos: sheetPhotosOf(db, r.entry.id, accountId),
        mySheet: sheet
          ? {
              passed: sheet.passed,
              points: sheet.points as Record<string, number>,
              comment: sheet.comment,
              idempotencyKey: sheet.idempotencyKey,
              updatedAt: toShanghaiIso(sheet.updatedAt),
              othersSeenAt: sheet.othersSeenAt === null ? null : toShanghaiIso(sheet.othersSeenAt),
            }
          : null,
      };
    })
    .sort((a, b) => compareDoorKeys(a.doorKey, b.doorKey));
}

export function assertMayScore(actor: { accountId: string; householdId: string | null }, entry: { id: string; householdId: string; status: string }, db: Db): void {
  if (actor.householdId === entry.householdId) throw forbidden('不能给自己家的庭院打分。');
  if (isRecused(db, entry.id, actor.accountId)) throw conflict('recused', '您已声明回避这一户，不能再打分。');
  if (entry.status !== 'qualified') throw conflict('not_qualified', '只有已达标、待实地核实的作品才能打分。', { status: entry.status });
}

/** The round's entries in these villages that reached the panel (qualified onwards), in door order. */
export function entriesBeyondQualifying(db: Db, roundId: string, villageIds: string[]) {
  const rows = db.$client
    .prepare(
      `select e.id, e.status, e.village_id as villageId, h.head_name as headName, h.door_number as doorNumber, h.door_key as doorKey from entries e join households h on h.id = e.household_id
        where e.round_id = ? and e.status not in ('draft', 'submitted', 'withdrawn') and e.village_id in (${villageIds.map(() => '?').join(',')})`,
    )
    .all(roundId, ...villageIds) as Array<{ id: string; status: EntryState; villageId: string; headName: string; doorNumber: string; doorKey: string }>;
  return rows.sort((a, b) => compareDoorKeys(a.doorKey, b.doorKey));
}

/**
 * For each entry, the members of its village's panel who have not scored it and those who
 * stepped aside, by name: the cadre chasing the panel knows whom to call.
 */
export function whoIsOut(db: Db, campaignId: string, entries: ReadonlyArray<{ id: string; villageId: string }>) {
  const panels = panelsOf(db, campaignId);
  const ids = entries.map((e) => e.id);
  const scored = new Set(
    ids.length ? db.select({ e: scoreSheets.entryId, a: scoreSheets.accountId }).from(scoreSheets).where(inArray(scoreSheets.entryId, ids)).all().map((r) => `${r.e}|${r.a}`) : [],
  );
  const stepped = new Set(ids.length ? db.select({ e: recusals.entryId, a: recusals.accountId }).from(recusals).where(inArray(recusals.entryId, ids)).all().map((r) => `${r.e}|${r.a}`) : []);
  return new Map(
    entries.map((e) => {
      // One person on two panels of the village is one name.
      const members = [...new Map(panels.filter((p) => p.villageIds.includes(e.villageId)).flatMap((p) => p.members.map((m) => [m.accountId, m] as const))).values()];
      return [
        e.id,
        {
          waitingFor: members.filter((m) => !scored.has(`${e.id}|${m.accountId}`) && !stepped.has(`${e.id}|${m.accountId}`)).map((m) => m.name),
          recusedBy: members.filter((m) => stepped.has(`${e.id}|${m.accountId}`)).map((m) => m.name),
        },
      ];
    }),
  );
}
