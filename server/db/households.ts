import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { compareDoorKeys, doorInVillage, doorKey, householdLabel, memberWords, registrationWords, type RosterProblem, type RosterRow } from '../domain/households.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../lib/ids.ts';
import { accountForPhone, signedInFactsChanged } from './accounts.ts';
import { appendAudit } from './audit.ts';
import { clientOf, type Db, type Tx } from './client.ts';
import { takeBackLike } from './likes.ts';
import { notifyHousehold } from './notifications.ts';
import { getVillage } from './places.ts';
import { accounts, householdMembers, households, notifications, type HouseholdStatus } from './schema.ts';

type HouseholdRow = typeof households.$inferSelect;

/** What a cadre sees of a household: everything, including door number and members' phones. */
export function householdViews(db: Db | Tx, rows: HouseholdRow[]) {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const members = db
    .select({ householdId: householdMembers.householdId, accountId: accounts.id, phone: accounts.phone, verifiedAt: accounts.verifiedAt })
    .from(householdMembers)
    .innerJoin(accounts, eq(accounts.id, householdMembers.accountId))
    .where(inArray(householdMembers.householdId, ids))
    .all();
  const proxyIds = [...new Set(rows.map((r) => r.proxyBy).filter((x): x is string => !!x))];
  const proxyPhones = new Map(
    proxyIds.length ? db.select({ id: accounts.id, phone: accounts.phone }).from(accounts).where(inArray(accounts.id, proxyIds)).all().map((a) => [a.id, a.phone]) : [],
  );
  return rows.map((h) => ({
    id: h.id,
    villageId: h.villageId,
    headName: h.headName,
    doorNumber: h.doorNumber,
    label: householdLabel(h.headName),
    status: h.status,
    source: h.source,
    proxyBy: h.proxyBy ? (proxyPhones.get(h.proxyBy) ?? null) : null,
    createdAt: toShanghaiIso(h.createdAt),
    decidedAt: h.decidedAt === null ? null : toShanghaiIso(h.decidedAt),
    rejectReason: h.rejectReason,
    members: members.filter((m) => m.householdId === h.id).map((m) => ({ accountId: m.accountId, phone: m.phone, verified: m.verifiedAt !== null })),
  }));
}

export function getHousehold(db: Db | Tx, id: string): HouseholdRow {
  const h = db.select().from(households).where(eq(households.id, id)).get();
  if (!h) throw notFound('住户');
  return h;
}

export function listHouseholds(db: Db, villageId: string, status?: HouseholdStatus) {
  const where = status ? and(eq(households.villageId, villageId), eq(households.status, status)) : eq(households.villageId, villageId);
  // In door order, numbers as numbers (洋尾村2号 before 洋尾村10号), as cadres walk the village.
  const rows = db.select().from(households).where(where).all();
  return householdViews(db, rows.sort((a, b) => compareDoorKeys(a.doorKey, b.doorKey) || a.createdAt - b.createdAt));
}

/**
 * The village's registered doors (all but rejected registrations), by their key within the
 * village (doorInVillage), to the household holding each.
 */
function villageDoors(tx: Db | Tx, villageId: string): { holders(key: string): string[] } {
  const name = villageNameOf(tx, villageId);
  const doors = new Map<string, string[]>();
  const rows = tx.select({ id: households.id, door: households.doorNumber }).from(households).where(and(eq(households.villageId, villageId), ne(households.status, 'rejected'))).all();
  for (const h of rows) {
    // From the door as written, not the stored key: keys stored before a rule of doorKey keep the old rule.
    const key = doorInVillage(doorKey(h.door), name);
    doors.set(key, [...(doors.get(key) ?? []), h.id]);
  }
  return { holders: (key) => doors.get(doorInVillage(key, name)) ?? [] };
}

/**
 * How a phone joins a household, and what it is told when it cannot: the person registering
 * (`self`), a family phone given with a registration by proxy or a roster (`proxy`), or a
 * family phone a cadre adds (`added`).
 */
const CLAIMS = {
  self: { field: 'account', taken: '您已经登记在一户中，不能重复登记。如需更换请联系村干部。' },
  proxy: { field: 'proxy.memberPhone', taken: '这个手机号已经是另一户的成员。' },
  added: { field: 'phone', taken: '这个手机号已经是另一户的家人。要改到这一户，请先在那一户的「家人手机号」里把它移出；是别村的住户，请那个村的村干部移出。' },
} as const;

