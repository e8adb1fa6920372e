import { asc, desc, eq, sql } from 'drizzle-orm';
import type { CampaignPlan, CampaignRules, Criterion } from '../domain/campaigns.ts';
import { rubricTotal, rulesWithDefaults } from '../domain/campaigns.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { ENTRY_EDGES, type EntryAction } from '../domain/entries.ts';
import type { RoundState } from '../domain/rounds.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../lib/ids.ts';
import { appendAudit } from './audit.ts';
import { clientOf, prepared, type Db, type Tx } from './client.ts';
import { getVillages } from './places.ts';
import { ENTRY_QUORUM_SQL } from './scoring.ts';
import { campaignVillages, campaigns, rounds } from './schema.ts';

type CampaignRow = typeof campaigns.$inferSelect;
type RoundRow = typeof rounds.$inferSelect;

export function roundView(r: RoundRow) {
  return { id: r.id, campaignId: r.campaignId, seq: r.seq, period: r.period, startsAt: toShanghaiIso(r.startsAt), endsAt: toShanghaiIso(r.endsAt), status: r.status };
}

const villageIdsOfCampaign = (db: Db | Tx) =>
  db.select({ id: campaignVillages.villageId }).from(campaignVillages).where(eq(campaignVillages.campaignId, sql.placeholder('campaignId'))).prepare();

export function campaignVillageIds(db: Db | Tx, campaignId: string): string[] {
  return prepared(db, villageIdsOfCampaign)
    .all({ campaignId })
    .map((r) => r.id);
}

/** The villages a campaign runs in, with their town, as its answers name them. */
export function campaignVillagesView(db: Db | Tx, campaignId: string) {
  return getVillages(db as Db, campaignVillageIds(db, campaignId)).map((v) => ({ id: v.id, name: v.name, townId: v.townId, townName: v.townName }));
}

export function campaignView(db: Db | Tx, c: CampaignRow) {
  const rubric = c.rubric as Criterion[];
  return {
    id: c.id,
    title: c.title,
    format: c.format,
    status: c.status,
    likeThreshold: c.likeThreshold,
    rubric,
    rubricTotal: rubricTotal(rubric),
    rules: rulesWithDefaults(c.rules as Partial<CampaignRules>),
    starRule: c.starRule,
    villages: campaignVillagesView(db, c.id),
    startsAt: toShanghaiIso(c.startsAt),
    endsAt: toShanghaiIso(c.endsAt),
    createdAt: toShanghaiIso(c.createdAt),
  };
}

const campaignById = (db: Db | Tx) => db.select().from(campaigns).where(eq(campaigns.id, sql.placeholder('id'))).prepare();
const roundById = (db: Db | Tx) => db.select().from(rounds).where(eq(rounds.id, sql.placeholder('id'))).prepare();
const roundsOfCampaign = (db: Db | Tx) => db.select().from(rounds).where(eq(rounds.campaignId, sql.placeholder('campaignId'))).orderBy(asc(rounds.seq)).prepare();
const allCampaigns = (db: Db | Tx) => db.select().from(campaigns).orderBy(desc(campaigns.startsAt)).prepare();
const campaignsOfVillage = (db: Db | Tx) =>
  db
    .select({ c: campaigns })
    .from(campaigns)
    .innerJoin(campaignVillages, eq(campaignVillages.campaignId, campaigns.id))
    .where(eq(campaignVillages.villageId, sql.placeholder('villageId')))
    .orderBy(desc(campaigns.startsAt))
    .prepare();

export function getCampaign(db: Db | Tx, id: string): CampaignRow {
  const c = prepared(db, campaignById).get({ id });
  if (!c) throw notFound('评比活动');
  return c;
}

export function getRound(db: Db | Tx, id: string): RoundRow {
  const r = prepared(db, roundById).get({ id });
  if (!r) throw notFound('评比轮次');
  return r;
}

export function roundsOf(db: Db | Tx, campaignId: string): RoundRow[] {
  return prepared(db, roundsOfCampaign).all({ campaignId });
}

export function listCampaigns(db: Db, villageId?: string): CampaignRow[] {
  if (!villageId) return prepared(db, allCampaigns).all();
  return prepared(db, campaignsOfVillage)
    .all({ villageId })
    .map((r) => r.c);
}

