import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, otpCodes, sessions } from '../../server/db/schema.ts';
import { makeApp, T0, type TestApp } from '../support/api.ts';
import { expectError, fieldsOf, freshPhone, PHONE } from './helpers.ts';

const MINUTE = 60_000;

async function requestCode(t: TestApp, phone: string, ip?: string): Promise<string> {
  const res = await t.req('POST', '/api/auth/otp', { body: { phone }, ...(ip ? { ip } : {}) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { devCode: string }).devCode;
}

const login = (t: TestApp, phone: string, code: string, cookie?: string) =>
  t.req('POST', '/api/auth/login', { body: { phone, code }, ...(cookie ? { cookie } : {}) });

const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;
const otpRows = (t: TestApp, phone: string) => t.db.select().from(otpCodes).where(eq(otpCodes.phone, phone)).all();
const sessionCount = (t: TestApp) => t.db.select({ n: count() }).from(sessions).get()!.n;
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

describe('requesting a code', () => {
  it('sends a 6-digit code through the delivery adapter and, in demo mode, returns it', async () => {
    const t = makeApp();
    const res = await t.req('POST', '/api/auth/otp', { body: { phone: PHONE.yangweiVillager } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sent: boolean; devCode: string; resendAfterSeconds: number; expiresInSeconds: number };
    expect(body).toMatchObject({ sent: true, resendAfterSeconds: 60, expiresInSeconds: 600 });
    expect(body.devCode).toMatch(/^\d{6}$/);
    expect(t.delivery.sent).toEqual([{ to: PHONE.yangweiVillager, text: expect.stringContaining(body.devCode) }]);
  });

  it.each([
    ['ten digits', '1390000000'],
    ['twelve digits', '139000000021'],
    ['second digit 2', '12900000002'],
    ['a landline', '059585123456'],
    ['letters', '1390000000a'],
    ['empty', ''],
    ['spaces only', '   '],
  ])('refuses a malformed phone (%s) with 400 naming the phone, and sends nothing', async (_label, phone) => {
    const t = makeApp();
    const err = await expectError(await t.req('POST', '/api/auth/otp', { body: { phone } }), 400, 'invalid_input');
    expect(err.message).toContain('手机号应为 11 位');
    expect(fieldsOf(err)).toContain('phone');
    expect(t.db.select({ n: count() }).from(otpCodes).get()!.n).toBe(0);
    expect(t.delivery.sent).toEqual([]);
  });

  it.each([
    ['a number instead of text', { phone: 13900000002 }],
    ['no phone at all', {}],
    ['an unknown extra field', { phone: '13900000002', role: 'admin' }],
  ])('refuses a body with %s (400) and sends nothing', async (_label, body) => {
    const t = makeApp();
    const err = await expectError(await t.req('POST', '/api/auth/otp', { body }), 400, 'invalid_input');
    expect(fieldsOf(err).length).toBeGreaterThan(0);
    expect(t.delivery.sent).toEqual([]);
  });

  it('refuses a resend within a minute with 429 and Retry-After in seconds, then allows it', async () => {
    const t = makeApp();
    await requestCode(t, PHONE.yangweiVillager);
    t.clock.advance(20_000);
    const res = await t.req('POST', '/api/auth/otp', { body: { phone: PHONE.yangweiVillager } });
    const err = await expectError(res, 429, 'resend_too_soon');
    expect(err.message).toContain('稍候');
    expect(res.headers.get('retry-after')).toBe('40');
    expect(otpRows(t, PHONE.yangweiVillager)).toHaveLength(1);
    expect(t.delivery.sent).toHaveLength(1);

    t.clock.advance(40_000);
    await requestCode(t, PHONE.yangweiVillager);
    expect(t.delivery.sent).toHaveLength(2);
  });

  it('when the SMS gateway fails: 503 that says so, no code kept, and asking again at once works', async () => {
    const t = makeApp();
    const send = t.delivery.send;
    t.delivery.send = async () => {
      throw new Error('delivery webhook answered 502');
    };
    const err = await expectError(await t.req('POST', '/api/auth/otp', { body: { phone: PHONE.yangweiVillager } }), 503, 'delivery_failed');
    expect(err.message).toContain('没有发出去');
    expect(otpRows(t, PHONE.yangweiVillager)).toHaveLength(0);

    t.delivery.send = send;
    const first = await requestCode(t, PHONE.yangweiVillager);
    expect(t.delivery.sent).toHaveLength(1);
    expect(otpRows(t, PHONE.yangweiVillager)).toHaveLength(1);

    // a minute later the gateway fails again: the code already sent still signs in
    t.clock.advance(61_000);
    t.delivery.send = async () => {
      throw new Error('delivery webhook answered 502');
    };
    await expectError(await t.req('POST', '/api/auth/otp', { body: { phone: PHONE.yangweiVillager } }), 503, 'delivery_failed');
    t.delivery.send = send;
    expect((await t.req('POST', '/api/auth/login', { body: { phone: PHONE.yangweiVillager, code: first } })).status).toBe(200);
  });

  it('limits codes per phone (8 an hour): the 9th is 429 with Retry-After and nothing is sent', async () => {
    const t = makeApp();
    const phone = freshPhone(1);
    for (let i = 0; i < 8; i++) {
      await requestCode(t, phone);
      t.clock.advance(MINUTE + 1000);
    }
    const res = await t.req('POST', '/api/auth/otp', { body: { phone } });
    const err = await expectError(res, 429, 'rate_limited');
    expect(err.message).toContain('这个手机号获取验证码太频繁');
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(otpRows(t, phone)).toHaveLength(8);
    expect(t.delivery.sent).toHaveLength(8);

    t.clock.advance(wait * 1000);
    await requestCode(t, phone);
  });

  it('limits codes per IP address (60 an hour) without blocking other addresses', async () => {
    const t = makeApp();
    for (let i = 0; i < 60; i++) await requestCode(t, freshPhone(100 + i), '10.9.9.9');
    const res = await t.req('POST', '/api/auth/otp', { body: { phone: freshPhone(999) }, ip: '10.9.9.9' });
    const err = await expectError(res, 429, 'rate_limited');
    expect(err.message).toContain('太频繁');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(otpRows(t, freshPhone(999))).toHaveLength(0);

    await requestCode(t, freshPhone(999), '10.9.9.10');
  });

  it('behind the HTTPS proxy, counts the address the proxy saw, whatever the client wrote before it in X-Forwarded-For', async () => {
    const t = makeApp({ publicUrl: 'https://courtyard.example.cn' });
    const origin = 'https://courtyard.example.cn';
    const ask = (i: number, forwarded: string) => t.req('POST', '/api/auth/otp', { body: { phone: freshPhone(200 + i) }, headers: { origin, 'x-forwarded-for': forwarded }, ip: '127.0.0.1' });
    // A client that writes a new address of its own each time, in front of the one the proxy adds.
    for (let i = 0; i < 60; i++) expect((await ask(i, `10.1.${i}.1, 203.0.113.9`)).status).toBe(200);
    await expectError(await ask(60, '10.1.99.1, 203.0.113.9'), 429, 'rate_limited');
    // Another villager behind the same proxy is not held up.
    expect((await ask(61, '198.51.100.7')).status).toBe(200);
  });
});

describe('signing in', () => {
  it('signs in with the code, creates a verified account for a new phone and shows it on /api/me', async () => {
    const t = makeApp();
    const phone = freshPhone(1);
    const res = await login(t, phone, await requestCode(t, phone));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { phone: string; roles: unknown[]; household: unknown } };
    expect(body.user).toMatchObject({ phone, roles: [], household: null });
    const account = t.db.select().from(accounts).where(eq(accounts.phone, phone)).get()!;
    expect(account.verifiedAt).toBe(T0);

    const me = await t.req('GET', '/api/me', { cookie: cookieOf(res) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { phone: string } }).user.phone).toBe(phone);
  });

  it('counts down wrong codes, then refuses even the right code with 429 too_many_attempts', async () => {
    const t = makeApp();
    const phone = PHONE.yangweiVillager;
    const code = await requestCode(t, phone);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const err = await expectError(await login(t, phone, otherCode(code)), 400, 'code_wrong');
      const left = 5 - attempt;
      expect(err.details).toMatchObject({ field: 'code', attemptsLeft: left });
      expect(err.message).toContain(left > 0 ? `还可以再试 ${left} 次` : '没有重试机会');
    }
    const sixth = await login(t, phone, otherCode(code));
    await expectError(sixth, 429, 'too_many_attempts');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);

    const right = await login(t, phone, code);
    const err = await expectError(right, 429, 'too_many_attempts');
    expect(err.message).toContain('重新获取验证码');
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(sessionCount(t)).toBe(0);

    // A new code starts afresh.
    t.clock.advance(MINUTE);
    const again = await login(t, phone, await requestCode(t, phone));
    expect(again.status).toBe(200);
  });

  it('refuses a code older than 10 minutes with code_expired and accepts one just inside', async () => {
    const t = makeApp();
    const a = freshPhone(1);
    const b = freshPhone(2);
    const codeA = await requestCode(t, a);
    const codeB = await requestCode(t, b);
    t.clock.advance(10 * MINUTE - 1000);
    expect((await login(t, a, codeA)).status).toBe(200);

    t.clock.advance(2000);
    const err = await expectError(await login(t, b, codeB), 400, 'code_expired');
    expect(err.message).toContain('过期');
    expect(fieldsOf(err)).toContain('code');
    expect(t.db.select().from(accounts).where(eq(accounts.phone, b)).get()).toBeUndefined();
  });

  it('refuses a sign-in when no code was ever requested', async () => {
    const t = makeApp();
    await expectError(await login(t, freshPhone(1), '123456'), 400, 'code_expired');
  });

  it.each([
    ['five digits', '12345'],
    ['seven digits', '1234567'],
    ['letters', '12345a'],
  ])('refuses a code with %s as invalid input, without using up a try', async (_label, code) => {
    const t = makeApp();
    const phone = PHONE.yangweiVillager;
    await requestCode(t, phone);
    const err = await expectError(await login(t, phone, code), 400, 'invalid_input');
    expect(err.message).toContain('验证码是 6 位数字');
    expect(otpRows(t, phone)[0]!.attempts).toBe(0);
  });

  it('a new code makes the previous one stop working', async () => {
    const t = makeApp();
    const phone = PHONE.yangweiVillager;
    const first = await requestCode(t, phone);
    let second = first;
    while (second === first) {
      t.clock.advance(MINUTE);
      second = await requestCode(t, phone);
    }
    await expectError(await login(t, phone, first), 400, 'code_wrong');
    expect((await login(t, phone, second)).status).toBe(200);
  });

  it('a code works once', async () => {
    const t = makeApp();
    const phone = PHONE.yangweiVillager;
    const code = await requestCode(t, phone);
    expect((await login(t, phone, code)).status).toBe(200);
    await expectError(await login(t, phone, code), 400, 'code_expired');
  });

  it('limits sign-in attempts per IP address (120 an hour)', async () => {
    const t = makeApp();
    for (let i = 0; i < 120; i++) {
      const res = await t.req('POST', '/api/auth/login', { body: { phone: freshPhone(i), code: '123456' }, ip: '10.7.7.7' });
      expect(res.status).toBe(400);
    }
    const res = await t.req('POST', '/api/auth/login', { body: { phone: freshPhone(500), code: '123456' }, ip: '10.7.7.7' });
    await expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the session', () => {
  it('is an HttpOnly, SameSite=Lax cookie on path / without Secure over http', async () => {
    const t = makeApp();
    const res = await login(t, PHONE.yangweiCadre, await requestCode(t, PHONE.yangweiCadre));
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cy_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/);
    expect(setCookie).not.toMatch(/secure/i);
  });

  it('gets a new id at each sign-in, and the cookie held before stops working', async () => {
    const t = makeApp();
    const phone = PHONE.yangweiCadre;
    const old = await t.signIn(phone);
    const res = await login(t, phone, await requestCode(t, phone), old);
    expect(res.status).toBe(200);
    const fresh = cookieOf(res);
    expect(fresh).toMatch(/^cy_session=/);
    expect(fresh).not.toBe(old);

    await expectError(await t.req('GET', '/api/me', { cookie: old }), 401, 'unauthenticated');
    expect((await t.req('GET', '/api/me', { cookie: fresh })).status).toBe(200);
    expect(sessionCount(t)).toBe(1);
  });

  it('a sign-in on another phone leaves the first session working', async () => {
    const t = makeApp();
    const first = await t.signIn(PHONE.yangweiCadre);
    const second = await t.signIn(PHONE.yangweiCadre);
    expect(second).not.toBe(first);
    expect((await t.req('GET', '/api/me', { cookie: first })).status).toBe(200);
    expect((await t.req('GET', '/api/me', { cookie: second })).status).toBe(200);
  });

  it('ends at logout: the cookie is cleared and no longer signs in', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    const res = await t.req('POST', '/api/auth/logout', { cookie });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('set-cookie')).toMatch(/^cy_session=;.*Max-Age=0/i);
    expect(sessionCount(t)).toBe(0);
    await expectError(await t.req('GET', '/api/me', { cookie }), 401, 'unauthenticated');
  });

  it('ends after 30 days', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    t.clock.advance(29 * 24 * 60 * MINUTE);
    expect((await t.req('GET', '/api/me', { cookie })).status).toBe(200);
    t.clock.advance(24 * 60 * MINUTE);
    await expectError(await t.req('GET', '/api/me', { cookie }), 401, 'unauthenticated');
  });

  it.each([
    ['no cookie', undefined],
    ['a made-up token', 'cy_session=not-a-real-session-token'],
    ['an empty token', 'cy_session='],
  ])('GET /api/me with %s is 401 asking to sign in', async (_label, cookie) => {
    const t = makeApp();
    const err = await expectError(await t.req('GET', '/api/me', cookie ? { cookie } : {}), 401, 'unauthenticated');
    expect(err.message).toBe('请先登录。');
  });
});

