import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../server/lib/paths.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { currentRound, VILLAGES } from '../support/entries.ts';
import { directEntry, householdEntry, sessionFor, yangweiHousehold } from '../support/likes.ts';

// 编号: an entry's number in its round and village, given at its first submission and kept, so
// that three 陈家庭院 can be told apart on the gallery, the entry page, the results and the notice.

const numberOf = (t: TestApp, entryId: string) => (t.db.$client.prepare(`select number from entries where id = ?`).get(entryId) as { number: number | null }).number;

describe('entry numbers', () => {
  it('are 1, 2, 3… in the order of first submission, per round and village; a draft has none; withdrawing and entering again keeps the number', async () => {
    const t = makeApp();
    const round = await currentRound(t, VILLAGES.yangwei);
    const taken = (t.db.$client.prepare(`select max(number) as n from entries where round_id = ? and village_id = ?`).get(round, VILLAGES.yangwei) as { n: number | null }).n ?? 0;
    const a = directEntry(t, 1, round);
    const draft = directEntry(t, 3, round, 'draft');
    const b = directEntry(t, 2, round, 'withdrawn');
    expect([numberOf(t, a), numberOf(t, b), numberOf(t, draft)]).toEqual([taken + 1, taken + 2, null]);

    // 洋尾村2号 enters again after withdrawing: the same number, and the next family gets the next one
    const cadre = sessionFor(t, '13900000002');
    const again = await t.req('POST', `/api/rounds/${round}/entries`, { cookie: cadre, body: { householdId: yangweiHousehold(t, 2) } });
    expect(again.status, await again.clone().text()).toBeLessThan(300);
    expect(((await again.json()) as { entry: { id: string; status: string } }).entry).toMatchObject({ id: b, status: 'draft' });
    const res = await t.req('POST', `/api/entries/${b}/submit`, { cookie: cadre });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(numberOf(t, b)).toBe(taken + 2);

    // the public sees it on the entry and in the gallery
    const entry = (await (await t.req('GET', `/api/entries/${a}`)).json()) as { entry: { number: number } };
    expect(entry.entry.number).toBe(taken + 1);
    const gallery = (await (await t.req('GET', `/api/rounds/${round}/entries?limit=100`)).json()) as { entries: Array<{ id: string; number: number }> };
    expect(gallery.entries.find((e) => e.id === a)?.number).toBe(taken + 1);
    expect(new Set(gallery.entries.map((e) => e.number)).size).toBe(gallery.entries.length);
  });

  it('another village of the same round counts from 1 on its own', async () => {
    const t = makeApp();
    const admin = sessionFor(t, '13900000001');
    const created = await t.req('POST', '/api/campaigns', {
      cookie: admin,
      body: { title: '2026年磁灶镇冬季最美庭院', format: 'monthly', villageIds: [VILLAGES.yangwei, VILLAGES.lingpan], likeThreshold: 50, months: { from: '2026-11', to: '2026-12' } },
    });
    const { campaign } = (await created.json()) as { campaign: { id: string } };
    await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: admin, body: { to: 'open' } });
    const { rounds } = (await (await t.req('GET', `/api/campaigns/${campaign.id}`)).json()) as { rounds: Array<{ id: string; period: string }> };
    const round = rounds.find((r) => r.period === '2026-11')!.id;
    const lingpan = t.db.$client.prepare(`select id, village_id as villageId from households where village_id = ? and status = 'confirmed' order by door_number limit 2`).all(VILLAGES.lingpan) as Array<{ id: string; villageId: string }>;
    const y1 = directEntry(t, 1, round);
    const l1 = householdEntry(t, lingpan[0]!, round, '13900000003');
    const y2 = directEntry(t, 2, round);
    const l2 = householdEntry(t, lingpan[1]!, round, '13900000003');
    expect([y1, y2, l1, l2].map((e) => numberOf(t, e))).toEqual([1, 2, 1, 2]);
  });

  it('the migration numbers entries submitted before numbers existed in the order the app gives them', () => {
    const t = makeApp({ history: true });
    const sql = t.db.$client;
    const given = sql.prepare(`select id, number from entries where submitted_at is not null order by id`).all();
    expect(given.length).toBeGreaterThan(40);
    const migration = readFileSync(join(ROOT, 'drizzle/0007_entry_numbers.sql'), 'utf8').split('--> statement-breakpoint');
    const backfill = migration.find((s) => s.includes('UPDATE'))!;
    sql.exec(`drop index entries_round_village_number; update entries set number = null;`);
    sql.exec(backfill);
    expect(sql.prepare(`select id, number from entries where submitted_at is not null order by id`).all()).toEqual(given);
    expect(sql.prepare(`select count(*) as n from entries where submitted_at is null and number is not null`).get()).toEqual({ n: 0 });
  });
});
