import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { makeJpeg } from '../support/images';
import { capture, expectAccessible, expectNoSidewaysScroll, expectText, settled, YANGWEI, YANGWEI_CADRE } from './journey';
import { peopleOf, startStage } from './support';

/*
 * A town's campaign on phones (DESIGN §1 town admin, §3 Announcement): 磁灶镇's town admin runs
 * one evaluation over 岭畔村 and 洋尾村; two families of each village are scored and the admin
 * announces the result. The public result reads village by village, each line naming its
 * village, and leads back to the home page rather than to one village. 洋尾村's cadre reads it in
 * the console without the admin's buttons, with the objections about 洋尾村's families and the
 * note that the town admin decides them; each family there reads with its 编号, and with its head's
 * name for 洋尾村's own. Villagers are told that 镇里, not 村里, answers and finalises. What waits
 * — the console's 结果 count, the dashboard's 待处理异议 — waits for the town admin, not for the
 * village's cadre. The town dashboard's year chart names its months legibly at 360 px. Set-up goes
 * through the API; what is looked at goes through the browser.
 */

const TOWN = '350582102';
const TOWN_ADMIN = '13900000001';
const LINGPAN = '350582102201';
const TITLE = '2026年磁灶镇冬季最美卫生庭院评比';
const PANEL = [
  { phone: '13700000051', role: '镇干部', name: '黄建国' },
  { phone: '13700000052', role: '网格员', name: '施美玲' },
  { phone: '13700000053', role: '村民代表', name: '洪天佑' },
];
/** The families who enter, by the phone of one of their members, with the total their three sheets give. */
const FAMILIES = [
  { phone: '13900000201', village: '岭畔村', total: 93 },
  { phone: '13900000202', village: '岭畔村', total: 86 },
  { phone: '13900000104', village: '洋尾村', total: 91 },
  { phone: '13900000106', village: '洋尾村', total: 72 },
];

const stage = startStage();

const { signIn, phoneOf, call } = peopleOf(stage);

/** Today in Shanghai, as YYYY-MM-DD, moved by `days`. */
const shanghaiDay = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

/** Points of one sheet adding up to `total` on the default rubric (hygiene 40, beautification 30, openness 15, culture 15). */
function pointsOf(total: number) {
  const hygiene = Math.min(40, Math.round(total * 0.4));
  const beautification = Math.min(30, Math.round(total * 0.3));
  const openness = Math.min(15, Math.floor((total - hygiene - beautification) / 2));
  return { hygiene, beautification, openness, culture: total - hygiene - beautification - openness };
}

/**
 * The town admin's evaluation over 岭畔村 and 洋尾村: each family enters with a photo, the panel's
 * three members score every entry, scoring closes and the admin computes and announces the
 * result. Then a 岭畔村 family objects to 洋尾村's first entry, and another to 岭畔村's.
 */
