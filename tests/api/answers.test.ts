import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeApp, T0 } from '../support/api.ts';
import { currentRound, VILLAGES } from '../support/entries.ts';
import { directEntry, sessionFor } from '../support/likes.ts';

// What every answer carries (request id, security headers, the server's time; a CSP on pages),
// and gzip for clients that take it: JSON over 1 KB compressed, smaller answers as they are.

const SECURITY = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function expectStamped(res: Response, what: string, now = T0) {
  for (const [name, value] of Object.entries(SECURITY)) expect(res.headers.get(name), `${what}: ${name}`).toBe(value);
  expect(res.headers.get('x-request-id'), what).toMatch(/^[\w-]{1,64}$/);
  // the server's own clock, by which a phone with the wrong date reads the contest's calendar
  expect(res.headers.get('date'), `${what}: date`).toBe(new Date(now).toUTCString());
}

describe('answers', () => {
  it('every kind of answer carries the request id, the security headers and the server time: a read, a refusal, a like, an unknown path', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const entryId = directEntry(t, 1, roundId);
    const cookie = sessionFor(t, '13800000123');
    const answers: Array<[string, Response]> = [
      ['village', await t.req('GET', `/api/villages/${VILLAGES.yangwei}`)],
      ['refusal', await t.req('GET', '/api/me')],
      ['like', await t.req('PUT', `/api/entries/${entryId}/like`, { cookie })],
      ['refused like', await t.req('PUT', `/api/entries/${entryId}/like`)],
      ['unknown', await t.req('GET', '/api/nothing-here')],
    ];
    for (const [what, res] of answers) expectStamped(res, what);
    expect(answers.map(([, r]) => r.status)).toEqual([200, 401, 200, 401, 404]);
    // A proxy's request id is kept, so its log and ours can be joined.
    const traced = await t.req('GET', '/healthz', { headers: { 'x-request-id': 'proxy-42' } });
    expect(traced.headers.get('x-request-id')).toBe('proxy-42');
    // The Date is the app's clock (which a demo may run days ahead), to the second.
    t.clock.advance(3 * 86_400_000 + 1_750);
    const later = T0 + 3 * 86_400_000 + 1_000;
    expectStamped(await t.req('GET', `/api/villages/${VILLAGES.yangwei}`), 'village 3 days on', later);
    expectStamped(await t.req('DELETE', `/api/entries/${entryId}/like`, { cookie }), 'unlike 3 days on', later);
  });

  it('JSON over 1 KB is gzipped for a client that takes gzip, and reads back the same; a smaller answer is sent as it is', async () => {
    const t = makeApp({ history: true });
    const path = `/api/villages/${VILLAGES.yangwei}/honors`;
    const plain = await t.req('GET', path);
    const text = await plain.text();
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024);
    expect(plain.headers.get('content-encoding')).toBeNull();

    const zipped = await t.req('GET', path, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toContain('Accept-Encoding');
    expect(zipped.headers.get('content-type')).toContain('application/json');
    expectStamped(zipped, 'gzipped');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(Buffer.byteLength(text));
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(JSON.parse(text));

    const small = await t.req('GET', '/healthz', { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ ok: true });
    // Refusals keep their shape and status when compressed or not.
    const refused = await t.req('GET', '/api/me', { headers: { 'accept-encoding': 'gzip' } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});
