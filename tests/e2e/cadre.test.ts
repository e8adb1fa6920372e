import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Locator, Page } from 'playwright-core';
import { capture, expectAccessible, expectNoSidewaysScroll, expectText, rememberSession, settled, signedInPhone, signInOnLoginPage, YANGWEI, YANGWEI_CADRE } from './journey';
import { phoneContext, startStage } from './support';
import { encodeGbk } from '../support/gbk';

/*
 * The village cadre of 洋尾村 at work: signs in, imports a household roster (a bad file is
 * turned away with its row report, a good one goes in), creates a monthly campaign and moves
 * one of its rounds along.
 */

const stage = startStage();

/** 洋尾村's grid worker (also on its panel): registers and enters families by proxy. */
const GRID_WORKER = '13900000013';

/** "已确认（60 户）" in the household review. */
async function confirmedCount(page: Page): Promise<number> {
  const summary = page.getByText(/^已确认（\d+ 户）$/);
  await summary.waitFor();
  return Number(/（(\d+) 户）/.exec(await summary.innerText())![1]);
}

/** The cells of the roster problem table, row by row. */
async function problemRows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
  );
}

const BAD_ROSTER = ['户主姓名,门牌号,手机号', '蔡文龙,洋尾村201号,13712340001', '洪秀英,洋尾村202号,1371234', ',洋尾村203号,13712340003', ''].join('\r\n');
const GOOD_ROSTER = '\uFEFF' + ['户主姓名,门牌号,手机号', '蔡文龙,洋尾村201号,13712340001', '洪秀英,洋尾村202号,13712340002', '庄阿水,洋尾村203号,13712340003', ''].join('\r\n');

