import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { capture, expectAccessible, expectText, focusedText, signedInPhone, YANGWEI, YANGWEI_CADRE } from './journey';
import { phoneContext, startStage } from './support';

/*
 * A villager with a new account registers the household; on another phone the village cadre
 * confirms it (or turns it down with a reason), and the villager sees the outcome.
 */

const stage = startStage();

/** The cadre's phone, on the households tab of 洋尾村. */
async function cadreConsole(): Promise<Page> {
  const page = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
  await page.goto('/console');
  await page.waitForURL(`**/console?village=${YANGWEI}`);
  await page.getByRole('heading', { name: /^等待确认（\d+ 户）$/ }).waitFor();
  return page;
}

/** A villager with a brand-new account fills in the registration on 我的家庭. */
async function register(page: Page, headName: string, doorNumber: string): Promise<void> {
  await page.getByLabel('镇（街道）').selectOption({ label: '磁灶镇' });
  await page.getByLabel('村（社区）').selectOption({ label: '洋尾村' });
  // the door's example is a door of the village chosen
  await page.getByText('门口门牌上的号码，例如“洋尾村 12 号”。门牌号不会公开。').waitFor();
  await page.getByLabel('户主姓名').fill(headName);
  await page.getByLabel('门牌号').fill(doorNumber);
  await page.getByRole('button', { name: '提交登记' }).click();
}