/** The household an account belongs to now; a rejected registration frees the account to register again. */
function claimMembership(tx: Tx, accountId: string, householdId: string, now: number, how: keyof typeof CLAIMS): void {
  const current = tx
    .select({ householdId: householdMembers.householdId, status: households.status })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .where(eq(householdMembers.accountId, accountId))
    .get();
  const claim = CLAIMS[how];
  if (current?.householdId === householdId) throw conflict('already_member', '这个手机号已经是这一户的家人。', { field: claim.field });
  if (current && current.status !== 'rejected') throw conflict('already_in_household', claim.taken, { field: claim.field });
  if (current) {
    tx.delete(householdMembers).where(eq(householdMembers.accountId, accountId)).run();
    // Registering again is the answer to being turned down: that notice is no longer news.
    tx.update(notifications).set({ readAt: now }).where(and(eq(notifications.accountId, accountId), eq(notifications.kind, 'household_rejected'), isNull(notifications.readAt))).run();
  }
  tx.insert(householdMembers).values({ householdId, accountId, addedAt: now }).run();
  takeBackOwnLikes(tx, accountId, householdId, now);
  signedInFactsChanged();
}

/**
 * A person who joins a household cannot keep a like on its entries (no one likes their own):
 * likes given before joining are taken back, as if unliked, and logged. An entry keeps a
 * qualification it reached; only a cadre's voiding takes that away.
 */
function takeBackOwnLikes(tx: Tx, accountId: string, householdId: string, now: number): void {
  const own = clientOf(tx)
    .prepare(`select l.id, l.entry_id as entryId from likes l join entries e on e.id = l.entry_id where l.account_id = ? and e.household_id = ? and l.status = 'active'`)
    .all(accountId, householdId) as Array<{ id: string; entryId: string }>;
  for (const l of own) {
    takeBackLike(tx, l.entryId, accountId, now);
    appendAudit(tx, { actorId: null, action: 'like.taken_back', subjectType: 'entry', subjectId: l.entryId, before: { likeId: l.id, status: 'active' }, after: { status: 'unliked' }, reason: '点赞人加入了这一户，不能给自家点赞' }, now);
  }
}

/** A door already registered in the village: often a son or daughter of a family already registered. */
function doorTaken(villageName: string, doorNumber: string, proxy: boolean) {
  return conflict(
    'duplicate_household',
    proxy
      ? `${villageName}已有门牌号「${doorNumber}」的住户登记，不用再登记。`
      : `${villageName}已有门牌号「${doorNumber}」的住户登记。如果您是这一户的家人，不用再登记：点赞不需要登记家庭；想用自己的手机替家里报名参评，请村干部在住户名单里把您的手机号加为这一户的家人。门牌号填错了请改正；有疑问请联系村干部。`,
    { field: 'doorNumber' },
  );
}

export interface Registration {
  villageId: string;
  villageName: string;
  headName: string;
  doorNumber: string;
  actorId: string;
  /** Registered by a cadre/grid worker on the family's behalf; confirmed at once when a cadre does it. */
  proxy: { memberPhone?: string | undefined; confirmAtOnce: boolean } | null;
}

export function registerHousehold(db: Db, r: Registration, now: number) {
  return db.transaction((tx) => {
    const key = doorKey(r.doorNumber);
    if (villageDoors(tx, r.villageId).holders(key).length) throw doorTaken(r.villageName, r.doorNumber, !!r.proxy);
    const id = newId('hh');
    const confirmed = r.proxy?.confirmAtOnce ?? false;
    const row = {
      id,
      villageId: r.villageId,
      headName: r.headName.trim(),
      doorNumber: r.doorNumber.trim(),
      doorKey: key,
      status: (confirmed ? 'confirmed' : 'pending') as HouseholdStatus,
      source: r.proxy ? ('proxy' as const) : ('self' as const),
      createdAt: now,
      createdBy: r.actorId,
      proxyBy: r.proxy ? r.actorId : null,
      decidedBy: confirmed ? r.actorId : null,
      decidedAt: confirmed ? now : null,
    };
    tx.insert(households).values(row).run();
    if (!r.proxy) claimMembership(tx, r.actorId, id, now, 'self');
    else if (r.proxy.memberPhone) claimMembership(tx, accountForPhone(tx, r.proxy.memberPhone, now, false).id, id, now, 'proxy');
    appendAudit(
      tx,
      {
        actorId: r.actorId,
        action: r.proxy ? 'household.register_proxy' : 'household.register',
        subjectType: 'household',
        subjectId: id,
        after: { status: row.status, headName: row.headName, doorNumber: row.doorNumber, villageId: row.villageId },
      },
      now,
    );
    return householdViews(tx, [tx.select().from(households).where(eq(households.id, id)).get()!])[0]!;
  });
}

