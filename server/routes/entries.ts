import { createRoute, z } from '@hono/zod-openapi';
import { Id, Ok } from '../contracts/common.ts';
import { EntryBody, EntryCreate, EntryList, EntryListQuery, EntryUpdate, FlagsClear, Moderation, PhotoFlags, PhotoKind, ReviewEntry, WithdrawRequest } from '../contracts/entries.ts';
import { campaignVillageIds, getCampaign, getRound } from '../db/campaigns.ts';
import { hasActiveLike } from '../db/likes.ts';
import { managedVillagesOf } from './scope.ts';
import {
  addPhoto,
  createEntry,
  entryContext,
  entryView,
  clearPhotoFlags,
  entriesForReview,
  getEntry,
  livePhotos,
  moderate,
  photoFlags,
  publicEntries,
  removePhoto,
  submitEntry,
  updateEntry,
  withdrawEntry,
  tellFamilyOfChange,
} from '../db/entries.ts';
import { getHousehold } from '../db/households.ts';
import { getVillage } from '../db/places.ts';
import { isEditable, isPublic, MAX_PHOTOS } from '../domain/entries.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { actsByProxy, can } from '../domain/permissions.ts';
import { ROUND_STATE_LABELS, takesEntries } from '../domain/rounds.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { receivePhoto } from './upload.ts';
import { requireActor, router, type Ctx, invalidInput } from './context.ts';
import { authorize } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';

const IdParam = z.object({ id: Id });

const createEntryRoute = createRoute({
  method: 'post',
  path: '/rounds/{id}/entries',
  tags: ['entries'],
  summary: "Enter a household's courtyard in a round (its own, or on its behalf by a cadre or grid worker)",
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(EntryCreate) },
  responses: { 201: json(EntryBody, 'Entered'), ...errors(400, 401, 403, 404, 409) },
});
const listEntriesRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/entries',
  tags: ['entries'],
  summary: "A round's public gallery: submitted entries with cover thumbnail and like progress",
  request: { params: IdParam, query: EntryListQuery },
  responses: { 200: json(EntryList), ...errors(400, 404) },
});
const getEntryRoute = createRoute({
  method: 'get',
  path: '/entries/{id}',
  tags: ['entries'],
  summary: 'An entry with likeCount, threshold, qualifiedAt, status and photo URLs',
  request: { params: IdParam },
  responses: { 200: json(EntryBody), ...errors(404) },
});
const updateEntryRoute = createRoute({
  method: 'patch',
  path: '/entries/{id}',
  tags: ['entries'],
  summary: 'Change the description, the order of photos or their kinds',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(EntryUpdate) },
  responses: { 200: json(EntryBody), ...errors(400, 401, 403, 404, 409) },
});
const uploadRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/photos',
  tags: ['entries'],
  summary: 'Add a photo (multipart: file, kind). JPEG, PNG or WebP by content, ≤ 15 MB, ≤ 50 megapixels, ≤ 9 per entry; re-encoded, metadata removed',
  security: cookieAuth,
  request: {
    params: IdParam,
    body: {
      content: {
        'multipart/form-data': {
          schema: z.object({
            file: z.custom<File>((v) => v instanceof File, '请选择一张照片再上传（表单字段 file）。').meta({ type: 'string', format: 'binary' }),
            kind: PhotoKind.default('overview'),
          }),
        },
      },
      required: true,
    },
  },
  responses: { 201: json(EntryBody, 'Added'), ...errors(400, 401, 403, 404, 408, 409, 413, 415, 429) },
});
const removePhotoRoute = createRoute({
  method: 'delete',
  path: '/entries/{id}/photos/{photoId}',
  tags: ['entries'],
  summary: 'Remove a photo from an entry',
  security: cookieAuth,
  request: { params: z.object({ id: Id, photoId: Id }) },
  responses: { 200: json(EntryBody), ...errors(401, 403, 404, 409) },
});
const submitRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/submit',
  tags: ['entries'],
  summary: 'Submit an entry (needs a photo); with a like threshold of 0 it qualifies at once',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(EntryBody), ...errors(400, 401, 403, 404, 409) },
});
const withdrawRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/withdraw',
  tags: ['entries'],
  summary: 'Withdraw an entry',
  security: cookieAuth,
  request: { params: IdParam, body: { content: { 'application/json': { schema: WithdrawRequest } }, required: false } },
  responses: { 200: json(EntryBody), ...errors(401, 403, 404, 409) },
});
const moderationRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/moderation',
  tags: ['moderation'],
  summary: 'Hide or restore an entry, or one photo of it (photoId), with a reason the household is told',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(Moderation) },
  responses: { 200: json(EntryBody), ...errors(400, 401, 403, 404, 409) },
});
const clearFlagsRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/photos/{photoId}/flags-cleared',
  tags: ['moderation'],
  summary: "For cadres: a flagged photo was looked at and is fine (with the reason); it leaves the photo checks' waiting list",
  security: cookieAuth,
  request: { params: z.object({ id: Id, photoId: Id }), ...jsonBody(FlagsClear) },
  responses: { 200: json(Ok), ...errors(400, 401, 403, 404, 409) },
});

const flagsRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/photo-flags',
  tags: ['moderation'],
  summary: 'Reused photos (the same or a near-identical picture used by another household, or in an earlier round) and photos taken outside the round',
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(PhotoFlags), ...errors(401, 403, 404) },
});

const reviewRoute = createRoute({
  method: 'get',
  path: '/rounds/{id}/review',
  tags: ['moderation'],
  summary: "For cadres: every entry of the round in the villages they manage, hidden ones and hidden photos included, with reasons",
  security: cookieAuth,
  request: { params: IdParam },
  responses: { 200: json(z.object({ entries: z.array(ReviewEntry) })), ...errors(401, 403, 404) },
});

function villageOf(c: Ctx, villageId: string) {
  const v = getVillage(c.get('deps').db, villageId);
  if (!v) throw notFound('村（社区）');
  return v;
}

/** Whoever may act for the entry's household; and the round must still take changes. */
function editableEntry(c: Ctx, id: string) {
  const actor = requireActor(c);
  const { db, clock } = c.get('deps');
  const entry = getEntry(db, id);
  authorize(can.actForHousehold(actor, entry.householdId, villageOf(c, entry.villageId)), '只有这一户的家庭成员、本村村干部或网格员可以修改这个作品。');
  const ctx = entryContext(db, entry);
  if (!takesEntries(ctx.campaign.status === 'open', ctx.round, clock.now())) {
    throw conflict('round_closed', `本轮（${ctx.round.period}）已不再接受报名和修改。`, { roundStatus: ctx.round.status });
  }
  if (!isEditable(entry.status)) throw conflict('entry_locked', '这个作品现在不能修改。', { status: entry.status });
  return { actor, entry, ctx };
}

function canSeePrivately(c: Ctx, entry: { householdId: string; villageId: string }): boolean {
  const actor = c.get('actor');
  return !!actor && can.actForHousehold(actor, entry.householdId, villageOf(c, entry.villageId));
}

function view(c: Ctx, id: string) {
  const { db, clock } = c.get('deps');
  const entry = getEntry(db, id);
  const privileged = canSeePrivately(c, entry);
  if (!privileged && !isPublic(entry)) throw notFound('参评作品');
  const actor = c.get('actor');
  // Whether the person asking has liked it, so every phone they sign in on shows the same.
  const likedByMe = actor ? hasActiveLike(db, entry.id, actor.accountId) : null;
  // Whether it is the asker's own household's: its page offers no like (one cannot like one's own).
  const ownHousehold = actor ? actor.householdId === entry.householdId : null;
  // Whether the asker may withdraw it (the withdraw route's own rule), so that the page offers only what will work.
  const mayWithdraw = actor ? can.withdrawEntry(actor, entry, villageOf(c, entry.villageId)) : null;
  return { entry: { ...entryView(db, entry, privileged, clock.now()), likedByMe, ownHousehold, mayWithdraw } };
}