describe('villager and cadre', () => {
  it('a new account registers a household, the cadre confirms it on another phone, the villager sees it confirmed', async () => {
    const villager = await (await phoneContext(stage.browser, stage.app.url)).newPage();
    await villager.goto('/');
    await villager.getByRole('link', { name: '用手机号登录' }).click();
    await villager.waitForURL('**/login');
    // Reloading the page after the code came does not lose it: a new one may not be asked for
    // within the minute, and in the demo the page is where the code is shown.
    await villager.getByLabel('手机号', { exact: true }).fill('13712345678');
    await villager.getByRole('button', { name: '获取验证码' }).click();
    const code = await villager.locator('strong.code').innerText();
    await villager.reload();
    await villager.getByLabel('手机号', { exact: true }).fill('13712345678');
    await villager.getByRole('button', { name: '获取验证码' }).click();
    await villager.getByText('验证码已发送，请稍候一分钟再重新获取。').waitFor();
    expect(await villager.locator('strong.code').innerText()).toBe(code);
    await villager.getByRole('button', { name: '填入验证码' }).click();
    await villager.getByRole('button', { name: '登录', exact: true }).click();
    await villager.getByRole('button', { name: '退出登录' }).waitFor();
    // a new account has no household, so 管理后台 is not offered
    expect(await villager.getByRole('link', { name: '管理后台' }).count()).toBe(0);
    await villager.getByRole('navigation').getByRole('link', { name: '我的家庭' }).click();
    await villager.waitForURL('**/me');
    await villager.getByRole('heading', { level: 1, name: '我的家庭' }).waitFor();
    await villager.getByRole('button', { name: '提交登记' }).waitFor();
    await expectAccessible(villager, 'me, registration form');
    await capture(villager, 'me-register-360');

    // an empty form is explained, not sent
    await villager.getByRole('button', { name: '提交登记' }).click();
    await villager.getByText('请选择您家所在的镇和村。').waitFor();
    await villager.getByText('请填写户主姓名。').waitFor();
    await expectAccessible(villager, 'me, registration form with errors');

    // a door mistyped is corrected by the family itself while the cadre has not yet looked
    await register(villager, '郑美玲', '洋尾村8号8');
    await villager.getByText('等待村干部确认').waitFor();
    await villager.getByText('登记已提交。').waitFor();
    await villager.getByRole('button', { name: '填错了？修改登记' }).click();
    await villager.getByRole('heading', { name: '修改登记' }).waitFor();
    expect(await villager.getByLabel('门牌号').inputValue()).toBe('洋尾村8号8');
    // a door of another family is refused, next to the door
    await villager.getByLabel('门牌号').fill('洋尾村5号');
    await villager.getByRole('button', { name: '保存修改' }).click();
    await villager.locator('#doorNumber-error').getByText(/^洋尾村已有门牌号「洋尾村5号」的住户登记/).waitFor();
    expect(await villager.getByLabel('门牌号').getAttribute('aria-invalid')).toBe('true');
    await villager.getByLabel('门牌号').fill('洋尾村88号');
    await villager.getByRole('button', { name: '保存修改' }).click();
    await villager.getByText('登记已修改，村干部会按修改后的信息核对。').waitFor();
    await villager.getByText('等待村干部确认').waitFor();
    await expectText(villager.locator('dl.facts'), /洋尾村[\s\S]*郑美玲[\s\S]*洋尾村88号/);
    await expectAccessible(villager, 'me, waiting for the cadre');
    await capture(villager, 'me-pending-360');
    // the home page says the family waits, and leads nowhere it could not go yet
    await villager.goto('/');
    await villager.getByRole('heading', { name: '郑家庭院' }).waitFor();
    await villager.getByText('您家的登记还在等村干部确认，确认后就能参加评比。').waitFor();
    expect(await villager.getByRole('link', { name: '去本村评比' }).count()).toBe(0);
    await villager.goto('/me');

    const cadre = await cadreConsole();
    await cadre.getByRole('heading', { name: '等待确认（1 户）' }).waitFor();
    const item = cadre.getByRole('listitem').filter({ hasText: '郑美玲' });
    await expectText(item, /洋尾村88号[\s\S]*13712345678[\s\S]*本人登记/);
    await expectAccessible(cadre, 'console, a registration waiting');
    await capture(cadre, 'console-pending-360');
    await item.getByRole('button', { name: '确认' }).click();
    await cadre.getByText(/^已确认：郑美玲/).waitFor();
    await cadre.getByRole('heading', { name: '等待确认（0 户）' }).waitFor();
    await cadre.getByText('已确认（61 户）').waitFor();

    await villager.reload();
    await villager.getByText('已确认', { exact: true }).waitFor();
    // and is told so, here and by SMS; the message waits below, and the top of the page points to it
    await villager.getByRole('link', { name: '您有 1 条未读消息，点这里看' }).click();
    await expect.poll(() => focusedText(villager)).toBe('消息');
    await villager.getByRole('region', { name: '消息' }).getByText('您家在洋尾村的登记已确认（户主：郑美玲）。', { exact: false }).waitFor();
    await villager.getByText('您的家庭已经登记好了，村里的评比都可以报名参加。').waitFor();
    expect(await villager.getByText('等待村干部确认').count()).toBe(0);
    await expectText(villager.locator('dl.facts'), /郑美玲/);
    await expectAccessible(villager, 'me, confirmed');
    await capture(villager, 'me-confirmed-360');

    await villager.getByRole('link', { name: '查看本村的评比活动' }).click();
    await villager.waitForURL(`**/villages/${YANGWEI}`);
    await villager.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    // and from the home page, the family's two errands are one tap each
    await villager.goto('/');
    await villager.getByText('看看洋尾村各家的庭院，给喜欢的点个赞；您家参评也在村里的评比页面。').waitFor();
    await expectAccessible(villager, 'home, a confirmed family');
    await villager.getByRole('link', { name: '去本村评比' }).click();
    await villager.waitForURL(`**/villages/${YANGWEI}`);
    await villager.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    await villager.context().close();
    await cadre.context().close();
  });

  it('the cadre turns a registration down with a reason; the villager reads it and can register again', async () => {
    const villager = await signedInPhone(stage.browser, stage.app.url, '13712345679');
    await villager.goto('/me');
    await register(villager, '吴国庆', '洋尾村99号');
    await villager.getByText('等待村干部确认').waitFor();

    const cadre = await cadreConsole();
    const item = cadre.getByRole('listitem').filter({ hasText: '吴国庆' });
    await item.getByRole('button', { name: '驳回' }).click();
    const dialog = cadre.getByRole('dialog', { name: '驳回登记' });
    await dialog.waitFor();
    await expectAccessible(cadre, 'console, reject dialog');
    // cancelling leaves the registration waiting
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await item.getByRole('button', { name: '驳回' }).click();
    await dialog.getByLabel('驳回原因').fill('门牌号不对，应为洋尾村98号');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await cadre.getByText(/^已驳回：吴国庆/).waitFor();
    await cadre.getByText('未通过（1 户）').waitFor();
    // the household's audit log reads back who registered it and who turned it down, and why
    await cadre.getByText('未通过（1 户）').click();
    const turnedDown = cadre.getByRole('listitem').filter({ hasText: '吴国庆' }).filter({ has: cadre.locator('audit-trail') });
    await turnedDown.getByText('操作记录', { exact: true }).click();
    await expectText(turnedDown.locator('audit-trail ol'), /村民（13712345679）[\s\S]*本人登记[\s\S]*村干部（13900000002）[\s\S]*驳回登记：门牌号不对，应为洋尾村98号/);

    await villager.reload();
    await villager.getByText('您的登记没有通过').waitFor();
    await villager.getByText(/门牌号不对，应为洋尾村98号/).first().waitFor();
    await villager.getByRole('region', { name: '消息' }).getByText('您家在洋尾村的登记没有通过（户主：吴国庆）。原因：门牌号不对，应为洋尾村98号。', { exact: false }).waitFor();
    await expectAccessible(villager, 'me, rejected');
    await capture(villager, 'me-rejected-360');
    await villager.getByRole('button', { name: '重新登记' }).click();
    expect(await villager.getByLabel('户主姓名').inputValue()).toBe('吴国庆');
    await villager.getByLabel('门牌号').fill('洋尾村98号');
    await villager.getByRole('button', { name: '提交登记' }).click();
    await villager.getByText('等待村干部确认').waitFor();
    await villager.context().close();
    await cadre.context().close();
  });
});
