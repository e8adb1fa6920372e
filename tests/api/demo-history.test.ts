import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';
import { currentRound, VILLAGES } from '../support/entries.ts';
import { countMismatches, directEntry } from '../support/likes.ts';

// The demo's played-through history is written through the app's own paths, so it obeys the
// app's rules: an entry of a campaign with a like threshold qualified by reaching it.

describe('the demo history', () => {
  it('qualified every entry of the 50-like campaign by its neighbours’ likes, its count equal to its like rows', () => {
    const t = makeApp({ history: true });
    const rows = t.db.$client
      .prepare(
        `select e.id, e.like_count as likeCount, e.qualified_at as qualifiedAt, c.like_threshold as threshold,
                (select count(*) from likes l where l.entry_id = e.id and l.status = 'active') as active,
                (select count(*) from likes l join household_members m on m.account_id = l.account_id where l.entry_id = e.id and m.household_id = e.household_id) as own
           from entries e join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id where c.like_threshold > 0`,
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
