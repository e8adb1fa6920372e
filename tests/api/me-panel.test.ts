import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';

describe('GET /api/me says whether the account sits on a panel', () => {
  it.each([
    ['a panel member of 洋尾村', '13900000011', true],
    ['a villager', '13900000101', false],
    ['a village cadre who is not on the panel', '13900000002', false],
  ])('%s → panelMember %s', async (_who, phone, expected) => {
    const t = makeApp();
    const cookie = await t.signIn(phone);
    const me = (await (await t.req('GET', '/api/me', { cookie })).json()) as { user: { panelMember: boolean } };
    expect(me.user.panelMember).toBe(expected);
  });
});

describe('GET /api/me names the villages a panel member scores', () => {
  it.each([
    ['a panel member of 洋尾村', '13900000011', ['洋尾村']],
    ['a panel member of 岭畔村', '13900000024', ['岭畔村']],
    ['a villager', '13900000101', []],
  ])('%s → %j', async (_who, phone, names) => {
    const t = makeApp();
    const cookie = await t.signIn(phone);
    const me = (await (await t.req('GET', '/api/me', { cookie })).json()) as { user: { panelVillages: Array<{ id: string; name: string }> } };
    expect(me.user.panelVillages.map((v) => v.name)).toEqual(names);
  });

  it('a closed contest no longer sends its panel to that village', async () => {
    const t = makeApp();
    const cookie = await t.signIn('13900000011');
    const cadre = await t.signIn('13900000002');
    const village = (await (await t.req('GET', '/api/villages/350582102207')).json()) as { campaigns: Array<{ id: string; status: string }> };
    for (const c of village.campaigns.filter((c) => c.status === 'open')) {
      const r = await t.req('POST', `/api/campaigns/${c.id}/transition`, { cookie: cadre, body: { to: 'closed' } });
      expect(r.status, await r.clone().text()).toBe(200);
    }
    const me = (await (await t.req('GET', '/api/me', { cookie })).json()) as { user: { panelVillages: unknown[]; panelMember: boolean } };
    expect(me.user.panelVillages).toEqual([]);
    expect(me.user.panelMember).toBe(true);
  });
});
