import { createHash } from 'node:crypto';
import type { AuditFields } from './audit.ts';
import { toShanghaiIso } from './time.ts';

// What the audit rows of results, plates and rewards hold of the rows they wrote, and how the
// rows stored now are held to it. The chain proves the audit rows untouched; these prove the
// results, plates and rewards a village reads are still the ones the app wrote and recorded.

/** A result line as the database holds it: JSON columns as their text, awarded as 0 or 1. */
export interface StoredLine {
  householdId: string;
  villageId: string;
  entryId: string | null;
  rank: number | null;
  total: string | null;
  criteria: string;
  sheets: number;
  awarded: number;
  stars: number;
  reason: string;
  detail: string;
  excludedReason: string | null;
}

/**
 * What the audit row that wrote a result's lines keeps of each line, as a tuple (a county's
 * half-year has 24,000 lines): the household; what a villager reads of it in clear (rank,
 * exact total, awarded, stars, the reason an upheld objection took it out); and a digest of
 * the whole line, so that a change to its entry, criteria means, sheet count, reason or
 * months is found too.
 */
export type LineRecord = [householdId: string, rank: number | null, total: string | null, awarded: 0 | 1, stars: number, excludedReason: string | null, digest: string];

export function lineRecord(l: StoredLine): LineRecord {
  const whole = JSON.stringify([l.householdId, l.villageId, l.entryId, l.rank, l.total, l.criteria, l.sheets, l.awarded ? 1 : 0, l.stars, l.reason, l.detail, l.excludedReason]);
  // 64 bits: finding another line with the same digest is out of reach.
  const digest = createHash('sha256').update(whole).digest('hex').slice(0, 16);
  return [l.householdId, l.rank, l.total, l.awarded ? 1 : 0, l.stars, l.excludedReason, digest];
}

/** The counts a results.compute row held before lines were recorded one by one. */
export interface LineCounts {
  lines: number;
  awarded: number;
  stars: Record<string, number>;
}

export function lineCounts(lines: readonly LineRecord[]): LineCounts {
  const stars: Record<string, number> = {};
  for (const l of lines) if (l[4] > 0) stars[l[4]] = (stars[l[4]] ?? 0) + 1;
  return { lines: lines.length, awarded: lines.filter((l) => l[3] === 1).length, stars };
}

/** What plate.issue records of a plate: every field it is issued with. */
const PLATE_ISSUED = ['resultId', 'campaignId', 'householdId', 'villageId', 'period', 'stars', 'title', 'holderName', 'issuer'] as const;
export type PlateIssued = { [K in (typeof PLATE_ISSUED)[number]]: K extends 'stars' ? number : string };

export function plateIssued(p: PlateIssued): PlateIssued {
  return Object.fromEntries(PLATE_ISSUED.map((k) => [k, p[k]])) as PlateIssued;
}

/** What results.finalize records of each reward it enters in the ledger, as a tuple in this order. */
const REWARD_ENTERED = ['id', 'householdId', 'villageId', 'label', 'amountFen', 'goods'] as const;
export type RewardRecord = [id: string, householdId: string, villageId: string, label: string, amountFen: number | null, goods: string | null];

export function rewardRecord(r: { id: string; householdId: string; villageId: string; label: string; amountFen: number | null; goods: string | null }): RewardRecord {
  return [r.id, r.householdId, r.villageId, r.label, r.amountFen, r.goods];
}

// ── The audit log read back ────────────────────────────────────────────────

/** An audit row as far as these records need it. */
export type AuditRowIn = Omit<AuditFields, 'before'>;

interface Mark {
  seq: number;
  at: number;
  actorId: string | null;
}

