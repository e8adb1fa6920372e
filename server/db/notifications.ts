import { and, desc, eq, isNull } from 'drizzle-orm';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../lib/ids.ts';
import type { Db, Tx } from './client.ts';
import { accounts, householdMembers, notifications, outbox } from './schema.ts';

export type NoticeKind = 'entry_hidden' | 'entry_restored' | 'photo_hidden' | 'photo_restored' | 'threshold_reached' | 'household_confirmed' | 'household_rejected' | 'results_announced' | 'objection_settled' | 'plate_issued' | 'plate_revoked';

/**
 * Tell every member of a household: a row in each inbox and an SMS in the outbox, written in
 * the caller's transaction so a notice exists exactly when the change it reports does.
 */
export function notifyHousehold(tx: Tx | Db, householdId: string, kind: NoticeKind, payload: Record<string, unknown>, text: string, now: number): void {
  const members = tx
    .select({ id: accounts.id, phone: accounts.phone })
    .from(householdMembers)
    .innerJoin(accounts, eq(accounts.id, householdMembers.accountId))
    .where(eq(householdMembers.householdId, householdId))
    .all();
  for (const m of members) deliver(tx, m.id, m.phone, kind, payload, text, now);
}

/** One notice: a row in the account's inbox and, with a phone, an SMS in the outbox. */
function deliver(tx: Tx | Db, accountId: string, phone: string | undefined, kind: NoticeKind, payload: Record<string, unknown>, text: string, now: number): void {
  tx.insert(notifications).values({ id: newId('nt'), accountId, kind, payload: { ...payload, text }, createdAt: now }).run();
  if (phone) tx.insert(outbox).values({ channel: 'sms', recipient: phone, body: `【美丽庭院】${text}`, createdAt: now }).run();
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
  deliver(tx, accountId, tx.select({ phone: accounts.phone }).from(accounts).where(eq(accounts.id, accountId)).get()?.phone, kind, payload, text, now);
}
