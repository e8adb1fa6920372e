import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeJpeg } from '../support/images';
import { capture, expectAccessible, expectNoSidewaysScroll, expectText, focusedText, settled, YANGWEI, YANGWEI_CADRE } from './journey';
import { peopleOf, phoneContext, screenshot, startApp, startStage } from './support';

/*
 * Results on phones (DESIGN §3 Announcement, Honor plate, Reward; §6): the cadre of 洋尾村
 * computes and announces October, a villager objects with a photo, the cadre dismisses the
 * objection with a reason and finds finalising refused while the period runs; six days later
 * (the demo clock moved ahead, same data) the cadre finalises, issues plates and records
 * October's rewards as paid together, but for one family who was away. The town admin's
 * dashboard shows the village's figures; the plate verification page says 有效 for an issued
 * plate and gives the reason of a revoked one. Every new page passes axe and fits 360 px.
 */

const TOWN = '350582102';
const TOWN_ADMIN = '13900000001';
const LINGPAN = '350582102201';
const LINGPAN_CADRE = '13900000003';
const VILLAGER = '13900000101';

const stage = startStage();

// ---------- the API, for looking things up ----------

const { signIn, phoneOf, call } = peopleOf(stage);

interface CampaignBrief {
  id: string;
  title: string;
  format: string;
  startsAt: string;
}
interface RoundBrief {
  id: string;
  period: string;
  status: string;
}

async function campaignsOf(village: string, cadre: string): Promise<CampaignBrief[]> {
  return (await call<{ campaigns: CampaignBrief[] }>(cadre, 'GET', `/api/campaigns?village=${village}`)).campaigns;
}

async function roundsOf(campaignId: string): Promise<RoundBrief[]> {
  return (await call<{ rounds: RoundBrief[] }>(null, 'GET', `/api/campaigns/${campaignId}/rounds`)).rounds;
}

/** The demo's running 洋尾村 monthly campaign (2026 H2) and its October round. */
async function october(): Promise<{ campaignId: string; roundId: string }> {
  const list = await campaignsOf(YANGWEI, YANGWEI_CADRE);
  for (const c of list.filter((x) => x.format === 'monthly')) {
    const r = (await roundsOf(c.id)).find((x) => x.period === '2026-10');
    if (r) return { campaignId: c.id, roundId: r.id };
  }
  throw new Error(`no 2026-10 round among ${JSON.stringify(list)}`);
}

/** The finished 2026 H1 campaign of 洋尾村 (final half-year stars, plates issued, one revoked). */
async function firstHalf(): Promise<string> {
  const list = await campaignsOf(YANGWEI, YANGWEI_CADRE);
  for (const c of list.filter((x) => x.format === 'monthly')) {
    if ((await roundsOf(c.id)).some((r) => r.period === '2026-03')) return c.id;
  }
  throw new Error(`no 2026 H1 campaign among ${JSON.stringify(list)}`);
}

