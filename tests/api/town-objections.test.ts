import { describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC } from '../../server/domain/campaigns.ts';
import { monthBounds } from '../../server/domain/time.ts';
import { applyRoundTransition } from '../../server/db/campaigns.ts';
import { addPhoto, createEntry, submitEntry } from '../../server/db/entries.ts';
import { announceRound, finalizeResult } from '../../server/db/results.ts';
import { putSheet } from '../../server/db/scoring.ts';
import { pointsFor } from '../../server/db/seed-history.ts';
import { sha256 } from '../../server/lib/ids.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { makeJpeg } from '../support/images.ts';
import { pdfText } from '../support/pdf.ts';
import { accountId, sessionFor } from '../support/likes.ts';
import { expectError, PHONE, TOWN, VILLAGE } from './helpers.ts';

/*
 * The objections to a town's campaign (磁灶镇, over 岭畔村 and 洋尾村), village by village: the
 * town admin runs it and settles them; each village's cadre reads those about their own
 * village's households (with who filed them when that is a family of their village), cannot
 * settle them, and reads nothing of the other village's; a villager reads only their own.
 */

const DAY = 86_400_000;
const TITLE = '2026年磁灶镇美丽庭院月评';
/** Each month's totals, by door: every household passes the mark of 80. */
const TOTALS: Record<string, number> = { 岭畔村1号: 92, 岭畔村2号: 85, 洋尾村1号: 90, 洋尾村2号: 81 };
const MEMBERS = [
  { phone: '13700000031', role: '镇干部', name: '黄建国' },
  { phone: '13700000032', role: '网格员', name: '施美玲' },
  { phone: '13700000033', role: '村民代表', name: '洪天佑' },
];

interface ObjectionView {
  id: string;
  householdLabel: string;
  entryNumber: number | null;
  headName: string | null;
  village: { id: string; name: string };
  objector: string | null;
  mine: boolean;
  text: string;
  status: string;
  photos: Array<{ thumbUrl: string }>;
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const household = (t: TestApp, door: string) => (t.db.$client.prepare(`select id, head_name as headName from households where door_number = ?`).get(door) as { id: string; headName: string });

/** Rows a refused decision must leave untouched. */
const resultState = (t: TestApp) => {
  const q = (s: string) => t.db.$client.prepare(s).all();
  return { results: q(`select * from results order by id`), lines: q(`select * from result_lines order by result_id, household_id`), objections: q(`select * from objections order by id`), audit: q(`select count(*) n from audit_log`) };
};

/** The town admin's campaign over both villages for the first half of 2026 (no like threshold), opened, with one panel for both. */
async function townCampaign() {
  const t = makeApp();
  const admin = sessionFor(t, PHONE.townAdmin);
  const { campaign } = await ok<{ campaign: { id: string } }>(
    await t.req('POST', '/api/campaigns', { cookie: admin, body: { title: TITLE, format: 'monthly', villageIds: [VILLAGE.lingpan, VILLAGE.yangwei], likeThreshold: 0, months: { from: '2026-01', to: '2026-06' } } }),
    201,
  );
  await ok(await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: admin, body: { to: 'open' } }));
  const { panel } = await ok<{ panel: { id: string } }>(await t.req('POST', `/api/campaigns/${campaign.id}/panels`, { cookie: admin, body: { name: '磁灶镇考评组', members: MEMBERS } }), 201);
  const { rounds } = await ok<{ rounds: Array<{ id: string; period: string }> }>(await t.req('GET', `/api/campaigns/${campaign.id}/rounds`));
  const roundOf = (period: string) => rounds.find((r) => r.period === period)!.id;
  return { t, admin, campaignId: campaign.id, panelId: panel.id, roundOf };
}
type Town = Awaited<ReturnType<typeof townCampaign>>;

/**
 * Scenery, written as the demo history is: a month in which two households of each village enter
 * (by proxy, one photo each), the panel scores them and scoring closes; with `final`, the result
 * is announced after the month and locked once its period is over.
 */
