import { suspiciousLikes } from '../domain/likes.ts';
import type { Db } from './client.ts';
import { activeLikeFacts } from './likes.ts';

/**
 * What waits for a village's cadre, by the console's tabs: registrations to confirm, suspicious
 * likes in the rounds taking likes now (to void before the panel visits), objections to settle
 * while their period runs, and rewards to pay.
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
  return {
    households: count(`select count(*) as n from households where village_id = ? and status = 'pending'`, villageId),
    likes: liking.reduce((n, r) => n + suspiciousLikes(activeLikeFacts(db, r.id, [villageId])).size, 0),
    objections: count(`select count(*) as n from objections o join households h on h.id = o.household_id where h.village_id = ? and o.status = 'open'`, villageId),
    rewards: count(`select count(*) as n from rewards where village_id = ? and status = 'pending'`, villageId),
  };
}
