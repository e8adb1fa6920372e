import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import type { Delivery } from './delivery.ts';
import type { Logger } from './log.ts';

const MAX_ATTEMPTS = 5;

/**
 * Send what the outbox holds through the delivery adapter; a failure is kept and retried later.
 * `durable` resolves once what has been read is on disk (a like batch syncs its WAL after it
 * commits): nobody is told of a qualification that a power loss could still undo.
 */
export async function drainOutbox(db: Db, delivery: Delivery, log: Logger, now: () => number, batch = 50, durable: () => Promise<void> = async () => {}): Promise<number> {
  const pending = db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lt(outbox.attempts, MAX_ATTEMPTS)))
    .orderBy(asc(outbox.id))
    .limit(batch)
    .all();
  if (pending.length) await durable();
  let sent = 0;
  for (const m of pending) {
    try {
      await delivery.send({ channel: 'sms', to: m.recipient, text: m.body });
      db.update(outbox).set({ sentAt: now(), attempts: m.attempts + 1 }).where(eq(outbox.id, m.id)).run();
      sent++;
    } catch (e) {
      db.update(outbox).set({ attempts: m.attempts + 1, lastError: String(e) }).where(eq(outbox.id, m.id)).run();
      log.warn('delivery failed', { outboxId: m.id, error: String(e) });
    }
  }
  return sent;
}

/** Drain every few seconds until stopped. */
export function startOutboxWorker(db: Db, delivery: Delivery, log: Logger, now: () => number, durable?: () => Promise<void>, everyMs = 3000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    drainOutbox(db, delivery, log, now, 50, durable)
      .catch((e) => log.error('outbox drain failed', { error: String(e) }))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
