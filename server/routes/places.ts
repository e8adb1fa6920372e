import { createRoute, z } from '@hono/zod-openapi';
import { TownSummary, VillageDetail, VillagesQuery, VillageSummary, VillageTodo } from '../contracts/places.ts';
import { listCampaigns, roundsOf, roundView } from '../db/campaigns.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { getVillage, listTowns, listVillages } from '../db/places.ts';
import { notFound } from '../domain/errors.ts';
import { can } from '../domain/permissions.ts';
import { villageTodo } from '../db/todo.ts';
import { authorize } from './guard.ts';
import { visible } from './campaigns.ts';
import { requireActor, router } from './context.ts';
import { cookieAuth, errors, json } from './openapi.ts';

const townsRoute = createRoute({
  method: 'get',
  path: '/places/towns',
  tags: ['places'],
  summary: 'Towns and streets of the county, with their GB/T 2260 codes',
  responses: { 200: json(z.object({ towns: z.array(TownSummary) })) },
});
const villagesRoute = createRoute({
  method: 'get',
  path: '/places/villages',
  tags: ['places'],
  summary: 'Villages and communities (12-digit codes), optionally of one town',
  request: { query: VillagesQuery },
  responses: { 200: json(z.object({ villages: z.array(VillageSummary) })), ...errors(400) },
});
const VillageParam = z.object({ id: z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。') });
const villageRoute = createRoute({
  method: 'get',
  path: '/villages/{id}',
  tags: ['places'],
  summary: 'One village with its campaigns',
  request: { params: VillageParam },
  responses: { 200: json(VillageDetail), ...errors(400, 404) },
});

const todoRoute = createRoute({
  method: 'get',
  path: '/villages/{id}/todo',
  tags: ['places'],
  summary: "What waits for the village's cadre: registrations to confirm, suspicious likes, objections to settle, rewards to pay (its cadre or town admin)",
  security: cookieAuth,
  request: { params: VillageParam },
  responses: { 200: json(VillageTodo), ...errors(400, 401, 403, 404) },
});

export function placeRoutes() {
  const app = router();
  app.openapi(townsRoute, (c) => c.json({ towns: listTowns(c.get('deps').db) }, 200));
  app.openapi(villagesRoute, (c) => c.json({ villages: listVillages(c.get('deps').db, c.req.valid('query').town) }, 200));
  app.openapi(villageRoute, (c) => {
    const { db } = c.get('deps');
    const village = getVillage(db, c.req.valid('param').id);
    if (!village) throw notFound('村（社区）');
    const campaigns = listCampaigns(db, village.id)
      .filter((x) => visible(c, x))
      .map((x) => {
        const now = c.get('deps').clock.now();
        const rounds = roundsOf(db, x.id);
        const current = rounds.find((r) => r.startsAt <= now && now <= r.endsAt) ?? rounds.filter((r) => r.startsAt <= now).at(-1) ?? rounds[0];
        const currentRound = current ? (({ id, period, status, startsAt, endsAt }) => ({ id, period, status, startsAt, endsAt, begun: current.startsAt <= now }))(roundView(current)) : null;
        // The campaign's own row has all this summary needs (its full view also loads its villages).
        return { id: x.id, title: x.title, format: x.format, status: x.status, startsAt: toShanghaiIso(x.startsAt), endsAt: toShanghaiIso(x.endsAt), likeThreshold: x.likeThreshold, currentRound };
      });
    return c.json({ ...village, campaigns }, 200);
  });
  app.openapi(todoRoute, (c) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const village = getVillage(db, c.req.valid('param').id);
    if (!village) throw notFound('村（社区）');
    authorize(can.moderateEntries(actor, village), '只有本村村干部（或镇管理员）可以查看本村待办。');
    return c.json(villageTodo(db, village.id, clock.now(), (villages) => can.runResults(actor, villages)), 200);
  });
  return app;
}
