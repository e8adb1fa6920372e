import { and, desc, eq, sql } from 'drizzle-orm';
import type { SignedIn } from '../routes/context.ts';
import { householdLabel } from '../domain/households.ts';
import { maskPhone } from '../domain/phone.ts';
import { newId } from '../lib/ids.ts';
import { prepared, type Db, type Tx } from './client.ts';
import { accounts, householdMembers, households, roles, sessions, villages, type RoleKind } from './schema.ts';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Who holds this session token, straight from the database, with when the session ends.
 * Requests go through `SignedInCache`; this is what it asks when it does not know.
 */
export function loadSignedIn(db: Db, tokenHash: string, now: number): (SignedIn & { expiresAt: number }) | null {
  const row = db.$client
    .prepare(
      `select s.account_id as accountId, s.expires_at as expiresAt, a.phone, m.household_id as householdId,
              (select group_concat(r.kind || ' ' || r.scope_id) from roles r where r.account_id = s.account_id) as roles
         from sessions s join accounts a on a.id = s.account_id left join household_members m on m.account_id = s.account_id
        where s.token_hash = ? and s.expires_at > ?`,
    )
    .get(tokenHash, now) as { accountId: string; expiresAt: number; phone: string; householdId: string | null; roles: string | null } | undefined;
  if (!row) return null;
  return {
    accountId: row.accountId,
    phone: row.phone,
    sessionHash: tokenHash,
    expiresAt: row.expiresAt,
    roles: row.roles
      ? row.roles.split(',').map((r) => {
          const [kind, scopeId] = r.split(' ') as [SignedIn['roles'][number]['kind'], string];
          return { kind, scopeId };
        })
      : [],
    householdId: row.householdId,
  };
}

/**
 * Bumped by `signedInFactsChanged`; a cache that remembers an older value forgets everything.
 * One counter for the process: such changes (a sign-out, a role, a household membership)
 * are rare next to the requests that read them, so forgetting all at once costs nothing.
 */
let factsVersion = 0;

/**
 * Call whenever a session ends or an account's roles or household membership change, in
 * this process: every remembered sign-in is then looked up afresh on its next request.
 * (Changes by another process, such as the command line granting a role, are noticed
 * through SQLite's data_version.)
 */
export function signedInFactsChanged(): void {
  factsVersion++;
}

/**
 * Who holds a session, remembered by token hash between requests: the lookup (a join over
 * sessions, accounts, household members and roles) otherwise runs on every API request.
 * It is forgotten when the session expires, when `signedInFactsChanged` is called, and when
 * another connection has written to the database before this turn of the event loop.
 */
export class SignedInCache {
  private readonly known = new Map<string, SignedIn & { expiresAt: number }>();
  private seenFacts = -1;
  private seenData = -1;
  private dataCheckedThisTurn = false;
  private readonly dataVersion: { get(): unknown };

  constructor(
    private readonly db: Db,
    private readonly max = 100_000,
  ) {
    this.dataVersion = db.$client.prepare('pragma data_version');
  }

  get(tokenHash: string, now: number): SignedIn | null {
    // Another process's writes are looked for once per turn of the event loop: requests read
    // from the network in the same turn arrived together, and the query costs more than the
    // rest of a remembered lookup.
    if (!this.dataCheckedThisTurn) {
      this.dataCheckedThisTurn = true;
      setImmediate(() => (this.dataCheckedThisTurn = false));
      const data = (this.dataVersion.get() as { data_version: number }).data_version;
      if (data !== this.seenData) {
        this.known.clear();
        this.seenData = data;
      }
    }
    if (factsVersion !== this.seenFacts) {
      this.known.clear();
      this.seenFacts = factsVersion;
    }
    const hit = this.known.get(tokenHash);
    if (hit && now < hit.expiresAt) return hit;
    const found = loadSignedIn(this.db, tokenHash, now);
    if (!found) {
      this.known.delete(tokenHash);
      return null;
    }
    if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value!);
    // Shared by every request of this session until it is forgotten: nobody may change it.
    Object.freeze(found.roles);
    this.known.set(tokenHash, Object.freeze(found));
    return found;
  }
}

/** The account for a phone, created on first sight; `verified` marks that the person proved they hold it. */
export function accountForPhone(tx: Tx | Db, phone: string, now: number, verified: boolean): { id: string; created: boolean } {
  const existing = tx.select({ id: accounts.id, verifiedAt: accounts.verifiedAt }).from(accounts).where(eq(accounts.phone, phone)).get();
  if (existing) {
    if (verified && existing.verifiedAt === null) tx.update(accounts).set({ verifiedAt: now }).where(eq(accounts.id, existing.id)).run();
    return { id: existing.id, created: false };
  }
  const id = newId('ac');
  tx.insert(accounts).values({ id, phone, createdAt: now, verifiedAt: verified ? now : null }).run();
  return { id, created: true };
}

export function grantRole(tx: Tx | Db, accountId: string, kind: RoleKind, scopeId: string, now: number): void {
  tx.insert(roles).values({ id: newId('rl'), accountId, kind, scopeId, createdAt: now }).onConflictDoNothing().run();
  signedInFactsChanged();
}

/** Take a role away; false when the account did not hold it. Its sessions then read the change at their next request. */
export function revokeRole(tx: Tx | Db, accountId: string, kind: RoleKind, scopeId: string): boolean {
  const removed = tx.delete(roles).where(and(eq(roles.accountId, accountId), eq(roles.kind, kind), eq(roles.scopeId, scopeId))).run().changes > 0;
  if (removed) signedInFactsChanged();
  return removed;
}

