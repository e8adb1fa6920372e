import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../support/api.ts';
import { expectError, PHONES, VILLAGES } from '../support/entries.ts';
import { sessionFor } from '../support/likes.ts';

// What waits for a village's cadre (the console's tabs show these counts): each count goes up
// when something arrives and down when the cadre has dealt with it, through the API itself.

type Todo = { households: number; photos: number; likes: number; scoring: number; objections: number; results: number; rewards: number; roundOf: { photos: string | null; scoring: string | null } };

async function todoOf(t: TestApp, cookie: string, village: string = VILLAGES.yangwei): Promise<Todo> {
  const res = await t.req('GET', `/api/villages/${village}/todo`, { cookie });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Todo;
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

describe('GET /api/villages/:id/todo', () => {
  it('counts what waits for 洋尾村’s cadre, and each count falls once it is dealt with', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const november = (t.db.$client.prepare(`select r.id from rounds r join campaigns c on c.id = r.campaign_id where c.title = '2026年下半年洋尾村美丽庭院月评' and r.period = '2026-11'`).get() as { id: string }).id;
    // The demo: a photo taken a year before this month, the night-time burst of 12 likes,
    // October scored and closed but not announced, September's six rewards unpaid.
    const demo = { households: 0, photos: 1, likes: 12, scoring: 0, objections: 0, results: 1, rewards: 6, roundOf: { photos: november, scoring: null } };
    expect(await todoOf(t, cadre)).toEqual(demo);
    // The town admin sees the same.
    expect(await todoOf(t, sessionFor(t, '13900000001'))).toEqual(demo);

    // a newcomer registers; the cadre confirms
    const newcomer = sessionFor(t, '13912345678');
    const { household } = await ok<{ household: { id: string } }>(await t.req('POST', '/api/households', { cookie: newcomer, body: { villageId: VILLAGES.yangwei, headName: '郑美华', doorNumber: '洋尾村101号' } }), 201);
    expect((await todoOf(t, cadre)).households).toBe(1);
    await ok(await t.req('POST', `/api/households/${household.id}/confirm`, { cookie: cadre }));
    expect((await todoOf(t, cadre)).households).toBe(0);

    // the burst is voided
    const round = (await ok<{ campaigns: Array<{ status: string; currentRound: { id: string } | null }> }>(await t.req('GET', `/api/villages/${VILLAGES.yangwei}`))).campaigns.find((c) => c.status === 'open')!.currentRound!.id;
    const { likes } = await ok<{ likes: Array<{ likeId: string }> }>(await t.req('GET', `/api/rounds/${round}/suspicious-likes`, { cookie: cadre }));
    await ok(await t.req('POST', '/api/likes/void', { cookie: cadre, body: { likeIds: likes.map((l) => l.likeId), reason: '凌晨同一网段集中点赞，经核实为代点。' } }));
    expect((await todoOf(t, cadre)).likes).toBe(0);

    // the year-old photo: the cadre looks and finds it fine
    const { outsideRound } = await ok<{ outsideRound: Array<{ entryId: string; photoId: string }> }>(await t.req('GET', `/api/rounds/${round}/photo-flags`, { cookie: cadre }));
    expect(outsideRound).toHaveLength(1);
    await ok(await t.req('POST', `/api/entries/${outsideRound[0]!.entryId}/photos/${outsideRound[0]!.photoId}/flags-cleared`, { cookie: cadre, body: { reason: '去年同一个角度拍的，院子没变，核实无误。' } }));
    expect((await todoOf(t, cadre)).photos).toBe(0);

    // October is announced; a villager objects; the cadre settles it
    const october = t.db.$client.prepare(`select r.id from rounds r join campaigns c on c.id = r.campaign_id where c.title = '2026年下半年洋尾村美丽庭院月评' and r.period = '2026-10'`).get() as { id: string };
    await ok(await t.req('POST', `/api/rounds/${october.id}/announce`, { cookie: cadre }));
    expect((await todoOf(t, cadre)).results).toBe(0);
    const door1 = (t.db.$client.prepare(`select id from households where village_id = ? and door_number = '洋尾村1号'`).get(VILLAGES.yangwei) as { id: string }).id;
    const { objection } = await ok<{ objection: { id: string } }>(await t.req('POST', `/api/rounds/${october.id}/objections`, { cookie: sessionFor(t, PHONES.yangwei(30)), body: { householdId: door1, text: '我觉得打分偏高了一些。' } }), 201);
    expect((await todoOf(t, cadre)).objections).toBe(1);
    await ok(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: false, reason: '复核评分表，打分有据。' } }));
    expect((await todoOf(t, cadre)).objections).toBe(0);
    // once the objection period is over, October waits to be locked (定稿), and no longer once it is
    const deadline = (t.db.$client.prepare(`select objection_deadline as d from results where round_id = ?`).get(october.id) as { d: number }).d;
    t.clock.set(deadline);
    expect((await todoOf(t, cadre)).results).toBe(0);
    t.clock.set(deadline + 1);
    expect((await todoOf(t, cadre)).results).toBe(1);
    const fresh = sessionFor(t, PHONES.yangweiCadre);
    await ok(await t.req('POST', `/api/rounds/${october.id}/finalize`, { cookie: fresh }));
    expect((await todoOf(t, fresh)).results).toBe(0);

    // September's winners are paid
    const { rewards } = await ok<{ rewards: Array<{ id: string; status: string }> }>(await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre }));
    await ok(await t.req('POST', '/api/rewards/paid', { cookie: fresh, body: { rewardIds: rewards.filter((r) => r.status === 'pending').map((r) => r.id), paidOn: '2026-11-27', payer: '林秀琴' } }));
    // (by now, a week on, this month's two qualified entries are past their day for the panel)
    expect(await todoOf(t, fresh)).toEqual({ households: 0, photos: 0, likes: 0, scoring: 2, objections: 0, results: 0, rewards: 0, roundOf: { photos: null, scoring: november } });
  });

  it('counts qualified entries the panel has not scored by their due day; their quorum of sheets clears them', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const qualified = t.db.$client
      .prepare(`select e.id, e.qualified_at as at from entries e join rounds r on r.id = e.round_id where e.village_id = ? and e.status = 'qualified' and r.period = '2026-11' order by e.qualified_at`)
      .all(VILLAGES.yangwei) as Array<{ id: string; at: number }>;
    expect(qualified).toHaveLength(2);
    // Seven days (the campaign's rule) after the later one qualified, both are overdue.
    // A minute before the later one is due, only the earlier one is overdue.
    expect(qualified[1]!.at - qualified[0]!.at).toBeGreaterThan(60_000);
    t.clock.set(qualified[1]!.at + 7 * 86_400_000 - 60_000);
    expect((await todoOf(t, cadre)).scoring).toBe(1);
    t.clock.set(qualified[1]!.at + 7 * 86_400_000 + 60_000);
    expect((await todoOf(t, cadre)).scoring).toBe(2);
    // Two sheets are not the panel's quorum of three; the third is.
    const sheet = (n: number) => ({ passed: true, points: { hygiene: 32, beautification: 24, openness: 11, culture: 10 }, comment: '', idempotencyKey: `todo-sheet-${n}` });
    for (const [i, member] of ['13900000011', '13900000012', '13900000014'].entries()) {
      expect((await todoOf(t, cadre)).scoring, `${i} sheets`).toBe(2);
      await ok(await t.req('PUT', `/api/entries/${qualified[0]!.id}/score-sheets/mine`, { cookie: sessionFor(t, member), body: sheet(i) }));
    }
    expect((await todoOf(t, cadre)).scoring).toBe(1);
  });

  it('counts half-year stars that wait to be announced once every month of the half-year is final', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const campaign = (t.db.$client.prepare(`select id from campaigns where title = '2026年上半年洋尾村美丽庭院月评'`).get() as { id: string }).id;
    // The first half-year's stars, computed but not yet announced: all six months are final.
    t.db.$client.prepare(`update results set status = 'draft', announced_at = null, announced_by = null, objection_deadline = null, finalized_at = null, finalized_by = null where campaign_id = ? and kind = 'half_year'`).run(campaign);
    expect((await todoOf(t, cadre)).results).toBe(2);
    await ok(await t.req('POST', `/api/campaigns/${campaign}/stars/2026H1/announce`, { cookie: cadre }));
    // October (scored, not announced) is what is left
    expect((await todoOf(t, cadre)).results).toBe(1);
  });

  it('a campaign of several villages waits for the town admin to announce, not for each village’s cadre, who may not', async () => {
    const t = makeApp({ history: true });
    const admin = sessionFor(t, '13900000001');
    const created = await ok<{ campaign: { id: string } }>(
      await t.req('POST', '/api/campaigns', {
        cookie: admin,
        body: { title: '2026年磁灶镇冬季最美庭院', format: 'monthly', villageIds: [VILLAGES.yangwei, VILLAGES.lingpan], likeThreshold: 0, months: { from: '2026-11', to: '2026-12' } },
      }),
      201,
    );
    await ok(await t.req('POST', `/api/campaigns/${created.campaign.id}/transition`, { cookie: admin, body: { to: 'open' } }));
    const { rounds } = await ok<{ rounds: Array<{ id: string; period: string }> }>(await t.req('GET', `/api/campaigns/${created.campaign.id}`));
    const november = rounds.find((r) => r.period === '2026-11')!.id;
    for (const to of ['inspecting', 'scoring_closed']) await ok(await t.req('POST', `/api/rounds/${november}/transition`, { cookie: admin, body: { to, reason: '本月评比提前结束。' } }));
    // 洋尾村's cadre is left with October (its own campaign); the county-wide November is the admin's
    expect((await todoOf(t, sessionFor(t, PHONES.yangweiCadre))).results).toBe(1);
    expect((await todoOf(t, sessionFor(t, PHONES.lingpanCadre), VILLAGES.lingpan)).results).toBe(0);
    expect((await todoOf(t, admin)).results).toBe(2);
    expect((await todoOf(t, admin, VILLAGES.lingpan)).results).toBe(1);
    await expectError(await t.req('POST', `/api/rounds/${november}/announce`, { cookie: sessionFor(t, PHONES.yangweiCadre) }), 403, 'campaign_spans_villages');
  });

  it('is the village’s own: a villager, a grid worker, another village’s cadre are refused (403); no session 401; a bad or unknown village 400 / 404', async () => {
    const t = makeApp({ history: true });
    for (const who of [sessionFor(t, PHONES.yangwei(1)), sessionFor(t, PHONES.yangweiGridWorker), sessionFor(t, PHONES.lingpanCadre)]) {
      const err = await expectError(await t.req('GET', `/api/villages/${VILLAGES.yangwei}/todo`, { cookie: who }), 403, 'forbidden');
      expect(err.message).toBe('只有本村村干部（或镇管理员）可以查看本村待办。');
    }
    await expectError(await t.req('GET', `/api/villages/${VILLAGES.yangwei}/todo`), 401, 'unauthenticated');
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    await expectError(await t.req('GET', `/api/villages/35058210220/todo`, { cookie: cadre }), 400, 'invalid_input');
    await expectError(await t.req('GET', `/api/villages/350582102299/todo`, { cookie: cadre }), 404, 'not_found');
    // 岭畔村's cadre has its own
    expect(await todoOf(t, sessionFor(t, PHONES.lingpanCadre), VILLAGES.lingpan)).toEqual({ households: 0, photos: 0, likes: 0, scoring: 0, objections: 0, results: 0, rewards: 0, roundOf: { photos: null, scoring: null } });
  });
});
