import { createRoute, z } from '@hono/zod-openapi';
import { Id } from '../contracts/common.ts';
import { AnnounceRequest, HalfYear, MyResults, Objection, ObjectionCreate, ObjectionDecision, ObjectionList, ResultBrief, ResultResponse, VillageHonors } from '../contracts/results.ts';
import { getCampaign, getRound } from '../db/campaigns.ts';
import { getVillages } from '../db/places.ts';
import { householdResults, NO_NAMES, objectionView, resultBrief, resultView, villageHonors, type NamesShown } from '../db/result-view.ts';
import {
  addObjectionPhoto,
  assertMayAddObjectionPhoto,
  announceHalfYear,
  announceRound,
  computeHalfYearResult,
  computeRoundResult,
  decideObjection,
  fileObjection,
  finalizeResult,
  findResult,
  getObjection,
  getResult,
  objectionsByAccount,
  objectionsOf,
  resultOfRound,
  resultsOfCampaign,
  type ResultRow,
} from '../db/results.ts';
import { runByTown } from '../domain/campaigns.ts';
import { forbidden, notFound, tooMany } from '../domain/errors.ts';
import { isPublished, isSingleRound, periodInFileName } from '../domain/results.ts';
import { RateLimiter } from '../lib/rate-limit.ts';
import { RenderCache } from '../lib/render-cache.ts';
import { can } from '../domain/permissions.ts';
import { issuerName } from '../domain/plates.ts';
import { shanghaiDayOf } from '../domain/time.ts';
import { requireActor, router, type Ctx } from './context.ts';
import { fileNamed } from './answer.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';
import { receivePhoto } from './upload.ts';
import { authorizeRunner, campaignVillages, readsObjection } from './scope.ts';

const IdParam = z.object({ id: Id });
const StarsParam = z.object({ id: Id, period: HalfYear });
const pdf = { content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } }, description: 'PDF (A4)' };

// ── Round results ───────────────────────────────────────────────────────────

const computeRoundRoute = createRoute({
  method: 'post',
  path: '/rounds/{id}/results',
  tags: ['results'],
  summary: 'Compute the ranking and winners as a draft, every figure explained (cadre; again at will until announced)',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(ResultResponse), ...errors(401, 403, 404, 409) },
});
const readRoundRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/results',
  tags: ['results'],
  summary: "A round's results: public once announced; the campaign's cadres also see the draft",
  request: { params: IdParam },
  responses: { 200: json(ResultResponse), ...errors(404) },
});
const announceRoundRoute = createRoute({
  method: 'post',
  path: '/rounds/{id}/announce',
  tags: ['results'],
  summary: 'Publish (公示): the results are computed afresh and the objection period opens (default 5 days)',
  security: cookieAuth,
  request: { params: IdParam, body: { content: { 'application/json': { schema: AnnounceRequest } }, required: false } },
  responses: { 200: json(ResultResponse), ...errors(400, 401, 403, 404, 409) },
});
const finalizeRoundRoute = createRoute({
  method: 'post',
  path: '/rounds/{id}/finalize',
  tags: ['results'],
  summary: 'Lock the results (定稿): refused while an objection is open or the period runs; rewards enter the ledger',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(ResultResponse), ...errors(401, 403, 404, 409) },
});
const roundNoticeRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/results/notice.pdf',
  tags: ['results'],
  summary: 'The printable A4 notice for the village notice board: winners, objection deadline, how to object',
  request: { params: IdParam },
  responses: { 200: pdf, ...errors(404, 503) },
});
const objectRoundRoute = createRoute({
  method: 'post',
  path: '/rounds/{id}/objections',
  tags: ['results'],
  summary: 'File an objection (异议) to one household\'s announced result, during the objection period (any signed-in account)',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(ObjectionCreate) },
  responses: { 201: json(z.object({ objection: Objection }), 'Filed'), ...errors(400, 401, 404, 409) },
});
const listRoundObjectionsRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/objections',
  tags: ['results'],
  summary: "Objections to a round's results: all for whoever runs the campaign; those about their village's households for a cadre of one of its villages (to read, not settle); one's own for anyone else",
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(ObjectionList), ...errors(401, 404) },
});

// ── Half-year stars ─────────────────────────────────────────────────────────

const computeStarsRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/stars/{period}',
  tags: ['results'],
  summary: 'Compute the half-year star courtyards (2026H1, 2026H2) from the final monthly results, as a draft (cadre)',
  security: cookieAuth,
  request: { params: StarsParam },
  responses: { 200: json(ResultResponse), ...errors(400, 401, 403, 404, 409) },
});
const readStarsRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/stars/{period}',
  tags: ['results'],
  summary: 'Half-year star courtyards: public once announced; the cadres also see the draft',
  request: { params: StarsParam },
  responses: { 200: json(ResultResponse), ...errors(400, 404) },
});
const announceStarsRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/stars/{period}/announce',
  tags: ['results'],
  summary: 'Publish the half-year stars (公示) and open the objection period',
  security: cookieAuth,
  request: { params: StarsParam, body: { content: { 'application/json': { schema: AnnounceRequest } }, required: false } },
  responses: { 200: json(ResultResponse), ...errors(400, 401, 403, 404, 409) },
});
const finalizeStarsRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/stars/{period}/finalize',
  tags: ['results'],
  summary: 'Lock the half-year stars: refused while an objection is open or the period runs',
  security: cookieAuth,
  request: { params: StarsParam },
  responses: { 200: json(ResultResponse), ...errors(400, 401, 403, 404, 409) },
});
const starsNoticeRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/stars/{period}/notice.pdf',
  tags: ['results'],
  summary: 'The printable A4 notice of the half-year star courtyards',
  request: { params: StarsParam },
  responses: { 200: pdf, ...errors(400, 404, 503) },
});
const objectStarsRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/stars/{period}/objections',
  tags: ['results'],
  summary: 'File an objection to one household\'s half-year star result, during the objection period',
  security: cookieAuth,
  request: { params: StarsParam, ...jsonBody(ObjectionCreate) },
  responses: { 201: json(z.object({ objection: Objection }), 'Filed'), ...errors(400, 401, 404, 409) },
});
const listStarsObjectionsRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/stars/{period}/objections',
  tags: ['results'],
  summary: "Objections to half-year stars: all for whoever runs the campaign; those about their village's households for a cadre of one of its villages (to read, not settle); one's own for anyone else",
  security: cookieAuth,
  request: { params: StarsParam },
  responses: { 200: json(ObjectionList), ...errors(400, 401, 404) },
});

// ── Objections, lists ───────────────────────────────────────────────────────

