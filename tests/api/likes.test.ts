import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeApp, T0, type TestApp } from '../support/api.ts';
import { currentRound, type EntryView, entryOf, expectError, PHONES, submittedEntry, VILLAGES } from '../support/entries.ts';
import {
  accountId,
  answerOf,
  countMismatches,
  directEntry,
  householdEntry,
  like,
  likeRows,
  likeSnapshot,
  sessionFor,
  storedEntry,
  unlike,
} from '../support/likes.ts';

// DESIGN §3 (Like), §4 (fraud and fairness), §6 (PUT/DELETE /api/entries/:id/like,
// suspicious likes, POST /api/likes/void). Likes go through the API as a browser sends them.

let t: TestApp;

/** After every test: the count people see is the number of active like rows, for every entry. */
afterEach(() => {
  if (t) expect(countMismatches(t)).toEqual([]);
});

/** 洋尾村's November round with a submitted entry of 洋尾村1号. */
async function village() {
  t = makeApp();
  const roundId = await currentRound(t, VILLAGES.yangwei);
  const entryId = directEntry(t, 1, roundId);
  return { roundId, entryId };
}

async function publicEntry(entryId: string): Promise<EntryView> {
  return entryOf(await t.req('GET', `/api/entries/${entryId}`));
}

const at = (iso: string) => Date.parse(iso);

describe('one like per account per entry', () => {
  it('200 simultaneous identical likes from one account make one like and a count of 1', async () => {
    const { entryId } = await village();
    const liker = sessionFor(t, PHONES.yangwei(2));

    const answers = await Promise.all(Array.from({ length: 200 }, () => like(t, liker, entryId)));

    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429), `statuses: ${[...new Set(statuses)].join(',')}`).toBe(true);
    const ok = answers.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of ok) expect(await r.json()).toEqual({ likeCount: 1, liked: true, qualifiedAt: null });
    for (const r of answers.filter((r) => r.status === 429)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectError(r, 429, 'rate_limited');
    }
    const rows = likeRows(t, entryId);
    expect(rows.filter((r) => r.status === 'active')).toHaveLength(1);
    expect(rows).toHaveLength(1);
    expect((await publicEntry(entryId)).likeCount).toBe(1);
  });

  it('unlike marks the row unliked (kept) and lowers the count; unliking again changes nothing; liking again counts again', async () => {
    const { entryId } = await village();
    const liker = sessionFor(t, PHONES.yangwei(2));
    const other = sessionFor(t, PHONES.yangwei(3));
    expect(await answerOf(await like(t, liker, entryId))).toEqual({ likeCount: 1, liked: true, qualifiedAt: null });
    expect(await answerOf(await like(t, other, entryId))).toMatchObject({ likeCount: 2, liked: true });

    t.clock.advance(60_000);
    expect(await answerOf(await unlike(t, liker, entryId))).toEqual({ likeCount: 1, liked: false, qualifiedAt: null });
    const rows = likeRows(t, entryId);
    expect(rows).toHaveLength(2);
    const mine = rows.find((r) => r.account_id === accountId(t, PHONES.yangwei(2)))!;
    expect(mine).toMatchObject({ status: 'unliked', unliked_at: t.clock.now() });
    expect((await publicEntry(entryId)).likeCount).toBe(1);

    expect(await answerOf(await unlike(t, liker, entryId))).toEqual({ likeCount: 1, liked: false, qualifiedAt: null });
    expect(likeRows(t, entryId)).toEqual(rows);

    expect(await answerOf(await like(t, liker, entryId))).toEqual({ likeCount: 2, liked: true, qualifiedAt: null });
    const after = likeRows(t, entryId).filter((r) => r.account_id === mine.account_id);
    expect(after.map((r) => r.status).sort()).toEqual(['active', 'unliked']);
    expect((await publicEntry(entryId)).likeCount).toBe(2);
  });
});

