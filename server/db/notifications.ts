import { and, desc, eq, isNull } from 'drizzle-orm';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../lib/ids.ts';
import { clientOf, type Db, type Tx } from './client.ts';
import type Database from 'better-sqlite3';
import { notifications } from './schema.ts';

export type NoticeKind = 'panel_joined' | 'panel_left' | 'entry_hidden' | 'entry_restored' | 'entry_changed_for_you' | 'photo_hidden' | 'photo_restored' | 'threshold_reached' | 'likes_voided' | 'household_confirmed' | 'household_rejected' | 'household_member_added' | 'household_member_removed' | 'results_announced' | 'objection_settled' | 'plate_issued' | 'plate_revoked' | 'reward_paid';

/**
 * Tell every member of a household: a row in each inbox and an SMS in the outbox, written in
 * the caller's transaction so a notice exists exactly when the change it reports does.
 */
export function notifyHousehold(tx: Tx | Db, householdId: string, kind: NoticeKind, payload: Record<string, unknown>, text: string, now: number): void {
  const sql = clientOf(tx);
  // Prepared once per connection (statements are kept by their text): announcing a county's
  // month tells ~24,000 households in one transaction.
  const members = sql
    .prepare(`select a.id, a.phone from household_members m join accounts a on a.id = m.account_id where m.household_id = ?`)
    .all(householdId) as Array<{ id: string; phone: string | null }>;
  for (const m of members) deliver(sql, m.id, m.phone ?? undefined, kind, payload, text, now);
}

/** One notice: a row in the account's inbox and, with a phone, an SMS in the outbox. */
function deliver(sql: Database.Database, accountId: string, phone: string | undefined, kind: NoticeKind, payload: Record<string, unknown>, text: string, now: number): void {
  sql.prepare(`insert into notifications (id, account_id, kind, payload, created_at) values (?, ?, ?, ?, ?)`).run(newId('nt'), accountId, kind, JSON.stringify({ ...payload, text }), now);
  if (phone) sql.prepare(`insert into outbox (channel, recipient, body, created_at) values ('sms', ?, ?, ?)`).run(phone, `【美丽庭院】${text}`, now);
}

export function inboxOf(db: Db, accountId: string) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.accountId, accountId))
    .orderBy(desc(notifications.createdAt))
    .limit(100)
    .all()
    .map((n) => ({ id: n.id, kind: n.kind, payload: n.payload as Record<string, unknown>, createdAt: toShanghaiIso(n.createdAt), read: n.readAt !== null }));
}

export function markRead(db: Db, accountId: string, id: string, now: number): boolean {
  return db.update(notifications).set({ readAt: now }).where(and(eq(notifications.id, id), eq(notifications.accountId, accountId), isNull(notifications.readAt))).run().changes > 0;
}

/** Tell one account (an objector, who need not belong to the household concerned). */
export function notifyAccount(tx: Tx | Db, accountId: string, kind: NoticeKind, payload: Record<string, unknown>, text: string, now: number): void {
  const sql = clientOf(tx);
  const account = sql.prepare(`select phone from accounts where id = ?`).get(accountId) as { phone: string | null } | undefined;
  deliver(sql, accountId, account?.phone ?? undefined, kind, payload, text, now);
}
