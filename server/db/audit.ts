import { and, asc, desc, eq } from 'drizzle-orm';
import { auditHash, GENESIS_HASH, verifyChain, type ChainCheck } from '../domain/audit.ts';
import type { Db, Tx } from './client.ts';
import { auditLog } from './schema.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** Append one row to the chain, inside the caller's transaction, so the change and its record commit together. */
export function appendAudit(tx: Tx | Db, entry: AuditEntry, at: number): void {
  const last = tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at,
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    reason: entry.reason ?? null,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  tx.insert(auditLog).values({ ...row, prevHash, hash: auditHash(prevHash, row) }).run();
}

/** Check the whole chain, streaming rows so a long log needs little memory. */
export function verifyAuditChain(db: Db): ChainCheck {
  const rows = db.$client
    .prepare(
      `select seq, at, actor_id as actorId, action, subject_type as subjectType, subject_id as subjectId,
              before, after, reason, prev_hash as prevHash, hash
         from audit_log order by seq`,
    )
    .iterate() as Iterable<Parameters<typeof verifyChain>[0] extends Iterable<infer R> ? R : never>;
  return verifyChain(rows);
}

export function auditOf(db: Db, subjectType: string, subjectId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectType, subjectType), eq(auditLog.subjectId, subjectId)))
    .orderBy(asc(auditLog.seq))
    .all();
}
