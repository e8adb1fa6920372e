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
