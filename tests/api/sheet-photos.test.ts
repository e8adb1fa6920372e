import { describe, expect, it } from 'vitest';
import { addPhoto, createEntry, submitEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';
import { makeApp, ORIGIN, type TestApp } from '../support/api.ts';
import { currentRound, PHONES, VILLAGES } from '../support/entries.ts';
import { makeJpeg, SVG_IMAGE } from '../support/images.ts';
import { accountId, sessionFor } from '../support/likes.ts';

// On-site photos a panel member adds to their sheet: same pipeline as entry photos, seen only
// by the panel and the village's cadres.

function qualifiedEntry(t: TestApp, roundId: string): string {
  const now = t.clock.now();
  const cadre = accountId(t, PHONES.lingpanCadre);
  const household = (t.db.$client.prepare(`select id from households where village_id = ? and door_number = '岭畔村3号'`).get(VILLAGES.lingpan) as { id: string }).id;
  const e = createEntry(t.db, { roundId, householdId: household, villageId: VILLAGES.lingpan, description: '', actorId: cadre, byProxy: true }, now);
  const key = sha256(`sheet-photo-test-${roundId}`);
  addPhoto(t.db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadre, now);
  submitEntry(t.db, e.id, 0, cadre, now);
  return e.id;
}

async function upload(t: TestApp, cookie: string | undefined, entryId: string, bytes: Buffer, key?: string) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), 'onsite.jpg');
  return t.app.request(`/api/entries/${entryId}/score-sheets/mine/photos${key === undefined ? '' : `?key=${encodeURIComponent(key)}`}`, { method: 'POST', headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}) }, body: form }, { incoming: { socket: { remoteAddress: '10.0.0.9' } } });
}

const rows = (t: TestApp) => (t.db.$client.prepare('select count(*) as n from sheet_photos').get() as { n: number }).n;

