import { describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../support/api.ts';
import { CHINESE, expectError, fieldsOf, PHONE, seededCampaign, singleCampaign, snapshot, VILLAGE } from './helpers.ts';

interface CampaignView {
  id: string;
  title: string;
  format: string;
  status: string;
  likeThreshold: number;
  rubric: Array<{ key: string; name: string; max: number }>;
  rubricTotal: number;
  rules: { passMark: number };
  starRule: { kind: string };
  villages: Array<{ id: string; name: string; townId: string }>;
  startsAt: string;
  endsAt: string;
}
interface RoundView {
  id: string;
  seq: number;
  period: string;
  startsAt: string;
  endsAt: string;
  status: string;
}

const create = (t: TestApp, cookie: string, body: unknown) => t.req('POST', '/api/campaigns', { cookie, body });
const read = async (t: TestApp, id: string, cookie?: string) => {
  const res = await t.req('GET', `/api/campaigns/${id}`, cookie ? { cookie } : {});
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as { campaign: CampaignView; rounds: RoundView[] }) : null };
};

const monthly = (extra: Record<string, unknown> = {}) => ({
  title: '2027年洋尾村美丽庭院月评',
  format: 'monthly',
  villageIds: [VILLAGE.yangwei],
  likeThreshold: 50,
  months: { from: '2027-05', to: '2027-10' },
  ...extra,
});
const rubric = (...maxes: number[]) => maxes.map((max, i) => ({ key: `c${i}`, name: `评分项${i}`, max }));

describe('creating a campaign', () => {
  it('monthly, with the default rubric: a draft with one round per month in Shanghai time', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await create(t, cadre, monthly());
    expect(res.status).toBe(201);
    const { campaign } = (await res.json()) as { campaign: CampaignView };
    expect(campaign).toMatchObject({
      title: '2027年洋尾村美丽庭院月评',
      format: 'monthly',
      status: 'draft',
      likeThreshold: 50,
      rubricTotal: 100,
      rules: { passMark: 80 },
      starRule: { kind: 'half_year' },
      villages: [{ id: VILLAGE.yangwei, name: '洋尾村' }],
      startsAt: '2027-05-01T00:00:00.000+08:00',
      endsAt: '2027-10-31T23:59:59.999+08:00',
    });
    expect(campaign.rubric.map((c) => [c.key, c.name, c.max])).toEqual([
      ['hygiene', '卫生情况', 40],
      ['beautification', '美化情况', 30],
      ['openness', '开放情况', 15],
      ['culture', '文化内涵', 15],
    ]);

    const { body } = await read(t, campaign.id, cadre);
    expect(body!.rounds.map((r) => r.period)).toEqual(['2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10']);
    expect(body!.rounds.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body!.rounds.every((r) => r.status === 'entries_open')).toBe(true);
    expect(body!.rounds[0]).toMatchObject({ startsAt: '2027-05-01T00:00:00.000+08:00', endsAt: '2027-05-31T23:59:59.999+08:00' });
    expect(body!.rounds[1]).toMatchObject({ startsAt: '2027-06-01T00:00:00.000+08:00', endsAt: '2027-06-30T23:59:59.999+08:00' });
    const rounds = (await (await t.req('GET', `/api/campaigns/${campaign.id}/rounds`, { cookie: cadre })).json()) as { rounds: RoundView[] };
    expect(rounds.rounds).toEqual(body!.rounds);
  });

  it('monthly across a year end ends February on the 29th in a leap year', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await create(t, cadre, monthly({ months: { from: '2027-12', to: '2028-02' } }));
    const { campaign } = (await res.json()) as { campaign: CampaignView };
    const { body } = await read(t, campaign.id, cadre);
    expect(body!.rounds.map((r) => [r.period, r.endsAt])).toEqual([
      ['2027-12', '2027-12-31T23:59:59.999+08:00'],
      ['2028-01', '2028-01-31T23:59:59.999+08:00'],
      ['2028-02', '2028-02-29T23:59:59.999+08:00'],
    ]);
  });

  it('monthly over exactly 24 months is allowed', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await create(t, cadre, monthly({ months: { from: '2027-01', to: '2028-12' } }));
    expect(res.status).toBe(201);
    const { campaign } = (await res.json()) as { campaign: CampaignView };
    expect((await read(t, campaign.id, cadre)).body!.rounds).toHaveLength(24);
  });

  it('single: one round over the window, with star bands and no like threshold by default', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.lingpanCadre);
    const res = await create(t, cadre, singleCampaign([VILLAGE.lingpan]));
    expect(res.status).toBe(201);
    const { campaign } = (await res.json()) as { campaign: CampaignView };
    expect(campaign).toMatchObject({ format: 'single', status: 'draft', likeThreshold: 0, starRule: { kind: 'bands' }, rubricTotal: 100 });
    const { body } = await read(t, campaign.id, cadre);
    expect(body!.rounds).toEqual([
      expect.objectContaining({ seq: 1, period: '2027-03-01', startsAt: '2027-03-01T00:00:00.000+08:00', endsAt: '2027-03-31T23:59:59.999+08:00', status: 'entries_open' }),
    ]);
  });

  it('takes a custom rubric, pass mark and star bands', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.lingpanCadre);
    const res = await create(
      t,
      cadre,
      singleCampaign([VILLAGE.lingpan], {
        rubric: rubric(30, 20),
        rules: { passMark: 40 },
        starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 48 }, { stars: 3, minTotal: 40 }] },
      }),
    );
    expect(res.status).toBe(201);
    const { campaign } = (await res.json()) as { campaign: CampaignView };
    expect(campaign).toMatchObject({ rubricTotal: 50, rules: { passMark: 40 } });
  });

  it('writes an audit row for the creation', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const { campaign } = (await (await create(t, cadre, monthly())).json()) as { campaign: CampaignView };
    const audit = (await (await t.req('GET', `/api/audit?subject=campaign:${campaign.id}`, { cookie: cadre })).json()) as { rows: Array<{ action: string; actor: string }> };
    expect(audit.rows).toEqual([expect.objectContaining({ action: 'campaign.create', actor: PHONE.yangweiCadre })]);
  });
});

