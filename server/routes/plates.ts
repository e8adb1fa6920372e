import { createRoute, z } from '@hono/zod-openapi';
import { Id } from '../contracts/common.ts';
import { Dashboard, DashboardQuery, Plate, PlateIssue, PlateList, PlateListing, PlateListQuery, PlateRevoke, Reward, RewardList, RewardPaid, RewardQuery, RewardSheetQuery, RewardsPaid } from '../contracts/results.ts';
import { getCampaign, getRound } from '../db/campaigns.ts';
import { csvText, dashboardCsv, dashboardMonths, townDashboard } from '../db/dashboard.ts';
import { getVillage } from '../db/places.ts';
import { getPlate, issuePlates, platesOfResult, platesWaiting, plateView, reissuableSerials, reissuePlate, revokePlate } from '../db/plates.ts';
import { findResult, resultOfRound } from '../db/results.ts';
import { markRewardsPaid, rewardsOfVillage, villagesOfRewards } from '../db/rewards.ts';
import { villagesTodo } from '../db/todo.ts';
import { getVillages } from '../db/places.ts';
import { invalid, notFound, unknownIds } from '../domain/errors.ts';
import { can } from '../domain/permissions.ts';
import { shanghaiDayOf } from '../domain/time.ts';
import { issuerName, SERIAL_RE } from '../domain/plates.ts';
import { periodInFileName, rewardWords } from '../domain/results.ts';
import { plateSvg } from '../media/plate.ts';

/** The PDF renderer (pdfkit, fonts, sharp) is loaded on the first PDF asked for, not at start. */
const pdfRenderer = () => import('../media/plate-pdf.ts');
/** A plate's public PDF, drawn once for each state of the plate (its view is all the drawing uses). */
const platePdfs = new RenderCache();
import { requireActor, router, type Ctx } from './context.ts';
import { fileNamed } from './answer.ts';
import { authorize } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';
import { drawings, RenderCache } from '../lib/render-cache.ts';
import { authorizeRunner, campaignVillages } from './scope.ts';

const IdParam = z.object({ id: Id });
const SerialParam = z.object({ serial: z.string().regex(SERIAL_RE, '门牌编号格式不正确，应如 350582-LP-2026H1-0007。') });
const binary = (type: string, description: string) => ({ content: { [type]: { schema: z.string().meta({ format: 'binary' }) } }, description });

const issueRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/plates',
  tags: ['plates'],
  summary: 'Issue honor plates from final results: a half-year (period) or a round (roundId); every eligible household without one, or the ones listed',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(PlateIssue) },
  responses: { 201: json(PlateList, 'Issued'), ...errors(400, 401, 403, 404, 409) },
});
const listRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/plates',
  tags: ['plates'],
  summary: 'Plates issued from a half-year (period) or a round (roundId), for the cadres, and how many households still wait for one',
  security: cookieAuth,
  request: { params: IdParam, query: PlateListQuery },
  responses: { 200: json(PlateListing), ...errors(400, 401, 403, 404) },
});
const exportCsvRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/plates/export.csv',
  tags: ['plates'],
  summary: 'Batch for the plate maker: one CSV row a valid plate (serial, title, holder, village, issuer, date, verification URL), the same plates as the batch PDF',
  security: cookieAuth,
  request: { params: IdParam, query: PlateListQuery },
  responses: { 200: binary('text/csv', 'CSV (UTF-8 with BOM)'), ...errors(400, 401, 403, 404) },
});
const exportPdfRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/plates/export.pdf',
  tags: ['plates'],
  summary: 'Batch for the plate maker: one print-ready page (300 × 200 mm) a plate',
  security: cookieAuth,
  request: { params: IdParam, query: PlateListQuery },
  responses: { 200: binary('application/pdf', 'PDF'), ...errors(400, 401, 403, 404, 503) },
});
const verifyRoute = createRoute({
  method: 'get',
  path: '/plates/{serial}',
  tags: ['plates'],
  summary: 'Verify a plate (public): authentic or not, its status, the result behind it',
  request: { params: SerialParam },
  responses: { 200: json(z.object({ plate: Plate })), ...errors(400, 404) },
});
const svgRoute = createRoute({
  method: 'get',
  path: '/plates/{serial}.svg',
  tags: ['plates'],
  summary: 'The plate drawn as SVG (300 × 200 mm) with its verification QR code',
  request: { params: SerialParam },
  responses: { 200: binary('image/svg+xml', 'SVG'), ...errors(400, 404) },
});
const pdfRoute = createRoute({
  method: 'get',
  path: '/plates/{serial}.pdf',
  tags: ['plates'],
  summary: 'The plate as a print-ready PDF with the Chinese font embedded and the QR code',
  request: { params: SerialParam },
  responses: { 200: binary('application/pdf', 'PDF'), ...errors(400, 404, 503) },
});
const revokeRoute = createRoute({
  method: 'post',
  path: '/plates/{serial}/revoke',
  tags: ['plates'],
  summary: 'Revoke a plate with a reason (cadre); the verification page then says so',
  security: cookieAuth,
  request: { params: SerialParam, ...jsonBody(PlateRevoke) },
  responses: { 200: json(z.object({ plate: Plate })), ...errors(400, 401, 403, 404, 409) },
});
const reissueRoute = createRoute({
  method: 'post',
  path: '/plates/{serial}/reissue',
  tags: ['plates'],
  summary: 'Issue a new plate (a new serial) to the household of a revoked one, from the same result (cadre)',
  security: cookieAuth,
  request: { params: SerialParam },
  responses: { 201: json(z.object({ plate: Plate }), 'Issued'), ...errors(401, 403, 404, 409) },
});
const rewardsRoute = createRoute({
  method: 'get',
  path: '/rewards',
  tags: ['rewards'],
  summary: "A village's reward ledger (environmental-improvement funds in fen, or goods), pending and paid",
  security: cookieAuth,
  request: { query: RewardQuery },
  responses: { 200: json(RewardList), ...errors(400, 401, 403, 404) },
});
const paidRoute = createRoute({
  method: 'post',
  path: '/rewards/{id}/paid',
  tags: ['rewards'],
  summary: 'Record a reward as paid: the day, who paid, a note (the village confirms; once)',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(RewardPaid) },
  responses: { 200: json(z.object({ reward: Reward })), ...errors(400, 401, 403, 404, 409) },
});
const paidManyRoute = createRoute({
  method: 'post',
  path: '/rewards/paid',
  tags: ['rewards'],
  summary: 'Record several rewards as paid on one day by one person (a month’s winners together): all of them or none',
  security: cookieAuth,
  request: jsonBody(RewardsPaid),
  responses: { 200: json(z.object({ rewards: z.array(Reward) })), ...errors(400, 401, 403, 409) },
});
const receiptsRoute = createRoute({
  method: 'get',
  path: '/rewards/receipts.pdf',
  tags: ['rewards'],
  summary: 'The sign-for-receipt sheet of one batch of a village’s rewards (奖励发放签收表, A4): each household, what it receives, a box to sign',
  security: cookieAuth,
  request: { query: RewardSheetQuery },
  responses: { 200: binary('application/pdf', 'PDF (A4)'), ...errors(400, 401, 403, 404, 503) },
});
const dashboardRoute = createRoute({
  method: 'get',
  path: '/towns/{id}/dashboard',
  tags: ['dashboard'],
  summary: "A town's figures per village and month: households, entries, qualified, awarded, mean score (town admin). Without from and to: the current half-year in China, by the server's clock",
  security: cookieAuth,
  request: { params: z.object({ id: z.string().regex(/^\d{9}$/, '镇（街道）编码应为 9 位数字。') }), query: DashboardQuery },
  responses: { 200: json(Dashboard), ...errors(400, 401, 403, 404) },
});
const dashboardCsvRoute = createRoute({
  method: 'get',
  path: '/towns/{id}/dashboard.csv',
  tags: ['dashboard'],
  summary: 'The same figures as CSV, one row per village and month',
  security: cookieAuth,
  request: { params: z.object({ id: z.string().regex(/^\d{9}$/, '镇（街道）编码应为 9 位数字。') }), query: DashboardQuery },
  responses: { 200: binary('text/csv', 'CSV (UTF-8 with BOM)'), ...errors(400, 401, 403, 404) },
});

function runner(c: Ctx, campaignId: string) {
  const actor = requireActor(c);
  const db = c.get('deps').db;
  authorizeRunner(can.runResults, actor, campaignVillages(db, campaignId), '管理荣誉门牌');
  return actor;
}

/** The result set a plate request names: a half-year of the campaign or one of its rounds. */
function resultNamed(c: Ctx, campaignId: string, q: { period?: string | undefined; roundId?: string | undefined }) {
  const db = c.get('deps').db;
  if ((q.period === undefined) === (q.roundId === undefined)) throw invalid('period_or_round', '请指定半年期（period）或评比轮次（roundId）中的一个。', { field: 'period' });
  if (q.period) {
    const r = findResult(db, campaignId, 'half_year', q.period);
    if (!r) throw notFound(`${q.period} 的星级评定结果`);
    return r;
  }
  const round = getRound(db, q.roundId!);
  if (round.campaignId !== campaignId) throw notFound('评比轮次');
  const r = resultOfRound(db, round);
  if (!r) throw notFound('本轮评比结果');
  return r;
}