export function entryRoutes() {
  const app = router();

  app.openapi(createEntryRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const campaign = getCampaign(db, round.campaignId);
    const input = c.req.valid('json');
    const householdId = input.householdId ?? actor.householdId;
    if (!householdId) throw invalid('no_household', '您还没有登记家庭，请先在“我的家庭”中登记，村干部确认后即可报名。', { field: 'householdId' });
    const household = getHousehold(db, householdId);
    const village = villageOf(c, household.villageId);
    authorize(can.actForHousehold(actor, household.id, village), '只能为自己的家庭报名；代录需要本村村干部或网格员。');
    if (household.status !== 'confirmed') {
      throw conflict('household_not_confirmed', household.status === 'pending' ? '您的家庭登记还在等待村干部确认，确认后才能报名。' : '这一户的登记已被驳回，不能报名。', {
        householdStatus: household.status,
      });
    }
    if (!campaignVillageIds(db, campaign.id).includes(village.id)) throw conflict('village_not_in_campaign', `「${campaign.title}」不包括${village.name}。`);
    if (!takesEntries(campaign.status === 'open', round, clock.now())) {
      const when = clock.now() < round.startsAt ? `本轮从 ${toShanghaiIso(round.startsAt).slice(0, 10)} 开始报名。` : `本轮${ROUND_STATE_LABELS[round.status]}，报名已截止。`;
      throw conflict('round_closed', campaign.status !== 'open' ? '这个评比活动现在不接受报名。' : when, { roundStatus: round.status });
    }
    const entry = createEntry(
      db,
      { roundId: round.id, householdId: household.id, villageId: village.id, description: input.description, actorId: actor.accountId, byProxy: actsByProxy(actor, household.id) },
      clock.now(),
    );
    return c.json({ entry: entryView(db, entry, true, clock.now()) }, 201);
  });

  app.openapi(listEntriesRoute, async (c) => {
    const { db } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const campaign = getCampaign(db, round.campaignId);
    if (campaign.status === 'draft') throw notFound('评比轮次');
    const { limit, offset } = c.req.valid('query');
    const page = publicEntries(db, round.id, limit, offset);
    return c.json({ ...page, threshold: campaign.likeThreshold, round: { id: round.id, period: round.period, status: round.status, endsAt: toShanghaiIso(round.endsAt) } }, 200);
  });

  app.openapi(getEntryRoute, async (c) => c.json(view(c, c.req.valid('param').id), 200));

  app.openapi(updateEntryRoute, async (c) => {
    const { actor, entry } = editableEntry(c, c.req.valid('param').id);
    const { db, clock } = c.get('deps');
    updateEntry(db, entry.id, c.req.valid('json'), actor.accountId, clock.now());
    tellFamilyOfChange(db, actor, entry, clock.now());
    return c.json(view(c, entry.id), 200);
  });

  // The upload is declared for the OpenAPI document but handled without the form validator:
  // the body is streamed to disk and parsed by a photo worker, never buffered on this thread.
  app.openAPIRegistry.registerPath(uploadRoute);
  app.post('/entries/:id/photos', async (c) => {
    const id = Id.safeParse(c.req.param('id'));
    if (!id.success) throw notFound('参评作品');
    const { actor, entry } = editableEntry(c, id.data);
    const { db, clock } = c.get('deps');
    if (livePhotos(db, entry.id).length >= MAX_PHOTOS) throw conflict('too_many_photos', `每个作品最多 ${MAX_PHOTOS} 张照片。请先删除一张再上传。`, { max: MAX_PHOTOS });
    const { photo, kind } = await receivePhoto(c);
    addPhoto(db, entry.id, kind, photo, actor.accountId, clock.now());
    tellFamilyOfChange(db, actor, entry, clock.now());
    return c.json(view(c, entry.id), 201);
  });

  app.openapi(removePhotoRoute, async (c) => {
    const { id, photoId } = c.req.valid('param');
    const { actor, entry } = editableEntry(c, id);
    const { db, clock } = c.get('deps');
    removePhoto(db, entry.id, photoId, actor.accountId, clock.now());
    tellFamilyOfChange(db, actor, entry, clock.now());
    return c.json(view(c, entry.id), 200);
  });

  app.openapi(submitRoute, async (c) => {
    const { actor, entry, ctx } = editableEntry(c, c.req.valid('param').id);
    const { db, clock } = c.get('deps');
    submitEntry(db, entry.id, ctx.campaign.likeThreshold, actor.accountId, clock.now());
    tellFamilyOfChange(db, actor, entry, clock.now());
    return c.json(view(c, entry.id), 200);
  });

  app.openapi(withdrawRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const entry = getEntry(db, c.req.valid('param').id);
    authorize(
      can.withdrawEntry(actor, entry, villageOf(c, entry.villageId)),
      entry.proxyBy === null
        ? '这个作品是这一户自己报名的，只有他们自己可以撤回。如果作品有问题，村干部可以隐藏它并写明原因。'
        : '只有这一户的家庭成员、本村村干部或网格员可以撤回这个作品。',
    );
    // The body may be left out (nothing to say); when it is sent, it is checked like any other.
    const body = WithdrawRequest.safeParse(await c.req.json().catch(() => ({})));
    if (!body.success) throw invalidInput(body.error.issues);
    withdrawEntry(db, entry.id, actor.accountId, body.data.reason || null, clock.now());
    return c.json(view(c, entry.id), 200);
  });

  app.openapi(moderationRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const entry = getEntry(db, c.req.valid('param').id);
    authorize(can.moderateEntries(actor, villageOf(c, entry.villageId)), '只有本村村干部可以隐藏或恢复作品。');
    const { action, reason, photoId } = c.req.valid('json');
    moderate(db, { entryId: entry.id, photoId }, action, reason, actor.accountId, clock.now());
    return c.json(view(c, entry.id), 200);
  });

  app.openapi(clearFlagsRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const { id, photoId } = c.req.valid('param');
    const entry = getEntry(db, id);
    authorize(can.moderateEntries(actor, villageOf(c, entry.villageId)), '只有本村村干部可以核实照片。');
    clearPhotoFlags(db, { entryId: entry.id, photoId }, c.req.valid('json').reason, actor.accountId, clock.now());
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(reviewRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const villageIds = managedVillagesOf(c, actor, round.campaignId).map((v) => v.id);
    authorize(villageIds.length > 0, '只有本村村干部可以审核作品。');
    const reviewed = entriesForReview(db, round.id, villageIds);
    return c.json({ entries: reviewed.map(({ entry, headName, doorNumber }) => ({ ...entryView(db, entry, true, clock.now()), household: { headName, doorNumber } })) }, 200);
  });

  app.openapi(flagsRoute, async (c) => {
    const actor = requireActor(c);
    const { db } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const villageIds = managedVillagesOf(c, actor, round.campaignId).map((v) => v.id);
    authorize(villageIds.length > 0, '只有本村村干部可以查看照片核查。');
    return c.json(photoFlags(db, round.id, villageIds), 200);
  });

  return app;
}

