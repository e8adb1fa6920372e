import type { z } from 'zod';
import type { VillageTodo as VillageTodoContract } from '../contracts/places.ts';
import { halfYearOf, halfYearReady } from '../domain/awards.ts';
import { rulesWithDefaults, type CampaignRules } from '../domain/campaigns.ts';
import type { VillageRef } from '../domain/permissions.ts';
import { finalizeRefusal } from '../domain/results.ts';
import { visitDueAt } from '../domain/scoring.ts';
import type { Db } from './client.ts';
import { FLAGGED_PHOTO_SQL } from './entries.ts';
import { suspiciousLikesIn } from './likes.ts';
import { ENTRY_QUORUM_SQL } from './scoring.ts';

type VillageTodo = z.infer<typeof VillageTodoContract>;

/**
 * What waits for each of these villages' cadres, by the console's tabs: registrations to
 * confirm, flagged photos of the rounds under way that no cadre has hidden or found fine,
 * suspicious likes in the rounds taking likes now (to void before the panel visits),
 * qualified entries the panel has not scored by their due day (to chase), objections to settle,
 * results to move on (see resultsWaiting), and rewards to pay. A few queries for any number of
 * villages (a town's dashboard asks for all of them); each round taking likes is judged once, as
 * a whole, as its list of suspicious likes is.
 *
 * Each thing counts only for whoever may act on it, by the rule its action goes by. The asker
 * manages these villages (the route checks it), which is all that confirming a registration
 * (can.decideHousehold), hiding a photo or voiding a like (can.moderateEntries), calling the
 * panel that visits the village (can.readPanelsOf) and paying a reward (can.manageRewards) ask
 * of them. Settling an objection and moving a result on are the campaign's runner's
 * (can.runResults, asked through `mayRunResults` with the campaign's villages): in a campaign
 * of several villages the town admin's, not each village's cadre's, who only reads them.
 */
export function villagesTodo(db: Db, villageIds: string[], now: number, mayRunResults: (villages: VillageRef[]) => boolean): Map<string, VillageTodo> {
  const sql = db.$client;
  const todo = new Map(villageIds.map((id) => [id, { households: 0, photos: 0, likes: 0, scoring: 0, objections: 0, results: 0, rewards: 0, roundOf: { photos: null as string | null, scoring: null as string | null } }]));
  if (!villageIds.length) return todo;
  const inVillages = villageIds.map(() => '?').join(',');
  const countBy = (key: 'households' | 'rewards', query: string) => {
    for (const r of sql.prepare(query).all(...villageIds) as Array<{ villageId: string; n: number }>) todo.get(r.villageId)![key] = r.n;
  };
  countBy('households', `select village_id as villageId, count(*) as n from households where village_id in (${inVillages}) and status = 'pending' group by village_id`);
  // flagged photos by round: the count, and the round that holds most of them for the tab to open on
  for (const r of sql
    .prepare(
      `select e.village_id as villageId, e.round_id as roundId, count(distinct p.id) as n
       from photos p join entries e on e.id = p.entry_id join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id
      where e.village_id in (${inVillages}) and c.status = 'open' and r.status in ('entries_open', 'inspecting')
        and e.status != 'withdrawn' and e.hidden_at is null
        and p.removed_at is null and p.hidden_at is null and p.flags_cleared_at is null
        and ${FLAGGED_PHOTO_SQL}
      group by e.village_id, e.round_id
      order by n desc`,
    )
    .all(...villageIds) as Array<{ villageId: string; roundId: string; n: number }>) {
    const t = todo.get(r.villageId)!;
    t.photos += r.n;
    t.roundOf.photos ??= r.roundId;
  }
  countBy('rewards', `select village_id as villageId, count(*) as n from rewards where village_id in (${inVillages}) and status = 'pending' group by village_id`);

  const liking = sql
    .prepare(
      `select distinct r.id from rounds r join campaigns c on c.id = r.campaign_id join campaign_villages cv on cv.campaign_id = c.id
        where cv.village_id in (${inVillages}) and c.status = 'open' and r.status = 'entries_open' and r.starts_at <= ? and ? <= r.ends_at`,
    )
    .all(...villageIds, now, now) as Array<{ id: string }>;
  const asked = new Set(villageIds);
  for (const round of liking) for (const l of suspiciousLikesIn(db, round.id, asked)) todo.get(l.villageId)!.likes++;

  // Entries waiting for the panel past their due day: qualified, short of their quorum of sheets.
  const waiting = sql
    .prepare(
      `select e.village_id as villageId, e.round_id as roundId, e.qualified_at as qualifiedAt, e.created_at as createdAt, c.rules,
              (select count(*) from score_sheets s where s.entry_id = e.id) as sheets, ${ENTRY_QUORUM_SQL} as quorum
         from entries e join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id
        where e.village_id in (${inVillages}) and e.status = 'qualified' and e.hidden_at is null and c.status = 'open' and r.status in ('entries_open', 'inspecting')
        order by r.starts_at`,
    )
    .all(...villageIds) as Array<{ villageId: string; roundId: string; qualifiedAt: number | null; createdAt: number; rules: string; sheets: number; quorum: number | null }>;
  for (const e of waiting) {
    const rules = rulesWithDefaults(JSON.parse(e.rules) as Partial<CampaignRules>);
    if (now > visitDueAt(e, rules.dueDays) && e.sheets < (e.quorum ?? rules.quorum)) {
      const t = todo.get(e.villageId)!;
      t.scoring++;
      // the earliest round behind: the one whose visits are most overdue
      t.roundOf.scoring ??= e.roundId;
    }
  }
  const runs = campaignsRun(db, villageIds, mayRunResults);
  for (const r of sql
    .prepare(
      `select h.village_id as villageId, rs.campaign_id as campaignId, count(*) as n
         from objections o join households h on h.id = o.household_id join results rs on rs.id = o.result_id
        where h.village_id in (${inVillages}) and o.status = 'open'
        group by h.village_id, rs.campaign_id`,
    )
    .all(...villageIds) as Array<{ villageId: string; campaignId: string; n: number }>) {
    if (runs.has(r.campaignId)) todo.get(r.villageId)!.objections += r.n;
  }
  for (const [villageId, n] of resultsWaiting(db, villageIds, now, runs)) todo.get(villageId)!.results = n;
  return todo;
}