function facesOf(c: Ctx, serials: Array<Parameters<typeof plateView>[1]>) {
  const { db, publicUrl } = c.get('deps');
  return serials.map((p) => plateView(db, p, publicUrl));
}

function plateFile(c: Ctx, file: string): { serial: string; ext: 'json' | 'svg' | 'pdf' } {
  const m = /^(.+?)(?:\.(svg|pdf))?$/.exec(file)!;
  const parsed = SerialParam.safeParse({ serial: m[1] });
  if (!parsed.success) throw notFound('荣誉门牌（编号格式不正确）');
  return { serial: parsed.data.serial, ext: (m[2] as 'svg' | 'pdf' | undefined) ?? 'json' };
}

/** The plates a maker is to make: the valid ones. A revoked or superseded plate is not made again. */
function platesToMake(c: Ctx, resultId: string) {
  return facesOf(c, platesOfResult(c.get('deps').db, resultId)).filter((p) => p.status === 'issued');
}

export function plateRoutes() {
  const app = router();

  app.openapi(issueRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    const actor = runner(c, campaign.id);
    const body = c.req.valid('json');
    const result = resultNamed(c, campaign.id, body);
    const issued = issuePlates(db, result.id, body.householdIds, actor.accountId, clock.now());
    return c.json({ plates: facesOf(c, issued) }, 201);
  });

  app.openapi(listRoute, async (c) => {
    const { db } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    runner(c, campaign.id);
    const result = resultNamed(c, campaign.id, c.req.valid('query'));
    const rows = platesOfResult(db, result.id);
    return c.json({ plates: facesOf(c, rows), waiting: platesWaiting(db, result.id), reissuable: reissuableSerials(db, rows) }, 200);
  });

  app.openapi(exportCsvRoute, async (c) => {
    const { db } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    runner(c, campaign.id);
    const result = resultNamed(c, campaign.id, c.req.valid('query'));
    const rows = [['编号', '标题', '星级', '户主', '镇（街道）', '村（社区）', '颁发单位', '颁发日期', '验证网址']];
    for (const p of platesToMake(c, result.id)) {
      rows.push([p.serial, p.title, String(p.stars), p.holderName, p.village.townName, p.village.name, p.issuer, p.issuedOn, p.verifyUrl]);
    }
    const csv = csvText(rows);
    const named = periodInFileName({ ...result, campaignTitle: campaign.title });
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': fileNamed('attachment', `荣誉门牌-${named}.csv`, `plates-${result.period}.csv`) });
  });

  app.openapi(exportPdfRoute, async (c) => {
    const { db } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    runner(c, campaign.id);
    const result = resultNamed(c, campaign.id, c.req.valid('query'));
    const faces = platesToMake(c, result.id);
    if (!faces.length) throw notFound('有效的荣誉门牌（本期尚未发放）');
    // Not kept (a cadre's one-off batch), but drawn in its turn with every other document.
    const named = periodInFileName({ ...result, campaignTitle: campaign.title });
    const body = await drawings.run(async () => (await pdfRenderer()).platesPdf(faces, `荣誉门牌 ${named}`));
    return c.body(new Uint8Array(body), 200, { 'content-type': 'application/pdf', 'content-disposition': fileNamed('attachment', `荣誉门牌-${named}.pdf`, `plates-${result.period}.pdf`) });
  });

  // One path serves the verification JSON, the SVG and the PDF: the suffix chooses.
  app.openAPIRegistry.registerPath(verifyRoute);
  app.openAPIRegistry.registerPath(svgRoute);
  app.openAPIRegistry.registerPath(pdfRoute);
  app.get('/plates/:file', async (c) => {
    const { db, publicUrl } = c.get('deps');
    const { serial, ext } = plateFile(c, c.req.param('file'));
    const plate = plateView(db, getPlate(db, serial), publicUrl);
    if (ext === 'json') return c.json({ plate }, 200, { 'cache-control': 'no-cache' });
    if (ext === 'svg') return c.body(plateSvg(plate), 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    const body = await platePdfs.get(plate, async () => (await pdfRenderer()).platesPdf([plate], `荣誉门牌 ${serial}`));
    return c.body(new Uint8Array(body), 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${serial}.pdf"`, 'cache-control': 'no-cache' });
  });

  app.openapi(revokeRoute, async (c) => {
    const { db, clock, publicUrl } = c.get('deps');
    const plate = getPlate(db, c.req.valid('param').serial);
    const actor = runner(c, plate.campaignId);
    const revoked = revokePlate(db, plate.serial, c.req.valid('json').reason, actor.accountId, clock.now());
    return c.json({ plate: plateView(db, revoked, publicUrl) }, 200);
  });

  app.openapi(reissueRoute, async (c) => {
    const { db, clock, publicUrl } = c.get('deps');
    const plate = getPlate(db, c.req.valid('param').serial);
    const actor = runner(c, plate.campaignId);
    const issued = reissuePlate(db, plate.serial, actor.accountId, clock.now());
    return c.json({ plate: plateView(db, issued, publicUrl) }, 201);
  });

  app.openapi(rewardsRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const village = getVillage(db, c.req.valid('query').village);
    if (!village) throw notFound('村（社区）');
    authorize(can.manageRewards(actor, village), '只有本村村干部可以查看奖励台账。');
    return c.json({ ...rewardsOfVillage(db, village.id), today: shanghaiDayOf(clock.now()) }, 200);
  });

  app.openapi(receiptsRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const q = c.req.valid('query');
    const village = getVillage(db, q.village);
    if (!village) throw notFound('村（社区）');
    authorize(can.manageRewards(actor, village), '只有本村村干部可以打印奖励签收表。');
    const batch = rewardsOfVillage(db, village.id)
      .rewards.filter((r) => r.batch.id === q.batch)
      .sort((a, b) => a.household.doorNumber.localeCompare(b.household.doorNumber, 'zh', { numeric: true }));
    if (!batch.length) throw notFound('这一批奖励');
    const fen = batch.reduce((n, r) => n + (r.amountFen ?? 0), 0);
    const goods = batch.filter((r) => r.goods).length;
    const { receiptSheetPdf } = await import('../media/receipts.ts');
    const pdf = await drawings.run(() => receiptSheetPdf({
      villageName: village.name,
      issuer: issuerName(village.officialName, village.name),
      title: batch[0]!.batch.title,
      rows: batch.map((r) => ({ headName: r.household.headName, doorNumber: r.household.doorNumber, what: rewardWords(r.amountFen, r.goods), paidOn: r.paidOn })),
      total: `${rewardWords(fen, null)}${goods ? `，另有实物 ${goods} 份（见各行）` : ''}`,
      printedOn: shanghaiDayOf(clock.now()),
    }));
    return c.body(new Uint8Array(pdf), 200, { 'content-type': 'application/pdf', 'content-disposition': fileNamed('inline', `奖励发放签收表-${village.name}.pdf`, 'reward-receipts.pdf'), 'cache-control': 'no-store' });
  });

  /** The rewards named, each of a village the actor manages; unknown ids are named back. */
  const payable = (c: Ctx, ids: readonly string[], unknown: (missing: string[]) => Error) => {
    const actor = requireActor(c);
    const db = c.get('deps').db;
    const found = villagesOfRewards(db, ids);
    const missing = [...new Set(ids)].filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw unknown(missing);
    const villages = getVillages(db, [...new Set(found.map((f) => f.villageId))]);
    authorize(villages.every((v) => can.manageRewards(actor, v)), '只有本村村干部可以登记奖励发放。');
    return actor;
  };

  app.openapi(paidRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const id = c.req.valid('param').id;
    const actor = payable(c, [id], () => notFound('奖励'));
    return c.json({ reward: markRewardsPaid(db, [id], c.req.valid('json'), actor.accountId, clock.now())[0]! }, 200);
  });

  app.openapi(paidManyRoute, async (c) => {
    const { db, clock } = c.get('deps');
    const { rewardIds, ...paid } = c.req.valid('json');
    const actor = payable(c, rewardIds, (missing) => unknownIds('unknown_rewards', '奖励', 'rewardIds', missing));
    return c.json({ rewards: markRewardsPaid(db, rewardIds, paid, actor.accountId, clock.now()) }, 200);
  });

  app.openapi(dashboardRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const townId = c.req.valid('param').id;
    authorize(can.readTownDashboard(actor, townId), '只有本镇管理员可以查看全镇统计。');
    const q = c.req.valid('query');
    const d = townDashboard(db, townId, dashboardMonths(q.from, q.to, clock.now()));
    // What waits in each village today, whatever the months asked for: who is behind.
    const todo = villagesTodo(db, d.villages.map((v) => v.id), clock.now(), (villages) => can.runResults(actor, villages));
    return c.json({ ...d, villages: d.villages.map((v) => ({ ...v, todo: todo.get(v.id)! })) }, 200);
  });

  app.openapi(dashboardCsvRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const townId = c.req.valid('param').id;
    authorize(can.readTownDashboard(actor, townId), '只有本镇管理员可以导出全镇统计。');
    const q = c.req.valid('query');
    const csv = dashboardCsv(townDashboard(db, townId, dashboardMonths(q.from, q.to, clock.now())));
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': fileNamed('attachment', `全镇看板-${townId}.csv`, `dashboard-${townId}.csv`) });
  });

  return app;
}
