import { beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../support/api.ts';
import { csv, expectError, freshPhone, PHONE, seededCampaign, selfRegister, singleCampaign, snapshot, VILLAGE } from './helpers.ts';

type VillageKey = keyof typeof VILLAGE;

/** One app with, in each of the three villages, a pending household, a campaign and its round. */
async function world() {
  const t = makeApp();
  const pending = {
    yangwei: (await selfRegister(t, freshPhone(1), VILLAGE.yangwei, '洋尾村101号')).id,
    lingpan: (await selfRegister(t, freshPhone(2), VILLAGE.lingpan, '岭畔村101号')).id,
    huashan: (await selfRegister(t, freshPhone(3), VILLAGE.huashan, '华山村101号')).id,
  };
  const huashanCadre = await t.signIn(PHONE.huashanCadre);
  const created = await t.req('POST', '/api/campaigns', { cookie: huashanCadre, body: singleCampaign([VILLAGE.huashan]) });
  const huashanCampaign = ((await created.json()) as { campaign: { id: string } }).campaign.id;
  await t.req('POST', `/api/campaigns/${huashanCampaign}/transition`, { cookie: huashanCadre, body: { to: 'open' } });
  const campaigns = {
    yangwei: seededCampaign(t, VILLAGE.yangwei),
    lingpan: seededCampaign(t, VILLAGE.lingpan),
    huashan: seededCampaign(t, VILLAGE.huashan),
  };
  return { t, pending, campaigns };
}
type World = Awaited<ReturnType<typeof world>>;

interface Call {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  ok: number;
}

/** Every route only a cadre (or town admin) may use, aimed at one village. */
const CADRE_ROUTES: Record<string, (w: World, v: VillageKey) => Call> = {
  'confirm a household': (w, v) => ({ method: 'POST', path: `/api/households/${w.pending[v]}/confirm`, ok: 200 }),
  'reject a household': (w, v) => ({ method: 'POST', path: `/api/households/${w.pending[v]}/reject`, body: { reason: '门牌号不对' }, ok: 200 }),
  'list households': (_w, v) => ({ method: 'GET', path: `/api/villages/${VILLAGE[v]}/households`, ok: 200 }),
  'import a roster': (_w, v) => ({ method: 'POST', path: `/api/villages/${VILLAGE[v]}/households/import`, ...csv(`户主姓名,门牌号,手机号\n陈新,${v}-900号,`), ok: 200 }),
  'create a campaign': (_w, v) => ({ method: 'POST', path: '/api/campaigns', body: singleCampaign([VILLAGE[v]]), ok: 201 }),
  'close a campaign': (w, v) => ({ method: 'POST', path: `/api/campaigns/${w.campaigns[v].campaignId}/transition`, body: { to: 'closed' }, ok: 200 }),
  'move a round': (w, v) => ({ method: 'POST', path: `/api/rounds/${w.campaigns[v].roundIds[0]}/transition`, body: { to: 'inspecting' }, ok: 200 }),
  'read the audit trail': (w, v) => ({ method: 'GET', path: `/api/audit?subject=household:${w.pending[v]}`, ok: 200 }),
};
const routeNames = Object.keys(CADRE_ROUTES);

const send = (t: TestApp, call: Call, cookie?: string) =>
  t.req(call.method, call.path, { ...(call.body === undefined ? {} : { body: call.body }), ...(call.headers ? { headers: call.headers } : {}), ...(cookie ? { cookie } : {}) });

describe('refusals: nobody outside the village office can use a cadre route, and a refusal writes nothing', () => {
  let w: World;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    w = await world();
    for (const [who, phone] of Object.entries({
      villager: PHONE.yangweiVillager,
      gridWorker: PHONE.yangweiGridWorker,
      yangweiCadre: PHONE.yangweiCadre,
      lingpanCadre: PHONE.lingpanCadre,
      huashanCadre: PHONE.huashanCadre,
      townAdmin: PHONE.townAdmin,
    })) {
      cookies[who] = await w.t.signIn(phone);
    }
  });

  it.each(routeNames)('%s without signing in is 401', async (route) => {
    const before = snapshot(w.t);
    const err = await expectError(await send(w.t, CADRE_ROUTES[route]!(w, 'yangwei')), 401, 'unauthenticated');
    expect(err.message).toBe('请先登录。');
    expect(snapshot(w.t)).toEqual(before);
  });

  const refused: Array<[string, string, VillageKey]> = [];
  for (const route of routeNames) {
    refused.push(
      [route, 'villager', 'yangwei'],
      [route, 'gridWorker', 'yangwei'],
      [route, 'lingpanCadre', 'yangwei'],
      [route, 'huashanCadre', 'yangwei'],
      [route, 'yangweiCadre', 'lingpan'],
      [route, 'townAdmin', 'huashan'],
    );
  }
  it.each(refused)('%s as %s in %s is 403', async (route, who, village) => {
    const before = snapshot(w.t);
    const err = await expectError(await send(w.t, CADRE_ROUTES[route]!(w, village), cookies[who]), 403, 'forbidden');
    expect(err.message.length).toBeGreaterThan(4);
    expect(snapshot(w.t)).toEqual(before);
  });

  it('a town admin cannot create a campaign that reaches into another town', async () => {
    const before = snapshot(w.t);
    const res = await w.t.req('POST', '/api/campaigns', { cookie: cookies.townAdmin, body: singleCampaign([VILLAGE.lingpan, VILLAGE.huashan]) });
    await expectError(res, 403, 'forbidden');
    expect(snapshot(w.t)).toEqual(before);
  });

  it('a village cadre cannot create a campaign spanning a village they do not run', async () => {
    const before = snapshot(w.t);
    const res = await w.t.req('POST', '/api/campaigns', { cookie: cookies.yangweiCadre, body: singleCampaign([VILLAGE.yangwei, VILLAGE.lingpan]) });
    await expectError(res, 403, 'forbidden');
    expect(snapshot(w.t)).toEqual(before);
  });
});

