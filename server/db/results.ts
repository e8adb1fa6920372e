import { and, asc, eq, inArray } from 'drizzle-orm';
import { monthsNotFinal, monthsOfHalfYear } from '../domain/awards.ts';
import { rulesWithDefaults, whoDecides, type CampaignFormat, type CampaignRules, type Criterion, type StarRule } from '../domain/campaigns.ts';
import { awardKind, plateTitle } from '../domain/plates.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { frac, type Fraction } from '../domain/fraction.ts';
import {
  assertMayCompute,
  assertMayFinalize,
  assertMayObject,
  halfYearLines,
  isMonth,
  objectionDeadline,
  periodLabel,
  rankWithinVillages,
  rewardFor,
  roundLines,
  type HalfYearInput,
  type ResultKind,
  type ResultLine,
  type ScoredEntry,
} from '../domain/results.ts';
import { planRoundTransition } from '../domain/rounds.ts';
import { scoreEntry, type Sheet } from '../domain/scoring.ts';
import { chineseDayOf, toShanghaiIso } from '../domain/time.ts';
import { newId } from '../lib/ids.ts';
import type { StoredPhoto } from '../media/pool.ts';
import { lineCounts, lineRecord, rewardRecord, type LineRecord, type RewardRecord, type StoredLine } from '../domain/audit-records.ts';
import { appendAudit } from './audit.ts';
import { clientOf, type Db, type Tx } from './client.ts';
import { campaignVillageIds } from './campaigns.ts';
import { notifyAccount, notifyHousehold } from './notifications.ts';
import { ENTRY_QUORUM_SQL } from './scoring.ts';
import { householdLabel } from '../domain/households.ts';
import { campaigns, households, objectionPhotos, objections, resultLines, results, rewards, rounds } from './schema.ts';

export type ResultRow = typeof results.$inferSelect;
type LineRow = typeof resultLines.$inferSelect;
type CampaignRow = typeof campaigns.$inferSelect;
type RoundRow = typeof rounds.$inferSelect;

export const MAX_OBJECTION_PHOTOS = 6;

export function fractionText(f: Fraction | null): string | null {
  return f ? `${f.num}/${f.den}` : null;
}

export function parseFraction(text: string | null): Fraction | null {
  if (!text) return null;
  const [n, d] = text.split('/').map(Number);
  return frac(n!, d!);
}

/**
 * Every qualified entry of a round scored from its sheets. Two queries whatever the size of
 * the round (entries, then all their sheets), then pure aggregation in memory: a county's
 * month is 24,000 entries and 120,000 sheets.
 */
export function scoreRoundEntries(db: Db, roundId: string): { scored: ScoredEntry[]; rubric: Criterion[]; rules: CampaignRules } {
  const sql = db.$client;
  const campaign = sql.prepare(`select c.rubric, c.rules from rounds r join campaigns c on c.id = r.campaign_id where r.id = ?`).get(roundId) as
    | { rubric: string; rules: string }
    | undefined;
  if (!campaign) return { scored: [], rubric: [], rules: rulesWithDefaults({}) };
  const rubric = JSON.parse(campaign.rubric) as Criterion[];
  const rules = rulesWithDefaults(JSON.parse(campaign.rules) as Partial<CampaignRules>);
  const rows = sql
    .prepare(
      `select e.id, e.village_id as villageId, e.household_id as householdId, h.head_name as headName, coalesce(e.qualified_at, e.created_at) as qualifiedAt,
              ${ENTRY_QUORUM_SQL} as quorum
         from entries e join households h on h.id = e.household_id
        where e.round_id = ? and e.status in ('qualified', 'scored', 'awarded', 'not_awarded', 'disqualified') and e.hidden_at is null`,
    )
    .all(roundId) as Array<{ id: string; villageId: string; householdId: string; headName: string; qualifiedAt: number; quorum: number | null }>;
  const sheetsByEntry = new Map<string, Sheet[]>();
  const sheets = sql
    .prepare(`select s.entry_id, s.account_id, s.passed, s.points, s.comment from score_sheets s join entries e on e.id = s.entry_id where e.round_id = ?`)
    .raw()
    .all(roundId) as Array<[string, string, number, string, string]>;
  for (const [entryId, memberId, passed, points, comment] of sheets) {
    let list = sheetsByEntry.get(entryId);
    if (!list) sheetsByEntry.set(entryId, (list = []));
    list.push({ memberId, passed: passed === 1, points: JSON.parse(points) as Record<string, number>, comment });
  }
  const scored = rows.map((e) => ({
    entryId: e.id,
    villageId: e.villageId,
    householdId: e.householdId,
    headName: e.headName,
    qualifiedAt: e.qualifiedAt,
    score: scoreEntry(sheetsByEntry.get(e.id) ?? [], rubric, e.quorum ?? rules.quorum),
  }));
  return { scored, rubric, rules };
}