describe('village cadre', () => {
  it('signs in, opens 管理后台 and imports a roster: a bad file is rejected with its row report, then a good one goes in', async () => {
    const context = await phoneContext(stage.browser, stage.app.url);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: '登录', exact: true }).click();
    await page.waitForURL('**/login');
    await signInOnLoginPage(page, YANGWEI_CADRE);
    await rememberSession(context, YANGWEI_CADRE);
    // a cadre signing in lands on the console, the work, not on 我的家庭
    await page.waitForURL(`**/console?village=${YANGWEI}`);

    await page.getByRole('link', { name: '管理后台' }).click();
    await page.waitForURL(`**/console?village=${YANGWEI}`);
    await page.getByRole('heading', { level: 1, name: '管理后台' }).waitFor();
    await page.getByText('您的身份：村干部（洋尾村）').waitFor();
    expect(await page.getByRole('tab', { name: '住户' }).getAttribute('aria-selected')).toBe('true');
    const before = await confirmedCount(page);
    expect(before).toBe(60);
    await expectAccessible(page, 'console, households tab');
    await capture(page, 'console-households-360');

    const template = page.getByRole('link', { name: '下载名册模板' });
    expect(await template.getAttribute('download')).toMatch(/\.csv$/);
    expect(decodeURIComponent((await template.getAttribute('href')) ?? '')).toContain('户主姓名,门牌号,手机号\r\n陈大明,洋尾村12号,13800138000');

    // a bad file: nothing is imported, every problem is named by row
    await page.getByLabel('选择名册文件（CSV）').setInputFiles({ name: '洋尾村名册-有错.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_ROSTER) });
    await page.getByText('已读入：洋尾村名册-有错.csv').waitFor();
    expect(await page.getByLabel('或者把名册内容粘贴在这里').inputValue()).toContain('洪秀英,洋尾村202号,1371234');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    const report = page.getByRole('table', { name: '问题清单' });
    await report.waitFor();
    await page.getByText('名册里有 2 处问题，一户也没有导入。').waitFor();
    const headers = await report.locator('thead th').allInnerTexts();
    expect(headers).toEqual(['行', '字段', '问题']);
    const rows = await problemRows(report);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.slice(0, 2)).toEqual(['3', '手机号']);
    expect(rows[0]?.[2]).toContain('1371234');
    expect(rows[1]?.slice(0, 2)).toEqual(['4', '户主姓名']);
    expect(rows[1]?.[2]).not.toBe('');
    await expectAccessible(page, 'console, roster problems');
    await capture(page, 'console-roster-problems-360');

    // the count did not move (also after loading the page again)
    expect(await confirmedCount(page)).toBe(before);
    await page.reload();
    expect(await confirmedCount(page)).toBe(before);

    // the corrected file goes in, saved by Excel as in China: GBK, no BOM
    await page.getByLabel('选择名册文件（CSV）').setInputFiles({ name: '洋尾村名册.csv', mimeType: 'text/csv', buffer: Buffer.from(encodeGbk(GOOD_ROSTER.replace(/^\uFEFF/, ''))) });
    await page.getByText('已读入：洋尾村名册.csv').waitFor();
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText('导入成功：共 3 户，新开通账号 3 个。').waitFor();
    expect(await page.getByRole('table', { name: '问题清单' }).count()).toBe(0);
    await expect.poll(() => confirmedCount(page)).toBe(before + 3);
    await page.reload();
    expect(await confirmedCount(page)).toBe(before + 3);
    await page.getByText('已确认（63 户）').click();
    await page.locator('details').filter({ hasText: '已确认（63 户）' }).getByText('庄阿水').waitFor();

    // a long list with one bad row: the others can go in now, the bad one is listed to fix
    const mixed = ['户主姓名,门牌号,手机号', '郑阿春,洋尾村301号,13712340011', '郑阿夏,洋尾村302号,1371234', '郑阿秋,洋尾村303号,13712340013', ''].join('\r\n');
    await page.getByLabel('或者把名册内容粘贴在这里').fill(mixed);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText('也可以先导入没有问题的 2 户，有问题的 1 行改好后再单独导入。').waitFor();
    await expectAccessible(page, 'console, roster problems with the offer to skip');
    await page.getByRole('button', { name: '跳过有问题的 1 行，导入其余 2 户' }).click();
    await page.getByText(/导入成功：共 2 户，新开通账号 2 个。\s*跳过了 1 行有问题的/).waitFor();
    expect((await problemRows(page.getByRole('table', { name: '跳过的行' })))[0]?.slice(0, 2)).toEqual(['3', '手机号']);
    // the skipped row stays in the box under the header, to mend and send again
    expect(await page.getByLabel('或者把名册内容粘贴在这里').inputValue()).toBe('户主姓名,门牌号,手机号\n郑阿夏,洋尾村302号,1371234');
    await expect.poll(() => confirmedCount(page)).toBe(before + 5);
    await context.close();
  });

  it("adds a son's phone to his family: he signs in and finds his family; a number taken off is asked about first", async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await page.goto(`/console?village=${YANGWEI}`);
    // the cadre finds the family by its door among sixty, instead of scrolling
    await page.getByText(/^已确认（\d+ 户）$/).waitFor();
    await page.getByLabel('查找住户').fill('洋尾村2号');
    await page.getByText(/找到 1 户（共 \d+ 户）/).waitFor();
    await page.getByText('已确认（1 户）').waitFor();
    expect(await page.getByText('现在没有等待确认的登记。').count()).toBe(0); // filtered, not none at all
    await page.getByText('没有符合查找的登记。').waitFor();
    const family = page.locator('household-review li').filter({ hasText: /· 洋尾村2号\s*·/ });
    const head = (await family.locator('strong').first().innerText()).trim();
    await family.getByText(/^家人手机号（\d 个）$/).click();
    const phone = family.getByLabel('添加家人的手机号');
    // a number too short is named before anything is sent
    await phone.fill('1371234');
    await family.getByRole('button', { name: '添加为家人' }).click();
    await family.getByText('请填写 11 位手机号，例如 13800138000。').waitFor();
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    await phone.fill('+86 137 1234 5678'); // typed as a phone shows it: the same number
    await family.getByRole('button', { name: '添加为家人' }).click();
    await family.getByText(`已把 13712345678 加为${head}家的家人，这一户会收到通知。`).waitFor();
    await family.getByText(/^家人手机号（2 个）$/).waitFor();
    await family.getByText(/^13712345678\s*（还没登录过）$/).waitFor();
    await expectAccessible(page, 'console, family phones');
    await capture(page, 'console-family-phones-360');

    // the son signs in on his own phone: his family is there, and he is told how he came to be in it
    const son = await signedInPhone(stage.browser, stage.app.url, '13712345678');
    await son.goto('/me');
    await son.getByText('洋尾村2号').waitFor();
    await son.getByText(head, { exact: true }).waitFor();
    await son.getByText('13712345678（您本人）').waitFor();
    await son.getByText(/看到不认识的号码，也请告诉村干部。/).waitFor();
    expect(await son.getByText(/1[3-9]\d\*{4}\d{4}/).count()).toBeGreaterThan(0);
    await expectAccessible(son, 'me, a family member added by the cadre');
    await capture(son, 'me-family-phones-360');
    await son.context().close();

    // taking it off asks first; 取消 keeps it
    const row = family.locator('li').filter({ hasText: '13712345678' });
    await row.getByRole('button', { name: '移出' }).click();
    await row.getByText(`确定把 13712345678 从${head}家移出吗？`, { exact: false }).waitFor();
    await row.getByRole('button', { name: '取消' }).click();
    await family.getByText(/^家人手机号（2 个）$/).waitFor();
    await row.getByRole('button', { name: '移出' }).click();
    await row.getByRole('button', { name: '确定移出' }).click();
    await family.getByText(`已把 13712345678 从${head}家移出。`).waitFor();
    await family.getByText(/^家人手机号（1 个）$/).waitFor();
    expect(await family.getByText('13712345678', { exact: false }).count()).toBe(1); // only in the note
    await page.context().close();
  });

  it('照片核查 counts a photo taken a year before the month until the cadre looks and marks it 没问题', async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await page.goto(`/console?village=${YANGWEI}`);
    const tab = page.getByRole('tab', { name: '照片核查' });
    await expectText(tab, /^照片核查\s*1\s*项待处理$/);
    await tab.click();
    const flagged = page.getByRole('listitem').filter({ hasText: '拍摄时间：' });
    await flagged.waitFor();
    await flagged.getByRole('button', { name: '没问题' }).click();
    const dialog = page.getByRole('dialog', { name: '这张照片没问题' });
    await dialog.getByLabel('核实情况').fill('去年同一个角度拍的，院子没变，核实无误。');
    await expectAccessible(page, 'console, photo found fine dialog');
    await dialog.getByRole('button', { name: '确定' }).click();
    await page.getByText(/^已记下.+户的这张照片没问题。$/).waitFor();
    await flagged.getByText('已核实没问题：去年同一个角度拍的，院子没变，核实无误。').waitFor();
    await expectText(tab, /^照片核查$/);
    // after a reload it is still shown as checked, with nothing waiting
    await page.reload();
    await page.getByRole('listitem').filter({ hasText: '拍摄时间：' }).getByText(/^已核实没问题：/).waitFor();
    expect(await page.getByRole('listitem').filter({ hasText: '拍摄时间：' }).getByRole('button', { name: '没问题' }).count()).toBe(0);
    // from a tab on this month's round, 结果 opens on what waits there: October, scored and closed
    await page.getByRole('tab', { name: '结果' }).click();
    const picker = page.getByLabel('要处理的评比结果');
    await expect.poll(() => picker.evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? ''), { timeout: 10_000 }).toMatch(/^2026年10月/);
    await page.getByRole('button', { name: '计算结果（草稿）' }).waitFor();
    await page.context().close();
  });

  it('creates a monthly campaign with the default rubric and threshold 50, sees one round per month, opens it and moves a round', async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await page.goto(`/console?village=${YANGWEI}`);
    await page.getByRole('tab', { name: '活动' }).click();
    await page.waitForURL('**/console?village=*&tab=campaigns');
    expect(await page.getByRole('tab', { name: '活动' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('link', { name: '2026年下半年洋尾村美丽庭院月评' }).waitFor();
    await expectAccessible(page, 'console, campaigns tab');
    await capture(page, 'console-campaigns-360');

    const title = '2027年上半年洋尾村美丽庭院月评';
    await page.getByLabel('活动名称').fill(title);
    await page.getByRole('radio', { name: /按月评比/ }).check();
    expect(await page.getByRole('radio', { name: /单次评比/ }).isChecked()).toBe(false);
    await page.getByLabel('开始月份').fill('2027-01');
    await page.getByLabel('结束月份').fill('2027-06');
    expect(await page.getByLabel('点赞门槛').inputValue()).toBe('50');
    expect(await page.getByLabel('合格分').inputValue()).toBe('80');
    expect(await page.getByLabel('每村名额').inputValue()).toBe('');
    const rubric = page.getByRole('table', { name: /评分表/ });
    expect(await rubric.locator('tbody tr').allInnerTexts()).toEqual(['卫生情况\t40', '美化情况\t30', '开放情况\t15', '文化内涵\t15']);
    // What the awards earn, set here: each month's award, a star level, and the objection period.
    expect(await page.getByLabel('公示天数').inputValue()).toBe('5');
    await page.getByLabel('每月获评奖励（元）').fill('200');
    await page.getByLabel('5 星奖励（元）').fill('1000');
    await page.getByLabel('4 星奖励（元）').fill('八百');
    await page.getByLabel('公示天数').fill('7');
    await page.getByRole('button', { name: '创建活动' }).click();
    await page.getByText('金额请填数字，最多两位小数，例如 200 或 50.5；没有奖励就空着。').waitFor();
    expect(await page.evaluate(() => location.pathname)).toBe('/console');
    await page.getByLabel('4 星奖励（元）').fill('800.5');
    await page.getByRole('button', { name: '创建活动' }).click();

    await page.waitForURL('**/console/campaigns/*');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('草稿', { exact: true }).waitFor();
    await expectText(page.locator('dl.facts'), /点赞门槛\s*50/);
    await expectText(page.locator('dl.facts'), /卫生情况 40、美化情况 30、开放情况 15、文化内涵 15\s*（共 100 分）/);
    await expectText(page.locator('dl.facts'), /奖励\s*每月获评 200\.00 元、5 星 1000\.00 元、4 星 800\.50 元/);
    await expectText(page.locator('dl.facts'), /公示天数\s*7/);
    const rounds = page.getByRole('list').filter({ has: page.getByRole('heading', { level: 3 }) }).getByRole('listitem');
    expect(await rounds.count()).toBe(6);
    expect(await rounds.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual([
      '2027年1月',
      '2027年2月',
      '2027年3月',
      '2027年4月',
      '2027年5月',
      '2027年6月',
    ]);
    for (const status of await rounds.locator('.badge').allInnerTexts()) expect(status).toBe('报名中');
    await expectAccessible(page, 'campaign page (draft)');
    await capture(page, 'campaign-draft-360');

    await page.getByRole('button', { name: '开启活动' }).click();
    // Opened, it says what comes next: the panel.
    await page.getByText('活动已开启，村民现在可以看到了。下一步：在管理后台的「评分」页组建考评组，由他们上门打分。').waitFor();
    await page.getByText('进行中', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '开启活动' }).count()).toBe(0);

    const january = rounds.filter({ has: page.getByRole('heading', { name: '2027年1月' }) });
    await january.getByRole('button', { name: '开始实地核实' }).click();
    await page.getByText('2027年1月已改为「实地核实中」。').waitFor();
    await expectText(january.locator('.badge'), '实地核实中');
    await january.getByRole('button', { name: '截止评分' }).waitFor();
    expect(await rounds.getByRole('button', { name: '开始实地核实' }).count()).toBe(5);
    await expectAccessible(page, 'campaign page (open, a round moved)');
    await capture(page, 'campaign-open-360');

    // back in the console the campaign is listed as open; the public village page lists it too
    await page.getByRole('link', { name: /返回管理后台/ }).click();
    await page.waitForURL('**/console?village=*&tab=campaigns');
    const listed = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title }) });
    await expectText(listed, /进行中/);
    await page.goto(`/villages/${YANGWEI}`);
    await page.getByText(title).first().waitFor();
    await settled(page);
    await page.context().close();
  });

  it('closing scoring on a round still taking entries warns that entries close too, and 取消 changes nothing', async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await page.goto(`/console?village=${YANGWEI}&tab=scoring`);
    await page.waitForURL('**/console?*tab=scoring*round=*');
    // the month running now takes entries; the months after it have not begun
    const options = await page.getByLabel('要查看的评比轮次').locator('option').allInnerTexts();
    expect(options).toContain('2026年12月（未开始）');
    expect(options).not.toContain('2026年12月（报名中）');
    await page.getByLabel('要查看的评比轮次').selectOption({ label: '2026年11月（报名中）' });
    await expectText(page.locator('scoring-progress .badge').first(), '报名中');
    await page.getByRole('button', { name: '截止评分' }).click();
    await expectText(page.locator('scoring-progress .notice.warning'), /这一轮还在报名中（报名到 .+）。现在截止评分，报名也随之截止/);
    await expectAccessible(page, 'console, scoring tab, closing confirmation');
    await page.getByRole('button', { name: '取消' }).click();
    expect(await page.locator('scoring-progress .notice.warning').count()).toBe(0);
    await expectText(page.locator('scoring-progress .badge').first(), '报名中');
    // the campaign's panel is listed; forming another is folded away until asked for
    await page.getByRole('heading', { name: '洋尾村考评组' }).waitFor();
    const another = page.getByText('再组建一个考评组（例如另一个村的）');
    await another.waitFor();
    expect(await page.getByLabel('考评组名称').isVisible()).toBe(false);
    await another.click();
    await page.getByLabel('考评组名称').waitFor();
    await page.context().close();
  });

  it('a panel member moves away: the cadre replaces them with a reason; the newcomer is told and goes to scoring', async () => {
    const NEWCOMER = '13700000088';
    const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await page.goto(`/console?village=${YANGWEI}&tab=scoring`);
    await page.waitForURL('**/console?*tab=scoring*round=*');
    // the demo's monthly contest (a campaign made earlier in this file has its own, empty, panels)
    await page.getByLabel('要查看的评比轮次').selectOption({ label: '2026年11月（报名中）' });
    const card = page.locator('panel-manager li.card').filter({ has: page.getByRole('heading', { name: '洋尾村考评组', exact: true }) });
    await card.getByRole('button', { name: '修改洋尾村考评组的成员' }).click();
    const form = page.locator('panel-manager form');
    await expect.poll(() => form.locator('fieldset.member').count()).toBe(5);
    const leaving = await form.getByLabel('姓名').nth(4).inputValue();
    expect(await form.getByLabel('手机号').nth(4).inputValue()).toBe('13900000015');
    // the demo's October sheets came in through this panel: its quorum is fixed
    await expectText(form.locator('#panel-quorum-hint'), /已经交了 \d+ 份评分表，这个数不能再改/);
    expect(await form.getByLabel('每户最少评分份数').isDisabled()).toBe(true);

    await form.getByRole('button', { name: '移出成员 5' }).click();
    await form.getByRole('button', { name: '添加成员' }).click();
    await form.getByLabel('手机号').nth(4).fill(NEWCOMER);
    await form.getByLabel('姓名').nth(4).fill('洪天佑');
    // without a reason nothing is saved, and the problem is named
    await form.getByRole('button', { name: '保存修改' }).click();
    await expectText(form.locator('[role="alert"]'), /考评组没有修改.*原因/s);
    await form.getByLabel('为什么修改（成员和村干部都看得到）').fill(`${leaving}外出务工，由洪天佑接替。`);
    await expectAccessible(page, 'console, changing a panel');
    await capture(page, 'panel-change-360');
    await form.getByRole('button', { name: '保存修改' }).click();

    await page.getByText('已修改考评组：洋尾村考评组').waitFor();
    await expectText(card, /洪天佑（村民代表）137 0000 0088|洪天佑（村民代表）13700000088/);
    await expectText(card, new RegExp(`已移出：${leaving}（村民代表，`));
    await expectAccessible(page, 'console, panel changed');
    await page.context().close();

    // the newcomer's inbox says where to go, and the scoring page opens for them
    const newcomer = await signedInPhone(stage.browser, stage.app.url, NEWCOMER);
    await newcomer.goto('/me');
    await newcomer.getByText(/您已加入「.+」的洋尾村考评组（村民代表）/).waitFor();
    await newcomer.getByRole('link', { name: '去考评打分' }).click();
    await newcomer.waitForURL(/\/panel/);
    await newcomer.getByText(/洋尾村/).first().waitFor();
    await newcomer.context().close();
  });

  it("another village's console address leads the cadre to their own village, not to an empty page", async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await page.goto('/console?village=350582102201&tab=likes');
    await page.waitForURL(`**/console?village=${YANGWEI}`);
    await page.getByRole('tab', { name: '住户' }).waitFor();
    // the home page leads a cadre without a family of their own to their work, not to registering one
    await page.goto('/');
    await page.getByRole('link', { name: '进入管理后台' }).click();
    await page.waitForURL(/\/console/);
    await page.goto('/');
    await page.getByRole('link', { name: '进入管理后台' }).waitFor();
    expect(await page.getByRole('link', { name: '去登记我的家庭' }).count()).toBe(0);
    await page.context().close();
  });

  it('the grid worker enters a family without a smartphone by proxy, from the console to a submitted entry and back', async () => {
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#6a9', noise: { type: 'gaussian', mean: 120, sigma: 40 } } }).jpeg().toBuffer();
    const page = await signedInPhone(stage.browser, stage.app.url, GRID_WORKER);
    await page.goto('/console');
    await page.waitForURL(`**/console?village=${YANGWEI}`);
    await page.getByRole('heading', { name: '代录参评' }).waitFor();
    await page.getByRole('button', { name: '选择住户，代录参评' }).click();
    // the families to choose from, in door order; no one's phone number is shown to a grid worker
    const household = page.getByLabel('为哪一户代录');
    await household.waitFor();
    const options = await household.locator('option').allInnerTexts();
    expect(options.slice(1, 3).map((o) => o.trim())).toEqual([expect.stringContaining('洋尾村1号'), expect.stringContaining('洋尾村2号')]);
    expect(options.join('')).not.toMatch(/1[3-9]\d{9}/);
    await expectAccessible(page, 'console, grid worker, proxy entry');
    // a family that entered by itself (洋尾村2号 in the demo) is not entered again, nor opened for editing
    await household.selectOption({ label: options.find((o) => o.includes('洋尾村2号'))!.trim() });
    await page.getByRole('button', { name: '开始代录参评' }).click();
    await page.getByText('这一户已经自己报名参评了，不用代录。').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console');
    await household.selectOption({ index: 1 });
    await page.getByRole('button', { name: '开始代录参评' }).click();
    await page.waitForURL('**/entries/*/edit');
    await page.getByRole('heading', { level: 1, name: /^.家庭院参评作品( 编号 \d+)?$/ }).waitFor();
    await page.getByText('代录', { exact: true }).waitFor();
    // the page speaks of the family, not to the grid worker as if it were theirs
    await page.getByText(/^您正在替.家庭院代录：照片和介绍都算这一户的/).waitFor();
    await page.getByLabel('介绍一下这一户的庭院（最多 500 字）').waitFor();
    expect(await page.getByText('您家', { exact: false }).count()).toBe(0);

    // submitting with no photo is explained; the explanation goes once a photo is in
    await page.getByRole('button', { name: '提交参评' }).click();
    await page.getByText('请先拍一张或选一张庭院照片，再提交。').waitFor();
    await page.locator('entry-photos input[type=file][multiple]').setInputFiles({ name: 'yard.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByText('已有 1 张，最多 9 张。', { exact: false }).waitFor();
    expect(await page.getByText('请先拍一张或选一张庭院照片，再提交。').count()).toBe(0);
    await page.getByRole('button', { name: '提交参评' }).click();
    await page.getByText(/已提交/).first().waitFor();
    await page.getByText(/^提交成功！这一户的作品已经公开，满 \d+ 个赞就能进入实地核实。$/).waitFor();
    expect(await page.getByText('请亲友来点赞', { exact: false }).count()).toBe(0);
    await capture(page, 'proxy-entry-submitted-360');

    // the grid worker is on 洋尾村's panel too: the scoring queue names the month it is for
    await page.goto('/panel');
    await page.getByText(/^2026年下半年洋尾村美丽庭院月评 · 2026年11月 · /).waitFor();
    await page.goBack();

    // back to the console, not to the grid worker's own 我的家庭
    await page.getByRole('link', { name: '← 管理后台' }).click();
    await page.waitForURL(`**/console?village=${YANGWEI}`);
    await page.getByRole('heading', { name: '代录参评' }).waitFor();
    await page.context().close();
  });
});

