import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';
import { expectError, TOWN, VILLAGE } from './helpers.ts';

interface Village {
  id: string;
  code: string;
  name: string;
  officialName: string;
  townId: string;
  townName: string;
}

describe('places', () => {
  it('lists the villages of 磁灶镇 with their real 12-digit codes and official names', async () => {
    const t = makeApp();
    const res = await t.req('GET', `/api/places/villages?town=${TOWN.cizao}`);
    expect(res.status).toBe(200);
    const { villages } = (await res.json()) as { villages: Village[] };
    const byId = new Map(villages.map((v) => [v.id, v]));
    expect(byId.get(VILLAGE.lingpan)).toEqual({ id: VILLAGE.lingpan, code: VILLAGE.lingpan, name: '岭畔村', officialName: '岭畔村委会', townId: TOWN.cizao, townName: '磁灶镇' });
    expect(byId.get(VILLAGE.yangwei)).toEqual({ id: VILLAGE.yangwei, code: VILLAGE.yangwei, name: '洋尾村', officialName: '洋尾村委会', townId: TOWN.cizao, townName: '磁灶镇' });
    expect(villages.every((v) => /^350582102\d{3}$/.test(v.id) && v.townName === '磁灶镇')).toBe(true);
    expect(byId.has(VILLAGE.huashan)).toBe(false);
  });

  it('lists the towns of 晋江市, leaving out development zones without residents', async () => {
    const t = makeApp();
    const { towns } = (await (await t.req('GET', '/api/places/towns')).json()) as { towns: Array<{ id: string; name: string; villageCount: number }> };
    expect(towns).toEqual(expect.arrayContaining([expect.objectContaining({ id: TOWN.cizao, name: '磁灶镇' }), expect.objectContaining({ id: TOWN.shenhu, name: '深沪镇' })]));
    expect(towns.some((town) => town.id.startsWith('3505824'))).toBe(false);
    expect(towns.every((town) => town.villageCount > 0)).toBe(true);
  });

  it.each(['abc', '35058210', '3505821020', '350582102201', ' '])('refuses town code %j with 400 saying what a town code is', async (town) => {
    const t = makeApp();
    const err = await expectError(await t.req('GET', `/api/places/villages?town=${encodeURIComponent(town)}`), 400, 'invalid_input');
    expect(err.message).toContain('镇（街道）编码应为 9 位数字');
  });

  it('answers a well-formed town code that does not exist with an empty list', async () => {
    const t = makeApp();
    const { villages } = (await (await t.req('GET', '/api/places/villages?town=350582999')).json()) as { villages: Village[] };
    expect(villages).toEqual([]);
  });

  it('shows one village with its open campaigns', async () => {
    const t = makeApp();
    const res = await t.req('GET', `/api/villages/${VILLAGE.yangwei}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Village & { campaigns: Array<{ title: string; format: string; status: string }> };
    expect(body).toMatchObject({ id: VILLAGE.yangwei, name: '洋尾村', officialName: '洋尾村委会', townName: '磁灶镇' });
    expect(body.campaigns).toEqual([expect.objectContaining({ title: '2026年下半年洋尾村美丽庭院月评', format: 'monthly', status: 'open' })]);
  });

  it('answers 404 for a 12-digit code that is no village', async () => {
    const t = makeApp();
    const err = await expectError(await t.req('GET', '/api/villages/350582102299'), 404, 'not_found');
    expect(err.message).toBe('找不到该村（社区）。');
  });

  it.each(['35058210220', 'yangwei', '3505821022071'])('refuses village code %j with 400', async (id) => {
    const t = makeApp();
    const err = await expectError(await t.req('GET', `/api/villages/${id}`), 400, 'invalid_input');
    expect(err.message).toContain('12 位数字');
  });
});
