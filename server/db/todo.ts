import { rulesWithDefaults, type CampaignRules } from '../domain/campaigns.ts';
import { suspiciousLikes } from '../domain/likes.ts';
import { visitDueAt } from '../domain/scoring.ts';
import type { Db } from './client.ts';
import { activeLikeFacts } from './likes.ts';
import { ENTRY_QUORUM_SQL } from './scoring.ts';

/**
 * What waits for a village's cadre, by the console's tabs: registrations to confirm, suspicious
 * likes in the rounds taking likes now (to void before the panel visits), qualified entries the
 * panel has not scored by their due day (to chase), objections to settle while their period
 * runs, and rewards to pay.
 */
export function villageTodo(db: Db, villageId: string, now: number) {
  const sql = db.$client;
  const count = (query: string, ...args: unknown[]) => (sql.prepare(query).get(...args) as { n: number }).n;
  const liking = sql
    .prepare(
      `select r.id from rounds r join campaigns c on c.id = r.campaign_id join campaign_villages cv on cv.campaign_id = c.id
        where cv.village_id = ? and c.status = 'open' and r.status = 'entries_open' and r.starts_at <= ? and ? <= r.ends_at`,
    )
    .all(villageId, now, now) as Array<{ id: string }>;
  // Entries waiting for the panel past their due day: qualified, short of their quorum of sheets.
  const waiting = sql
    .prepare(
      `select e.qualified_at as qualifiedAt, e.created_at as createdAt, c.rules,
              (select count(*) from score_sheets s where s.entry_id = e.id) as sheets, ${ENTRY_QUORUM_SQL} as quorum
         from entries e join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id
        where e.village_id = ? and e.status = 'qualified' and e.hidden_at is null and c.status = 'open' and r.status in ('entries_open', 'inspecting')`,
    )
    .all(villageId) as Array<{ qualifiedAt: number | null; createdAt: number; rules: string; sheets: number; quorum: number | null }>;
  const overdue = waiting.filter((e) => {
    const rules = rulesWithDefaults(JSON.parse(e.rules) as Partial<CampaignRules>);
    return now > visitDueAt(e, rules.dueDays) && e.sheets < (e.quorum ?? rules.quorum);
  }).length;
  return {
    households: count(`select count(*) as n from households where village_id = ? and status = 'pending'`, villageId),
    likes: liking.reduce((n, r) => n + suspiciousLikes(activeLikeFacts(db, r.id, [villageId])).size, 0),
    scoring: overdue,
    objections: count(`select count(*) as n from objections o join households h on h.id = o.household_id where h.village_id = ? and o.status = 'open'`, villageId),
    rewards: count(`select count(*) as n from rewards where village_id = ? and status = 'pending'`, villageId),
  };
}