describe('refused likes store nothing', () => {
  it("a like on one's own household's entry is 403", async () => {
    const { entryId } = await village();
    const own = sessionFor(t, PHONES.yangwei(1));
    const before = likeSnapshot(t);
    await expectError(await like(t, own, entryId), 403, 'forbidden');
    expect(likeSnapshot(t)).toEqual(before);
    expect((await publicEntry(entryId)).likeCount).toBe(0);
    // the entry says whose it is, so that its page offers no like to its own household
    const ownView = async (cookie?: string) =>
      ((await (await t.req('GET', `/api/entries/${entryId}`, cookie ? { cookie } : {})).json()) as { entry: { ownHousehold: boolean | null } }).entry.ownHousehold;
    expect(await ownView(own)).toBe(true);
    expect(await ownView(sessionFor(t, PHONES.yangwei(2)))).toBe(false);
    expect(await ownView()).toBeNull();
  });

  it('without signing in, liking and unliking are 401', async () => {
    const { entryId } = await village();
    const before = likeSnapshot(t);
    await expectError(await like(t, undefined, entryId), 401, 'unauthenticated');
    await expectError(await unlike(t, undefined, entryId), 401, 'unauthenticated');
    await expectError(await like(t, 'cy_session=not-a-session', entryId), 401, 'unauthenticated');
    expect(likeSnapshot(t)).toEqual(before);
  });

  it('a draft, a hidden and a withdrawn entry cannot be liked (409)', async () => {
    const { roundId, entryId: hiddenEntry } = await village();
    const draft = directEntry(t, 2, roundId, 'draft');
    const withdrawn = directEntry(t, 3, roundId, 'withdrawn');
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    expect((await t.req('POST', `/api/entries/${hiddenEntry}/moderation`, { cookie: cadre, body: { action: 'hide', reason: '照片与本户无关' } })).status).toBe(200);
    const liker = sessionFor(t, PHONES.yangwei(9));

    const before = likeSnapshot(t);
    for (const id of [draft, hiddenEntry, withdrawn]) await expectError(await like(t, liker, id), 409, 'not_likeable');
    expect(likeSnapshot(t)).toEqual(before);
    expect(likeRows(t)).toEqual([]);
  });

  it('an entry hidden after it was liked is refused at once, whether the app or another process hid it', async () => {
    const { roundId, entryId } = await village();
    const other = directEntry(t, 2, roundId);
    const [a, b, c] = [3, 4, 5].map((n) => sessionFor(t, PHONES.yangwei(n)));
    // Liked first, so the like path has seen both entries as likeable.
    await answerOf(await like(t, a, entryId));
    await answerOf(await like(t, a, other));
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    expect((await t.req('POST', `/api/entries/${entryId}/moderation`, { cookie: cadre, body: { action: 'hide', reason: '照片与本户无关' } })).status).toBe(200);
    await expectError(await like(t, b, entryId), 409, 'not_likeable');
    await answerOf(await like(t, b, other));

    const second = new Database(join(t.dataDir, 'courtyard.db'));
    second.prepare(`update entries set hidden_at = ? where id = ?`).run(t.clock.now(), other);
    second.close();
    await expectError(await like(t, c, other), 409, 'not_likeable');
    expect(likeRows(t)).toHaveLength(3);
  });

  it('an unknown entry is 404 for like and unlike', async () => {
    await village();
    const liker = sessionFor(t, PHONES.yangwei(2));
    const before = likeSnapshot(t);
    await expectError(await like(t, liker, 'en_doesnotexist'), 404, 'not_found');
    await expectError(await unlike(t, liker, 'en_doesnotexist'), 404, 'not_found');
    expect(likeSnapshot(t)).toEqual(before);
  });

  it('after the cadre closes the round (inspecting), liking and unliking are 409 and the count stays', async () => {
    const { roundId, entryId } = await village();
    const early = sessionFor(t, PHONES.yangwei(2));
    const late = sessionFor(t, PHONES.yangwei(3));
    await answerOf(await like(t, early, entryId));
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    expect((await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } })).status).toBe(200);

    const before = likeSnapshot(t);
    const err = await expectError(await like(t, late, entryId), 409, 'likes_closed');
    expect(err.message).toContain('结束');
    await expectError(await unlike(t, early, entryId), 409, 'likes_closed');
    expect(likeSnapshot(t)).toEqual(before);
    expect((await publicEntry(entryId)).likeCount).toBe(1);
  });

  it('a like at 2026-11-30 23:59:59 (and .999) counts; one at 2026-12-01 00:00:00 is refused', async () => {
    const { entryId } = await village();
    const [a, b, c] = [2, 3, 4].map((n) => sessionFor(t, PHONES.yangwei(n)));

    t.clock.set(at('2026-11-30T23:59:59+08:00'));
    expect(await answerOf(await like(t, a, entryId))).toMatchObject({ likeCount: 1, liked: true });
    t.clock.set(at('2026-11-30T23:59:59.999+08:00'));
    expect(await answerOf(await like(t, b, entryId))).toMatchObject({ likeCount: 2, liked: true });

    t.clock.set(at('2026-12-01T00:00:00+08:00'));
    const before = likeSnapshot(t);
    await expectError(await like(t, c, entryId), 409, 'likes_closed');
    await expectError(await unlike(t, a, entryId), 409, 'likes_closed');
    expect(likeSnapshot(t)).toEqual(before);
    expect((await publicEntry(entryId)).likeCount).toBe(2);
  });

  it('over the daily cap (30) a like is 429 with Retry-After until Shanghai midnight, nothing stored; the next day it works', async () => {
    const { roundId } = await village();
    const entries = Array.from({ length: 31 }, (_, i) => directEntry(t, i + 2, roundId));
    const liker = sessionFor(t, PHONES.lingpan(1));
    // Not on a whole second, as a real clock almost never is.
    t.clock.set(T0 + 250);
    for (const id of entries.slice(0, 30)) expect((await answerOf(await like(t, liker, id))).liked).toBe(true);

    const before = likeSnapshot(t);
    const res = await like(t, liker, entries[30]!);
    const retryAfter = res.headers.get('retry-after');
    const err = await expectError(res, 429, 'daily_like_cap');
    expect(err.message).toContain('30');
    // 10:00:00.250 → midnight is 13 h 59 min 59.75 s away; Retry-After is whole seconds (RFC 9110).
    expect(retryAfter).toBe(String(14 * 3600));
    expect(likeSnapshot(t)).toEqual(before);
    expect(storedEntry(t, entries[30]!).likeCount).toBe(0);

    // Liking an entry already liked is not a new like, so the cap does not refuse it.
    expect(await answerOf(await like(t, liker, entries[0]!))).toMatchObject({ likeCount: 1, liked: true });

    t.clock.set(at('2026-11-28T00:00:00+08:00'));
    expect(await answerOf(await like(t, liker, entries[30]!))).toMatchObject({ likeCount: 1, liked: true });
  });
});

