import { createRoute, z } from '@hono/zod-openapi';
import { Id } from '../contracts/common.ts';
import { Household, HouseholdCorrection, HouseholdCreate, HouseholdList, HouseholdListQuery, ImportResult, MemberAdd, RejectRequest } from '../contracts/households.ts';
import { addMember, correctRegistration, decideHousehold, getHousehold, importRoster, listHouseholds, registerHousehold, removeMember, rosterClashes, rosterRefused } from '../db/households.ts';
import { getVillage } from '../db/places.ts';
import { invalid, notFound } from '../domain/errors.ts';
import { checkRoster, doorNumberProblem, headNameProblem } from '../domain/households.ts';
import { can, managesVillage } from '../domain/permissions.ts';
import { requireActor, router, type Ctx } from './context.ts';
import { authorize } from './guard.ts';
import { cookieAuth, errors, json, jsonBody } from './openapi.ts';

const HouseholdBody = z.object({ household: Household });
const VillageParam = z.object({ id: z.string().regex(/^\d{12}$/, '村（社区）编码应为 12 位数字。') });

const registerRoute = createRoute({
  method: 'post',
  path: '/households',
  tags: ['households'],
  summary: 'Register a household (self: pending; by a cadre or grid worker on its behalf: proxy)',
  security: cookieAuth,
  request: jsonBody(HouseholdCreate),
  responses: { 201: json(HouseholdBody, 'Registered'), ...errors(400, 401, 403, 404, 409, 415) },
});

const decideBody = { params: z.object({ id: Id }) };
const confirmRoute = createRoute({
  method: 'post',
  path: '/households/{id}/confirm',
  tags: ['households'],
  summary: 'Confirm a pending household (cadre)',
  security: cookieAuth,
  request: decideBody,
  responses: { 200: json(HouseholdBody), ...errors(401, 403, 404, 409) },
});
const rejectRoute = createRoute({
  method: 'post',
  path: '/households/{id}/reject',
  tags: ['households'],
  summary: 'Reject a pending household with a reason (cadre)',
  security: cookieAuth,
  request: { ...decideBody, ...jsonBody(RejectRequest) },
  responses: { 200: json(HouseholdBody), ...errors(400, 401, 403, 404, 409) },
});
const correctRoute = createRoute({
  method: 'patch',
  path: '/households/{id}',
  tags: ['households'],
  summary: 'Correct a registration while it waits for the cadre (the family itself): village, head name, door number',
  security: cookieAuth,
  request: { ...decideBody, ...jsonBody(HouseholdCorrection) },
  responses: { 200: json(HouseholdBody), ...errors(400, 401, 403, 404, 409, 415) },
});
const addMemberRoute = createRoute({
  method: 'post',
  path: '/households/{id}/members',
  tags: ['households'],
  summary: "Add a family member's phone to a household (cadre): that phone may then enter the family's courtyard",
  security: cookieAuth,
  request: { ...decideBody, ...jsonBody(MemberAdd) },
  responses: { 201: json(HouseholdBody, 'Added'), ...errors(400, 401, 403, 404, 409, 415) },
});
const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/households/{id}/members/{accountId}',
  tags: ['households'],
  summary: "Take a phone off a household (cadre); the household is told",
  security: cookieAuth,
  request: { params: z.object({ id: Id, accountId: Id }) },
  responses: { 200: json(HouseholdBody), ...errors(401, 403, 404) },
});
const listRoute = createRoute({
  method: 'get',
  path: '/villages/{id}/households',
  tags: ['households'],
  summary: "A village's households with door numbers and members (cadre); a grid worker may list the confirmed ones, without members, to enter by proxy",
  security: cookieAuth,
  request: { params: VillageParam, query: HouseholdListQuery },
  responses: { 200: json(HouseholdList), ...errors(400, 401, 403, 404) },
});
const importRoute = createRoute({
  method: 'post',
  path: '/villages/{id}/households/import',
  tags: ['households'],
  summary:
    'Import a roster (CSV in UTF-8 or GBK, as Excel saves it: 户主姓名,门牌号,手机号), all or nothing; bad rows are listed with row, field and problem (and how many rows were read). With ?skip=problem_rows the rows without a problem go in and the others are listed as skipped',
  security: cookieAuth,
  request: {
    params: VillageParam,
    query: z.object({ skip: z.enum(['problem_rows'], { error: 'skip 只能是 problem_rows（跳过有问题的行）。' }).optional() }),
    body: { content: { 'text/csv': { schema: z.string().meta({ example: '户主姓名,门牌号,手机号\n陈建国,洋尾村12号,13800138000' }) } }, required: true },
  },
  responses: { 200: json(ImportResult), ...errors(400, 401, 403, 404, 413, 415) },
});

function villageOr404(c: Ctx, id: string) {
  const v = getVillage(c.get('deps').db, id);
  if (!v) throw notFound('村（社区）');
  return v;
}

