import { describe, expect, it } from 'vitest';
import { households } from '../../server/db/schema.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { addPhoto, currentRound, enter, entryOf, PHONES, submittedEntry, VILLAGES } from '../support/entries.ts';
import { makeJpeg } from '../support/images.ts';

// DESIGN §6 "Privacy by default": the public API never shows a phone number or a door number;
// a household shows as its village and the head's surname (陈家庭院). This scrapes every public
// answer of the demo once entries exist (the OpenAPI document aside) and looks for them.

const PHONE_RE = /1[3-9]\d{9}/;

/** The demo with entries of every kind the public may come across, and some it may not. */
async function demoWithEntries() {
  const t = makeApp();
  const yangwei = await currentRound(t, VILLAGES.yangwei);
  const lingpan = await currentRound(t, VILLAGES.lingpan);
  const entryIds: string[] = [];
  entryIds.push((await submittedEntry(t, PHONES.yangwei(1), yangwei, { photoCount: 2, description: '门前种了桂花，院里晒着番薯干。' })).entry.id);
  entryIds.push((await submittedEntry(t, PHONES.yangwei(2), yangwei, { seed: 2 })).entry.id);
  entryIds.push((await submittedEntry(t, PHONES.lingpan(1), lingpan, { seed: 3 })).entry.id);

  // Entered by proxy (代录) by the grid worker for a family without a smartphone.
  const me = (await (await t.req('GET', '/api/me', { cookie: await t.signIn(PHONES.yangwei(5)) })).json()) as { user: { household: { id: string } } };
  const grid = await t.signIn(PHONES.yangweiGridWorker);
  const proxied = await enter(t, grid, yangwei, { householdId: me.user.household.id, description: '网格员代录。' });
  await addPhoto(t, grid, proxied.id, await makeJpeg(160, 120, { seed: 4, exif: true }));
  entryIds.push((await entryOf(await t.req('POST', `/api/entries/${proxied.id}/submit`, { cookie: grid }))).id);

  // A draft, and a self-registered household still pending: neither is public, both have private data.
  await enter(t, await t.signIn(PHONES.yangwei(3)), yangwei);
  const pending = await t.signIn('13700000941');
  expect((await t.req('POST', '/api/households', { cookie: pending, body: { villageId: VILLAGES.yangwei, headName: '许淑珍', doorNumber: '洋尾村后巷7号' } })).status).toBe(201);
  return { t, entryIds };
}

/** Every public JSON answer reachable from the places and campaigns lists, as the given visitor. */
async function scrape(t: TestApp, cookie?: string) {
  const bodies = new Map<string, string>();
  const get = async (path: string) => {
    const res = await t.req('GET', path, cookie ? { cookie } : {});
    expect(res.status, path).toBe(200);
    const text = await res.text();
    bodies.set(path, text);
    return JSON.parse(text) as unknown;
  };
  await get('/api/places/towns');
  await get('/api/places/villages');
  for (const town of ['350582102', '350582105']) await get(`/api/places/villages?town=${town}`);
  for (const village of Object.values(VILLAGES)) {
    await get(`/api/villages/${village}`);
    await get(`/api/campaigns?village=${village}`);
  }
  const { campaigns } = (await get('/api/campaigns')) as { campaigns: Array<{ id: string }> };
  const entryIds = new Set<string>();
  for (const { id } of campaigns) {
    await get(`/api/campaigns/${id}`);
    const { rounds } = (await get(`/api/campaigns/${id}/rounds`)) as { rounds: Array<{ id: string }> };
    for (const round of rounds) {
      const { entries } = (await get(`/api/rounds/${round.id}/entries`)) as { entries: Array<{ id: string }> };
      for (const e of entries) entryIds.add(e.id);
    }
  }
  for (const id of entryIds) {
    await get(`/api/entries/${id}`);
    const qr = await t.req('GET', `/api/entries/${id}/qr.svg`);
    expect(qr.status).toBe(200);
    bodies.set(`/api/entries/${id}/qr.svg`, await qr.text());
  }
  return { bodies, entryIds, campaignCount: campaigns.length };
}

function privateValues(t: TestApp) {
  const rows = t.db.select({ door: households.doorNumber, head: households.headName }).from(households).all();
  return { doors: rows.map((r) => r.door), heads: rows.map((r) => r.head) };
}

describe('the public API shows no phone number, door number or full name', () => {
  it.each([
    ['an anonymous visitor', undefined],
    ['a villager of another household', PHONES.yangwei(40)],
  ])('everything %s can read, once entries exist', async (_who, phone) => {
    const { t, entryIds } = await demoWithEntries();
    const cookie = phone ? await t.signIn(phone) : undefined;
    const { bodies, entryIds: found, campaignCount } = await scrape(t, cookie);

    // The scrape reached what it should: both campaigns and exactly the four public entries.
    expect(campaignCount).toBe(2);
    expect([...found].sort()).toEqual([...entryIds].sort());
    const all = [...bodies.values()].join('\n');
    expect(all).toContain('陈家庭院');
    expect(all).toContain('网格员代录。');

    const { doors, heads } = privateValues(t);
    expect(doors).toContain('洋尾村后巷7号');
    expect(doors.length).toBeGreaterThanOrEqual(83);
    for (const [path, text] of bodies) {
      expect(text, path).not.toMatch(PHONE_RE);
      for (const door of doors) expect(text.includes(door), `${path} shows door number ${door}`).toBe(false);
      for (const head of heads) expect(text.includes(head), `${path} shows the name ${head}`).toBe(false);
    }
  });
});