function playMonth(w: Town, period: string, final: boolean) {
  const { t } = w;
  const roundId = w.roundOf(period);
  const adminId = accountId(t, PHONE.townAdmin);
  const { endsAt } = monthBounds(period);
  const entries = Object.entries(TOTALS).map(([door, total], i) => {
    const h = household(t, door);
    const at = endsAt - 10 * DAY + i * 3_600_000;
    const e = createEntry(t.db, { roundId, householdId: h.id, villageId: door.startsWith('岭畔村') ? VILLAGE.lingpan : VILLAGE.yangwei, description: '房前屋后干净整洁。', actorId: adminId, byProxy: true }, at);
    const key = sha256(`town-${period}-${door}`);
    addPhoto(t.db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: at, displayBytes: 1 }, adminId, at);
    submitEntry(t.db, e.id, 0, adminId, at);
    return { id: e.id, total };
  });
  applyRoundTransition(t.db, roundId, 'entries_open', 'inspecting', adminId, null, endsAt + 1);
  const members = MEMBERS.map((m) => accountId(t, m.phone));
  for (const e of entries) {
    // three members: the spreads 0, +1, −1 around the total average back to it
    const sheets = pointsFor(DEFAULT_RUBRIC, e.total);
    members.forEach((m, i) => putSheet(t.db, { entryId: e.id, accountId: m, panelId: w.panelId, sheet: { passed: true, points: sheets[i]!, comment: '' }, idempotencyKey: `town-${e.id}-${i}`, roundStatus: 'inspecting' }, endsAt + DAY));
  }
  applyRoundTransition(t.db, roundId, 'inspecting', 'scoring_closed', adminId, null, endsAt + 2 * DAY);
  if (!final) return roundId;
  const announced = announceRound(t.db, roundId, 5, adminId, endsAt + 3 * DAY);
  finalizeResult(t.db, announced.id, adminId, announced.objectionDeadline! + DAY);
  return roundId;
}

/** June played and scored, its result computed and announced by the town admin: the objection period runs. */
async function announcedJune() {
  const w = await townCampaign();
  const roundId = playMonth(w, '2026-06', false);
  await ok(await w.t.req('POST', `/api/rounds/${roundId}/results`, { cookie: w.admin }));
  await ok(await w.t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: w.admin }));
  return { ...w, roundId };
}

/**
 * Three objections to a published result: a 岭畔村 family's and a 洋尾村 family's about 岭畔村's
 * households, and a 岭畔村 family's about a 洋尾村 household.
 */
async function objectTo(w: Town, path: string) {
  const { t } = w;
  const file = async (phone: string, door: string, text: string) =>
    (await ok<{ objection: ObjectionView }>(await t.req('POST', path, { cookie: sessionFor(t, phone), body: { householdId: household(t, door).id, text } }), 201)).objection;
  return {
    lingpanAboutLingpan: await file('13900000203', '岭畔村1号', '岭畔村1号门口的柴堆一直没有清理。'),
    yangweiAboutLingpan: await file('13900000105', '岭畔村2号', '岭畔村2号评分当天的花是借来的。'),
    lingpanAboutYangwei: await file('13900000204', '洋尾村1号', '洋尾村1号的后院堆满了杂物。'),
  };
}

const listed = async (t: TestApp, path: string, phone: string) => (await ok<{ objections: ObjectionView[] }>(await t.req('GET', path, { cookie: sessionFor(t, phone) }))).objections;

/** Who filed it, as a cadre who may see it reads it: phone, family and door. */
const objectorOf = (t: TestApp, phone: string, door: string) => `${phone}（${household(t, door).headName}家 · ${door}）`;

