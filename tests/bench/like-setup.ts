import { prepareData } from '../../server/boot.ts';
import { createEntry, addPhoto, submitEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';

/**
 * A data folder ready for the like benchmark: the demo county, a submitted entry for every
 * household of 洋尾村 in the current round, and `accounts` signed-in villagers from elsewhere
 * (sessions made directly, as sign-in is not what is measured). Returns their cookies.
 */
export function prepareLikeBench(dataDir: string, accounts: number, now: number): { entryIds: string[]; cookies: string[] } {
  // The demo county without its played-through history: no demo photos are drawn beside the measured server.
  const { db } = prepareData(dataDir, { demo: true, now, history: false });
  const sql = db.$client;
  const round = sql
    .prepare(`select r.id from rounds r join campaign_villages cv on cv.campaign_id = r.campaign_id where cv.village_id = '350582102207' and r.starts_at <= ? and r.ends_at >= ?`)
    .get(now, now) as { id: string };
  const households = sql.prepare(`select id, village_id as villageId from households where village_id = '350582102207' and status = 'confirmed'`).all() as Array<{ id: string; villageId: string }>;
  const cadre = (sql.prepare(`select id from accounts where phone = '13900000002'`).get() as { id: string }).id;
  // With the demo's history, some households have entered this month already.
  const entered = sql.prepare(`select id from entries where round_id = ? and household_id = ?`);
  const entryIds = households.map((h, i) => {
    const mine = entered.get(round.id, h.id) as { id: string } | undefined;
    if (mine) return mine.id;
    const e = createEntry(db, { roundId: round.id, householdId: h.id, villageId: h.villageId, description: '', actorId: cadre, byProxy: true }, now);
    const key = sha256(`bench-photo-${i}`);
    addPhoto(db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadre, now);
    submitEntry(db, e.id, 50, cadre, now);
    return e.id;
  });
  const cookies: string[] = [];
  const insertAccount = sql.prepare(`insert into accounts (id, phone, created_at, verified_at) values (?, ?, ?, ?)`);
  const insertSession = sql.prepare(`insert into sessions (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)`);
  sql.transaction(() => {
    for (let i = 0; i < accounts; i++) {
      const id = `ac_bench${i}`;
      const created = now - 30 * 86_400_000;
      insertAccount.run(id, `1880${String(i).padStart(7, '0')}`, created, created);
      const token = `bench-token-${i}`;
      insertSession.run(sha256(token), id, now, now + 86_400_000);
      cookies.push(`cy_session=${token}`);
    }
  })();
  sql.pragma('wal_checkpoint(TRUNCATE)');
  sql.close();
  return { entryIds, cookies };
}
