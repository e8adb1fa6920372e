import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';
import { currentRound, PHONES, VILLAGES } from '../support/entries.ts';
import { countMismatches, directEntry, sessionFor } from '../support/likes.ts';

// The demo's played-through history is written through the app's own paths, so it obeys the
// app's rules: an entry of a campaign with a like threshold qualified by reaching it.

describe('the demo history', () => {
  it('lists a household’s results newest first', async () => {
    const t = makeApp({ history: true });
    const res = await t.req('GET', '/api/me/results', { cookie: sessionFor(t, PHONES.yangwei(1)) });
    const { results } = (await res.json()) as { results: Array<{ period: string }> };
    expect(results.map((r) => r.period)).toEqual(['2026-09', '2026-08', '2026-07', '2026H1', '2026-06', '2026-05', '2026-04', '2026-03', '2026-02', '2026-01']);
  });

  it('fills the winners wall: September with photos, and the six months before it by name', async () => {
    const t = makeApp({ history: true });
    const res = await t.req('GET', `/api/villages/${VILLAGES.yangwei}/honors`);
    const { winners } = (await res.json()) as { winners: Array<{ period: string }> };
    expect([...new Set(winners.map((w) => w.period))]).toEqual(['2026-09', '2026-08', '2026-07', '2026-06', '2026-05', '2026-04', '2026-03']);
  });

  it('qualified every entry of the 50-like campaign by its neighbours’ likes, its count equal to its like rows', () => {
    const t = makeApp({ history: true });
    const rows = t.db.$client
      .prepare(
        `select e.id, e.like_count as likeCount, e.qualified_at as qualifiedAt, c.like_threshold as threshold,
                (select count(*) from likes l where l.entry_id = e.id and l.status = 'active') as active,
                (select count(*) from likes l join household_members m on m.account_id = l.account_id where l.entry_id = e.id and m.household_id = e.household_id) as own
           from entries e join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id where c.like_threshold > 0 and r.period < '2026-11'`,
      )
      .all() as Array<{ id: string; likeCount: number; qualifiedAt: number | null; threshold: number; active: number; own: number }>;
    expect(rows.length).toBe(32); // July–October, eight households
    for (const r of rows) {
      expect(r.likeCount).toBeGreaterThanOrEqual(r.threshold);
      expect(r.likeCount).toBe(r.active);
      expect(r.qualifiedAt).not.toBeNull();
      expect(r.own).toBe(0);
    }
    expect(countMismatches(t)).toEqual([]);
  });

  it('has the month under way: households that entered by now, two past the threshold, and one night-time burst for the cadre to review', async () => {
    const t = makeApp({ history: true });
    const entries = t.db.$client
      .prepare(
        `select h.door_number as door, e.status, e.like_count as likeCount, e.submitted_at as submittedAt, e.qualified_at as qualifiedAt,
                (select count(*) from likes l where l.entry_id = e.id and l.status = 'active') as active,
                (select max(l.created_at) from likes l where l.entry_id = e.id) as lastLike,
                (select count(*) from likes l join household_members m on m.account_id = l.account_id where l.entry_id = e.id and m.household_id = e.household_id) as own
           from entries e join households h on h.id = e.household_id join rounds r on r.id = e.round_id where r.period = '2026-11' order by e.submitted_at`,
      )
      .all() as Array<{ door: string; status: string; likeCount: number; submittedAt: number; qualifiedAt: number | null; active: number; lastLike: number | null; own: number }>;
    expect(entries.map((e) => `${e.door} ${e.status} ${e.likeCount}`)).toEqual([
      '洋尾村8号 qualified 56',
      '洋尾村2号 qualified 52',
      '洋尾村5号 submitted 46',
      '洋尾村4号 submitted 33',
      '洋尾村12号 submitted 27',
      '洋尾村7号 submitted 19',
      '洋尾村21号 submitted 8',
      '洋尾村15号 submitted 3',
    ]);
    for (const e of entries) {
      expect(e.likeCount).toBe(e.active);
      expect(e.own).toBe(0);
      // nothing after the demo's start
      expect(e.submittedAt).toBeLessThan(t.clock.now());
      expect(e.lastLike ?? 0).toBeLessThan(t.clock.now());
    }
    expect(countMismatches(t)).toEqual([]);
    // the households the browser tests enter have not entered yet
    expect(entries.map((e) => e.door)).not.toContain('洋尾村1号');
    expect(entries.map((e) => e.door)).not.toContain('洋尾村3号');

    // The cadre's 可疑点赞 lists the burst, and only it: the accounts are not new, the rest came by day.
    const cadre = await t.signIn('13900000002');
    const round = await currentRound(t, VILLAGES.yangwei);
    const res = await t.req('GET', `/api/rounds/${round}/suspicious-likes`, { cookie: cadre });
    expect(res.status).toBe(200);
    const { likes } = (await res.json()) as { likes: Array<{ householdLabel: string; ipPrefix: string; reasons: string[] }> };
    expect(likes).toHaveLength(12);
    expect(new Set(likes.map((l) => l.ipPrefix))).toEqual(new Set(['223.104.66.0/24']));
    expect(new Set(likes.flatMap((l) => l.reasons))).toEqual(new Set(['同一个网络（223.104.66.0/24）10 分钟内给这个作品点赞 5 次以上', '深夜（0–5 点）集中点赞']));
  });

  it('has paid each earlier result’s winners together at a village meeting; the latest month’s are still to pay', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const res = await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre });
    expect(res.status).toBe(200);
    const { rewards } = (await res.json()) as { rewards: Array<{ status: string; batch: { title: string }; paidOn: string | null; payer: string | null }> };
    const byBatch = new Map<string, Set<string>>();
    for (const r of rewards) byBatch.set(r.batch.title, (byBatch.get(r.batch.title) ?? new Set()).add(`${r.status} ${r.paidOn} ${r.payer}`));
    // one payday for each batch: everyone of a result was paid on the same day by the same person
    expect([...byBatch.values()].every((states) => states.size === 1)).toBe(true);
    expect(byBatch.get('2026年9月 美丽庭院')).toEqual(new Set(['pending null null']));
    expect(byBatch.get('2026年上半年 美丽庭院')).toEqual(new Set(['paid 2026-07-30 林秀琴']));
    expect([...byBatch.entries()].filter(([, states]) => [...states][0]!.startsWith('pending')).map(([title]) => title)).toEqual(['2026年9月 美丽庭院']);
  });

  it('entries say whether their round takes likes now: a past month does not, the current one does', async () => {
    const t = makeApp({ history: true });
    const past = t.db.$client
      .prepare(`select e.id from entries e join rounds r on r.id = e.round_id where r.period = '2026-09' limit 1`)
      .get() as { id: string };
    const pastView = (await (await t.req('GET', `/api/entries/${past.id}`)).json()) as { entry: { likesOpen: boolean; likeCount: number } };
    expect(pastView.entry.likesOpen).toBe(false);
    expect(pastView.entry.likeCount).toBeGreaterThanOrEqual(50);

    const now = directEntry(t, 9, await currentRound(t, VILLAGES.yangwei));
    const nowView = (await (await t.req('GET', `/api/entries/${now}`)).json()) as { entry: { likesOpen: boolean } };
    expect(nowView.entry.likesOpen).toBe(true);
  });
});
