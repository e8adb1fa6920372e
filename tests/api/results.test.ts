import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC } from '../../server/domain/campaigns.ts';
import { addPhoto, createEntry, submitEntry } from '../../server/db/entries.ts';
import { pointsFor } from '../../server/db/seed-history.ts';
import { putSheet } from '../../server/db/scoring.ts';
import { alteredRecords } from '../../server/db/audit-records.ts';
import { sha256 } from '../../server/lib/ids.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { expectError, PHONES, VILLAGES } from '../support/entries.ts';
import { accountId, sessionFor } from '../support/likes.ts';
import { makeJpeg } from '../support/images.ts';
import { pdfText } from '../support/pdf.ts';
import { fieldsOf } from './helpers.ts';

const DAY = 86_400_000;
const LINGPAN_PANEL = ['13900000021', '13900000022', '13900000023', '13900000024', '13900000025'];

interface Line {
  householdId: string;
  householdLabel: string;
  headName: string | null;
  rank: number | null;
  total: string | null;
  awarded: boolean;
  stars: number;
  reason: string;
  excludedReason: string | null;
  marks: Array<{ member: string; points: Record<string, number> }>;
  criteria: Array<{ key: string; mean: string }>;
  detail: Record<string, unknown>;
}
interface Result {
  id: string;
  status: string;
  objectionDeadline: string | null;
  lines: Line[];
  changes: Array<{ householdLabel: string; moves: Array<{ householdLabel: string; before: string; after: string }> }>;
  openObjections: number;
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const householdByDoor = (t: TestApp, village: string, door: string) =>
  (t.db.$client.prepare(`select id, head_name as headName from households where village_id = ? and door_number = ?`).get(village, door) as { id: string; headName: string });

function campaignOf(t: TestApp, title: string): string {
  return (t.db.$client.prepare(`select id from campaigns where title = ?`).get(title) as { id: string }).id;
}

function roundOf(t: TestApp, campaignId: string, period: string): string {
  return (t.db.$client.prepare(`select id from rounds where campaign_id = ? and period = ?`).get(campaignId, period) as { id: string }).id;
}

/** What `npm run audit:verify` would name of results, plates and rewards: none, when only the app wrote them. */
function recordsAltered(t: TestApp) {
  const { results, plates, rewards } = alteredRecords(t.db.$client);
  return [...results.findings, ...plates.findings, ...rewards.findings];
}

/** Rows a refused request must leave untouched. */
function resultState(t: TestApp) {
  const q = (s: string) => t.db.$client.prepare(s).all();
  return { results: q(`select * from results order by id`), lines: q(`select * from result_lines order by result_id, household_id`), objections: q(`select * from objections order by id`), plates: q(`select * from plates order by serial`), rewards: q(`select * from rewards order by id`), audit: q(`select count(*) n from audit_log`) };
}

const H2 = '2026年下半年洋尾村美丽庭院月评';
const H1 = '2026年上半年洋尾村美丽庭院月评';
const LINGPAN = '2026年岭畔村最美卫生庭院评比';

describe('scenario (a): 岭畔村, single format, 14 households scored by a 5-member panel', () => {
  // Totals chosen by hand: bands are ★★★★★ ≥ 95, ★★★★ ≥ 90, ★★★ ≥ 85 (a 100-point rubric).
  const TOTALS = [97, 95, 94, 92, 90, 89, 88, 87, 86, 85, 85, 91, 84, 70];
  const EXPECTED_STARS = [5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 0, 0];

  it('gives each household its star level by band with the reason, and 12 plates once final', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.lingpanCadre);
    const campaignId = campaignOf(t, LINGPAN);
    const roundId = roundOf(t, campaignId, '2026-11-01');
    const panelId = (t.db.$client.prepare(`select id from panels where campaign_id = ?`).get(campaignId) as { id: string }).id;
    const cadreId = accountId(t, PHONES.lingpanCadre);
    const members = LINGPAN_PANEL.map((p) => accountId(t, p));
    const now = t.clock.now();
    const households = TOTALS.map((total, i) => {
      const h = householdByDoor(t, VILLAGES.lingpan, `岭畔村${i + 1}号`);
      const e = createEntry(t.db, { roundId, householdId: h.id, villageId: VILLAGES.lingpan, description: '', actorId: cadreId, byProxy: true }, now);
      const key = sha256(`results-a-${i}`);
      addPhoto(t.db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadreId, now);
      submitEntry(t.db, e.id, 0, cadreId, now);
      return { ...h, entryId: e.id, total };
    });
    await ok(await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } }));
    households.forEach((h) => {
      pointsFor(DEFAULT_RUBRIC, h.total).forEach((points, m) =>
        putSheet(t.db, { entryId: h.entryId, accountId: members[m]!, panelId, sheet: { passed: true, points, comment: '' }, idempotencyKey: `a-${h.entryId}-${m}`, roundStatus: 'inspecting' }, now),
      );
    });
    await ok(await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'scoring_closed' } }));

    const { result: draft } = await ok<{ result: Result }>(await t.req('POST', `/api/rounds/${roundId}/results`, { cookie: cadre }));
    expect(draft.status).toBe('draft');
    for (const [i, h] of households.entries()) {
      const line = draft.lines.find((l) => l.householdId === h.id)!;
      expect(line.total, `household ${i + 1}`).toBe(`${h.total}.0`);
      expect(line.stars, `household ${i + 1} at ${h.total}`).toBe(EXPECTED_STARS[i]);
      expect(line.reason).toContain(`总分 ${h.total}.0`);
      expect(line.headName).toBe(h.headName);
      // Every member's marks are there, anonymised A–E.
      expect(line.marks.map((m) => m.member)).toEqual(['A', 'B', 'C', 'D', 'E']);
    }
    expect(draft.lines.find((l) => l.householdId === households[12]!.id)!.reason).toContain('未达到最低星级线 85 分');
    // The two 85s tie on total and hygiene: they share a rank.
    const tied = [households[9]!, households[10]!].map((h) => draft.lines.find((l) => l.householdId === h.id)!.rank);
    expect(tied[0]).toBe(tied[1]);

    // Public: nothing before the announcement, then labels only (no full names).
    await expectError(await t.req('GET', `/api/rounds/${roundId}/results`), 404, 'not_found');
    const publishedIds = async () =>
      (await ok<{ published: Array<{ campaignId: string; results: Array<{ id: string; status: string }> }> }>(await t.req('GET', `/api/villages/${VILLAGES.lingpan}/honors`))).published.flatMap((c) =>
        c.results.map((r) => `${c.campaignId} ${r.id} ${r.status}`),
      );
    expect(await publishedIds()).not.toContainEqual(expect.stringContaining(draft.id));
    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre, body: { objectionDays: 3 } }));
    // The village page lists it among the published results, with the campaign, in the same answer as its honours.
    expect(await publishedIds()).toContain(`${campaignId} ${draft.id} announced`);
    const { result: open } = await ok<{ result: Result }>(await t.req('GET', `/api/rounds/${roundId}/results`));
    expect(open.lines.every((l) => l.headName === null && /家庭院$/.test(l.householdLabel))).toBe(true);
    expect(JSON.stringify(open)).not.toMatch(/岭畔村\d+号|139\d{8}/);

    // Known by its name everywhere, not by a period made up from its first day (2026年（2026-11-01 起）).
    expect(JSON.stringify(open)).not.toContain('起）');
    expect((open as Result & { periodLabel: string }).periodLabel).toBe(LINGPAN);
    const honors = await ok<{ winners: Array<{ periodLabel: string }>; published: Array<{ campaignId: string; results: Array<{ periodLabel: string }> }> }>(await t.req('GET', `/api/villages/${VILLAGES.lingpan}/honors`));
    expect([...new Set(honors.winners.map((w) => w.periodLabel))]).toEqual([LINGPAN]);
    expect(honors.published.find((c) => c.campaignId === campaignId)!.results.map((r) => r.periodLabel)).toEqual([LINGPAN]);
    const first = households[0]!;
    const told = t.db.$client.prepare(`select payload from notifications where kind = 'results_announced' and account_id in (select account_id from household_members where household_id = ?)`).all(first.id) as Array<{ payload: string }>;
    const deadline = new Date(Date.parse(open.objectionDeadline!) + 8 * 3_600_000);
    expect(told.length).toBeGreaterThan(0);
    for (const n of told) {
      expect((JSON.parse(n.payload) as { text: string }).text).toBe(`${LINGPAN}结果已公示：您家评为 5 星级。如有异议请于 ${deadline.getUTCFullYear()}年${deadline.getUTCMonth() + 1}月${deadline.getUTCDate()}日前提出。`);
    }
    const member = (t.db.$client.prepare(`select a.phone from accounts a join household_members m on m.account_id = a.id where m.household_id = ?`).get(first.id) as { phone: string }).phone;
    const mine = await ok<{ results: Array<{ campaignTitle: string; periodLabel: string }> }>(await t.req('GET', '/api/me/results', { cookie: sessionFor(t, member) }));
    expect(mine.results.map((r) => [r.campaignTitle, r.periodLabel])).toEqual([[LINGPAN, LINGPAN]]);
    // The notice board's A4 sheet is headed by the evaluation's name, and saved under it.
    const notice = await t.req('GET', `/api/rounds/${roundId}/results/notice.pdf`);
    expect(notice.headers.get('content-disposition')).toBe(`inline; filename="notice-2026-11-01.pdf"; filename*=UTF-8''${encodeURIComponent(`公示-${LINGPAN}.pdf`)}`);
    const [sheet] = await pdfText(new Uint8Array(await notice.arrayBuffer()));
    expect(sheet).toContain(`关于《${LINGPAN}》结果的公示`);
    expect(sheet).not.toContain('起）');
    // a village's own evaluation is answered by the village
    expect(sheet!.replace(/\s+/g, '')).toContain('每条异议都将核实并答复');

    t.clock.advance(4 * DAY);
    const { result: final } = await ok<{ result: Result }>(await t.req('POST', `/api/rounds/${roundId}/finalize`, { cookie: cadre }));
    expect(final.status).toBe('final');
    const { plates } = await ok<{ plates: Array<{ serial: string; stars: number; holderName: string; title: string }> }>(
      await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { roundId } }),
      201,
    );
    expect(plates).toHaveLength(12);
    expect(plates.map((p) => p.stars).sort()).toEqual(EXPECTED_STARS.filter((s) => s > 0).sort());
    expect(plates[0]!.serial).toMatch(/^350582-LP-2026-\d{4}$/);
    expect(new Set(plates.map((p) => p.serial)).size).toBe(12);
    expect(plates.find((p) => p.holderName === households[0]!.headName)!.title).toBe('2026年 五星级最美卫生庭院');
    const csv = await t.req('GET', `/api/campaigns/${campaignId}/plates/export.csv?roundId=${roundId}`, { cookie: cadre });
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="plates-2026-11-01.csv"; filename*=UTF-8''${encodeURIComponent(`荣誉门牌-${LINGPAN}.csv`)}`);
    // Each household's entry took its outcome.
    const statuses = t.db.$client.prepare(`select status, count(*) n from entries where round_id = ? group by status order by status`).all(roundId);
    expect(statuses).toEqual([
      { status: 'awarded', n: 12 },
      { status: 'not_awarded', n: 2 },
    ]);
    // npm run audit:verify reads the result, its lines, plates and rewards as their audit rows record them
    expect(recordsAltered(t)).toEqual([]);
  });
});

describe('scenario (b): 洋尾村, six monthly rounds of the first half-year for 8 households', () => {
  it('each household’s half-year star level and its reason, from its months', async () => {
    const t = makeApp({ history: true });
    const campaignId = campaignOf(t, H1);
    const { result } = await ok<{ result: Result }>(await t.req('GET', `/api/campaigns/${campaignId}/stars/2026H1`));
    expect(result.status).toBe('final');
    // Totals of the months, as the demo panel scored them (door: Jan…Jun; — = did not take part).
    // Awarded = total ≥ 80. m = months awarded, a = mean of scored months.
    //  1号 93 92 94 91 95 93 → m 6, a 93.0 → ★★★★★ (m ≥ 5, a ≥ 90)
    //  2号 88 86 78 89 87 90 → m 5, a 86.3 → ★★★★ (a < 90)
    //  3号 84 82 79 83 85 76 → m 4, a 81.5 → ★★★ (a < 85)
    //  4号 72 75 70 78 74 73 → m 0 → none
    //  5号 91 92 —  —  90 94 → m 4, a 91.8 → ★★★★ (m < 5)
    //  6号 81 80 82 —  —  — → m 3, a 81.0 → ★★★
    //  7号 75 77 79 78 76 74 → m 0 → none
    //  8号 96 95 97 96 95 96 → m 6, a 95.8 → ★★★★★
    const expected: Record<number, [number, string]> = {
      1: [5, '6 个月中获评 6 个月，评分月份平均 93.0 分，评为 5 星级庭院'],
      2: [4, '6 个月中获评 5 个月，评分月份平均 86.3 分，评为 4 星级庭院'],
      3: [3, '6 个月中获评 4 个月，评分月份平均 81.5 分，评为 3 星级庭院'],
      4: [0, '6 个月中获评 0 个月，评分月份平均 73.7 分，未达到星级要求'],
      5: [4, '6 个月中获评 4 个月，评分月份平均 91.8 分，评为 4 星级庭院'],
      6: [3, '6 个月中获评 3 个月，评分月份平均 81.0 分，评为 3 星级庭院'],
      7: [0, '6 个月中获评 0 个月，评分月份平均 76.5 分，未达到星级要求'],
      8: [5, '6 个月中获评 6 个月，评分月份平均 95.8 分，评为 5 星级庭院'],
    };
    for (const [n, [stars, reason]] of Object.entries(expected)) {
      const h = householdByDoor(t, VILLAGES.yangwei, `洋尾村${n}号`);
      const line = result.lines.find((l) => l.householdId === h.id)!;
      expect([line.stars, line.reason], `洋尾村${n}号`).toEqual([stars, reason]);
    }
    const five = result.lines.find((l) => l.householdId === householdByDoor(t, VILLAGES.yangwei, '洋尾村5号').id)!;
    expect((five.detail.months as Array<{ period: string; total: string | null }>).map((m) => m.total)).toEqual(['91.0', '92.0', null, null, '90.0', '94.0']);
  });
});

/** The demo's October round: scored, ready to announce. Totals by door: 1号 91, 2号 87, 3号 84, 4号 75, 5号 90, 6号 82, 7号 77, 8号 95. */
async function october() {
  const t = makeApp({ history: true });
  const campaignId = campaignOf(t, H2);
  const roundId = roundOf(t, campaignId, '2026-10');
  const cadre = sessionFor(t, PHONES.yangweiCadre);
  const villager = sessionFor(t, PHONES.yangwei(30));
  const door = (n: number) => householdByDoor(t, VILLAGES.yangwei, `洋尾村${n}号`).id;
  return { t, campaignId, roundId, cadre, villager, door };
}

const standing = (r: Result, householdId: string) => {
  const l = r.lines.find((x) => x.householdId === householdId)!;
  return [l.rank, l.awarded, l.excludedReason !== null];
};

describe('scenario (c): an upheld objection removes a winner and the ranking is recomputed', () => {
  it('8号 (95, first) is taken out; the others move up; the change is shown publicly; both sides are told', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    const { result: announced } = await ok<{ result: Result }>(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre }));
    // The village's winners wall shows October at once, marked as not final while objections are open.
    const wall = await ok<{ winners: Array<{ period: string; final: boolean }> }>(await t.req('GET', `/api/villages/${VILLAGES.yangwei}/honors`));
    expect([...new Set(wall.winners.filter((w) => w.period === '2026-10').map((w) => w.final))]).toEqual([false]);
    expect(wall.winners.filter((w) => w.period === '2026-09').every((w) => w.final)).toBe(true);
    // Ranked by hand: 8号 95, 1号 91, 5号 90, 2号 87, 3号 84, 6号 82 pass the mark of 80; 7号 77 and 4号 75 do not.
    expect([1, 5, 2, 3, 6, 7, 4, 8].map((n) => standing(announced, door(n)))).toEqual([
      [2, true, false],
      [3, true, false],
      [4, true, false],
      [5, true, false],
      [6, true, false],
      [7, false, false],
      [8, false, false],
      [1, true, false],
    ]);
    const { objection } = await ok<{ objection: { id: string; status: string } }>(
      await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(8), text: '评分当天院子是借邻居的花摆出来的，平时堆满杂物。' } }),
      201,
    );
    expect(objection.status).toBe('open');
    // 8号's household sees its own line on 我的家庭, with the period open for objections.
    const mine = await ok<{ results: Array<{ period: string; objectionsOpen: boolean; line: { householdId: string; rank: number; awarded: boolean } }> }>(
      await t.req('GET', '/api/me/results', { cookie: sessionFor(t, PHONES.yangwei(8)) }),
    );
    const octLine = mine.results.find((r) => r.period === '2026-10')!;
    expect([octLine.objectionsOpen, octLine.line.householdId, octLine.line.rank, octLine.line.awarded]).toEqual([true, door(8), 1, true]);
    const decided = await ok<{ objection: { status: string }; result: Result }>(
      await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: true, reason: '经复查属实，取消本月评选资格。' } }),
    );
    expect(decided.objection.status).toBe('upheld');
    expect([1, 5, 2, 3, 6, 7, 4, 8].map((n) => standing(decided.result, door(n)))).toEqual([
      [1, true, false],
      [2, true, false],
      [3, true, false],
      [4, true, false],
      [5, true, false],
      [6, false, false],
      [7, false, false],
      [null, false, true],
    ]);
    const { result: pub } = await ok<{ result: Result }>(await t.req('GET', `/api/rounds/${roundId}/results`));
    expect(pub.changes).toHaveLength(1);
    expect(pub.changes[0]!.moves.find((m) => m.after === '取消')).toBeTruthy();
    expect(pub.changes[0]!.moves.find((m) => m.before.startsWith('第 2 名') && m.after.startsWith('第 1 名'))).toBeTruthy();
    const lineOf8 = pub.lines.find((l) => l.householdId === door(8))!;
    expect(lineOf8.reason).toContain('经复查属实');
    // The objector and 8号's household each have a notice.
    const notices = t.db.$client.prepare(`select account_id from notifications where kind = 'objection_settled'`).all() as Array<{ account_id: string }>;
    expect(notices.map((n) => n.account_id)).toContain(accountId(t, PHONES.yangwei(30)));
    expect(notices.map((n) => n.account_id)).toContain(accountId(t, PHONES.yangwei(8)));
    // the objector reads which household the decision is about
    const objector = t.db.$client.prepare(`select payload from notifications where kind = 'objection_settled' and account_id = ?`).get(accountId(t, PHONES.yangwei(30))) as { payload: string };
    const label = t.db.$client.prepare(`select head_name as n from households where id = ?`).get(door(8)) as { n: string };
    expect(JSON.parse(objector.payload).text).toMatch(new RegExp(`^您对2026年\\d+月美丽庭院中${[...label.n][0]}家庭院提出的异议已处理：异议成立，结果已重新计算。理由：`));
    // 8号's family reads plainly that its result is cancelled, and what it was.
    const theirs = t.db.$client.prepare(`select payload from notifications where kind = 'objection_settled' and account_id = ?`).get(accountId(t, PHONES.yangwei(8))) as { payload: string };
    expect(JSON.parse(theirs.payload).text).toMatch(/^2026年\d+月美丽庭院有关您家的异议经核实成立，您家的评比结果已取消（原为：第 \d+ 名，获评）。理由：经复查属实/);
    // Entry statuses follow: 8号 no longer awarded.
    expect((t.db.$client.prepare(`select status from entries where round_id = ? and household_id = ?`).get(roundId, door(8)) as { status: string }).status).toBe('not_awarded');
  });
});

describe('the announce → objection → final cycle refuses what it must, and changes nothing when it does', () => {
  it('finalising with an open objection is 409, and so is before the period ends; then it locks', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    const { result: announced } = await ok<{ result: { objectionDeadline: string } }>(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre, body: { objectionDays: 2 } }));
    // each household is told, with the last day to object written as people write dates
    const [y, m, d] = announced.objectionDeadline.slice(0, 10).split('-').map(Number);
    const told = t.db.$client.prepare(`select payload from notifications where kind = 'results_announced' and account_id in (select account_id from household_members where household_id = ?)`).all(door(1)) as Array<{ payload: string }>;
    expect(told.map((n) => (JSON.parse(n.payload) as { text: string }).text).filter((text) => text.startsWith('2026年10月'))).toEqual([expect.stringMatching(new RegExp(`^2026年10月美丽庭院结果已公示：您家.+。如有异议请于 ${y}年${m}月${d}日前提出。$`))]);
    // and the notice leads to the round's results, where an objection is made
    expect(told.map((n) => JSON.parse(n.payload) as { roundId?: string; period: string }).find((p) => p.period === '2026-10')?.roundId).toBe(roundId);
    const { objection } = await ok<{ objection: { id: string } }>(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(1), text: '我觉得打分偏高了一些。' } }), 201);
    // The result says why finalising would be refused, in the route's own words, before anyone tries.
    const blocked = async () => (await ok<{ result: { finalizeBlocked: string | null } }>(await t.req('GET', `/api/rounds/${roundId}/results`, { cookie: cadre }))).result.finalizeBlocked;
    expect(await blocked()).toMatch(/^还有 1 条异议未处理/);
    t.clock.advance(3 * DAY);
    let before = resultState(t);
    const refused = await expectError(await t.req('POST', `/api/rounds/${roundId}/finalize`, { cookie: cadre }), 409, 'objections_open');
    expect(await blocked()).toBe(refused.message);
    expect(resultState(t)).toEqual(before);
    await ok(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: false, reason: '复核评分表，打分有据。' } }));
    expect(await blocked()).toBeNull();
    // Deciding twice: 409.
    before = resultState(t);
    await expectError(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: true, reason: '再议。' } }), 409, 'objection_decided');
    expect(resultState(t)).toEqual(before);
    const { result } = await ok<{ result: Result }>(await t.req('POST', `/api/rounds/${roundId}/finalize`, { cookie: cadre }));
    expect(result.status).toBe('final');
    // Final is locked: no recomputation, no second finalisation.
    await expectError(await t.req('POST', `/api/rounds/${roundId}/results`, { cookie: cadre }), 409, 'results_final');
    await expectError(await t.req('POST', `/api/rounds/${roundId}/finalize`, { cookie: cadre }), 409, 'results_final');
    // Rewards: 100 元 for each of the 6 monthly winners, in the ledger.
    const ledger = await ok<{ rewards: Array<{ id: string; label: string; amountFen: number; status: string }>; totals: { pendingFen: number } }>(await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre }));
    expect(ledger.rewards.filter((r) => r.label === '2026年10月 美丽庭院')).toHaveLength(6);
  });

  it('finalising while the period still runs is 409; objecting after it is 409; nothing is stored', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre, body: { objectionDays: 1 } }));
    const before = resultState(t);
    const running = await expectError(await t.req('POST', `/api/rounds/${roundId}/finalize`, { cookie: cadre }), 409, 'objection_period_running');
    const view = await ok<{ result: { finalizeBlocked: string | null } }>(await t.req('GET', `/api/rounds/${roundId}/results`, { cookie: cadre }));
    expect(view.result.finalizeBlocked).toBe(running.message);
    t.clock.advance(2 * DAY + 1);
    const late = await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(1), text: '我觉得打分偏高了一些。' } }), 409, 'objection_period_over');
    expect(late.message).toMatch(/^公示期已于 \d{4}年\d{1,2}月\d{1,2}日结束/);
    expect(resultState(t)).toEqual(before);
  });

  it('bad inputs are 400 with the field named, and wrong people 401/403; nothing is stored', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    const other = sessionFor(t, PHONES.lingpanCadre);
    let before = resultState(t);
    for (const body of [{ objectionDays: 0 }, { objectionDays: 'five' }, { objectionDays: 31 }, { objectionDays: 3, extra: 1 }]) {
      const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre, body }), 400, 'invalid_input');
      expect(JSON.stringify(err.details)).toMatch(/objectionDays|extra|\(body\)/);
    }
    await expectError(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: villager }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: other }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/rounds/${roundId}/announce`), 401, 'unauthenticated');
    await expectError(await t.req('POST', `/api/rounds/${roundId}/results`, { cookie: villager }), 403, 'forbidden');
    // Objecting before the announcement: there is nothing public to object to.
    await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(1), text: '打分不公平，请复核。' } }), 404, 'not_found');
    expect(resultState(t)).toEqual(before);

    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre }));
    before = resultState(t);
    const cases: Array<[unknown, string]> = [
      [{ householdId: door(1), text: '短' }, 'text'],
      [{ householdId: door(1), text: 'x'.repeat(1001) }, 'text'],
      [{ householdId: door(1) }, 'text'],
      [{ text: '打分不公平，请复核。' }, 'householdId'],
      [{ householdId: door(1), text: '打分不公平，请复核。', photos: [] }, 'photos'],
    ];
    for (const [body, field] of cases) {
      const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body }), 400, 'invalid_input');
      expect(JSON.stringify(err.details)).toContain(field);
    }
    const stranger = householdByDoor(t, VILLAGES.yangwei, '洋尾村40号').id;
    const notIn = await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: stranger, text: '打分不公平，请复核。' } }), 400, 'household_not_in_results');
    expect(notIn.message).toContain('公示名单');
    await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { body: { householdId: door(1), text: '打分不公平，请复核。' } }), 401, 'unauthenticated');
    expect(resultState(t)).toEqual(before);

    const { objection } = await ok<{ objection: { id: string } }>(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(1), text: '打分不公平，请复核。' } }), 201);
    before = resultState(t);
    await expectError(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: true } }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: 'yes', reason: '属实。' } }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: villager, body: { uphold: true, reason: '我自己说了算。' } }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/objections/no-such/decision`, { cookie: cadre, body: { uphold: true, reason: '属实。' } }), 404, 'not_found');
    expect(resultState(t)).toEqual(before);
    // The objector sees their own objection; another villager sees none of it; the cadre sees all, with who objected (to call them).
    const mine = await ok<{ objections: Array<{ mine: boolean; objector: string | null }> }>(await t.req('GET', `/api/rounds/${roundId}/objections`, { cookie: villager }));
    expect(mine.objections.map((o) => [o.mine, o.objector])).toEqual([[true, null]]);
    const others = await ok<{ objections: unknown[] }>(await t.req('GET', `/api/rounds/${roundId}/objections`, { cookie: sessionFor(t, PHONES.yangwei(31)) }));
    expect(others.objections).toEqual([]);
    const all = await ok<{ objections: Array<{ objector: string | null }> }>(await t.req('GET', `/api/rounds/${roundId}/objections`, { cookie: cadre }));
    const family = t.db.$client
      .prepare(`select h.head_name as n, h.door_number as d from households h join household_members m on m.household_id = h.id where m.account_id = ?`)
      .get(accountId(t, PHONES.yangwei(30))) as { n: string; d: string };
    expect(all.objections[0]!.objector).toBe(`${PHONES.yangwei(30)}（${family.n}家 · ${family.d}）`);
  });
});

describe('honor plates', () => {
  async function h1() {
    const t = makeApp({ history: true });
    const campaignId = campaignOf(t, H1);
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    return { t, campaignId, cadre };
  }

  it('issuing a plate twice for one household and period is 409; the demo half-year already has its plates', async () => {
    const { t, campaignId, cadre } = await h1();
    const before = resultState(t);
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2026H1' } }), 409, 'plate_already_issued');
    const one = householdByDoor(t, VILLAGES.yangwei, '洋尾村1号').id;
    const again = await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2026H1', householdIds: [one] } }), 409, 'plate_already_issued');
    expect(again.details).toMatchObject({ householdIds: [one] });
    expect(resultState(t)).toEqual(before);
    // A revoked plate may be issued again (a new serial); a household without stars may not have one.
    const six = householdByDoor(t, VILLAGES.yangwei, '洋尾村6号').id;
    const { plates } = await ok<{ plates: Array<{ serial: string; status: string }> }>(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2026H1', householdIds: [six] } }), 201);
    expect(plates[0]!.serial).toBe('350582-YW-2026H1-0007');
    const four = householdByDoor(t, VILLAGES.yangwei, '洋尾村4号').id;
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2026H1', householdIds: [four] } }), 400, 'not_eligible');
  });

  it('bad plate requests: both or neither of period and roundId, a bad period, a round not final, a villager → 4xx', async () => {
    const { t, campaignId, cadre } = await h1();
    const before = resultState(t);
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: {} }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2026H3' } }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2026H1', roundId: 'x' } }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: cadre, body: { period: '2025H2' } }), 404, 'not_found');
    await expectError(await t.req('POST', `/api/campaigns/${campaignId}/plates`, { cookie: sessionFor(t, PHONES.yangwei(1)), body: { period: '2026H1' } }), 403, 'forbidden');
    const h2 = campaignOf(t, H2);
    const oct = roundOf(t, h2, '2026-10');
    await ok(await t.req('POST', `/api/rounds/${oct}/results`, { cookie: cadre }));
    const afterDraft = resultState(t);
    await expectError(await t.req('POST', `/api/campaigns/${h2}/plates`, { cookie: cadre, body: { roundId: oct } }), 409, 'results_not_final');
    expect(resultState(t)).toEqual(afterDraft);
    expect(before.plates).toEqual(afterDraft.plates);
  });

  it('revoking without a reason is 400; with one the verification says so; an unknown serial is 404', async () => {
    const { t, cadre } = await h1();
    const serial = '350582-YW-2026H1-0001';
    const before = resultState(t);
    await expectError(await t.req('POST', `/api/plates/${serial}/revoke`, { cookie: cadre, body: {} }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/plates/${serial}/revoke`, { cookie: cadre, body: { reason: ' ' } }), 400, 'invalid_input');
    await expectError(await t.req('POST', `/api/plates/${serial}/revoke`, { cookie: sessionFor(t, PHONES.yangwei(1)), body: { reason: '不符合要求。' } }), 403, 'forbidden');
    expect(resultState(t)).toEqual(before);
    const { plate } = await ok<{ plate: { status: string; statusLabel: string; revokedReason: string } }>(await t.req('POST', `/api/plates/${serial}/revoke`, { cookie: cadre, body: { reason: '门牌信息有误，需重新制作。' } }));
    expect([plate.status, plate.statusLabel, plate.revokedReason]).toEqual(['revoked', '已撤销', '门牌信息有误，需重新制作。']);
    await expectError(await t.req('POST', `/api/plates/${serial}/revoke`, { cookie: cadre, body: { reason: '再撤一次。' } }), 409, 'plate_revoked');
    await expectError(await t.req('GET', '/api/plates/350582-YW-2026H1-9999'), 404, 'not_found');
    await expectError(await t.req('GET', '/api/plates/350582-YW-2026H1-9999.pdf'), 404, 'not_found');
    await expectError(await t.req('GET', '/api/plates/not-a-serial'), 404, 'not_found');
    await expectError(await t.req('GET', `/api/plates/${'9'.repeat(300)}.svg`), 404, 'not_found');
  });

  it('a revoked plate is replaced by a new one (a new serial) for its household, once; the list says what still waits', async () => {
    const { t, campaignId, cadre } = await h1();
    const listing = async () => ok<{ plates: Array<{ serial: string; status: string }>; waiting: number; reissuable: string[] }>(await t.req('GET', `/api/campaigns/${campaignId}/plates?period=2026H1`, { cookie: cadre }));
    // the demo: every star household has had a plate; 洋尾村6号's was revoked
    const revoked = t.db.$client.prepare(`select serial, household_id as householdId from plates where status = 'revoked'`).get() as { serial: string; householdId: string };
    expect(await listing()).toMatchObject({ waiting: 0, reissuable: [revoked.serial] });

    const serial = '350582-YW-2026H1-0001';
    const before = resultState(t);
    await expectError(await t.req('POST', `/api/plates/${serial}/reissue`, { cookie: cadre }), 409, 'plate_not_revoked');
    await expectError(await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: sessionFor(t, PHONES.yangwei(1)) }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: sessionFor(t, PHONES.lingpanCadre) }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/plates/${revoked.serial}/reissue`), 401, 'unauthenticated');
    await expectError(await t.req('POST', '/api/plates/350582-YW-2026H1-9999/reissue', { cookie: cadre }), 404, 'not_found');
    expect(resultState(t)).toEqual(before);

    const { plate } = await ok<{ plate: { serial: string; status: string } }>(await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: cadre }), 201);
    expect(plate).toMatchObject({ serial: '350582-YW-2026H1-0007', status: 'issued' });
    expect((t.db.$client.prepare(`select household_id as h from plates where serial = ?`).get(plate.serial) as { h: string }).h).toBe(revoked.householdId);
    const after = await listing();
    expect(after.plates.find((p) => p.serial === revoked.serial)!.status).toBe('revoked');
    expect(after).toMatchObject({ waiting: 0, reissuable: [] });
    // whoever scans the revoked plate is led to the new one; it stays revoked
    const scanned = await ok<{ plate: { status: string; supersededBy: string | null } }>(await t.req('GET', `/api/plates/${revoked.serial}`));
    expect(scanned.plate).toMatchObject({ status: 'revoked', supersededBy: plate.serial });
    // once is enough: the household holds a valid plate again
    await expectError(await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: cadre }), 409, 'plate_already_issued');
    // the audit log follows the revoked plate to the one that replaced it
    expect(recordsAltered(t)).toEqual([]);
  });

  it('each line of the public star result names its plate, so a revoked one is not shown as a valid honour', async () => {
    const { t, campaignId, cadre } = await h1();
    type Lines = { result: { lines: Array<{ householdId: string; stars: number; plate: { serial: string; status: string } | null }> } };
    const plateOf = async () => new Map((await ok<Lines>(await t.req('GET', `/api/campaigns/${campaignId}/stars/2026H1`))).result.lines.map((l) => [l.householdId, l.plate]));
    const revoked = t.db.$client.prepare(`select serial, household_id as householdId from plates where status = 'revoked'`).get() as { serial: string; householdId: string };
    const lines = await plateOf();
    // six star households, each with its plate; 6号's revoked; no plate for a household without stars
    expect([...lines.values()].filter((p) => p?.status === 'issued')).toHaveLength(5);
    expect(lines.get(revoked.householdId)).toEqual({ serial: revoked.serial, status: 'revoked' });
    expect(lines.get(householdByDoor(t, VILLAGES.yangwei, '洋尾村4号').id)).toBeNull();
    // once reissued, the line leads to the new plate
    const { plate } = await ok<{ plate: { serial: string } }>(await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: cadre }), 201);
    expect((await plateOf()).get(revoked.householdId)).toEqual({ serial: plate.serial, status: 'issued' });
  });

  it('the public verification shows the plate, its status and the result behind it; the SVG carries the name and a QR code', async () => {
    const { t } = await h1();
    const serial = (t.db.$client.prepare(`select serial from plates where household_id = ?`).get(householdByDoor(t, VILLAGES.yangwei, '洋尾村1号').id) as { serial: string }).serial;
    const { plate } = await ok<{ plate: { holderName: string; status: string; verifyUrl: string; result: { reason: string; period: string } } }>(await t.req('GET', `/api/plates/${serial}`));
    expect(plate.status).toBe('issued');
    expect(plate.holderName).toBe(householdByDoor(t, VILLAGES.yangwei, '洋尾村1号').headName);
    expect(plate.verifyUrl).toBe(`http://localhost:8787/plates/${serial}`);
    expect(plate.result.reason).toContain('评为 5 星级庭院');
    const svg = await t.req('GET', `/api/plates/${serial}.svg`);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const text = await svg.text();
    expect(text).toContain(plate.holderName);
    expect(text).toContain('2026年上半年');
    expect(text).toContain('<path d="M');
  });

  it('the batch export lists the plates to make as CSV (formula-safe), the same as its PDF, and the cadre only', async () => {
    const { t, campaignId, cadre } = await h1();
    const res = await t.req('GET', `/api/campaigns/${campaignId}/plates/export.csv?period=2026H1`, { cookie: cadre });
    expect(res.status).toBe(200);
    // Saved under a Chinese name beside the village's other spreadsheets, with a plain one for old browsers.
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="plates-2026H1.csv"; filename*=UTF-8''${encodeURIComponent('荣誉门牌-2026H1.csv')}`);
    const csv = await res.text();
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toContain('编号');
    // The demo's revoked plate is not made again: the maker gets the valid ones, as in the PDF.
    const valid = t.db.$client.prepare(`select p.serial from plates p join results r on r.id = p.result_id where r.campaign_id = ? and r.period = '2026H1' and p.status = 'issued'`).all(campaignId) as Array<{ serial: string }>;
    const revoked = t.db.$client.prepare(`select p.serial from plates p join results r on r.id = p.result_id where r.campaign_id = ? and r.period = '2026H1' and p.status = 'revoked'`).all(campaignId) as Array<{ serial: string }>;
    expect(revoked.length).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => r.split(',')[0]).sort()).toEqual(valid.map((v) => v.serial).sort());
    const pdf = await t.req('GET', `/api/campaigns/${campaignId}/plates/export.pdf?period=2026H1`, { cookie: cadre });
    expect(pdf.status).toBe(200);
    const pages = (Buffer.from(await pdf.arrayBuffer()).toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(valid.length);
    await expectError(await t.req('GET', `/api/campaigns/${campaignId}/plates/export.csv?period=2026H1`, { cookie: sessionFor(t, PHONES.yangwei(1)) }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/campaigns/${campaignId}/plates/export.csv?period=2026-01`, { cookie: cadre }), 400, 'invalid_input');
  });
});