async function announcedTownResult(): Promise<{ roundId: string; entryOf: Map<string, string> }> {
  const { campaign } = await call<{ campaign: { id: string } }>(TOWN_ADMIN, 'POST', '/api/campaigns', {
    title: TITLE,
    format: 'single',
    villageIds: [LINGPAN, YANGWEI],
    likeThreshold: 0,
    window: { from: shanghaiDay(-1), to: shanghaiDay(20) },
  });
  await call(TOWN_ADMIN, 'POST', `/api/campaigns/${campaign.id}/transition`, { to: 'open' });
  await call(TOWN_ADMIN, 'POST', `/api/campaigns/${campaign.id}/panels`, { name: '磁灶镇考评组', members: PANEL });
  const { rounds } = await call<{ rounds: Array<{ id: string }> }>(null, 'GET', `/api/campaigns/${campaign.id}/rounds`);
  const roundId = rounds[0]!.id;
  const entryOf = new Map<string, string>();
  for (const [i, f] of FAMILIES.entries()) {
    const { entry } = await call<{ entry: { id: string } }>(f.phone, 'POST', `/api/rounds/${roundId}/entries`, {});
    await call(f.phone, 'PATCH', `/api/entries/${entry.id}`, { description: '房前屋后干净整洁，种了三角梅。' });
    const form = new FormData();
    form.append('kind', 'overview');
    form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480, { seed: 80 + i }))], { type: 'image/jpeg' }), 'courtyard.jpg');
    const photo = await fetch(`${stage.app.url}/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: stage.app.url, cookie: await signIn(f.phone) }, body: form });
    expect(photo.status, await photo.clone().text()).toBe(201);
    await call(f.phone, 'POST', `/api/entries/${entry.id}/submit`, {});
    entryOf.set(f.phone, entry.id);
  }
  for (const m of PANEL) {
    for (const f of FAMILIES) {
      const id = entryOf.get(f.phone)!;
      await call(m.phone, 'PUT', `/api/entries/${id}/score-sheets/mine`, { passed: true, points: pointsOf(f.total), comment: '', idempotencyKey: `${m.phone}-${id}` });
    }
  }
  await call(TOWN_ADMIN, 'POST', `/api/rounds/${roundId}/transition`, { to: 'inspecting', reason: '各户已报名，开始实地核实。' });
  await call(TOWN_ADMIN, 'POST', `/api/rounds/${roundId}/transition`, { to: 'scoring_closed', reason: '考评组已全部打分。' });
  await call(TOWN_ADMIN, 'POST', `/api/rounds/${roundId}/results`, {});
  await call(TOWN_ADMIN, 'POST', `/api/rounds/${roundId}/announce`, {});
  const { result } = await call<{ result: { lines: Array<{ householdId: string; entryId: string | null }> } }>(null, 'GET', `/api/rounds/${roundId}/results`);
  const householdOf = (phone: string) => result.lines.find((l) => l.entryId === entryOf.get(phone))!.householdId;
  const object = (phone: string, about: string, text: string) => call(phone, 'POST', `/api/rounds/${roundId}/objections`, { householdId: householdOf(about), text });
  await object('13900000205', '13900000104', '这户院子里的花是评分前一天借来的。');
  await object('13900000206', '13900000201', '岭畔村这户的后院堆满了杂物。');
  return { roundId, entryOf };
}

/** The village each line of a result list names, top to bottom. */
function villagesOfLines(list: Locator): Promise<string[]> {
  return list.locator(':scope > li').evaluateAll((items) => items.map((li) => [...li.querySelectorAll('h3 .number')].map((s) => (s.textContent ?? '').trim()).find((t) => t.endsWith('村')) ?? ''));
}

/** The count at the corner of the console's 结果 tab (0 when it shows none). */
async function resultsBadge(page: Page): Promise<number> {
  const badge = page.getByRole('tab', { name: /^结果/ }).locator('.waiting');
  return (await badge.count()) ? Number(await badge.innerText()) : 0;
}

let town: Awaited<ReturnType<typeof announcedTownResult>>;

describe("a town's campaign", () => {
  it('its public result reads village by village, each line naming its village, and leads back to the home page', async () => {
    town = await announcedTownResult();
    const visitor = await phoneOf(null);
    await visitor.goto(`${stage.app.url}/results/${town.roundId}`);
    await visitor.getByRole('heading', { level: 1 }).waitFor();
    await settled(visitor);
    await visitor.getByText(TITLE, { exact: true }).waitFor();
    // Winners: 岭畔村's two, then 洋尾村's 91 — not 洋尾村's 91 between 岭畔村's 93 and 86.
    const winners = visitor.getByRole('list', { name: /^获评庭院/ });
    expect(await villagesOfLines(winners)).toEqual(['岭畔村', '岭畔村', '洋尾村']);
    expect(await villagesOfLines(visitor.getByRole('list', { name: /^其他参评庭院/ }))).toEqual(['洋尾村']);
    // Ranks count within each village: each village has its first.
    expect((await winners.locator(':scope > li .rank').allInnerTexts()).map((t) => t.trim())).toEqual(['第 1 名', '第 2 名', '第 1 名']);
    // The way back is the home page, which remembers the reader's village, not one of the two.
    const back = visitor.getByRole('link', { name: '← 首页' });
    expect(await back.getAttribute('href')).toBe('/');
    expect(await visitor.getByRole('link', { name: /^← (岭畔村|洋尾村)$/ }).count()).toBe(0);
    await expectAccessible(visitor, "a town campaign's public result");
    await capture(visitor, 'town-result-public-360');
    await back.click();
    await visitor.waitForURL(`${stage.app.url}/`);
    // Once the objection period is over (the answer made to say so), the town finalises it, not the village.
    await visitor.route(`**/api/rounds/${town.roundId}/results`, async (route) => {
      const answer = await route.fetch();
      const body = (await answer.json()) as { result: { objectionsOpen: boolean } };
      body.result.objectionsOpen = false;
      await route.fulfill({ response: answer, json: body });
    });
    await visitor.goto(`${stage.app.url}/results/${town.roundId}`);
    await visitor.getByText('公示期已结束，等待镇里定稿。', { exact: true }).waitFor();
    await visitor.context().close();
  });

  it('a villager objecting picks the family by its village: each village has its own 编号 1 and 第 1 名', async () => {
    const villager = await phoneOf('13900000110');
    await villager.goto(`${stage.app.url}/results/${town.roundId}`);
    await villager.getByRole('link', { name: '对结果有异议？点这里提出' }).click();
    // the town, not the village, checks and answers it
    await villager.getByText('对公示结果有不同意见，可以在公示期内提出。这次评比由磁灶镇统一组织，镇里会逐条核实，写明理由答复。', { exact: true }).waitFor();
    expect(await villager.getByText(/村里会逐条核实/).count()).toBe(0);
    const select = villager.getByLabel('对哪一户的结果有异议');
    const options = (await select.locator('option').allInnerTexts()).map((o) => o.trim()).slice(1);
    expect(options.map((o) => o.split(' · ')[0])).toEqual(['岭畔村', '岭畔村', '洋尾村', '洋尾村']);
    // without the village, 岭畔村's first and 洋尾村's first would read alike
    expect(options.filter((o) => o.endsWith('编号 1（第 1 名）'))).toHaveLength(2);
    await select.selectOption({ label: options.find((o) => o.startsWith('洋尾村 · ') && o.endsWith('（第 1 名）'))! });
    await villager.getByLabel('异议内容').fill('这户门口的柴堆一直没有清理，评分那天临时搬走了。');
    await villager.getByRole('button', { name: '提交异议' }).click();
    await villager.getByText('异议已提交。镇里处理后会通知您，结果也会在这里显示。').waitFor({ timeout: 30_000 });
    // under 我的异议 it names the family with its village
    await expectText(villager.locator('objection-list strong[id^=objection-]'), /^对洋尾村.+家庭院（编号 \d+）的异议$/);
    await expectAccessible(villager, "objecting to a town campaign's result");
    const [mine] = (await call<{ objections: Array<{ householdLabel: string; mine: boolean }> }>('13900000110', 'GET', `/api/rounds/${town.roundId}/objections`)).objections;
    const { result } = await call<{ result: { lines: Array<{ entryId: string | null; householdLabel: string }> } }>(null, 'GET', `/api/rounds/${town.roundId}/results`);
    expect(mine?.householdLabel).toBe(result.lines.find((l) => l.entryId === town.entryOf.get('13900000104'))!.householdLabel);
    await villager.context().close();
  });

  it("洋尾村's cadre reads it in the console, with the objections about 洋尾村's families and who decides them, and no button to press", async () => {
    const cadre = await phoneOf(YANGWEI_CADRE);
    const refused: string[] = [];
    cadre.on('response', (r) => void (r.status() >= 400 && refused.push(`${r.status()} ${r.url()}`)));
    await cadre.goto(`${stage.app.url}/console?village=${YANGWEI}&tab=results&round=${encodeURIComponent(`r:${town.roundId}`)}`);
    await cadre.getByLabel('要处理的评比结果').waitFor();
    await settled(cadre);
    const results = cadre.locator('console-results');
    await results.getByText(/这个活动有 2 个村参加，由磁灶镇的镇管理员/).waitFor();
    // the result, village by village, each line naming its village
    const table = cadre.getByRole('region', { name: '结果明细表（可左右滑动）' });
    const names = await table.locator('tbody th.who .muted').allInnerTexts();
    expect(names.filter((n) => n.endsWith('村'))).toEqual(['岭畔村', '岭畔村', '洋尾村', '洋尾村']);
    // each family with its 编号; 洋尾村's with their heads' names, as on the cadre's household list, 岭畔村's without
    const { result } = await call<{ result: { lines: Array<{ village: { name: string }; entryNumber: number; headName: string }> } }>(TOWN_ADMIN, 'GET', `/api/rounds/${town.roundId}/results`);
    const rows = (await table.locator('tbody th.who').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(rows.map((r) => /编号 \d+/.exec(r)?.[0])).toEqual(result.lines.map((l) => `编号 ${l.entryNumber}`));
    for (const [i, l] of result.lines.entries()) {
      if (l.village.name === '洋尾村') expect(rows[i]).toContain(l.headName);
      else expect(rows[i]).not.toContain(l.headName);
    }

    // the objections about 洋尾村's families, and only those
    const section = cadre.getByRole('region', { name: '本村住户的异议（2 条，待处理 2 条）' });
    await section.waitFor();
    await expectText(section.locator('p.notice').first(), /^异议成立与否由磁灶镇的镇管理员认定并答复。/);
    const cards = section.locator('objection-list li.card');
    expect(await cards.count()).toBe(2);
    // each names the family with its village: 岭畔村 has its own 许家庭院 or 陈家庭院
    for (const heading of await cards.locator('strong[id^=objection-]').allInnerTexts()) expect(heading.trim()).toMatch(/^对洋尾村.+家庭院（编号 \d+）的异议$/);
    // one came from 岭畔村: who filed it is the town admin's to know; a 洋尾村 family filed the
    // other, and the cadre sees who, as on their household list
    await expectText(cards.nth(0), /花是评分前一天借来的/);
    const objectedTo = result.lines.find((l) => l.village.name === '洋尾村' && l.entryNumber === 1)!;
    await expectText(cards.nth(0), new RegExp(`户主：${objectedTo.headName}`));
    await expectText(cards.nth(0), /提出人不是本村登记的住户，需要联系时请找镇管理员。/);
    expect(await cards.nth(0).innerText()).not.toMatch(/13900000205|岭畔村5号/);
    await expectText(cards.nth(1), /柴堆一直没有清理/);
    await expectText(cards.nth(1), /提出人：13900000110（.+家 · 洋尾村\d+号）/);
    expect(await section.innerText()).not.toContain('后院堆满了杂物');
    // reading only: no decision, no announcing, no locking
    for (const name of ['异议成立', '异议不成立', '公示结果', '定稿', '计算结果（草稿）']) expect(await cadre.getByRole('button', { name }).count(), name).toBe(0);
    expect(refused).toEqual([]);
    // the objections are not the cadre's to settle: 结果 counts only what waits in 洋尾村's own campaigns
    const own = await call<{ objections: number; results: number }>(YANGWEI_CADRE, 'GET', `/api/villages/${YANGWEI}/todo`);
    expect(own.objections).toBe(0);
    await expect.poll(() => resultsBadge(cadre)).toBe(own.results);
    await expectAccessible(cadre, "a town campaign's result and objections, read by a village's cadre");
    await expectNoSidewaysScroll(cadre, "a town campaign's result, village cadre");
    await section.scrollIntoViewIfNeeded();
    await capture(cadre, 'town-result-village-cadre-360');

    // the town admin settles the 洋尾村 family's objection; the cadre reads the decision and why
    const { objections } = await call<{ objections: Array<{ id: string; text: string }> }>(TOWN_ADMIN, 'GET', `/api/rounds/${town.roundId}/objections`);
    const firewood = objections.find((o) => o.text.includes('柴堆'))!;
    await call(TOWN_ADMIN, 'POST', `/api/objections/${firewood.id}/decision`, { uphold: false, reason: '洋尾村村干部核实：柴堆在公共巷道，不属于该户。' });
    await cadre.reload();
    const settledCard = cadre.getByRole('region', { name: '本村住户的异议（2 条，待处理 1 条）' }).locator('objection-list li.card').nth(1);
    await expectText(settledCard, /异议不成立/);
    await expectText(settledCard, /处理结果（\d{4}年.+）：洋尾村村干部核实：柴堆在公共巷道，不属于该户。/);
    await cadre.context().close();

    // the town admin, in 洋尾村's console: the same count, and the one objection still open
    const admin = await phoneOf(TOWN_ADMIN);
    await admin.goto(`${stage.app.url}/console?village=${YANGWEI}&tab=results`);
    await admin.getByLabel('要处理的评比结果').waitFor();
    await expect.poll(() => resultsBadge(admin)).toBe(own.results + 1);
    await admin.context().close();
  });

  it("the town dashboard's twelve-month chart names its months without running them together at 360 px", async () => {
    const admin = await phoneOf(TOWN_ADMIN);
    await admin.goto(`${stage.app.url}/town/${TOWN}?from=2025-12&to=2026-11`);
    await admin.getByRole('heading', { level: 1, name: '磁灶镇 全镇看板' }).waitFor();
    await settled(admin);
    const chart = admin.getByRole('img', { name: /^洋尾村每月参评、达标、获评户数柱状图/ });
    await chart.waitFor();
    const svgBox = (await chart.boundingBox())!;
    const labels = await chart.locator('text[text-anchor=middle]').evaluateAll((texts) =>
      texts.map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
    // some months are named (the first is), each within the chart, and no two touch
    expect(labels.length).toBeGreaterThan(1);
    expect(labels[0]!.text).toBe('12月');
    for (const l of labels) {
      expect(l.text).toMatch(/^\d{1,2}月$/);
      expect(l.left, l.text).toBeGreaterThanOrEqual(svgBox.x - 0.5);
      expect(l.right, l.text).toBeLessThanOrEqual(svgBox.x + svgBox.width + 0.5);
    }
    // at least a few pixels apart, so that 10月 and 12月 do not read as one word
    const GAP = 4;
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        const apart = a.right + GAP <= b.left || b.right + GAP <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        expect(apart, `${a.text} [${a.left.toFixed(1)}–${a.right.toFixed(1)}] and ${b.text} [${b.left.toFixed(1)}–${b.right.toFixed(1)}] are less than ${GAP} px apart`).toBe(true);
      }
    }
    // one objection about each village's families is still open: the admin's, in each village's row
    for (const name of ['岭畔村', '洋尾村']) {
      await expectText(admin.locator('section.village').filter({ has: admin.getByRole('heading', { level: 2, name }) }).locator('p.todo'), /待处理异议 1(，|$)/);
    }
    await expectAccessible(admin, 'town dashboard, twelve months');
    await capture(admin, 'town-dashboard-year-360');
    await admin.context().close();
  });
});
