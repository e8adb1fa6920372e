import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';

describe('smoke', () => {
  it('signs in a demo cadre and shows the role', async () => {
    const t = makeApp();
    const cookie = await t.signIn('13900000002');
    const me = await t.req('GET', '/api/me', { cookie });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: { roles: Array<{ kind: string; scopeName: string }> } };
    expect(body.user.roles).toEqual([expect.objectContaining({ kind: 'village_cadre', scopeName: '洋尾村' })]);
  });
});