/**
 * The campaigns of these villages that the asker runs (`mayRunResults`, given each campaign's
 * villages): a campaign of several villages is the town admin's to settle and announce, not each
 * village cadre's.
 */
function campaignsRun(db: Db, villageIds: string[], mayRunResults: (villages: VillageRef[]) => boolean): Set<string> {
  const inVillages = villageIds.map(() => '?').join(',');
  const villagesOf = new Map<string, VillageRef[]>();
  for (const v of db.$client
    .prepare(
      `select cv.campaign_id as campaignId, v.id, v.town_id as townId from campaign_villages cv join villages v on v.id = cv.village_id
        where cv.campaign_id in (select campaign_id from campaign_villages where village_id in (${inVillages}))`,
    )
    .all(...villageIds) as Array<VillageRef & { campaignId: string }>) {
    const list = villagesOf.get(v.campaignId) ?? [];
    villagesOf.set(v.campaignId, list);
    list.push({ id: v.id, townId: v.townId });
  }
  return new Set([...villagesOf].filter(([, villages]) => mayRunResults(villages)).map(([id]) => id));
}

/**
 * Results to move on now, counted for each village of their campaign: a round scored and closed
 * but not announced, a half-year whose months are all final but whose stars are not announced,
 * and an announced result whose objection period is over (to lock). Only those of the campaigns
 * the asker runs (`mayRun`, see campaignsRun).
 */
function resultsWaiting(db: Db, villageIds: string[], now: number, mayRun: ReadonlySet<string>): Map<string, number> {
  const sql = db.$client;
  const waiting = new Map<string, number>();
  const inVillages = villageIds.map(() => '?').join(',');
  const rounds = (
    sql
      .prepare(
        `select cv.village_id as villageId, r.campaign_id as campaignId, r.period, r.status, c.format, json_extract(c.star_rule, '$.kind') as stars
           from rounds r join campaigns c on c.id = r.campaign_id join campaign_villages cv on cv.campaign_id = c.id
          where cv.village_id in (${inVillages})`,
      )
      .all(...villageIds) as Array<{ villageId: string; campaignId: string; period: string; status: string; format: string; stars: string | null }>
  ).filter((r) => mayRun.has(r.campaignId));
  const campaignIds = [...new Set(rounds.map((r) => r.campaignId))];
  if (!campaignIds.length) return waiting;
  const inCampaigns = campaignIds.map(() => '?').join(',');
  const count = (villageId: string) => waiting.set(villageId, (waiting.get(villageId) ?? 0) + 1);
  for (const r of rounds) if (r.status === 'scoring_closed') count(r.villageId);

  // A half-year of monthly rounds, every one final, whose stars are not yet announced.
  const starsOut = new Set(
    (
      sql.prepare(`select campaign_id as c, period from results where campaign_id in (${inCampaigns}) and kind = 'half_year' and status in ('announced', 'final')`).all(...campaignIds) as Array<{ c: string; period: string }>
    ).map((r) => `${r.c}|${r.period}`),
  );
  const halfYears = new Map<string, { villageId: string; campaignId: string; held: Array<{ period: string; status: string }> }>();
  for (const r of rounds) {
    if (r.format !== 'monthly' || r.stars !== 'half_year') continue;
    const key = `${r.campaignId}|${halfYearOf(r.period)}`;
    if (starsOut.has(key)) continue;
    const h = halfYears.get(`${key}|${r.villageId}`) ?? { villageId: r.villageId, campaignId: r.campaignId, held: [] };
    h.held.push(r);
    halfYears.set(`${key}|${r.villageId}`, h);
  }
  for (const h of halfYears.values()) if (halfYearReady(h.held)) count(h.villageId);

  const announced = sql
    .prepare(
      `select cv.village_id as villageId, rs.campaign_id as campaignId, rs.objection_deadline as objectionDeadline,
              (select count(*) from objections o where o.result_id = rs.id and o.status = 'open') as open
         from results rs join campaign_villages cv on cv.campaign_id = rs.campaign_id
        where cv.village_id in (${inVillages}) and rs.status = 'announced'`,
    )
    .all(...villageIds) as Array<{ villageId: string; campaignId: string; objectionDeadline: number | null; open: number }>;
  for (const r of announced) {
    if (mayRun.has(r.campaignId) && !finalizeRefusal({ status: 'announced', objectionDeadline: r.objectionDeadline }, r.open, now)) count(r.villageId);
  }
  return waiting;
}

/** What waits for one village's cadre (see villagesTodo). */
export function villageTodo(db: Db, villageId: string, now: number, mayRunResults: (villages: VillageRef[]) => boolean): VillageTodo {
  return villagesTodo(db, [villageId], now, mayRunResults).get(villageId)!;
}
