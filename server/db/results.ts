import type { CampaignRules, Criterion } from '../domain/campaigns.ts';
import { frac } from '../domain/fraction.ts';
import { rankEntries, scoreEntry, type EntryScore, type Sheet } from '../domain/scoring.ts';
import type { Db } from './client.ts';

export interface ScoredEntry {
  entryId: string;
  villageId: string;
  householdId: string;
  headName: string;
  qualifiedAt: number;
  score: EntryScore;
  /** Rank within its village among ranked entries; null when unranked or disqualified. */
  rank: number | null;
}

/**
 * Every qualified entry of a round scored from its sheets and ranked within its village.
 * Two queries whatever the size of the round (entries, then all their sheets), then pure
 * aggregation in memory: a county's month is 24,000 entries and 120,000 sheets.
 */
export function scoreRound(db: Db, roundId: string): ScoredEntry[] {
  const sql = db.$client;
  const campaign = sql
    .prepare(`select c.rubric, c.rules from rounds r join campaigns c on c.id = r.campaign_id where r.id = ?`)
    .get(roundId) as { rubric: string; rules: string } | undefined;
  if (!campaign) return [];
  const rubric = JSON.parse(campaign.rubric) as Criterion[];
  const rules = JSON.parse(campaign.rules) as CampaignRules;
  const entries = sql
    .prepare(
      `select e.id, e.village_id as villageId, e.household_id as householdId, h.head_name as headName, coalesce(e.qualified_at, e.created_at) as qualifiedAt
         from entries e join households h on h.id = e.household_id
        where e.round_id = ? and e.status in ('qualified', 'scored', 'awarded', 'not_awarded', 'disqualified') and e.hidden_at is null`,
    )
    .all(roundId) as Array<{ id: string; villageId: string; householdId: string; headName: string; qualifiedAt: number }>;
  // The quorum is the panel's (panels cover villages); the campaign's where no sheet is in yet.
  const quorumOfPanel = new Map((sql.prepare(`select id, quorum from panels`).all() as Array<{ id: string; quorum: number }>).map((p) => [p.id, p.quorum]));
  const sheetsByEntry = new Map<string, Sheet[]>();
  const quorumOfEntry = new Map<string, number>();
  const rows = sql
    .prepare(`select s.entry_id, s.account_id, s.passed, s.points, s.comment, s.panel_id from score_sheets s join entries e on e.id = s.entry_id where e.round_id = ?`)
    .raw()
    .all(roundId) as Array<[string, string, number, string, string, string]>;
  for (const [entryId, memberId, passed, points, comment, panelId] of rows) {
    let list = sheetsByEntry.get(entryId);
    if (!list) sheetsByEntry.set(entryId, (list = []));
    list.push({ memberId, passed: passed === 1, points: JSON.parse(points) as Record<string, number>, comment });
    quorumOfEntry.set(entryId, quorumOfPanel.get(panelId) ?? rules.quorum);
  }
  const scored = entries.map((e) => ({ ...e, score: scoreEntry(sheetsByEntry.get(e.id) ?? [], rubric, quorumOfEntry.get(e.id) ?? rules.quorum) }));
  const hygieneKey = rubric[0]?.key;
  const ranks = new Map<string, number>();
  const byVillage = new Map<string, typeof scored>();
  for (const s of scored) {
    if (!s.score.ranked) continue;
    let group = byVillage.get(s.villageId);
    if (!group) byVillage.set(s.villageId, (group = []));
    group.push(s);
  }
  for (const group of byVillage.values()) {
    const ranked = rankEntries(
      group.map((g) => ({ id: g.id, total: g.score.total ?? frac(0), hygiene: g.score.criteria.find((c) => c.key === hygieneKey)?.mean ?? frac(0), qualifiedAt: g.qualifiedAt })),
    );
    for (const r of ranked) ranks.set(r.id, r.rank);
  }
  return scored.map((s) => ({ entryId: s.id, villageId: s.villageId, householdId: s.householdId, headName: s.headName, qualifiedAt: s.qualifiedAt, score: s.score, rank: ranks.get(s.id) ?? null }));
}
