import { createHash } from 'node:crypto';

/** The hash the first row of the chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: number;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before: string | null;
  after: string | null;
  reason: string | null;
}

/**
 * SHA-256 over the previous row's hash and this row's fields, in a fixed order, so that
 * changing, deleting or reordering any row breaks every hash after it.
 */
export function auditHash(prevHash: string, row: AuditFields): string {
  const body = JSON.stringify([
    row.seq,
    row.at,
    row.actorId,
    row.action,
    row.subjectType,
    row.subjectId,
    row.before,
    row.after,
    row.reason,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainCheck =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenSeq: number; problem: string };

/** Walk the chain in order and name the first row whose links or hash do not hold. */
export function verifyChain(rows: Iterable<AuditFields & { prevHash: string; hash: string }>): ChainCheck {
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of rows) {
    count++;
    if (row.prevHash !== prev) {
      return { ok: false, rows: count, brokenSeq: row.seq, problem: 'prev_hash does not match the previous row (a row was removed or reordered)' };
    }
    const expected = auditHash(prev, row);
    if (row.hash !== expected) {
      return { ok: false, rows: count, brokenSeq: row.seq, problem: 'hash does not match the row (the row was altered)' };
    }
    prev = row.hash;
  }
  return { ok: true, rows: count };
}
