import { describe, expect, it } from 'vitest';
import { addPhoto, createEntry, submitEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { currentRound, expectError, PHONES, submittedEntry, VILLAGES } from '../support/entries.ts';
import { accountId, directEntry, sessionFor } from '../support/likes.ts';
import { fieldsOf } from './helpers.ts';

// DESIGN §3 (Panel, Score sheet, Aggregation), §4 (independence, recusal, quorum, comments at
// the extremes, the panel's queue with due dates), §6 (panels, inspections, score sheets).
// Scenery (sessions, entries of families) is written directly; scoring always goes through the API.

const PANEL = {
  town: '13900000021', // 王志强 镇干部
  village: '13900000022', // 陈丽珍 村干部
  grid: '13900000023', // 林国华 网格员
  repA: '13900000024', // 许阿婆 村民代表
  repB: '13900000025', // 蔡德明 村民代表
} as const;
const MEMBERS = [PANEL.town, PANEL.village, PANEL.grid, PANEL.repA, PANEL.repB];
const YANGWEI_PANEL_MEMBER = '13900000011';
const DAY = 86_400_000;

interface SheetView {
  id: string;
  member: string;
  role: string;
  passed: boolean;
  points: Record<string, number>;
  comment: string;
  submittedAt: string;
  updatedAt: string;
  revisedAfterViewing: { at: string; reason: string; original: { passed: boolean; points: Record<string, number>; comment: string } } | null;
}
interface Score {
  sheets: number;
  quorum: number;
  ranked: boolean;
  disqualified: boolean;
  failedChecks: number;
  total: string | null;
  explanation: string;
  criteria: Array<{ key: string; name: string; max: number; mean: string; values: number[]; dropped: { high: number; low: number } | null; spreadFlag: boolean; explanation: string }>;
}
interface QueueItem {
  entryId: string;
  householdLabel: string;
  headName: string;
  doorNumber: string;
  qualifiedAt: string | null;
  dueAt: string;
  overdue: boolean;
  sheetsIn: number;
  recused: boolean;
  mySheet: { passed: boolean; points: Record<string, number>; comment: string; idempotencyKey: string } | null;
  entry: { id: string; status: string };
}

let keySeq = 0;
const newKey = () => `sheet-key-${++keySeq}-${Math.random().toString(36).slice(2, 8)}`;
const iso = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 23)}+08:00`;

/** A sheet body as the phone sends it; points default to a plain, unremarkable visit. */
function body(points: Record<string, unknown> = { hygiene: 32, beautification: 24, openness: 11, culture: 10 }, extra: Record<string, unknown> = {}) {
  return { passed: true, points, comment: '', idempotencyKey: newKey(), ...extra };
}

/** The demo county with 岭畔村's open single evaluation (threshold 0) and sessions for its panel and cadre. */
async function lingpan() {
  const t = makeApp();
  const roundId = await currentRound(t, VILLAGES.lingpan);
  const village = (await (await t.req('GET', `/api/villages/${VILLAGES.lingpan}`)).json()) as { campaigns: Array<{ id: string; status: string }> };
  const campaignId = village.campaigns.find((c) => c.status === 'open')!.id;
  const cookies = Object.fromEntries(MEMBERS.map((p) => [p, sessionFor(t, p)])) as Record<string, string>;
  const cadre = sessionFor(t, PHONES.lingpanCadre);
  return { t, roundId, campaignId, cookies, cadre };
}

function householdOf(t: TestApp, doorNumber: string): string {
  const row = t.db.$client.prepare(`select id from households where village_id = ? and door_number = ?`).get(VILLAGES.lingpan, doorNumber) as { id: string } | undefined;
  if (!row) throw new Error(`no household ${doorNumber}`);
  return row.id;
}

/** An entry of 岭畔村{n}号 entered by the cadre for the family, with one photo; submitted it qualifies at once (threshold 0). */
function lingpanEntry(t: TestApp, roundId: string, n: number, state: 'draft' | 'qualified' = 'qualified'): string {
  const now = t.clock.now();
  const cadre = accountId(t, PHONES.lingpanCadre);
  const e = createEntry(t.db, { roundId, householdId: householdOf(t, `岭畔村${n}号`), villageId: VILLAGES.lingpan, description: '房前屋后干净整洁。', actorId: cadre, byProxy: true }, now);
  const key = sha256(`scoring-test-photo-${roundId}-${n}`);
  addPhoto(t.db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadre, now);
  if (state === 'draft') return e.id;
  const submitted = submitEntry(t.db, e.id, 0, cadre, now);
  expect(submitted.status).toBe('qualified');
  return e.id;
}

const put = (t: TestApp, cookie: string, entryId: string, b: unknown) => t.req('PUT', `/api/entries/${entryId}/score-sheets/mine`, { cookie, body: b });

/** A sheet that must be taken; the answer. */
async function score(t: TestApp, cookie: string, entryId: string, b: unknown) {
  const res = await put(t, cookie, entryId, b);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as { sheet: SheetView; outcome: 'created' | 'replaced' | 'replayed' };
}

/** Everything a refused sheet must leave as it was: every sheet row, recusals and the audit log's length. */
function sheetState(t: TestApp) {
  const sql = t.db.$client;
  return {
    sheets: sql.prepare(`select * from score_sheets order by id`).all(),
    recusals: sql.prepare(`select * from recusals order by entry_id, account_id`).all(),
    audit: (sql.prepare(`select count(*) as n from audit_log`).get() as { n: number }).n,
  };
}
const sheetCount = (t: TestApp, entryId: string) => (t.db.$client.prepare(`select count(*) as n from score_sheets where entry_id = ?`).get(entryId) as { n: number }).n;
const sheetAudit = (t: TestApp, entryId: string) =>
  (t.db.$client.prepare(`select action from audit_log where subject_id = ? and action like 'sheet.%' order by seq`).all(entryId) as Array<{ action: string }>).map((r) => r.action);

describe('PUT /api/entries/:id/score-sheets/mine: a sheet the rubric does not allow is refused, and nothing is stored', () => {
  const good = { hygiene: 32, beautification: 24, openness: 11, culture: 10 };
  it.each([
    { name: 'points above the maximum', points: { ...good, hygiene: 41 }, status: 400, code: 'invalid_sheet', field: 'points.hygiene', message: /卫生情况.*0 到 40/ },
    { name: 'negative points', points: { ...good, beautification: -3 }, status: 400, code: 'invalid_sheet', field: 'points.beautification', message: /美化情况.*0 到 30/ },
    { name: 'fractional points', points: { ...good, openness: 7.5 }, status: 400, code: 'invalid_sheet', field: 'points.openness', message: /开放情况.*整数/ },
    { name: 'a criterion missing', points: { hygiene: 32, beautification: 24, openness: 11 }, status: 400, code: 'invalid_sheet', field: 'points.culture', message: /请给「文化内涵」打分/ },
    { name: 'an unknown criterion', points: { ...good, garden: 5 }, status: 400, code: 'invalid_sheet', field: 'points.garden', message: /没有「garden」/ },
    { name: 'full marks without a comment', points: { ...good, hygiene: 40 }, status: 400, code: 'invalid_sheet', field: 'comment', message: /满分.*说明/ },
    { name: 'a 0 with only spaces as the comment', points: { ...good, culture: 0 }, comment: '   ', status: 400, code: 'invalid_sheet', field: 'comment', message: /0 分.*说明/ },
    { name: 'points as text', points: { ...good, hygiene: '32' }, status: 400, code: 'invalid_input', field: 'points.hygiene', message: /分数必须是数字/ },
  ])('$name → $status $code', async ({ points, comment, status, code, field, message }) => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    // The town cadre already has a sheet in; the village cadre has none yet.
    const stored = await score(t, cookies[PANEL.town]!, entryId, body(good));
    const before = sheetState(t);

    for (const who of [PANEL.town, PANEL.village]) {
      const err = await expectError(await put(t, cookies[who]!, entryId, body(points, comment === undefined ? {} : { comment })), status, code);
      expect(err.message).toMatch(message);
      expect(fieldsOf(err)).toContain(field);
    }

    expect(sheetState(t)).toEqual(before);
    expect(sheetCount(t, entryId)).toBe(1);
    const list = (await (await t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie: cookies[PANEL.town]! })).json()) as { sheets: SheetView[] };
    expect(list.sheets).toEqual([stored.sheet]);
  });

  it('a sheet without "passed" or without its key is refused with the field named', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const before = sheetState(t);
    const noPassed = await expectError(await put(t, cookies[PANEL.town]!, entryId, { points: good, comment: '', idempotencyKey: newKey() }), 400, 'invalid_input');
    expect(noPassed.message).toContain('实地核实是否通过');
    expect(fieldsOf(noPassed)).toContain('passed');
    const noKey = await expectError(await put(t, cookies[PANEL.town]!, entryId, { passed: true, points: good, comment: '' }), 400, 'invalid_input');
    expect(fieldsOf(noKey)).toContain('idempotencyKey');
    expect(sheetState(t)).toEqual(before);
  });

  it('0 and full marks are taken with a comment, and the comment is kept', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const { sheet, outcome } = await score(t, cookies[PANEL.town]!, entryId, body({ hygiene: 40, beautification: 30, openness: 15, culture: 0 }, { comment: '  卫生满分；没有文化元素。 ' }));
    expect(outcome).toBe('created');
    expect(sheet).toMatchObject({ member: '王志强', role: '镇干部', passed: true, points: { hygiene: 40, beautification: 30, openness: 15, culture: 0 }, comment: '卫生满分；没有文化元素。' });
    expect(sheetCount(t, entryId)).toBe(1);
  });
});

describe('who may score which entry', () => {
  it("a panel member never scores their own household: 403, while others (and they, elsewhere) may", async () => {
    const { t, roundId, campaignId, cookies, cadre } = await lingpan();
    // The cadre forms a second panel with a villager of 岭畔村1号 as villager representative.
    const villager = PHONES.lingpan(1);
    const formed = await t.req('POST', `/api/campaigns/${campaignId}/panels`, {
      cookie: cadre,
      body: {
        name: '岭畔村第二考评组',
        members: [
          { phone: PANEL.town, role: '镇干部', name: '王志强' },
          { phone: PANEL.grid, role: '网格员', name: '林国华' },
          { phone: villager, role: '村民代表', name: '吴阿水' },
        ],
      },
    });
    expect(formed.status, await formed.clone().text()).toBe(201);
    // The villager's family enters its own courtyard; with threshold 0 it qualifies at once.
    const { cookie, entry } = await submittedEntry(t, villager, roundId);
    expect(entry.status).toBe('qualified');
    const neighbour = lingpanEntry(t, roundId, 2);

    const before = sheetState(t);
    const err = await expectError(await put(t, cookie, entry.id, body()), 403, 'forbidden');
    expect(err.message).toContain('不能给自己家的庭院打分');
    expect(sheetState(t)).toEqual(before);
    expect(sheetCount(t, entry.id)).toBe(0);

    // The same entry is open to the others, and the villager may score the neighbour.
    expect((await score(t, cookies[PANEL.town]!, entry.id, body())).outcome).toBe('created');
    expect((await score(t, cookie, neighbour, body())).sheet).toMatchObject({ member: '吴阿水', role: '村民代表' });
  });

  it('someone who is not on a panel for the village is refused with 403: a villager, and a member of 洋尾村’s panel', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const before = sheetState(t);
    for (const outsider of [sessionFor(t, PHONES.lingpan(3)), sessionFor(t, YANGWEI_PANEL_MEMBER)]) {
      const err = await expectError(await put(t, outsider, entryId, body()), 403, 'forbidden');
      expect(err.message).toContain('考评组成员');
    }
    expect((await t.req('PUT', `/api/entries/${entryId}/score-sheets/mine`, { body: body() })).status).toBe(401);
    expect(sheetState(t)).toEqual(before);
    // The panel member still can.
    await score(t, cookies[PANEL.town]!, entryId, body());
  });

  it('an entry that has not qualified cannot be scored: a 洋尾村 entry below 50 likes, and a 岭畔村 draft (409)', async () => {
    const { t, roundId, cookies } = await lingpan();
    const yangweiRound = await currentRound(t, VILLAGES.yangwei);
    const belowThreshold = directEntry(t, 1, yangweiRound);
    const draft = lingpanEntry(t, roundId, 4, 'draft');
    const before = sheetState(t);

    const e1 = await expectError(await put(t, sessionFor(t, YANGWEI_PANEL_MEMBER), belowThreshold, body()), 409, 'not_qualified');
    expect(e1.message).toContain('已达标');
    expect(e1.details).toEqual({ status: 'submitted' });
    const e2 = await expectError(await put(t, cookies[PANEL.town]!, draft, body()), 409, 'not_qualified');
    expect(e2.details).toEqual({ status: 'draft' });

    expect(sheetState(t)).toEqual(before);
    expect((await t.req('PUT', '/api/entries/en_nosuchentry/score-sheets/mine', { cookie: cookies[PANEL.town]!, body: body() })).status).toBe(404);
  });
});

describe('scoring closes with the round, and reopens only with a reason', () => {
  it('closing scoring marks an entry with its quorum of sheets scored, for its household and the panel; short ones stay qualified; reopening undoes it', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const full = lingpanEntry(t, roundId, 2);
    const short = lingpanEntry(t, roundId, 3);
    for (const m of [PANEL.town, PANEL.village, PANEL.grid]) await score(t, cookies[m]!, full, body());
    await score(t, cookies[PANEL.town]!, short, body());
    const transition = (b: unknown) => t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: b });
    const status = (id: string) => (t.db.$client.prepare(`select status from entries where id = ?`).get(id) as { status: string }).status;
    const lastAudit = () => JSON.parse((t.db.$client.prepare(`select after from audit_log where subject_id = ? and action = 'round.transition' order by seq desc`).get(roundId) as { after: string }).after) as unknown;

    expect((await transition({ to: 'inspecting' })).status).toBe(200);
    expect([status(full), status(short)]).toEqual(['qualified', 'qualified']);
    expect((await transition({ to: 'scoring_closed' })).status).toBe(200);
    expect([status(full), status(short)]).toEqual(['scored', 'qualified']);
    expect(lastAudit()).toEqual({ status: 'scoring_closed', entriesScored: 1 });

    // the household reads that its courtyard has been scored
    const family = sessionFor(t, PHONES.lingpan(2));
    const view = (await (await t.req('GET', `/api/entries/${full}`, { cookie: family })).json()) as { entry: { status: string; editable: boolean } };
    expect(view.entry).toMatchObject({ status: 'scored', editable: false });
    // the panel still sees both, with its sheets
    const queue = (await (await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: cookies[PANEL.town]! })).json()) as { entries: Array<{ entryId: string; sheetsIn: number; mySheet: unknown }> };
    expect(queue.entries.map((e) => [e.entryId, e.sheetsIn, e.mySheet !== null]).sort()).toEqual([[full, 3, true], [short, 1, true]].sort());

    expect((await transition({ to: 'inspecting', reason: '有户主反映分数记录有误，重新核实。' })).status).toBe(200);
    expect([status(full), status(short)]).toEqual(['qualified', 'qualified']);
    expect(lastAudit()).toEqual({ status: 'inspecting', entriesReopened: 1 });
    expect((await score(t, cookies[PANEL.repA]!, full, body())).outcome).toBe('created');
  });


  it('one quorum for an entry everywhere: the panel’s, not the campaign’s, in the progress, at the close and in the results, with or without sheets', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    // The panel asks for 4 sheets; the campaign's rules say 3.
    t.db.$client.prepare(`update panels set quorum = 4 where village_ids like ?`).run(`%${VILLAGES.lingpan}%`);
    const three = lingpanEntry(t, roundId, 2);
    const none = lingpanEntry(t, roundId, 3);
    const four = lingpanEntry(t, roundId, 5);
    for (const m of [PANEL.town, PANEL.village, PANEL.grid]) await score(t, cookies[m]!, three, body());
    for (const m of [PANEL.town, PANEL.village, PANEL.grid, PANEL.repA]) await score(t, cookies[m]!, four, body());

    const progress = (await (await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: cadre })).json()) as { entries: Array<{ entryId: string; score: Score }> };
    const scoreOf = new Map(progress.entries.map((e) => [e.entryId, e.score]));
    expect([three, none, four].map((id) => [scoreOf.get(id)!.quorum, scoreOf.get(id)!.ranked])).toEqual([[4, false], [4, false], [4, true]]);

    const transition = (b: unknown) => t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: b });
    expect((await transition({ to: 'inspecting' })).status).toBe(200);
    expect((await transition({ to: 'scoring_closed' })).status).toBe(200);
    const status = (id: string) => (t.db.$client.prepare(`select status from entries where id = ?`).get(id) as { status: string }).status;
    expect([three, none, four].map(status)).toEqual(['qualified', 'qualified', 'scored']);

    const computed = await t.req('POST', `/api/rounds/${roundId}/results`, { cookie: cadre });
    expect(computed.status, await computed.clone().text()).toBe(200);
    const { lines } = ((await computed.json()) as { result: { lines: Array<{ entryId: string | null; rank: number | null; detail: { explanation?: string } }> } }).result;
    const lineOf = (id: string) => lines.find((l) => l.entryId === id)!;
    expect(lineOf(three).detail.explanation).toBe('已收到 3 份评分表，少于最少 4 份，暂不排名。');
    expect(lineOf(none).detail.explanation).toBe('已收到 0 份评分表，少于最少 4 份，暂不排名。');
    expect(lineOf(four).rank).toBe(1);
  });

  it('after scoring_closed no sheet is added or changed (409); a reopen with a reason allows changes again', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const transition = (b: unknown) => t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: b });
    const first = body({ hygiene: 30, beautification: 20, openness: 10, culture: 10 });
    await score(t, cookies[PANEL.town]!, entryId, first);

    expect((await transition({ to: 'inspecting' })).status).toBe(200);
    // Inspecting: the panel still scores.
    expect((await score(t, cookies[PANEL.village]!, entryId, body())).outcome).toBe('created');
    expect((await transition({ to: 'scoring_closed' })).status).toBe(200);

    const before = sheetState(t);
    const changed = await expectError(await put(t, cookies[PANEL.town]!, entryId, body({ hygiene: 38, beautification: 20, openness: 10, culture: 10 })), 409, 'scoring_closed');
    expect(changed.message).toContain('评分已截止');
    await expectError(await put(t, cookies[PANEL.grid]!, entryId, body()), 409, 'scoring_closed');
    expect(sheetState(t)).toEqual(before);
    // A phone resending the very sheet it sent before the close gets the stored sheet back, nothing new.
    expect((await score(t, cookies[PANEL.town]!, entryId, first)).outcome).toBe('replayed');
    expect(sheetState(t)).toEqual(before);

    // Reopening needs a reason.
    const noReason = await expectError(await transition({ to: 'inspecting' }), 400, 'reason_required');
    expect(noReason.message).toContain('原因');
    await expectError(await put(t, cookies[PANEL.town]!, entryId, body({ hygiene: 38, beautification: 20, openness: 10, culture: 10 })), 409, 'scoring_closed');

    const reopened = await transition({ to: 'inspecting', reason: '有户主反映卫生分数记录有误，重新核实。' });
    expect(reopened.status).toBe(200);
    expect(((await reopened.json()) as { round: { status: string } }).round.status).toBe('inspecting');
    const replaced = await score(t, cookies[PANEL.town]!, entryId, body({ hygiene: 38, beautification: 20, openness: 10, culture: 10 }));
    expect(replaced.outcome).toBe('replaced');
    expect(replaced.sheet.points.hygiene).toBe(38);
    expect((await score(t, cookies[PANEL.grid]!, entryId, body())).outcome).toBe('created');
    expect(sheetCount(t, entryId)).toBe(3);
    const reopenAudit = t.db.$client.prepare(`select reason from audit_log where subject_id = ? and action = 'round.transition' order by seq desc`).get(roundId) as { reason: string };
    expect(reopenAudit.reason).toBe('有户主反映卫生分数记录有误，重新核实。');
  });
});

describe('independence: a member sees the others’ sheets only after submitting their own', () => {
  it('403 before, 200 with every sheet and the explained score after; the cadre sees them at any time', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const list = (cookie: string) => t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie });
    await score(t, cookies[PANEL.town]!, entryId, body({ hygiene: 36, beautification: 25, openness: 12, culture: 10 }));
    await score(t, cookies[PANEL.village]!, entryId, body({ hygiene: 37, beautification: 26, openness: 13, culture: 11 }));

    const early = await expectError(await list(cookies[PANEL.repA]!), 403, 'forbidden');
    expect(early.message).toContain('请先提交您自己的评分表');
    await expectError(await list(sessionFor(t, PHONES.lingpan(3))), 403, 'forbidden');
    expect((await t.req('GET', `/api/entries/${entryId}/score-sheets`)).status).toBe(401);
    const forCadre = await list(cadre);
    expect(forCadre.status).toBe(200);
    expect(((await forCadre.json()) as { sheets: SheetView[] }).sheets).toHaveLength(2);

    await score(t, cookies[PANEL.repA]!, entryId, body({ hygiene: 36, beautification: 27, openness: 14, culture: 13 }));
    const after = await list(cookies[PANEL.repA]!);
    expect(after.status).toBe(200);
    const { sheets, score: s } = (await after.json()) as { sheets: SheetView[]; score: Score };
    expect(sheets.map((x) => [x.member, x.role, x.points.hygiene])).toEqual([
      ['王志强', '镇干部', 36],
      ['陈丽珍', '村干部', 37],
      ['许阿婆', '村民代表', 36],
    ]);
    // hygiene 109/3, beautification 26, openness 13, culture 34/3: total 260/3
    expect(s).toMatchObject({ sheets: 3, quorum: 3, ranked: true, disqualified: false, total: '86.7' });
    expect(s.criteria.map((c) => c.mean)).toEqual(['36.3', '26.0', '13.0', '11.3']);
    expect(s.explanation).toBe('总分 86.7 ≈ 36.3 + 26.0 + 13.0 + 11.3（3 份评分表；各项按未四舍五入的平均分相加，再保留一位小数）。');
    expect(s.criteria[0]!.explanation).toBe('卫生情况 36.3 = 36、36、37 的平均');
  });
});

describe('independence after submitting: a sheet changed after reading the others’ needs a reason, and shows it', () => {
  const mine = { hygiene: 30, beautification: 22, openness: 10, culture: 9 };
  const theirs = { hygiene: 36, beautification: 26, openness: 13, culture: 11 };
  const seenAt = (t: TestApp, entryId: string, phone: string) =>
    (t.db.$client.prepare(`select s.others_seen_at as at from score_sheets s join accounts a on a.id = s.account_id where s.entry_id = ? and a.phone = ?`).get(entryId, phone) as { at: number | null }).at;
  const list = async (t: TestApp, cookie: string, entryId: string) => {
    const res = await t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie });
    expect(res.status).toBe(200);
    return ((await res.json()) as { sheets: SheetView[] }).sheets;
  };

  it('reading when only one’s own sheet is in marks nothing: a change afterwards needs no reason', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.grid]!, entryId, body(mine));
    await list(t, cookies[PANEL.grid]!, entryId);
    expect(seenAt(t, entryId, PANEL.grid)).toBeNull();
    const changed = await score(t, cookies[PANEL.grid]!, entryId, body({ ...mine, hygiene: 33 }));
    expect(changed.outcome).toBe('replaced');
    expect(changed.sheet).toMatchObject({ points: { hygiene: 33 }, revisedAfterViewing: null });
  });

  it('a cadre reading the sheets marks nobody’s sheet', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.grid]!, entryId, body(mine));
    await score(t, cookies[PANEL.town]!, entryId, body(theirs));
    await list(t, cadre, entryId);
    expect([seenAt(t, entryId, PANEL.grid), seenAt(t, entryId, PANEL.town)]).toEqual([null, null]);
  });

  it('the progress view names who has not scored each courtyard and who stepped aside, with its door', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.town]!, entryId, body(theirs));
    await score(t, cookies[PANEL.grid]!, entryId, body(mine));
    expect((await t.req('POST', `/api/entries/${entryId}/recusal`, { cookie: cookies[PANEL.repA]!, body: { reason: '是我表哥家。' } })).status).toBe(200);
    const progress = (await (await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: cadre })).json()) as {
      entries: Array<{ entryId: string; doorNumber: string; waitingFor: string[]; recusedBy: string[] }>;
    };
    const e = progress.entries.find((x) => x.entryId === entryId)!;
    expect(e.doorNumber).toMatch(/岭畔村/);
    expect(e.waitingFor.sort()).toEqual(['蔡德明', '陈丽珍'].sort());
    expect(e.recusedBy).toEqual(['许阿婆']);
  });

  it('a cadre who also sits on the panel reads as a member: not before scoring, the progress view hides the points, and reading marks the sheet', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    // The panel's 村干部 is also the village's cadre.
    const memberId = (t.db.$client.prepare(`select id from accounts where phone = ?`).get(PANEL.village) as { id: string }).id;
    t.db.$client.prepare(`insert into roles (id, account_id, kind, scope_id, created_at) values ('rl_both', ?, 'village_cadre', ?, ?)`).run(memberId, VILLAGES.lingpan, t.clock.now());
    const both = sessionFor(t, PANEL.village);
    await score(t, cookies[PANEL.town]!, entryId, body(theirs));

    await expectError(await t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie: both }), 403, 'forbidden');
    const progress = async () =>
      ((await (await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: both })).json()) as { entries: Array<{ entryId: string; score: { total: string | null; criteria: Array<{ values: number[] }> } }> }).entries.find(
        (e) => e.entryId === entryId,
      )!.score;
    expect((await progress()).criteria.flatMap((c) => c.values)).toEqual([]);

    await score(t, both, entryId, body(mine));
    expect((await list(t, both, entryId)).length).toBe(2);
    expect(seenAt(t, entryId, PANEL.village)).not.toBeNull();
    expect((await progress()).criteria.flatMap((c) => c.values).length).toBeGreaterThan(0);
    await expectError(await put(t, both, entryId, body(theirs)), 409, 'revision_reason_required');
  });

  it('after reading another member’s sheet: a change without a reason is 409 and changes nothing; with one it is taken, kept with the points from before, for the panel and the cadre', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const me = cookies[PANEL.grid]!;
    const first = await score(t, me, entryId, body(mine, { comment: '门前有杂物。' }));
    await score(t, cookies[PANEL.town]!, entryId, body(theirs));

    t.clock.advance(60_000);
    const readAt = t.clock.now();
    expect((await list(t, me, entryId)).map((x) => x.points.hygiene)).toEqual([30, 36]);
    expect(seenAt(t, entryId, PANEL.grid)).toBe(readAt);
    expect(seenAt(t, entryId, PANEL.town)).toBeNull(); // the town cadre has not read anything
    t.clock.advance(60_000);
    await list(t, me, entryId);
    expect(seenAt(t, entryId, PANEL.grid)).toBe(readAt); // the first time is the one kept

    // copying the others without saying why: refused, nothing stored, nothing audited
    const before = sheetState(t);
    const copied = body(theirs, { comment: '门前有杂物。' });
    const refused = await expectError(await put(t, me, entryId, copied), 409, 'revision_reason_required');
    expect(refused.message).toMatch(/看过其他成员的评分.*修改原因/);
    expect(refused.details).toMatchObject({ field: 'revisionReason' });
    expect(sheetState(t)).toEqual(before);
    // a reason of one character is no reason
    await expectError(await put(t, me, entryId, { ...copied, revisionReason: ' 改 ' }), 400, 'invalid_input');
    expect(sheetState(t)).toEqual(before);

    t.clock.advance(60_000);
    const revisedAt = t.clock.now();
    const reason = '讨论后发现卫生情况看漏了后院，已经打扫干净。';
    const revised = await score(t, me, entryId, { ...copied, revisionReason: `  ${reason} ` });
    expect(revised.outcome).toBe('replaced');
    const mark = { at: iso(revisedAt), reason, original: { passed: true, points: mine, comment: '门前有杂物。' } };
    expect(revised.sheet).toMatchObject({ id: first.sheet.id, points: theirs, revisedAfterViewing: mark });
    for (const who of [cadre, me, cookies[PANEL.town]!]) {
      const sheets = await list(t, who, entryId);
      expect(sheets.find((x) => x.id === first.sheet.id)!.revisedAfterViewing).toEqual(mark);
      expect(sheets.find((x) => x.id !== first.sheet.id)!.revisedAfterViewing).toBeNull();
    }
    // the score uses the sheet as it is now
    const progress = (await (await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: cadre })).json()) as { entries: Array<{ entryId: string; revisedSheets: number; score: Score }> };
    expect(progress.entries.find((e) => e.entryId === entryId)).toMatchObject({ revisedSheets: 1, score: { criteria: [{ values: [36, 36] }, {}, {}, {}] } });
    const audit = t.db.$client.prepare(`select before, after, reason from audit_log where subject_id = ? and action = 'sheet.replace'`).all(entryId) as Array<{ before: string; after: string; reason: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toBe(reason);
    expect(JSON.parse(audit[0]!.before)).toMatchObject({ points: mine });
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ points: theirs, revisedAfterViewing: true });

    // a second change keeps what the sheet said before the member saw the others
    t.clock.advance(60_000);
    const again = await score(t, me, entryId, body({ ...theirs, culture: 12 }, { comment: '门前有杂物。', revisionReason: '文化内涵再商量后加 1 分。' }));
    expect(again.sheet.revisedAfterViewing).toEqual({ at: iso(t.clock.now()), reason: '文化内涵再商量后加 1 分。', original: mark.original });
  });

  it('after reading: the outbox resending the same sheet, or the same sheet under a new key, is taken without a reason', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const me = cookies[PANEL.grid]!;
    const sheet = body(mine, { comment: '好。' });
    await score(t, me, entryId, sheet);
    await score(t, cookies[PANEL.town]!, entryId, body(theirs));
    await list(t, me, entryId);
    expect(seenAt(t, entryId, PANEL.grid)).not.toBeNull();

    expect((await score(t, me, entryId, sheet)).outcome).toBe('replayed');
    const sameAgain = await score(t, me, entryId, { ...sheet, idempotencyKey: newKey(), comment: ' 好。 ', points: { culture: 9, openness: 10, beautification: 22, hygiene: 30 } });
    expect(sameAgain.outcome).toBe('replaced');
    expect(sameAgain.sheet).toMatchObject({ points: mine, revisedAfterViewing: null });
    // the pass/fail alone is a change too
    await expectError(await put(t, me, entryId, { ...sheet, idempotencyKey: newKey(), passed: false }), 409, 'revision_reason_required');
  });

  it('a member who stepped aside does not read the sheets (a relative: the family would learn the scores early), and nothing is marked', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.town]!, entryId, body(theirs));
    expect((await t.req('POST', `/api/entries/${entryId}/recusal`, { cookie: cookies[PANEL.repA]!, body: { reason: '是我表哥家。' } })).status).toBe(200);
    const before = sheetState(t);
    const err = await expectError(await t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie: cookies[PANEL.repA]! }), 403, 'forbidden');
    expect(err.message).toContain('回避');
    expect(sheetState(t)).toEqual(before);
  });
});

describe('idempotency: a phone resending a sheet stores it once', () => {
  it('same key and body → replayed; same key, other body → 409; new key → replaced; one row throughout', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const me = cookies[PANEL.grid]!;
    const first = body({ hygiene: 30, beautification: 22, openness: 10, culture: 9 }, { comment: '门前有杂物。' });

    const created = await score(t, me, entryId, first);
    expect(created.outcome).toBe('created');
    const replay = await score(t, me, entryId, first);
    expect(replay.outcome).toBe('replayed');
    expect(replay.sheet).toEqual(created.sheet);
    expect(sheetCount(t, entryId)).toBe(1);
    expect(sheetAudit(t, entryId)).toEqual(['sheet.submit']);

    const before = sheetState(t);
    const clash = await expectError(await put(t, me, entryId, { ...first, points: { ...first.points, hygiene: 35 } }), 409, 'idempotency_conflict');
    expect(clash.message).toContain('同一编号');
    expect(sheetState(t)).toEqual(before);

    t.clock.advance(60_000);
    const replaced = await score(t, me, entryId, body({ hygiene: 35, beautification: 22, openness: 10, culture: 9 }, { comment: '杂物已清理。' }));
    expect(replaced.outcome).toBe('replaced');
    expect(replaced.sheet).toMatchObject({ id: created.sheet.id, submittedAt: created.sheet.submittedAt, updatedAt: iso(t.clock.now()), points: { hygiene: 35 }, comment: '杂物已清理。' });
    expect(sheetCount(t, entryId)).toBe(1);
    expect(sheetAudit(t, entryId)).toEqual(['sheet.submit', 'sheet.replace']);
    const audit = t.db.$client.prepare(`select before, after from audit_log where subject_id = ? and action = 'sheet.replace'`).get(entryId) as { before: string; after: string };
    expect(JSON.parse(audit.before)).toMatchObject({ points: { hygiene: 30 }, comment: '门前有杂物。' });
    expect(JSON.parse(audit.after)).toMatchObject({ points: { hygiene: 35 }, comment: '杂物已清理。' });
  });

  it('twenty copies of one sheet sent at once make one sheet: one created, the rest replayed', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const sheet = body();
    const answers = await Promise.all(Array.from({ length: 20 }, () => put(t, cookies[PANEL.grid]!, entryId, sheet)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const outcomes = await Promise.all(answers.map(async (r) => ((await r.json()) as { outcome: string }).outcome));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'replayed')).toHaveLength(19);
    expect(sheetCount(t, entryId)).toBe(1);
    expect(sheetAudit(t, entryId)).toEqual(['sheet.submit']);
  });

  it('the same key is the same sheet whatever the order of the points or the spaces around the comment', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    const key = newKey();
    await score(t, cookies[PANEL.grid]!, entryId, { passed: true, points: { hygiene: 30, beautification: 22, openness: 10, culture: 9 }, comment: '好。', idempotencyKey: key });
    const again = await score(t, cookies[PANEL.grid]!, entryId, { idempotencyKey: key, comment: ' 好。 ', points: { culture: 9, openness: 10, beautification: 22, hygiene: 30 }, passed: true });
    expect(again.outcome).toBe('replayed');
    expect(sheetAudit(t, entryId)).toEqual(['sheet.submit']);
  });
});

describe('recusal', () => {
  it('a member who recuses cannot score (409) nor read the others’ sheets; the queue shows it', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.town]!, entryId, body());
    const me = cookies[PANEL.repB]!;
    await expectError(await t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie: me }), 403, 'forbidden');

    const short = await expectError(await t.req('POST', `/api/entries/${entryId}/recusal`, { cookie: me, body: { reason: '亲' } }), 400, 'invalid_input');
    expect(short.message).toContain('原因');
    const res = await t.req('POST', `/api/entries/${entryId}/recusal`, { cookie: me, body: { reason: '户主是我表哥。' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(sheetAudit(t, entryId)).toEqual(['sheet.submit', 'sheet.recuse']);

    const before = sheetState(t);
    const err = await expectError(await put(t, me, entryId, body()), 409, 'recused');
    expect(err.message).toContain('回避');
    expect(sheetState(t)).toEqual(before);

    await expectError(await t.req('GET', `/api/entries/${entryId}/score-sheets`, { cookie: me }), 403, 'forbidden');
    const queue = (await (await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: me })).json()) as { entries: QueueItem[] };
    expect(queue.entries.find((q) => q.entryId === entryId)).toMatchObject({ recused: true, mySheet: null });

    // Past the due date, an entry the member stepped aside from is not overdue for them (it is for a member who has done nothing).
    t.clock.advance(8 * DAY);
    const later = (await (await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: me })).json()) as { entries: QueueItem[] };
    expect(later.entries.find((q) => q.entryId === entryId)).toMatchObject({ recused: true, overdue: false });
    const other = (await (await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: cookies[PANEL.repA]! })).json()) as { entries: QueueItem[] };
    expect(other.entries.find((q) => q.entryId === entryId)).toMatchObject({ recused: false, overdue: true });
  });

  it('a member who has scored cannot recuse afterwards (409), and an outsider cannot recuse (403)', async () => {
    const { t, roundId, cookies } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.town]!, entryId, body());
    const before = sheetState(t);
    const err = await expectError(await t.req('POST', `/api/entries/${entryId}/recusal`, { cookie: cookies[PANEL.town]!, body: { reason: '是亲戚。' } }), 409, 'already_scored');
    expect(err.message).toContain('回避');
    await expectError(await t.req('POST', `/api/entries/${entryId}/recusal`, { cookie: sessionFor(t, PHONES.lingpan(3)), body: { reason: '是亲戚。' } }), 403, 'forbidden');
    expect(sheetState(t)).toEqual(before);
  });
});

describe('POST /api/campaigns/:id/panels', () => {
  const member = (phone: string, role: string, name: string) => ({ phone, role, name });
  const valid = [member('13700000001', '镇干部', '黄建国'), member('13700000002', '网格员', '施美玲'), member('13700000003', '村民代表', '洪天佑')];
  const panelRows = (t: TestApp) => ({
    panels: t.db.$client.prepare(`select * from panels order by id`).all(),
    members: t.db.$client.prepare(`select * from panel_members order by panel_id, account_id`).all(),
  });

  it('the cadre forms a panel; it is listed with members, roles and quorum', async () => {
    const { t, campaignId, cadre } = await lingpan();
    const res = await t.req('POST', `/api/campaigns/${campaignId}/panels`, { cookie: cadre, body: { name: '岭畔村复核组', quorum: 3, members: valid } });
    expect(res.status).toBe(201);
    const { panel } = (await res.json()) as { panel: { id: string; name: string; quorum: number; villageIds: string[]; members: Array<{ role: string; name: string; phone: string }> } };
    expect(panel).toMatchObject({ name: '岭畔村复核组', quorum: 3, villageIds: [VILLAGES.lingpan] });
    // The order of members in the answer is not specified: compare them as a set.
    expect(panel.members.map((m) => [m.role, m.name, m.phone]).sort()).toEqual(valid.map((m) => [m.role, m.name, m.phone]).sort());
    const listed = (await (await t.req('GET', `/api/campaigns/${campaignId}/panels`, { cookie: cadre })).json()) as { panels: Array<{ id: string; name: string }> };
    expect(listed.panels.map((p) => p.name)).toEqual(['岭畔村考评组', '岭畔村复核组']);
  });

  it.each([
    { name: 'fewer members than the quorum', members: valid.slice(0, 2), message: /至少需要 3 人.*只有 2 人/ },
    { name: 'fewer members than a quorum of 4', quorum: 4, members: valid, message: /至少需要 4 人/ },
    { name: 'no villager representative', members: [valid[0]!, valid[1]!, member('13700000003', '网格员', '洪天佑')], message: /至少需要一名村民代表/ },
    { name: 'no cadre', members: [member('13700000001', '网格员', '黄建国'), valid[1]!, valid[2]!], message: /至少需要一名镇干部或村干部/ },
    { name: 'the same phone twice', members: [...valid, member('13700000001', '村民代表', '黄建国')], message: /同一个手机号.*两次/ },
    { name: 'a village outside the campaign', villageIds: [VILLAGES.yangwei], members: valid, message: new RegExp(`不在本活动范围内：${VILLAGES.yangwei}`) },
  ])('$name → 400, nothing stored', async ({ members, quorum, villageIds, message }) => {
    const { t, campaignId, cadre } = await lingpan();
    const before = { ...panelRows(t), accounts: t.db.$client.prepare(`select count(*) as n from accounts`).get() };
    const err = await expectError(
      await t.req('POST', `/api/campaigns/${campaignId}/panels`, { cookie: cadre, body: { name: '岭畔村复核组', members, ...(quorum ? { quorum } : {}), ...(villageIds ? { villageIds } : {}) } }),
      400,
      'invalid_panel',
    );
    expect(err.message).toMatch(message);
    expect({ ...panelRows(t), accounts: t.db.$client.prepare(`select count(*) as n from accounts`).get() }).toEqual(before);
  });

  it('an unknown role label is refused with the allowed labels', async () => {
    const { t, campaignId, cadre } = await lingpan();
    const err = await expectError(await t.req('POST', `/api/campaigns/${campaignId}/panels`, { cookie: cadre, body: { name: '复核组', members: [...valid, member('13700000004', '组长', '郑雅琴')] } }), 400, 'invalid_input');
    expect(err.message).toContain('村民代表');
    expect(fieldsOf(err)).toContain('members.3.role');
  });

  it('a villager, a panel member or another village’s cadre cannot form a panel (403)', async () => {
    const { t, campaignId, cookies } = await lingpan();
    const before = panelRows(t);
    for (const who of [sessionFor(t, PHONES.lingpan(2)), cookies[PANEL.town]!, sessionFor(t, PHONES.yangweiCadre)]) {
      const err = await expectError(await t.req('POST', `/api/campaigns/${campaignId}/panels`, { cookie: who, body: { name: '复核组', members: valid } }), 403, 'forbidden');
      expect(err.message).toContain('村干部');
    }
    expect(panelRows(t)).toEqual(before);
  });
});

describe('GET /api/rounds/:id/inspections: the panel member’s queue', () => {
  it('lists qualified entries in door order with door numbers and due dates; overdue once past due without my sheet', async () => {
    const { t, roundId, cookies } = await lingpan();
    const q0 = t.clock.now();
    const e10 = lingpanEntry(t, roundId, 10);
    t.clock.advance(3_600_000);
    const e2 = lingpanEntry(t, roundId, 2);
    t.clock.advance(3_600_000);
    const e3 = lingpanEntry(t, roundId, 3);
    lingpanEntry(t, roundId, 4, 'draft'); // not qualified: not in the queue
    const queue = async (cookie: string) => {
      const res = await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      return JSON.parse(text) as { panel: { quorum: number; role: string }; rubric: Array<{ key: string; max: number }>; entries: QueueItem[] };
    };

    const mine = await queue(cookies[PANEL.town]!);
    expect(mine.panel).toMatchObject({ quorum: 3, role: '镇干部' });
    expect(mine.rubric.map((c) => [c.key, c.max])).toEqual([
      ['hygiene', 40],
      ['beautification', 30],
      ['openness', 15],
      ['culture', 15],
    ]);
    expect(mine.entries.map((q) => q.doorNumber)).toEqual(['岭畔村2号', '岭畔村3号', '岭畔村10号']);
    expect(mine.entries.map((q) => q.entryId)).toEqual([e2, e3, e10]);
    expect(mine.entries.map((q) => [q.qualifiedAt, q.dueAt])).toEqual([
      [iso(q0 + 3_600_000), iso(q0 + 3_600_000 + 7 * DAY)],
      [iso(q0 + 7_200_000), iso(q0 + 7_200_000 + 7 * DAY)],
      [iso(q0), iso(q0 + 7 * DAY)],
    ]);
    expect(mine.entries.every((q) => !q.overdue && q.sheetsIn === 0 && q.mySheet === null && q.entry.status === 'qualified')).toBe(true);

    await score(t, cookies[PANEL.town]!, e3, body());
    t.clock.advance(6 * DAY);
    expect((await queue(cookies[PANEL.town]!)).entries.map((q) => q.overdue)).toEqual([false, false, false]);

    t.clock.advance(2 * DAY); // 8 days on
    const later = await queue(cookies[PANEL.town]!);
    expect(later.entries.map((q) => [q.doorNumber, q.overdue, q.sheetsIn])).toEqual([
      ['岭畔村2号', true, 0],
      ['岭畔村3号', false, 1], // my sheet is in
      ['岭畔村10号', true, 0],
    ]);
    expect(later.entries[1]!.mySheet).toMatchObject({ passed: true, points: { hygiene: 32 } });
    // Another member has not scored 3号 yet: overdue for them.
    expect((await queue(cookies[PANEL.village]!)).entries.map((q) => q.overdue)).toEqual([true, true, true]);
  });

  it('the cadre’s progress lists the same entries in the same door order (2号 before 10号)', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const ids = [11, 2, 10, 3, 1].map((n) => [n, lingpanEntry(t, roundId, n)] as const);
    const byDoor = [...ids].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
    const queue = (await (await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: cookies[PANEL.town]! })).json()) as { entries: QueueItem[] };
    expect(queue.entries.map((q) => q.doorNumber)).toEqual(['岭畔村1号', '岭畔村2号', '岭畔村3号', '岭畔村10号', '岭畔村11号']);
    expect(queue.entries.map((q) => q.entryId)).toEqual(byDoor);
    const progress = (await (await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: cadre })).json()) as { entries: Array<{ entryId: string }> };
    expect(progress.entries.map((e) => e.entryId)).toEqual(byDoor);
  });

  it('someone who is not on the panel gets 403', async () => {
    const { t, roundId, cadre } = await lingpan();
    for (const who of [sessionFor(t, PHONES.lingpan(3)), sessionFor(t, YANGWEI_PANEL_MEMBER), cadre]) {
      const err = await expectError(await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: who }), 403, 'forbidden');
      expect(err.message).toContain('考评组');
    }
  });
});

describe('GET /api/rounds/:id/scoring-progress: the cadre’s view', () => {
  it('shows sheets in, quorum, disqualification and the total explained, trimmed with 5 sheets', async () => {
    const { t, roundId, cookies, cadre } = await lingpan();
    const full = lingpanEntry(t, roundId, 2);
    const few = lingpanEntry(t, roundId, 3);
    const failed = lingpanEntry(t, roundId, 5);
    // hygiene 40,20,35,36,38 → 35,36,38; beautification 30,25,26,27,10 → 25,26,27; openness 15,12,13,14,0 → 12,13,14; culture 15,10,11,13,5 → 10,11,13
    const cols: Array<[number, number, number, number]> = [
      [40, 30, 15, 15],
      [20, 25, 12, 10],
      [35, 26, 13, 11],
      [36, 27, 14, 13],
      [38, 10, 0, 5],
    ];
    for (const [i, phone] of MEMBERS.entries()) {
      const [hygiene, beautification, openness, culture] = cols[i]!;
      await score(t, cookies[phone]!, full, body({ hygiene, beautification, openness, culture }, { comment: '现场核实。' }));
      await score(t, cookies[phone]!, failed, body(undefined, { passed: i >= 3 }));
    }
    await score(t, cookies[PANEL.town]!, few, body());
    await score(t, cookies[PANEL.repA]!, few, body());

    const res = await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: cadre });
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: Array<{ entryId: string; status: string; score: Score }> };
    const byId = new Map(entries.map((e) => [e.entryId, e.score]));
    expect([...byId.keys()].sort()).toEqual([full, few, failed].sort());

    const s = byId.get(full)!;
    expect(s).toMatchObject({ sheets: 5, quorum: 3, ranked: true, disqualified: false, total: '86.7' });
    expect(s.explanation).toBe('总分 86.7 ≈ 36.3 + 26.0 + 13.0 + 11.3（5 份评分表，各项去掉一个最高分和一个最低分；各项按未四舍五入的平均分相加，再保留一位小数）。');
    expect(s.criteria.map((c) => c.explanation)).toEqual([
      '卫生情况 36.3 = 35、36、38 的平均（去掉最高 40 和最低 20）',
      '美化情况 26.0 = 25、26、27 的平均（去掉最高 30 和最低 10）',
      '开放情况 13.0 = 12、13、14 的平均（去掉最高 15 和最低 0）',
      '文化内涵 11.3 = 10、11、13 的平均（去掉最高 15 和最低 5）',
    ]);
    // Spread above half the maximum: hygiene 20 of 40 is not; the others are.
    expect(s.criteria.map((c) => c.spreadFlag)).toEqual([false, true, true, true]);

    expect(byId.get(few)).toMatchObject({ sheets: 2, ranked: false, explanation: '已收到 2 份评分表，少于最少 3 份，暂不排名。' });
    expect(byId.get(failed)).toMatchObject({ sheets: 5, failedChecks: 3, disqualified: true, ranked: false, explanation: '5 份评分表中有 3 份认为实地核实未通过，超过半数，取消资格。' });

    // In door order, as the panel's queue: 2号, 3号, 5号.
    expect(entries.map((e) => e.entryId)).toEqual([full, few, failed]);

    // The town admin sees it too; a panel member, a villager and 洋尾村’s cadre do not.
    expect((await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: sessionFor(t, '13900000001') })).status).toBe(200);
    for (const who of [cookies[PANEL.town]!, sessionFor(t, PHONES.lingpan(4)), sessionFor(t, PHONES.yangweiCadre)]) {
      await expectError(await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: who }), 403, 'forbidden');
    }
  });
});


describe('PUT /api/panels/:id: the cadre changes a panel (a member falls ill, moves away, or a name was mistyped)', () => {
  interface PanelView {
    id: string;
    name: string;
    quorum: number;
    members: Array<{ accountId: string; role: string; name: string; phone: string }>;
    formerMembers: Array<{ accountId: string; role: string; name: string; removedAt: string }>;
    sheetsSent: number;
  }
  const NEWCOMER = { phone: '13700000009', role: '镇干部', name: '黄建国' };
  /** The demo panel of 岭畔村 as a change body: every member as it stands. */
  async function current(t: TestApp, campaignId: string, cadre: string) {
    const { panels } = (await (await t.req('GET', `/api/campaigns/${campaignId}/panels`, { cookie: cadre })).json()) as { panels: PanelView[] };
    const panel = panels.find((p) => p.name === '岭畔村考评组')!;
    return { panel, members: panel.members.map(({ phone, role, name }) => ({ phone, role, name })) };
  }
  const change = (t: TestApp, cookie: string, panelId: string, b: unknown) => t.req('PUT', `/api/panels/${panelId}`, { cookie, body: b });
  const panelState = (t: TestApp) => ({
    panels: t.db.$client.prepare(`select * from panels order by id`).all(),
    members: t.db.$client.prepare(`select * from panel_members order by panel_id, account_id`).all(),
    notices: (t.db.$client.prepare(`select count(*) as n from notifications`).get() as { n: number }).n,
    audit: (t.db.$client.prepare(`select count(*) as n from audit_log`).get() as { n: number }).n,
  });
  const noticesOf = (t: TestApp, phone: string) =>
    t.db.$client.prepare(`select n.kind, json_extract(n.payload, '$.text') as text from notifications n join accounts a on a.id = n.account_id where a.phone = ? and n.kind like 'panel_%'`).all(phone) as Array<{ kind: string; text: string }>;

  it("in a town's campaign the member taken off is told that the town admin, who runs it, did so", async () => {
    const t = makeApp();
    const admin = sessionFor(t, '13900000001');
    const created = await t.req('POST', '/api/campaigns', { cookie: admin, body: { title: '2026年磁灶镇冬季最美卫生庭院评比', format: 'single', villageIds: [VILLAGES.lingpan, VILLAGES.yangwei], likeThreshold: 0, window: { from: '2026-12-01', to: '2026-12-20' } } });
    expect(created.status, await created.clone().text()).toBe(201);
    const { campaign } = (await created.json()) as { campaign: { id: string } };
    const members = [
      { phone: '13700000041', role: '镇干部', name: '黄建国' },
      { phone: '13700000042', role: '网格员', name: '施美玲' },
      { phone: '13700000043', role: '村民代表', name: '洪天佑' },
    ];
    const formed = await t.req('POST', `/api/campaigns/${campaign.id}/panels`, { cookie: admin, body: { name: '磁灶镇考评组', members } });
    expect(formed.status, await formed.clone().text()).toBe(201);
    const { panel } = (await formed.json()) as { panel: PanelView };
    const res = await change(t, admin, panel.id, { name: panel.name, quorum: panel.quorum, members: [...members.slice(1), NEWCOMER], reason: '黄建国调到县里工作。' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(noticesOf(t, '13700000041').map((n) => n.text)).toEqual([expect.stringMatching(/^镇管理员已把您移出「2026年磁灶镇冬季最美卫生庭院评比」的磁灶镇考评组/)]);
  });

  it('a member taken off scores no more and their sheet still counts; a newcomer gets the queue and scores; both are told; one audit row with the reason', async () => {
    const { t, roundId, campaignId, cookies, cadre } = await lingpan();
    const scored = lingpanEntry(t, roundId, 1);
    const waiting = lingpanEntry(t, roundId, 2);
    await score(t, cookies[PANEL.town]!, scored, body());
    const { panel, members } = await current(t, campaignId, cadre);

    const res = await change(t, cadre, panel.id, { name: panel.name, quorum: panel.quorum, members: [...members.filter((m) => m.phone !== PANEL.town), NEWCOMER], reason: '王志强调到县里工作。' });
    expect(res.status, await res.clone().text()).toBe(200);
    const after = (await res.json()) as { panel: PanelView; changed: boolean };
    expect(after.changed).toBe(true);
    expect(after.panel.members.map((m) => m.name)).toContain('黄建国');
    expect(after.panel.members.map((m) => m.name)).not.toContain('王志强');
    expect(after.panel.formerMembers).toEqual([expect.objectContaining({ name: '王志强', role: '镇干部', removedAt: expect.stringMatching(/\+08:00$/) })]);
    expect(after.panel.sheetsSent).toBe(1);

    // The member taken off: no queue, no new sheet, and their sheet is still one of the entry's.
    await expectError(await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: cookies[PANEL.town]! }), 403, 'forbidden');
    await expectError(await put(t, cookies[PANEL.town]!, waiting, body()), 403, 'forbidden');
    const sheets = (await (await t.req('GET', `/api/entries/${scored}/score-sheets`, { cookie: cadre })).json()) as { sheets: SheetView[]; score: Score };
    expect(sheets.sheets.map((s) => s.member)).toEqual(['王志强']);
    expect(sheets.score.sheets).toBe(1);

    // The newcomer scores; the cadre's progress waits for them, not for the one who left.
    const newcomer = sessionFor(t, NEWCOMER.phone);
    const queue = (await (await t.req('GET', `/api/rounds/${roundId}/inspections`, { cookie: newcomer })).json()) as { entries: QueueItem[] };
    expect(queue.entries.map((e) => e.entryId).sort()).toEqual([scored, waiting].sort());
    const progress = (await (await t.req('GET', `/api/rounds/${roundId}/scoring-progress`, { cookie: cadre })).json()) as { entries: Array<{ entryId: string; waitingFor: string[] }> };
    expect(progress.entries.find((e) => e.entryId === waiting)!.waitingFor).toContain('黄建国');
    expect(progress.entries.find((e) => e.entryId === waiting)!.waitingFor).not.toContain('王志强');
    await score(t, newcomer, waiting, body());

    expect(noticesOf(t, PANEL.town)).toEqual([{ kind: 'panel_left', text: expect.stringMatching(/^村干部已把您移出.*岭畔村考评组.*已交的评分表仍然有效.*王志强调到县里工作/) }]);
    expect(noticesOf(t, NEWCOMER.phone)).toEqual([{ kind: 'panel_joined', text: expect.stringMatching(/加入.*岭畔村考评组（镇干部）/) }]);
    const audit = t.db.$client.prepare(`select before, after, reason from audit_log where action = 'panel.change'`).all() as Array<{ before: string; after: string; reason: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toBe('王志强调到县里工作。');
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ left: [{ role: '镇干部', name: '王志强' }], joined: [{ role: '镇干部', name: '黄建国' }] });
  });

  it('a mistyped name and role are corrected in place; a member taken off can be put back and scores again', async () => {
    const { t, roundId, campaignId, cookies, cadre } = await lingpan();
    const entryId = lingpanEntry(t, roundId, 3);
    const { panel, members } = await current(t, campaignId, cadre);
    const without = members.filter((m) => m.phone !== PANEL.grid);
    expect((await change(t, cadre, panel.id, { name: panel.name, quorum: 3, members: without, reason: '林国华住院了。' })).status).toBe(200);
    await expectError(await put(t, cookies[PANEL.grid]!, entryId, body()), 403, 'forbidden');

    const back = [...without.map((m) => (m.phone === PANEL.repB ? { ...m, name: '蔡德民' } : m)), { phone: PANEL.grid, role: '村干部', name: '林国华' }];
    const res = await change(t, cadre, panel.id, { name: '岭畔村考评小组', quorum: 3, members: back, reason: '林国华出院，蔡德民的名字写错了。' });
    const after = ((await res.json()) as { panel: PanelView }).panel;
    expect(after.name).toBe('岭畔村考评小组');
    expect(after.members.map((m) => `${m.name}（${m.role}）`).sort()).toEqual(['王志强（镇干部）', '陈丽珍（村干部）', '林国华（村干部）', '许阿婆（村民代表）', '蔡德民（村民代表）'].sort());
    expect(after.formerMembers).toEqual([]);
    await score(t, cookies[PANEL.grid]!, entryId, body());
    expect(noticesOf(t, PANEL.grid).map((n) => n.kind)).toEqual(['panel_left', 'panel_joined']);
  });

  it('the quorum may change until the first sheet comes in; then 409 quorum_locked and nothing changes', async () => {
    const { t, roundId, campaignId, cookies, cadre } = await lingpan();
    const { panel, members } = await current(t, campaignId, cadre);
    const raised = await change(t, cadre, panel.id, { name: panel.name, quorum: 4, members, reason: '人手够，每户四份评分更稳妥。' });
    expect(((await raised.json()) as { panel: PanelView }).panel.quorum).toBe(4);

    await score(t, cookies[PANEL.town]!, lingpanEntry(t, roundId, 4), body());
    const before = panelState(t);
    const err = await expectError(await change(t, cadre, panel.id, { name: panel.name, quorum: 3, members, reason: '改回三份。' }), 409, 'quorum_locked');
    expect(err.message).toMatch(/已经交了 1 份评分表.*仍为 4/);
    expect(panelState(t)).toEqual(before);
  });

  it('a change that changes nothing answers the panel as it is and writes nothing', async () => {
    const { t, campaignId, cadre } = await lingpan();
    const { panel, members } = await current(t, campaignId, cadre);
    const before = panelState(t);
    const res = await change(t, cadre, panel.id, { name: panel.name, quorum: panel.quorum, members: [...members].reverse(), reason: '核对一遍。' });
    expect(((await res.json()) as { changed: boolean }).changed).toBe(false);
    expect(panelState(t)).toEqual(before);
  });

  it.each([
    { name: 'no villager representative left', edit: (m: Array<{ phone: string }>) => ({ members: m.filter((x) => x.phone !== PANEL.repA && x.phone !== PANEL.repB) }), status: 400, code: 'invalid_panel', message: /至少需要一名村民代表/ },
    { name: 'fewer members than the quorum', edit: (m: Array<{ phone: string }>) => ({ members: m.slice(0, 2) }), status: 400, code: 'invalid_panel', message: /至少需要 3 人/ },
    { name: 'the same phone twice', edit: (m: Array<{ phone: string }>) => ({ members: [...m, { phone: PANEL.town, role: '村民代表', name: '王志强' }] }), status: 400, code: 'invalid_panel', message: /同一个手机号.*两次/ },
    { name: 'no reason', edit: () => ({ reason: undefined }), status: 400, code: 'invalid_input', message: /原因|必须填写/ },
    { name: 'a one-character reason', edit: () => ({ reason: '改' }), status: 400, code: 'invalid_input', message: /至少 2 个字/ },
    { name: 'a hidden character in a name', edit: (m: Array<{ phone: string; role: string; name: string }>) => ({ members: m.map((x, i) => (i === 0 ? { ...x, name: '王\u202e志强' } : x)) }), status: 400, code: 'invalid_input', message: /成员姓名/ },
    { name: 'a bad phone', edit: (m: Array<{ phone: string; role: string; name: string }>) => ({ members: [...m, { phone: '12345', role: '村民代表', name: '洪天佑' }] }), status: 400, code: 'invalid_input', message: /手机号/ },
    { name: 'a quorum of 0', edit: () => ({ quorum: 0 }), status: 400, code: 'invalid_input', message: /quorum|1/ },
    { name: 'villages (not changeable)', edit: () => ({ villageIds: [VILLAGES.lingpan] }), status: 400, code: 'invalid_input', message: /villageIds/ },
  ])('$name → $status $code, nothing changed', async ({ edit, status, code, message }) => {
    const { t, campaignId, cadre } = await lingpan();
    const { panel, members } = await current(t, campaignId, cadre);
    const before = { ...panelState(t), accounts: t.db.$client.prepare(`select count(*) as n from accounts`).get() };
    const err = await expectError(await change(t, cadre, panel.id, { name: panel.name, quorum: panel.quorum, members, reason: '调整成员。', ...edit(members) }), status, code);
    expect(`${err.message} ${JSON.stringify(err.details ?? '')}`).toMatch(message);
    expect({ ...panelState(t), accounts: t.db.$client.prepare(`select count(*) as n from accounts`).get() }).toEqual(before);
  });

  it('only the campaign’s cadres change it (403 for a villager, a member, another village’s cadre); an unknown panel is 404; a finished campaign’s is 409', async () => {
    const { t, campaignId, cookies, cadre } = await lingpan();
    const { panel, members } = await current(t, campaignId, cadre);
    const b = { name: panel.name, quorum: panel.quorum, members: members.slice(1), reason: '调整成员。' };
    const before = panelState(t);
    for (const who of [sessionFor(t, PHONES.lingpan(2)), cookies[PANEL.village]!, sessionFor(t, PHONES.yangweiCadre)]) {
      expect((await expectError(await change(t, who, panel.id, b), 403, 'forbidden')).message).toContain('村干部');
    }
    await expectError(await change(t, cadre, 'pn_nosuchpanel', b), 404, 'not_found');
    t.db.$client.prepare(`update campaigns set status = 'closed' where id = ?`).run(campaignId);
    expect((await expectError(await change(t, cadre, panel.id, b), 409, 'campaign_not_open')).message).toContain('活动已结束');
    t.db.$client.prepare(`update campaigns set status = 'open' where id = ?`).run(campaignId);
    expect(panelState(t)).toEqual(before);
  });
});