describe("a town campaign's objections, village by village", () => {
  it("monthly results: each village's cadre reads those about their village's households, settles none; the town admin reads and settles all; a villager reads their own", async () => {
    const w = await announcedJune();
    const { t, admin, roundId } = w;
    const path = `/api/rounds/${roundId}/objections`;
    const o = await objectTo(w, path);

    // 岭畔村's cadre: both objections about 岭畔村's households, none about 洋尾村's. Who filed the
    // first is a 岭畔村 family (as on their household list); the second's objector is of 洋尾村.
    const lingpan = await listed(t, path, PHONE.lingpanCadre);
    expect(lingpan.map((x) => [x.id, x.householdLabel, x.objector, x.mine, x.status])).toEqual([
      [o.lingpanAboutLingpan.id, o.lingpanAboutLingpan.householdLabel, objectorOf(t, '13900000203', '岭畔村3号'), false, 'open'],
      [o.yangweiAboutLingpan.id, o.yangweiAboutLingpan.householdLabel, null, false, 'open'],
    ]);
    expect(lingpan.map((x) => x.text)).toEqual(['岭畔村1号门口的柴堆一直没有清理。', '岭畔村2号评分当天的花是借来的。']);
    // each names its household's village: in a town's result each village has its own 陈家庭院
    expect(lingpan.map((x) => x.village)).toEqual([{ id: VILLAGE.lingpan, name: '岭畔村' }, { id: VILLAGE.lingpan, name: '岭畔村' }]);
    // 洋尾村's cadre: the one about 洋尾村1号 only, filed by someone of 岭畔村 (not theirs to call)
    const yangwei = await listed(t, path, PHONE.yangweiCadre);
    expect(yangwei.map((x) => [x.id, x.objector])).toEqual([[o.lingpanAboutYangwei.id, null]]);
    expect(JSON.stringify(yangwei)).not.toMatch(/13900000204|岭畔村4号/);
    // the town admin, who settles them: all three, with every objector
    const all = await listed(t, path, PHONE.townAdmin);
    expect(all.map((x) => [x.id, x.village.name, x.objector])).toEqual([
      [o.lingpanAboutLingpan.id, '岭畔村', objectorOf(t, '13900000203', '岭畔村3号')],
      [o.yangweiAboutLingpan.id, '岭畔村', objectorOf(t, '13900000105', '洋尾村5号')],
      [o.lingpanAboutYangwei.id, '洋尾村', objectorOf(t, '13900000204', '岭畔村4号')],
    ]);
    // a villager reads their own only, and never who filed it
    expect((await listed(t, path, '13900000105')).map((x) => [x.id, x.mine, x.objector])).toEqual([[o.yangweiAboutLingpan.id, true, null]]);
    expect(await listed(t, path, '13900000101')).toEqual([]);
    // 华山村's cadre (another town) and a grid worker of 洋尾村 read none
    expect(await listed(t, path, PHONE.huashanCadre)).toEqual([]);
    expect(await listed(t, path, PHONE.yangweiGridWorker)).toEqual([]);
    await expectError(await t.req('GET', path), 401, 'unauthenticated');

    // A village's cadre cannot settle one, even about their own village's household; nothing changes.
    const before = resultState(t);
    for (const [phone, id] of [
      [PHONE.lingpanCadre, o.lingpanAboutLingpan.id],
      [PHONE.yangweiCadre, o.lingpanAboutYangwei.id],
    ] as const) {
      const err = await expectError(await t.req('POST', `/api/objections/${id}/decision`, { cookie: sessionFor(t, phone), body: { uphold: false, reason: '村里核实，柴堆不是这户的。' } }), 403, 'campaign_spans_villages');
      expect(err.message).toContain('镇管理员处理评比结果');
    }
    expect(resultState(t)).toEqual(before);

    // The town admin settles it; the village's cadre reads the decision and its reason.
    const decided = await ok<{ objection: ObjectionView }>(
      await t.req('POST', `/api/objections/${o.lingpanAboutLingpan.id}/decision`, { cookie: admin, body: { uphold: false, reason: '岭畔村核实：柴堆在公共巷道，不属于该户庭院。' } }),
    );
    expect(decided.objection.objector).toBe(objectorOf(t, '13900000203', '岭畔村3号'));
    const after = await listed(t, path, PHONE.lingpanCadre);
    expect(after.map((x) => x.status)).toEqual(['dismissed', 'open']);
  });

  it("an objection's photos are seen by the objector, the town admin and the cadre of the household's village, not by the other village's", async () => {
    const w = await announcedJune();
    const { t, admin, roundId } = w;
    const o = await objectTo(w, `/api/rounds/${roundId}/objections`);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480, { seed: 31 }))], { type: 'image/jpeg' }), 'photo.jpg');
    const objector = sessionFor(t, '13900000105');
    const added = await ok<{ objection: ObjectionView }>(
      await Promise.resolve(t.app.request(`/api/objections/${o.yangweiAboutLingpan.id}/photos`, { method: 'POST', headers: { origin: 'http://localhost', cookie: objector }, body: form })),
      201,
    );
    const url = added.objection.photos[0]!.thumbUrl;
    const status = async (cookie?: string) => (await t.req('GET', url, cookie ? { cookie } : {})).status;
    expect([await status(objector), await status(admin), await status(sessionFor(t, PHONE.lingpanCadre))]).toEqual([200, 200, 200]);
    expect([await status(sessionFor(t, PHONE.yangweiCadre)), await status(sessionFor(t, '13900000101')), await status()]).toEqual([404, 404, 404]);
    // the cadre's list carries it
    expect((await listed(t, `/api/rounds/${roundId}/objections`, PHONE.lingpanCadre)).find((x) => x.id === o.yangweiAboutLingpan.id)!.photos.map((p) => p.thumbUrl)).toEqual([url]);
  });

  it("each family reads with its entry's 编号, and with its head's name to the town admin and to its own village's cadre only, in the result and in the objections", async () => {
    const w = await announcedJune();
    const { t, roundId } = w;
    const path = `/api/rounds/${roundId}/objections`;
    const o = await objectTo(w, path);
    const head = (door: string) => household(t, door).headName;
    type Line = { headName: string | null; entryNumber: number | null; village: { name: string } };
    const lines = async (phone: string | null) =>
      (await ok<{ result: { lines: Line[] } }>(await t.req('GET', `/api/rounds/${roundId}/results`, phone ? { cookie: sessionFor(t, phone) } : {}))).result.lines.map((l) => [l.village.name, l.entryNumber, l.headName]);
    // in each village 1号 entered first (编号 1) and scored higher
    const everyone = [
      ['岭畔村', 1, null],
      ['岭畔村', 2, null],
      ['洋尾村', 1, null],
      ['洋尾村', 2, null],
    ];
    expect(await lines(null)).toEqual(everyone);
    expect(await lines('13900000105')).toEqual(everyone);
    expect(await lines(PHONE.townAdmin)).toEqual([
      ['岭畔村', 1, head('岭畔村1号')],
      ['岭畔村', 2, head('岭畔村2号')],
      ['洋尾村', 1, head('洋尾村1号')],
      ['洋尾村', 2, head('洋尾村2号')],
    ]);
    expect(await lines(PHONE.yangweiCadre)).toEqual([
      ['岭畔村', 1, null],
      ['岭畔村', 2, null],
      ['洋尾村', 1, head('洋尾村1号')],
      ['洋尾村', 2, head('洋尾村2号')],
    ]);
    expect(await lines(PHONE.huashanCadre)).toEqual(everyone);

    // the objections: the objector reads the 编号, not the name
    expect([o.yangweiAboutLingpan.entryNumber, o.yangweiAboutLingpan.headName]).toEqual([2, null]);
    expect((await listed(t, path, '13900000105')).map((x) => [x.entryNumber, x.headName])).toEqual([[2, null]]);
    expect((await listed(t, path, PHONE.lingpanCadre)).map((x) => [x.entryNumber, x.headName])).toEqual([
      [1, head('岭畔村1号')],
      [2, head('岭畔村2号')],
    ]);
    expect((await listed(t, path, PHONE.yangweiCadre)).map((x) => [x.entryNumber, x.headName])).toEqual([[1, head('洋尾村1号')]]);
    expect((await listed(t, path, PHONE.townAdmin)).map((x) => [x.village.name, x.entryNumber, x.headName])).toEqual([
      ['岭畔村', 1, head('岭畔村1号')],
      ['岭畔村', 2, head('岭畔村2号')],
      ['洋尾村', 1, head('洋尾村1号')],
    ]);
  });

  it('a villager is told that the town answers: the result names its villages, and a second objection while the first is open waits for 镇里', async () => {
    const w = await announcedJune();
    const { t, roundId } = w;
    const { result } = await ok<{ result: { campaign: { villages: Array<{ id: string; name: string; townName: string }> } } }>(await t.req('GET', `/api/rounds/${roundId}/results`));
    expect(result.campaign.villages.map((v) => [v.id, v.name, v.townName])).toEqual([
      [VILLAGE.lingpan, '岭畔村', '磁灶镇'],
      [VILLAGE.yangwei, '洋尾村', '磁灶镇'],
    ]);
    const path = `/api/rounds/${roundId}/objections`;
    const file = (text: string) => t.req('POST', path, { cookie: sessionFor(t, '13900000203'), body: { householdId: household(t, '洋尾村1号').id, text } });
    await ok(await file('洋尾村1号的后院堆满了杂物。'), 201);
    const err = await expectError(await file('再说一遍：后院堆满了杂物。'), 409, 'objection_pending');
    expect(err.message).toBe('您对这户的异议还在处理中，请等镇里答复；要补充材料，可以在“我的异议”里添加照片。');
  });

  it("what waits: an open objection, and then the result to lock, count for the town admin who settles them — in each village's console and on the town dashboard — not for the villages' cadres, who only read them", async () => {
    const w = await announcedJune();
    const { t, admin, roundId } = w;
    const o = await objectTo(w, `/api/rounds/${roundId}/objections`);
    type Todo = { objections: number; results: number };
    const todo = async (phone: string, village: string) => ok<Todo>(await t.req('GET', `/api/villages/${village}/todo`, { cookie: sessionFor(t, phone) }));
    const dashboard = async () => {
      const d = await ok<{ villages: Array<{ id: string; todo: Todo }> }>(await t.req('GET', `/api/towns/${TOWN.cizao}/dashboard`, { cookie: admin }));
      const of = (id: string) => d.villages.find((v) => v.id === id)!.todo;
      return { lingpan: { objections: of(VILLAGE.lingpan).objections, results: of(VILLAGE.lingpan).results }, yangwei: { objections: of(VILLAGE.yangwei).objections, results: of(VILLAGE.yangwei).results } };
    };
    const cadres = async () => ({ lingpan: await todo(PHONE.lingpanCadre, VILLAGE.lingpan), yangwei: await todo(PHONE.yangweiCadre, VILLAGE.yangwei) });
    const none = { objections: 0, results: 0 };
    // two objections about 岭畔村's families, one about 洋尾村's: none is either village cadre's to settle
    expect(await cadres()).toMatchObject({ lingpan: none, yangwei: none });
    expect(await todo(PHONE.townAdmin, VILLAGE.lingpan)).toMatchObject({ objections: 2, results: 0 });
    expect(await todo(PHONE.townAdmin, VILLAGE.yangwei)).toMatchObject({ objections: 1, results: 0 });
    expect(await dashboard()).toEqual({ lingpan: { objections: 2, results: 0 }, yangwei: { objections: 1, results: 0 } });
    // each one settled leaves the admin's counts
    const settle = (id: string) => t.req('POST', `/api/objections/${id}/decision`, { cookie: admin, body: { uphold: false, reason: '经村里核实，情况不属实。' } });
    await ok(await settle(o.lingpanAboutLingpan.id));
    expect(await dashboard()).toEqual({ lingpan: { objections: 1, results: 0 }, yangwei: { objections: 1, results: 0 } });
    await ok(await settle(o.yangweiAboutLingpan.id));
    await ok(await settle(o.lingpanAboutYangwei.id));
    expect(await dashboard()).toEqual({ lingpan: none, yangwei: none });
    // once the period is over the result waits to be locked (定稿): the admin's, in both villages
    const deadline = (t.db.$client.prepare(`select objection_deadline as d from results where round_id = ?`).get(roundId) as { d: number }).d;
    t.clock.set(deadline + 1);
    expect(await dashboard()).toEqual({ lingpan: { objections: 0, results: 1 }, yangwei: { objections: 0, results: 1 } });
    expect(await todo(PHONE.townAdmin, VILLAGE.yangwei)).toMatchObject({ objections: 0, results: 1 });
    expect(await cadres()).toMatchObject({ lingpan: none, yangwei: none });
  });

  it('half-year stars: the same rule, on the stars objection route', async () => {
    const w = await townCampaign();
    const { t, admin, campaignId } = w;
    for (const m of ['01', '02', '03', '04', '05', '06']) playMonth(w, `2026-${m}`, true);
    await ok(await t.req('POST', `/api/campaigns/${campaignId}/stars/2026H1`, { cookie: admin }));
    await ok(await t.req('POST', `/api/campaigns/${campaignId}/stars/2026H1/announce`, { cookie: admin }));
    const path = `/api/campaigns/${campaignId}/stars/2026H1/objections`;
    const o = await objectTo(w, path);

    expect((await listed(t, path, PHONE.lingpanCadre)).map((x) => [x.id, x.objector])).toEqual([
      [o.lingpanAboutLingpan.id, objectorOf(t, '13900000203', '岭畔村3号')],
      [o.yangweiAboutLingpan.id, null],
    ]);
    expect((await listed(t, path, PHONE.yangweiCadre)).map((x) => x.id)).toEqual([o.lingpanAboutYangwei.id]);
    expect((await listed(t, path, PHONE.townAdmin)).map((x) => x.id)).toEqual([o.lingpanAboutLingpan.id, o.yangweiAboutLingpan.id, o.lingpanAboutYangwei.id]);
    expect((await listed(t, path, '13900000204')).map((x) => x.id)).toEqual([o.lingpanAboutYangwei.id]);

    const before = resultState(t);
    await expectError(await t.req('POST', `/api/objections/${o.yangweiAboutLingpan.id}/decision`, { cookie: sessionFor(t, PHONE.lingpanCadre), body: { uphold: true, reason: '核实属实。' } }), 403, 'campaign_spans_villages');
    expect(resultState(t)).toEqual(before);
    await ok(await t.req('POST', `/api/objections/${o.yangweiAboutLingpan.id}/decision`, { cookie: admin, body: { uphold: false, reason: '岭畔村核实：花是自家种的。' } }));
  });

  it('the notice for the notice boards, a page for each village, says the town answers objections', async () => {
    const w = await announcedJune();
    const { rounds } = await ok<{ rounds: Array<{ id: string; period: string }> }>(await w.t.req('GET', `/api/campaigns/${w.campaignId}/rounds`));
    const roundId = rounds.find((r) => r.period === '2026-06')!.id;
    const res = await w.t.req('GET', `/api/rounds/${roundId}/results/notice.pdf`);
    expect(res.status).toBe(200);
    const pages = (await pdfText(new Uint8Array(await res.arrayBuffer()))).map((p) => p.replace(/\s+/g, ''));
    expect(pages).toHaveLength(2);
    for (const page of pages) expect(page).toContain('每条异议都将由磁灶镇统一核实并答复');
  });
});
