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

/** A score sheet as stored, and as its last audit record (sheet.submit or sheet.replace) says it was sent. */
export interface SheetFields {
  passed: boolean;
  points: Record<string, number>;
  comment: string;
}

/**
 * Whether a score sheet still reads as its member sent it: the audit row of its last change
 * holds the check, the points and the comment. The chain proves the audit rows are untouched;
 * this proves the sheet is. What differs, in words, or null.
 */
export function sheetDiffers(sheet: SheetFields, recorded: SheetFields | null): string | null {
  if (!recorded) return 'no audit record of this sheet (sheet.submit or sheet.replace)';
  const differ: string[] = [];
  if (sheet.passed !== recorded.passed) differ.push(`check passed ${sheet.passed}, recorded ${recorded.passed}`);
  const keys = [...new Set([...Object.keys(sheet.points), ...Object.keys(recorded.points)])].sort();
  for (const key of keys) {
    if (sheet.points[key] !== recorded.points[key]) differ.push(`${key} ${sheet.points[key] ?? '-'}, recorded ${recorded.points[key] ?? '-'}`);
  }
  if (sheet.comment !== recorded.comment) differ.push('comment changed');
  return differ.length ? differ.join('; ') : null;
}