describe('the daily cap under concurrency', () => {
  it('31 simultaneous likes by one account on 31 entries: exactly 30 stored, one 429', async () => {
    const { roundId } = await village();
    const entries = Array.from({ length: 31 }, (_, i) => directEntry(t, i + 2, roundId));
    const liker = sessionFor(t, PHONES.lingpan(2));
    const answers = await Promise.all(entries.map((id) => like(t, liker, id)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array.from({ length: 30 }, () => 200), 429]);
    await expectError(answers.find((r) => r.status === 429)!, 429, 'daily_like_cap');
    expect(likeRows(t).filter((r) => r.status === 'active')).toHaveLength(30);
  });
});

/** Likes from the given villagers of 洋尾村 (139000001nn), one after another, each from its own network and phone; their cookies. */
async function likesFrom(entryId: string, villagers: number[]) {
  const cookies: string[] = [];
  for (const n of villagers) {
    const cookie = sessionFor(t, PHONES.yangwei(n));
    cookies.push(cookie);
    expect((await answerOf(await like(t, cookie, entryId, { ip: `10.${n}.0.1`, device: `phone-${n}` }))).liked).toBe(true);
  }
  return cookies;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function auditRows(action: string, entryId: string) {
  return t.db.$client.prepare(`select actor_id as actorId, reason, before, after from audit_log where action = ? and subject_id = ? order by seq`).all(action, entryId) as Array<{
    actorId: string;
    reason: string | null;
    before: string | null;
    after: string | null;
  }>;
}

async function inbox(cookie: string) {
  const res = await t.req('GET', '/api/me/notifications', { cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as { notifications: Array<{ kind: string; payload: { entryId?: string; text?: string } }> }).notifications;
}

describe('threshold (50 likes)', () => {
  it('the 50th like qualifies the entry once: status, qualifiedAt, a notice to the household, an audit row; unliking keeps it qualified', async () => {
    t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    // Entered and submitted by the household itself, through the API.
    const { cookie: household, entry } = await submittedEntry(t, PHONES.yangwei(1), roundId);
    const entryId = entry.id;

    const cookies = await likesFrom(entryId, range(2, 50));
    let page = await publicEntry(entryId);
    expect(page).toMatchObject({ likeCount: 49, status: 'submitted', qualifiedAt: null, threshold: 50 });
    expect(await inbox(household)).toEqual([]);

    t.clock.advance(5 * 60_000);
    const fiftieth = sessionFor(t, PHONES.yangwei(51));
    const answer = await answerOf(await like(t, fiftieth, entryId));
    expect(answer.likeCount).toBe(50);
    expect(answer.liked).toBe(true);
    expect(answer.qualifiedAt).toMatch(/\+08:00$/);
    expect(Date.parse(answer.qualifiedAt!)).toBe(t.clock.now());

    page = await publicEntry(entryId);
    expect(page).toMatchObject({ likeCount: 50, status: 'qualified', qualifiedAt: answer.qualifiedAt });
    const notices = (await inbox(household)).filter((n) => n.kind === 'threshold_reached');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload.entryId).toBe(entryId);
    expect(notices[0]!.payload.text).toBe('您家在「2026年下半年洋尾村美丽庭院月评」2026年11月的作品已获得 50 个赞，达到门槛，考评组将上门实地核实。');
    const audit = auditRows('entry.qualify', entryId);
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ status: 'qualified', likeCount: 50 });

    // Sticky: taking likes back does not undo the qualification, nor does liking again qualify twice.
    t.clock.advance(60_000);
    expect(await answerOf(await unlike(t, cookies[0]!, entryId))).toEqual({ likeCount: 49, liked: false, qualifiedAt: answer.qualifiedAt });
    expect(await answerOf(await unlike(t, fiftieth, entryId))).toEqual({ likeCount: 48, liked: false, qualifiedAt: answer.qualifiedAt });
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 48, status: 'qualified', qualifiedAt: answer.qualifiedAt });
    await likesFrom(entryId, [2, 51, 52]);
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 51, status: 'qualified', qualifiedAt: answer.qualifiedAt });
    expect(auditRows('entry.qualify', entryId)).toHaveLength(1);
    expect((await inbox(household)).filter((n) => n.kind === 'threshold_reached')).toHaveLength(1);
  });

  it('59 likes from different accounts at the same moment: 59 rows, count 59, qualified exactly once', async () => {
    const { entryId } = await village();
    const cookies = range(2, 60).map((n) => sessionFor(t, PHONES.yangwei(n)));
    const answers = await Promise.all(cookies.map((c, i) => like(t, c, entryId, { ip: `10.20.${i}.1`, device: `phone-${i}` })));
    expect(answers.map((r) => r.status)).toEqual(cookies.map(() => 200));
    const counts = (await Promise.all(answers.map(answerOf))).map((a) => a.likeCount).sort((a, b) => a - b);
    expect(counts).toEqual(range(1, 59));
    expect(likeRows(t, entryId).filter((r) => r.status === 'active')).toHaveLength(59);
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 59, status: 'qualified' });
    expect(auditRows('entry.qualify', entryId)).toHaveLength(1);
    expect(t.db.$client.prepare(`select count(*) as n from notifications where kind = 'threshold_reached'`).get()).toEqual({ n: 1 });
  });
});

