import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../server/db/schema.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { expectError, fieldsOf, PHONE, roundStatus, seededCampaign, singleCampaign, snapshot, VILLAGE } from './helpers.ts';

/** 岭畔村's single evaluation (seeded, open) with its one round at entries_open, and its cadre signed in. */
async function lingpanRound() {
  const t = makeApp();
  const cadre = await t.signIn(PHONE.lingpanCadre);
  const { campaignId, roundIds } = seededCampaign(t, VILLAGE.lingpan);
  const roundId = roundIds[0]!;
  const move = (to: string, reason?: string) =>
    t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: reason === undefined ? { to } : { to, reason } });
  return { t, cadre, campaignId, roundId, move };
}

const roundAudit = (t: TestApp, roundId: string) =>
  t.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'round'), eq(auditLog.subjectId, roundId))).all();

describe('moving a round along its lifecycle', () => {
  it('entries_open → inspecting → scoring_closed, each move answered with the round and written to the audit log', async () => {
    const { t, roundId, move } = await lingpanRound();
    const first = await move('inspecting');
    expect(first.status).toBe(200);
    expect(((await first.json()) as { round: { id: string; status: string } }).round).toMatchObject({ id: roundId, status: 'inspecting' });
    expect((await move('scoring_closed')).status).toBe(200);
    expect(roundStatus(t, roundId)).toBe('scoring_closed');

    const rows = roundAudit(t, roundId);
    expect(rows.map((r) => [r.action, JSON.parse(r.before!).status, JSON.parse(r.after!).status])).toEqual([
      ['round.transition', 'entries_open', 'inspecting'],
      ['round.transition', 'inspecting', 'scoring_closed'],
    ]);
  });

  it.each([
    ['entries_open', 'scoring_closed', '可改为：实地核实中'],
    ['entries_open', 'announced', '可改为：实地核实中'],
    ['entries_open', 'final', '可改为：实地核实中'],
    ['entries_open', 'entries_open', '可改为：实地核实中'],
    ['inspecting', 'entries_open', '可改为：评分已截止'],
    ['inspecting', 'announced', '可改为：评分已截止'],
  ])('refuses %s → %s with 409, leaving the round as it was', async (from, to, hint) => {
    const { t, roundId, move } = await lingpanRound();
    if (from === 'inspecting') expect((await move('inspecting')).status).toBe(200);
    const before = snapshot(t);
    const err = await expectError(await move(to), 409, 'invalid_transition');
    expect(err.message).toContain('不能改为');
    expect(err.message).toContain(hint);
    expect(err.details).toMatchObject({ from, to });
    expect(roundStatus(t, roundId)).toBe(from);
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses scoring_closed → announced through /transition: announcing has its own action (409)', async () => {
    const { t, roundId, move } = await lingpanRound();
    await move('inspecting');
    await move('scoring_closed');
    const before = snapshot(t);
    const err = await expectError(await move('announced'), 409, 'use_dedicated_action');
    expect(err.message).toContain('公示');
    expect(roundStatus(t, roundId)).toBe('scoring_closed');
    expect(snapshot(t)).toEqual(before);
  });

  it('reopening scoring (scoring_closed → inspecting) needs a reason, which the audit log keeps', async () => {
    const { t, roundId, move } = await lingpanRound();
    await move('inspecting');
    await move('scoring_closed');
    const before = snapshot(t);

    const missing = await expectError(await move('inspecting'), 400, 'reason_required');
    expect(missing.message).toContain('原因');
    expect(fieldsOf(missing)).toContain('reason');
    const short = await expectError(await move('inspecting', '补'), 400, 'invalid_input');
    expect(fieldsOf(short)).toContain('reason');
    expect(short.message).toContain('至少 2 个字');
    await expectError(await move('inspecting', '   '), 400, 'invalid_input');
    expect(roundStatus(t, roundId)).toBe('scoring_closed');
    expect(snapshot(t)).toEqual(before);

    const res = await move('inspecting', '陈家庭院的评分表漏填了文化内涵');
    expect(res.status).toBe(200);
    expect(roundStatus(t, roundId)).toBe('inspecting');
    const last = roundAudit(t, roundId).at(-1)!;
    expect(last).toMatchObject({ action: 'round.transition', reason: '陈家庭院的评分表漏填了文化内涵' });
    expect(JSON.parse(last.after!)).toEqual({ status: 'inspecting', entriesReopened: 0 });
  });

  it('refuses to move a round of a draft campaign (409) and of a closed one', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.lingpanCadre);
    const created = await t.req('POST', '/api/campaigns', { cookie: cadre, body: singleCampaign([VILLAGE.lingpan]) });
    const { campaign } = (await created.json()) as { campaign: { id: string } };
    const { rounds } = (await (await t.req('GET', `/api/campaigns/${campaign.id}/rounds`, { cookie: cadre })).json()) as { rounds: Array<{ id: string }> };
    const roundId = rounds[0]!.id;
    const move = () => t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } });

    let before = snapshot(t);
    const draft = await expectError(await move(), 409, 'campaign_not_open');
    expect(draft.message).toContain('草稿');
    expect(snapshot(t)).toEqual(before);

    await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: cadre, body: { to: 'open' } });
    await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: cadre, body: { to: 'closed' } });
    before = snapshot(t);
    const closed = await expectError(await move(), 409, 'campaign_not_open');
    expect(closed.message).toContain('已结束');
    expect(roundStatus(t, roundId)).toBe('entries_open');
    expect(snapshot(t)).toEqual(before);
  });

  it.each([
    ['an unknown state', { to: 'published' }, 'to'],
    ['no state', {}, 'to'],
    ['an unknown field', { to: 'inspecting', force: true }, '(body)'],
  ])('refuses a body with %s (400)', async (_label, body, field) => {
    const { t, roundId, cadre } = await lingpanRound();
    const before = snapshot(t);
    const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body }), 400, 'invalid_input');
    expect(fieldsOf(err)).toContain(field);
    expect(snapshot(t)).toEqual(before);
  });

  it('answers 404 for a round that does not exist', async () => {
    const { t, cadre } = await lingpanRound();
    const err = await expectError(await t.req('POST', '/api/rounds/rd_nope/transition', { cookie: cadre, body: { to: 'inspecting' } }), 404, 'not_found');
    expect(err.message).toContain('评比轮次');
  });

  it('a monthly round moves on its own: the other months stay open', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const { roundIds } = seededCampaign(t, VILLAGE.yangwei);
    const res = await t.req('POST', `/api/rounds/${roundIds[4]}/transition`, { cookie: cadre, body: { to: 'inspecting' } });
    expect(res.status).toBe(200);
    expect(roundIds.map((id) => roundStatus(t, id))).toEqual(['entries_open', 'entries_open', 'entries_open', 'entries_open', 'inspecting', 'entries_open']);
  });
});
