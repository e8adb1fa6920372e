import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, auditLog, households } from '../../server/db/schema.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { currentRound, submittedEntry } from '../support/entries.ts';
import {
  auditCount,
  expectError,
  fieldsOf,
  freshPhone,
  householdCount,
  PHONE,
  selfRegister,
  snapshot,
  VILLAGE,
  type HouseholdView,
} from './helpers.ts';

const register = (t: TestApp, cookie: string, body: Record<string, unknown>) => t.req('POST', '/api/households', { cookie, body });
const householdOf = async (res: Response) => ((await res.json()) as { household: HouseholdView }).household;
const me = async (t: TestApp, cookie: string) =>
  ((await (await t.req('GET', '/api/me', { cookie })).json()) as { user: { household: { id: string; status: string; rejectReason: string | null; proxy: boolean } | null } })
    .user.household;
const statusOf = (t: TestApp, id: string) => t.db.select({ s: households.status }).from(households).where(eq(households.id, id)).get()!.s;

describe('self-registration', () => {
  it('registers a household as pending with the person as its member', async () => {
    const t = makeApp();
    const phone = freshPhone(1);
    const cookie = await t.signIn(phone);
    const res = await register(t, cookie, { villageId: VILLAGE.yangwei, headName: ' 陈美丽 ', doorNumber: ' 洋尾村101号 ' });
    expect(res.status).toBe(201);
    const h = await householdOf(res);
    expect(h).toMatchObject({
      villageId: VILLAGE.yangwei,
      headName: '陈美丽',
      doorNumber: '洋尾村101号',
      label: '陈家庭院',
      status: 'pending',
      source: 'self',
      proxyBy: null,
      decidedAt: null,
      members: [{ phone, verified: true }],
    });
    expect(await me(t, cookie)).toMatchObject({ id: h.id, status: 'pending', proxy: false });
    expect(t.db.select().from(auditLog).where(eq(auditLog.subjectId, h.id)).all().map((r) => r.action)).toEqual(['household.register']);
  });

  it('needs a signed-in account (401) and writes nothing', async () => {
    const t = makeApp();
    const before = snapshot(t);
    await expectError(await t.req('POST', '/api/households', { body: { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村101号' } }), 401, 'unauthenticated');
    expect(snapshot(t)).toEqual(before);
  });

  it.each([
    ['a right-to-left mark that turns 陈家庭院 around', 'headName', { headName: '\u202e陈美丽', doorNumber: '洋尾村101号' }],
    ['a line break in a name', 'headName', { headName: '陈\n美丽', doorNumber: '洋尾村101号' }],
    ['a NUL in a door number', 'doorNumber', { headName: '陈美丽', doorNumber: '洋尾村\u0000101号' }],
    ['a direction isolate in a door number', 'doorNumber', { headName: '陈美丽', doorNumber: '\u2067洋尾村101号\u2069' }],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_what, field, body) => {
    const t = makeApp();
    const cookie = await t.signIn(freshPhone(1));
    const before = snapshot(t);
    const err = await expectError(await register(t, cookie, { villageId: VILLAGE.yangwei, ...body }), 400, 'invalid_input');
    expect(err.details).toMatchObject({ field });
    expect(err.message).toContain('看不见的控制字符');
    expect(snapshot(t)).toEqual(before);
  });

  it('answers 404 for a village that does not exist and writes nothing', async () => {
    const t = makeApp();
    const cookie = await t.signIn(freshPhone(1));
    const before = snapshot(t);
    const err = await expectError(await register(t, cookie, { villageId: '350582102299', headName: '陈美丽', doorNumber: '1号' }), 404, 'not_found');
    expect(err.message).toContain('村（社区）');
    expect(snapshot(t)).toEqual(before);
  });

  // 洋尾村1号 was imported by the demo roster; a door is the same written with the village's name, its short name or none.
  it.each(['洋尾村1号', '洋尾村 1号', '洋尾村１号', '洋尾村1', '  洋尾村1号  ', '洋尾村 １ 号', '1号', '１', '洋尾1号', '洋尾 1', '一号', '洋尾村一号'])(
    'refuses door %j in 洋尾村 as the same door as 洋尾村1号 (409) and writes nothing',
    async (doorNumber) => {
      const t = makeApp();
      const cookie = await t.signIn(freshPhone(1));
      const before = snapshot(t);
      const err = await expectError(await register(t, cookie, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber }), 409, 'duplicate_household');
      expect(err.message).toContain('门牌号');
      // a family member registering the family again is told what to do instead
      expect(err.message).toContain('如果您是这一户的家人，不用再登记');
      expect(fieldsOf(err)).toContain('doorNumber');
      expect(snapshot(t)).toEqual(before);
      expect(await me(t, cookie)).toBeNull();
    },
  );

  it('refuses a second registration of a door that is still pending, even written differently', async () => {
    const t = makeApp();
    await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cookie = await t.signIn(freshPhone(2));
    const before = snapshot(t);
    await expectError(await register(t, cookie, { villageId: VILLAGE.yangwei, headName: '林秀英', doorNumber: '洋尾村１０１' }), 409, 'duplicate_household');
    expect(snapshot(t)).toEqual(before);
  });

  it('a registration written without the village name cannot be confirmed beside the same door written with it', async () => {
    const t = makeApp();
    const a = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    expect((await t.req('POST', `/api/households/${a.id}/reject`, { cookie: cadre, body: { reason: '门牌号写错了' } })).status).toBe(200);
    const b = await selfRegister(t, freshPhone(2), VILLAGE.yangwei, '101号', '林秀英');
    // a door registered before doors were compared this way: the same door, written with the village's name
    t.db.$client.prepare(`update households set status = 'pending' where id = ?`).run(a.id);
    const before = snapshot(t);
    await expectError(await t.req('POST', `/api/households/${b.id}/confirm`, { cookie: cadre }), 409, 'duplicate_household');
    expect(snapshot(t)).toEqual(before);
  });

  it('allows a door number that only begins like the village', async () => {
    const t = makeApp();
    // 洋尾村 has no door 「洋尾新村1号」: 新村1号 is not 1号
    expect((await register(t, await t.signIn(freshPhone(3)), { villageId: VILLAGE.yangwei, headName: '陈美华', doorNumber: '洋尾新村1号' })).status).toBe(201);
  });

  it('allows the same door number in another village', async () => {
    const t = makeApp();
    const cookie = await t.signIn(freshPhone(1));
    const res = await register(t, cookie, { villageId: VILLAGE.lingpan, headName: '陈美丽', doorNumber: '洋尾村1号' });
    expect(res.status).toBe(201);
  });

  it('refuses a person who is already in a household (409) and writes nothing', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiVillager);
    const before = snapshot(t);
    const err = await expectError(await register(t, cookie, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村101号' }), 409, 'already_in_household');
    expect(err.message).toContain('已经登记在一户中');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses a second registration while the first is pending', async () => {
    const t = makeApp();
    const { cookie } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const before = snapshot(t);
    await expectError(await register(t, cookie, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村102号' }), 409, 'already_in_household');
    expect(snapshot(t)).toEqual(before);
  });

  it('after a rejection, the person may register again, and the door is free again', async () => {
    const t = makeApp();
    const { id, cookie } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const rejected = await t.req('POST', `/api/households/${id}/reject`, { cookie: cadre, body: { reason: '门牌号填错了，应为102号' } });
    expect(rejected.status).toBe(200);
    expect(await householdOf(rejected)).toMatchObject({ status: 'rejected', rejectReason: '门牌号填错了，应为102号' });
    expect(await me(t, cookie)).toMatchObject({ id, status: 'rejected', rejectReason: '门牌号填错了，应为102号' });
    const unread = async () => ((await (await t.req('GET', '/api/me/notifications', { cookie })).json()) as { notifications: Array<{ kind: string; read: boolean }> }).notifications.filter((n) => !n.read).map((n) => n.kind);
    expect(await unread()).toEqual(['household_rejected']);

    const again = await register(t, cookie, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村102号' });
    expect(again.status).toBe(201);
    const second = await householdOf(again);
    expect(second.status).toBe('pending');
    expect(await me(t, cookie)).toMatchObject({ id: second.id, status: 'pending' });
    // registering again answers the refusal: it no longer waits unread at the top of 我的家庭
    expect(await unread()).toEqual([]);

    const other = await t.signIn(freshPhone(2));
    expect((await register(t, other, { villageId: VILLAGE.yangwei, headName: '林秀英', doorNumber: '洋尾村101号' })).status).toBe(201);
  });
});

describe('confirming and rejecting', () => {
  it('a cadre confirms a pending household; confirming again is 409 and changes nothing', async () => {
    const t = makeApp();
    const { id } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await t.req('POST', `/api/households/${id}/confirm`, { cookie: cadre });
    expect(res.status).toBe(200);
    const h = await householdOf(res);
    expect(h.status).toBe('confirmed');
    expect(h.decidedAt).toMatch(/\+08:00$/);

    const before = snapshot(t);
    const err = await expectError(await t.req('POST', `/api/households/${id}/confirm`, { cookie: cadre }), 409, 'household_not_pending');
    expect(err.message).toContain('已确认');
    const rejectErr = await expectError(await t.req('POST', `/api/households/${id}/reject`, { cookie: cadre, body: { reason: '重复登记' } }), 409, 'household_not_pending');
    expect(rejectErr.message).toContain('已确认');
    expect(snapshot(t)).toEqual(before);
  });

  it('a rejected household cannot be confirmed afterwards', async () => {
    const t = makeApp();
    const { id } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    expect((await t.req('POST', `/api/households/${id}/reject`, { cookie: cadre, body: { reason: '不是本村住户' } })).status).toBe(200);
    const err = await expectError(await t.req('POST', `/api/households/${id}/confirm`, { cookie: cadre }), 409, 'household_not_pending');
    expect(err.message).toContain('已驳回');
    expect(statusOf(t, id)).toBe('rejected');
  });

  it.each([
    ['no body field', {}],
    ['an empty reason', { reason: '' }],
    ['a blank reason', { reason: '    ' }],
    ['a one-character reason', { reason: '错' }],
    ['a reason over 500 characters', { reason: '错'.repeat(501) }],
  ])('rejecting needs a reason: %s is 400 naming the reason, and the household stays pending', async (_label, body) => {
    const t = makeApp();
    const { id } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const err = await expectError(await t.req('POST', `/api/households/${id}/reject`, { cookie: cadre, body }), 400, 'invalid_input');
    expect(fieldsOf(err)).toContain('reason');
    expect(err.message).toContain('原因');
    expect(snapshot(t)).toEqual(before);
    expect(statusOf(t, id)).toBe('pending');
  });

  it('the family is told of the decision at once, in its inbox and by SMS: confirmed, or turned down with the reason', async () => {
    const t = makeApp();
    const inbox = async (cookie: string) => ((await (await t.req('GET', '/api/me/notifications', { cookie })).json()) as { notifications: Array<{ kind: string; payload: { text: string } }> }).notifications;
    const sms = (phone: string) => (t.db.$client.prepare(`select body from outbox where recipient = ? order by id`).all(phone) as Array<{ body: string }>).map((r) => r.body);
    const cadre = await t.signIn(PHONE.yangweiCadre);

    const a = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号', '陈美丽');
    expect(await inbox(a.cookie)).toEqual([]);
    expect((await t.req('POST', `/api/households/${a.id}/confirm`, { cookie: cadre })).status).toBe(200);
    const confirmed = '您家在洋尾村的登记已确认（户主：陈美丽）。现在可以报名参加本村的评比了，打开「我的家庭」就能报名。';
    expect((await inbox(a.cookie)).map((n) => [n.kind, n.payload.text])).toEqual([['household_confirmed', confirmed]]);
    expect(sms(freshPhone(1)).filter((b) => !b.includes('验证码'))).toEqual([`【美丽庭院】${confirmed}`]);

    const b = await selfRegister(t, freshPhone(2), VILLAGE.yangwei, '洋尾村102号', '林秀英');
    expect((await t.req('POST', `/api/households/${b.id}/reject`, { cookie: cadre, body: { reason: '门牌号填错了，应为103号。' } })).status).toBe(200);
    const rejected = '您家在洋尾村的登记没有通过（户主：林秀英）。原因：门牌号填错了，应为103号。改好后可以在「我的家庭」重新登记；如有疑问请联系村干部。';
    expect((await inbox(b.cookie)).map((n) => [n.kind, n.payload.text])).toEqual([['household_rejected', rejected]]);
    expect(sms(freshPhone(2)).filter((b) => !b.includes('验证码'))).toEqual([`【美丽庭院】${rejected}`]);
  });

  it('lists a village\'s households in door order, numbers as numbers', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households`, { cookie: cadre });
    const doors = ((await res.json()) as { households: HouseholdView[] }).households.map((h) => h.doorNumber);
    expect(doors.slice(0, 12)).toEqual(Array.from({ length: 12 }, (_, i) => `洋尾村${i + 1}号`));
  });

  it('a grid worker lists the confirmed households to enter one by proxy, without anyone\'s phone; nothing more', async () => {
    const t = makeApp();
    await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const grid = await t.signIn(PHONE.yangweiGridWorker);
    const res = await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households?status=confirmed`, { cookie: grid });
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const { households } = (await res.json()) as { households: HouseholdView[] };
    expect(households).toHaveLength(60);
    expect(households.every((h) => h.status === 'confirmed' && h.members.length === 0 && h.proxyBy === null)).toBe(true);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    // the pending ones, or all, stay the cadre's
    await expectError(await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households?status=pending`, { cookie: grid }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households`, { cookie: grid }), 403, 'forbidden');
    // and another village's, and a villager's
    await expectError(await t.req('GET', `/api/villages/${VILLAGE.lingpan}/households?status=confirmed`, { cookie: grid }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households?status=confirmed`, { cookie: await t.signIn(PHONE.yangweiVillager) }), 403, 'forbidden');
  });

  it('answers 404 for a household that does not exist', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const err = await expectError(await t.req('POST', '/api/households/hh_nope/confirm', { cookie: cadre }), 404, 'not_found');
    expect(err.message).toContain('住户');
  });

  it("lists the village's households for its cadre, filtered by status", async () => {
    const t = makeApp();
    const { id } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const all = (await (await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households`, { cookie: cadre })).json()) as { households: HouseholdView[] };
    expect(all.households).toHaveLength(61);
    const pending = (await (await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households?status=pending`, { cookie: cadre })).json()) as { households: HouseholdView[] };
    expect(pending.households.map((h) => h.id)).toEqual([id]);
    await expectError(await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households?status=maybe`, { cookie: cadre }), 400, 'invalid_input');
  });
});

describe('registration by proxy (代录)', () => {
  it('by a village cadre is confirmed at once and marked with who entered it', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const member = freshPhone(9);
    const res = await register(t, cadre, { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: { memberPhone: member } });
    expect(res.status).toBe(201);
    const h = await householdOf(res);
    expect(h).toMatchObject({ status: 'confirmed', source: 'proxy', proxyBy: PHONE.yangweiCadre, members: [{ phone: member, verified: false }] });
    expect(h.decidedAt).not.toBeNull();
    // The cadre entered it; they did not join it.
    expect(await me(t, cadre)).toBeNull();
    expect(t.db.select().from(auditLog).where(eq(auditLog.subjectId, h.id)).all().map((r) => r.action)).toEqual(['household.register_proxy']);

    // The family's phone signs in later and finds its household.
    const family = await t.signIn(member);
    expect(await me(t, family)).toMatchObject({ id: h.id, status: 'confirmed', proxy: true });
  });

  it('by a cadre, without a family phone, has no members', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await register(t, cadre, { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: {} });
    expect(res.status).toBe(201);
    expect(await householdOf(res)).toMatchObject({ status: 'confirmed', source: 'proxy', members: [] });
  });

  it('by a grid worker is pending for the cadre, and marked with the grid worker', async () => {
    const t = makeApp();
    const grid = await t.signIn(PHONE.yangweiGridWorker);
    const res = await register(t, grid, { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: { memberPhone: freshPhone(9) } });
    expect(res.status).toBe(201);
    expect(await householdOf(res)).toMatchObject({ status: 'pending', source: 'proxy', proxyBy: PHONE.yangweiGridWorker });
  });

  it.each([
    ['a villager', PHONE.yangweiVillager, VILLAGE.yangwei],
    ["another village's cadre", PHONE.lingpanCadre, VILLAGE.yangwei],
    ["a grid worker, outside the grid worker's village", PHONE.yangweiGridWorker, VILLAGE.lingpan],
  ])('is refused to %s (403) and writes nothing', async (_label, phone, villageId) => {
    const t = makeApp();
    const cookie = await t.signIn(phone);
    const before = snapshot(t);
    const err = await expectError(await register(t, cookie, { villageId, headName: '林阿婆', doorNumber: '门牌102号', proxy: {} }), 403, 'forbidden');
    expect(err.message).toContain('代为登记');
    expect(snapshot(t)).toEqual(before);
  });

  it("refuses a family phone that is already another household's member (409) and writes nothing", async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const err = await expectError(
      await register(t, cadre, { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: { memberPhone: PHONE.yangweiVillager } }),
      409,
      'already_in_household',
    );
    expect(fieldsOf(err)).toContain('proxy.memberPhone');
    expect(snapshot(t)).toEqual(before);
  });

  it('refuses a malformed family phone (400) and creates no account', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const err = await expectError(
      await register(t, cadre, { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: { memberPhone: '1370000' } }),
      400,
      'invalid_input',
    );
    expect(fieldsOf(err)).toContain('proxy.memberPhone');
    expect(err.message).toContain('手机号');
    expect(snapshot(t)).toEqual(before);
    expect(t.db.select().from(accounts).where(eq(accounts.phone, '1370000')).get()).toBeUndefined();
  });
});