describe('a campaign that does not add up is refused and nothing is written', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['a criterion worth 0 points', monthly({ rubric: rubric(40, 0) }), 'invalid_input', 'rubric.1.max'],
    ['a criterion worth negative points', monthly({ rubric: rubric(-10, 60) }), 'invalid_input', 'rubric.0.max'],
    ['a criterion worth fractional points', monthly({ rubric: rubric(40.5, 59.5) }), 'invalid_input', 'rubric.0.max'],
    ['two criteria with the same key', monthly({ rubric: [{ key: 'hygiene', name: '卫生', max: 50 }, { key: 'hygiene', name: '环境', max: 50 }] }), 'invalid_campaign', 'rubric.1.key'],
    ['an empty rubric', monthly({ rubric: [] }), 'invalid_input', 'rubric'],
    ['a criterion without a name', monthly({ rubric: [{ key: 'hygiene', name: ' ', max: 100 }] }), 'invalid_input', 'rubric.0.name'],
    ['a pass mark above the rubric total', monthly({ rules: { passMark: 101 } }), 'invalid_campaign', 'rules.passMark'],
    ['a pass mark above a custom rubric total', monthly({ rubric: rubric(30, 20), rules: { passMark: 60 } }), 'invalid_campaign', 'rules.passMark'],
    [
      'star bands out of order',
      singleCampaign([VILLAGE.yangwei], { starRule: { kind: 'bands', bands: [{ stars: 3, minTotal: 85 }, { stars: 5, minTotal: 95 }] } }),
      'invalid_campaign',
      'starRule.bands.1',
    ],
    [
      'a higher star asking fewer points',
      singleCampaign([VILLAGE.yangwei], { starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 80 }, { stars: 4, minTotal: 90 }] } }),
      'invalid_campaign',
      'starRule.bands.1',
    ],
    [
      'a star band above the rubric total',
      singleCampaign([VILLAGE.yangwei], { starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 120 }] } }),
      'invalid_campaign',
      'starRule.bands.0.minTotal',
    ],
    ['monthly without months', monthly({ months: undefined }), 'invalid_campaign', 'months'],
    ['months reversed', monthly({ months: { from: '2027-10', to: '2027-05' } }), 'invalid_campaign', 'months.to'],
    ['a month that does not exist', monthly({ months: { from: '2027-13', to: '2028-02' } }), 'invalid_campaign', 'months.from'],
    ['more than 24 months', monthly({ months: { from: '2027-01', to: '2029-01' } }), 'invalid_campaign', 'months.to'],
    ['single without a window', singleCampaign([VILLAGE.yangwei], { window: undefined }), 'invalid_campaign', 'window'],
    ['a window ending before it starts', singleCampaign([VILLAGE.yangwei], { window: { from: '2027-03-31', to: '2027-03-01' } }), 'invalid_campaign', 'window.to'],
    ['a day that does not exist', singleCampaign([VILLAGE.yangwei], { window: { from: '2027-02-30', to: '2027-03-31' } }), 'invalid_campaign', 'window.from'],
    ['an unknown village', monthly({ villageIds: ['350582102299'] }), 'invalid_campaign', 'villageIds'],
    ['no village', monthly({ villageIds: [] }), 'invalid_input', 'villageIds'],
    ['a village code that is not 12 digits', monthly({ villageIds: ['洋尾村'] }), 'invalid_input', 'villageIds.0'],
    ['the same village twice', monthly({ villageIds: [VILLAGE.yangwei, VILLAGE.yangwei] }), 'invalid_campaign', 'villageIds'],
    ['a one-character title', monthly({ title: '评' }), 'invalid_input', 'title'],
    ['an unknown format', monthly({ format: 'weekly' }), 'invalid_input', 'format'],
    ['a negative like threshold', monthly({ likeThreshold: -1 }), 'invalid_input', 'likeThreshold'],
    ['an unknown field', monthly({ budget: 1000 }), 'invalid_input', '(body)'],
  ];

  it.each(cases)('%s', async (_label, body, code, field) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const err = await expectError(await create(t, cadre, body), 400, code);
    expect(fieldsOf(err)).toContain(field);
    expect(err.message).toMatch(CHINESE);
    expect(snapshot(t)).toEqual(before);
  });

  it('lists every problem at once', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const err = await expectError(
      await create(t, cadre, monthly({ rubric: [{ key: 'a', name: '甲', max: 10 }, { key: 'a', name: '乙', max: 10 }], rules: { passMark: 80 }, months: { from: '2027-10', to: '2027-05' } })),
      400,
      'invalid_campaign',
    );
    expect(fieldsOf(err)).toEqual(expect.arrayContaining(['rubric.1.key', 'rules.passMark', 'months.to']));
    expect(err.message).toContain('合格分 80 超过了评分表总分 20');
  });
});

