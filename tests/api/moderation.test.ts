import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../support/api.ts';
import { currentRound, type EntryCard, type EntryView, entryOf, expectError, fetchBytes, PHONES, stored, submittedEntry, VILLAGES } from '../support/entries.ts';

// DESIGN §3/§6: a cadre hides or restores an entry or one photo with a reason the household is
// told; the public no longer sees what is hidden. And the share link: QR code and poster.

interface Notice {
  kind: string;
  payload: { text?: string; reason?: string; entryId?: string; photoId?: string };
  read: boolean;
}

/** 洋尾村 with a submitted entry of 3 photos by 洋尾村1号; the household's and the cadre's cookies. */
async function published() {
  const t = makeApp();
  const roundId = await currentRound(t, VILLAGES.yangwei);
  const { cookie, entry } = await submittedEntry(t, PHONES.yangwei(1), roundId, { photoCount: 3 });
  const cadre = await t.signIn(PHONES.yangweiCadre);
  return { t, roundId, household: cookie, cadre, entry };
}

const moderate = (t: TestApp, cookie: string, entryId: string, body: Record<string, unknown>) => t.req('POST', `/api/entries/${entryId}/moderation`, { cookie, body });

async function publicEntry(t: TestApp, id: string) {
  return entryOf(await t.req('GET', `/api/entries/${id}`));
}
async function mine(t: TestApp, cookie: string): Promise<EntryView[]> {
  const res = await t.req('GET', '/api/me/entries', { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: EntryView[] }).entries;
}
async function inbox(t: TestApp, cookie: string): Promise<Notice[]> {
  const res = await t.req('GET', '/api/me/notifications', { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { notifications: Notice[] }).notifications;
}
async function gallery(t: TestApp, roundId: string): Promise<EntryCard[]> {
  const res = await t.req('GET', `/api/rounds/${roundId}/entries`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: EntryCard[] }).entries;
}

describe('hiding and restoring a photo', () => {
  it('a hidden photo leaves the public entry and its URLs 404; the household sees it with the reason and gets a notice; restoring brings it back', async () => {
    const { t, roundId, household, cadre, entry } = await published();
    const [first, second, third] = entry.photos;
    const reason = '照片中有商业广告';

    const hidden = await entryOf(await moderate(t, cadre, entry.id, { action: 'hide', photoId: first!.id, reason }));
    expect(hidden.photos.find((p) => p.id === first!.id)?.hidden?.reason).toBe(reason);

    const page = await publicEntry(t, entry.id);
    expect(page.photos.map((p) => p.id)).toEqual([second!.id, third!.id]);
    expect(page.coverUrl).toBe(second!.thumbUrl);
    expect(JSON.stringify(page)).not.toContain(first!.displayUrl.split('/')[3]);
    expect(JSON.stringify(page)).not.toContain(reason);
    for (const url of [first!.displayUrl, first!.thumbUrl]) await expectError(await t.req('GET', url), 404, 'not_found');
    expect((await t.req('GET', second!.displayUrl)).status).toBe(200);
    expect(await gallery(t, roundId)).toEqual([expect.objectContaining({ id: entry.id, photoCount: 2, coverUrl: second!.thumbUrl })]);

    // The household still sees the photo, marked, with the reason; and may still open it.
    const own = (await mine(t, household)).find((e) => e.id === entry.id)!;
    expect(own.photos.map((p) => [p.id, p.hidden?.reason ?? null])).toEqual([[first!.id, reason], [second!.id, null], [third!.id, null]]);
    expect((await t.req('GET', first!.displayUrl, { cookie: household })).status).toBe(200);
    const notices = await inbox(t, household);
    expect(notices).toEqual([expect.objectContaining({ kind: 'photo_hidden', read: false })]);
    expect(notices[0]!.payload.text).toContain(reason);

    const restored = await entryOf(await moderate(t, cadre, entry.id, { action: 'restore', photoId: first!.id, reason: '商家已同意，恢复' }));
    expect(restored.photos.every((p) => p.hidden === null)).toBe(true);
    expect((await publicEntry(t, entry.id)).photos.map((p) => p.id)).toEqual([first!.id, second!.id, third!.id]);
    expect((await t.req('GET', first!.displayUrl)).status).toBe(200);
    expect((await inbox(t, household)).map((n) => n.kind)).toEqual(['photo_restored', 'photo_hidden']);
  });

  it('hiding a hidden photo is 409, restoring a visible one is 409, and neither changes anything', async () => {
    const { t, household, cadre, entry } = await published();
    const photoId = entry.photos[0]!.id;
    await entryOf(await moderate(t, cadre, entry.id, { action: 'hide', photoId, reason: '与庭院无关' }));
    let before = stored(t);
    const noticesBefore = (await inbox(t, household)).length;
    await expectError(await moderate(t, cadre, entry.id, { action: 'hide', photoId, reason: '再隐藏一次' }), 409, 'already_hidden');
    expect(stored(t)).toEqual(before);
    await entryOf(await moderate(t, cadre, entry.id, { action: 'restore', photoId, reason: '误操作，恢复' }));
    before = stored(t);
    await expectError(await moderate(t, cadre, entry.id, { action: 'restore', photoId, reason: '再恢复一次' }), 409, 'already_visible');
    expect(stored(t)).toEqual(before);
    expect((await inbox(t, household)).length).toBe(noticesBefore + 1);
  });

  it('hiding without a reason (or a blank one, or an unknown action) is 400 and hides nothing', async () => {
    const { t, cadre, entry } = await published();
    const photoId = entry.photos[0]!.id;
    const before = stored(t);
    for (const body of [{ action: 'hide', photoId }, { action: 'hide', photoId, reason: '   ' }, { action: 'delete', photoId, reason: '不合适的照片' }]) {
      const err = await expectError(await moderate(t, cadre, entry.id, body), 400, 'invalid_input');
      expect(JSON.stringify(err.details)).toMatch(/reason|action/);
    }
    expect(stored(t)).toEqual(before);
    expect((await publicEntry(t, entry.id)).photos).toHaveLength(3);
  });

  it('a photo that is not the entry’s is 404', async () => {
    const { t, cadre, entry } = await published();
    await expectError(await moderate(t, cadre, entry.id, { action: 'hide', photoId: 'ph_not_there', reason: '测试原因' }), 404, 'not_found');
  });

  it.each([
    ['the household itself', PHONES.yangwei(1)],
    ['a neighbour', PHONES.yangwei(2)],
    ['the cadre of another village', PHONES.lingpanCadre],
  ])('%s may not moderate (403), and nothing changes', async (_who, phone) => {
    const { t, entry } = await published();
    const cookie = await t.signIn(phone);
    const before = stored(t);
    await expectError(await moderate(t, cookie, entry.id, { action: 'hide', photoId: entry.photos[0]!.id, reason: '我觉得不好看' }), 403, 'forbidden');
    await expectError(await moderate(t, cookie, entry.id, { action: 'hide', reason: '我觉得不好看' }), 403, 'forbidden');
    expect(stored(t)).toEqual(before);
  });

  it('anonymous moderation is 401', async () => {
    const { t, entry } = await published();
    await expectError(await t.req('POST', `/api/entries/${entry.id}/moderation`, { body: { action: 'hide', reason: '匿名隐藏' } }), 401, 'unauthenticated');
  });
});