describe('voiding likes', () => {
  /** A qualified entry with 50 likes (villagers 2..51); the cadre's cookie. */
  async function qualified() {
    const { roundId, entryId } = await village();
    const cookies = await likesFrom(entryId, range(2, 51));
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 50, status: 'qualified' });
    return { roundId, entryId, cookies, cadre: sessionFor(t, PHONES.yangweiCadre) };
  }
  const voidLikes = (cookie: string | undefined, body: unknown) => t.req('POST', '/api/likes/void', { cookie, body });

  it('the cadre voids two likes with a reason: rows kept as voided with who and why, count 48, back to submitted, audit row', async () => {
    const { entryId, cadre } = await qualified();
    const [l1, l2] = likeRows(t, entryId);
    t.clock.advance(3_600_000);
    const reason = '同一部手机注册多个账号刷赞';

    const res = await voidLikes(cadre, { likeIds: [l1!.id, l2!.id], reason });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ entries: [{ entryId, voided: 2, likeCount: 48, status: 'submitted' }] });

    const cadreId = accountId(t, PHONES.yangweiCadre);
    for (const id of [l1!.id, l2!.id]) {
      expect(likeRows(t, entryId).find((r) => r.id === id)).toMatchObject({ status: 'voided', voided_by: cadreId, void_reason: reason, voided_at: t.clock.now() });
    }
    expect(likeRows(t, entryId)).toHaveLength(50);
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 48, status: 'submitted', qualifiedAt: null });
    const audit = auditRows('likes.void', entryId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: cadreId, reason });
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ likeCount: 48, status: 'submitted', voidedLikeIds: [l1!.id, l2!.id] });

    // The household is told, in its inbox and by SMS, how many, why, and where that leaves it.
    const told = () =>
      t.db.$client
        .prepare(
          `select n.account_id as accountId, n.payload from notifications n join household_members m on m.account_id = n.account_id join entries e on e.household_id = m.household_id
            where n.kind = 'likes_voided' and e.id = ?`,
        )
        .all(entryId) as Array<{ accountId: string; payload: string }>;
    expect(told()).toHaveLength(1);
    const { text } = JSON.parse(told()[0]!.payload) as { text: string };
    expect(text).toBe('村干部核实后，作废了您家在「2026年下半年洋尾村美丽庭院月评」2026年11月作品的 2 个点赞。原因：同一部手机注册多个账号刷赞。现在有 48 个赞，还差 2 个才重新达到门槛。如有疑问请联系村干部。');
    expect(t.db.$client.prepare(`select count(*) as n from outbox where body = ?`).get(`【美丽庭院】${text}`)).toEqual({ n: 1 });

    // Voiding them again changes nothing: the first cadre's reason and time stand, no second audit row.
    t.clock.advance(60_000);
    const again = await voidLikes(cadre, { likeIds: [l1!.id], reason: '再次作废' });
    expect(again.status).toBe(200);
    expect(likeRows(t, entryId).find((r) => r.id === l1!.id)).toMatchObject({ status: 'voided', void_reason: reason, voided_at: t.clock.now() - 60_000 });
    expect(auditRows('likes.void', entryId)).toHaveLength(1);
    expect(told()).toHaveLength(1);
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 48, status: 'submitted' });
  });

  it('a voided like cannot be revived by liking again (nor by unlike and like); new likes can qualify the entry again', async () => {
    const { entryId, cookies, cadre } = await qualified();
    const voidedCookie = cookies[0]!; // villager 2's like
    const voided = likeRows(t, entryId).find((r) => r.account_id === accountId(t, PHONES.yangwei(2)))!;
    expect((await voidLikes(cadre, { likeIds: [voided.id], reason: '刷赞' })).status).toBe(200);

    const refused = await expectError(await like(t, voidedCookie, entryId), 409, 'like_voided');
    expect(refused.message).toContain('作废');
    expect(await answerOf(await unlike(t, voidedCookie, entryId))).toMatchObject({ likeCount: 49, liked: false });
    await expectError(await like(t, voidedCookie, entryId), 409, 'like_voided');
    const mine = likeRows(t, entryId).filter((r) => r.account_id === voided.account_id);
    expect(mine.map((r) => r.status)).toEqual(['voided']);
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 49, status: 'submitted', qualifiedAt: null });

    t.clock.advance(60_000);
    const again = await answerOf(await like(t, sessionFor(t, PHONES.yangwei(52)), entryId));
    expect(again).toMatchObject({ likeCount: 50, liked: true });
    expect(Date.parse(again.qualifiedAt!)).toBe(t.clock.now());
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 50, status: 'qualified', qualifiedAt: again.qualifiedAt });
  });

  it("voiding needs a reason (400), the village's cadre (403 for a villager or another village's cadre) and known like ids (400); refused voids store nothing", async () => {
    const { entryId, cadre } = await qualified();
    const [l1] = likeRows(t, entryId);
    const before = likeSnapshot(t);

    const noReason = await expectError(await voidLikes(cadre, { likeIds: [l1!.id] }), 400, 'invalid_input');
    expect(JSON.stringify(noReason.details)).toContain('reason');
    await expectError(await voidLikes(cadre, { likeIds: [l1!.id], reason: '  ' }), 400, 'invalid_input');
    await expectError(await voidLikes(cadre, { likeIds: [], reason: '刷赞' }), 400, 'invalid_input');
    await expectError(await voidLikes(sessionFor(t, PHONES.yangwei(30)), { likeIds: [l1!.id], reason: '刷赞' }), 403, 'forbidden');
    await expectError(await voidLikes(sessionFor(t, PHONES.lingpanCadre), { likeIds: [l1!.id], reason: '刷赞' }), 403, 'forbidden');
    const unknown = await expectError(await voidLikes(cadre, { likeIds: ['lk_nosuchlike'], reason: '刷赞' }), 400, 'unknown_likes');
    expect(JSON.stringify(unknown.details)).toContain('lk_nosuchlike');
    await expectError(await voidLikes(cadre, { likeIds: [l1!.id, 'lk_nosuchlike'], reason: '刷赞' }), 400, 'unknown_likes');
    await expectError(await voidLikes(undefined, { likeIds: [l1!.id], reason: '刷赞' }), 401, 'unauthenticated');

    expect(likeSnapshot(t)).toEqual(before);
    expect(await publicEntry(entryId)).toMatchObject({ likeCount: 50, status: 'qualified' });
  });
});