/**
 * The family corrects its own registration while it waits for the cadre (a door mistyped, the
 * wrong village chosen), instead of waiting to be turned down. Once decided it is the cadre's:
 * a 409 that changes nothing.
 */
export function correctRegistration(db: Db, id: string, r: { villageId: string; villageName: string; headName: string; doorNumber: string }, actorId: string, now: number) {
  return db.transaction((tx) => {
    const h = getHousehold(tx, id);
    if (h.status !== 'pending') {
      throw conflict(
        'household_not_pending',
        h.status === 'confirmed' ? '您家的登记已经确认，不能再自己修改；信息有误请联系村干部。' : '这次登记没有通过，请在「我的家庭」重新登记。',
        { status: h.status },
      );
    }
    const key = doorKey(r.doorNumber);
    if (villageDoors(tx, r.villageId).holders(key).some((other) => other !== id)) throw doorTaken(r.villageName, r.doorNumber, false);
    const before = { villageId: h.villageId, headName: h.headName, doorNumber: h.doorNumber };
    const after = { villageId: r.villageId, headName: r.headName.trim(), doorNumber: r.doorNumber.trim() };
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      tx.update(households).set({ ...after, doorKey: key }).where(eq(households.id, id)).run();
      appendAudit(tx, { actorId, action: 'household.correct', subjectType: 'household', subjectId: id, before, after }, now);
    }
    return householdViews(tx, [getHousehold(tx, id)])[0]!;
  });
}

/** Confirm or reject a pending registration. Anything but pending is a 409 and changes nothing. */
export function decideHousehold(db: Db, id: string, decision: 'confirmed' | 'rejected', actorId: string, reason: string | null, now: number) {
  return db.transaction((tx) => {
    const h = getHousehold(tx, id);
    if (h.status !== 'pending') {
      const state = h.status === 'confirmed' ? '已确认' : '已驳回';
      throw conflict('household_not_pending', `这户${state}，只有等待确认的登记才能${decision === 'confirmed' ? '确认' : '驳回'}。`, { status: h.status });
    }
    if (decision === 'confirmed' && villageDoors(tx, h.villageId).holders(doorKey(h.doorNumber)).some((other) => other !== h.id)) {
      throw conflict('duplicate_household', '同一门牌号已有另一户登记。', { field: 'doorNumber' });
    }
    tx.update(households).set({ status: decision, decidedBy: actorId, decidedAt: now, rejectReason: reason }).where(eq(households.id, id)).run();
    appendAudit(
      tx,
      { actorId, action: decision === 'confirmed' ? 'household.confirm' : 'household.reject', subjectType: 'household', subjectId: id, before: { status: h.status }, after: { status: decision }, reason },
      now,
    );
    // The family hears of it at once: a registration decided late in the month may still enter this month.
    const words = registrationWords(decision, { villageName: villageNameOf(tx, h.villageId), headName: h.headName, reason });
    notifyHousehold(tx, id, decision === 'confirmed' ? 'household_confirmed' : 'household_rejected', { householdId: id }, words, now);
    return householdViews(tx, [tx.select().from(households).where(eq(households.id, id)).get()!])[0]!;
  });
}

/**
 * A cadre adds a family member's phone to a household (a son who registered the same door, a
 * daughter who takes the photos): with it they can enter the family's courtyard from their
 * own phone. The phone may not yet have signed in; its account is made unverified, as a
 * roster's are. The household hears of it, the new member too.
 */
export function addMember(db: Db, householdId: string, phone: string, actorId: string, now: number) {
  return db.transaction((tx) => {
    const h = getHousehold(tx, householdId);
    if (h.status === 'rejected') throw conflict('household_rejected', '这户的登记没有通过，不能添加家人；请这户改正后重新登记。', { field: 'phone' });
    claimMembership(tx, accountForPhone(tx, phone, now, false).id, h.id, now, 'added');
    appendAudit(tx, { actorId, action: 'household.member_add', subjectType: 'household', subjectId: h.id, after: { phone } }, now);
    notifyHousehold(tx, h.id, 'household_member_added', { householdId: h.id }, memberWords('added', { villageName: villageNameOf(tx, h.villageId), headName: h.headName, phone }), now);
    return householdViews(tx, [h])[0]!;
  });
}

