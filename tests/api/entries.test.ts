import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../support/api.ts';
import {
  addPhoto,
  currentRound,
  enter,
  type EntryCard,
  type EntryView,
  entryOf,
  expectError,
  PHONES,
  stored,
  submittedEntry,
  VILLAGES,
} from '../support/entries.ts';
import { makeJpeg } from '../support/images.ts';
import { accountId } from '../support/likes.ts';

// DESIGN §3 Entry: one per household per round, 1–9 photos, draft → submitted → qualified, withdrawn, 代录.

async function yangwei() {
  const t = makeApp();
  return { t, roundId: await currentRound(t, VILLAGES.yangwei) };
}

/** A draft entry of 洋尾村1号 with `n` distinct photos; the household member's cookie. */
async function draftWithPhotos(t: TestApp, roundId: string, n: number) {
  const cookie = await t.signIn(PHONES.yangwei(1));
  let entry = await enter(t, cookie, roundId, { description: '门前屋后干干净净。' });
  for (let i = 0; i < n; i++) entry = await addPhoto(t, cookie, entry.id, await makeJpeg(160, 120, { seed: 40 + i }));
  return { cookie, entry };
}

/** An instant as the API writes it: ISO 8601 in Shanghai time. */
const shanghai = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace('Z', '+08:00');

async function listed(t: TestApp, roundId: string): Promise<EntryCard[]> {
  const res = await t.req('GET', `/api/rounds/${roundId}/entries`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: EntryCard[] }).entries;
}