/** A result set as its audit rows tell it. `after` texts that hold lines are parsed only when checked. */
export interface AuditedResult {
  /** The last results.compute row: what the result is (kind, period, campaign, round). */
  computed: Mark & { after: string | null };
  /** The last row that wrote its lines: that results.compute, or results.recompute after an upheld objection. */
  written: Mark & { after: string | null };
  /** Upheld objections since, whose recomputation was not recorded (logs written before results.recompute). */
  upheldSince: Mark[];
  announce: (Mark & { objectionDeadline: unknown }) | null;
  finalize: (Mark & { after: string | null }) | null;
}

export interface AuditedPlate {
  issue: Mark & { after: Record<string, unknown> };
  status: 'issued' | 'superseded' | 'revoked';
  supersededBy: string | null;
  revoke: (Mark & { reason: string | null }) | null;
  /** The last row about it. */
  seq: number;
}

export interface AuditedRecords {
  results: Map<string, AuditedResult>;
  plates: Map<string, AuditedPlate>;
  payments: Map<string, Mark & { after: Record<string, unknown> }>;
}

/** An `after` as an object; one that is not (a row altered by hand, which breaks the chain) as nothing recorded. */
function parsed(text: string | null): Record<string, unknown> {
  try {
    const value = text ? (JSON.parse(text) as unknown) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Replay the audit rows of results, objections, plates and rewards, in order, into what they say now. */
export function readAuditedRecords(rows: Iterable<AuditRowIn>): AuditedRecords {
  const out: AuditedRecords = { results: new Map(), plates: new Map(), payments: new Map() };
  const resultOfObjection = new Map<string, string>();
  for (const r of rows) {
    const mark: Mark = { seq: r.seq, at: r.at, actorId: r.actorId };
    const result = out.results.get(r.subjectId);
    switch (r.action) {
      case 'results.compute': {
        const computed = { ...mark, after: r.after };
        out.results.set(r.subjectId, { announce: null, finalize: null, ...result, computed, written: computed, upheldSince: [] });
        break;
      }
      case 'results.recompute':
        if (result) Object.assign(result, { written: { ...mark, after: r.after }, upheldSince: [] });
        break;
      case 'results.announce':
        if (result) result.announce = { ...mark, objectionDeadline: parsed(r.after).objectionDeadline };
        break;
      case 'results.finalize':
        if (result) result.finalize = { ...mark, after: r.after };
        break;
      case 'objection.file':
        resultOfObjection.set(String(parsed(r.after).objectionId), r.subjectId);
        break;
      case 'objection.upheld':
        out.results.get(resultOfObjection.get(r.subjectId) ?? '')?.upheldSince.push(mark);
        break;
      case 'plate.issue': {
        const after = parsed(r.after);
        out.plates.set(r.subjectId, { issue: { ...mark, after }, status: 'issued', supersededBy: null, revoke: null, seq: r.seq });
        const replaced = typeof after.replacing === 'string' ? out.plates.get(after.replacing) : undefined;
        if (replaced?.status === 'revoked') Object.assign(replaced, { supersededBy: r.subjectId, seq: r.seq });
        break;
      }
      case 'plate.supersede': {
        const plate = out.plates.get(r.subjectId);
        if (plate) Object.assign(plate, { status: 'superseded', supersededBy: String(parsed(r.after).supersededBy), seq: r.seq });
        break;
      }
      case 'plate.revoke': {
        const plate = out.plates.get(r.subjectId);
        if (plate) Object.assign(plate, { status: 'revoked', revoke: { ...mark, reason: r.reason }, seq: r.seq });
        break;
      }
      case 'reward.paid':
        out.payments.set(r.subjectId, { ...mark, after: parsed(r.after) });
        break;
    }
  }
  return out;
}

// ── Stored against recorded ────────────────────────────────────────────────

/** One difference between a stored row and its audit record, in words. */
export interface Finding {
  subject: string;
  /** The audit row it was held to, if any. */
  seq: number | null;
  problem: string;
}

const shown = (v: unknown): string => (v === null || v === undefined || v === '' ? '-' : String(v));
const when = (v: unknown): string => (typeof v === 'number' ? toShanghaiIso(v) : shown(v));
const yesNo = (v: unknown): string => (v ? 'yes' : 'no');

/** `label stored, recorded recorded` for each pair that differs. */
function differences(pairs: Array<[label: string, stored: unknown, recorded: unknown, show?: (v: unknown) => string]>): string[] {
  return pairs.filter(([, s, r]) => (s ?? null) !== (r ?? null)).map(([label, s, r, show = shown]) => `${label} ${show(s)}, recorded ${show(r)}`);
}

export interface StoredResult {
  id: string;
  campaignId: string;
  roundId: string | null;
  kind: string;
  period: string;
  status: string;
  version: number;
  computedAt: number;
  computedBy: string;
  announcedAt: number | null;
  announcedBy: string | null;
  objectionDeadline: number | null;
  finalizedAt: number | null;
  finalizedBy: string | null;
}

/** How rows could be held to their audit records (a result's lines, its rewards): one by one, by their count only, or not at all. */
type HowChecked = 'each' | 'counted' | 'unchecked';

const resultName = (r: Pick<StoredResult, 'id' | 'kind' | 'period'>) => `result ${r.id} (${r.kind} ${r.period})`;

/**
 * A result set and its lines against the rows that computed, announced, recomputed and
 * finalised it. Rows written before lines were recorded one by one hold their counts; lines
 * recomputed by an upheld objection then were not recorded at all, and are not judged.
 */
export function checkResult(stored: StoredResult, lines: readonly LineRecord[], audited: AuditedResult | undefined): { findings: Finding[]; lines: HowChecked } {
  const name = resultName(stored);
  if (!audited) return { findings: [{ subject: name, seq: null, problem: 'no audit record of it (results.compute): it was not made by the app' }], lines: 'unchecked' };
  const written = parsed(audited.written.after);
  const computed = audited.computed === audited.written ? written : parsed(audited.computed.after);
  const last = audited.upheldSince.at(-1) ?? audited.written;
  const status = audited.finalize ? 'final' : audited.announce ? 'announced' : 'draft';
  const problems = differences([
    ['kind', stored.kind, computed.kind],
    ['period', stored.period, computed.period],
    ...('campaignId' in computed ? [['campaign', stored.campaignId, computed.campaignId] as [string, unknown, unknown]] : []),
    ...('roundId' in computed ? [['round', stored.roundId, computed.roundId] as [string, unknown, unknown]] : []),
    ['status', stored.status, status],
    ['version', stored.version, Number(written.version) + audited.upheldSince.length],
    ['computed at', stored.computedAt, last.at, when],
    ['computed by', stored.computedBy, last.actorId],
    ['announced at', stored.announcedAt, audited.announce?.at, when],
    ['announced by', stored.announcedBy, audited.announce?.actorId],
    ['objection deadline', stored.objectionDeadline === null ? null : toShanghaiIso(stored.objectionDeadline), audited.announce?.objectionDeadline],
    ['finalised at', stored.finalizedAt, audited.finalize?.at, when],
    ['finalised by', stored.finalizedBy, audited.finalize?.actorId],
  ]);
  const seq = Math.max(audited.written.seq, last.seq, audited.announce?.seq ?? 0, audited.finalize?.seq ?? 0);
  const findings: Finding[] = problems.length ? [{ subject: name, seq, problem: problems.join('; ') }] : [];
  if (audited.upheldSince.length) return { findings, lines: 'unchecked' };
  const writtenSeq = audited.written.seq;
  if (Array.isArray(written.lineRecords)) {
    for (const f of linesDiffer(lines, written.lineRecords as LineRecord[])) findings.push({ subject: `${name}, line of household ${f.householdId}`, seq: writtenSeq, problem: f.problem });
    return { findings, lines: 'each' };
  }
  if (typeof written.lines !== 'number') return { findings, lines: 'unchecked' };
  const counts = countsDiffer(lineCounts(lines), { lines: written.lines, awarded: Number(written.awarded), stars: (written.stars ?? {}) as Record<string, number> });
  if (counts) findings.push({ subject: `${name}, its lines`, seq: writtenSeq, problem: counts });
  return { findings, lines: 'counted' };
}

/** Each line that differs from its record, is not recorded, or was recorded and is gone. */
export function linesDiffer(stored: readonly LineRecord[], recorded: readonly LineRecord[]): Array<{ householdId: string; problem: string }> {
  const byHousehold = new Map(recorded.map((l) => [l[0], l]));
  const out: Array<{ householdId: string; problem: string }> = [];
  for (const s of stored) {
    const r = byHousehold.get(s[0]);
    byHousehold.delete(s[0]);
    if (!r) {
      out.push({ householdId: s[0], problem: 'not in the audit record: the line was added outside the app' });
      continue;
    }
    const problems = differences([
      ['rank', s[1], r[1]],
      ['total', s[2], r[2], totalWords],
      ['awarded', s[3], r[3], yesNo],
      ['stars', s[4], r[4]],
      ['excluded', s[5] !== null, r[5] !== null, yesNo],
    ]);
    if (s[5] !== null && r[5] !== null && s[5] !== r[5]) problems.push('reason it was excluded changed');
    if (!problems.length && s[6] !== r[6]) problems.push('its other details (entry, criteria means, sheet count, reason or months) changed');
    if (problems.length) out.push({ householdId: s[0], problem: problems.join('; ') });
  }
  for (const r of byHousehold.values()) out.push({ householdId: r[0], problem: 'missing: the audit record has this line' });
  return out;
}

/** An exact total in words: 93 for 93/1, else the fraction as stored. */
function totalWords(v: unknown): string {
  return typeof v === 'string' ? v.replace(/\/1$/, '') : shown(v);
}

export function countsDiffer(stored: LineCounts, recorded: LineCounts): string | null {
  const levels = [...new Set([...Object.keys(stored.stars), ...Object.keys(recorded.stars)])].sort();
  const problems = differences([
    ['lines', stored.lines, recorded.lines],
    ['lines awarded', stored.awarded, recorded.awarded],
    ...levels.map((s) => [`lines with ${s} stars`, stored.stars[s] ?? 0, recorded.stars[s] ?? 0] as [string, unknown, unknown]),
  ]);
  return problems.length ? problems.join('; ') : null;
}

export interface StoredPlate extends PlateIssued {
  serial: string;
  issuedAt: number;
  issuedBy: string;
  status: string;
  supersededBy: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
  revokedReason: string | null;
}

const PLATE_WORDS: Record<(typeof PLATE_ISSUED)[number], string> = {
  resultId: 'result',
  campaignId: 'campaign',
  householdId: 'household',
  villageId: 'village',
  period: 'period',
  stars: 'stars',
  title: 'title',
  holderName: 'holder',
  issuer: 'issuer',
};

/**
 * A plate against its plate.issue row and the supersede, revoke and reissue rows since. Rows
 * written before every issued field was recorded hold the result, household and title only:
 * `fullyRecorded` says so.
 */
export function checkPlate(stored: StoredPlate, audited: AuditedPlate | undefined): { finding: Finding | null; fullyRecorded: boolean } {
  const subject = `plate ${stored.serial} (household ${stored.householdId})`;
  if (!audited) return { finding: { subject, seq: null, problem: 'no audit record of its issue (plate.issue): it was not issued by the app' }, fullyRecorded: false };
  const recorded = audited.issue.after;
  const problems = differences([
    ...PLATE_ISSUED.filter((k) => k in recorded).map((k) => [PLATE_WORDS[k], stored[k], recorded[k]] as [string, unknown, unknown]),
    ['issued at', stored.issuedAt, audited.issue.at, when],
    ['issued by', stored.issuedBy, audited.issue.actorId],
    ['status', stored.status, audited.status],
    ['superseded by', stored.supersededBy, audited.supersededBy],
    ['revoked at', stored.revokedAt, audited.revoke?.at, when],
    ['revoked by', stored.revokedBy, audited.revoke?.actorId],
    ['revocation reason', stored.revokedReason, audited.revoke?.reason],
  ]);
  return { finding: problems.length ? { subject, seq: audited.seq, problem: problems.join('; ') } : null, fullyRecorded: PLATE_ISSUED.every((k) => k in recorded) };
}

export interface StoredReward {
  id: string;
  resultId: string;
  householdId: string;
  villageId: string;
  label: string;
  amountFen: number | null;
  goods: string | null;
  status: string;
  createdAt: number;
  paidOn: string | null;
  payer: string | null;
  note: string | null;
  confirmedBy: string | null;
  confirmedAt: number | null;
}

const REWARD_WORDS: Record<(typeof REWARD_ENTERED)[number], string> = { id: 'id', householdId: 'household', villageId: 'village', label: 'label', amountFen: 'amount_fen', goods: 'goods' };
const rewardName = (r: { id: string; householdId: string; resultId: string }) => `reward ${r.id} (household ${r.householdId}, result ${r.resultId})`;

/**
 * A result's rewards against the finalize row that entered them and the reward.paid row of
 * each. A finalize row written before rewards were recorded one by one holds their number:
 * `entered` says whether they were held to it each, by count, or (not final) not at all.
 */
export function checkRewards(
  resultId: string,
  stored: readonly StoredReward[],
  finalize: AuditedResult['finalize'] | undefined,
  payments: AuditedRecords['payments'],
): { findings: Finding[]; entered: HowChecked } {
  const findings: Finding[] = [];
  const entered = parsed(finalize?.after ?? null);
  const records = Array.isArray(entered.rewardRecords) ? new Map((entered.rewardRecords as RewardRecord[]).map((r) => [r[0], r])) : null;
  for (const s of stored) {
    const pay = payments.get(s.id);
    const record = records?.get(s.id);
    records?.delete(s.id);
    const problems: string[] = [];
    if (!finalize) problems.push('no audit record of its entry: its result was not finalised by the app');
    else if (records && !record) problems.push(`not among the rewards its result's finalisation entered`);
    else {
      if (record) problems.push(...differences(REWARD_ENTERED.slice(1).map((k, i) => [REWARD_WORDS[k], s[k], record[i + 1]] as [string, unknown, unknown])));
      problems.push(...differences([['entered at', s.createdAt, finalize.at, when]]));
    }
    // Named against the row of its first difference: the finalisation that entered it, or its payment.
    const seq = problems.length ? (finalize?.seq ?? null) : (pay?.seq ?? finalize?.seq ?? null);
    problems.push(
      ...differences([
        ['status', s.status, pay ? 'paid' : 'pending'],
        ['paid on', s.paidOn, pay?.after.paidOn],
        ['payer', s.payer, pay?.after.payer],
        // An empty note is stored as none.
        ['note', s.note, pay?.after.note || null],
        ['confirmed by', s.confirmedBy, pay?.actorId],
        ['confirmed at', s.confirmedAt, pay?.at, when],
      ]),
    );
    if (problems.length) findings.push({ subject: rewardName(s), seq, problem: problems.join('; ') });
  }
  for (const r of records?.values() ?? []) findings.push({ subject: rewardName({ id: r[0], householdId: r[1], resultId }), seq: finalize!.seq, problem: "missing from the ledger: its result's finalisation entered it" });
  if (records || !finalize) return { findings, entered: records ? 'each' : 'unchecked' };
  if (typeof entered.rewards === 'number' && entered.rewards !== stored.length) {
    findings.push({ subject: `result ${resultId}, its rewards`, seq: finalize.seq, problem: `${stored.length} in the ledger, recorded ${entered.rewards}` });
  }
  return { findings, entered: 'counted' };
}