/** A round's entries scored and ranked within their villages (the benchmark's county month). */
export function scoreRound(db: Db, roundId: string): Array<ScoredEntry & { rank: number | null }> {
  const { scored, rubric } = scoreRoundEntries(db, roundId);
  const ranks = rankWithinVillages(scored, rubric[0]?.key);
  return scored.map((s) => ({ ...s, rank: ranks.get(s.entryId) ?? null }));
}

export function getResult(db: Db | Tx, id: string): ResultRow {
  const r = db.select().from(results).where(eq(results.id, id)).get();
  if (!r) throw notFound('评比结果');
  return r;
}

export function findResult(db: Db | Tx, campaignId: string, kind: ResultKind, period: string): ResultRow | undefined {
  return db.select().from(results).where(and(eq(results.campaignId, campaignId), eq(results.kind, kind), eq(results.period, period))).get();
}

export function resultOfRound(db: Db | Tx, round: RoundRow): ResultRow | undefined {
  return findResult(db, round.campaignId, 'round', round.period);
}

export function linesOf(db: Db | Tx, resultId: string): LineRow[] {
  return db.select().from(resultLines).where(eq(resultLines.resultId, resultId)).all();
}

export function resultsOfCampaign(db: Db, campaignId: string): ResultRow[] {
  return db.select().from(results).where(eq(results.campaignId, campaignId)).orderBy(asc(results.period)).all();
}

function excludedOf(tx: Tx | Db, resultId: string): Map<string, string> {
  return new Map(
    linesOf(tx, resultId)
      .filter((l) => l.excludedReason !== null)
      .map((l) => [l.householdId, l.excludedReason!]),
  );
}

interface CampaignFacts {
  id: string;
  format: CampaignFormat;
  rules: CampaignRules;
  starRule: StarRule;
  rubric: Criterion[];
}

function factsOf(c: CampaignRow): CampaignFacts {
  return { id: c.id, format: c.format, rules: rulesWithDefaults(c.rules as Partial<CampaignRules>), starRule: c.starRule as StarRule, rubric: c.rubric as Criterion[] };
}

/** The lines a result set has now, from the data behind it (sheets, or the half-year's final months). */
function computeLines(db: Db, campaign: CampaignFacts, kind: ResultKind, period: string, excluded: Map<string, string>): ResultLine[] {
  if (kind === 'round') {
    const round = db.select().from(rounds).where(and(eq(rounds.campaignId, campaign.id), eq(rounds.period, period))).get()!;
    const { scored } = scoreRoundEntries(db, round.id);
    return roundLines(scored, { ...campaign, hygieneKey: campaign.rubric[0]?.key }, excluded);
  }
  if (campaign.starRule.kind !== 'half_year') throw conflict('not_half_year', '本活动不评半年星级庭院。');
  const { inputs, monthsInPeriod } = halfYearInputs(db, campaign.id, period);
  return halfYearLines(inputs, campaign.starRule.levels, monthsInPeriod, excluded);
}

/**
 * Each household's months of a half-year, from the final results of the campaign's monthly
 * rounds in it. Every one of those rounds must be final: stars rest on settled months only.
 */