export function createCampaign(db: Db, plan: CampaignPlan, actorId: string, now: number): CampaignRow {
  return db.transaction((tx) => {
    const id = newId('cp');
    tx.insert(campaigns)
      .values({
        id,
        title: plan.title,
        format: plan.format,
        status: 'draft',
        likeThreshold: plan.likeThreshold,
        rubric: plan.rubric,
        rules: plan.rules,
        starRule: plan.starRule,
        startsAt: plan.startsAt,
        endsAt: plan.endsAt,
        createdBy: actorId,
        createdAt: now,
      })
      .run();
    for (const villageId of plan.villageIds) tx.insert(campaignVillages).values({ campaignId: id, villageId }).run();
    for (const r of plan.rounds) {
      tx.insert(rounds).values({ id: newId('rd'), campaignId: id, seq: r.seq, period: r.period, startsAt: r.startsAt, endsAt: r.endsAt, status: 'entries_open', updatedAt: now }).run();
    }
    appendAudit(
      tx,
      { actorId, action: 'campaign.create', subjectType: 'campaign', subjectId: id, after: { ...plan, rounds: plan.rounds.length } },
      now,
    );
    return getCampaign(tx, id);
  });
}

const CAMPAIGN_LABELS = { draft: '草稿', open: '进行中', closed: '已结束' } as const;

export function transitionCampaign(db: Db, id: string, to: 'open' | 'closed', actorId: string, now: number): CampaignRow {
  return db.transaction((tx) => {
    const c = getCampaign(tx, id);
    const allowed = (c.status === 'draft' && to === 'open') || (c.status === 'open' && to === 'closed');
    if (!allowed) {
      throw conflict('invalid_transition', `活动当前为「${CAMPAIGN_LABELS[c.status]}」，不能改为「${CAMPAIGN_LABELS[to]}」。`, { from: c.status, to });
    }
    tx.update(campaigns).set({ status: to }).where(eq(campaigns.id, id)).run();
    appendAudit(tx, { actorId, action: `campaign.${to === 'open' ? 'open' : 'close'}`, subjectType: 'campaign', subjectId: id, before: { status: c.status }, after: { status: to } }, now);
    return getCampaign(tx, id);
  });
}

/** Store a planned round move (the domain already decided it is allowed) with its audit row. */
export function applyRoundTransition(db: Db, id: string, expectedFrom: RoundState, to: RoundState, actorId: string, reason: string | null, now: number): RoundRow {
  return db.transaction((tx) => {
    const r = getRound(tx, id);
    if (r.status !== expectedFrom) throw conflict('state_changed', '这一轮的状态刚被别人改过，请刷新后再试。', { status: r.status });
    tx.update(rounds).set({ status: to, updatedAt: now }).where(eq(rounds.id, id)).run();
    const entries = settleScoredEntries(tx, id, r.status, to, now);
    appendAudit(tx, { actorId, action: 'round.transition', subjectType: 'round', subjectId: id, before: { status: r.status }, after: { status: to, ...entries }, reason }, now);
    return getRound(tx, id);
  });
}

/**
 * Entries follow their round's scoring: closing it moves each qualified entry that has its
 * panel's quorum of sheets to `scored` (its household reads 已评分, no longer 等待实地核实);
 * reopening it moves them back to `qualified` for the panel to change their sheets. Entries
 * short of the quorum stay qualified (their results say why). Returns how many moved, for the
 * audit row.
 */
function settleScoredEntries(tx: Tx, roundId: string, from: RoundState, to: RoundState, now: number): { entriesScored?: number; entriesReopened?: number } {
  const client = clientOf(tx);
  // the edges of the entry lifecycle (domain/entries.ts) these moves follow
  const edge = (action: EntryAction) => ENTRY_EDGES.find((e) => e.action === action)!;
  if (to === 'scoring_closed') {
    const close = edge('closeScoring');
    const entriesScored = client
      .prepare(
        `update entries as e set status = ?, updated_at = ?
          where e.round_id = ? and e.status = ?
            and (select count(*) from score_sheets s where s.entry_id = e.id) >= ${ENTRY_QUORUM_SQL}`,
      )
      .run(close.to, now, roundId, close.from).changes;
    return { entriesScored };
  }
  if (from === 'scoring_closed' && to === 'inspecting') {
    const reopen = edge('reopenScoring');
    return { entriesReopened: client.prepare(`update entries set status = ?, updated_at = ? where round_id = ? and status = ?`).run(reopen.to, now, roundId, reopen.from).changes };
  }
  return {};
}