const objectionPhotoRoute = createRoute({
  method: 'post',
  path: '/objections/{id}/photos',
  tags: ['results'],
  summary: 'Add a photo to one\'s own open objection (multipart: file); seen by the objector and the cadres',
  security: cookieAuth,
  request: { params: IdParam, body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } }, required: true } },
  responses: { 201: json(z.object({ objection: Objection }), 'Added'), ...errors(400, 401, 403, 404, 408, 409, 413, 415, 429) },
});
const decideRoute = createRoute({
  method: 'post',
  path: '/objections/{id}/decision',
  tags: ['results'],
  summary: 'Settle an objection with a reason: upheld takes that household out of the results (recomputed, shown publicly); dismissed keeps them',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(ObjectionDecision) },
  responses: { 200: json(z.object({ objection: Objection, result: ResultResponse.shape.result })), ...errors(400, 401, 403, 404, 409) },
});
const campaignResultsRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/results',
  tags: ['results'],
  summary: "A campaign's result sets (rounds and half-years): announced and final ones for everyone, drafts too for its cadres",
  request: { params: IdParam },
  responses: { 200: json(z.object({ results: z.array(ResultBrief) })), ...errors(404) },
});
const myResultsRoute = createRoute({
  method: 'get',
  path: '/me/results',
  tags: ['results'],
  summary: "My household's announced and final results, with plates, and the objections I filed",
  security: cookieAuth,
  responses: { 200: json(MyResults), ...errors(401) },
});
const honorsRoute = createRoute({
  method: 'get',
  path: '/villages/{id}/honors',
  tags: ['results'],
  summary: "A village's winners wall (latest announced and final results), its current star courtyards, and the published results of its campaigns",
  request: { params: z.object({ id: z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。') }) },
  responses: { 200: json(VillageHonors), ...errors(404) },
});

/** Whether the signed-in person runs this campaign's results (manages every one of its villages). */
function runsCampaign(c: Ctx, campaignId: string): boolean {
  const actor = c.get('actor');
  if (!actor) return false;
  const db = c.get('deps').db;
  return can.runResults(actor, campaignVillages(db, campaignId));
}

function requireRunner(c: Ctx, campaignId: string): ReturnType<typeof requireActor> {
  const actor = requireActor(c);
  authorizeRunner(can.runResults, actor, campaignVillages(c.get('deps').db, campaignId), '处理评比结果');
  return actor;
}

/**
 * Whose heads' full names the signed-in person reads in a campaign's results and objections
 * (can.readHouseholdNames), by the household's village; nobody's for a visitor.
 */
function namesShown(c: Ctx, campaignId: string, villages = campaignVillages(c.get('deps').db, campaignId)): NamesShown {
  const actor = c.get('actor');
  if (!actor) return NO_NAMES;
  const shown = new Map(villages.map((v) => [v.id, can.readHouseholdNames(actor, villages, v)]));
  return (villageId) => shown.get(villageId) ?? false;
}

/** A result set as its reader may see it: drafts only for the campaign's cadres. */
function readable(c: Ctx, r: ReturnType<typeof getResult> | undefined, campaignId: string) {
  const privileged = runsCampaign(c, campaignId);
  if (!r) throw notFound(privileged ? '评比结果（尚未计算）' : '评比结果（尚未公示）');
  if (!isPublished(r.status) && !privileged) throw notFound('评比结果（尚未公示）');
  return { result: resultView(c.get('deps').db, r, namesShown(c, campaignId), c.get('deps').clock.now()) };
}

/**
 * How the signed-in person reads the objections to one campaign's results: which they may read
 * (can.readObjectionsAbout, and anyone their own) and whether each shows who filed it
 * (can.seeObjector).
 */
function objectionReader(c: Ctx, campaignId: string) {
  const actor = requireActor(c);
  const { db } = c.get('deps');
  const villages = campaignVillages(db, campaignId);
  // The household objected to is of the campaign's villages; the objector may be of any.
  const village = (id: string | null) => (id === null ? null : (villages.find((v) => v.id === id) ?? getVillages(db, [id])[0] ?? null));
  const about = (villageId: string) => villages.find((v) => v.id === villageId);
  const names = namesShown(c, campaignId, villages);
  return {
    reads: (o: { accountId: string }, villageId: string) => readsObjection(actor, villages, o, villageId),
    view: (o: Parameters<typeof objectionView>[1]) =>
      objectionView(db, o, {
        accountId: actor.accountId,
        names,
        seesObjector: (villageId, objectorVillageId) => {
          const v = about(villageId);
          return !!v && can.seeObjector(actor, villages, v, village(objectorVillageId));
        },
      }),
  };
}

function objectionsFor(c: Ctx, resultId: string | undefined, campaignId: string) {
  const reader = objectionReader(c, campaignId);
  if (!resultId) return { objections: [] };
  const list = objectionsOf(c.get('deps').db, resultId).filter((o) => reader.reads(o.objection, o.villageId));
  return { objections: list.map((o) => reader.view(o.objection)) };
}

/** Notices are public and drawn from their content alone: each version is drawn once. */
const notices = new RenderCache();

async function noticeFor(c: Ctx, r: ReturnType<typeof getResult> | undefined, resultsPath: string) {
  const { db, publicUrl } = c.get('deps');
  if (!r || !isPublished(r.status)) throw notFound('公示（结果尚未公示）');
  const view = resultView(db, r, NO_NAMES, c.get('deps').clock.now());
  const campaign = getCampaign(db, r.campaignId);
  const villages = campaignVillages(db, campaign.id);
  const input = {
    campaignTitle: campaign.title,
    // A single evaluation is announced by its name: 关于《岭畔村2026年最美卫生庭院评比》结果的公示.
    periodLabel: isSingleRound(r) ? `《${view.periodLabel}》` : view.periodLabel,
    subject: r.kind === 'half_year' ? '星级庭院评定结果' : isSingleRound(r) ? '结果' : '美丽庭院评选结果',
    announcedOn: shanghaiDayOf(r.announcedAt!),
    deadlineOn: shanghaiDayOf(r.objectionDeadline!),
    final: r.status === 'final',
    resultsUrl: `${publicUrl}${resultsPath}`,
    basis:
      r.kind === 'half_year'
        ? '按星级排列，星级依据这半年各月的获评月数和月均分评定'
        : '按名次排列，分数为考评组各项平均分之和，五人及以上打分时各项去掉一个最高分和一个最低分',
    totalHeading: r.kind === 'half_year' ? null : '总分',
    // A town's campaign is answered by the town; a written objection may still be left at the village committee.
    answeredBy: runByTown(villages) ? villages[0]!.townName : null,
    villages: villages.map((v) => ({
      name: v.name,
      issuer: issuerName(v.officialName, v.name),
      criteria: r.kind === 'half_year' ? ['获评月数', '月均分'] : (campaign.rubric as Array<{ name: string }>).map((k) => k.name),
      winners: view.lines
        .filter((l) => l.village.id === v.id && (l.awarded || l.stars > 0))
        .map((l) => ({
          rank: l.rank,
          label: l.entryNumber ? `${l.householdLabel}（编号 ${l.entryNumber}）` : l.householdLabel,
          total: l.total,
          means: r.kind === 'half_year' ? [`${String(l.detail.monthsAwarded ?? 0)}/${String(l.detail.monthsInPeriod ?? 0)}`, String(l.detail.mean ?? '—')] : l.criteria.map((k) => k.mean),
          outcome: l.stars > 0 ? `${'★'.repeat(l.stars)} ${l.stars}星级` : '获评',
        })),
    })),
  };
  const body = await notices.get(input, async () => (await import('../media/notice.ts')).noticePdf(input));
  return c.body(new Uint8Array(body), 200, {
    'content-type': 'application/pdf',
    'content-disposition': fileNamed('inline', `公示-${periodInFileName({ ...r, campaignTitle: campaign.title })}.pdf`, `notice-${r.period}.pdf`),
    'cache-control': 'no-cache',
  });
}

/** The announce body is optional: without one, the campaign's objection period applies. */
function objectionDays(c: Ctx): number | undefined {
  return (c.req.valid as (t: 'json') => { objectionDays?: number } | undefined)('json')?.objectionDays;
}

export function resultRoutes() {
  const app = router();

  // A person objects now and then; many objections from one account are a way to hold results up.
  const objectionsPerAccount = new RateLimiter(10, 60 * 60 * 1000);
  /** Any signed-in person files an objection to published results (one open objection per household at a time). */
  const object = (c: Ctx, r: ResultRow | undefined, body: { householdId: string; text: string }) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    if (!r || !isPublished(r.status)) throw notFound('评比结果（尚未公示）');
    const wait = objectionsPerAccount.hit(actor.accountId, clock.now());
    if (wait) throw tooMany('rate_limited', '提出异议太频繁了，请过一会儿再试。', wait);
    const o = fileObjection(db, r.id, body, actor.accountId, clock.now());
    return objectionView(db, o, { accountId: actor.accountId });
  };

  app.openapi(computeRoundRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const actor = requireRunner(c, round.campaignId);
    const r = computeRoundResult(db, round.id, actor.accountId, clock.now());
    return c.json({ result: resultView(db, r, namesShown(c, r.campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(readRoundRoute, async (c) => {
    const { db } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    return c.json(readable(c, resultOfRound(db, round), round.campaignId), 200);
  });

  app.openapi(announceRoundRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const actor = requireRunner(c, round.campaignId);
    const r = announceRound(db, round.id, objectionDays(c), actor.accountId, clock.now());
    return c.json({ result: resultView(db, r, namesShown(c, r.campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(finalizeRoundRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const actor = requireRunner(c, round.campaignId);
    const existing = resultOfRound(db, round);
    if (!existing) throw notFound('评比结果（尚未公示）');
    const r = finalizeResult(db, existing.id, actor.accountId, clock.now());
    return c.json({ result: resultView(db, r, namesShown(c, r.campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(roundNoticeRoute, async (c) => {
    const { db } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    return noticeFor(c, resultOfRound(db, round), `/results/${round.id}`);
  });

  app.openapi(objectRoundRoute, async (c) => {
    const { db } = c.get('deps');
    return c.json({ objection: object(c, resultOfRound(db, getRound(db, c.req.valid('param').id)), c.req.valid('json')) }, 201);
  });

  app.openapi(listRoundObjectionsRoute, async (c) => {
    const { db } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    return c.json(objectionsFor(c, resultOfRound(db, round)?.id, round.campaignId), 200);
  });

  app.openapi(computeStarsRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { id, period } = c.req.valid('param');
    const campaign = getCampaign(db, id);
    const actor = requireRunner(c, campaign.id);
    const r = computeHalfYearResult(db, campaign.id, period, actor.accountId, clock.now());
    return c.json({ result: resultView(db, r, namesShown(c, r.campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(readStarsRoute, async (c) => {
    const { db } = c.get('deps');
    const { id, period } = c.req.valid('param');
    const campaign = getCampaign(db, id);
    return c.json(readable(c, findResult(db, campaign.id, 'half_year', period), campaign.id), 200);
  });

  app.openapi(announceStarsRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { id, period } = c.req.valid('param');
    const campaign = getCampaign(db, id);
    const actor = requireRunner(c, campaign.id);
    const r = announceHalfYear(db, campaign.id, period, objectionDays(c), actor.accountId, clock.now());
    return c.json({ result: resultView(db, r, namesShown(c, r.campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(finalizeStarsRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { id, period } = c.req.valid('param');
    const campaign = getCampaign(db, id);
    const actor = requireRunner(c, campaign.id);
    const existing = findResult(db, campaign.id, 'half_year', period);
    if (!existing) throw notFound('评比结果（尚未公示）');
    const r = finalizeResult(db, existing.id, actor.accountId, clock.now());
    return c.json({ result: resultView(db, r, namesShown(c, r.campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(starsNoticeRoute, async (c) => {
    const { db } = c.get('deps');
    const { id, period } = c.req.valid('param');
    const campaign = getCampaign(db, id);
    return noticeFor(c, findResult(db, campaign.id, 'half_year', period), `/stars/${campaign.id}/${period}`);
  });

  app.openapi(objectStarsRoute, async (c) => {
    const { id, period } = c.req.valid('param');
    const { db } = c.get('deps');
    return c.json({ objection: object(c, findResult(db, getCampaign(db, id).id, 'half_year', period), c.req.valid('json')) }, 201);
  });

  app.openapi(listStarsObjectionsRoute, async (c) => {
    const { db } = c.get('deps');
    const { id, period } = c.req.valid('param');
    const campaign = getCampaign(db, id);
    return c.json(objectionsFor(c, findResult(db, campaign.id, 'half_year', period)?.id, campaign.id), 200);
  });

  // Declared for the document; handled without the form validator (streamed to a photo worker).
  app.openAPIRegistry.registerPath(objectionPhotoRoute);
  app.post('/objections/:id/photos', async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const id = Id.safeParse(c.req.param('id'));
    if (!id.success) throw notFound('异议');
    const o = getObjection(db, id.data);
    if (o.accountId !== actor.accountId) throw forbidden('只能给自己提出的异议添加照片。');
    if (o.status !== 'open') throw notFound('待处理的异议');
    // A full objection is refused before the photo is received and processed, not after.
    assertMayAddObjectionPhoto(db, o);
    const { photo } = await receivePhoto(c);
    addObjectionPhoto(db, o.id, photo, actor.accountId, clock.now());
    return c.json({ objection: objectionView(db, getObjection(db, o.id), { accountId: actor.accountId }) }, 201);
  });

  app.openapi(decideRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const o = getObjection(db, c.req.valid('param').id);
    const campaignId = getResult(db, o.resultId).campaignId;
    const actor = requireRunner(c, campaignId);
    const out = decideObjection(db, o.id, c.req.valid('json'), actor.accountId, clock.now());
    return c.json({ objection: objectionReader(c, campaignId).view(out.objection), result: resultView(db, out.result, namesShown(c, campaignId), c.get('deps').clock.now()) }, 200);
  });

  app.openapi(campaignResultsRoute, async (c) => {
    const { db } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    const privileged = runsCampaign(c, campaign.id);
    const list = resultsOfCampaign(db, campaign.id)
      .filter((r) => privileged || isPublished(r.status))
      .map((r) => resultBrief(r, campaign.title));
    return c.json({ results: list }, 200);
  });

  app.openapi(myResultsRoute, async (c) => {
    const actor = requireActor(c);
    const { db } = c.get('deps');
    const mine = actor.householdId ? householdResults(db, actor.householdId, c.get('deps').clock.now()) : [];
    const objections = objectionsByAccount(db, actor.accountId).map((o) => objectionView(db, o, { accountId: actor.accountId }));
    return c.json({ results: mine, objections }, 200);
  });

  app.openapi(honorsRoute, async (c) => {
    const { db } = c.get('deps');
    const villageId = c.req.valid('param').id;
    if (!getVillages(db, [villageId]).length) throw notFound('村（社区）');
    return c.json(villageHonors(db, villageId), 200);
  });

  return app;
}
