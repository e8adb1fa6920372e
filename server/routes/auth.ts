import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { LoginRequest, MeResponse, OtpRequest, OtpResponse } from '../contracts/auth.ts';
import { Ok } from '../contracts/common.ts';
import { accountForPhone, createSession, describeAccount, endSession, SESSION_TTL_MS } from '../db/accounts.ts';
import { otpCodes } from '../db/schema.ts';
import { DomainError, invalid, tooMany, unauthenticated } from '../domain/errors.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId, newOtpCode, newToken, sha256 } from '../lib/ids.ts';
import { RateLimiter } from '../lib/rate-limit.ts';
import { clientIp, requireActor, router, type AppDeps } from './context.ts';
import { SESSION_COOKIE } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';

export const OTP_TTL_MS = 10 * 60 * 1000;
export const OTP_RESEND_MS = 60 * 1000;
export const OTP_MAX_TRIES = 5;

const otpRoute = createRoute({
  method: 'post',
  path: '/otp',
  tags: ['auth'],
  summary: 'Send a one-time sign-in code to a phone',
  request: jsonBody(OtpRequest),
  responses: { 200: json(OtpResponse), ...errors(400, 403, 415, 429, 503) },
});

const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['auth'],
  summary: 'Sign in with phone and code; sets the session cookie',
  request: jsonBody(LoginRequest),
  responses: { 200: json(MeResponse), ...errors(400, 403, 415, 429) },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'End this session',
  security: cookieAuth,
  responses: { 200: json(Ok), ...errors(403) },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The signed-in account, its roles and household',
  security: cookieAuth,
  responses: { 200: json(MeResponse), ...errors(401) },
});

function codeHash(secret: string, phone: string, code: string): string {
  return createHmac('sha256', secret).update(`${phone}:${code}`).digest('hex');
}

export function meBody(deps: AppDeps, accountId: string) {
  const d = describeAccount(deps.db, accountId);
  if (!d) throw unauthenticated();
  return {
    user: {
      id: d.account.id,
      phone: d.account.phone,
      displayName: d.account.displayName,
      createdAt: toShanghaiIso(d.account.createdAt),
      roles: d.roles,
      household: d.household,
      panelMember: d.panelMember,
      panelVillages: d.panelVillages,
    },
  };
}

