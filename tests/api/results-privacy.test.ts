import { describe, expect, it } from 'vitest';
import { households } from '../../server/db/schema.ts';
import { makeApp } from '../support/api.ts';
import { PHONES, VILLAGES } from '../support/entries.ts';
import { sessionFor } from '../support/likes.ts';

// DESIGN §6: public results, announcements and the winners wall show 陈家庭院, never a phone,
// a door number or a full name. Plates are the one exception the design makes: they hang on
// the door and carry the holder's full name, but still no phone or door number.

// Not inside a photo's content address (64 hex characters may hold a run of digits).
const PHONE_RE = /(?<![0-9a-f])1[3-9]\d{9}(?![0-9a-f])/;

describe('public results show no phone number, door number or full name', () => {
  it('every published result, star result, the winners wall and plate verification of the demo', async () => {
    const t = makeApp({ history: true });
    // October announced, with an objection settled publicly.
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const oct = (t.db.$client.prepare(`select r.id from rounds r join campaigns c on c.id = r.campaign_id where c.title like '%下半年%' and r.period = '2026-10'`).get() as { id: string }).id;
    expect((await t.req('POST', `/api/rounds/${oct}/announce`, { cookie: cadre })).status).toBe(200);
    const eight = (t.db.$client.prepare(`select id from households where door_number = '洋尾村8号'`).get() as { id: string }).id;
    const filed = await t.req('POST', `/api/rounds/${oct}/objections`, { cookie: sessionFor(t, PHONES.yangwei(30)), body: { householdId: eight, text: '花是借来摆的，请复核。' } });
    const objectionId = ((await filed.json()) as { objection: { id: string } }).objection.id;
    expect((await t.req('POST', `/api/objections/${objectionId}/decision`, { cookie: cadre, body: { uphold: true, reason: '经复查属实。' } })).status).toBe(200);

    const bodies = new Map<string, string>();
    const get = async (path: string) => {
      const res = await t.req('GET', path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      bodies.set(path, text);
      return JSON.parse(text) as unknown;
    };
    const { campaigns } = (await get(`/api/campaigns?village=${VILLAGES.yangwei}`)) as { campaigns: Array<{ id: string }> };
    let published = 0;
    const listed: Array<{ campaignId: string; results: unknown[] }> = [];
    for (const c of campaigns) {
      const { results } = (await get(`/api/campaigns/${c.id}/results`)) as { results: Array<{ kind: string; period: string; roundId: string | null; status: string }> };
      if (results.length) listed.push({ campaignId: c.id, results });
      for (const r of results) {
        expect(r.status).not.toBe('draft');
        await get(r.kind === 'round' ? `/api/rounds/${r.roundId}/results` : `/api/campaigns/${c.id}/stars/${r.period}`);
        published++;
      }
    }
    // Nine months of results (Jan–Jun, Jul–Sep final), October announced, and the first half-year's stars.
    expect(published).toBe(11);
    // The village page's one answer lists the same published results as each campaign's list.
    const honors = (await get(`/api/villages/${VILLAGES.yangwei}/honors`)) as { published: Array<{ campaignId: string; results: unknown[] }> };
    expect(honors.published.map(({ campaignId, results }) => ({ campaignId, results }))).toEqual(listed);
    const plates = (t.db.$client.prepare(`select serial from plates`).all() as Array<{ serial: string }>).map((p) => p.serial);
    for (const serial of plates) await get(`/api/plates/${serial}`);

    const rows = t.db.select({ door: households.doorNumber, head: households.headName }).from(households).all();
    const all = [...bodies.values()].join('\n');
    expect(all).toContain('陈家庭院');
    expect(all).toContain('经复查属实');
    for (const [path, text] of bodies) {
      expect(text, path).not.toMatch(PHONE_RE);
      for (const { door, head } of rows) {
        expect(text.includes(door), `${path} shows door number ${door}`).toBe(false);
        if (!path.startsWith('/api/plates/')) expect(text.includes(head), `${path} shows the name ${head}`).toBe(false);
      }
    }
  });
});
