import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { prepareLikeBench } from '../bench/like-setup.ts';
import { freePort, killHard, startServer } from '../support/server.ts';

// DESIGN §3/§7: an acknowledged like is durable. The real server (its own process, group
// commit, synchronous=FULL) takes likes from many accounts at once and is killed with
// SIGKILL at a random moment, again and again; after each kill every like it answered
// `liked: true` must be in the database, every entry's stored count must equal its active
// rows, and the database must be intact.

const KILLS = 10;
const IN_FLIGHT = 30;
const ACCOUNTS = 5000;
const YANGWEI = '350582102207';
const DAY = 86_400_000;

let server: ChildProcess | null = null;
afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
});


/**
 * The data folder: the demo county, a submitted entry for each household of 洋尾村 in the
 * round that takes likes now (the real clock's now), and ACCOUNTS signed-in villagers.
 */
function prepare(dataDir: string) {
  const now = Date.now();
  // The demo's monthly rounds run 2026-07…12; on another date, let its last round take likes now.
  const { db } = prepareData(dataDir, { demo: true, now });
  const sql = db.$client;
  const rounds = `select r.id from rounds r join campaign_villages cv on cv.campaign_id = r.campaign_id where cv.village_id = '${YANGWEI}'`;
  if (!sql.prepare(`${rounds} and r.starts_at <= ? and r.ends_at >= ?`).get(now, now)) {
    sql.prepare(`update rounds set starts_at = ?, ends_at = ? where id = (${rounds} order by r.seq desc limit 1)`).run(now - DAY, now + DAY);
  }
  sql.close();
  return prepareLikeBench(dataDir, ACCOUNTS, now);
}

/** Pair n: account n mod ACCOUNTS, each account on distinct entries, at most 30 a day (the daily cap). */
function pair(n: number, entryIds: string[]) {
  const account = n % ACCOUNTS;
  const entry = (Math.floor(n / ACCOUNTS) + account) % entryIds.length;
  return { account, entryId: entryIds[entry]! };
}

interface Ack {
  accountId: string;
  entryId: string;
}

/** Like new pairs with IN_FLIGHT requests at a time until the server stops answering. */
async function likeUntilDown(port: number, cookies: string[], entryIds: string[], next: { n: number }, acked: Ack[], odd: string[]) {
  let down = false;
  const worker = async () => {
    while (!down) {
      const n = next.n++;
      if (n >= ACCOUNTS * 30) throw new Error('ran out of new (account, entry) pairs');
      const { account, entryId } = pair(n, entryIds);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/entries/${entryId}/like`, {
          method: 'PUT',
          headers: { cookie: cookies[account]!, origin: `http://127.0.0.1:${port}` },
        });
        const text = await res.text();
        if (res.status === 200 && (JSON.parse(text) as { liked: boolean }).liked === true) acked.push({ accountId: `ac_bench${account}`, entryId });
        else if (odd.length < 5) odd.push(`${res.status} ${text.slice(0, 200)}`);
      } catch {
        down = true; // killed: the request's fate is unknown, and that is allowed
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** What a crash must not break: every acknowledged like active, every count right, the file intact. */
function check(dbFile: string, acked: Ack[]) {
  const db = new Database(dbFile);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const active = new Set((db.prepare(`select account_id as a, entry_id as e from likes where status = 'active'`).all() as Array<{ a: string; e: string }>).map((r) => `${r.a}|${r.e}`));
    const lost = acked.filter((a) => !active.has(`${a.accountId}|${a.entryId}`));
    const mismatches = db
      .prepare(`select e.id, e.like_count as stored, (select count(*) from likes l where l.entry_id = e.id and l.status = 'active') as active from entries e where e.like_count != (select count(*) from likes l where l.entry_id = e.id and l.status = 'active')`)
      .all();
    const duplicates = db.prepare(`select entry_id, account_id, count(*) as n from likes where status = 'active' group by entry_id, account_id having n > 1`).all();
    return { integrity, lost, mismatches, duplicates, activeRows: active.size };
  } finally {
    db.close();
  }
}

describe('likes survive the server being killed', () => {
  it(`${KILLS} SIGKILLs at random moments under load lose no acknowledged like`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-crash-'));
    const { entryIds, cookies } = prepare(dataDir);
    const dbFile = join(dataDir, 'courtyard.db');
    const port = await freePort();
    const acked: Ack[] = [];
    const odd: string[] = [];
    const next = { n: 0 };
    let kills = 0;
    let stored = 0;

    for (let round = 0; round < KILLS; round++) {
      const ackedBefore = acked.length;
      server = await startServer(dataDir, port);
      const victim = server;
      const delay = 500 + Math.random() * 1000;
      const load = likeUntilDown(port, cookies, entryIds, next, acked, odd);
      await new Promise((r) => setTimeout(r, delay));
      await killHard(victim);
      kills++;
      await load;
      expect(acked.length, `no like was acknowledged in run ${round + 1} (${delay.toFixed(0)} ms)`).toBeGreaterThan(ackedBefore);

      const after = check(dbFile, acked);
      expect(after.integrity, `after kill ${kills}`).toBe('ok');
      expect(after.lost, `after kill ${kills}: acknowledged likes missing`).toEqual([]);
      expect(after.mismatches, `after kill ${kills}: stored counts`).toEqual([]);
      expect(after.duplicates, `after kill ${kills}: two active likes for one pair`).toEqual([]);
      stored = after.activeRows;
    }

    // Restarted once more: the server comes back on the data folder and an acknowledged like is still liked.
    server = await startServer(dataDir, port);
    const sample = acked[Math.floor(Math.random() * acked.length)]!;
    const account = Number(sample.accountId.replace('ac_bench', ''));
    const again = await fetch(`http://127.0.0.1:${port}/api/entries/${sample.entryId}/like`, { method: 'PUT', headers: { cookie: cookies[account]!, origin: `http://127.0.0.1:${port}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { liked: boolean }).liked).toBe(true);
    await killHard(server);
    expect(check(dbFile, acked).activeRows).toBe(stored);

    expect(odd, 'answers other than 200 liked:true').toEqual([]);
    expect(acked.length).toBeGreaterThan(KILLS * 50);
    console.log(`likes crash test: ${kills} kills, ${acked.length} acknowledged likes, ${stored - acked.length} stored but unanswered, lost = 0`);
  }, 120_000);
});