function halfYearInputs(db: Db, campaignId: string, period: string): { inputs: HalfYearInput[]; monthsInPeriod: number } {
  const months = monthsOfHalfYear(period);
  const held = db.select().from(rounds).where(and(eq(rounds.campaignId, campaignId), inArray(rounds.period, months))).orderBy(asc(rounds.seq)).all();
  if (!held.length) throw conflict('no_rounds_in_period', `本活动在 ${period} 没有月度评比。`);
  const notFinal = monthsNotFinal(held);
  if (notFinal.length) {
    throw conflict('months_not_final', `这些月份的结果尚未定稿：${notFinal.join('、')}。半年星级需在各月结果定稿后评定。`, { months: notFinal });
  }
  const byHousehold = new Map<string, HalfYearInput>();
  // One query for the whole half-year: a county's six months are some 150,000 lines.
  const rows = db.$client
    .prepare(
      `select r.period, l.household_id, l.village_id, l.awarded, l.total, l.rank, l.excluded_reason
         from results r join result_lines l on l.result_id = r.id
        where r.campaign_id = ? and r.kind = 'round' and r.period in (${held.map(() => '?').join(',')})`,
    )
    .raw()
    .all(campaignId, ...held.map((r) => r.period)) as Array<[string, string, string, number, string | null, number | null, string | null]>;
  for (const [period, householdId, villageId, awarded, total, rank, excluded] of rows) {
    let h = byHousehold.get(householdId);
    if (!h) byHousehold.set(householdId, (h = { householdId, villageId, months: [] }));
    h.months.push({ period, awarded: awarded === 1 && excluded === null, total: excluded ? null : parseFraction(total), rank });
  }
  // A month a household did not take part in counts as not awarded and not scored.
  for (const h of byHousehold.values()) {
    for (const round of held) if (!h.months.some((m) => m.period === round.period)) h.months.push({ period: round.period, awarded: false, total: null, rank: null });
    h.months.sort((a, b) => a.period.localeCompare(b.period));
  }
  return { inputs: [...byHousehold.values()], monthsInPeriod: held.length };
}

