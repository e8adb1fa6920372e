import { createRoute, z } from '@hono/zod-openapi';
import { Id, Ok } from '../contracts/common.ts';
import { InspectionQueue, OnsitePhoto, Panel, PanelChange, PanelCreate, RecusalRequest, ScoringProgress, SheetList, SheetPut, SheetPutResult } from '../contracts/scoring.ts';
import type { Db } from '../db/client.ts';
import { campaignVillageIds, getCampaign, getRound } from '../db/campaigns.ts';
import { entryView, getEntry } from '../db/entries.ts';
import { getVillage, getVillages } from '../db/places.ts';
import {
  assertMayScore,
  changePanel,
  createPanel,
  entryScoreView,
  inspectionQueue,
  isRecused,
  markOthersSeen,
  getPanel,
  panelFor,
  panelsOf,
  putSheet,
  recuse,
  revisedSheetCounts,
  whoIsOut,
  scoringContext,
  sheetsOf,
  sheetView,
  addSheetPhoto,
  removeSheetPhoto,
  sheetPhotosOf,
  entriesBeyondQualifying,
} from '../db/scoring.ts';
import { authorizeRunner, campaignVillages, managedVillagesOf } from './scope.ts';
import { receivePhoto } from './upload.ts';
import type { CampaignRules } from '../domain/campaigns.ts';
import { conflict, forbidden, invalid, notFound } from '../domain/errors.ts';
import { householdLabel } from '../domain/households.ts';
import { can } from '../domain/permissions.ts';
import { assertScoringOpen, checkPanel, checkSheet, DEFAULT_PANEL_RULE } from '../domain/scoring.ts';
import { requireActor, router } from './context.ts';
import { authorize } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';

const IdParam = z.object({ id: Id });

/** The phone's key for an on-site photo (its outbox record's id). */
const PHOTO_KEY = /^[A-Za-z0-9_-]{8,64}$/;

const createPanelRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/panels',
  tags: ['scoring'],
  summary: 'Form an evaluation panel (考评组): members with role labels; at least one cadre and one villager representative, and as many as the quorum',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(PanelCreate) },
  responses: { 201: json(z.object({ panel: Panel }), 'Formed'), ...errors(400, 401, 403, 404) },
});
const changePanelRoute = createRoute({
  method: 'put',
  path: '/panels/{id}',
  tags: ['scoring'],
  summary: "Change a panel (its name, members and, until its first sheet, its quorum) with a reason: every member listed; one not listed is taken off (the sheets they sent still count), one listed anew joins; the same rule as forming it",
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(PanelChange) },
  responses: { 200: json(z.object({ panel: Panel, changed: z.boolean() })), ...errors(400, 401, 403, 404, 409) },
});
const listPanelsRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/panels',
  tags: ['scoring'],
  summary: "A campaign's panels (its cadres)",
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(z.object({ panels: z.array(Panel) })), ...errors(401, 403, 404) },
});
const inspectionsRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/inspections',
  tags: ['scoring'],
  summary: "A panel member's queue: qualified entries to visit, with due dates, door numbers, photos, the rubric and the member's own sheets",
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(InspectionQueue), ...errors(401, 403, 404) },
});
const putSheetRoute = createRoute({
  method: 'put',
  path: '/entries/{id}/score-sheets/mine',
  tags: ['scoring'],
  summary: 'Submit or replace my score sheet (idempotent by idempotencyKey: the same key and body answer the stored sheet; the same key with another body is 409). After reading the others\' sheets, a changed sheet needs revisionReason (else 409 revision_reason_required) and keeps the points it had before',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(SheetPut) },
  responses: { 200: json(SheetPutResult), ...errors(400, 401, 403, 404, 409) },
});
const listSheetsRoute = createRoute({
  method: 'get',
  path: '/entries/{id}/score-sheets',
  tags: ['scoring'],
  summary: "An entry's sheets and its score explained: for a member after submitting their own (or recusing), and for its cadres. A member's reading, with another member's sheet there, marks their own sheet as having seen the others",
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(SheetList), ...errors(401, 403, 404) },
});
const recuseRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/recusal',
  tags: ['scoring'],
  summary: 'Step aside from scoring an entry (a relative), with the reason',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(RecusalRequest) },
  responses: { 200: json(Ok), ...errors(400, 401, 403, 404, 409) },
});
const sheetPhotoRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/score-sheets/mine/photos',
  tags: ['scoring'],
  summary:
    "Add an on-site photo to my sheet (multipart: file). Same checks and re-encoding as entry photos; seen only by the panel and cadres. ?key= is the phone's key for the photo: sent again it is the same photo, even one taken back since",
  security: cookieAuth,
  request: { params: IdParam, query: z.object({ key: z.string().regex(PHOTO_KEY).optional() }), body: { content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } }, required: true } },
  responses: { 201: json(z.object({ photos: z.array(OnsitePhoto) }), 'Added'), ...errors(400, 401, 403, 404, 408, 409, 413, 415, 429) },
});
const removeSheetPhotoRoute = createRoute({
  method: 'delete',
  path: '/entries/{id}/score-sheets/mine/photos/{photoId}',
  tags: ['scoring'],
  summary: 'Take back an on-site photo of my sheet (a wrong courtyard, a person in it) while scoring is open; the audit keeps which it was',
  security: cookieAuth,
  request: { params: z.object({ id: Id, photoId: Id }) },
  responses: { 200: json(z.object({ photos: z.array(OnsitePhoto) })), ...errors(401, 403, 404, 409) },
});
const progressRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/scoring-progress',
  tags: ['scoring'],
  summary: "For cadres: every qualified entry's sheets in, quorum, flags and score so far",
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(ScoringProgress), ...errors(401, 403, 404) },
});