describe('entering a courtyard', () => {
  it('a draft gets photos, is submitted, and then the public sees it on its page and in the gallery', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn(PHONES.yangwei(1));
    const draft = await enter(t, cookie, roundId, { description: '  院子里种了三角梅。 ' });
    expect(draft).toMatchObject({ status: 'draft', roundId, description: '院子里种了三角梅。', byProxy: false, photos: [], submittedAt: null, qualifiedAt: null, threshold: 50 });

    // A draft is the household's own business.
    expect((await t.req('GET', `/api/entries/${draft.id}`)).status).toBe(404);
    expect(await listed(t, roundId)).toEqual([]);

    await addPhoto(t, cookie, draft.id, await makeJpeg(320, 240, { seed: 1 }), { kind: 'before' });
    const withTwo = await addPhoto(t, cookie, draft.id, await makeJpeg(320, 240, { seed: 2 }), { kind: 'after' });
    expect(withTwo.photos.map((p) => [p.kind, p.position])).toEqual([['before', 1], ['after', 2]]);

    const submitted = await entryOf(await t.req('POST', `/api/entries/${draft.id}/submit`, { cookie }));
    expect(submitted.status).toBe('submitted');
    expect(submitted.submittedAt).toBe(shanghai(t.clock.now()));
    expect(submitted.qualifiedAt).toBeNull();

    const page = await entryOf(await t.req('GET', `/api/entries/${draft.id}`));
    expect(page).toMatchObject({ id: draft.id, status: 'submitted', householdLabel: '陈家庭院', villageId: VILLAGES.yangwei, likeCount: 0, threshold: 50, description: '院子里种了三角梅。' });
    expect(page.photos.map((p) => p.kind)).toEqual(['before', 'after']);
    expect(page.coverUrl).toBe(page.photos[0]!.thumbUrl);
    // The public sees no moderation or capture-time details.
    expect(page).not.toHaveProperty('hidden');
    expect(page.photos[0]).not.toHaveProperty('capturedAt');

    expect(await listed(t, roundId)).toEqual([expect.objectContaining({ id: draft.id, householdLabel: '陈家庭院', photoCount: 2, coverUrl: page.coverUrl, status: 'submitted' })]);
  });

  it('submitting without a photo is 400 and the entry stays a draft', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn(PHONES.yangwei(1));
    const draft = await enter(t, cookie, roundId);
    const before = stored(t);
    const err = await expectError(await t.req('POST', `/api/entries/${draft.id}/submit`, { cookie }), 400, 'photos_required');
    expect(err.message).toContain('照片');
    expect(stored(t)).toEqual(before);
    expect((await t.req('GET', `/api/entries/${draft.id}`)).status).toBe(404);
  });

  it('with a like threshold of 0 (岭畔村) a submitted entry qualifies at once', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.lingpan);
    const { entry } = await submittedEntry(t, PHONES.lingpan(1), roundId);
    expect(entry.status).toBe('qualified');
    expect(entry.threshold).toBe(0);
    expect(entry.qualifiedAt).toBe(entry.submittedAt);
    expect(entry.qualifiedAt).toBe(shanghai(t.clock.now()));
    const page = await entryOf(await t.req('GET', `/api/entries/${entry.id}`));
    expect(page).toMatchObject({ status: 'qualified', qualifiedAt: entry.qualifiedAt });
  });

  it('a withdrawn entry leaves the gallery, and entering again takes the same entry up as a draft', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.lingpan);
    const { cookie, entry } = await submittedEntry(t, PHONES.lingpan(2), roundId);
    const withdrawn = await entryOf(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie, body: { reason: '院子在翻修' } }));
    expect(withdrawn.status).toBe('withdrawn');
    expect((await t.req('GET', `/api/entries/${entry.id}`)).status).toBe(404);
    expect((await t.req('GET', entry.photos[0]!.displayUrl)).status).toBe(404);
    expect(await listed(t, roundId)).toEqual([]);

    const again = await entryOf(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: { description: '翻修好了，重新参评。' } }), 201);
    expect(again.id).toBe(entry.id);
    expect(again).toMatchObject({ status: 'draft', description: '翻修好了，重新参评。', qualifiedAt: null, submittedAt: null });
    expect(again.photos).toHaveLength(1);
    expect(stored(t).entries).toHaveLength(1);

    t.clock.advance(60_000);
    const resubmitted = await entryOf(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }));
    expect(resubmitted.status).toBe('qualified');
    expect(Date.parse(resubmitted.qualifiedAt!)).toBeGreaterThan(Date.parse(entry.qualifiedAt!));
  });

  it('a second entry for the same household and round is 409, whoever tries, and nothing is added', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn(PHONES.yangwei(1));
    const first = await enter(t, cookie, roundId);
    const before = stored(t);
    const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: {} }), 409, 'entry_exists');
    expect(err.details).toMatchObject({ entryId: first.id });
    // The cadre, entering the same family by proxy, is told the same.
    const cadre = await t.signIn(PHONES.yangweiCadre);
    const me = (await (await t.req('GET', '/api/me', { cookie })).json()) as { user: { household: { id: string } } };
    await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie: cadre, body: { householdId: me.user.household.id } }), 409, 'entry_exists');
    expect(stored(t)).toEqual(before);
  });

  it('a round past its last day takes no entries and no changes (409)', async () => {
    const { t, roundId } = await yangwei();
    const { cookie, entry } = await draftWithPhotos(t, roundId, 1);
    const late = await t.signIn(PHONES.yangwei(2));
    t.clock.set(Date.parse('2026-12-01T00:00:00+08:00'));
    const before = stored(t);
    await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie: late, body: {} }), 409, 'round_closed');
    await expectError(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }), 409, 'round_closed');
    await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { description: '晚了' } }), 409, 'round_closed');
    expect(stored(t)).toEqual(before);
  });

  it('a round that has not begun takes no entries yet, and says from when (409)', async () => {
    const { t } = await yangwei();
    const village = (await (await t.req('GET', `/api/villages/${VILLAGES.yangwei}`)).json()) as { campaigns: Array<{ id: string }> };
    const { rounds } = (await (await t.req('GET', `/api/campaigns/${village.campaigns[0]!.id}/rounds`)).json()) as { rounds: Array<{ id: string; period: string }> };
    const december = rounds.find((r) => r.period === '2026-12')!;
    const cookie = await t.signIn(PHONES.yangwei(4));
    const err = await expectError(await t.req('POST', `/api/rounds/${december.id}/entries`, { cookie, body: {} }), 409, 'round_closed');
    expect(err.message).toContain('2026-12-01');
    expect(stored(t).entries).toEqual([]);
  });

  it('a round the cadre has moved to inspecting takes no entries (409)', async () => {
    const { t, roundId } = await yangwei();
    const cadre = await t.signIn(PHONES.yangweiCadre);
    const moved = await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } });
    expect(moved.status).toBe(200);
    const cookie = await t.signIn(PHONES.yangwei(3));
    const before = stored(t);
    const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: {} }), 409, 'round_closed');
    expect(err.message).toContain('截止');
    expect(stored(t)).toEqual(before);
  });

  it('the entry and village pages are told, by the server’s clock, whether the round has begun, takes changes or is over', async () => {
    const { t, roundId } = await yangwei();
    const { cookie, entry } = await draftWithPhotos(t, roundId, 1);
    const view = async () => (await entryOf(await t.req('GET', `/api/entries/${entry.id}`, { cookie }))) as EntryView & { takesChanges: boolean; roundOver: boolean; editable: boolean };
    const begun = async () => {
      const v = (await (await t.req('GET', `/api/villages/${VILLAGES.yangwei}`)).json()) as { campaigns: Array<{ currentRound: { id: string; begun: boolean } | null }> };
      return v.campaigns.map((c) => c.currentRound?.begun);
    };
    expect(await view()).toMatchObject({ takesChanges: true, roundOver: false, editable: true });
    expect(await begun()).toContain(true);

    // The last instant of the round still takes changes; the next one is past it.
    t.clock.set(Date.parse('2026-11-30T23:59:59.999+08:00'));
    expect(await view()).toMatchObject({ takesChanges: true, roundOver: false });
    t.clock.set(Date.parse('2026-12-01T00:00:00+08:00'));
    expect(await view()).toMatchObject({ takesChanges: false, roundOver: true, editable: false });

    // Closed early by the cadre: no more changes, though its last day has not come.
    t.clock.set(Date.parse('2026-11-20T10:00:00+08:00'));
    const cadre = await t.signIn(PHONES.yangweiCadre);
    expect((await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } })).status).toBe(200);
    expect(await view()).toMatchObject({ takesChanges: false, roundOver: false, editable: false });

    // Before any round of the campaigns has begun, none is shown as running.
    t.clock.set(Date.parse('2025-01-01T00:00:00+08:00'));
    expect(await begun()).not.toContain(true);
  });
});

