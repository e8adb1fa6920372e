import { desc } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import { auditHash, GENESIS_HASH, sheetDiffers, verifyChain, type AuditFields, type ChainCheck, type SheetFields } from '../domain/audit.ts';
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
export function verifyAuditChain(sqlite: Database.Database): ChainCheck {
  const rows = sqlite
    .prepare(
      `select seq, at, actor_id as actorId, action, subject_type as subjectType, subject_id as subjectId,
              before, after, reason, prev_hash as prevHash, hash
         from audit_log order by seq`,
    )
    .iterate() as Iterable<Parameters<typeof verifyChain>[0] extends Iterable<infer R> ? R : never>;
  return verifyChain(rows);
}

/** A point of the chain recorded outside the database: a backup's manifest (its last row and hash). */
export interface AuditAnchor {
  source: string;
  lastSeq: number;
  lastHash: string;
}

/**
 * The anchors the database no longer agrees with. The chain checks itself row by row, but rows
 * cut off its end, or the log rewritten with its hashes made again, still read as a whole chain;
 * a backup's manifest, kept elsewhere, remembers which row ended the log then and its hash.
 */
export function brokenAnchors(sqlite: Database.Database, anchors: readonly AuditAnchor[]): Array<AuditAnchor & { problem: string }> {
  const row = sqlite.prepare('select hash from audit_log where seq = ?');
  return anchors.flatMap((a) => {
    const found = row.get(a.lastSeq) as { hash: string } | undefined;
    if (!found) return [{ ...a, problem: `row seq=${a.lastSeq}, which ${a.source} recorded, is missing: rows were cut off the log` }];
    if (found.hash !== a.lastHash) return [{ ...a, problem: `row seq=${a.lastSeq} has another hash than ${a.source} recorded: the log was rewritten` }];
    return [];
  });
}

/**
 * Entries whose stored like count is not the number of their active likes. The like path moves
 * both in one transaction, so any difference was made outside it (by hand in the database).
 */
export function likeCountsOff(sqlite: Database.Database): Array<{ entryId: string; stored: number; active: number }> {
  return sqlite
    .prepare(
      `select e.id as entryId, e.like_count as stored, count(l.id) as active
         from entries e left join likes l on l.entry_id = e.id and l.status = 'active'
        group by e.id having e.like_count != count(l.id) order by e.id`,
    )
    .all() as Array<{ entryId: string; stored: number; active: number }>;
}

export interface AlteredSheet {
  sheetId: string;
  entryId: string;
  accountId: string;
  /** The audit row the sheet was compared with. */
  seq: number | null;
  problem: string;
}

/**
 * Score sheets that no longer read as their last audit record says they were sent: points,
 * check or comment changed in the database by hand. Every sheet is written through putSheet,
 * which records it in the same transaction.
 */
export function alteredScoreSheets(sqlite: Database.Database): AlteredSheet[] {
  const rows = sqlite
    .prepare(
      `select s.id as sheetId, s.entry_id as entryId, s.account_id as accountId, s.passed, s.points, s.comment, a.seq, a.after
         from score_sheets s
         left join audit_log a on a.seq = (
           select max(seq) from audit_log
            where subject_type = 'entry' and subject_id = s.entry_id and actor_id = s.account_id and action in ('sheet.submit', 'sheet.replace'))
        order by s.id`,
    )
    .iterate() as Iterable<{ sheetId: string; entryId: string; accountId: string; passed: number; points: string; comment: string; seq: number | null; after: string | null }>;
  const altered: AlteredSheet[] = [];
  for (const r of rows) {
    const sheet: SheetFields = { passed: r.passed === 1, points: parsePoints(r.points), comment: r.comment };
    let recorded: SheetFields | null = null;
    if (r.after) {
      const after = JSON.parse(r.after) as Partial<SheetFields>;
      recorded = { passed: after.passed === true, points: after.points ?? {}, comment: after.comment ?? '' };
    }
    const problem = sheetDiffers(sheet, recorded);
    if (problem) altered.push({ sheetId: r.sheetId, entryId: r.entryId, accountId: r.accountId, seq: r.seq, problem });
  }
  return altered;
}

function parsePoints(text: string): Record<string, number> {
  try {
    const points = JSON.parse(text) as unknown;
    return points && typeof points === 'object' && !Array.isArray(points) ? (points as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/**
 * What a trail leaves out of an `after`: arrays of one record per household, which `npm run
 * audit:verify` holds the stored rows to (a county's month is 24,000 lines, some 1.3 MB). A
 * trail read on a phone has each replaced by its length, done by SQLite so that the megabytes
 * never reach JavaScript.
 */
const SUMMARISED_RECORDS = ['lineRecords', 'rewardRecords'] as const;

const SUMMARISED_AFTER = `case
    when not json_valid(after) then after
    when ${SUMMARISED_RECORDS.map((k) => `json_type(after, '$.${k}') = 'array'`).join(' or ')}
      then json_replace(after, ${SUMMARISED_RECORDS.map((k) => `'$.${k}', json_array_length(after, '$.${k}')`).join(', ')})
    else after end`;

/** A row as a trail reads it: `after` with SUMMARISED_RECORDS replaced by their lengths; `hash` the stored row's, over the full row. */
export type TrailRow = AuditFields & { hash: string };

/** One subject's audit rows, oldest first; a result's hold those of its objections, in their place. */
export function auditTrail(db: Db, subjectType: string, subjectId: string): TrailRow[] {
  return db.$client
    .prepare(
      `select seq, at, actor_id as actorId, action, subject_type as subjectType, subject_id as subjectId, before, ${SUMMARISED_AFTER} as after, reason, hash
         from audit_log
        where (subject_type = :type and subject_id = :id)
           or (:type = 'result' and subject_type = 'objection' and subject_id in (select id from objections where result_id = :id))
        order by seq`,
    )
    .all({ type: subjectType, id: subjectId }) as TrailRow[];
}
