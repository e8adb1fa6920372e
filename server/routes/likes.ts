import { createRoute, z } from '@hono/zod-openapi';
import { Id } from '../contracts/common.ts';
import { LikeResult, SuspiciousList, VoidRequest, VoidResult } from '../contracts/likes.ts';
import { getRound } from '../db/campaigns.ts';
import { suspiciousLikesIn, villagesOfLikes, voidLikes } from '../db/likes.ts';
import { managedVillagesOf } from './scope.ts';
import { getVillages } from '../db/places.ts';
import { householdLabel } from '../domain/households.ts';
import { tooMany, unauthenticated, unknownIds } from '../domain/errors.ts';
import { ipPrefix } from '../domain/likes.ts';
import { can } from '../domain/permissions.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { sha256 } from '../lib/ids.ts';
import { RateLimiter } from '../lib/rate-limit.ts';
import type { LikeOutcome } from '../db/likes.ts';
import { answerHeaders, errorAnswer, header, logAnswer, requestIdFrom } from './answer.ts';
import { clientIp, requireActor, invalidInput, router, type AppDeps, type Ctx } from './context.ts';
import { authorize, checkOrigin, signedIn } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';

const IdParam = z.object({ id: Id });

const likeRoute = createRoute({
  method: 'put',
  path: '/entries/{id}/like',
  tags: ['likes'],
  summary: 'Like an entry (idempotent): one like per verified account, not on your own household, only while the round takes likes, a daily cap',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(LikeResult), ...errors(401, 403, 404, 409, 429) },
});
const unlikeRoute = createRoute({
  method: 'delete',
  path: '/entries/{id}/like',
  tags: ['likes'],
  summary: 'Take a like back (the row is kept, marked); qualification already reached stays',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(LikeResult), ...errors(401, 404, 409, 429) },
});
const suspiciousRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/suspicious-likes',
  tags: ['likes'],
  summary: 'Likes a cadre should review, each with why it looks wrong (bursts from one network, new accounts, fast likers, night bursts, shared devices)',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(SuspiciousList), ...errors(401, 403, 404) },
});
const voidRoute = createRoute({
  method: 'post',
  path: '/likes/void',
  tags: ['likes'],
  summary: 'Void likes as fraudulent, with a reason: kept and marked, counts recomputed, qualification revisited before the on-site check',
  security: cookieAuth,
  request: jsonBody(VoidRequest),
  responses: { 200: json(VoidResult), ...errors(400, 401, 403, 404) },
});

export interface LikeLimits {
  perAccountPerMinute: number;
  /** Generous: a village often reaches the internet through one carrier address. */
  perNetworkPerMinute: number;
}
export const DEFAULT_LIKE_LIMITS: LikeLimits = { perAccountPerMinute: 60, perNetworkPerMinute: 3000 };

/** A village's phones share a handful of browsers: their hashes are remembered (bounded). */
const deviceHashes = new Map<string, string>();
function deviceHashOf(browser: string): string {
  let hash = deviceHashes.get(browser);
  if (hash === undefined) {
    if (deviceHashes.size >= 1000) deviceHashes.clear();
    deviceHashes.set(browser, (hash = sha256(browser).slice(0, 16)));
  }
  return hash;
}

/**
 * PUT and DELETE /api/entries/:id/like, served ahead of the app's middleware (see createApp):
 * a like is the one request a whole village sends at once, and most of its cost was the
 * general machinery rather than the like. It applies the same rules with the same functions:
 * answer headers and access log, origin, session, the id's contract, then the like itself.
 */
export function likeHandler(deps: AppDeps, limits: LikeLimits = DEFAULT_LIKE_LIMITS) {
  const perAccount = new RateLimiter(limits.perAccountPerMinute, 60_000);
  const perNetwork = new RateLimiter(limits.perNetworkPerMinute, 60_000);

  const like = async (c: Ctx, now: number): Promise<LikeOutcome> => {
    const read = (name: string) => header(c, name);
    checkOrigin(c.req.method, c.req.url, c.req.path, deps.publicUrl, read);
    const param = IdParam.safeParse({ id: c.req.param('id') });
    if (!param.success) throw invalidInput(param.error.issues);
    const actor = signedIn(deps.db, read('cookie'), now);
    if (!actor) throw unauthenticated();
    const prefix = ipPrefix(clientIp(c));
    const wait = perAccount.hit(actor.accountId, now) || perNetwork.hit(prefix, now);
    if (wait) throw tooMany('rate_limited', '点得太快了，请稍等一会儿再试。', wait);
    const deviceHash = deviceHashOf(`${read('user-agent') ?? ''}|${read('accept-language') ?? ''}`);
    const kind = c.req.method === 'PUT' ? 'like' : 'unlike';
    return deps.likes.submit({ kind, entryId: param.data.id, accountId: actor.accountId, likerHouseholdId: actor.householdId, ipPrefix: prefix, deviceHash, now });
  };

  return async (c: Ctx) => {
    const started = performance.now();
    c.set('deps', deps);
    const requestId = requestIdFrom(header(c, 'x-request-id'));
    const now = deps.clock.now();
    const headers = answerHeaders(c.req.path, requestId, now);
    headers['content-type'] = 'application/json';
    let status = 200;
    let body: unknown;
    try {
      body = await like(c, now);
    } catch (err) {
      const answer = errorAnswer(err, requestId, deps.log);
      ({ status, body } = answer);
      if (answer.retryAfter) headers['retry-after'] = String(answer.retryAfter);
    }
    logAnswer(deps.log, { requestId, method: c.req.method, path: c.req.path, status, started });
    return new Response(JSON.stringify(body), { status, headers });
  };
}

export function likeRoutes() {
  const app = router();
  // The like and unlike routes are served by likeHandler; here they are described.
  app.openAPIRegistry.registerPath(likeRoute);
  app.openAPIRegistry.registerPath(unlikeRoute);

  app.openapi(suspiciousRoute, async (c) => {
    const actor = requireActor(c);
    const { db } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const managed = managedVillagesOf(c, actor, round.campaignId);
    authorize(managed.length > 0, '只有本村村干部可以查看可疑点赞。');
    const list = suspiciousLikesIn(db, round.id, new Set(managed.map((v) => v.id)))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => ({
        likeId: r.id,
        entryId: r.entryId,
        householdLabel: householdLabel(r.headName),
        accountPhone: r.phone,
        at: toShanghaiIso(r.createdAt),
        ipPrefix: r.ipPrefix,
        accountCreatedAt: toShanghaiIso(r.accountCreatedAt),
        reasons: r.reasons,
      }));
    return c.json({ likes: list }, 200);
  });

  app.openapi(voidRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const { likeIds, reason } = c.req.valid('json');
    const unique = [...new Set(likeIds)];
    const found = villagesOfLikes(db, unique);
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw unknownIds('unknown_likes', '点赞', 'likeIds', missing);
    const villages = getVillages(db, [...new Set(found.map((f) => f.villageId))]);
    authorize(villages.every((v) => can.moderateEntries(actor, v)), '只能作废本村作品的点赞。');
    const entries = voidLikes(db, unique, reason, actor.accountId, clock.now());
    return c.json({ entries }, 200);
  });

  return app;
}