export function authRoutes(codesPerIpPerHour = 60) {
  // Per IP: generous, because a whole village can share one carrier address.
  const otpPerIp = new RateLimiter(codesPerIpPerHour, 60 * 60 * 1000);
  const otpPerPhone = new RateLimiter(8, 60 * 60 * 1000);
  const loginPerIp = new RateLimiter(120, 60 * 60 * 1000);

  const app = router();

  app.openapi(otpRoute, async (c) => {
    const { db, clock, delivery, secret, demo, log } = c.get('deps');
    const { phone } = c.req.valid('json');
    const now = clock.now();
    const last = db.select().from(otpCodes).where(eq(otpCodes.phone, phone)).orderBy(desc(otpCodes.createdAt)).limit(1).get();
    if (last && now - last.createdAt < OTP_RESEND_MS) {
      throw tooMany('resend_too_soon', '验证码已发送，请稍候一分钟再重新获取。', (last.createdAt + OTP_RESEND_MS - now) / 1000);
    }
    const ipWait = otpPerIp.hit(clientIp(c), now);
    if (ipWait) throw tooMany('rate_limited', '获取验证码太频繁，请稍后再试。', ipWait);
    const phoneWait = otpPerPhone.hit(phone, now);
    if (phoneWait) throw tooMany('rate_limited', '这个手机号获取验证码太频繁，请稍后再试。', phoneWait);

    const code = newOtpCode();
    const id = newId('otp');
    db.insert(otpCodes).values({ id, phone, codeHash: codeHash(secret, phone, code), createdAt: now, expiresAt: now + OTP_TTL_MS, requestIp: clientIp(c) }).run();
    // The code goes straight to the adapter and is never written down in clear.
    try {
      await delivery.send({ channel: 'sms', to: phone, text: `【美丽庭院】您的验证码是 ${code}，10 分钟内有效。请勿告诉他人。` });
    } catch (err) {
      // A code never sent is no code: it is taken back, so asking again is not held up a minute,
      // and an earlier code (its text may still arrive) keeps working.
      db.delete(otpCodes).where(eq(otpCodes.id, id)).run();
      log.error('sign-in code not delivered', { requestId: c.get('requestId'), error: String(err) });
      throw new DomainError(503, 'delivery_failed', '验证码短信没有发出去，请稍后再试。如果一直收不到，请联系村干部。');
    }
    // Sent: only the newest code counts, earlier unused ones stop working.
    db.update(otpCodes).set({ consumedAt: now }).where(and(eq(otpCodes.phone, phone), isNull(otpCodes.consumedAt), ne(otpCodes.id, id))).run();
    return c.json(
      { sent: true as const, resendAfterSeconds: OTP_RESEND_MS / 1000, expiresInSeconds: OTP_TTL_MS / 1000, ...(demo ? { devCode: code } : {}) },
      200,
    );
  });

  app.openapi(loginRoute, async (c) => {
    const deps = c.get('deps');
    const { db, clock, secret } = deps;
    const { phone, code } = c.req.valid('json');
    const now = clock.now();
    const ipWait = loginPerIp.hit(clientIp(c), now);
    if (ipWait) throw tooMany('rate_limited', '登录尝试太频繁，请稍后再试。', ipWait);

    const otp = db
      .select()
      .from(otpCodes)
      .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.consumedAt)))
      .orderBy(desc(otpCodes.createdAt))
      .limit(1)
      .get();
    if (!otp || otp.expiresAt <= now) {
      throw invalid('code_expired', '验证码已过期或尚未获取，请重新获取验证码。', { field: 'code' });
    }
    if (otp.attempts >= OTP_MAX_TRIES) {
      throw tooMany('too_many_attempts', '验证码错误次数太多，请重新获取验证码。', Math.max(1, (otp.createdAt + OTP_RESEND_MS - now) / 1000));
    }
    const expected = Buffer.from(otp.codeHash, 'hex');
    const given = Buffer.from(codeHash(secret, phone, code), 'hex');
    if (!timingSafeEqual(expected, given)) {
      db.update(otpCodes).set({ attempts: otp.attempts + 1 }).where(eq(otpCodes.id, otp.id)).run();
      const left = OTP_MAX_TRIES - otp.attempts - 1;
      // The fifth wrong try still says what happened; only the tries after it are refused with 429.
      throw invalid('code_wrong', left > 0 ? `验证码不正确，还可以再试 ${left} 次。` : '验证码不正确，已经没有重试机会，请重新获取验证码。', {
        field: 'code',
        attemptsLeft: left,
      });
    }

    const token = newToken();
    const previous = getCookie(c, SESSION_COOKIE);
    const accountId = db.transaction((tx) => {
      tx.update(otpCodes).set({ consumedAt: now }).where(eq(otpCodes.id, otp.id)).run();
      const account = accountForPhone(tx, phone, now, true);
      // A new session id at every sign-in; a session the browser already held is ended.
      if (previous) endSession(tx, sha256(previous));
      createSession(tx, account.id, sha256(token), now);
      return account.id;
    });
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.publicUrl.startsWith('https://'),
      path: '/',
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.json(meBody(deps, accountId), 200);
  });

  app.openapi(logoutRoute, async (c) => {
    const actor = c.get('actor');
    if (actor) endSession(c.get('deps').db, actor.sessionHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true as const }, 200);
  });

  return app;
}

const sessionRoute = createRoute({
  method: 'get',
  path: '/session',
  tags: ['auth'],
  summary: 'Who is signed in on this browser: the account as /api/me gives it, or null (never 401, so a visitor’s page logs no error)',
  responses: { 200: json(z.object({ user: MeResponse.shape.user.nullable() }).meta({ id: 'Session' })) },
});

export function meRoutes() {
  const app = router();
  app.openapi(sessionRoute, async (c) => {
    const actor = c.get('actor');
    return c.json({ user: actor ? meBody(c.get('deps'), actor.accountId).user : null }, 200);
  });
  app.openapi(meRoute, async (c) => {
    const actor = requireActor(c);
    return c.json(meBody(c.get('deps'), actor.accountId), 200);
  });
  return app;
}