describe('who sees a campaign', () => {
  it('a draft is hidden from the public and from other villages, and visible to its cadres', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const { campaign } = (await (await create(t, cadre, monthly())).json()) as { campaign: CampaignView };

    const anonymous = await t.req('GET', `/api/campaigns/${campaign.id}`);
    const err = await expectError(anonymous, 404, 'not_found');
    expect(err.message).toContain('评比活动');
    await expectError(await t.req('GET', `/api/campaigns/${campaign.id}/rounds`), 404, 'not_found');
    const list = (await (await t.req('GET', `/api/campaigns?village=${VILLAGE.yangwei}`)).json()) as { campaigns: CampaignView[] };
    expect(list.campaigns.map((c) => c.id)).not.toContain(campaign.id);
    const village = (await (await t.req('GET', `/api/villages/${VILLAGE.yangwei}`)).json()) as { campaigns: Array<{ id: string }> };
    expect(village.campaigns.map((c) => c.id)).not.toContain(campaign.id);

    const villager = await t.signIn(PHONE.yangweiVillager);
    expect((await read(t, campaign.id, villager)).status).toBe(404);
    const otherCadre = await t.signIn(PHONE.lingpanCadre);
    expect((await read(t, campaign.id, otherCadre)).status).toBe(404);

    expect((await read(t, campaign.id, cadre)).status).toBe(200);
    const admin = await t.signIn(PHONE.townAdmin);
    expect((await read(t, campaign.id, admin)).status).toBe(200);
    const mine = (await (await t.req('GET', `/api/campaigns?village=${VILLAGE.yangwei}`, { cookie: cadre })).json()) as { campaigns: CampaignView[] };
    expect(mine.campaigns.map((c) => c.id)).toContain(campaign.id);
  });

  it('once opened, the public sees it', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const { campaign } = (await (await create(t, cadre, monthly())).json()) as { campaign: CampaignView };
    const opened = await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: cadre, body: { to: 'open' } });
    expect(opened.status).toBe(200);
    const { status, body } = await read(t, campaign.id);
    expect(status).toBe(200);
    expect(body!.campaign.status).toBe('open');
    expect(body!.rounds).toHaveLength(6);
  });

  it('answers 404 for a campaign that does not exist', async () => {
    const t = makeApp();
    await expectError(await t.req('GET', '/api/campaigns/cp_nope'), 404, 'not_found');
  });
});

