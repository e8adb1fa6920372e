import { createRoute, z } from '@hono/zod-openapi';
import {
  Campaign,
  CampaignCreate,
  CampaignList,
  CampaignListQuery,
  CampaignTransition,
  CampaignWithRounds,
  Round,
  RoundList,
  RoundTransition,
} from '../contracts/campaigns.ts';
import { Id } from '../contracts/common.ts';
import {
  applyRoundTransition,
  campaignView,
  createCampaign,
  getCampaign,
  getRound,
  listCampaigns,
  roundsOf,
  roundView,
  transitionCampaign,
} from '../db/campaigns.ts';
import { getVillages } from '../db/places.ts';
import { planCampaign } from '../domain/campaigns.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { can } from '../domain/permissions.ts';
import { planRoundTransition } from '../domain/rounds.ts';
import { requireActor, router, type Ctx } from './context.ts';
import { authorize } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';
import { authorizeRunner, campaignVillages } from './scope.ts';

const IdParam = z.object({ id: Id });
const CampaignBody = z.object({ campaign: Campaign });
const RoundBody = z.object({ round: Round });

const createCampaignRoute = createRoute({
  method: 'post',
  path: '/campaigns',
  tags: ['campaigns'],
  summary: 'Create a campaign (draft) with its rounds: one per month (monthly) or one window (single)',
  security: cookieAuth,
  request: jsonBody(CampaignCreate),
  responses: { 201: json(CampaignBody, 'Created'), ...errors(400, 401, 403, 404, 415) },
});
const listCampaignsRoute = createRoute({
  method: 'get',
  path: '/campaigns',
  tags: ['campaigns'],
  summary: 'Campaigns, optionally of one village (drafts only for those who run them)',
  request: { query: CampaignListQuery },
  responses: { 200: json(CampaignList), ...errors(400) },
});
const getCampaignRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}',
  tags: ['campaigns'],
  summary: 'A campaign with its rubric, rules and rounds',
  request: { params: IdParam },
  responses: { 200: json(CampaignWithRounds), ...errors(404) },
});
const campaignRoundsRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/rounds',
  tags: ['campaigns'],
  summary: "A campaign's rounds",
  request: { params: IdParam },
  responses: { 200: json(RoundList), ...errors(404) },
});
const campaignTransitionRoute = createRoute({
  method: 'post',
  path: '/campaigns/{id}/transition',
  tags: ['campaigns'],
  summary: 'Open or close a campaign (draft → open → closed)',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(CampaignTransition) },
  responses: { 200: json(CampaignBody), ...errors(400, 401, 403, 404, 409) },
});
const roundTransitionRoute = createRoute({
  method: 'post',
  path: '/rounds/{id}/transition',
  tags: ['rounds'],
  summary: 'Move a round along its lifecycle; a move the lifecycle does not allow is 409 and changes nothing',
  security: cookieAuth,
  request: { params: IdParam, ...jsonBody(RoundTransition) },
  responses: { 200: json(RoundBody), ...errors(400, 401, 403, 404, 409) },
});

/** Drafts are the organisers' working copies: the public sees a campaign once it is open. */
export function visible(c: Ctx, campaign: { id: string; status: string }): boolean {
  if (campaign.status !== 'draft') return true;
  const actor = c.get('actor');
  const db = c.get('deps').db;
  return !!actor && can.runCampaign(actor, campaignVillages(db, campaign.id));
}

function campaignFor(c: Ctx, id: string) {
  const campaign = getCampaign(c.get('deps').db, id);
  if (!visible(c, campaign)) throw notFound('评比活动');
  return campaign;
}

export function campaignRoutes() {
  const app = router();

  app.openapi(createCampaignRoute, async (c) => {
    const actor = requireActor(c);
    const input = c.req.valid('json');
    const { db, clock } = c.get('deps');
    const villages = getVillages(db, [...new Set(input.villageIds)]);
    const missing = input.villageIds.filter((id) => !villages.some((v) => v.id === id));
    if (missing.length) {
      const problem = `找不到村（社区）编码：${missing.join('、')}。`;
      // The same code and shape as every other problem of a campaign's configuration.
      throw invalid('invalid_campaign', problem, { problems: [{ field: 'villageIds', problem }], missing });
    }
    authorize(can.createCampaign(actor, villages), '只能为自己管理的村创建评比活动。');
    const campaign = createCampaign(db, planCampaign(input), actor.accountId, clock.now());
    return c.json({ campaign: campaignView(db, campaign) }, 201);
  });

  app.openapi(listCampaignsRoute, async (c) => {
    const { db } = c.get('deps');
    const list = listCampaigns(db, c.req.valid('query').village).filter((x) => visible(c, x));
    return c.json({ campaigns: list.map((x) => campaignView(db, x)) }, 200);
  });

  app.openapi(getCampaignRoute, async (c) => {
    const { db } = c.get('deps');
    const campaign = campaignFor(c, c.req.valid('param').id);
    return c.json({ campaign: campaignView(db, campaign), rounds: roundsOf(db, campaign.id).map(roundView) }, 200);
  });

  app.openapi(campaignRoundsRoute, async (c) => {
    const campaign = campaignFor(c, c.req.valid('param').id);
    return c.json({ rounds: roundsOf(c.get('deps').db, campaign.id).map(roundView) }, 200);
  });

  app.openapi(campaignTransitionRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const campaign = getCampaign(db, c.req.valid('param').id);
    authorizeRunner(can.runCampaign, actor, campaignVillages(db, campaign.id), '开启或结束活动');
    const updated = transitionCampaign(db, campaign.id, c.req.valid('json').to, actor.accountId, clock.now());
    return c.json({ campaign: campaignView(db, updated) }, 200);
  });

  app.openapi(roundTransitionRoute, async (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const round = getRound(db, c.req.valid('param').id);
    const campaign = getCampaign(db, round.campaignId);
    authorizeRunner(can.runCampaign, actor, campaignVillages(db, campaign.id), '推进评比轮次');
    if (campaign.status !== 'open') {
      throw conflict('campaign_not_open', campaign.status === 'draft' ? '活动还是草稿，请先开启活动。' : '活动已结束，轮次不能再更改。', { campaignStatus: campaign.status });
    }
    const { to, reason } = c.req.valid('json');
    const edge = planRoundTransition(round.status, to, 'transition', reason);
    const updated = applyRoundTransition(db, round.id, edge.from, edge.to, actor.accountId, reason ?? null, clock.now());
    return c.json({ round: roundView(updated) }, 200);
  });

  return app;
}