/** 岭畔村's single evaluation: three households enter, three panel members score them, scoring closes. */
async function scoreLingpan(): Promise<{ campaignId: string; roundId: string; title: string }> {
  const campaign = (await campaignsOf(LINGPAN, LINGPAN_CADRE)).find((c) => c.format === 'single')!;
  const roundId = (await roundsOf(campaign.id))[0]!.id;
  // totals 93 (★★★★), 86 (★★★) and 72 (no star)
  const points = [
    { hygiene: 38, beautification: 28, openness: 14, culture: 13 },
    { hygiene: 35, beautification: 26, openness: 13, culture: 12 },
    { hygiene: 30, beautification: 22, openness: 10, culture: 10 },
  ];
  const entryIds: string[] = [];
  for (const [i, phone] of ['13900000201', '13900000202', '13900000203'].entries()) {
    const { entry } = await call<{ entry: { id: string } }>(phone, 'POST', `/api/rounds/${roundId}/entries`, {});
    await call(phone, 'PATCH', `/api/entries/${entry.id}`, { description: '房前屋后干净整洁，种了三角梅。' });
    const form = new FormData();
    form.append('kind', 'overview');
    form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480, { seed: 60 + i }))], { type: 'image/jpeg' }), 'courtyard.jpg');
    const photo = await fetch(`${stage.app.url}/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: stage.app.url, cookie: await signIn(phone) }, body: form });
    expect(photo.status, await photo.clone().text()).toBe(201);
    await call(phone, 'POST', `/api/entries/${entry.id}/submit`, {});
    entryIds.push(entry.id);
  }
  for (const member of ['13900000021', '13900000022', '13900000023']) {
    for (const [i, id] of entryIds.entries()) {
      await call(member, 'PUT', `/api/entries/${id}/score-sheets/mine`, { passed: true, points: points[i], comment: '', idempotencyKey: `${member}-${id}` });
    }
  }
  await call(LINGPAN_CADRE, 'POST', `/api/rounds/${roundId}/transition`, { to: 'inspecting' });
  await call(LINGPAN_CADRE, 'POST', `/api/rounds/${roundId}/transition`, { to: 'scoring_closed' });
  return { campaignId: campaign.id, roundId, title: campaign.title };
}

/** Move the server's clock ahead: stop it and start it again on the same data and port. */
async function daysLater(days: number): Promise<void> {
  await stage.app.stop();
  stage.app = await startApp({ dataDir: stage.app.dataDir, port: stage.app.port, env: { CLOCK_OFFSET_DAYS: String(days) } });
}

/** The console's results tab on the chosen round. */
async function openResultsTab(page: Page, village: string, pick: string): Promise<void> {
  await page.goto(`${stage.app.url}/console?village=${village}&tab=results&round=${encodeURIComponent(pick)}`);
  await page.getByLabel('要处理的评比结果').waitFor();
  await settled(page);
}

/** Every text of the page, shadow roots included. */
function deepText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const walk = (root: Document | ShadowRoot): string =>
      [...root.querySelectorAll('*')].map((el) => (el.shadowRoot ? walk(el.shadowRoot) : [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))).join(' ');
    return walk(document);
  });
}

async function alertText(page: Page): Promise<string> {
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await alert.first().waitFor();
  return alert.first().innerText();
}

let round: { campaignId: string; roundId: string };
let lingpanSingle: Awaited<ReturnType<typeof scoreLingpan>>;
let cadre: Page;
let villager: Page;

describe('results, objections, plates and rewards', () => {
  it('the cadre computes October, reads every figure and announces it', async () => {
    round = await october();
    cadre = await phoneOf(YANGWEI_CADRE);
    // A round not yet computed is known from the campaign's result list: nothing is asked for that is not there.
    const refused: string[] = [];
    cadre.on('response', (r) => void (r.status() >= 400 && refused.push(`${r.status()} ${r.url()}`)));
    await openResultsTab(cadre, YANGWEI, `r:${round.roundId}`);
    expect(await cadre.getByRole('tab', { name: '结果' }).getAttribute('aria-selected')).toBe('true');
    // October, scored and closed, is what waits under 结果
    await expectText(cadre.getByRole('tab', { name: '结果' }), /^结果\s*1\s*项待处理$/);

    await cadre.getByRole('button', { name: '计算结果（草稿）' }).click();
    await cadre.getByText(/^已计算：\d+ 户获评。/).waitFor();
    await cadre.getByText('草稿', { exact: true }).first().waitFor();
    expect(refused).toEqual([]);
    const table = cadre.getByRole('region', { name: '结果明细表（可左右滑动）' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(8);
    // the table is wider than the phone, and the page says so above it
    expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await cadre.getByText(/^表格较宽，手指按住表格左右滑动/).waitFor();
    // swiped to the right, the household column stays in view
    await table.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    const whose = table.locator('tbody th.who').first();
    await expect.poll(async () => Math.round((await whose.boundingBox())!.x - (await table.boundingBox())!.x)).toBeLessThanOrEqual(1);
    expect((await whose.boundingBox())!.x).toBeGreaterThanOrEqual((await table.boundingBox())!.x - 1);
    await table.evaluate((el) => (el.scrollLeft = 0));
    // every line explains its figure; cadres see the head's full name
    const reasons = await table.locator('tbody td.reason').allInnerTexts();
    expect(reasons.every((r) => r.trim().length > 0)).toBe(true);
    expect(await table.locator('tbody th .muted').count()).toBeGreaterThanOrEqual(8);
    await expectAccessible(cadre, 'console results, draft');
    await capture(cadre, 'console-results-draft-360');

    expect(await cadre.getByLabel('公示天数').inputValue()).toBe('5');
    // announcing tells every household and cannot be taken back: it asks once more, and can be called off
    await cadre.getByRole('button', { name: '公示结果' }).click();
    await cadre.getByText(/^确定公示吗？公示 5 天，到 2026年\d+月\d+日 23:59。$/).waitFor();
    await cadre.getByText(/参评的每一户都会收到通知，不能撤回/).waitFor();
    await expectAccessible(cadre, 'console results, confirming the announcement');
    await cadre.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => focusedText(cadre)).toBe('公示结果');
    expect((await call<{ result: { status: string } | null }>(YANGWEI_CADRE, 'GET', `/api/rounds/${round.roundId}/results`)).result?.status).toBe('draft');
    await cadre.getByRole('button', { name: '公示结果' }).click();
    await cadre.getByRole('button', { name: '确定公示' }).click();
    await cadre.getByText(/^已公示，公示期到/).waitFor();
    // nothing waits under 结果 now, until the objection period is over
    await expectText(cadre.getByRole('tab', { name: '结果' }), /^结果$/);
    await cadre.getByText('公示中', { exact: true }).first().waitFor();
    await cadre.getByRole('heading', { name: /^异议（0 条，待处理 0 条）$/ }).waitFor();
  });

  it('a villager reads the public results and files an objection with a photo', async () => {
    villager = await phoneOf(VILLAGER);
    // the village's winners wall shows October at once, saying it may still change
    await villager.goto(`${stage.app.url}/villages/${YANGWEI}`);
    await villager.getByRole('heading', { name: '光荣榜 · 2026年10月' }).waitFor();
    await villager.getByText('2026年10月的结果还在公示期，有人提出异议并成立的话，名单还可能变动。').waitFor();
    // each family by name alone: October's 编号 is not this month's, and no two winners share a name
    expect(await villager.locator('village-honors .wall li').count()).toBeGreaterThan(0);
    expect(await villager.locator('village-honors .wall .number').count()).toBe(0);
    await villager.goto(`${stage.app.url}/results/${round.roundId}`);
    await villager.getByRole('heading', { level: 1, name: '2026年10月 评比结果' }).waitFor();
    await expectText(villager.getByRole('status').filter({ hasText: '公示中' }), /公示中.*前，对结果有不同意见可以提出异议/);
    await villager.getByRole('heading', { name: /^获评庭院/ }).waitFor();
    // the public never sees a full name or a door number
    const text = await deepText(villager);
    expect(text).toContain('洋尾村');
    expect(text).not.toMatch(/\d+号/);
    // the marks of a winner, by anonymised member
    await villager.getByText(/^评分明细（\d+ 份评分表）$/).first().click();
    await expectText(villager.locator('details[open] li'), /^评委 A（.+）：\s*核实(未)?通过；/);
    const notice = await villager.getByRole('link', { name: '公示通知（A4，可打印）' }).getAttribute('href');
    expect(notice).toBe(`/api/rounds/${round.roundId}/results/notice.pdf`);
    const pdf = await fetch(`${stage.app.url}${notice}`);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    await expectAccessible(villager, 'public results');
    await capture(villager, 'results-announced-360');

    // the form is far below the lines; the banner's link takes the villager there
    await villager.getByText(/公示中：\d{4}年/).waitFor();
    await villager.getByRole('link', { name: '对结果有异议？点这里提出' }).click();
    await expect.poll(() => focusedText(villager)).toBe('提出异议');
    // a refused objection shows the form's own words first
    await villager.getByRole('button', { name: '提交异议' }).click();
    await villager.getByText('请选择是对哪一户有异议。').waitFor();
    const select = villager.getByLabel('对哪一户的结果有异议');
    const first = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(first!);
    await villager.getByLabel('异议内容').fill('这户门口的柴堆一直没有清理，照片是上周拍的。');
    // photos are taken or chosen with the same two large buttons as an entry's, and add up
    const photos = villager.getByRole('group', { name: '照片（选填）' });
    await photos.getByRole('button', { name: '拍照' }).waitFor();
    await photos.getByRole('button', { name: '从相册选择' }).waitFor();
    const album = villager.locator('objection-form input[type=file][multiple]');
    await album.setInputFiles({ name: 'wrong.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(1200, 900, { seed: 76 }) });
    await villager.getByText('已选 1 张照片').waitFor();
    await villager.getByRole('button', { name: '不要这些照片' }).click();
    expect(await villager.getByText(/^已选 \d 张照片/).count()).toBe(0);
    await album.setInputFiles({ name: 'objection.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(1200, 900, { seed: 77 }) });
    await villager.getByText('已选 1 张照片').waitFor();
    // the photo chosen is shown small, so that the villager sees it is the right one
    const preview = villager.getByRole('img', { name: '已选的第 1 张照片' });
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await villager.getByRole('button', { name: '提交异议' }).click();
    const filed = villager.getByText('异议已提交。村里处理后会通知您，结果也会在这里显示。');
    await filed.waitFor({ timeout: 30_000 });
    // It stands at the head of the form, out of view on a phone: it is brought into view and focused.
    await expect.poll(() => filed.evaluate((p) => (p.getRootNode() as ShadowRoot).activeElement === p)).toBe(true);
    await expect.poll(() => filed.evaluate((p) => { const r = p.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })).toBe(true);
    const mine = villager.getByRole('heading', { name: '我的异议' });
    await mine.waitFor();
    await villager.getByText('待处理', { exact: true }).waitFor();
    expect(await villager.getByRole('img', { name: '异议照片 1' }).count()).toBe(1);
    await expectAccessible(villager, 'public results with my objection');
    await capture(villager, 'results-objection-360');
  });

  it('the cadre dismisses the objection with a reason; 定稿 waits for the end of the period', async () => {
    await openResultsTab(cadre, YANGWEI, `r:${round.roundId}`);
    await cadre.getByRole('heading', { name: '异议（1 条，待处理 1 条）' }).waitFor();
    await cadre.getByText(/^提出人：/).waitFor(); // the cadre sees the masked phone
    // each decision says what it does before it is made
    await cadre.getByRole('button', { name: '异议成立' }).click();
    const upholding = cadre.getByRole('dialog', { name: '异议成立' });
    await expectText(upholding, /认定成立后，.+家庭院（编号 \d+，.+）会从这次结果中取消，其他各户重新计算名次，不能撤回。/);
    await upholding.getByRole('button', { name: '取消' }).click();
    await upholding.waitFor({ state: 'hidden' });
    await cadre.getByRole('button', { name: '异议不成立' }).click();
    const dialog = cadre.getByRole('dialog', { name: '异议不成立' });
    await dialog.waitFor();
    // the family with its 编号 and head, as the card names it: a village may have two 陈家庭院
    await expectText(dialog, /认定不成立，.+家庭院（编号 \d+，.+）的结果不变。/);
    await expectAccessible(cadre, 'objection decision dialog');
    await dialog.getByLabel('处理理由').fill('村里核实：柴堆在公共巷道，不属于该户庭院。');
    await dialog.getByRole('button', { name: '确定' }).click();
    await cadre.getByText(/的异议已认定不成立。$/).waitFor();
    await cadre.getByRole('heading', { name: '异议（1 条，待处理 0 条）' }).waitFor();

    // while the period runs there is nothing to press: the page says until when
    await cadre.getByText(/^公示期到 \d{4}年\d{1,2}月\d{1,2}日结束，期满后才能定稿。$/).waitFor();
    await cadre.getByText('到那时，这里会出现“定稿”按钮。').waitFor();
    expect(await cadre.getByRole('button', { name: '定稿' }).count()).toBe(0);
    await cadre.getByText('公示中', { exact: true }).first().waitFor();
    await capture(cadre, 'console-results-objections-360');

    // the villager is told, on the results page and in my household
    await villager.goto(`${stage.app.url}/me`);
    await villager.getByRole('heading', { name: '我家的评比结果' }).waitFor();
    await villager.getByText('异议不成立', { exact: true }).waitFor();
    await villager.locator('objection-list').getByText(/处理结果.*柴堆在公共巷道/).waitFor();
    // what the household earned, and whether the village has handed it over
    const resultCard = (month: string) => villager.locator('my-results li.card').filter({ has: villager.getByRole('link', { name: new RegExp(`^${month} ·`) }) });
    const september = resultCard('2026年9月');
    await expectText(september.locator('p.reward'), /^奖励：100\.00 元\s*待发放$/);
    const august = resultCard('2026年8月');
    await expectText(august.locator('p.reward'), /^奖励：100\.00 元\s*2026年9月22日已发放$/);
    await expectAccessible(villager, 'my household with results');
    await capture(villager, 'me-results-360');
  });

  it("six days later the cadre finalises October, issues plates and records October's rewards as paid together", async () => {
    // 岭畔村's single evaluation is scored and announced now, so that it too can be final after the period
    lingpanSingle = await scoreLingpan();
    const lingpanCampaign = { id: lingpanSingle.campaignId };
    const lingpanRound = { id: lingpanSingle.roundId };
    await call(LINGPAN_CADRE, 'POST', `/api/rounds/${lingpanRound.id}/results`, {});
    await call(LINGPAN_CADRE, 'POST', `/api/rounds/${lingpanRound.id}/announce`, {});

    // The cadre's page stays open on October across the end of the period: 定稿 comes by itself.
    await cadre.clock.install({ time: Date.now() });
    await openResultsTab(cadre, YANGWEI, `r:${round.roundId}`);
    await cadre.getByText('到那时，这里会出现“定稿”按钮。').waitFor();
    await daysLater(6);
    // the phones' clocks go along, so that the pages agree the period is over
    const later = Date.now() + 6 * 86_400_000;
    await cadre.clock.fastForward(6 * 86_400_000);
    await cadre.getByText('公示期已结束', { exact: true }).waitFor();
    await cadre.getByRole('button', { name: '定稿' }).click();
    // Locking cannot be undone: asked first, saying what follows (rewards; no plates for a month here).
    await cadre.getByText('确定定稿吗？').waitFor();
    await cadre.getByText(/获评户的奖励进入发放登记/).waitFor();
    expect(await cadre.getByText('之后就可以发放荣誉门牌。').count()).toBe(0);
    await cadre.getByRole('button', { name: '确定定稿' }).click();
    await cadre.getByText('已定稿，结果锁定。', { exact: true }).waitFor();
    await cadre.getByRole('heading', { name: '荣誉门牌' }).waitFor();
    await cadre.getByText('本活动的月度评比不发门牌，门牌按半年星级发放。').waitFor();
    await settled(cadre);
    await expectAccessible(cadre, 'console results, final');
    await capture(cadre, 'console-results-final-360');

    // October's 操作记录: who computed it, announced it, objected (with a photo), settled the objection and finalised it, in words
    const trail = cadre.locator('console-results audit-trail');
    await trail.getByText('操作记录：计算、公示、异议、定稿', { exact: true }).click();
    const cadreDid = `村干部（${YANGWEI_CADRE}）`;
    await expectText(
      trail.locator('ol'),
      new RegExp(
        [
          `${cadreDid}\\s*计算结果（第 1 版）：\\d+ 户参评，\\d+ 户获评`,
          // announcing computes the lines afresh, and says so
          `${cadreDid}\\s*公示时计算（第 2 版）：\\d+ 户参评，\\d+ 户获评`,
          `${cadreDid}\\s*公示（异议期至 2026年\\d+月\\d+日 23:59）`,
          `村民（${VILLAGER}）\\s*对.+家庭院（.+）的结果提出异议`,
          `村民（${VILLAGER}）\\s*为关于.+家庭院（.+）的异议补充照片`,
          `${cadreDid}\\s*关于.+家庭院（.+）的异议不成立：村里核实：柴堆在公共巷道，不属于该户庭院。`,
          `${cadreDid}\\s*定稿（录入奖励 \\d+ 项）`,
        ].join('[\\s\\S]*'),
      ),
    );
    expect(await trail.locator('li').count()).toBe(7);
    await trail.locator('li').last().scrollIntoViewIfNeeded();
    await expectAccessible(cadre, 'console results, audit log');
    await capture(cadre, 'console-results-audit-360');

    // plates come from star results: 岭畔村's single evaluation, by score band
    const lingpan = await phoneOf(LINGPAN_CADRE);
    await lingpan.clock.setFixedTime(later);
    await call(LINGPAN_CADRE, 'POST', `/api/rounds/${lingpanRound.id}/finalize`, {});
    await openResultsTab(lingpan, LINGPAN, `r:${lingpanRound.id}`);
    await lingpan.getByRole('button', { name: '发放门牌（2 户）' }).click();
    await lingpan.getByText(/^已发放 \d+ 块门牌。$/).waitFor({ timeout: 30_000 });
    const issued = Number(/已发放 (\d+) 块/.exec(await lingpan.getByText(/^已发放 \d+ 块门牌。$/).innerText())![1]);
    expect(issued).toBe(2);
    await lingpan.getByRole('heading', { name: `已发放的门牌（${issued} 块）` }).waitFor();
    expect(await lingpan.getByRole('img', { name: /^荣誉门牌：/ }).count()).toBe(issued);
    const csv = lingpan.getByRole('link', { name: '导出名单（CSV）' });
    expect(await csv.getAttribute('href')).toBe(`/api/campaigns/${lingpanCampaign.id}/plates/export.csv?roundId=${encodeURIComponent(lingpanRound.id)}`);
    // once every winner has a plate there is nothing left to press
    await lingpan.getByText('获评住户的门牌都已发放。').waitFor();
    expect(await lingpan.getByRole('button', { name: /^发放门牌/ }).count()).toBe(0);
    await expectAccessible(lingpan, 'console plates');
    await capture(lingpan, 'console-plates-360');

    // revoking one, with a reason
    await lingpan.getByRole('button', { name: '撤销门牌' }).first().click();
    const dialog = lingpan.getByRole('dialog', { name: '撤销门牌' });
    await dialog.getByLabel('撤销原因').fill('门牌上户主的名字写错了，要重新制作。');
    await dialog.getByRole('button', { name: '确定' }).click();
    await lingpan.getByText(/^门牌 .+ 已撤销。$/).waitFor();
    await lingpan.getByText('门牌上户主的名字写错了，要重新制作。').first().waitFor();
    // a plate revoked by mistake is replaced by a new one, with a new serial; the old one stays revoked
    await lingpan.getByText('其余获评住户的门牌都已发放；另有 1 户的门牌已撤销，如果是门牌信息有误，可以在下面已撤销的门牌处为它重新发放。').waitFor();
    const revoked = lingpan.getByRole('listitem').filter({ hasText: '门牌上户主的名字写错了，要重新制作。' });
    await revoked.getByRole('button', { name: '重新发放一块' }).click();
    // it asks first, with the reason the plate was revoked
    await expectText(revoked.locator('.notice.warning'), /确定为.+重新发放一块门牌吗？[\s\S]*门牌上户主的名字写错了，要重新制作。新门牌用新编号[\s\S]*重新发放只用于门牌信息有误/);
    await revoked.getByRole('button', { name: '确定重新发放' }).click();
    await revoked.getByText(/^已为.+重新发放门牌，新编号 .+（在列表最后）。$/).waitFor();
    await lingpan.getByRole('heading', { name: `已发放的门牌（${issued + 1} 块）` }).waitFor();
    expect(await lingpan.getByRole('button', { name: '重新发放一块' }).count()).toBe(0);
    // whoever scans the revoked plate still on a door is led to the new one
    const newSerial = /新编号 (\S+)（/.exec(await revoked.getByText(/^已为.+重新发放门牌/).innerText())![1]!;
    // each plate's 操作记录: who issued it, who revoked it and why
    const plateTrail = revoked.locator('audit-trail');
    await plateTrail.getByText('操作记录', { exact: true }).click();
    await expectText(plateTrail.locator('ol'), new RegExp(`（${LINGPAN_CADRE}）\\s*颁发门牌：.+[\\s\\S]*（${LINGPAN_CADRE}）\\s*撤销门牌：门牌上户主的名字写错了，要重新制作。`));
    await expectAccessible(lingpan, 'a plate with its audit log');
    await plateTrail.getByText('操作记录', { exact: true }).click();
    await revoked.getByRole('link', { name: '验证页' }).click();
    await lingpan.getByText('已撤销', { exact: true }).waitFor();
    await lingpan.getByRole('link', { name: newSerial }).click();
    await lingpan.waitForURL(`**/plates/${newSerial}`);
    await lingpan.getByText('有效', { exact: true }).waitFor();

    // the reward ledger: October's winners are paid together, but for one family who was away
    await cadre.goto(`${stage.app.url}/console?village=${YANGWEI}&tab=rewards`);
    await cadre.getByRole('heading', { name: '奖励发放' }).waitFor();
    await settled(cadre);
    const payOpen = cadre.getByRole('button', { name: '登记发放' });
    // the tab counts what is still to pay: September's winners and October's
    const waiting = () => cadre.getByRole('tab', { name: /^奖励/ }).locator('.waiting').innerText();
    const before = Number(await waiting());
    await payOpen.click();
    expect(await alertText(cadre)).toBe('请先勾选已经发放的奖励。');
    // Pending rewards come in batches, newest first and open; the older ones fold away.
    const october = cadre.locator('details.batch').first();
    expect(await october.locator('summary').innerText()).toMatch(/^2026年10月.*\n?(\d+) 笔 · [\d.]+ 元$/);
    expect(await october.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    const batchSize = Number(/(\d+) 笔/.exec(await october.locator('summary').innerText())![1]);
    // the batch prints as the sheet the households sign on receipt
    const sheet = await october.getByRole('link', { name: '打印签收表（PDF）' }).getAttribute('href');
    expect(sheet).toMatch(new RegExp(`^/api/rewards/receipts\\.pdf\\?village=${YANGWEI}&batch=`));
    const pdf = await cadre.request.get(`${stage.app.url}${sheet}`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect(batchSize).toBeGreaterThan(1);
    await october.getByRole('checkbox', { name: `全选这 ${batchSize} 笔` }).check();
    await cadre.getByText(new RegExp(`^已选 ${batchSize} 笔，共 [\\d.]+ 元$`)).waitFor();
    // Each household's box is named by the family and its door number.
    const away = october.getByRole('checkbox', { name: /^\S+ 洋尾村\d+号/ }).last();
    const awayName = await away.evaluate((i) => {
      const what = i.closest('label')!.querySelector('.what')!.cloneNode(true) as HTMLElement;
      what.querySelector('.sub')!.remove();
      return what.textContent!.trim();
    });
    await away.uncheck();
    await cadre.getByText(new RegExp(`^已选 ${batchSize - 1} 笔，`)).waitFor();
    await payOpen.click();
    // Cancelling puts the focus back on the button, not at the top of the page.
    await cadre.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => payOpen.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
    await payOpen.click();
    // Whoever paid last time (the demo's village accountant) is filled in; this time the cadre paid.
    expect(await cadre.getByLabel('发放人').inputValue()).toBe('林秀琴');
    await cadre.getByLabel('发放人').fill('陈丽珍');
    await cadre.getByLabel('备注（选填）').fill('村民大会上现金发放，户主签收');
    // Meanwhile another phone records one of these families as paid: the payment is refused
    // whole, naming that family; the ledger reloads and the form keeps the others.
    const ledger = (await (await cadre.request.get(`${stage.app.url}/api/rewards?village=${YANGWEI}`)).json()) as {
      rewards: Array<{ id: string; status: string; batch: { title: string }; household: { headName: string } }>;
    };
    const first = ledger.rewards.find((r) => r.status === 'pending' && r.batch.title.startsWith('2026年10月') && r.household.headName !== awayName)!;
    const elsewhere = await cadre.request.post(`${stage.app.url}/api/rewards/${first.id}/paid`, {
      headers: { origin: stage.app.url },
      data: { paidOn: await cadre.getByLabel('发放日期').inputValue(), payer: '林秀琴' },
    });
    expect(elsewhere.status()).toBe(200);
    await cadre.getByText(/登记后每户都会收到通知，不能撤销。/).waitFor();
    await cadre.getByRole('button', { name: `确认这 ${batchSize - 1} 笔已发放` }).click();
    expect(await alertText(cadre)).toContain(`这些奖励已经登记过发放，不能重复登记：${first.household.headName}（`);
    await cadre.getByRole('button', { name: `确认这 ${batchSize - 2} 笔已发放` }).click();
    const done = cadre.getByText(new RegExp(`^已登记 ${batchSize - 2} 笔奖励已发放，共 [\\d.]+ 元：.+。$`));
    await done.waitFor();
    expect(await done.innerText()).not.toContain(awayName);
    await expect.poll(waiting).toBe(String(before - (batchSize - 1)));
    await cadre.getByRole('tab', { name: new RegExp(`^奖励\\s*${before - (batchSize - 1)}\\s*项待处理$`) }).waitFor();
    // The form is gone: the focus is on the sentence saying it was recorded.
    await expect.poll(() => done.evaluate((p) => (p.getRootNode() as ShadowRoot).activeElement === p)).toBe(true);
    // The family who was away is still to be paid, alone in October's batch.
    expect(await october.locator('summary').innerText()).toMatch(/^2026年10月.*\n?1 笔 · [\d.]+ 元$/);
    await october.getByText(awayName).waitFor();
    // What has been paid folds away behind its count.
    await cadre.getByText(/^已发放（\d+ 笔）$/).click();
    // by the result each came from, October's just paid first
    await cadre.getByRole('heading', { level: 4, name: /^2026年10月.*（\d+ 笔）$/ }).first().waitFor();
    await cadre.getByText(/由 陈丽珍 发放/).first().waitFor();
    await cadre.getByText('备注：村民大会上现金发放，户主签收').first().waitFor();
    // A batch recorded paid can still print its sign-for sheet (a lost sheet, the accounts at year end).
    const paidSheets = cadre.locator('details.fold').getByRole('link', { name: '打印签收表（PDF）' });
    expect(await paidSheets.count()).toBeGreaterThan(0);
    const again = await cadre.request.get(`${stage.app.url}${await paidSheets.first().getAttribute('href')}`);
    expect([again.status(), again.headers()['content-type']]).toEqual([200, 'application/pdf']);
    // Next time, the one who paid this time is filled in.
    await away.check();
    await payOpen.click();
    expect(await cadre.getByLabel('发放人').inputValue()).toBe('陈丽珍');
    await cadre.getByRole('button', { name: '取消' }).click();
    await expectAccessible(cadre, 'console rewards');
    await capture(cadre, 'console-rewards-360');
  });

  it("岭畔村's single evaluation is named by its title, not by a period made up from its first day", async () => {
    const family = await phoneOf('13900000201');
    await family.goto(`${stage.app.url}/results/${lingpanSingle.roundId}`);
    // the title stands under the heading: the heading needs no name of its own
    await family.getByRole('heading', { level: 1, name: '评比结果', exact: true }).waitFor();
    await family.locator('results-page .sub').getByText(lingpanSingle.title, { exact: true }).waitFor();
    await family.getByRole('heading', { name: /^获评庭院/ }).waitFor();
    expect(await deepText(family)).not.toContain('起）');
    await expectAccessible(family, 'single evaluation results');
    await capture(family, 'results-single-360');
    // the village's honours wall, and the family's own results, by its title once
    await family.goto(`${stage.app.url}/villages/${LINGPAN}`);
    await family.getByRole('heading', { name: `光荣榜 · ${lingpanSingle.title}` }).waitFor();
    await family.getByRole('link', { name: '评比结果', exact: true }).waitFor();
    expect(await deepText(family)).not.toContain('起）');
    await family.goto(`${stage.app.url}/me`);
    await family.getByRole('link', { name: lingpanSingle.title, exact: true }).first().waitFor();
    expect(await deepText(family)).not.toContain('起）');
    await expectNoSidewaysScroll(family, 'my results, single evaluation');
    await family.context().close();
  });

  it("the town admin's dashboard shows the village's figures month by month", async () => {
    // A newcomer registers in a village with no entries: it is listed, with that registration waiting.
    const { villages } = await call<{ villages: Array<{ id: string; name: string }> }>(null, 'GET', `/api/places/villages?town=${TOWN}`);
    const quiet = villages.find((v) => v.id !== YANGWEI && v.id !== LINGPAN)!;
    await call('13912340001', 'POST', '/api/households', { villageId: quiet.id, headName: '郑美华', doorNumber: `${quiet.name}1号` });
    const admin = await phoneOf(TOWN_ADMIN);
    // The admin's phone thinks it is early 2025: the dashboard still opens on the server's half-year.
    await admin.context().clock.setFixedTime(new Date('2025-01-10T09:00:00+08:00'));
    await admin.goto(`${stage.app.url}/`);
    await admin.getByRole('navigation').getByRole('link', { name: '全镇看板' }).click();
    await admin.waitForURL(`**/town/${TOWN}`);
    await admin.getByRole('heading', { level: 1, name: '磁灶镇 全镇看板' }).waitFor();
    await settled(admin);
    const expected = await call<{
      villages: Array<{ id: string; households: number; overRange: { entered: number; qualified: number; awarded: number }; months: Array<{ month: string; entries: number; qualified: number; awarded: number; meanScore: string | null }> }>;
    }>(
      TOWN_ADMIN,
      'GET',
      `/api/towns/${TOWN}/dashboard?from=2026-07&to=2026-12`,
    );
    const oct = expected.villages.find((v) => v.id === YANGWEI)!.months.find((m) => m.month === '2026-10')!;
    expect(oct.entries).toBeGreaterThan(0);
    const section = admin.getByRole('region', { name: '洋尾村每月数字' });
    const row = section.getByRole('row', { name: /^10月/ });
    expect((await row.locator('td').allInnerTexts()).map((t) => t.trim())).toEqual([String(oct.entries), String(oct.qualified), String(oct.awarded), oct.meanScore ?? '—']);
    // The totals count each family once: 洋尾村's eight families entered month after month.
    const yw = expected.villages.find((v) => v.id === YANGWEI)!;
    expect(yw.overRange.entered).toBeLessThan(yw.months.reduce((n, m) => n + m.entries, 0));
    const totals = admin.getByRole('region', { name: '各村合计' }).getByRole('row', { name: /^洋尾村/ });
    expect((await totals.locator('td').allInnerTexts()).map((t) => t.trim())).toEqual([yw.households, yw.overRange.entered, yw.overRange.qualified, yw.overRange.awarded].map(String));
    await admin.getByRole('img', { name: /^洋尾村每月参评、达标、获评户数柱状图/ }).waitFor();
    expect(await admin.getByRole('link', { name: '导出表格（CSV）' }).getAttribute('href')).toBe(`/api/towns/${TOWN}/dashboard.csv?from=2026-07&to=2026-12`);
    await expectAccessible(admin, 'town dashboard');
    await capture(admin, 'town-dashboard-360');
    // from the village's figures straight to its console
    await expectText(admin.locator('section.village').filter({ has: admin.getByRole('heading', { level: 2, name: quiet.name }) }).locator('p.todo'), /^待处理：待确认登记 1$/);
    // what waits for the village's cadre: one family's October reward, and September's
    const yangwei = admin.locator('section.village').filter({ has: admin.getByRole('heading', { level: 2, name: '洋尾村' }) });
    await expectText(yangwei.locator('p.todo'), /^待处理：(.+，)?待发奖励 \d+$/);
    await admin.getByRole('link', { name: '进入洋尾村的管理后台' }).click();
    await admin.waitForURL(`**/console?village=${YANGWEI}`);
    await admin.getByRole('heading', { level: 1, name: '管理后台' }).waitFor();
    expect(await admin.locator('#village').inputValue()).toBe(YANGWEI);

    // The console before a village is chosen lists where something waits, each to the tab where it waits.
    await admin.goto(`${stage.app.url}/console`);
    const waiting = admin.getByRole('region', { name: '有待处理事项的村' });
    await waiting.waitFor();
    const quietItem = waiting.getByRole('listitem').filter({ has: admin.getByRole('link', { name: quiet.name, exact: true }) });
    await expectText(quietItem, new RegExp(`^${quiet.name}\\s*待确认登记 1$`));
    await expectText(waiting.getByRole('listitem').filter({ has: admin.getByRole('link', { name: '洋尾村', exact: true }) }), /待发奖励 \d+$/);
    await expectAccessible(admin, 'console, no village chosen');
    await capture(admin, 'console-town-admin-360');
    await quietItem.getByRole('link').click();
    await admin.waitForURL(`**/console?village=${quiet.id}`);
    await admin.getByText('郑美华').first().waitFor();

    // at an office screen the console takes the room its tables need; the public pages keep a reading column
    const mainWidth = () => admin.evaluate(() => document.querySelector('courtyard-app')!.shadowRoot!.querySelector('main')!.getBoundingClientRect().width);
    await admin.setViewportSize({ width: 1280, height: 900 });
    expect(await mainWidth()).toBeGreaterThan(1000);
    await admin.goto(`${stage.app.url}/villages/${YANGWEI}`);
    await admin.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    expect(await mainWidth()).toBeLessThanOrEqual(760);
    // the town's charts keep a phone's size there: their month labels do not grow into a poster's
    await admin.goto(`${stage.app.url}/town/${TOWN}`);
    const chart = admin.getByRole('img', { name: /^洋尾村每月参评、达标、获评户数柱状图/ });
    await chart.waitFor();
    expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(480);
  });

  it("the town admin's dashboard lists each village's half-year star courtyards and whether their plates are out", async () => {
    const admin = await phoneOf(TOWN_ADMIN);
    await admin.goto(`${stage.app.url}/town/${TOWN}?from=2026-01&to=2026-06`);
    await admin.getByRole('heading', { level: 1, name: '磁灶镇 全镇看板' }).waitFor();
    const yangwei = admin.locator('section.village').filter({ has: admin.getByRole('heading', { level: 2, name: '洋尾村' }) });
    await yangwei.getByRole('heading', { level: 3, name: '半年星级庭院' }).waitFor();
    const line = yangwei.locator('ul.stars li').first();
    await expectText(line, /2026年上半年\s*已定稿\s*五星级 2 户、四星级 2 户、三星级 2 户/);
    await expectText(line, /门牌已(全部)?发放/);
    await expectAccessible(admin, 'town dashboard with star courtyards');
    await expectNoSidewaysScroll(admin, 'town dashboard with star courtyards');
    await capture(admin, 'town-dashboard-stars-360');
    await line.getByRole('link', { name: '2026年上半年' }).click();
    await admin.waitForURL(`**/stars/*/2026H1`);
    await admin.getByRole('heading', { level: 1, name: '2026年上半年 星级庭院' }).waitFor();
  });

  it('the plate verification page says 有效 for an issued plate and gives the reason of a revoked one', async () => {
    const h1 = await firstHalf();
    const { plates } = await call<{ plates: Array<{ serial: string; status: string; revokedReason: string | null; holderName: string }> }>(YANGWEI_CADRE, 'GET', `/api/campaigns/${h1}/plates?period=2026H1`);
    const valid = plates.find((p) => p.status === 'issued')!;
    const revoked = plates.find((p) => p.status === 'revoked')!;
    expect(valid && revoked, JSON.stringify(plates)).toBeTruthy();

    // the cadre's half-year screen: final stars and their plates, the revoked one marked
    await openResultsTab(cadre, YANGWEI, `s:${h1}:2026H1`);
    await cadre.getByRole('heading', { name: /^2026年上半年 星级庭院/ }).waitFor();
    await cadre.getByRole('heading', { name: `已发放的门牌（${plates.length} 块）` }).waitFor();
    expect(await cadre.getByText('已撤销', { exact: true }).count()).toBe(plates.filter((p) => p.status === 'revoked').length);
    await expectAccessible(cadre, 'console half-year stars');
    await capture(cadre, 'console-stars-360');

    const context = await phoneContext(stage.browser, stage.app.url);
    const page = await context.newPage();
    await page.goto(`${stage.app.url}/plates/${valid.serial}`);
    await page.getByRole('heading', { level: 1, name: '门牌验证' }).waitFor();
    await expectText(page.getByRole('status').filter({ hasText: '有效' }), /有效/);
    await page.getByText(valid.holderName, { exact: true }).waitFor();
    await page.getByText(valid.serial, { exact: true }).waitFor();
    // the plate's picture has loaded (it is drawn on first request, which can take a moment)
    await expect.poll(() => page.getByRole('img', { name: /^荣誉门牌：/ }).evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    await expectAccessible(page, 'plate verification, valid');
    await capture(page, 'plate-valid-360');
    // in English too (the written result stays as the village wrote it)
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plate verification' }).waitFor();
    await expectText(page.getByRole('status').filter({ hasText: 'Valid' }), /Valid[\s\S]*genuine honor plate/);
    await page.getByText('Issued by', { exact: true }).waitFor();
    await expectAccessible(page, 'plate verification in English');
    await expectNoSidewaysScroll(page, 'plate verification in English');
    await screenshot(page, 'plate-valid-en-360');
    // the result behind it names its period in English words too
    await page.getByRole('link', { name: 'See the published results' }).click();
    await page.getByRole('heading', { level: 1, name: 'Star courtyards, first half of 2026' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Plate verification' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '门牌验证' }).waitFor();

    await page.goto(`${stage.app.url}/plates/${revoked.serial}`);
    await expectText(page.getByRole('status').filter({ hasText: '已撤销' }), new RegExp(`已撤销[\\s\\S]*${revoked.revokedReason!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expectAccessible(page, 'plate verification, revoked');
    await capture(page, 'plate-revoked-360');

    await page.goto(`${stage.app.url}/plates/350582-YW-2026H1-9999`);
    await page.getByText('查无此门牌').waitFor();
    await capture(page, 'plate-unknown-360');

    // the half-year stars behind those plates, and the village's honours
    await page.goto(`${stage.app.url}/stars/${h1}/2026H1`);
    await page.getByRole('heading', { level: 1, name: /星级庭院$/ }).waitFor();
    await page.getByText('已定稿', { exact: true }).first().waitFor();
    // each star family leads to its plate; the revoked one says so instead of passing for valid
    expect(await page.getByRole('link', { name: '查看荣誉门牌' }).count()).toBe(plates.filter((p) => p.status === 'issued').length);
    await page.getByText('门牌已撤销', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: '看撤销原因' }).getAttribute('href')).toBe(`/plates/${revoked.serial}`);
    await expectAccessible(page, 'half-year stars');
    await capture(page, 'stars-final-360');

    // On weak mobile data every request counts: the honours and every published result come in one answer.
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(new URL(r.url()).pathname);
    });
    await page.goto(`${stage.app.url}/villages/${YANGWEI}`);
    await page.getByRole('heading', { name: '星级庭院' }).waitFor();
    await page.getByRole('heading', { name: '评比结果公示' }).waitFor();
    await page.getByRole('link', { name: /2026年10月 评比结果/ }).waitFor();
    expect(apiCalls.filter((p) => /^\/api\/campaigns\/[^/]+\/results$/.test(p))).toEqual([]);
    expect(apiCalls).toContain(`/api/villages/${YANGWEI}/honors`);
    await expectAccessible(page, 'village page with honours');
    await capture(page, 'village-honors-360');
    await context.close();
  });
});
