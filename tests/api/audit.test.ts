import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../server/db/audit.ts';
import { auditHash, type AuditFields } from '../../server/domain/audit.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { auditCount, expectError, freshPhone, PHONE, seededCampaign, selfRegister, VILLAGE } from './helpers.ts';

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

  it.each(['', 'household', 'household:', 'account:ac_x', 'household:a b', 'household:hh_1:extra'])('refuses subject %j with 400', async (subject) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const err = await expectError(await t.req('GET', `/api/audit?subject=${encodeURIComponent(subject)}`, { cookie: cadre }), 400, 'invalid_input');
    expect(err.message).toContain('subject');
  });

  it.each(['household:hh_nope', 'campaign:cp_nope', 'round:rd_nope'])('answers 404 for %s', async (subject) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    await expectError(await t.req('GET', `/api/audit?subject=${subject}`, { cookie: cadre }), 404, 'not_found');
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