describe('suspicious likes', () => {
  it('lists a burst from one /24 and an account made minutes before liking, with reasons; ordinary likes are not listed; 403 for villagers and other villages', async () => {
    // Two hours after the demo county was made, so its villagers' accounts are not new.
    const { roundId, entryId } = await village();
    t.clock.set(T0 + 2 * 3_600_000);

    const burst: string[] = [];
    for (const n of [2, 3, 4, 5, 6]) {
      await answerOf(await like(t, sessionFor(t, PHONES.yangwei(n)), entryId, { ip: `10.9.8.${n}`, device: `phone-${n}` }));
      burst.push(accountId(t, PHONES.yangwei(n)));
      t.clock.advance(60_000);
    }
    for (const n of [7, 8]) {
      t.clock.advance(20 * 60_000);
      await answerOf(await like(t, sessionFor(t, PHONES.yangwei(n)), entryId, { ip: `10.1.${n}.1`, device: `phone-${n}` }));
    }
    const newcomer = sessionFor(t, '13700000001', { createdAt: t.clock.now() - 3 * 60_000 });
    await answerOf(await like(t, newcomer, entryId, { ip: '10.50.0.1', device: 'phone-new' }));

    const res = await t.req('GET', `/api/rounds/${roundId}/suspicious-likes`, { cookie: sessionFor(t, PHONES.yangweiCadre) });
    expect(res.status).toBe(200);
    const { likes } = (await res.json()) as { likes: Array<{ likeId: string; entryId: string; accountPhone: string; ipPrefix: string; reasons: string[] }> };
    const rows = likeRows(t, entryId);
    const byAccount = (id: string) => rows.find((r) => r.account_id === id)!.id;

    const burstIds = burst.map(byAccount);
    expect(likes.filter((l) => burstIds.includes(l.likeId))).toHaveLength(5);
    for (const l of likes.filter((l) => burstIds.includes(l.likeId))) {
      expect(l.ipPrefix).toBe('10.9.8.0/24');
      expect(l.reasons.some((r) => r.includes('10.9.8.0/24'))).toBe(true);
    }
    const fresh = likes.find((l) => l.accountPhone === '13700000001');
    expect(fresh?.reasons).toEqual(['账号注册后 3 分钟就点赞']);
    const ordinary = [7, 8].map((n) => byAccount(accountId(t, PHONES.yangwei(n))));
    expect(likes.filter((l) => ordinary.includes(l.likeId))).toEqual([]);
    expect(likes).toHaveLength(6);

    await expectError(await t.req('GET', `/api/rounds/${roundId}/suspicious-likes`, { cookie: sessionFor(t, PHONES.yangwei(2)) }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/rounds/${roundId}/suspicious-likes`, { cookie: sessionFor(t, PHONES.lingpanCadre) }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/rounds/${roundId}/suspicious-likes`), 401, 'unauthenticated');
  });

  it('judges a round of a campaign spanning two villages as a whole: one account liking fast across both is flagged for each village’s cadre, and counted in each one’s todo', async () => {
    t = makeApp();
    t.clock.set(T0 + 2 * 3_600_000);
    const admin = sessionFor(t, '13900000001');
    const created = await t.req('POST', '/api/campaigns', {
      cookie: admin,
      body: { title: '2026年磁灶镇冬季最美庭院', format: 'monthly', villageIds: [VILLAGES.yangwei, VILLAGES.lingpan], likeThreshold: 50, months: { from: '2026-11', to: '2026-12' } },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { campaign } = (await created.json()) as { campaign: { id: string } };
    expect((await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: admin, body: { to: 'open' } })).status).toBe(200);
    const { rounds } = (await (await t.req('GET', `/api/campaigns/${campaign.id}`)).json()) as { rounds: Array<{ id: string; period: string }> };
    const roundId = rounds.find((r) => r.period === '2026-11')!.id;

    const lingpan = t.db.$client.prepare(`select id, village_id as villageId from households where village_id = ? and status = 'confirmed' order by door_number limit 5`).all(VILLAGES.lingpan) as Array<{ id: string; villageId: string }>;
    const yangweiEntries = [1, 2, 3, 4, 5, 6].map((n) => directEntry(t, n, roundId));
    const lingpanEntries = lingpan.map((h) => householdEntry(t, h, roundId, '13900000003'));

    const cadres = { yangwei: sessionFor(t, PHONES.yangweiCadre), lingpan: sessionFor(t, PHONES.lingpanCadre) };
    const todoLikes = async (cookie: string, village: string) => ((await (await t.req('GET', `/api/villages/${village}/todo`, { cookie })).json()) as { likes: number }).likes;
    const before = { yangwei: await todoLikes(cadres.yangwei, VILLAGES.yangwei), lingpan: await todoLikes(cadres.lingpan, VILLAGES.lingpan) };

    // An account from elsewhere (a month old) likes all eleven within a minute: six in one village, five in the other.
    const liker = sessionFor(t, '13700000009', { createdAt: t.clock.now() - 30 * 86_400_000 });
    for (const [i, entryId] of [...yangweiEntries, ...lingpanEntries].entries()) {
      await answerOf(await like(t, liker, entryId, { ip: `10.20.${i}.1`, device: `phone-${i}` }));
      t.clock.advance(5_000);
    }

    const listOf = async (cookie: string) => {
      const res = await t.req('GET', `/api/rounds/${roundId}/suspicious-likes`, { cookie });
      expect(res.status).toBe(200);
      return ((await res.json()) as { likes: Array<{ entryId: string; reasons: string[] }> }).likes;
    };
    const fast = '同一账号 1 分钟内点赞 10 次以上';
    const yangweiList = await listOf(cadres.yangwei);
    expect(yangweiList.map((l) => l.entryId).sort()).toEqual([...yangweiEntries].sort());
    for (const l of yangweiList) expect(l.reasons).toEqual([fast]);
    const lingpanList = await listOf(cadres.lingpan);
    expect(lingpanList.map((l) => l.entryId).sort()).toEqual([...lingpanEntries].sort());
    expect((await listOf(admin)).map((l) => l.entryId).sort()).toEqual([...yangweiEntries, ...lingpanEntries].sort());

    // The console's count is the tab's list, for the cadre and the town admin alike.
    expect(await todoLikes(cadres.yangwei, VILLAGES.yangwei)).toBe(before.yangwei + 6);
    expect(await todoLikes(admin, VILLAGES.yangwei)).toBe(before.yangwei + 6);
    expect(await todoLikes(cadres.lingpan, VILLAGES.lingpan)).toBe(before.lingpan + 5);
  });
});
