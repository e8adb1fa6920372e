import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../server/db/audit.ts';
import { auditHash, type AuditFields } from '../../server/domain/audit.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { auditCount, expectError, fieldsOf, freshPhone, PHONE, seededCampaign, selfRegister, VILLAGE } from './helpers.ts';

interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  actorName: string | null;
  actorKind: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  hash: string;
}

const trail = async (t: TestApp, subject: string, cookie: string) => {
  const res = await t.req('GET', `/api/audit?subject=${subject}`, { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: AuditRow[] }).rows;
};

/** A run of everyday changes: registrations, a rejection, a confirmation, a campaign and round moves. */
async function busyDay() {
  const t = makeApp();
  const cadre = await t.signIn(PHONE.yangweiCadre);
  const first = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
  await t.req('POST', `/api/households/${first.id}/reject`, { cookie: cadre, body: { reason: '门牌号填错了' } });
  const again = await t.req('POST', '/api/households', { cookie: first.cookie, body: { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村102号' } });
  const second = ((await again.json()) as { household: { id: string } }).household.id;
  await t.req('POST', `/api/households/${second}/confirm`, { cookie: cadre });
  const { roundIds } = seededCampaign(t, VILLAGE.yangwei);
  await t.req('POST', `/api/rounds/${roundIds[0]}/transition`, { cookie: cadre, body: { to: 'inspecting' } });
  await t.req('POST', `/api/rounds/${roundIds[0]}/transition`, { cookie: cadre, body: { to: 'scoring_closed' } });
  await t.req('POST', `/api/rounds/${roundIds[0]}/transition`, { cookie: cadre, body: { to: 'inspecting', reason: '补充核实' } });
  return { t, cadre, first: first.id, second, roundId: roundIds[0]! };
}

describe('GET /api/audit', () => {
  it("shows a household's trail to its cadre: who, when, what, before/after and why", async () => {
    const { t, cadre, first } = await busyDay();
    const rows = await trail(t, `household:${first}`, cadre);
    expect(rows.map((r) => r.action)).toEqual(['household.register', 'household.reject']);
    expect(rows[0]).toMatchObject({ actor: freshPhone(1), subjectType: 'household', subjectId: first, after: { status: 'pending', doorNumber: '洋尾村101号' } });
    expect(rows[1]).toMatchObject({ actor: PHONE.yangweiCadre, before: { status: 'pending' }, after: { status: 'rejected' }, reason: '门牌号填错了' });
    // who, in words a cadre reads: the family as a villager, the cadre by office (no panel name: none)
    expect(rows.map((r) => [r.actorKind, r.actorName])).toEqual([['villager', null], ['village_cadre', null]]);
    expect(rows[1]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    expect(rows[1]!.seq).toBeGreaterThan(rows[0]!.seq);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
  });

  it('names an actor by the name they were given on a panel, and by their highest office', async () => {
    const t = makeApp();
    const grid = await t.signIn(PHONE.yangweiGridWorker);
    const res = await t.req('POST', '/api/households', { cookie: grid, body: { villageId: VILLAGE.yangwei, headName: '庄阿水', doorNumber: '洋尾村120号', proxy: {} } });
    const { household } = (await res.json()) as { household: { id: string } };
    const admin = await t.signIn(PHONE.townAdmin);
    expect((await t.req('POST', `/api/households/${household.id}/confirm`, { cookie: admin })).status).toBe(200);
    const rows = await trail(t, `household:${household.id}`, admin);
    const panelName = (t.db.$client.prepare(`select pm.display_name as n from panel_members pm join accounts a on a.id = pm.account_id where a.phone = ? order by pm.added_at desc limit 1`).get(PHONE.yangweiGridWorker) as { n: string }).n;
    expect(rows.map((r) => [r.action, r.actor, r.actorKind, r.actorName])).toEqual([
      ['household.register_proxy', PHONE.yangweiGridWorker, 'grid_worker', panelName],
      ['household.confirm', PHONE.townAdmin, 'town_admin', null],
    ]);
  });

  it("shows a round's moves, with the reopening reason", async () => {
    const { t, cadre, roundId } = await busyDay();
    const rows = await trail(t, `round:${roundId}`, cadre);
    expect(rows.map((r) => [(r.after as { status: string }).status, r.reason])).toEqual([
      ['inspecting', null],
      ['scoring_closed', null],
      ['inspecting', '补充核实'],
    ]);
  });

  it("shows an entry's trail: submitted, a photo hidden with its reason, likes voided, qualified; another village's cadre is refused", async () => {
    const t = makeApp({ history: true });
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const entry = t.db.$client
      .prepare(`select e.id from entries e join rounds r on r.id = e.round_id where e.village_id = ? and r.period = '2026-10' order by e.id limit 1`)
      .get(VILLAGE.yangwei) as { id: string };
    const photo = t.db.$client.prepare(`select id from photos where entry_id = ? and removed_at is null limit 1`).get(entry.id) as { id: string };
    expect((await t.req('POST', `/api/entries/${entry.id}/moderation`, { cookie: cadre, body: { action: 'hide', photoId: photo.id, reason: '照片不是本户的庭院' } })).status).toBe(200);
    const rows = await trail(t, `entry:${entry.id}`, cadre);
    expect(rows.map((r) => r.action)).toContain('entry.submit');
    expect(rows.map((r) => r.action)).toContain('entry.qualify');
    expect(rows.at(-1)).toMatchObject({ action: 'photo.hide', actor: PHONE.yangweiCadre, reason: '照片不是本户的庭院' });
    expect(rows.every((r) => r.subjectType === 'entry' && r.subjectId === entry.id)).toBe(true);
    await expectError(await t.req('GET', `/api/audit?subject=entry:${entry.id}`, { cookie: await t.signIn(PHONE.lingpanCadre) }), 403, 'forbidden');
    await expectError(await t.req('GET', '/api/audit?subject=entry:en_nope', { cookie: cadre }), 404, 'not_found');
  });

  it('is open to the town admin of the village', async () => {
    const { t, first } = await busyDay();
    const admin = await t.signIn(PHONE.townAdmin);
    expect(await trail(t, `household:${first}`, admin)).toHaveLength(2);
  });

  it.each([
    ["another village's cadre", PHONE.lingpanCadre],
    ["another town's cadre", PHONE.huashanCadre],
    ['the household member', freshPhone(1)],
    ['a grid worker of the village', PHONE.yangweiGridWorker],
  ])('refuses %s with 403', async (_label, phone) => {
    const { t, first } = await busyDay();
    const cookie = await t.signIn(phone);
    const err = await expectError(await t.req('GET', `/api/audit?subject=household:${first}`, { cookie }), 403, 'forbidden');
    expect(err.message).toContain('操作记录');
  });

  it('asks to sign in first (401)', async () => {
    const { t, first } = await busyDay();
    await expectError(await t.req('GET', `/api/audit?subject=household:${first}`), 401, 'unauthenticated');
  });

  it.each([
    '',
    'household',
    'household:',
    'account:ac_x',
    'household:a b',
    'household:hh_1:extra',
    // an objection's rows are read in its result's trail
    'objection:ob_x',
    'result:',
    'result:rs 1',
    'plate:350582-YW-2026H1-0001:x',
    'plate:洋尾村1号',
    `reward:${'r'.repeat(65)}`,
    'Result:rs_x',
  ])('refuses subject %j with 400 naming the field', async (subject) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const err = await expectError(await t.req('GET', `/api/audit?subject=${encodeURIComponent(subject)}`, { cookie: cadre }), 400, 'invalid_input');
    expect(err.message).toContain('subject');
    expect(fieldsOf(err)).toEqual(['subject']);
  });

  it.each(['household:hh_nope', 'campaign:cp_nope', 'round:rd_nope', 'result:rs_nope', 'plate:350582-YW-2026H1-9999', 'reward:rw_nope'])('answers 404 for %s', async (subject) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    await expectError(await t.req('GET', `/api/audit?subject=${subject}`, { cookie: cadre }), 404, 'not_found');
  });
});

const DAY = 86_400_000;
const YANGWEI_H2 = '2026年下半年洋尾村美丽庭院月评';
/** Villagers of 洋尾村, each of a confirmed household (洋尾村30号, 31号). */
const OBJECTORS = ['13900000130', '13900000131'];

const one = <T>(t: TestApp, sql: string, ...params: unknown[]) => t.db.$client.prepare(sql).get(...params) as T;
const doorOf = (t: TestApp, n: number) => one<{ id: string }>(t, `select id from households where village_id = ? and door_number = ?`, VILLAGE.yangwei, `洋尾村${n}号`).id;

/**
 * October of the demo's 洋尾村 months, through its whole cycle: computed, announced for two days,
 * objected to twice (one upheld, which recomputes it; one dismissed), finalised.
 */
async function octoberSettled() {
  const t = makeApp({ history: true });
  const cadre = await t.signIn(PHONE.yangweiCadre);
  const campaignId = one<{ id: string }>(t, `select id from campaigns where title = ?`, YANGWEI_H2).id;
  const roundId = one<{ id: string }>(t, `select id from rounds where campaign_id = ? and period = '2026-10'`, campaignId).id;
  const post = async <T>(path: string, cookie: string, body?: unknown, status = 200) => {
    const res = await t.req('POST', path, { cookie, body });
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const { result } = await post<{ result: { id: string } }>(`/api/rounds/${roundId}/results`, cadre);
  await post(`/api/rounds/${roundId}/announce`, cadre, { objectionDays: 2 });
  const filed: string[] = [];
  for (const [i, phone] of OBJECTORS.entries()) {
    const { objection } = await post<{ objection: { id: string } }>(`/api/rounds/${roundId}/objections`, await t.signIn(phone), { householdId: doorOf(t, i === 0 ? 8 : 1), text: '评分当天院子是借邻居的花摆出来的，平时堆满杂物。' }, 201);
    filed.push(objection.id);
  }
  await post(`/api/objections/${filed[0]}/decision`, cadre, { uphold: true, reason: '经复查属实，取消本月评选资格。' });
  await post(`/api/objections/${filed[1]}/decision`, cadre, { uphold: false, reason: '复核评分表，打分有据。' });
  t.clock.advance(3 * DAY);
  await post(`/api/rounds/${roundId}/finalize`, cadre);
  return { t, cadre, resultId: result.id, objections: filed };
}

describe('GET /api/audit for the results cycle: results, plates and rewards', () => {
  it("a result's trail: who computed, announced, objected, settled each objection and finalised, in order", async () => {
    const { t, cadre, resultId, objections } = await octoberSettled();
    const rows = await trail(t, `result:${resultId}`, cadre);
    expect(rows.map((r) => [r.action, r.actor, r.subjectType])).toEqual([
      ['results.compute', PHONE.yangweiCadre, 'result'],
      // announcing computes the lines afresh from the sheets: a second version
      ['results.compute', PHONE.yangweiCadre, 'result'],
      ['results.announce', PHONE.yangweiCadre, 'result'],
      ['objection.file', OBJECTORS[0], 'result'],
      ['objection.file', OBJECTORS[1], 'result'],
      ['objection.upheld', PHONE.yangweiCadre, 'objection'],
      ['results.recompute', PHONE.yangweiCadre, 'result'],
      ['objection.dismissed', PHONE.yangweiCadre, 'objection'],
      ['results.finalize', PHONE.yangweiCadre, 'result'],
    ]);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
    expect(rows.filter((r) => r.subjectType === 'objection').map((r) => r.subjectId)).toEqual(objections);
    expect(rows.filter((r) => r.subjectType === 'result').every((r) => r.subjectId === resultId)).toBe(true);
    // what a cadre needs to say it in words: versions, counts, the deadline, the reasons, the rewards entered
    expect(rows.map((r) => (r.after as { version?: number }).version ?? null)).toEqual([1, 2, null, null, null, null, 3, null, null]);
    expect(rows[2]!.after).toMatchObject({ days: 2, objectionDeadline: expect.stringMatching(/\+08:00$/) });
    expect(rows[3]!.after).toEqual({ objectionId: objections[0], householdId: doorOf(t, 8) });
    expect([rows[5]!.reason, rows[7]!.reason]).toEqual(['经复查属实，取消本月评选资格。', '复核评分表，打分有据。']);
    // each row's lines and rewards by their number, not one record each
    for (const r of rows.filter((x) => x.action.startsWith('results.') && x.action !== 'results.announce' && x.action !== 'results.finalize')) {
      const after = r.after as { lines: number; awarded: number; lineRecords: unknown };
      expect([after.lines, after.lineRecords]).toEqual([8, 8]);
    }
    const finalize = rows.at(-1)!.after as { rewards: number; rewardRecords: unknown; status: string };
    expect(finalize).toEqual({ status: 'final', rewards: 5, rewardRecords: 5 });
    // the hash is the stored row's, and the log is whole
    const stored = t.db.$client.prepare(`select seq, hash from audit_log where seq in (${rows.map((r) => r.seq).join(',')}) order by seq`).all();
    expect(rows.map((r) => ({ seq: r.seq, hash: r.hash }))).toEqual(stored);
    expect(verifyAuditChain(t.db.$client).ok).toBe(true);
    // another result's trail holds none of October's objections
    const september = one<{ id: string }>(t, `select r.id from results r join rounds d on d.id = r.round_id where d.period = '2026-09' and r.campaign_id = (select campaign_id from rounds where id = (select round_id from results where id = ?))`, resultId).id;
    const other = await trail(t, `result:${september}`, cadre);
    expect(other.map((r) => r.action)).toEqual(['results.compute', 'results.announce', 'results.finalize']);
  });

  it('sends a row of tens of thousands of line records as their count, with the stored hash', async () => {
    const { t, cadre, resultId } = await octoberSettled();
    // A county's month: 24,000 lines recorded by one row (written here through the log's own append).
    const lineRecords = Array.from({ length: 24_000 }, (_, i) => [`hh_${String(i).padStart(10, '0')}`, i + 1, `${900 - (i % 300)}/10`, i % 3 ? 0 : 1, i % 5, null, 'a1b2c3d4e5f60718']);
    appendAudit(t.db, { actorId: null, action: 'results.recompute', subjectType: 'result', subjectId: resultId, after: { version: 9, lines: 24_000, awarded: 8_000, stars: {}, lineRecords } }, t.clock.now());
    const stored = one<{ seq: number; hash: string; bytes: number }>(t, `select seq, hash, length(after) as bytes from audit_log order by seq desc limit 1`);
    expect(stored.bytes).toBeGreaterThan(1_000_000);
    const res = await t.req('GET', `/api/audit?subject=result:${resultId}`, { cookie: cadre });
    const text = await res.text();
    expect(res.status).toBe(200);
    // the whole trail, ten rows, is a few kilobytes
    expect(text.length).toBeLessThan(12_000);
    expect(text).not.toContain('hh_0000000001');
    const row = (JSON.parse(text) as { rows: AuditRow[] }).rows.at(-1)!;
    expect(row).toMatchObject({ seq: stored.seq, hash: stored.hash, action: 'results.recompute', after: { version: 9, lines: 24_000, awarded: 8_000, stars: {}, lineRecords: 24_000 } });
    expect(verifyAuditChain(t.db.$client).ok).toBe(true);
  });

  it("a result's trail is for whoever runs its campaign: the village's cadre and town admin; not another village's cadre, an objector or a grid worker", async () => {
    const { t, resultId } = await octoberSettled();
    expect((await trail(t, `result:${resultId}`, await t.signIn(PHONE.townAdmin))).length).toBe(9);
    for (const phone of [PHONE.lingpanCadre, PHONE.huashanCadre, OBJECTORS[0]!, PHONE.yangweiGridWorker]) {
      const err = await expectError(await t.req('GET', `/api/audit?subject=result:${resultId}`, { cookie: await t.signIn(phone) }), 403, 'forbidden');
      expect(err.message).toContain('操作记录');
    }
  });

  it("a plate's trail: issued with what it says, revoked with the reason; for its village's cadres only", async () => {
    const t = makeApp({ history: true });
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const revoked = one<{ serial: string; holderName: string }>(t, `select serial, holder_name as holderName from plates where status = 'revoked'`);
    const rows = await trail(t, `plate:${revoked.serial}`, cadre);
    expect(rows.map((r) => [r.action, r.actor, r.subjectId])).toEqual([
      ['plate.issue', PHONE.yangweiCadre, revoked.serial],
      ['plate.revoke', PHONE.yangweiCadre, revoked.serial],
    ]);
    expect(rows[0]!.after).toMatchObject({ holderName: revoked.holderName, stars: 3, title: '2026年上半年 三星级美丽庭院' });
    expect(rows[1]).toMatchObject({ before: { status: 'issued' }, after: { status: 'revoked' }, reason: '复查发现门前长期堆放杂物，已不符合三星级庭院标准。' });
    // a plate issued again in its place says which it replaces
    const { plate } = (await (await t.req('POST', `/api/plates/${revoked.serial}/reissue`, { cookie: cadre })).json()) as { plate: { serial: string } };
    expect((await trail(t, `plate:${plate.serial}`, cadre)).map((r) => [r.action, (r.after as { replacing?: string }).replacing])).toEqual([['plate.issue', revoked.serial]]);
    expect(await trail(t, `plate:${revoked.serial}`, await t.signIn(PHONE.townAdmin))).toHaveLength(2);
    const holder = one<{ phone: string }>(t, `select a.phone from household_members m join accounts a on a.id = m.account_id join plates p on p.household_id = m.household_id where p.serial = ? limit 1`, revoked.serial).phone;
    for (const phone of [PHONE.lingpanCadre, holder]) {
      await expectError(await t.req('GET', `/api/audit?subject=plate:${revoked.serial}`, { cookie: await t.signIn(phone) }), 403, 'forbidden');
    }
  });

  it("a reward's trail: who marked it paid, on which day, by whom handed over; for its village's cadres only", async () => {
    const t = makeApp({ history: true });
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const paid = one<{ id: string; paidOn: string }>(t, `select id, paid_on as paidOn from rewards where status = 'paid' and village_id = ? limit 1`, VILLAGE.yangwei);
    const rows = await trail(t, `reward:${paid.id}`, cadre);
    expect(rows).toEqual([
      expect.objectContaining({ action: 'reward.paid', actor: PHONE.yangweiCadre, subjectType: 'reward', before: { status: 'pending' }, after: { status: 'paid', paidOn: paid.paidOn, payer: '林秀琴', note: '村民大会上现金发放，户主签收' } }),
    ]);
    const pending = one<{ id: string }>(t, `select id from rewards where status = 'pending' and village_id = ? limit 1`, VILLAGE.yangwei);
    expect(await trail(t, `reward:${pending.id}`, cadre)).toEqual([]);
    const member = one<{ phone: string }>(t, `select a.phone from household_members m join accounts a on a.id = m.account_id join rewards w on w.household_id = m.household_id where w.id = ? limit 1`, paid.id).phone;
    for (const phone of [PHONE.lingpanCadre, member]) {
      await expectError(await t.req('GET', `/api/audit?subject=reward:${paid.id}`, { cookie: await t.signIn(phone) }), 403, 'forbidden');
    }
  });
});

describe('the hash chain', () => {
  it('verifies after a run of changes, one row per change', async () => {
    const { t } = await busyDay();
    const check = verifyAuditChain(t.db.$client);
    expect(check).toEqual({ ok: true, rows: auditCount(t) });
  });

  it('names the row that was altered by hand', async () => {
    const { t, first } = await busyDay();
    const seq = (t.db.$client.prepare("select seq from audit_log where subject_id = ? and action = 'household.reject'").get(first) as { seq: number }).seq;
    expect(seq).toBeLessThan(auditCount(t));
    t.db.$client.prepare('update audit_log set reason = ? where seq = ?').run('按村规驳回', seq);
    const check = verifyAuditChain(t.db.$client);
    expect(check).toMatchObject({ ok: false, brokenSeq: seq });
  });

  it('names the row after one that was deleted', async () => {
    const { t } = await busyDay();
    const total = auditCount(t);
    t.db.$client.prepare('delete from audit_log where seq = ?').run(total - 2);
    expect(verifyAuditChain(t.db.$client)).toMatchObject({ ok: false, brokenSeq: total - 1 });
  });

  it('catches a row whose hash was recomputed to cover an edit, at the row after it', async () => {
    const { t } = await busyDay();
    const total = auditCount(t);
    const seq = total - 1;
    const row = t.db.$client
      .prepare('select seq, at, actor_id as actorId, action, subject_type as subjectType, subject_id as subjectId, before, after, reason, prev_hash as prevHash from audit_log where seq = ?')
      .get(seq) as AuditFields & { prevHash: string };
    const forged = { ...row, after: JSON.stringify({ status: 'final' }) };
    expect(forged.after).not.toBe(row.after);
    t.db.$client.prepare('update audit_log set after = ?, hash = ? where seq = ?').run(forged.after, auditHash(row.prevHash, forged), seq);
    expect(verifyAuditChain(t.db.$client)).toMatchObject({ ok: false, brokenSeq: total });
  });
});