export function householdRoutes() {
  const app = router();

  /** The village named, and the head's name and door checked as the domain wants them. */
  const checkedPlace = (c: Ctx, input: { villageId: string; headName: string; doorNumber: string }) => {
    const village = villageOr404(c, input.villageId);
    const nameProblem = headNameProblem(input.headName);
    if (nameProblem) throw invalid('invalid_input', nameProblem, { field: 'headName' });
    const doorProblem = doorNumberProblem(input.doorNumber);
    if (doorProblem) throw invalid('invalid_input', doorProblem, { field: 'doorNumber' });
    return village;
  };

  app.openapi(registerRoute, async (c) => {
    const actor = requireActor(c);
    const input = c.req.valid('json');
    const { db, clock } = c.get('deps');
    const village = checkedPlace(c, input);
    if (input.proxy) authorize(can.registerByProxy(actor, village), '只有本村村干部或网格员可以代为登记。');
    const household = registerHousehold(
      db,
      {
        villageId: village.id,
        villageName: village.name,
        headName: input.headName,
        doorNumber: input.doorNumber,
        actorId: actor.accountId,
        proxy: input.proxy ? { memberPhone: input.proxy.memberPhone, confirmAtOnce: managesVillage(actor, village) } : null,
      },
      clock.now(),
    );
    return c.json({ household }, 201);
  });

  const decide = (decision: 'confirmed' | 'rejected') => async (c: Ctx, id: string, reason: string | null) => {
    const actor = requireActor(c);
    const { db, clock } = c.get('deps');
    const h = getHousehold(db, id);
    authorize(can.decideHousehold(actor, villageOr404(c, h.villageId)), '只有本村村干部可以确认或驳回登记。');
    return decideHousehold(db, id, decision, actor.accountId, reason, clock.now());
  };
  const confirm = decide('confirmed');
  const reject = decide('rejected');

  app.openapi(confirmRoute, async (c) => c.json({ household: await confirm(c, c.req.valid('param').id, null) }, 200));
  app.openapi(rejectRoute, async (c) => c.json({ household: await reject(c, c.req.valid('param').id, c.req.valid('json').reason) }, 200));

  app.openapi(correctRoute, async (c) => {
    const actor = requireActor(c);
    const { id } = c.req.valid('param');
    const { db, clock } = c.get('deps');
    getHousehold(db, id);
    authorize(can.correctRegistration(actor, id), '只有这一户的家人可以修改自己的登记。');
    const input = c.req.valid('json');
    const village = checkedPlace(c, input);
    return c.json({ household: correctRegistration(db, id, { ...input, villageName: village.name }, actor.accountId, clock.now()) }, 200);
  });

  const membersOf = (c: Ctx, id: string) => {
    const actor = requireActor(c);
    const h = getHousehold(c.get('deps').db, id);
    authorize(can.manageHouseholdMembers(actor, villageOr404(c, h.villageId)), '只有本村村干部可以添加或移出家人。');
    return actor;
  };
  app.openapi(addMemberRoute, async (c) => {
    const { id } = c.req.valid('param');
    const actor = membersOf(c, id);
    const { db, clock } = c.get('deps');
    return c.json({ household: addMember(db, id, c.req.valid('json').phone, actor.accountId, clock.now()) }, 201);
  });
  app.openapi(removeMemberRoute, async (c) => {
    const { id, accountId } = c.req.valid('param');
    const actor = membersOf(c, id);
    const { db, clock } = c.get('deps');
    return c.json({ household: removeMember(db, id, accountId, actor.accountId, clock.now()) }, 200);
  });

  app.openapi(listRoute, async (c) => {
    const actor = requireActor(c);
    const village = villageOr404(c, c.req.valid('param').id);
    const { status } = c.req.valid('query');
    if (can.listHouseholds(actor, village)) return c.json({ households: listHouseholds(c.get('deps').db, village.id, status) }, 200);
    // A grid worker chooses a family to enter by proxy: the confirmed households, without members' phones.
    authorize(status === 'confirmed' && can.listHouseholdsForProxy(actor, village), '只有本村村干部可以查看住户名单。');
    const households = listHouseholds(c.get('deps').db, village.id, status).map((h) => ({ ...h, members: [] as typeof h.members, proxyBy: null }));
    return c.json({ households }, 200);
  });

  app.openapi(
    importRoute,
    async (c) => {
      const actor = requireActor(c);
      const village = villageOr404(c, c.req.valid('param').id);
      authorize(can.importRoster(actor, village), '只有本村村干部可以导入住户名单。');
      const { db, clock } = c.get('deps');
      // Every problem at once, of the file and against the village, so that one round of fixes is enough.
      // The bytes, not c.req.text(): a roster saved by Excel in China is GBK, which checkRoster recognises.
      const { rows, problems } = checkRoster(new Uint8Array(await c.req.arrayBuffer()), village.name);
      const all = [...problems, ...rosterClashes(db, village.id, rows)];
      if (!all.length) return c.json({ ...importRoster(db, village.id, rows, actor.accountId, clock.now()), skipped: [] }, 200);
      // Asked to, the rows without a problem go in; a file wrong as a whole (no rows read) still does not.
      const bad = new Set(all.map((p) => p.row));
      const good = rows.filter((r) => !bad.has(r.line));
      if (c.req.valid('query').skip !== 'problem_rows' || !good.length) throw rosterRefused(all, good.length);
      const skipped = [...all].sort((a, b) => a.row - b.row);
      return c.json({ ...importRoster(db, village.id, good, actor.accountId, clock.now()), skipped }, 200);
    },
  );

  return app;
}