describe('on-site photos on a score sheet', () => {
  it('a panel member adds one; the panel and the cadre see it, the public and other villagers do not', async () => {
    const t = makeApp();
    const entryId = qualifiedEntry(t, await currentRound(t, VILLAGES.lingpan));
    const member = sessionFor(t, '13900000021');
    const res = await upload(t, member, entryId, await makeJpeg(900, 600, { seed: 9, exif: true }));
    expect(res.status).toBe(201);
    const { photos } = (await res.json()) as { photos: Array<{ thumbUrl: string; displayUrl: string }> };
    expect(photos).toHaveLength(1);
    const url = photos[0]!.displayUrl;

    expect((await t.req('GET', url, { cookie: member })).status).toBe(200);
    expect((await t.req('GET', url, { cookie: sessionFor(t, '13900000022') })).status).toBe(200);
    expect((await t.req('GET', url, { cookie: sessionFor(t, PHONES.lingpanCadre) })).status).toBe(200);
    expect((await t.req('GET', url)).status).toBe(404);
    expect((await t.req('GET', url, { cookie: sessionFor(t, '13900000205') })).status).toBe(404);
    const served = Buffer.from(await (await t.req('GET', url, { cookie: member })).arrayBuffer());
    expect(served.includes(Buffer.from('TestPhone'))).toBe(false);

    // It is listed with the member's sheet once the sheet is in.
    const put = await t.req('PUT', `/api/entries/${entryId}/score-sheets/mine`, {
      cookie: member,
      body: { passed: true, points: { hygiene: 30, beautification: 20, openness: 10, culture: 10 }, comment: '', idempotencyKey: 'onsite-photo-sheet-1' },
    });
    expect(((await put.json()) as { sheet: { photos: unknown[] } }).sheet.photos).toHaveLength(1);
  });

  it('the same file sent again to the same sheet is the photo it already has, also when the sheet is full', async () => {
    const t = makeApp();
    const entryId = qualifiedEntry(t, await currentRound(t, VILLAGES.lingpan));
    const member = sessionFor(t, '13900000021');
    // a phone that kept the photo without signal sends it again when the first answer was lost
    const kept = await makeJpeg(800, 600, { seed: 31 });
    const first = await upload(t, member, entryId, kept);
    const again = await upload(t, member, entryId, kept);
    expect([first.status, again.status]).toEqual([201, 201]);
    const ids = async (res: Response) => ((await res.json()) as { photos: Array<{ id: string }> }).photos.map((p) => p.id);
    const firstIds = await ids(first);
    expect(firstIds).toHaveLength(1);
    expect(await ids(again)).toEqual(firstIds);
    expect(rows(t)).toBe(1);

    // another member's copy of the same file is their own photo
    expect((await upload(t, sessionFor(t, '13900000022'), entryId, kept)).status).toBe(201);
    expect(rows(t)).toBe(2);

    // with the sheet's six photos in, a resend of one of them is still the same photo, a new one is refused
    for (let seed = 32; seed < 37; seed++) expect((await upload(t, member, entryId, await makeJpeg(400, 300, { seed }))).status).toBe(201);
    const full = await upload(t, member, entryId, kept);
    expect(full.status).toBe(201);
    expect(await ids(full)).toHaveLength(6);
    const seventh = await upload(t, member, entryId, await makeJpeg(400, 300, { seed: 40 }));
    expect(seventh.status).toBe(409);
    expect(((await seventh.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'too_many_photos', message: expect.stringContaining('最多 6 张') });
    expect(rows(t)).toBe(7);
  });

  it('refuses a non-member (403), anonymous (401), a non-photo (415) and after scoring closed (409), storing nothing', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.lingpan);
    const entryId = qualifiedEntry(t, roundId);
    const jpeg = await makeJpeg(600, 400, { seed: 4 });
    expect((await upload(t, sessionFor(t, '13900000011'), entryId, jpeg)).status).toBe(403);
    expect((await upload(t, undefined, entryId, jpeg)).status).toBe(401);
    expect((await upload(t, sessionFor(t, '13900000021'), entryId, SVG_IMAGE)).status).toBe(415);
    const cadre = sessionFor(t, PHONES.lingpanCadre);
    expect((await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } })).status).toBe(200);
    expect((await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'scoring_closed' } })).status).toBe(200);
    const closed = await upload(t, sessionFor(t, '13900000021'), entryId, jpeg);
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: { code: string } }).error.code).toBe('scoring_closed');
    expect(rows(t)).toBe(0);
  });

  it('a member takes back a photo of their own sheet: no longer listed nor served, audited; chosen again it is added anew; not another’s, not twice, not after closing', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.lingpan);
    const entryId = qualifiedEntry(t, roundId);
    const member = sessionFor(t, '13900000021');
    const wrong = await makeJpeg(800, 600, { seed: 41 });
    await upload(t, member, entryId, wrong);
    const kept = (await (await upload(t, member, entryId, await makeJpeg(800, 600, { seed: 42 }))).json()) as { photos: Array<{ id: string; displayUrl: string }> };
    const [gone, stays] = kept.photos;
    const remove = (cookie: string, photoId: string) => t.req('DELETE', `/api/entries/${entryId}/score-sheets/mine/photos/${photoId}`, { cookie });

    // another member cannot take it back (it is not on their sheet)
    const other = await remove(sessionFor(t, '13900000022'), gone!.id);
    expect(other.status).toBe(404);
    const res = await remove(member, gone!.id);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { photos: Array<{ id: string }> }).photos.map((p) => p.id)).toEqual([stays!.id]);
    expect((await t.req('GET', gone!.displayUrl, { cookie: sessionFor(t, PHONES.lingpanCadre) })).status).toBe(404);
    expect((await t.req('GET', stays!.displayUrl, { cookie: member })).status).toBe(200);
    const audit = t.db.$client.prepare(`select actor_id as actor, before from audit_log where action = 'sheet.photo.remove'`).all() as Array<{ actor: string; before: string }>;
    expect(audit).toEqual([{ actor: accountId(t, '13900000021'), before: expect.stringContaining(gone!.id) }]);

    // taken back twice is 404; the member choosing the same file again adds it anew
    expect((await remove(member, gone!.id)).status).toBe(404);
    const again = ((await (await upload(t, member, entryId, wrong)).json()) as { photos: Array<{ id: string }> }).photos.map((p) => p.id);
    expect(again).toHaveLength(2);
    expect(again).not.toContain(gone!.id);
    expect((await remove(member, again.find((id) => id !== stays!.id)!)).status).toBe(200);

    const cadre = sessionFor(t, PHONES.lingpanCadre);
    expect((await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } })).status).toBe(200);
    expect((await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'scoring_closed' } })).status).toBe(200);
    const closed = await remove(member, stays!.id);
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: { code: string } }).error.code).toBe('scoring_closed');
    expect(rows(t)).toBe(3);
    expect((t.db.$client.prepare(`select count(*) as n from sheet_photos where removed_at is null`).get() as { n: number }).n).toBe(1);
  });

  it('a member taken off the panel since can still take back a photo they took; nobody else can', async () => {
    const t = makeApp();
    const entryId = qualifiedEntry(t, await currentRound(t, VILLAGES.lingpan));
    const member = sessionFor(t, '13900000021');
    const { photos } = (await (await upload(t, member, entryId, await makeJpeg(800, 600, { seed: 51 }))).json()) as { photos: Array<{ id: string }> };
    const cadre = sessionFor(t, PHONES.lingpanCadre);
    const campaignId = (t.db.$client.prepare(`select r.campaign_id as c from entries e join rounds r on r.id = e.round_id where e.id = ?`).get(entryId) as { c: string }).c;
    const { panels } = (await (await t.req('GET', `/api/campaigns/${campaignId}/panels`, { cookie: cadre })).json()) as { panels: Array<{ id: string; name: string; quorum: number; members: Array<{ phone: string; role: string; name: string }> }> };
    const panel = panels[0]!;
    const changed = await t.req('PUT', `/api/panels/${panel.id}`, {
      cookie: cadre,
      body: { name: panel.name, quorum: panel.quorum, members: panel.members.filter((m) => m.phone !== '13900000021').map(({ phone, role, name }) => ({ phone, role, name })), reason: '王志强调走了。' },
    });
    expect(changed.status).toBe(200);
    expect((await t.req('DELETE', `/api/entries/${entryId}/score-sheets/mine/photos/${photos[0]!.id}`, { cookie: sessionFor(t, '13900000022') })).status).toBe(404);
    expect((await t.req('DELETE', `/api/entries/${entryId}/score-sheets/mine/photos/${photos[0]!.id}`, { cookie: member })).status).toBe(200);
  });

  it('the phone’s key names the photo: sent again after it was taken back it stays gone; a new key is a new photo; a bad key is 400', async () => {
    const t = makeApp();
    const entryId = qualifiedEntry(t, await currentRound(t, VILLAGES.lingpan));
    const member = sessionFor(t, '13900000021');
    const bytes = await makeJpeg(800, 600, { seed: 61 });
    const ids = async (res: Response) => ((await res.json()) as { photos: Array<{ id: string }> }).photos.map((p) => p.id);
    const [first] = await ids(await upload(t, member, entryId, bytes, 'phone-key-0001'));
    expect((await t.req('DELETE', `/api/entries/${entryId}/score-sheets/mine/photos/${first}`, { cookie: member })).status).toBe(200);
    // the answer to the first send was lost: the phone sends it again with its key, after the member deleted it
    expect(await ids(await upload(t, member, entryId, bytes, 'phone-key-0001'))).toEqual([]);
    // chosen again on purpose, it is a new record on the phone with a new key
    const again = await ids(await upload(t, member, entryId, bytes, 'phone-key-0002'));
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(first);

    const before = rows(t);
    const bad = await upload(t, member, entryId, bytes, 'bad key!');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('key');
    expect(rows(t)).toBe(before);
  });
});