describe('bad names and door numbers', () => {
  it.each([
    ['headName', 'empty', { headName: '' }, '户主姓名'],
    ['headName', 'blank', { headName: '   ' }, '户主姓名'],
    ['headName', 'too long', { headName: '陈'.repeat(21) }, '户主姓名最多 20 个字'],
    ['headName', 'with digits', { headName: '陈美丽2' }, '不能包含数字'],
    ['headName', 'with markup', { headName: '<b>陈美丽</b>' }, '特殊符号'],
    ['headName', 'with a script tag', { headName: '<script>x</script>' }, '特殊符号'],
    ['headName', 'not text', { headName: 42 }, '户主姓名'],
    ['doorNumber', 'empty', { doorNumber: '' }, '门牌号'],
    ['doorNumber', 'blank', { doorNumber: '  ' }, '门牌号'],
    ['doorNumber', 'too long', { doorNumber: '1'.repeat(41) }, '门牌号最多 40 个字'],
    ['doorNumber', 'with markup', { doorNumber: '<img src=x>12号' }, '门牌号不能包含尖括号'],
    ['doorNumber', 'missing', { doorNumber: undefined }, '门牌号'],
    ['villageId', 'not a village code', { villageId: '洋尾村' }, '12 位数字'],
  ])('refuses %s %s with 400 naming the field and writes nothing', async (field, _label, patch, words) => {
    const t = makeApp();
    const cookie = await t.signIn(freshPhone(1));
    const before = snapshot(t);
    const body = { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村101号', ...patch };
    const err = await expectError(await register(t, cookie, body), 400, 'invalid_input');
    expect(fieldsOf(err)).toContain(field);
    expect(err.message).toContain(words);
    expect(snapshot(t)).toEqual(before);
    expect(householdCount(t, VILLAGE.yangwei)).toBe(60);
    expect(t.db.select().from(households).where(and(eq(households.villageId, VILLAGE.yangwei), eq(households.status, 'pending'))).all()).toEqual([]);
    expect(auditCount(t)).toBe(before.audit);
  });
});

describe('family members (家人)', () => {
  const inbox = async (t: TestApp, cookie: string) =>
    ((await (await t.req('GET', '/api/me/notifications', { cookie })).json()) as { notifications: Array<{ kind: string; payload: { text: string } }> }).notifications;
  const sms = (t: TestApp, phone: string) => (t.db.$client.prepare(`select body from outbox where recipient = ? order by id`).all(phone) as Array<{ body: string }>).map((r) => r.body);
  /** 洋尾村1号, the household of the demo villager 13900000101 (head 洪… imported from the roster). */
  const villagersHousehold = async (t: TestApp) => (await me(t, await t.signIn(PHONE.yangweiVillager)))!.id;
  const addMember = (t: TestApp, cookie: string, id: string, body: unknown) => t.req('POST', `/api/households/${id}/members`, { cookie, body });

  it('a like given before joining the family is taken back when the phone is added to it: no one likes their own', async () => {
    const t = makeApp();
    const id = await villagersHousehold(t);
    const roundId = await currentRound(t, VILLAGE.yangwei);
    const { entry } = await submittedEntry(t, PHONE.yangweiVillager, roundId);
    const son = await t.signIn(freshPhone(1));
    expect((await t.req('PUT', `/api/entries/${entry.id}/like`, { cookie: son })).status).toBe(200);
    const count = () => (t.db.$client.prepare(`select like_count as n from entries where id = ?`).get(entry.id) as { n: number }).n;
    expect(count()).toBe(1);

    expect((await addMember(t, await t.signIn(PHONE.yangweiCadre), id, { phone: freshPhone(1) })).status).toBe(201);
    expect(count()).toBe(0);
    const view = (await (await t.req('GET', `/api/entries/${entry.id}`, { cookie: son })).json()) as { entry: { likeCount: number; likedByMe: boolean; ownHousehold: boolean } };
    expect(view.entry).toMatchObject({ likeCount: 0, likedByMe: false, ownHousehold: true });
    expect(t.db.select().from(auditLog).where(eq(auditLog.subjectId, entry.id)).all().map((r) => r.action)).toContain('like.taken_back');
  });

  it('a cadre adds a son\'s phone to his family: he signs in and is of the household; the family and he are told', async () => {
    const t = makeApp();
    const id = await villagersHousehold(t);
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await addMember(t, cadre, id, { phone: ' 137 0000 0001 ' });
    expect(res.status).toBe(201);
    const h = await householdOf(res);
    expect(h.members.map((m) => [m.phone, m.verified])).toEqual(expect.arrayContaining([[PHONE.yangweiVillager, true], [freshPhone(1), false]]));
    expect(t.db.select().from(auditLog).where(eq(auditLog.subjectId, id)).all().map((r) => r.action)).toContain('household.member_add');

    const son = await t.signIn(freshPhone(1));
    expect(await me(t, son)).toMatchObject({ id, status: 'confirmed' });
    // each member sees who may act for the family: themselves in full, the others masked
    const family = async (cookie: string) => ((await me(t, cookie)) as unknown as { family: Array<{ phone: string; you: boolean }> }).family;
    expect(await family(son)).toEqual([
      { phone: '139****0101', you: false },
      { phone: freshPhone(1), you: true },
    ]);
    expect(await family(await t.signIn(PHONE.yangweiVillager))).toEqual([
      { phone: PHONE.yangweiVillager, you: true },
      { phone: '137****0001', you: false },
    ]);
    const words = /^村干部已把手机号 137\*\*\*\*0001 加为您家（洋尾村，户主：.+）的家人。用这个手机号登录后，打开「我的家庭」就能替全家报名参评、上传照片。$/;
    expect((await inbox(t, son)).map((n) => n.kind)).toEqual(['household_member_added']);
    expect((await inbox(t, son))[0]!.payload.text).toMatch(words);
    expect((await inbox(t, await t.signIn(PHONE.yangweiVillager))).some((n) => words.test(n.payload.text))).toBe(true);
    // the SMS does not carry the whole number
    expect(sms(t, freshPhone(1)).filter((b) => !b.includes('验证码')).every((b) => !b.includes(freshPhone(1)))).toBe(true);
  });

  it('adding a phone already of the family, or of another family, is 409 naming the phone, and changes nothing', async () => {
    const t = makeApp();
    const id = await villagersHousehold(t);
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const same = await expectError(await addMember(t, cadre, id, { phone: PHONE.yangweiVillager }), 409, 'already_member');
    expect(fieldsOf(same)).toContain('phone');
    expect(same.message).toContain('已经是这一户的家人');
    const other = await selfRegister(t, freshPhone(2), VILLAGE.yangwei, '洋尾村101号');
    const mid = snapshot(t);
    const taken = await expectError(await addMember(t, cadre, id, { phone: freshPhone(2) }), 409, 'already_in_household');
    expect(fieldsOf(taken)).toContain('phone');
    expect(taken.message).toContain('请先在那一户的「家人手机号」里把它移出');
    expect(snapshot(t)).toEqual(mid);
    expect(other.household.members).toHaveLength(1);
    expect(before.members.length + 1).toBe(mid.members.length);
  });

  it.each([
    ['no phone', {}],
    ['an empty phone', { phone: '' }],
    ['too few digits', { phone: '1380013800' }],
    ['not a mobile number', { phone: '23800138000' }],
    ['letters', { phone: '1380013800a' }],
    ['a number, not a string', { phone: 13800138000 }],
    ['an unknown field', { phone: '13800138000', role: 'village_cadre' }],
  ])('a bad phone (%s) is 400 naming the field, and no account or member is made', async (_label, body) => {
    const t = makeApp();
    const id = await villagersHousehold(t);
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const accountsBefore = t.db.select().from(accounts).all().length;
    const before = snapshot(t);
    const err = await expectError(await addMember(t, cadre, id, body), 400, 'invalid_input');
    expect(fieldsOf(err).length).toBeGreaterThan(0);
    expect(snapshot(t)).toEqual(before);
    expect(t.db.select().from(accounts).all()).toHaveLength(accountsBefore);
  });

  it('a household turned down takes no members (409); an unknown one is 404', async () => {
    const t = makeApp();
    const { id } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const cadre = await t.signIn(PHONE.yangweiCadre);
    expect((await t.req('POST', `/api/households/${id}/reject`, { cookie: cadre, body: { reason: '门牌号填错了。' } })).status).toBe(200);
    const before = snapshot(t);
    const err = await expectError(await addMember(t, cadre, id, { phone: freshPhone(2) }), 409, 'household_rejected');
    expect(err.message).toContain('没有通过');
    await expectError(await addMember(t, cadre, 'hh_nope', { phone: freshPhone(2) }), 404, 'not_found');
    expect(snapshot(t)).toEqual(before);
  });

  it('only the village\'s cadres (and town admin) add or take off members: the family itself, a grid worker, another village\'s cadre get 403', async () => {
    const t = makeApp();
    const id = await villagersHousehold(t);
    const before = snapshot(t);
    for (const phone of [PHONE.yangweiVillager, PHONE.yangweiGridWorker, PHONE.lingpanCadre]) {
      const cookie = await t.signIn(phone);
      await expectError(await addMember(t, cookie, id, { phone: freshPhone(3) }), 403, 'forbidden');
      const villager = (await me(t, await t.signIn(PHONE.yangweiVillager)))!;
      expect(villager.id).toBe(id);
    }
    await expectError(await t.req('POST', `/api/households/${id}/members`, { body: { phone: freshPhone(3) } }), 401, 'unauthenticated');
    expect(snapshot(t)).toEqual(before);
    expect((await addMember(t, await t.signIn(PHONE.townAdmin), id, { phone: freshPhone(3) })).status).toBe(201);
  });

  it('a cadre takes a wrongly entered phone off: told first, then no longer of the family at once; twice is 404', async () => {
    const t = makeApp();
    const id = await villagersHousehold(t);
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const added = await householdOf(await addMember(t, cadre, id, { phone: freshPhone(1) }));
    const wrong = added.members.find((m) => m.phone === freshPhone(1))!;
    const stranger = await t.signIn(freshPhone(1));
    expect((await me(t, stranger))?.id).toBe(id);

    // a villager cannot take a phone off, not even of their own family
    await expectError(await t.req('DELETE', `/api/households/${id}/members/${wrong.accountId}`, { cookie: await t.signIn(PHONE.yangweiVillager) }), 403, 'forbidden');
    const res = await t.req('DELETE', `/api/households/${id}/members/${wrong.accountId}`, { cookie: cadre });
    expect(res.status).toBe(200);
    expect((await householdOf(res)).members.map((m) => m.phone)).toEqual([PHONE.yangweiVillager]);
    // the same session sees the change at once
    expect(await me(t, stranger)).toBeNull();
    expect((await inbox(t, stranger)).map((n) => n.kind)).toEqual(['household_member_removed', 'household_member_added']);
    expect((await inbox(t, stranger))[0]!.payload.text).toContain('移出');
    expect(t.db.select().from(auditLog).where(eq(auditLog.subjectId, id)).all().map((r) => r.action)).toEqual(expect.arrayContaining(['household.member_add', 'household.member_remove']));

    const before = snapshot(t);
    const again = await expectError(await t.req('DELETE', `/api/households/${id}/members/${wrong.accountId}`, { cookie: cadre }), 404, 'not_found');
    expect(again.message).toContain('家人');
    await expectError(await t.req('DELETE', `/api/households/${id}/members/bad%20id`, { cookie: cadre }), 400, 'invalid_input');
    expect(snapshot(t)).toEqual(before);
  });

  it('a family member registering the door again is told to ask the cadre to add their phone', async () => {
    const t = makeApp();
    const cookie = await t.signIn(freshPhone(1));
    const err = await expectError(await register(t, cookie, { villageId: VILLAGE.yangwei, headName: '洪大明', doorNumber: '洋尾村1号' }), 409, 'duplicate_household');
    expect(err.message).toContain('请村干部在住户名单里把您的手机号加为这一户的家人');
  });
});

describe('correcting one\'s own registration while it waits', () => {
  const correct = (t: TestApp, cookie: string, id: string, body: unknown) => t.req('PATCH', `/api/households/${id}`, { cookie, body });

  it('the family fixes a mistyped door and its head\'s name; the cadre sees the corrected registration and the log says what changed', async () => {
    const t = makeApp();
    const { id, cookie } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村1O1号', '陈美');
    const res = await correct(t, cookie, id, { villageId: VILLAGE.yangwei, headName: ' 陈美丽 ', doorNumber: ' 洋尾村101号 ' });
    expect(res.status).toBe(200);
    expect(await householdOf(res)).toMatchObject({ id, headName: '陈美丽', doorNumber: '洋尾村101号', status: 'pending', members: [{ phone: freshPhone(1) }] });
    expect(await me(t, cookie)).toMatchObject({ id, status: 'pending' });
    const log = t.db.select().from(auditLog).where(eq(auditLog.subjectId, id)).all();
    expect(log.map((r) => r.action)).toEqual(['household.register', 'household.correct']);
    expect(JSON.parse(log[1]!.before!)).toMatchObject({ doorNumber: '洋尾村1O1号', headName: '陈美' });
    // sending the same again changes and records nothing
    const before = snapshot(t);
    expect((await correct(t, cookie, id, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村101号' })).status).toBe(200);
    expect(snapshot(t)).toEqual(before);
    // the cadre confirms what was corrected
    const cadre = await t.signIn(PHONE.yangweiCadre);
    expect((await householdOf(await t.req('POST', `/api/households/${id}/confirm`, { cookie: cadre }))).doorNumber).toBe('洋尾村101号');
  });

  it('may move the registration to the village the family really lives in', async () => {
    const t = makeApp();
    const { id, cookie } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const h = await householdOf(await correct(t, cookie, id, { villageId: VILLAGE.lingpan, headName: '陈美丽', doorNumber: '岭畔村101号' }));
    expect([h.villageId, h.doorNumber]).toEqual([VILLAGE.lingpan, '岭畔村101号']);
    const lingpanCadre = await t.signIn(PHONE.lingpanCadre);
    const pending = (await (await t.req('GET', `/api/villages/${VILLAGE.lingpan}/households?status=pending`, { cookie: lingpanCadre })).json()) as { households: HouseholdView[] };
    expect(pending.households.map((x) => x.id)).toContain(id);
  });

  it('once decided it is the cadre\'s: confirmed or turned down, a correction is 409 and changes nothing', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const a = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    await t.req('POST', `/api/households/${a.id}/confirm`, { cookie: cadre });
    const b = await selfRegister(t, freshPhone(2), VILLAGE.yangwei, '洋尾村102号');
    await t.req('POST', `/api/households/${b.id}/reject`, { cookie: cadre, body: { reason: '门牌号不对。' } });
    const before = snapshot(t);
    const confirmed = await expectError(await correct(t, a.cookie, a.id, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村105号' }), 409, 'household_not_pending');
    expect(confirmed.message).toContain('联系村干部');
    const rejected = await expectError(await correct(t, b.cookie, b.id, { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村106号' }), 409, 'household_not_pending');
    expect(rejected.message).toContain('重新登记');
    expect(snapshot(t)).toEqual(before);
  });

  it('only the family corrects it: a cadre, another villager, or no one signed in are refused; an unknown household is 404', async () => {
    const t = makeApp();
    const { id } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const body = { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村109号' };
    const before = snapshot(t);
    for (const phone of [PHONE.yangweiCadre, PHONE.yangweiVillager, freshPhone(9)]) await expectError(await correct(t, await t.signIn(phone), id, body), 403, 'forbidden');
    await expectError(await t.req('PATCH', `/api/households/${id}`, { body }), 401, 'unauthenticated');
    await expectError(await correct(t, await t.signIn(freshPhone(1)), 'hh_nope', body), 404, 'not_found');
    expect(snapshot(t)).toEqual(before);
  });

  it.each([
    ['a door already registered, written another way', { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '5号' }, 409, 'duplicate_household', 'doorNumber'],
    ['an empty door', { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '  ' }, 400, 'invalid_input', 'doorNumber'],
    ['a name of digits', { villageId: VILLAGE.yangwei, headName: '12345', doorNumber: '洋尾村101号' }, 400, 'invalid_input', 'headName'],
    ['a village that does not exist', { villageId: '350582102299', headName: '陈美丽', doorNumber: '洋尾村101号' }, 404, 'not_found', null],
    ['a malformed village code', { villageId: '3505', headName: '陈美丽', doorNumber: '洋尾村101号' }, 400, 'invalid_input', 'villageId'],
    ['an unknown field', { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村101号', status: 'confirmed' }, 400, 'invalid_input', null],
    ['a proxy block', { villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村101号', proxy: {} }, 400, 'invalid_input', null],
  ] as const)('%s is %i and the registration stays as it was', async (_label, body, status, code, field) => {
    const t = makeApp();
    const { id, cookie } = await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号');
    const before = snapshot(t);
    const err = await expectError(await correct(t, cookie, id, body), status, code);
    if (field) expect(fieldsOf(err)).toContain(field);
    expect(snapshot(t)).toEqual(before);
  });
});