/** Store a result's lines in place of those it had; what the audit row records of each, from the very values stored. */
function writeLines(db: Db, resultId: string, lines: readonly ResultLine[]): LineRecord[] {
  const sql = db.$client;
  sql.prepare(`delete from result_lines where result_id = ?`).run(resultId);
  const insert = sql.prepare(
    `insert into result_lines (result_id, household_id, village_id, entry_id, rank, total, criteria, sheets, awarded, stars, reason, detail, excluded_reason)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return lines.map((l) => {
    const stored: StoredLine = {
      householdId: l.householdId,
      villageId: l.villageId,
      entryId: l.entryId,
      rank: l.rank,
      total: fractionText(l.total),
      criteria: JSON.stringify(l.criteria),
      sheets: l.sheets,
      awarded: l.awarded ? 1 : 0,
      stars: l.stars,
      reason: l.reason,
      detail: JSON.stringify(l.detail),
      excludedReason: l.excludedReason,
    };
    insert.run(resultId, stored.householdId, stored.villageId, stored.entryId, stored.rank, stored.total, stored.criteria, stored.sheets, stored.awarded, stored.stars, stored.reason, stored.detail, stored.excludedReason);
    return lineRecord(stored);
  });
}

/**
 * The audit row's account of the lines it wrote: their counts, and each line's record (a
 * county-wide month of 24,000 lines is some 1.3 MB), which `npm run audit:verify` holds the
 * stored lines to.
 */
function linesAudited(records: LineRecord[]) {
  return { ...lineCounts(records), lineRecords: records };
}

/** Compute (or recompute) a draft result set and store it with its audit row. */
function saveDraft(db: Db, campaign: CampaignRow, kind: ResultKind, period: string, roundId: string | null, actorId: string, now: number): ResultRow {
  const existing = findResult(db, campaign.id, kind, period);
  assertMayCompute(existing?.status ?? null);
  const excluded = existing ? excludedOf(db, existing.id) : new Map<string, string>();
  const lines = computeLines(db, factsOf(campaign), kind, period, excluded);
  const id = existing?.id ?? newId('rs');
  if (existing) {
    db.update(results).set({ version: existing.version + 1, computedAt: now, computedBy: actorId }).where(eq(results.id, id)).run();
  } else {
    db.insert(results).values({ id, campaignId: campaign.id, roundId, kind, period, status: 'draft', version: 1, computedAt: now, computedBy: actorId }).run();
  }
  const records = writeLines(db, id, lines);
  appendAudit(
    db,
    { actorId, action: 'results.compute', subjectType: 'result', subjectId: id, after: { kind, period, campaignId: campaign.id, roundId, version: (existing?.version ?? 0) + 1, ...linesAudited(records) } },
    now,
  );
  return getResult(db, id);
}

/** A round's draft: while the panel is visiting or scoring has closed, never before entries close. */
export function computeRoundResult(db: Db, roundId: string, actorId: string, now: number): ResultRow {
  return db.transaction((tx) => {
    const round = tx.select().from(rounds).where(eq(rounds.id, roundId)).get();
    if (!round) throw notFound('评比轮次');
    if (round.status === 'entries_open') throw conflict('entries_open', '本轮还在报名中，实地核实开始后才能计算结果。');
    const campaign = tx.select().from(campaigns).where(eq(campaigns.id, round.campaignId)).get()!;
    return saveDraft(db, campaign, 'round', round.period, round.id, actorId, now);
  });
}

export function computeHalfYearResult(db: Db, campaignId: string, period: string, actorId: string, now: number): ResultRow {
  return db.transaction((tx) => {
    const campaign = tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).get();
    if (!campaign) throw notFound('评比活动');
    if (campaign.format !== 'monthly') throw conflict('not_monthly', '半年星级庭院只用于按月评比的活动；单次评比按分数段评星。');
    return saveDraft(db, campaign, 'half_year', period, null, actorId, now);
  });
}

/** Entries follow their round's announced lines: awarded, not awarded or disqualified. */
function settleEntries(tx: Tx | Db, lines: readonly ResultLine[], now: number): void {
  // One prepared statement for a county's ~24,000 entries.
  const settle = clientOf(tx).prepare(`update entries set status = ?, updated_at = ? where id = ?`);
  for (const l of lines) {
    if (!l.entryId) continue;
    const status = l.awarded ? 'awarded' : l.detail.disqualified === true && !l.excludedReason ? 'disqualified' : 'not_awarded';
    settle.run(status, now, l.entryId);
  }
}

/** What a notice calls the results: 2026年10月美丽庭院, 2026年上半年星级庭院, a single evaluation by its title. */
function periodWords(kind: ResultKind, period: string, campaignTitle: string): string {
  return `${periodLabel({ kind, period, campaignTitle })}${kind === 'half_year' ? '星级庭院' : isMonth(period) ? '美丽庭院' : ''}`;
}


/**
 * Publish (公示): the lines are computed afresh from the data, stored, and the objection
 * period opens. A round also moves to `announced` and its entries take their outcome.
 */
function announce(db: Db, campaign: CampaignRow, kind: ResultKind, period: string, round: RoundRow | null, days: number, actorId: string, now: number): ResultRow {
  const draft = saveDraft(db, campaign, kind, period, round?.id ?? null, actorId, now);
  const deadline = objectionDeadline(now, days);
  db.update(results).set({ status: 'announced', announcedAt: now, announcedBy: actorId, objectionDeadline: deadline }).where(eq(results.id, draft.id)).run();
  const lines = linesOf(db, draft.id);
  if (round) {
    planRoundTransition(round.status, 'announced', 'announce', undefined);
    db.update(rounds).set({ status: 'announced', updatedAt: now }).where(eq(rounds.id, round.id)).run();
    settleEntries(db, lines.map(lineFromRow), now);
  }
  appendAudit(db, { actorId, action: 'results.announce', subjectType: 'result', subjectId: draft.id, after: { objectionDeadline: toShanghaiIso(deadline), days }, reason: null }, now);
  const words = periodWords(kind, period, campaign.title);
  for (const l of lines) {
    const outcome = l.stars > 0 ? `评为 ${l.stars} 星级` : l.awarded ? (round && isMonth(period) ? '获评美丽庭院' : '获评') : '未获评';
    notifyHousehold(db, l.householdId, 'results_announced', { resultId: draft.id, kind, period, campaignId: campaign.id, roundId: round?.id ?? null }, `${words}结果已公示：您家${outcome}。如有异议请于 ${chineseDayOf(deadline)}前提出。`, now);
  }
  return getResult(db, draft.id);
}

export function announceRound(db: Db, roundId: string, days: number | undefined, actorId: string, now: number): ResultRow {
  return db.transaction((tx) => {
    const round = tx.select().from(rounds).where(eq(rounds.id, roundId)).get();
    if (!round) throw notFound('评比轮次');
    planRoundTransition(round.status, 'announced', 'announce', undefined);
    const campaign = tx.select().from(campaigns).where(eq(campaigns.id, round.campaignId)).get()!;
    return announce(db, campaign, 'round', round.period, round, days ?? factsOf(campaign).rules.objectionDays, actorId, now);
  });
}

export function announceHalfYear(db: Db, campaignId: string, period: string, days: number | undefined, actorId: string, now: number): ResultRow {
  return db.transaction((tx) => {
    const campaign = tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).get();
    if (!campaign) throw notFound('评比活动');
    if (campaign.format !== 'monthly') throw conflict('not_monthly', '半年星级庭院只用于按月评比的活动。');
    return announce(db, campaign, 'half_year', period, null, days ?? factsOf(campaign).rules.objectionDays, actorId, now);
  });
}

export function openObjections(tx: Tx | Db, resultId: string): number {
  return tx.select({ id: objections.id }).from(objections).where(and(eq(objections.resultId, resultId), eq(objections.status, 'open'))).all().length;
}

/** Lock the results (定稿): rewards due under the campaign's rules are entered in the ledger. */
export function finalizeResult(db: Db, resultId: string, actorId: string, now: number): ResultRow {
  return db.transaction((tx) => {
    const result = getResult(tx, resultId);
    assertMayFinalize(result, openObjections(tx, resultId), now);
    const campaign = tx.select().from(campaigns).where(eq(campaigns.id, result.campaignId)).get()!;
    const facts = factsOf(campaign);
    if (result.roundId) {
      const round = tx.select().from(rounds).where(eq(rounds.id, result.roundId)).get()!;
      planRoundTransition(round.status, 'final', 'finalize', undefined);
      tx.update(rounds).set({ status: 'final', updatedAt: now }).where(eq(rounds.id, round.id)).run();
    }
    tx.update(results).set({ status: 'final', finalizedAt: now, finalizedBy: actorId }).where(eq(results.id, resultId)).run();
    const award = awardKind(result.kind, campaign.format);
    const rewardKind = award === 'monthly' ? 'monthly_award' : 'stars';
    const entered: RewardRecord[] = [];
    for (const l of linesOf(tx, resultId)) {
      const item = rewardFor(facts.rules, l, rewardKind);
      if (!item) continue;
      const reward = { id: newId('rw'), resultId, householdId: l.householdId, villageId: l.villageId, label: plateTitle(award, result.period, l.stars), amountFen: item.fen, goods: item.goods };
      tx.insert(rewards).values({ ...reward, status: 'pending', createdAt: now }).run();
      entered.push(rewardRecord(reward));
    }
    appendAudit(tx, { actorId, action: 'results.finalize', subjectType: 'result', subjectId: resultId, after: { status: 'final', rewards: entered.length, rewardRecords: entered } }, now);
    return getResult(tx, resultId);
  });
}

export function lineFromRow(l: LineRow): ResultLine {
  return {
    householdId: l.householdId,
    villageId: l.villageId,
    entryId: l.entryId,
    rank: l.rank,
    total: parseFraction(l.total),
    criteria: l.criteria as ResultLine['criteria'],
    sheets: l.sheets,
    awarded: l.awarded,
    stars: l.stars,
    reason: l.reason,
    detail: l.detail as Record<string, unknown>,
    excludedReason: l.excludedReason,
  };
}

// ── Objections ─────────────────────────────────────────────────────────────

export function fileObjection(db: Db, resultId: string, input: { householdId: string; text: string }, accountId: string, now: number) {
  return db.transaction((tx) => {
    const result = getResult(tx, resultId);
    assertMayObject(result, now);
    const line = tx.select().from(resultLines).where(and(eq(resultLines.resultId, resultId), eq(resultLines.householdId, input.householdId))).get();
    if (!line) throw invalid('household_not_in_results', '这户不在本次公示的结果中，请从公示名单中选择。', { field: 'householdId' });
    const pending = tx
      .select({ id: objections.id })
      .from(objections)
      .where(and(eq(objections.resultId, resultId), eq(objections.householdId, input.householdId), eq(objections.accountId, accountId), eq(objections.status, 'open')))
      .get();
    if (pending) {
      const who = whoDecides(campaignVillageIds(tx, result.campaignId));
      throw conflict('objection_pending', `您对这户的异议还在处理中，请等${who}答复；要补充材料，可以在“我的异议”里添加照片。`, { objectionId: pending.id });
    }
    const id = newId('ob');
    tx.insert(objections).values({ id, resultId, householdId: input.householdId, accountId, text: input.text, status: 'open', createdAt: now }).run();
    appendAudit(tx, { actorId: accountId, action: 'objection.file', subjectType: 'result', subjectId: resultId, after: { objectionId: id, householdId: input.householdId } }, now);
    return getObjection(tx, id);
  });
}

export function getObjection(db: Db | Tx, id: string) {
  const o = db.select().from(objections).where(eq(objections.id, id)).get();
  if (!o) throw notFound('异议');
  return o;
}

/** Whether one more photo may be added to this objection: it is still open and has room. */
export function assertMayAddObjectionPhoto(db: Db | Tx, o: { id: string; status: string }): void {
  if (o.status !== 'open') throw conflict('objection_decided', '这条异议已处理，不能再添加照片。');
  const n = db.select({ id: objectionPhotos.id }).from(objectionPhotos).where(eq(objectionPhotos.objectionId, o.id)).all().length;
  if (n >= MAX_OBJECTION_PHOTOS) throw conflict('too_many_photos', `每条异议最多 ${MAX_OBJECTION_PHOTOS} 张照片。`, { max: MAX_OBJECTION_PHOTOS });
}

export function addObjectionPhoto(db: Db, objectionId: string, p: StoredPhoto, accountId: string, now: number): void {
  db.transaction((tx) => {
    assertMayAddObjectionPhoto(tx, getObjection(tx, objectionId));
    const id = newId('op');
    tx.insert(objectionPhotos).values({ id, objectionId, storageKey: p.storageKey, width: p.width, height: p.height, createdAt: now }).run();
    appendAudit(tx, { actorId: accountId, action: 'objection.photo', subjectType: 'objection', subjectId: objectionId, after: { photoId: id, storageKey: p.storageKey } }, now);
  });
}

export function objectionPhotosOf(db: Db, objectionId: string) {
  return db.select().from(objectionPhotos).where(eq(objectionPhotos.objectionId, objectionId)).orderBy(asc(objectionPhotos.createdAt)).all();
}

/** Who filed objections with photos under this key, and the campaign they concern (for photo access). */
export function objectionPhotoScopes(db: Db, key: string) {
  return db
    .select({ accountId: objections.accountId, campaignId: results.campaignId, villageId: households.villageId })
    .from(objectionPhotos)
    .innerJoin(objections, eq(objections.id, objectionPhotos.objectionId))
    .innerJoin(results, eq(results.id, objections.resultId))
    .innerJoin(households, eq(households.id, objections.householdId))
    .where(eq(objectionPhotos.storageKey, key))
    .all();
}

function standing(l: Pick<ResultLine, 'rank' | 'awarded' | 'stars' | 'excludedReason'>): string {
  if (l.excludedReason) return '取消';
  const parts = [l.rank !== null ? `第 ${l.rank} 名` : '未排名', l.stars > 0 ? `${l.stars} 星` : l.awarded ? '获评' : '未获评'];
  return parts.join('，');
}

/**
 * Settle an objection. Upholding takes the disputed household out of the results and
 * recomputes them (the others move up); what moved is kept with the decision and shown
 * publicly. The household and the objector are told either way.
 */
export function decideObjection(db: Db, objectionId: string, decision: { uphold: boolean; reason: string }, actorId: string, now: number) {
  return db.transaction((tx) => {
    const o = getObjection(tx, objectionId);
    if (o.status !== 'open') throw conflict('objection_decided', '这条异议已经处理过了。');
    const result = getResult(tx, o.resultId);
    if (result.status !== 'announced') throw conflict('results_not_announced', '只有公示中的结果才能处理异议。');
    const campaign = tx.select().from(campaigns).where(eq(campaigns.id, result.campaignId)).get()!;
    let change: { moves: Array<{ householdId: string; before: string; after: string }> } | null = null;
    let recomputed: LineRecord[] | null = null;
    if (decision.uphold) {
      const before = new Map(linesOf(tx, result.id).map((l) => [l.householdId, lineFromRow(l)]));
      const excluded = excludedOf(tx, result.id);
      excluded.set(o.householdId, decision.reason);
      const lines = computeLines(db, factsOf(campaign), result.kind, result.period, excluded);
      recomputed = writeLines(db, result.id, lines);
      tx.update(results).set({ version: result.version + 1, computedAt: now, computedBy: actorId }).where(eq(results.id, result.id)).run();
      if (result.kind === 'round') settleEntries(tx, lines, now);
      const moves = lines
        .map((l) => ({ householdId: l.householdId, before: before.get(l.householdId), after: l }))
        .filter((m) => !m.before || standing(m.before) !== standing(m.after))
        .map((m) => ({ householdId: m.householdId, before: m.before ? standing(m.before) : '—', after: standing(m.after) }));
      change = { moves };
    }
    const status = decision.uphold ? 'upheld' : 'dismissed';
    tx.update(objections).set({ status, decidedAt: now, decidedBy: actorId, decisionReason: decision.reason, change }).where(eq(objections.id, o.id)).run();
    appendAudit(
      tx,
      { actorId, action: `objection.${status}`, subjectType: 'objection', subjectId: o.id, before: { status: 'open' }, after: { status, change }, reason: decision.reason },
      now,
    );
    // The result's own trail records the lines the objection left it with.
    if (recomputed) {
      appendAudit(tx, { actorId, action: 'results.recompute', subjectType: 'result', subjectId: result.id, after: { objectionId: o.id, version: result.version + 1, ...linesAudited(recomputed) } }, now);
    }
    const words = periodWords(result.kind, result.period, campaign.title);
    const verdict = decision.uphold ? '异议成立，结果已重新计算' : '异议不成立，结果维持';
    const where = { resultId: result.id, kind: result.kind, period: result.period, campaignId: result.campaignId, roundId: result.roundId };
    // The household reads plainly what it means for it: its result cancelled, or unchanged.
    const theirs = change?.moves.find((m) => m.householdId === o.householdId);
    const forThem = decision.uphold
      ? `${words}有关您家的异议经核实成立，您家的评比结果已取消${theirs && theirs.before !== '—' ? `（原为：${theirs.before}）` : ''}。理由：${decision.reason}`
      : `${words}有关您家的异议经核实不成立，您家的结果不变。理由：${decision.reason}`;
    notifyHousehold(tx, o.householdId, 'objection_settled', { objectionId: o.id, ...where }, forThem, now);
    const about = householdLabel(headNames(tx, [o.householdId]).get(o.householdId)?.headName ?? '');
    notifyAccount(tx, o.accountId, 'objection_settled', { objectionId: o.id, ...where }, `您对${words}中${about}提出的异议已处理：${verdict}。理由：${decision.reason}`, now);
    return { objection: getObjection(tx, o.id), result: getResult(tx, result.id) };
  });
}

/** A result's objections, oldest first, each with the village of the household it is about (who may read it depends on that). */
export function objectionsOf(db: Db, resultId: string) {
  return db
    .select({ objection: objections, villageId: households.villageId })
    .from(objections)
    .innerJoin(households, eq(households.id, objections.householdId))
    .where(eq(objections.resultId, resultId))
    .orderBy(asc(objections.createdAt))
    .all();
}

export function objectionsByAccount(db: Db, accountId: string) {
  return db.select().from(objections).where(eq(objections.accountId, accountId)).orderBy(asc(objections.createdAt)).all();
}

export function upheldObjections(db: Db, resultId: string) {
  return db.select().from(objections).where(and(eq(objections.resultId, resultId), eq(objections.status, 'upheld'))).orderBy(asc(objections.decidedAt)).all();
}

export function headNames(db: Db | Tx, ids: string[]): Map<string, { headName: string; doorNumber: string; villageId: string }> {
  if (!ids.length) return new Map();
  return new Map(
    db
      .select({ id: households.id, headName: households.headName, doorNumber: households.doorNumber, villageId: households.villageId })
      .from(households)
      .where(inArray(households.id, ids))
      .all()
      .map((h) => [h.id, { headName: h.headName, doorNumber: h.doorNumber, villageId: h.villageId }]),
  );
}
