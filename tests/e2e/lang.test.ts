import { describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expectAccessible, rememberSession, settled, YANGWEI, YANGWEI_CADRE } from './journey';
import { phoneContext, signInByApi, startStage } from './support';

/*
 * In English the page is lang="en", but what the server writes stays Chinese: village and
 * household names, campaign titles, descriptions, reasons, notices, refusals. Each sits in an
 * element marked lang="zh-CN", so that a screen reader reads it in Chinese; what the app
 * translated does not. In Chinese nothing is marked.
 */

const stage = startStage();

/** The language an element's text is read in: its own lang or its nearest ancestor's, across shadow roots. */
function langOf(target: Locator): Promise<string | null> {
  return target.evaluate((el) => {
    let node: Element | null = el;
    while (node) {
      const lang = node.getAttribute('lang');
      if (lang !== null) return lang;
      node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
    }
    return null;
  });
}

async function expectLang(target: Locator, lang: 'zh-CN' | 'en', what: string): Promise<void> {
  await target.first().waitFor({ state: 'attached' });
  expect(await langOf(target.first()), `${what}: ${await target.first().innerText()}`).toBe(lang);
}

/** A phone that chose English earlier (the choice is kept on the phone). */
async function englishPhone(phone?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(stage.browser, stage.app.url);
  await context.addInitScript(() => localStorage.setItem('courtyard.locale', 'en'));
  if (phone) {
    await signInByApi(context, stage.app.url, phone);
    await rememberSession(context, phone);
  }
  const page = await context.newPage();
  return { context, page };
}

const VILLAGE_TITLE = '2026年下半年洋尾村美丽庭院月评';

describe('the server\'s Chinese words in the English app', () => {
  it('home, the village gallery and an entry: names, titles and the description are marked Chinese, the app\'s words English; axe passes', async () => {
    const { context, page } = await englishPhone();
    await page.goto(`/?village=${YANGWEI}`);
    await page.getByRole('heading', { level: 1, name: 'Beautiful Courtyard Contest' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectLang(page.getByRole('heading', { name: '磁灶镇 洋尾村' }).getByText('磁灶镇 洋尾村'), 'zh-CN', 'home: the village heading');
    await expectLang(page.getByRole('link', { name: VILLAGE_TITLE }).getByText(VILLAGE_TITLE), 'zh-CN', 'home: a campaign title');
    await expectLang(page.getByRole('heading', { level: 1 }), 'en', 'home: the app\'s own heading');
    await expectAccessible(page, 'home in English');

    await page.goto(`/villages/${YANGWEI}`);
    await expectLang(page.getByRole('heading', { level: 1 }).getByText('洋尾村', { exact: true }), 'zh-CN', 'village: its name');
    const contest = page.getByRole('region', { name: VILLAGE_TITLE });
    await expectLang(contest.getByRole('heading', { level: 2 }).getByText(VILLAGE_TITLE), 'zh-CN', 'village: the contest heading');
    await expectLang(contest.getByText('Taking entries', { exact: true }), 'en', 'village: a round\'s state');
    const card = contest.locator('round-gallery a.entry').first();
    await card.waitFor();
    const label = (await card.locator('.name').innerText()).split(/\s/)[0]!;
    expect(label).toMatch(/^.家庭院$/);
    await expectLang(card.getByText(label, { exact: true }), 'zh-CN', 'gallery: a household');
    await expectAccessible(page, 'village page in English');

    await card.click();
    await page.waitForURL('**/entries/*');
    await expectLang(page.getByRole('heading', { level: 1 }).getByText(label, { exact: true }), 'zh-CN', 'entry: its household');
    await expectLang(page.getByText(/^磁灶镇 洋尾村 · /), 'zh-CN', 'entry: its village and campaign');
    await expectLang(page.getByRole('link', { name: '← 洋尾村' }).getByText('洋尾村', { exact: true }), 'zh-CN', 'entry: the link back to its village');
    await expectLang(page.getByRole('link', { name: 'More courtyards in this village' }), 'en', 'entry: the app\'s own link');
    // the most liked courtyard of the demo's month has its family's own words
    await expectLang(page.locator('entry-page p.description span'), 'zh-CN', 'entry: its description');
    await expectAccessible(page, 'entry page in English');
    await context.close();
  });

  it('the console: villages, households and campaigns are marked Chinese; the same pages in Chinese mark nothing', async () => {
    const { context, page } = await englishPhone(YANGWEI_CADRE);
    await page.goto(`/console?village=${YANGWEI}`);
    await page.getByRole('heading', { name: /^Waiting for confirmation/ }).waitFor();
    await settled(page);
    await expectLang(page.locator('console-page strong').getByText('洋尾村', { exact: true }), 'zh-CN', 'console: the village');
    // a confirmed family's head (under 已确认, folded when the village has many)
    await expectLang(page.locator('household-review ul.compact li > strong').first().locator('span'), 'zh-CN', 'console: a household');
    await expectLang(page.getByRole('tab', { name: /^Households/ }), 'en', 'console: a tab');
    await expectAccessible(page, 'console in English');

    await page.getByRole('tab', { name: 'Campaigns' }).click();
    await expectLang(page.locator('campaign-list').getByText(VILLAGE_TITLE, { exact: true }), 'zh-CN', 'console: a campaign in the list');
    await expectAccessible(page, 'console campaigns in English');

    // Switched to Chinese, the page is zh-CN throughout: nothing in it is marked any more
    expect(await page.locator('main [lang="zh-CN"]').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('tab', { name: '活动' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('main [lang]').count()).toBe(0);
    await context.close();
  });

  it('a refusal from the server (a wrong sign-in code) is marked Chinese; the app\'s own message for a number too short is not', async () => {
    const { context, page } = await englishPhone();
    await page.goto('/login');
    const phone = page.getByLabel('Mobile number', { exact: true });
    await phone.fill('12345');
    await page.getByRole('button', { name: 'Get code' }).click();
    await expectLang(page.getByRole('alert').first(), 'en', 'login: the app\'s own message');

    await phone.fill('13712340088');
    await page.getByRole('button', { name: 'Get code' }).click();
    await page.locator('strong.code').waitFor();
    const code = await page.locator('strong.code').innerText();
    await page.getByLabel('Code', { exact: true }).fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const refusal = page.locator('#code-error');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/\p{Script=Han}/u);
    await expectLang(refusal.locator('span'), 'zh-CN', 'login: the server\'s refusal');
    await expectAccessible(page, 'login refusal in English');
    await context.close();
  });
});