function refuseSamePhoneTwice(members: ReadonlyArray<{ phone: string }>): void {
  if (new Set(members.map((m) => m.phone)).size !== members.length) throw invalid('invalid_panel', '同一个手机号在考评组中出现了两次。', { field: 'members' });
}

function rulesOf(campaign: { rules: unknown }): CampaignRules {
  return campaign.rules as CampaignRules;
}

/**
 * Whether a panel member may read an entry's sheets: once their own is in. Reading them with another member's sheet there marks their own as having seen the
 * others (a change then needs a reason: domain reviseSheet).
 */
function memberMayRead(db: Db, entryId: string, accountId: string, now: number): boolean {
  const sheets = sheetsOf(db, entryId);
  // A member who stepped aside is a relative: the family would learn the scores before the results.
  if (!sheets.some((s) => s.sheet.accountId === accountId)) return false;
  markOthersSeen(db, entryId, accountId, sheets, now);
  return true;
}

/** An entry's score for a member who has not scored it yet: how far the panel is, none of its points. */
function withheldScore(score: ReturnType<typeof entryScoreView>): ReturnType<typeof entryScoreView> {
  return {
    ...score,
    total: null,
    explanation: '您也是这一户的考评组成员：提交自己的评分后，才能看到其他成员的分数。',
    criteria: score.criteria.map((c) => ({ ...c, mean: '—', values: [], dropped: null, spreadFlag: false, explanation: '' })),
  };
}