describe('hiding a whole entry', () => {
  it('removes it from the gallery and its page, hides its photos, tells the household why; restoring brings it back', async () => {
    const { t, roundId, household, cadre, entry } = await published();
    const other = await submittedEntry(t, PHONES.yangwei(2), roundId, { seed: 2 });
    expect((await gallery(t, roundId)).map((c) => c.id).sort()).toEqual([entry.id, other.entry.id].sort());

    const reason = '照片不是本户庭院';
    const hidden = await entryOf(await moderate(t, cadre, entry.id, { action: 'hide', reason }));
    expect(hidden.hidden?.reason).toBe(reason);

    expect((await gallery(t, roundId)).map((c) => c.id)).toEqual([other.entry.id]);
    await expectError(await t.req('GET', `/api/entries/${entry.id}`), 404, 'not_found');
    await expectError(await t.req('GET', entry.photos[0]!.displayUrl), 404, 'not_found');
    await expectError(await t.req('GET', `/api/entries/${entry.id}/poster.png`), 404, 'not_found');

    const own = (await mine(t, household)).find((e) => e.id === entry.id)!;
    expect(own.hidden?.reason).toBe(reason);
    const notice = (await inbox(t, household))[0]!;
    expect(notice.kind).toBe('entry_hidden');
    expect(notice.payload.text).toContain(reason);

    await expectError(await moderate(t, cadre, entry.id, { action: 'hide', reason: '再隐藏' }), 409, 'already_hidden');
    await entryOf(await moderate(t, cadre, entry.id, { action: 'restore', reason: '核实后恢复' }));
    expect((await gallery(t, roundId)).map((c) => c.id).sort()).toEqual([entry.id, other.entry.id].sort());
    expect((await publicEntry(t, entry.id)).photos).toHaveLength(3);
    expect((await inbox(t, household))[0]!.kind).toBe('entry_restored');
  });
});

describe('sharing an entry', () => {
  it('the QR code is an SVG and the poster a 750×1200 PNG to download', async () => {
    const { t, entry } = await published();
    const qr = await t.req('GET', `/api/entries/${entry.id}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await qr.text();
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    expect(svg).not.toMatch(/<script/i);

    const { res, bytes } = await fetchBytes(t, `/api/entries/${entry.id}/poster.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 750, height: 1200 });

    // A saved poster cannot keep a count up to date, so it carries none: a like leaves it as it was.
    const liker = await t.signIn(PHONES.yangwei(2));
    expect((await t.req('PUT', `/api/entries/${entry.id}/like`, { cookie: liker })).status).toBe(200);
    const again = await fetchBytes(t, `/api/entries/${entry.id}/poster.png`);
    expect(Buffer.compare(again.bytes, bytes)).toBe(0);
  });

  it('a draft has no QR code or poster for the public (404)', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const cookie = await t.signIn(PHONES.yangwei(3));
    const res = await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: {} });
    const { entry } = (await res.json()) as { entry: EntryView };
    await expectError(await t.req('GET', `/api/entries/${entry.id}/qr.svg`), 404, 'not_found');
    await expectError(await t.req('GET', `/api/entries/${entry.id}/poster.png`), 404, 'not_found');
  });
});
