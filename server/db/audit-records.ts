import type Database from 'better-sqlite3';
import {
  checkPlate,
  checkResult,
  checkRewards,
  lineRecord,
  readAuditedRecords,
  type AuditRowIn,
  type Finding,
  type StoredLine,
  type StoredPlate,
  type StoredResult,
  type StoredReward,
} from '../domain/audit-records.ts';

export interface RecordsCheck {
  results: { count: number; lines: number; findings: Finding[]; linesCounted: number; linesUnchecked: number };
  plates: { count: number; findings: Finding[]; partlyRecorded: number };
  rewards: { count: number; findings: Finding[]; counted: number };
}

/**
 * Result sets and their lines, honor plates and the rewards ledger held to the audit rows that
 * wrote them (see domain/audit-records.ts): what no longer reads as recorded, what was made
 * without a record, what was recorded and is gone. Reads only, each row once (a result's lines and rewards through their index on result_id).
 */
export function alteredRecords(sqlite: Database.Database): RecordsCheck {
  const audited = readAuditedRecords(
    sqlite
      .prepare(
        `select seq, at, actor_id as actorId, action, subject_type as subjectType, subject_id as subjectId, after, reason
           from audit_log where subject_type in ('result', 'objection', 'plate', 'reward') order by seq`,
      )
      .iterate() as Iterable<AuditRowIn>,
  );

  const results = sqlite
    .prepare(
      `select id, campaign_id as campaignId, round_id as roundId, kind, period, status, version, computed_at as computedAt, computed_by as computedBy,
              announced_at as announcedAt, announced_by as announcedBy, objection_deadline as objectionDeadline, finalized_at as finalizedAt, finalized_by as finalizedBy
         from results order by id`,
    )
    .all() as StoredResult[];
  const linesOf = sqlite.prepare(
    `select household_id as householdId, village_id as villageId, entry_id as entryId, rank, total, criteria, sheets, awarded, stars, reason, detail, excluded_reason as excludedReason
       from result_lines where result_id = ?`,
  );
  const r: RecordsCheck['results'] = { count: results.length, lines: 0, findings: [], linesCounted: 0, linesUnchecked: 0 };
  for (const result of results) {
    const lines = (linesOf.all(result.id) as StoredLine[]).map(lineRecord);
    r.lines += lines.length;
    const checked = checkResult(result, lines, audited.results.get(result.id));
    r.findings.push(...checked.findings);
    if (checked.lines === 'counted') r.linesCounted++;
    if (checked.lines === 'unchecked' && audited.results.has(result.id)) r.linesUnchecked++;
  }
  const stored = new Set(results.map((x) => x.id));
  for (const [id, a] of audited.results) {
    if (!stored.has(id)) r.findings.push({ subject: `result ${id}`, seq: a.written.seq, problem: 'missing: the audit log records it' });
  }

  const plates = sqlite.prepare(
    `select serial, result_id as resultId, campaign_id as campaignId, household_id as householdId, village_id as villageId, period, stars, title,
            holder_name as holderName, issuer, issued_at as issuedAt, issued_by as issuedBy, status, superseded_by as supersededBy,
            revoked_at as revokedAt, revoked_by as revokedBy, revoked_reason as revokedReason
       from plates order by serial`,
  );
  const p: RecordsCheck['plates'] = { count: 0, findings: [], partlyRecorded: 0 };
  for (const plate of plates.iterate() as Iterable<StoredPlate>) {
    p.count++;
    const checked = checkPlate(plate, audited.plates.get(plate.serial));
    if (checked.finding) p.findings.push(checked.finding);
    if (!checked.fullyRecorded && audited.plates.has(plate.serial)) p.partlyRecorded++;
    audited.plates.delete(plate.serial);
  }
  for (const [serial, a] of audited.plates) {
    p.findings.push({ subject: `plate ${serial} (household ${String(a.issue.after.householdId)})`, seq: a.issue.seq, problem: 'missing: the audit log records its issue' });
  }

  // A result's rewards at a time: those of a result in the ledger, and those a finalisation entered.
  const rewardsOf = sqlite.prepare(
    `select id, result_id as resultId, household_id as householdId, village_id as villageId, label, amount_fen as amountFen, goods, status, created_at as createdAt,
            paid_on as paidOn, payer, note, confirmed_by as confirmedBy, confirmed_at as confirmedAt
       from rewards where result_id = ? order by id`,
  );
  const inLedger = (sqlite.prepare('select distinct result_id as id from rewards').all() as Array<{ id: string }>).map((x) => x.id);
  const finalised = [...audited.results].filter(([, a]) => a.finalize).map(([id]) => id);
  const w: RecordsCheck['rewards'] = { count: 0, findings: [], counted: 0 };
  for (const id of new Set([...inLedger, ...finalised])) {
    const stored = rewardsOf.all(id) as StoredReward[];
    w.count += stored.length;
    const checked = checkRewards(id, stored, audited.results.get(id)?.finalize, audited.payments);
    w.findings.push(...checked.findings);
    if (checked.entered === 'counted') w.counted++;
  }
  return { results: r, plates: p, rewards: w };
}