export function scoringRoutes() {
  const app = router();

  app.openapi(createPanelRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    const scope = campaignVillageIds(db, campaign.id);
    authorizeRunner(can.runCampaign, actor, getVillages(db, scope), '组建或修改考评组');
    const input = c.req.valid('json');
    const villageIds = input.villageIds ?? scope;
    const outside = villageIds.filter((v) => !scope.includes(v));
    if (outside.length) throw invalid('invalid_panel', `这些村不在本活动范围内：${outside.join('、')}。`, { field: 'villageIds' });
    refuseSamePhoneTwice(input.members);
    const quorum = input.quorum ?? rulesOf(campaign).quorum;
    checkPanel(input.members, { ...DEFAULT_PANEL_RULE, quorum });
    const id = createPanel(db, { campaignId: campaign.id, name: input.name, quorum, villageIds, members: input.members }, actor.accountId, clock.now());
    return c.json({ panel: panelsOf(db, campaign.id).find((p) => p.id === id)! }, 201);
  });

  app.openapi(changePanelRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const panel = getPanel(db, c.req.valid('param').id);
    const campaign = getCampaign(db, panel.campaignId);
    authorizeRunner(can.runCampaign, actor, campaignVillages(db, campaign.id), '组建或修改考评组');
    if (campaign.status === 'closed') throw conflict('campaign_not_open', '活动已结束，考评组不能再修改。', { campaignStatus: campaign.status });
    const input = c.req.valid('json');
    refuseSamePhoneTwice(input.members);
    const { changed } = changePanel(db, panel.id, input, actor.accountId, clock.now());
    return c.json({ panel: panelsOf(db, campaign.id).find((p) => p.id === panel.id)!, changed }, 200);
  });

  app.openapi(listPanelsRoute, async (c) => {
    const actor = requireActor(c);
    const { db } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    const villages = campaignVillages(db, campaign.id);
    // Whoever runs the campaign reads every panel; a cadre of one of its villages, the panels that
    // visit their village (with the members' phones, to call them), not the others'.
    const readable = new Set(villages.filter((v) => can.readPanelsOf(actor, villages, v)).map((v) => v.id));
    authorize(readable.size > 0, '只有活动所在村的村干部可以查看考评组。');
    return c.json({ panels: panelsOf(db, campaign.id).filter((p) => p.villageIds.some((id) => readable.has(id))) }, 200);
  });

  app.openapi(inspectionsRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const campaign = getCampaign(db, round.campaignId);
    const memberships = panelsOf(db, campaign.id).filter((p) => p.members.some((m) => m.accountId === actor.accountId));
    const panel = memberships[0];
    if (!panel) throw forbidden('您不是这个评比活动考评组的成员。');
    const me = panel.members.find((m) => m.accountId === actor.accountId)!;
    const villageIds = [...new Set(memberships.flatMap((p) => p.villageIds))];
    const queue = inspectionQueue(db, round.id, { id: panel.id, villageIds }, actor.accountId, rulesOf(campaign).dueDays, clock.now());
    return c.json(
      {
        round: { id: round.id, period: round.period, status: round.status },
        campaign: { id: campaign.id, title: campaign.title },
        panel: { id: panel.id, quorum: panel.quorum, role: me.role },
        rubric: campaign.rubric as Array<{ key: string; name: string; nameEn: string; max: number; guidance: string }>,
        entries: queue.map(({ doorKey: _k, ...q }) => ({ ...q, entry: entryView(db, getEntry(db, q.entryId), true, clock.now()) })),
      },
      200,
    );
  });

  app.openapi(putSheetRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const ctx = scoringContext(db, c.req.valid('param').id);
    const panel = panelFor(db, actor.accountId, ctx.campaign.id, ctx.entry.villageId);
    if (!panel) throw forbidden('您不是负责这个村的考评组成员，不能打分。');
    const input = c.req.valid('json');
    assertMayScore(actor, ctx.entry, db);
    checkSheet(input, ctx.rubric);
    const { sheet, outcome } = putSheet(
      db,
      { entryId: ctx.entry.id, accountId: actor.accountId, panelId: panel.id, sheet: input, idempotencyKey: input.idempotencyKey, revisionReason: input.revisionReason, roundStatus: ctx.round.status },
      clock.now(),
    );
    const who = sheetsOf(db, ctx.entry.id).find((s) => s.sheet.id === sheet.id)!;
    return c.json({ sheet: sheetView(sheet, who, sheetPhotosOf(db, ctx.entry.id, actor.accountId)), outcome }, 200);
  });

  app.openapi(listSheetsRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const ctx = scoringContext(db, c.req.valid('param').id);
    const village = getVillage(db, ctx.entry.villageId);
    if (!village) throw notFound('村（社区）');
    // A member of the entry's panel reads as a member, even one who is also a cadre.
    const member = !!panelFor(db, actor.accountId, ctx.campaign.id, ctx.entry.villageId);
    if (!member && !can.runCampaign(actor, [village])) throw forbidden('只有考评组成员和村干部可以查看评分表。');
    if (member && !memberMayRead(db, ctx.entry.id, actor.accountId, clock.now())) {
      throw forbidden(isRecused(db, ctx.entry.id, actor.accountId) ? '您已回避这一户，看不到这一户的评分。' : '请先提交您自己的评分表，再查看其他成员的评分。');
    }
    return c.json({ sheets: sheetsOf(db, ctx.entry.id).map((s) => sheetView(s.sheet, s, sheetPhotosOf(db, ctx.entry.id, s.sheet.accountId))), score: entryScoreView(db, ctx.entry.id, ctx.rubric, rulesOf(ctx.campaign).quorum) }, 200);
  });

  // Declared for the document; handled without the form validator (streamed to a photo worker).
  app.openAPIRegistry.registerPath(sheetPhotoRoute);
  app.post('/entries/:id/score-sheets/mine/photos', async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const id = Id.safeParse(c.req.param('id'));
    if (!id.success) throw notFound('参评作品');
    const ctx = scoringContext(db, id.data);
    if (!panelFor(db, actor.accountId, ctx.campaign.id, ctx.entry.villageId)) throw forbidden('您不是负责这个村的考评组成员，不能上传现场照片。');
    assertMayScore(actor, ctx.entry, db);
    assertScoringOpen(ctx.round.status);
    const key = c.req.query('key') ?? null;
    if (key !== null && !PHOTO_KEY.test(key)) throw invalid('invalid_input', '照片编号（key）应为 8–64 个字母、数字、- 或 _。', { problems: [{ field: 'key', problem: '照片编号格式不对' }] });
    const { photo } = await receivePhoto(c);
    addSheetPhoto(db, ctx.entry.id, actor.accountId, photo, clock.now(), key);
    return c.json({ photos: sheetPhotosOf(db, ctx.entry.id, actor.accountId) }, 201);
  });

  app.openapi(removeSheetPhotoRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const { id, photoId } = c.req.valid('param');
    const ctx = scoringContext(db, id);
    // Only the member who took it (removeSheetPhoto finds it among theirs, else 404), also one
    // taken off the panel since: a wrong photo of theirs must not stay for want of a seat.
    assertScoringOpen(ctx.round.status);
    removeSheetPhoto(db, ctx.entry.id, actor.accountId, photoId, clock.now());
    return c.json({ photos: sheetPhotosOf(db, ctx.entry.id, actor.accountId) }, 200);
  });

  app.openapi(recuseRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const ctx = scoringContext(db, c.req.valid('param').id);
    if (!panelFor(db, actor.accountId, ctx.campaign.id, ctx.entry.villageId)) throw forbidden('您不是负责这个村的考评组成员。');
    recuse(db, ctx.entry.id, actor.accountId, c.req.valid('json').reason, clock.now());
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(progressRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const campaign = getCampaign(db, round.campaignId);
    const managed = managedVillagesOf(c, actor, campaign.id);
    authorize(managed.length > 0, '只有本村村干部可以查看评分进度。');
    const rows = entriesBeyondQualifying(db, round.id, managed.map((v) => v.id));
    const rubric = campaign.rubric as Parameters<typeof entryScoreView>[2];
    const revised = revisedSheetCounts(db, rows.map((r) => r.id));
    // A cadre who also sits on the panel of a village sees its points as a member would.
    const memberOf = new Set(managed.filter((v) => panelFor(db, actor.accountId, campaign.id, v.id)).map((v) => v.id));
    const out = whoIsOut(db, campaign.id, rows);
    return c.json(
      {
        entries: rows.map((r) => ({
          entryId: r.id,
          householdLabel: householdLabel(r.headName),
          headName: r.headName,
          doorNumber: r.doorNumber,
          status: r.status,
          score:
            memberOf.has(r.villageId) && !memberMayRead(db, r.id, actor.accountId, clock.now())
              ? withheldScore(entryScoreView(db, r.id, rubric, rulesOf(campaign).quorum))
              : entryScoreView(db, r.id, rubric, rulesOf(campaign).quorum),
          revisedSheets: revised.get(r.id) ?? 0,
          ...out.get(r.id)!,
        })),
      },
      200,
    );
  });

  return app;
}