describe('campaign lifecycle', () => {
  it('goes draft → open → closed; any other move is 409 and changes nothing', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const { campaign } = (await (await create(t, cadre, monthly())).json()) as { campaign: CampaignView };
    const move = (to: string) => t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: cadre, body: { to } });

    let before = snapshot(t);
    const early = await expectError(await move('closed'), 409, 'invalid_transition');
    expect(early.message).toContain('草稿');
    expect(snapshot(t)).toEqual(before);

    expect((await move('open')).status).toBe(200);
    before = snapshot(t);
    await expectError(await move('open'), 409, 'invalid_transition');
    expect(snapshot(t)).toEqual(before);

    expect((await move('closed')).status).toBe(200);
    before = snapshot(t);
    await expectError(await move('open'), 409, 'invalid_transition');
    await expectError(await move('closed'), 409, 'invalid_transition');
    expect(snapshot(t)).toEqual(before);

    await expectError(await move('draft'), 400, 'invalid_input');
  });

  it('the seeded 洋尾村 campaign is open with its six monthly rounds', async () => {
    const t = makeApp();
    const { campaignId, roundIds } = seededCampaign(t, VILLAGE.yangwei);
    const { body } = await read(t, campaignId);
    expect(body!.campaign).toMatchObject({ status: 'open', format: 'monthly', likeThreshold: 50 });
    expect(body!.rounds.map((r) => r.id)).toEqual(roundIds);
    expect(body!.rounds.map((r) => r.period)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
  });
});