describe('the village office may', () => {
  const allowed: Array<[string, string, string, VillageKey]> = [];
  for (const route of routeNames) {
    allowed.push([route, 'the 洋尾村 cadre', PHONE.yangweiCadre, 'yangwei']);
    allowed.push([route, 'the 岭畔村 cadre', PHONE.lingpanCadre, 'lingpan']);
    allowed.push([route, 'the 磁灶镇 town admin', PHONE.townAdmin, 'yangwei']);
    allowed.push([route, 'the 磁灶镇 town admin', PHONE.townAdmin, 'lingpan']);
  }
  it.each(allowed)('%s as %s in %s', async (route, _who, phone, village) => {
    const w = await world();
    const cookie = await w.t.signIn(phone);
    const call = CADRE_ROUTES[route]!(w, village);
    const res = await send(w.t, call, cookie);
    expect(res.status, await res.clone().text()).toBe(call.ok);
  });

  it('the town admin creates one campaign over both 磁灶镇 villages', async () => {
    const w = await world();
    const admin = await w.t.signIn(PHONE.townAdmin);
    const res = await w.t.req('POST', '/api/campaigns', { cookie: admin, body: singleCampaign([VILLAGE.lingpan, VILLAGE.yangwei]) });
    expect(res.status).toBe(201);
    const { campaign } = (await res.json()) as { campaign: { id: string; villages: Array<{ name: string }> } };
    expect(campaign.villages.map((v) => v.name).sort()).toEqual(['岭畔村', '洋尾村']);
    // Each village's own cadre runs only part of it, so neither may move its rounds alone.
    const yangweiCadre = await w.t.signIn(PHONE.yangweiCadre);
    await expectError(await w.t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: yangweiCadre, body: { to: 'open' } }), 403, 'campaign_spans_villages');
  });
});

describe('a grid worker', () => {
  it('may register a family of their village by proxy, but not confirm it', async () => {
    const t = makeApp();
    const grid = await t.signIn(PHONE.yangweiGridWorker);
    const res = await t.req('POST', '/api/households', { cookie: grid, body: { villageId: VILLAGE.yangwei, headName: '林阿婆', doorNumber: '洋尾村102号', proxy: {} } });
    expect(res.status).toBe(201);
    const { household } = (await res.json()) as { household: { id: string; status: string; source: string; proxyBy: string } };
    expect(household).toMatchObject({ status: 'pending', source: 'proxy', proxyBy: PHONE.yangweiGridWorker });

    const before = snapshot(t);
    await expectError(await t.req('POST', `/api/households/${household.id}/confirm`, { cookie: grid }), 403, 'forbidden');
    expect(snapshot(t)).toEqual(before);

    const cadre = await t.signIn(PHONE.yangweiCadre);
    const confirmed = await t.req('POST', `/api/households/${household.id}/confirm`, { cookie: cadre });
    expect(((await confirmed.json()) as { household: { status: string } }).household.status).toBe('confirmed');
  });

  it('shows its role on /api/me', async () => {
    const t = makeApp();
    const grid = await t.signIn(PHONE.yangweiGridWorker);
    const me = (await (await t.req('GET', '/api/me', { cookie: grid })).json()) as { user: { roles: unknown[] } };
    expect(me.user.roles).toEqual([{ kind: 'grid_worker', scopeId: VILLAGE.yangwei, scopeName: '洋尾村' }]);
  });
});

describe('a cadre who leaves office (npm run account:create -- --remove)', () => {
  it('loses the role at the running server\'s next request, and the change is in the audit log', async () => {
    const { spawnSync } = await import('node:child_process');
    const { resolve } = await import('node:path');
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const list = () => t.req('GET', `/api/villages/${VILLAGE.yangwei}/households`, { cookie: cadre });
    expect((await list()).status).toBe(200);

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/account-create.ts', '--phone', PHONE.yangweiCadre, '--role', 'village_cadre', ...args], {
        cwd: resolve(import.meta.dirname, '../..'),
        env: { ...process.env, DATA_DIR: t.dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const removed = cli('--scope', VILLAGE.yangwei, '--remove');
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`is no longer village_cadre of 洋尾村 (${VILLAGE.yangwei})`);
    // The server's next request comes in a later turn of its event loop than the one before.
    await new Promise((r) => setImmediate(r));
    await expectError(await list(), 403, 'forbidden');
    const audit = t.db.$client.prepare(`select before, reason from audit_log where action = 'role.revoke'`).all();
    expect(audit).toEqual([{ before: JSON.stringify({ role: 'village_cadre', scope: VILLAGE.yangwei }), reason: 'command line' }]);

    const again = cli('--scope', VILLAGE.yangwei, '--remove');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('is not village_cadre of 洋尾村');
    expect(again.stderr).toContain('nothing changed');
  }, 60_000);
});
