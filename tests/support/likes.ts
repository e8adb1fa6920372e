import { randomBytes } from 'node:crypto';
import { addPhoto, createEntry, submitEntry, withdrawEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';
import type { TestApp } from './api.ts';
import { VILLAGES } from './entries.ts';

// Fixtures of the like tests. Likes themselves always go through the API; what is only
// scenery (many signed-in accounts, many submitted entries) is written directly, as
// tests/bench/like-setup.ts does, because sign-in is rate-limited per IP and photo
// processing is not what these tests are about.

export interface LikeRow {
  id: string;
  entry_id: string;
  account_id: string;
  status: 'active' | 'unliked' | 'voided';
  created_at: number;
  unliked_at: number | null;
  voided_at: number | null;
  voided_by: string | null;
  void_reason: string | null;
}

export function accountId(t: TestApp, phone: string): string {
  const row = t.db.$client.prepare(`select id from accounts where phone = ?`).get(phone) as { id: string } | undefined;
  if (!row) throw new Error(`no account for ${phone}`);
  return row.id;
}

/**
 * A session cookie for the account of `phone`, made directly. A phone the county does not
 * know yet gets a verified account created at `createdAt` (default: now on the test clock).
 */
export function sessionFor(t: TestApp, phone: string, options: { createdAt?: number } = {}): string {
  const sql = t.db.$client;
  const now = t.clock.now();
  let row = sql.prepare(`select id from accounts where phone = ?`).get(phone) as { id: string } | undefined;
  if (!row) {
    const created = options.createdAt ?? now;
    row = { id: `ac_t${randomBytes(6).toString('hex')}` };
    sql.prepare(`insert into accounts (id, phone, created_at, verified_at) values (?, ?, ?, ?)`).run(row.id, phone, created, created);
  }
  const token = randomBytes(24).toString('hex');
  sql.prepare(`insert into sessions (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)`).run(sha256(token), row.id, now, now + 30 * 86_400_000);
  return `cy_session=${token}`;
}

/** The household of 洋尾村{n}号 (the household of villager 139000001nn). */
export function yangweiHousehold(t: TestApp, n: number): string {
  const row = t.db.$client.prepare(`select id from households where village_id = ? and door_number = ?`).get(VILLAGES.yangwei, `洋尾村${n}号`) as { id: string } | undefined;
  if (!row) throw new Error(`no household 洋尾村${n}号`);
  return row.id;
}

/**
 * An entry of 洋尾村{n}号 in `roundId`, entered by the cadre for the family (代录) with one
 * photo, then brought to `state`: 'draft', 'submitted' (default) or 'withdrawn'.
 */
export function directEntry(t: TestApp, n: number, roundId: string, state: 'draft' | 'submitted' | 'withdrawn' = 'submitted'): string {
  return householdEntry(t, { id: yangweiHousehold(t, n), villageId: VILLAGES.yangwei }, roundId, '13900000002', state);
}

/** An entry of any household in `roundId`, entered for the family (代录) by the account of `byPhone`; as directEntry. */
export function householdEntry(
  t: TestApp,
  household: { id: string; villageId: string },
  roundId: string,
  byPhone: string,
  state: 'draft' | 'submitted' | 'withdrawn' = 'submitted',
): string {
  const now = t.clock.now();
  const actor = accountId(t, byPhone);
  const e = createEntry(t.db, { roundId, householdId: household.id, villageId: household.villageId, description: '院子干净整洁。', actorId: actor, byProxy: true }, now);
  const key = sha256(`like-test-photo-${roundId}-${household.id}`);
  addPhoto(t.db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, actor, now);
  if (state === 'draft') return e.id;
  const threshold = (t.db.$client.prepare(`select c.like_threshold as t from rounds r join campaigns c on c.id = r.campaign_id where r.id = ?`).get(roundId) as { t: number }).t;
  submitEntry(t.db, e.id, threshold, actor, now);
  if (state === 'withdrawn') withdrawEntry(t.db, e.id, actor, null, now);
  return e.id;
}

export function likeRows(t: TestApp, entryId?: string): LikeRow[] {
  const sql = t.db.$client;
  return (entryId ? sql.prepare(`select * from likes where entry_id = ? order by created_at, id`).all(entryId) : sql.prepare(`select * from likes order by created_at, id`).all()) as LikeRow[];
}

export function storedEntry(t: TestApp, entryId: string) {
  return t.db.$client.prepare(`select status, like_count as likeCount, qualified_at as qualifiedAt from entries where id = ?`).get(entryId) as {
    status: string;
    likeCount: number;
    qualifiedAt: number | null;
  };
}

/** Entries whose stored like_count differs from their active like rows (should always be none). */
export function countMismatches(t: TestApp): Array<{ id: string; stored: number; active: number }> {
  return t.db.$client
    .prepare(
      `select e.id, e.like_count as stored, (select count(*) from likes l where l.entry_id = e.id and l.status = 'active') as active
         from entries e where e.like_count != (select count(*) from likes l where l.entry_id = e.id and l.status = 'active')`,
    )
    .all() as Array<{ id: string; stored: number; active: number }>;
}

/** Everything a refused like must leave untouched: like rows, entries' counts and states, audit rows, notices. */
export function likeSnapshot(t: TestApp) {
  const sql = t.db.$client;
  return {
    likes: likeRows(t),
    entries: sql.prepare(`select id, status, like_count, qualified_at from entries order by id`).all(),
    audit: (sql.prepare(`select count(*) as n from audit_log`).get() as { n: number }).n,
    notices: (sql.prepare(`select count(*) as n from notifications`).get() as { n: number }).n,
  };
}

export interface LikeAnswer {
  likeCount: number;
  liked: boolean;
  qualifiedAt: string | null;
}

/** Where a request comes from: its address and, as a browser would send it, a user agent (the "device"). */
export interface From {
  ip?: string;
  device?: string;
}
function send(t: TestApp, method: 'PUT' | 'DELETE', cookie: string | undefined, entryId: string, from: From) {
  return t.req(method, `/api/entries/${entryId}/like`, {
    ...(cookie ? { cookie } : {}),
    ...(from.ip ? { ip: from.ip } : {}),
    ...(from.device ? { headers: { 'user-agent': from.device } } : {}),
  });
}
export const like = (t: TestApp, cookie: string | undefined, entryId: string, from: From = {}) => send(t, 'PUT', cookie, entryId, from);
export const unlike = (t: TestApp, cookie: string | undefined, entryId: string, from: From = {}) => send(t, 'DELETE', cookie, entryId, from);

/** A like or unlike that must succeed; its answer. */
export async function answerOf(res: Response): Promise<LikeAnswer> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
  return JSON.parse(text) as LikeAnswer;
}