/** A cadre takes a phone off a household (a number entered wrongly, a phone given away); told first, while still a member. */
export function removeMember(db: Db, householdId: string, accountId: string, actorId: string, now: number) {
  return db.transaction((tx) => {
    const h = getHousehold(tx, householdId);
    const member = tx
      .select({ phone: accounts.phone })
      .from(householdMembers)
      .innerJoin(accounts, eq(accounts.id, householdMembers.accountId))
      .where(and(eq(householdMembers.householdId, h.id), eq(householdMembers.accountId, accountId)))
      .get();
    if (!member) throw notFound('这一户的家人');
    notifyHousehold(tx, h.id, 'household_member_removed', { householdId: h.id }, memberWords('removed', { villageName: villageNameOf(tx, h.villageId), headName: h.headName, phone: member.phone }), now);
    tx.delete(householdMembers).where(and(eq(householdMembers.householdId, h.id), eq(householdMembers.accountId, accountId))).run();
    signedInFactsChanged();
    appendAudit(tx, { actorId, action: 'household.member_remove', subjectType: 'household', subjectId: h.id, before: { phone: member.phone } }, now);
    return householdViews(tx, [h])[0]!;
  });
}

function headNameOf(tx: Db | Tx, householdId: string): string {
  return tx.select({ n: households.headName }).from(households).where(eq(households.id, householdId)).get()?.n ?? '';
}

function villageNameOf(tx: Db | Tx, villageId: string): string {
  return getVillage(tx, villageId)?.name ?? '';
}

/** Rows of a roster that clash with what the village already has: a door already registered, a phone already a member. */
export function rosterClashes(db: Db | Tx, villageId: string, rows: RosterRow[]): RosterProblem[] {
  const problems: RosterProblem[] = [];
  const doors = villageDoors(db, villageId);
  for (const r of rows) {
    const holders = doors.holders(doorKey(r.doorNumber));
    if (holders.length) {
      // The cadre reads whose door it is (and can leave the row out of the file: it is registered already).
      const head = headNameOf(db, holders[0]!);
      problems.push({ row: r.line, field: 'doorNumber', problem: `门牌号「${r.doorNumber}」在本村已有登记（户主 ${head}），这一行可以从文件中删去。` });
    }
  }
  const phones = rows.flatMap((r) => r.phones);
  if (phones.length) {
    const taken = db
      .select({ phone: accounts.phone })
      .from(householdMembers)
      .innerJoin(accounts, eq(accounts.id, householdMembers.accountId))
      .innerJoin(households, eq(households.id, householdMembers.householdId))
      .where(and(inArray(accounts.phone, phones), ne(households.status, 'rejected')))
      .all();
    const takenSet = new Set(taken.map((t) => t.phone));
    for (const r of rows) for (const p of r.phones) if (takenSet.has(p)) problems.push({ row: r.line, field: 'phone', problem: `手机号 ${p} 已是另一户的成员。` });
  }
  return problems;
}

/** The one refusal of a roster: every problem, in row order. */
/** A roster refused whole: every problem by row, and how many rows have none (the page offers to import those alone). */
export function rosterRefused(problems: RosterProblem[], importable?: number) {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  return invalid('invalid_roster', `名单有 ${sorted.length} 处问题，未导入任何住户。请按行修改后重新导入。`, { problems: sorted, ...(importable !== undefined && { importable }) });
}

/**
 * Import a checked roster as confirmed households, all or nothing: a row that clashes with
 * what the village already has fails the whole import with its row number.
 */
export function importRoster(db: Db, villageId: string, rows: RosterRow[], actorId: string | null, now: number) {
  return db.transaction((tx) => {
    const problems = rosterClashes(tx, villageId, rows);
    if (problems.length) throw rosterRefused(problems);
    let accountsCreated = 0;
    for (const r of rows) {
      const id = newId('hh');
      tx.insert(households)
        .values({ id, villageId, headName: r.headName, doorNumber: r.doorNumber, doorKey: doorKey(r.doorNumber), status: 'confirmed', source: 'import', createdAt: now, createdBy: actorId, decidedBy: actorId, decidedAt: now })
        .run();
      for (const p of r.phones) {
        const account = accountForPhone(tx, p, now, false);
        if (account.created) accountsCreated++;
        claimMembership(tx, account.id, id, now, 'proxy');
      }
      appendAudit(tx, { actorId, action: 'household.import', subjectType: 'household', subjectId: id, after: { status: 'confirmed', headName: r.headName, doorNumber: r.doorNumber, villageId } }, now);
    }
    return { imported: rows.length, accountsCreated };
  });
}