describe('secrets at rest', () => {
  it('stores neither the code nor the session token in clear', async () => {
    const t = makeApp();
    const phone = PHONE.yangweiCadre;
    const code = await requestCode(t, phone);
    const [row] = otpRows(t, phone);
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.codeHash).not.toContain(code);

    const res = await login(t, phone, code);
    const token = cookieOf(res).slice('cy_session='.length);
    expect(token.length).toBeGreaterThan(30);
    const stored = t.db.select().from(sessions).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toBe(token);
    expect(JSON.stringify(stored)).not.toContain(token);
    // Nowhere in the database, in any table.
    const dump = t.db.$client.serialize();
    expect(dump.includes(Buffer.from(token))).toBe(false);
    expect(dump.includes(Buffer.from(`验证码是 ${code}`))).toBe(false);
  });
});

describe('GET /api/session', () => {
  it('answers 200 with null for a visitor (no error for every public page) and the account once signed in', async () => {
    const t = makeApp();
    const anon = await t.req('GET', '/api/session');
    expect(anon.status).toBe(200);
    expect(await anon.json()).toEqual({ user: null });
    const cookie = await t.signIn('13900000002');
    const me = (await (await t.req('GET', '/api/me', { cookie })).json()) as { user: unknown };
    expect(await (await t.req('GET', '/api/session', { cookie })).json()).toEqual({ user: me.user });
    await t.req('POST', '/api/auth/logout', { cookie, body: {} });
    expect(await (await t.req('GET', '/api/session', { cookie })).json()).toEqual({ user: null });
  });
});