export function createSession(tx: Tx | Db, accountId: string, tokenHash: string, now: number): void {
  tx.insert(sessions).values({ tokenHash, accountId, createdAt: now, expiresAt: now + SESSION_TTL_MS }).run();
}

export function endSession(tx: Tx | Db, tokenHash: string): void {
  tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
  signedInFactsChanged();
}

/** Everything `GET /api/me` shows: the account, its roles with place names, and its household. */
const accountById = (db: Db | Tx) => db.select().from(accounts).where(eq(accounts.id, sql.placeholder('id'))).prepare();
const rolesOfAccount = (db: Db | Tx) => db.select().from(roles).where(eq(roles.accountId, sql.placeholder('accountId'))).prepare();
const householdOfMember = (db: Db | Tx) =>
  db
    .select({ h: households, villageName: villages.name })
    .from(householdMembers)
    .innerJoin(households, eq(households.id, householdMembers.householdId))
    .innerJoin(villages, eq(villages.id, households.villageId))
    .where(eq(householdMembers.accountId, sql.placeholder('accountId')))
    .orderBy(desc(householdMembers.addedAt))
    .limit(1)
    .prepare();

export function describeAccount(db: Db, accountId: string) {
  const account = prepared(db, accountById).get({ id: accountId });
  if (!account) return null;
  const roleRows = prepared(db, rolesOfAccount).all({ accountId });
  const names = new Map<string, string>();
  if (roleRows.length) {
    const ids = JSON.stringify(roleRows.map((r) => r.scopeId));
    const places = db.$client
      .prepare(`select id, name from villages where id in (select value from json_each(?)) union all select id, name from towns where id in (select value from json_each(?))`)
      .all(ids, ids) as Array<{ id: string; name: string }>;
    for (const p of places) names.set(p.id, p.name);
  }
  const hh = prepared(db, householdOfMember).get({ accountId });
  const panelMember = !!db.$client.prepare('select 1 from panel_members where account_id = ? and removed_at is null limit 1').get(accountId);
  // The villages whose open contests this member scores: the scoring screen offers them first.
  const panelVillages = db.$client
    .prepare(
      `select distinct v.id, v.name from panel_members m join panels p on p.id = m.panel_id join campaigns c on c.id = p.campaign_id
         join json_each(p.village_ids) j join villages v on v.id = j.value
        where m.account_id = ? and m.removed_at is null and c.status = 'open' order by v.name, v.id`,
    )
    .all(accountId) as Array<{ id: string; name: string }>;
  return {
    account,
    panelMember,
    panelVillages,
    roles: roleRows.map((r) => ({ kind: r.kind, scopeId: r.scopeId, scopeName: names.get(r.scopeId) ?? r.scopeId })),
    household: hh
      ? {
          id: hh.h.id,
          villageId: hh.h.villageId,
          villageName: hh.villageName,
          headName: hh.h.headName,
          doorNumber: hh.h.doorNumber,
          label: householdLabel(hh.h.headName),
          status: hh.h.status,
          rejectReason: hh.h.rejectReason,
          proxy: hh.h.source === 'proxy',
          family: familyPhones(db, hh.h.id, accountId),
        }
      : null,
  };
}

/**
 * The phones that may act for the family, as a member sees them: their own in full, the
 * others masked (a phone added by mistake to another family sees no one's number). In the
 * order they joined.
 */
function familyPhones(db: Db, householdId: string, viewerId: string): Array<{ phone: string; you: boolean }> {
  const rows = db.$client
    .prepare(`select a.id, a.phone from household_members m join accounts a on a.id = m.account_id where m.household_id = ? order by m.added_at, a.id`)
    .all(householdId) as Array<{ id: string; phone: string }>;
  return rows.map((r) => ({ phone: r.id === viewerId ? r.phone : maskPhone(r.phone), you: r.id === viewerId }));
}

/** How an actor of the audit log is shown to the cadre reading it: their office, or what they are to the contest. */
export type ActorKind = RoleKind | 'panel_member' | 'villager' | 'account';
const OFFICE_ORDER: RoleKind[] = ['town_admin', 'village_cadre', 'grid_worker'];

/**
 * Who these accounts are, for the audit log: phone, the name they were given on a panel (the
 * only name an account has), and the highest office they hold — or panel member, or villager
 * (a household's member), or a bare account.
 */
export function actorsOf(db: Db, ids: string[]): Map<string, { phone: string; name: string | null; kind: ActorKind }> {
  const out = new Map<string, { phone: string; name: string | null; kind: ActorKind }>();
  if (!ids.length) return out;
  const sql = db.$client;
  const marks = ids.map(() => '?').join(',');
  const rows = sql
    .prepare(
      `select a.id, a.phone,
              (select group_concat(r.kind) from roles r where r.account_id = a.id) as kinds,
              (select pm.display_name from panel_members pm where pm.account_id = a.id order by pm.added_at desc limit 1) as name,
              exists (select 1 from household_members m where m.account_id = a.id) as member
         from accounts a where a.id in (${marks})`,
    )
    .all(...ids) as Array<{ id: string; phone: string; kinds: string | null; name: string | null; member: number }>;
  for (const r of rows) {
    const kinds = new Set((r.kinds ?? '').split(',').filter(Boolean));
    const office = OFFICE_ORDER.find((k) => kinds.has(k));
    out.set(r.id, { phone: r.phone, name: r.name, kind: office ?? (r.name ? 'panel_member' : r.member ? 'villager' : 'account') });
  }
  return out;
}
