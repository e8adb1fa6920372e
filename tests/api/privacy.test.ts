import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { households } from '../../server/db/schema.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { freshPhone, PHONE, PHONE_RE, seededCampaign, selfRegister, VILLAGE } from './helpers.ts';

/** 洋尾村 with, besides its imported roster, a self-registered household and one entered by proxy. */
async function village() {
  const t = makeApp();
  await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
  const cadre = await t.signIn(PHONE.yangweiCadre);
  await t.req('POST', '/api/households', { cookie: cadre, body: { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: { memberPhone: freshPhone(2) } } });
  return t;
}

function expectNothingPrivate(t: TestApp, text: string) {
  expect(text).not.toMatch(PHONE_RE);
  const doors = t.db.select({ door: households.doorNumber }).from(households).where(eq(households.villageId, VILLAGE.yangwei)).all();
  expect(doors.length).toBe(62);
  for (const { door } of doors) expect(text).not.toContain(door);
}

describe('public pages never show a phone or a door number', () => {
  it.each([
    ['the village', () => `/api/villages/${VILLAGE.yangwei}`],
    ['the village campaign list', () => `/api/campaigns?village=${VILLAGE.yangwei}`],
    ['all campaigns', () => '/api/campaigns'],
    ['the villages of the town', () => '/api/places/villages?town=350582102'],
  ])('%s, read anonymously', async (_label, path) => {
    const t = await village();
    const res = await t.req('GET', path());
    expect(res.status).toBe(200);
    expectNothingPrivate(t, await res.text());
  });

  it('the campaign and its rounds, read anonymously and by a villager', async () => {
    const t = await village();
    const { campaignId } = seededCampaign(t, VILLAGE.yangwei);
    const villager = await t.signIn(PHONE.yangweiVillager);
    for (const cookie of [undefined, villager]) {
      for (const path of [`/api/campaigns/${campaignId}`, `/api/campaigns/${campaignId}/rounds`, `/api/villages/${VILLAGE.yangwei}`]) {
        const res = await t.req('GET', path, cookie ? { cookie } : {});
        expect(res.status).toBe(200);
        expectNothingPrivate(t, await res.text());
      }
    }
  });

  it('while the cadre, who needs them, does see door numbers and phones', async () => {
    const t = await village();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const text = await (await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households`, { cookie: cadre })).text();
    expect(text).toContain('洋尾村101号');
    expect(text).toContain(freshPhone(2));
  });
});
