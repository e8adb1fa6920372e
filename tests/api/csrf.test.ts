import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { otpCodes } from '../../server/db/schema.ts';
import { makeApp, ORIGIN, type TestApp } from '../support/api.ts';
import { csv, expectError, householdCount, PHONE, rawRequest, snapshot, VILLAGE } from './helpers.ts';

const otpCount = (t: TestApp) => t.db.select({ n: count() }).from(otpCodes).get()!.n;
const json = { 'content-type': 'application/json' };
const otpBody = JSON.stringify({ phone: PHONE.yangweiVillager });

describe('state-changing requests must come from this site', () => {
  it('refuses a POST without an Origin header (403 bad_origin) and does nothing', async () => {
    const t = makeApp();
    const res = await rawRequest(t, 'POST', '/api/auth/otp', { headers: json, body: otpBody });
    const err = await expectError(res, 403, 'bad_origin');
    expect(err.message).toContain('Origin');
    expect(otpCount(t)).toBe(0);
    expect(t.delivery.sent).toEqual([]);
  });

  it.each(['https://evil.example', 'http://localhost.evil.example', 'http://localhost:9999', 'null'])(
    'refuses a POST from origin %s (403) and does nothing',
    async (origin) => {
      const t = makeApp();
      const err = await expectError(await rawRequest(t, 'POST', '/api/auth/otp', { headers: { ...json, origin }, body: otpBody }), 403, 'bad_origin');
      expect(err.message).toContain(origin);
      expect(otpCount(t)).toBe(0);
    },
  );

  it('refuses a forged-origin request that carries a valid session cookie, writing nothing', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const res = await rawRequest(t, 'POST', '/api/households', {
      headers: { ...json, origin: 'https://evil.example', cookie },
      body: JSON.stringify({ villageId: VILLAGE.yangwei, headName: '陈美丽', doorNumber: '洋尾村100号', proxy: {} }),
    });
    await expectError(res, 403, 'bad_origin');
    expect(snapshot(t)).toEqual(before);
  });

  it('accepts the public address of the deployment as an origin', async () => {
    const t = makeApp();
    const res = await rawRequest(t, 'POST', '/api/auth/otp', { headers: { ...json, origin: 'http://localhost:8787' }, body: otpBody });
    expect(res.status).toBe(200);
  });

  it('lets GET requests through without an Origin', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    expect((await rawRequest(t, 'GET', '/api/me', { headers: { cookie } })).status).toBe(200);
    expect((await rawRequest(t, 'GET', `/api/villages/${VILLAGE.yangwei}`)).status).toBe(200);
    expect((await rawRequest(t, 'GET', '/api/places/villages?town=350582102')).status).toBe(200);
  });
});

describe('request bodies', () => {
  it.each([
    ['text/plain', otpBody],
    ['application/x-www-form-urlencoded', 'phone=13900000101'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="phone"\r\n\r\n13900000101\r\n--x--'],
  ])('refuses %s on a JSON route with 415 and does nothing', async (type, body) => {
    const t = makeApp();
    const res = await t.req('POST', '/api/auth/otp', { body, headers: { 'content-type': type } });
    const err = await expectError(res, 415, 'unsupported_media_type');
    expect(err.message).toContain('application/json');
    expect(otpCount(t)).toBe(0);
  });

  it('the roster import takes text/csv: text/plain is 415 and imports nothing', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    const before = householdCount(t);
    const res = await t.req('POST', `/api/villages/${VILLAGE.yangwei}/households/import`, {
      cookie,
      body: '户主姓名,门牌号\n陈美丽,洋尾村100号',
      headers: { 'content-type': 'text/plain' },
    });
    const err = await expectError(res, 415, 'unsupported_media_type');
    expect(err.message).toContain('text/csv');
    expect(householdCount(t)).toBe(before);
  });

  it.each(['{"phone": "139', '{phone: 13900000101}', "{'phone':'13900000101'}", ''])(
    'answers malformed JSON %j with 400 malformed_json',
    async (body) => {
      const t = makeApp();
      const err = await expectError(await t.req('POST', '/api/auth/otp', { body, headers: json }), 400, 'malformed_json');
      expect(err.message).toContain('JSON');
      expect(otpCount(t)).toBe(0);
    },
  );

  it('refuses a JSON body over 256 KB with 413', async () => {
    const t = makeApp();
    const body = JSON.stringify({ phone: PHONE.yangweiVillager, padding: 'x'.repeat(300 * 1024) });
    const err = await expectError(await t.req('POST', '/api/auth/otp', { body }), 413, 'body_too_large');
    expect(err.message).toContain('太大');
    expect(otpCount(t)).toBe(0);
  });

  it('refuses a signed-out JSON body over 16 KB with 413: a stranger sends a phone number and a code, nothing more', async () => {
    const t = makeApp();
    const body = JSON.stringify({ phone: PHONE.yangweiVillager, padding: 'x'.repeat(20 * 1024) });
    const err = await expectError(await t.req('POST', '/api/auth/otp', { body }), 413, 'body_too_large');
    expect(err.message).toContain('16 KB');
    expect(otpCount(t)).toBe(0);
  });

  it.each([
    ['a photo', '/api/entries/en_x/photos', 'multipart/form-data; boundary=b'],
    ['a roster', `/api/villages/${VILLAGE.yangwei}/households/import`, 'text/csv'],
  ])('refuses %s from someone signed out with 401 before reading its body', async (_what, path, type) => {
    const t = makeApp();
    // A body that never ends: reading it would never answer.
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        pulls++;
        if (pulls < 3) ctrl.enqueue(new Uint8Array(1 << 20));
      },
    });
    const res = await t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, 'content-type': type }, body, duplex: 'half' } as RequestInit);
    await expectError(res, 401, 'unauthenticated');
    expect(pulls).toBeLessThan(3);
  });

  it('refuses a roster over 2 MB with 413 and imports nothing', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    const before = householdCount(t);
    const rows = Array.from({ length: 80_000 }, (_, i) => `陈美丽,洋尾村${1000 + i}号,`);
    const text = ['户主姓名,门牌号,手机号', ...rows].join('\n');
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 * 1024 * 1024);
    const err = await expectError(await t.req('POST', `/api/villages/${VILLAGE.yangwei}/households/import`, { cookie, ...csv(text) }), 413, 'body_too_large');
    expect(err.message).toContain('2048 KB');
    expect(householdCount(t)).toBe(before);
  });

  it('checks the origin before anything else, even for a bad body', async () => {
    const t = makeApp();
    await expectError(
      await rawRequest(t, 'POST', '/api/auth/otp', { headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: 'x' }),
      403,
      'bad_origin',
    );
  });
});