describe('a campaign of several villages of the town', () => {
  it("is its town admin's to run: a cadre of one of its villages reads it and is told who runs it, with no button the server would refuse", async () => {
    const base = stage.app.url;
    const adminPage = await signedInPhone(stage.browser, base, '13900000001');
    const post = (path: string, data: unknown) => adminPage.context().request.post(`${base}${path}`, { headers: { origin: base }, data });
    const created = await post('/api/campaigns', {
      title: '2027年磁灶镇美丽庭院月评',
      format: 'monthly',
      villageIds: ['350582102201', '350582102204', '350582102205', YANGWEI],
      months: { from: '2027-01', to: '2027-06' },
    });
    expect(created.status()).toBe(201);
    const { campaign } = (await created.json()) as { campaign: { id: string } };
    expect((await post(`/api/campaigns/${campaign.id}/transition`, { to: 'open' })).status()).toBe(200);

    const page = await signedInPhone(stage.browser, base, '13900000003');
    await page.goto(`/console/campaigns/${campaign.id}`);
    await page.getByRole('heading', { level: 1, name: '2027年磁灶镇美丽庭院月评' }).waitFor();
    await page.getByText(/这个活动有 4 个村参加，由磁灶镇的镇管理员开启活动、推进轮次/).waitFor();
    expect(await page.getByRole('button', { name: '结束活动' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '开始实地核实' }).count()).toBe(0);
    await expectAccessible(page, 'a town campaign seen by a village cadre');
    await expectNoSidewaysScroll(page, 'a town campaign seen by a village cadre');
    await capture(page, 'town-campaign-village-cadre-360');

    await page.goto(`/console?village=350582102201&tab=results`);
    await page.locator('console-results').getByText(/这个活动有 4 个村参加/).waitFor();
    await page.getByText('结果还没有公示。公示后会在这里显示。').waitFor();
    expect(await page.getByRole('button', { name: '计算结果（草稿）' }).count()).toBe(0);
    await expectAccessible(page, 'results tab of a town campaign seen by a village cadre');
    await page.context().close();

    // 洋尾村's cadre is led back to 洋尾村's console, not to the campaign's first village
    const yangwei = await signedInPhone(stage.browser, base, YANGWEI_CADRE);
    await yangwei.goto(`/console/campaigns/${campaign.id}`);
    await yangwei.getByText(/这个活动有 4 个村参加/).waitFor();
    expect(await yangwei.getByRole('link', { name: '← 返回管理后台' }).getAttribute('href')).toBe(`/console?village=${YANGWEI}&tab=campaigns`);
    expect(await yangwei.getByRole('link', { name: '查看结果' }).getAttribute('href')).toBe(`/console?village=${YANGWEI}&tab=results`);
    await yangwei.context().close();

    // the town admin keeps every button
    await adminPage.goto(`/console/campaigns/${campaign.id}`);
    await adminPage.getByRole('button', { name: '结束活动' }).waitFor();
    expect(await adminPage.getByRole('button', { name: '开始实地核实' }).count()).toBe(6);
    await adminPage.context().close();
  });
});