describe('a campaign of several villages of a town', () => {
  it('is run by the town admin; a cadre of one of its villages reads it and is told why they cannot move it', async () => {
    const t = makeApp();
    const admin = await t.signIn(PHONE.townAdmin);
    const res = await create(t, admin, monthly({ title: '2027年磁灶镇美丽庭院月评', villageIds: [VILLAGE.lingpan, VILLAGE.yangwei] }));
    expect(res.status).toBe(201);
    const { campaign } = (await res.json()) as { campaign: CampaignView };
    // the web app decides which buttons to show by the same rule, from each village's town
    expect(campaign.villages.map((v) => v.townId)).toEqual(['350582102', '350582102']);
    expect((await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: admin, body: { to: 'open' } })).status).toBe(200);

    const cadre = await t.signIn(PHONE.lingpanCadre);
    expect((await read(t, campaign.id, cadre)).status).toBe(200);
    const before = snapshot(t);
    const refusals = [
      await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: cadre, body: { to: 'closed' } }),
      await t.req('POST', `/api/rounds/${(await read(t, campaign.id)).body!.rounds[0]!.id}/transition`, { cookie: cadre, body: { to: 'inspecting' } }),
      await t.req('POST', `/api/rounds/${(await read(t, campaign.id)).body!.rounds[0]!.id}/results`, { cookie: cadre }),
    ];
    for (const r of refusals) {
      const err = await expectError(r, 403, 'campaign_spans_villages');
      expect(err.message).toContain('2 个村参加');
      expect(err.message).toContain('镇管理员');
      expect(err.message).toContain('岭畔村的村干部在这里只能查看');
    }
    expect(snapshot(t)).toEqual(before);

    // someone who manages none of its villages is refused as before
    const other = await t.signIn(PHONE.huashanCadre);
    const err = await expectError(await t.req('POST', `/api/campaigns/${campaign.id}/transition`, { cookie: other, body: { to: 'closed' } }), 403, 'forbidden');
    expect(err.message).toContain('只有活动所在村的村干部');
  });

  it('its panels: the town admin forms and changes them; a cadre of one of its villages reads them and is told who forms them', async () => {
    const t = makeApp();
    const admin = await t.signIn(PHONE.townAdmin);
    const { campaign } = (await (await create(t, admin, monthly({ title: '2027年磁灶镇美丽庭院月评', villageIds: [VILLAGE.lingpan, VILLAGE.yangwei] }))).json()) as { campaign: CampaignView };
    const members = [
      { phone: '13700000031', role: '镇干部', name: '黄建国' },
      { phone: '13700000032', role: '网格员', name: '施美玲' },
      { phone: '13700000033', role: '村民代表', name: '洪天佑' },
    ];
    const formed = await t.req('POST', `/api/campaigns/${campaign.id}/panels`, { cookie: admin, body: { name: '磁灶镇考评组', members } });
    expect(formed.status).toBe(201);
    const panelId = ((await formed.json()) as { panel: { id: string } }).panel.id;

    // a panel that visits 洋尾村 only: its members' phones are not 岭畔村's cadre's to read
    const yangweiOnly = [
      { phone: '13700000041', role: '村干部', name: '蔡文龙' },
      { phone: '13700000042', role: '村民代表', name: '庄阿水' },
      { phone: '13700000043', role: '村民代表', name: '洪秀英' },
    ];
    expect((await t.req('POST', `/api/campaigns/${campaign.id}/panels`, { cookie: admin, body: { name: '洋尾村小组', villageIds: [VILLAGE.yangwei], members: yangweiOnly } })).status).toBe(201);
    const all = (await (await t.req('GET', `/api/campaigns/${campaign.id}/panels`, { cookie: admin })).json()) as { panels: Array<{ name: string }> };
    expect(all.panels.map((p) => p.name)).toEqual(['磁灶镇考评组', '洋尾村小组']);

    const cadre = await t.signIn(PHONE.lingpanCadre);
    const listed = await t.req('GET', `/api/campaigns/${campaign.id}/panels`, { cookie: cadre });
    expect(listed.status).toBe(200);
    const seen = await listed.text();
    expect((JSON.parse(seen) as { panels: Array<{ name: string }> }).panels.map((p) => p.name)).toEqual(['磁灶镇考评组']);
    expect(seen).not.toContain('13700000041');
    const before = snapshot(t);
    for (const r of [
      await t.req('POST', `/api/campaigns/${campaign.id}/panels`, { cookie: cadre, body: { name: '岭畔村考评组', members } }),
      await t.req('PUT', `/api/panels/${panelId}`, { cookie: cadre, body: { name: '磁灶镇考评组', quorum: 3, members, reason: '调整成员。' } }),
    ]) {
      const err = await expectError(r, 403, 'campaign_spans_villages');
      expect(err.message).toContain('镇管理员组建或修改考评组');
    }
    expect(snapshot(t)).toEqual(before);
    const changed = await t.req('PUT', `/api/panels/${panelId}`, { cookie: admin, body: { name: '磁灶镇考评组', quorum: 3, members: [...members, { phone: '13700000034', role: '村民代表', name: '郑雅琴' }], reason: '下灶村加一名村民代表。' } });
    expect(changed.status).toBe(200);
    expect((await expectError(await t.req('GET', `/api/campaigns/${campaign.id}/panels`, { cookie: await t.signIn(PHONE.huashanCadre) }), 403, 'forbidden')).message).toContain('村干部');
  });
});