describe('entering on a family’s behalf (代录)', () => {
  async function householdOf(t: TestApp, phone: string): Promise<string> {
    const me = (await (await t.req('GET', '/api/me', { cookie: await t.signIn(phone) })).json()) as { user: { household: { id: string } } };
    return me.user.household.id;
  }

  it.each([
    ['the village cadre', PHONES.yangweiCadre],
    ['the grid worker', PHONES.yangweiGridWorker],
  ])('%s enters a family, adds a photo and submits; the entry is marked byProxy and the family sees it', async (_who, proxyPhone) => {
    const { t, roundId } = await yangwei();
    const householdId = await householdOf(t, PHONES.yangwei(5));
    const proxy = await t.signIn(proxyPhone);
    const entry = await enter(t, proxy, roundId, { householdId, description: '代录：老人家没有智能手机。' });
    expect(entry).toMatchObject({ byProxy: true, status: 'draft', householdLabel: '吴家庭院' });
    await addPhoto(t, proxy, entry.id, await makeJpeg(200, 150, { seed: 9 }));
    expect((await entryOf(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie: proxy }))).status).toBe('submitted');

    expect(await entryOf(await t.req('GET', `/api/entries/${entry.id}`))).toMatchObject({ byProxy: true, status: 'submitted' });
    expect(await listed(t, roundId)).toEqual([expect.objectContaining({ id: entry.id, byProxy: true })]);
    const family = await t.signIn(PHONES.yangwei(5));
    const mine = (await (await t.req('GET', '/api/me/entries', { cookie: family })).json()) as { entries: Array<{ id: string; byProxy: boolean }> };
    expect(mine.entries).toEqual([expect.objectContaining({ id: entry.id, byProxy: true })]);
  });

  it('a grid worker may help with a family\'s own entry, and the family is told, once a day; withdrawing it stays the family\'s', async () => {
    const { t, roundId } = await yangwei();
    const family = await t.signIn(PHONES.yangwei(5));
    const entry = await enter(t, family, roundId, { description: '自己报名的。' });
    const notices = () =>
      t.db.$client.prepare(`select n.payload from notifications n where n.kind = 'entry_changed_for_you' and n.account_id = ?`).all(accountId(t, PHONES.yangwei(5))) as Array<{ payload: string }>;
    // The family's own changes tell nobody.
    await entryOf(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie: family, body: { description: '自己改的。' } }));
    expect(notices()).toHaveLength(0);

    const worker = await t.signIn(PHONES.yangweiGridWorker);
    await entryOf(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie: worker, body: { description: '网格员帮忙改的。' } }));
    await addPhoto(t, worker, entry.id, await makeJpeg(200, 150, { seed: 11 }));
    const told = notices();
    expect(told).toHaveLength(1);
    expect(JSON.parse(told[0]!.payload).text).toMatch(new RegExp(`^${PHONES.yangweiGridWorker} 代您家修改了2026年\\d+月的参评作品。如果不是您家请他改的，请联系村干部。$`));
    // A day later, another change is told again.
    t.clock.advance(25 * 3_600_000);
    await entryOf(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie: worker, body: { description: '第二天又改了。' } }));
    expect(notices()).toHaveLength(2);

    // Withdrawing a family's own entry is the family's: the entry says so to each, and the route agrees (403, nothing changed).
    const mayWithdraw = async (cookie: string) => (await entryOf(await t.req('GET', `/api/entries/${entry.id}`, { cookie }))).mayWithdraw;
    expect([await mayWithdraw(family), await mayWithdraw(worker)]).toEqual([true, false]);
    const before = stored(t);
    for (const proxy of [worker, await t.signIn(PHONES.yangweiCadre)]) {
      const err = await expectError(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie: proxy, body: {} }), 403, 'forbidden');
      expect(err.message).toContain('只有他们自己可以撤回');
    }
    expect(stored(t)).toEqual(before);
    expect((await entryOf(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie: family, body: {} }))).status).toBe('withdrawn');
  });

  it('the grid worker withdraws an entry it entered by proxy, and the family is not sent a notice for its own proxy\'s work', async () => {
    const { t, roundId } = await yangwei();
    const householdId = await householdOf(t, PHONES.yangwei(6));
    const worker = await t.signIn(PHONES.yangweiGridWorker);
    const entry = await enter(t, worker, roundId, { householdId });
    await addPhoto(t, worker, entry.id, await makeJpeg(200, 150, { seed: 12 }));
    expect((await entryOf(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie: worker, body: {} }))).status).toBe('withdrawn');
    expect(t.db.$client.prepare(`select count(*) as n from notifications where kind = 'entry_changed_for_you'`).get()).toEqual({ n: 0 });
  });

  it('an own entry is not marked byProxy', async () => {
    const { t, roundId } = await yangwei();
    const entry = await enter(t, await t.signIn(PHONES.yangwei(5)), roundId);
    expect(entry.byProxy).toBe(false);
  });

  it('a villager cannot enter another household (403), nor can the cadre of another village', async () => {
    const { t, roundId } = await yangwei();
    const other = await householdOf(t, PHONES.yangwei(6));
    const before = stored(t);
    const villager = await t.signIn(PHONES.yangwei(7));
    await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie: villager, body: { householdId: other } }), 403, 'forbidden');
    const lingpanCadre = await t.signIn(PHONES.lingpanCadre);
    await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie: lingpanCadre, body: { householdId: other } }), 403, 'forbidden');
    expect(stored(t)).toEqual(before);
  });

  it('a cadre without a household of their own must name the family (400), and anonymous entering is 401', async () => {
    const { t, roundId } = await yangwei();
    const cadre = await t.signIn(PHONES.yangweiCadre);
    const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie: cadre, body: {} }), 400, 'no_household');
    expect(err.details).toMatchObject({ field: 'householdId' });
    await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { body: {} }), 401, 'unauthenticated');
    expect(stored(t).entries).toEqual([]);
  });

  it('a household still waiting for the cadre’s confirmation cannot enter (409)', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn('13700000931');
    const reg = await t.req('POST', '/api/households', { cookie, body: { villageId: VILLAGES.yangwei, headName: '黄秀英', doorNumber: '洋尾村931号' } });
    expect(reg.status).toBe(201);
    const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: {} }), 409, 'household_not_confirmed');
    expect(err.message).toContain('确认');
    expect(stored(t).entries).toEqual([]);
  });

  it('a household of another village cannot enter this village’s campaign (409)', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn(PHONES.lingpan(1));
    await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: {} }), 409, 'village_not_in_campaign');
    expect(stored(t).entries).toEqual([]);
  });
});