describe('rewards', () => {
  it('marked paid once with the day, payer and note; bad input and a second time are refused', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const ledger = await ok<{ rewards: Array<{ id: string; status: string; amountFen: number | null; household: { doorNumber: string } }>; totals: { pendingFen: number; paidFen: number } }>(
      await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre }),
    );
    const r = ledger.rewards.find((x) => x.status === 'pending')!;
    // The form's default day is the server's today (the test clock: 2026-11-27 10:00 in China).
    expect((ledger as unknown as { today: string }).today).toBe('2026-11-27');
    const before = resultState(t);
    for (const [body, code, field] of [
      [{ paidOn: '2026-13-01', payer: '陈会计' }, 'invalid_date', 'paidOn'],
      [{ paidOn: '2026-02-30', payer: '陈会计' }, 'invalid_date', 'paidOn'],
      [{ paidOn: '27/11/2026', payer: '陈会计' }, 'invalid_input', 'paidOn'],
      [{ paidOn: '2026-11-27' }, 'invalid_input', 'payer'],
      [{ paidOn: '2026-11-27', payer: '陈会计', note: 'x'.repeat(201) }, 'invalid_input', 'note'],
      // Tomorrow, by the server's clock: a cadre's phone running ahead must not date a payment.
      [{ paidOn: '2026-11-28', payer: '陈会计' }, 'paid_in_future', 'paidOn'],
    ] as Array<[unknown, string, string]>) {
      const err = await expectError(await t.req('POST', `/api/rewards/${r.id}/paid`, { cookie: cadre, body }), 400, code);
      expect(JSON.stringify(err.details)).toContain(field);
    }
    await expectError(await t.req('POST', `/api/rewards/${r.id}/paid`, { cookie: sessionFor(t, PHONES.lingpanCadre), body: { paidOn: '2026-11-27', payer: '陈会计' } }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: sessionFor(t, PHONES.yangwei(1)) }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/rewards?village=abc`, { cookie: cadre }), 400, 'invalid_input');
    expect(resultState(t)).toEqual(before);
    const { reward } = await ok<{ reward: { status: string; paidOn: string; payer: string } }>(await t.req('POST', `/api/rewards/${r.id}/paid`, { cookie: cadre, body: { paidOn: '2026-11-27', payer: '陈会计', note: '现金发放，本人签收' } }));
    expect([reward.status, reward.paidOn, reward.payer]).toEqual(['paid', '2026-11-27', '陈会计']);
    await expectError(await t.req('POST', `/api/rewards/${r.id}/paid`, { cookie: cadre, body: { paidOn: '2026-11-26', payer: '陈会计' } }), 409, 'reward_paid');
    const after = await ok<{ totals: { pendingFen: number; paidFen: number } }>(await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre }));
    expect(after.totals.paidFen).toBe(ledger.totals.paidFen + r.amountFen!);
    expect(after.totals.pendingFen).toBe(ledger.totals.pendingFen - r.amountFen!);
  });
});

describe('rewards paid together', () => {
  type Ledger = { rewards: Array<{ id: string; status: string; label: string; amountFen: number | null; paidOn: string | null; payer: string | null; household: { headName: string; doorNumber: string } }>; totals: { pendingFen: number; paidFen: number } };
  const ledgerOf = async (t: TestApp, cadre: string) => ok<Ledger>(await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre }));
  const payMany = (t: TestApp, cookie: string, body: unknown) => t.req('POST', '/api/rewards/paid', { cookie, body });

  it('a month’s winners are recorded paid in one step: one day, one payer, one audit row each', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const ledger = await ledgerOf(t, cadre);
    const pending = ledger.rewards.filter((r) => r.status === 'pending');
    const label = pending[0]!.label;
    const month = pending.filter((r) => r.label === label);
    expect(month.length).toBeGreaterThan(2);
    const auditBefore = (t.db.$client.prepare(`select count(*) as n from audit_log where action = 'reward.paid'`).get() as { n: number }).n;

    // The same id twice is one reward, paid once.
    const ids = month.map((r) => r.id);
    const { rewards } = await ok<{ rewards: Ledger['rewards'] }>(await payMany(t, cadre, { rewardIds: [...ids, ids[0]], paidOn: '2026-11-26', payer: '陈会计', note: '村民大会上现金发放' }));
    expect(rewards.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rewards.every((r) => r.status === 'paid' && r.paidOn === '2026-11-26' && r.payer === '陈会计')).toBe(true);
    const after = await ledgerOf(t, cadre);
    const sum = month.reduce((n, r) => n + (r.amountFen ?? 0), 0);
    expect(after.totals).toEqual({ pendingFen: ledger.totals.pendingFen - sum, paidFen: ledger.totals.paidFen + sum });
    expect(after.rewards.filter((r) => r.label === label).every((r) => r.status === 'paid')).toBe(true);
    expect((t.db.$client.prepare(`select count(*) as n from audit_log where action = 'reward.paid'`).get() as { n: number }).n).toBe(auditBefore + ids.length);

    // Each household is told, as a receipt, in its inbox and by SMS; its results say paid.
    const member = t.db.$client
      .prepare(`select a.phone from household_members m join accounts a on a.id = m.account_id join rewards w on w.household_id = m.household_id where w.id = ? limit 1`)
      .get(month[0]!.id) as { phone: string };
    const text = `村里已登记：您家「${label}」的奖励（${month[0]!.amountFen! / 100}.00 元）已于 2026年11月26日 发放，发放人：陈会计。如果没有收到，请联系村干部。`;
    const inbox = await ok<{ notifications: Array<{ kind: string; payload: { text: string }; read: boolean }> }>(await t.req('GET', '/api/me/notifications', { cookie: sessionFor(t, member.phone) }));
    // (the demo's earlier payments left read notices of the same kind)
    expect(inbox.notifications.filter((n) => n.kind === 'reward_paid' && !n.read).map((n) => n.payload.text)).toEqual([text]);
    expect(t.db.$client.prepare(`select count(*) as n from outbox where recipient = ? and body = ?`).get(member.phone, `【美丽庭院】${text}`)).toEqual({ n: 1 });
    const mine = await ok<{ results: Array<{ periodLabel: string; reward: { status: string; paidOn: string | null; amountFen: number | null } | null }> }>(await t.req('GET', '/api/me/results', { cookie: sessionFor(t, member.phone) }));
    expect(mine.results.find((r) => label.startsWith(r.periodLabel))?.reward).toEqual({ amountFen: month[0]!.amountFen, goods: null, status: 'paid', paidOn: '2026-11-26' });
  });

  it('refused whole, with nothing paid: a reward already paid (named), an unknown id (named), another village’s cadre, a villager, no ids, a bad or future day', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const pending = (await ledgerOf(t, cadre)).rewards.filter((r) => r.status === 'pending');
    const [first, second, third] = pending;
    await ok(await t.req('POST', `/api/rewards/${first!.id}/paid`, { cookie: cadre, body: { paidOn: '2026-11-20', payer: '陈会计' } }));
    const before = resultState(t);
    const body = (rewardIds: unknown, extra: Record<string, unknown> = {}) => ({ rewardIds, paidOn: '2026-11-27', payer: '陈会计', ...extra });

    const paid = await expectError(await payMany(t, cadre, body([second!.id, first!.id, third!.id])), 409, 'reward_paid');
    expect(paid.message).toBe(`这些奖励已经登记过发放，不能重复登记：${first!.household.headName}（${first!.household.doorNumber}，${first!.label}，2026-11-20 已发放）。请刷新后重新选择。`);
    const unknown = await expectError(await payMany(t, cadre, body([second!.id, 'rw_nosuch'])), 400, 'unknown_rewards');
    expect(unknown.message).toBe('找不到这些奖励：rw_nosuch。');
    expect(fieldsOf(unknown)).toContain('rewardIds');
    for (const who of [sessionFor(t, PHONES.lingpanCadre), sessionFor(t, PHONES.yangwei(1))]) {
      const err = await expectError(await payMany(t, who, body([second!.id])), 403, 'forbidden');
      expect(err.message).toBe('只有本村村干部可以登记奖励发放。');
    }
    for (const [b, code, field] of [
      [body([]), 'invalid_input', 'rewardIds'],
      [body(second!.id), 'invalid_input', 'rewardIds'],
      [body([second!.id], { paidOn: '2026-02-30' }), 'invalid_date', 'paidOn'],
      [body([second!.id], { paidOn: '2026-11-28' }), 'paid_in_future', 'paidOn'],
      [body([second!.id], { payer: ' ' }), 'invalid_input', 'payer'],
      [body([second!.id], { amountFen: 0 }), 'invalid_input', 'amountFen'],
    ] as Array<[unknown, string, string]>) {
      const err = await expectError(await payMany(t, cadre, b), 400, code);
      expect(JSON.stringify(err.details)).toContain(field);
    }
    await expectError(await t.req('POST', '/api/rewards/paid', { body: body([second!.id]) }), 401, 'unauthenticated');
    expect(resultState(t)).toEqual(before);
  });
});

describe('town dashboard', () => {
  it('gives the town admin per-village, per-month figures and CSV; anyone else is refused', async () => {
    const t = makeApp({ history: true });
    const admin = sessionFor(t, '13900000001');
    const d = await ok<{ months: string[]; villages: Array<{ id: string; households: number; months: Array<{ month: string; entries: number; qualified: number; awarded: number; meanScore: string | null }> }> }>(
      await t.req('GET', '/api/towns/350582102/dashboard?from=2026-01&to=2026-06', { cookie: admin }),
    );
    expect(d.months).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    const yw = d.villages.find((v) => v.id === VILLAGES.yangwei)!;
    expect(yw.households).toBe(60);
    // January: 8 entries, all qualified (no threshold in the first half), awarded 1 2 3 5 6 8 (≥ 80), mean (93+88+84+72+91+81+75+96)/8 = 85.0.
    expect(yw.months[0]).toEqual({ month: '2026-01', entries: 8, qualified: 8, awarded: 6, meanScore: '85.0' });
    // Over the half-year each family counts once: households 1–8 made 43 monthly entries between
    // them (5号 and 6号 missed some months); 4号 and 7号 never reached the pass mark of 80.
    expect(yw.months.reduce((n, c) => n + c.entries, 0)).toBe(43);
    expect((yw as unknown as { overRange: unknown }).overRange).toEqual({ entered: 8, qualified: 8, awarded: 6 });
    // What waits for each village's cadre today, whatever the months asked for (as its console shows).
    const todo = (id: string) => (d.villages.find((v) => v.id === id) as unknown as { todo: unknown }).todo;
    expect(todo(VILLAGES.yangwei)).toMatchObject({ households: 0, photos: 1, likes: 12, scoring: 0, objections: 0, results: 1, rewards: 6, roundOf: { scoring: null } });
    expect(await ok(await t.req('GET', `/api/villages/${VILLAGES.yangwei}/todo`, { cookie: admin }))).toEqual(todo(VILLAGES.yangwei));
    const nothing = { households: 0, photos: 0, likes: 0, scoring: 0, objections: 0, results: 0, rewards: 0, roundOf: { photos: null, scoring: null } };
    for (const v of d.villages.filter((v) => v.id !== VILLAGES.yangwei)) expect(todo(v.id), v.id).toEqual(nothing);
    const csv = await t.req('GET', '/api/towns/350582102/dashboard.csv?from=2026-01&to=2026-06', { cookie: admin });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain('洋尾村,350582102207,2026-01,60,8,8,6,85.0');
    await expectError(await t.req('GET', '/api/towns/350582102/dashboard', { cookie: sessionFor(t, PHONES.yangweiCadre) }), 403, 'forbidden');
    await expectError(await t.req('GET', '/api/towns/350582105/dashboard', { cookie: admin }), 403, 'forbidden');
    await expectError(await t.req('GET', '/api/towns/350582102/dashboard?from=2026-07&to=2026-01', { cookie: admin }), 400, 'invalid_range');
    await expectError(await t.req('GET', '/api/towns/350582102/dashboard?from=2024-01&to=2026-12', { cookie: admin }), 400, 'invalid_range');
    await expectError(await t.req('GET', '/api/towns/350582102/dashboard?from=2026-1', { cookie: admin }), 400, 'invalid_input');
    await expectError(await t.req('GET', '/api/towns/35058210/dashboard', { cookie: admin }), 400, 'invalid_input');
  });

  it("lists each village's half-year star courtyards by level and how many have a valid plate, across the town", async () => {
    const t = makeApp({ history: true });
    const admin = sessionFor(t, '13900000001');
    type Stars = Array<{ campaignId: string; period: string; status: string; byStars: Array<{ stars: number; households: number }>; plates: number; platesWaiting: number }>;
    const starsOf = async (range: string) =>
      new Map((await ok<{ villages: Array<{ id: string; stars: Stars }> }>(await t.req('GET', `/api/towns/350582102/dashboard?${range}`, { cookie: admin }))).villages.map((v) => [v.id, v.stars]));
    const h1 = await starsOf('from=2026-01&to=2026-06');
    // the demo's first half-year: 洪 and 陈 five stars, 吴 and 林 four, 黄 and 蔡 three; 蔡's plate was revoked
    expect(h1.get(VILLAGES.yangwei)).toEqual([
      {
        campaignId: expect.any(String),
        period: '2026H1',
        periodLabel: '2026年上半年',
        status: 'final',
        byStars: [{ stars: 5, households: 2 }, { stars: 4, households: 2 }, { stars: 3, households: 2 }],
        plates: 5,
        platesWaiting: 1,
      },
    ]);
    for (const [id, stars] of h1) if (id !== VILLAGES.yangwei) expect(stars, id).toEqual([]);
    // a range that touches the half-year by one month still shows it; the second half-year has no stars yet
    expect((await starsOf('from=2026-06&to=2026-07')).get(VILLAGES.yangwei)!.map((s) => s.period)).toEqual(['2026H1']);
    expect((await starsOf('from=2026-07&to=2026-12')).get(VILLAGES.yangwei)).toEqual([]);

    // the revoked plate made again: no household waits any more
    const revoked = t.db.$client.prepare(`select serial from plates where status = 'revoked'`).get() as { serial: string };
    await ok(await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: sessionFor(t, PHONES.yangweiCadre) }), 201);
    expect((await starsOf('from=2026-01&to=2026-06')).get(VILLAGES.yangwei)![0]).toMatchObject({ plates: 6, platesWaiting: 0 });
  });

  it('without a range it shows the half-year the server is in, whatever the phone thinks', async () => {
    const t = makeApp({ history: true });
    // A fresh session each time: sessions end as the clock moves on by months.
    const months = async () => (await ok<{ months: string[] }>(await t.req('GET', '/api/towns/350582102/dashboard', { cookie: sessionFor(t, '13900000001') }))).months;
    expect(await months()).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    t.clock.set(Date.parse('2027-03-15T09:00:00+08:00'));
    expect(await months()).toEqual(['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    // The last hour of June 30 in China is still the first half-year.
    t.clock.set(Date.parse('2027-06-30T23:30:00+08:00'));
    expect((await months())[0]).toBe('2027-01');
  });
});

describe('objection photos', () => {
  const send = (t: TestApp, cookie: string | undefined, objectionId: string, file: Uint8Array, type = 'image/jpeg') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)], { type }), 'photo.jpg');
    return Promise.resolve(t.app.request(`/api/objections/${objectionId}/photos`, { method: 'POST', headers: { origin: 'http://localhost', ...(cookie ? { cookie } : {}) }, body: form }));
  };

  it('the objector adds photos (re-encoded), seen by them and the cadre only; others are refused and nothing is stored', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre }));
    const { objection } = await ok<{ objection: { id: string } }>(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(8), text: '花是借来摆的，请复核。' } }), 201);
    const photo = await makeJpeg(640, 480, { seed: 77, exif: true });
    const count = () => (t.db.$client.prepare(`select count(*) n from objection_photos`).get() as { n: number }).n;
    await expectError(await send(t, cadre, objection.id, photo), 403, 'forbidden');
    await expectError(await send(t, undefined, objection.id, photo), 401, 'unauthenticated');
    await expectError(await send(t, villager, objection.id, new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'), 415, 'unsupported_photo_type');
    expect(count()).toBe(0);
    const added = await ok<{ objection: { photos: Array<{ thumbUrl: string }> } }>(await send(t, villager, objection.id, photo), 201);
    expect(added.objection.photos).toHaveLength(1);
    const url = added.objection.photos[0]!.thumbUrl;
    expect((await t.req('GET', url, { cookie: villager })).status).toBe(200);
    expect((await t.req('GET', url, { cookie: cadre })).status).toBe(200);
    expect((await t.req('GET', url)).status).toBe(404);
    expect((await t.req('GET', url, { cookie: sessionFor(t, PHONES.yangwei(31)) })).status).toBe(404);
    // Once settled, no more photos.
    await ok(await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: false, reason: '复核属实，花是自家种的。' } }));
    await expectError(await send(t, villager, objection.id, photo), 404, 'not_found');
    expect(count()).toBe(1);
  });

  it('six at most: a seventh is refused before it is received and processed, and leaves no file', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre }));
    const { objection } = await ok<{ objection: { id: string; maxPhotos: number } }>(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(8), text: '花是借来摆的，请复核。' } }), 201);
    expect(objection.maxPhotos).toBe(6);
    for (let i = 1; i <= 6; i++) await ok(await send(t, villager, objection.id, await makeJpeg(320, 240, { seed: 100 + i })), 201);
    const files = () => readdirSync(join(t.dataDir, 'photos'), { recursive: true }).length;
    const before = files();
    await expectError(await send(t, villager, objection.id, await makeJpeg(320, 240, { seed: 200 })), 409, 'too_many_photos');
    expect(files()).toBe(before);
    expect((t.db.$client.prepare(`select count(*) n from objection_photos`).get() as { n: number }).n).toBe(6);
  });
});

describe('an award has one name', () => {
  it('the reward ledger names each half-year star award exactly as its plate does', () => {
    const t = makeApp({ history: true });
    const pairs = t.db.$client
      .prepare(
        `select w.label, p.title from rewards w join results r on r.id = w.result_id join plates p on p.result_id = w.result_id and p.household_id = w.household_id
          where r.kind = 'half_year'`,
      )
      .all() as Array<{ label: string; title: string }>;
    expect(pairs.length).toBeGreaterThan(3);
    for (const { label, title } of pairs) expect(label).toBe(title);
    expect(pairs.map((p) => p.label)).toContain('2026年上半年 五星级美丽庭院');
  });
});

describe('objections cannot be used to hold results up', () => {
  const objections = (t: TestApp) => (t.db.$client.prepare(`select count(*) n from objections`).get() as { n: number }).n;

  it('one open objection per person and household: a second is refused until the first is settled', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre }));
    const first = await ok<{ objection: { id: string } }>(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(8), text: '花是借来摆的，请复核。' } }), 201);
    const again = await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(8), text: '再说一遍：花是借来摆的。' } }), 409, 'objection_pending');
    // 洋尾村's own campaign: the village answers
    expect(again.message).toContain('请等村里答复');
    expect(objections(t)).toBe(1);
    // Another household, or another person on the same household, is a separate objection.
    await ok(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(1), text: '门口杂物没有清理，请复核。' } }), 201);
    await ok(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: sessionFor(t, PHONES.yangwei(31)), body: { householdId: door(8), text: '我也看到花是借来的。' } }), 201);
    // Once the first is settled, the person may object to that household again.
    await ok(await t.req('POST', `/api/objections/${first.objection.id}/decision`, { cookie: cadre, body: { uphold: false, reason: '复核属实，花是自家种的。' } }));
    await ok(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(8), text: '有新的照片，请再看看。' } }), 201);
    expect(objections(t)).toBe(4);
  });

  it('an account files at most 10 objections an hour: the 11th is 429 with Retry-After, and nothing is written', async () => {
    const { t, roundId, cadre, villager, door } = await october();
    await ok(await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre }));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) await ok(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(n), text: `第 ${n} 户请复核。` } }), 201);
    // Refused ones count too: trying again and again is what the limit stops.
    await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(1), text: '第 1 户请复核。' } }), 409, 'objection_pending');
    await expectError(await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(2), text: '第 2 户请复核。' } }), 409, 'objection_pending');
    const limited = await t.req('POST', `/api/rounds/${roundId}/objections`, { cookie: villager, body: { householdId: door(3), text: '第 3 户请复核。' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(limited, 429, 'rate_limited');
    expect(objections(t)).toBe(8);
  });
});

describe('monthly award plates (when the campaign gives them) and superseding', () => {
  it('refused unless the campaign says so; then each month’s plate supersedes the last month’s, and star plates stay', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const h2 = campaignOf(t, H2);
    const [aug, sep] = [roundOf(t, h2, '2026-08'), roundOf(t, h2, '2026-09')];
    await expectError(await t.req('POST', `/api/campaigns/${h2}/plates`, { cookie: cadre, body: { roundId: aug } }), 409, 'no_monthly_plates');
    t.db.$client.prepare(`update campaigns set rules = json_set(rules, '$.monthlyPlates', json('true')) where id = ?`).run(h2);
    const first = await ok<{ plates: Array<{ serial: string; title: string; holderName: string }> }>(await t.req('POST', `/api/campaigns/${h2}/plates`, { cookie: cadre, body: { roundId: aug } }), 201);
    expect(first.plates[0]!.serial).toMatch(/^350582-YW-202608-0001$/);
    expect(first.plates[0]!.title).toBe('2026年8月 美丽庭院');
    const second = await ok<{ plates: Array<{ serial: string; holderName: string }> }>(await t.req('POST', `/api/campaigns/${h2}/plates`, { cookie: cadre, body: { roundId: sep } }), 201);
    const one = householdByDoor(t, VILLAGES.yangwei, '洋尾村1号');
    const mine = t.db.$client.prepare(`select serial, status, superseded_by as by, stars from plates where household_id = ? order by issued_at, serial`).all(one.id) as Array<{ serial: string; status: string; by: string | null; stars: number }>;
    const augPlate = mine.find((p) => p.serial.includes('202608'))!;
    const sepPlate = mine.find((p) => p.serial.includes('202609'))!;
    expect(augPlate).toMatchObject({ status: 'superseded', by: sepPlate.serial });
    expect(sepPlate.status).toBe('issued');
    // The first half-year's star plate is not a monthly plate: it stays valid.
    expect(mine.find((p) => p.stars === 5)!.status).toBe('issued');
    const { plate } = await ok<{ plate: { statusLabel: string; supersededBy: string } }>(await t.req('GET', `/api/plates/${augPlate.serial}`));
    expect([plate.statusLabel, plate.supersededBy]).toEqual(['已被新门牌取代', sepPlate.serial]);
    expect(second.plates.length).toBeGreaterThan(0);
    await expectError(await t.req('POST', `/api/plates/${augPlate.serial}/revoke`, { cookie: cadre, body: { reason: '已被取代的门牌。' } }), 409, 'plate_superseded');
    expect(recordsAltered(t)).toEqual([]);
  });
});