describe('editing an entry', () => {
  it('reorders photos with photoOrder; a set that is not exactly the entry’s photos is 409 and changes nothing', async () => {
    const { t, roundId } = await yangwei();
    const { cookie, entry } = await draftWithPhotos(t, roundId, 3);
    const [a, b, c] = entry.photos.map((p) => p.id) as [string, string, string];

    const reordered = await entryOf(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { photoOrder: [c, a, b] } }));
    expect(reordered.photos.map((p) => [p.id, p.position])).toEqual([[c, 1], [a, 2], [b, 3]]);
    expect(reordered.coverUrl).toBe(reordered.photos[0]!.thumbUrl);

    const before = stored(t);
    for (const wrong of [[c, a], [c, a, b, 'ph_nope'], [c, a, a], [c, a, 'ph_nope']]) {
      await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { photoOrder: wrong } }), 409, 'photo_order_mismatch');
    }
    expect(stored(t)).toEqual(before);
  });

  it('changes the kinds of photos; an unknown kind is 400 and a photo of another entry is 409', async () => {
    const { t, roundId } = await yangwei();
    const { cookie, entry } = await draftWithPhotos(t, roundId, 2);
    const [a, b] = entry.photos.map((p) => p.id) as [string, string];
    expect(entry.photos.map((p) => p.kind)).toEqual(['overview', 'overview']);
    const changed = await entryOf(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { photoKinds: { [a]: 'before', [b]: 'detail' } } }));
    expect(changed.photos.map((p) => p.kind)).toEqual(['before', 'detail']);
    // The audit trail records the change of kinds, not an edit that changed nothing.
    const row = t.db.$client.prepare(`select before, after from audit_log where subject_id = ? and action = 'entry.edit' order by seq desc limit 1`).get(entry.id) as { before: string; after: string };
    expect(JSON.parse(row.before).kinds).toEqual({ [a]: 'overview', [b]: 'overview' });
    expect(JSON.parse(row.after).kinds).toEqual({ [a]: 'before', [b]: 'detail' });

    const before = stored(t);
    await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { photoKinds: { [a]: 'selfie' } } }), 400, 'invalid_input');
    await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { photoKinds: { [a]: 'after', ph_other: 'after' } } }), 409, 'photo_not_in_entry');
    expect(stored(t)).toEqual(before);
  });

  it('a description of 500 characters is kept; 501 is 400 naming the field, at entering and at editing', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn(PHONES.yangwei(1));
    const tooLong = '庭'.repeat(501);
    let err = await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: { description: tooLong } }), 400, 'invalid_input');
    expect(JSON.stringify(err.details)).toContain('description');
    expect(err.message).toContain('500');
    expect(stored(t).entries).toEqual([]);

    const entry = await enter(t, cookie, roundId, { description: '庭'.repeat(500) });
    expect(entry.description).toHaveLength(500);
    const before = stored(t);
    err = await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { description: tooLong } }), 400, 'invalid_input');
    expect(JSON.stringify(err.details)).toContain('description');
    expect(stored(t)).toEqual(before);
  });

  it('a description with a character nobody can see (a NUL, a right-to-left mark) is 400 naming the field; line breaks are fine', async () => {
    const { t, roundId } = await yangwei();
    const cookie = await t.signIn(PHONES.yangwei(1));
    for (const description of ['院子\u0000干净', '\u202e院子干净']) {
      const err = await expectError(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body: { description } }), 400, 'invalid_input');
      expect(JSON.stringify(err.details)).toContain('description');
      expect(err.message).toContain('看不见的控制字符');
    }
    expect(stored(t).entries).toEqual([]);
    expect((await enter(t, cookie, roundId, { description: '院子干净。\n门前种了花。' })).description).toBe('院子干净。\n门前种了花。');
  });

  it('deleting a photo renumbers the others 1..n', async () => {
    const { t, roundId } = await yangwei();
    const { cookie, entry } = await draftWithPhotos(t, roundId, 4);
    const [a, b, c, d] = entry.photos.map((p) => p.id) as [string, string, string, string];
    const after = await entryOf(await t.req('DELETE', `/api/entries/${entry.id}/photos/${b}`, { cookie }));
    expect(after.photos.map((p) => [p.id, p.position])).toEqual([[a, 1], [c, 2], [d, 3]]);
    const again = await entryOf(await t.req('DELETE', `/api/entries/${entry.id}/photos/${a}`, { cookie }));
    expect(again.photos.map((p) => [p.id, p.position])).toEqual([[c, 1], [d, 2]]);
    // The next upload goes to the end.
    const added = await addPhoto(t, cookie, entry.id, await makeJpeg(160, 120, { seed: 77 }));
    expect(added.photos.map((p) => p.position)).toEqual([1, 2, 3]);
    await expectError(await t.req('DELETE', `/api/entries/${entry.id}/photos/${b}`, { cookie }), 404, 'not_found');
  });

  it('another villager can neither edit, submit, withdraw nor delete a photo of the entry (403)', async () => {
    const { t, roundId } = await yangwei();
    const { entry } = await draftWithPhotos(t, roundId, 1);
    const stranger = await t.signIn(PHONES.yangwei(2));
    const before = stored(t);
    await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie: stranger, body: { description: '改掉' } }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie: stranger }), 403, 'forbidden');
    await expectError(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie: stranger }), 403, 'forbidden');
    await expectError(await t.req('DELETE', `/api/entries/${entry.id}/photos/${entry.photos[0]!.id}`, { cookie: stranger }), 403, 'forbidden');
    expect(stored(t)).toEqual(before);
  });

  it('a withdrawn entry cannot be edited or submitted until it is entered again (409)', async () => {
    const { t, roundId } = await yangwei();
    const { cookie, entry } = await draftWithPhotos(t, roundId, 1);
    await entryOf(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie }));
    const before = stored(t);
    await expectError(await t.req('PATCH', `/api/entries/${entry.id}`, { cookie, body: { description: '再改' } }), 409, 'entry_locked');
    await expectError(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }), 409, 'entry_locked');
    await expectError(await t.req('POST', `/api/entries/${entry.id}/withdraw`, { cookie }), 409, 'invalid_entry_state');
    expect(stored(t)).toEqual(before);
  });
});
