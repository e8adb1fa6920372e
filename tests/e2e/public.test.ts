import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { capture, expectAccessible, expectChineseRendered, expectText, settled, YANGWEI } from './journey';
import { phoneContext, screenshot, startStage } from './support';

/*
 * What anyone sees without an account: the home page, the village page, the login page;
 * the language switch; Chinese text drawn properly on a 360 px phone.
 */

const stage = startStage();

async function openPhone(path: string): Promise<Page> {
  const context = await phoneContext(stage.browser, stage.app.url);
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

describe('public pages', () => {
  it('home: a visitor picks 磁灶镇 / 洋尾村 and sees its contest; the page passes axe and renders Chinese at 360 px', async () => {
    const page = await openPhone('/');
    await page.getByRole('heading', { level: 1, name: '美丽庭院评比' }).waitFor();
    await page.getByRole('link', { name: '用手机号登录' }).waitFor();
    await expectAccessible(page, 'home');
    await capture(page, 'home-360');

    await page.getByLabel('镇（街道）').selectOption({ label: '磁灶镇' });
    await page.getByLabel('村（社区）').selectOption({ label: '洋尾村' });
    await page.getByRole('heading', { name: '磁灶镇 洋尾村' }).waitFor();
    await page.getByText('2026年下半年洋尾村美丽庭院月评').first().waitFor();
    expect(new URL(page.url()).searchParams.get('village')).toBe(YANGWEI);
    await expectAccessible(page, 'home with a village chosen');
    await capture(page, 'home-village-360');
    if (process.env.UPDATE_README_SHOT === '1') {
      await page.screenshot({ path: join(import.meta.dirname, 'readme-home-360.png'), fullPage: true });
    }

    // the choice is kept for the next visit
    await page.goto('/');
    await page.getByRole('heading', { name: '磁灶镇 洋尾村' }).waitFor();

    await page.getByRole('link', { name: '查看本村页面' }).click();
    await page.waitForURL(`**/villages/${YANGWEI}`);
    await page.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    // a contest's own name leads there too: it is what a villager taps
    await page.goBack();
    await page.getByRole('link', { name: '2026年下半年洋尾村美丽庭院月评' }).click();
    await page.waitForURL(`**/villages/${YANGWEI}`);
    await page.context().close();
  });

  it('the running server stamps every answer with its security headers and gzips JSON for a phone that takes it', async () => {
    const { get, request } = await import('node:http');
    const { gunzipSync } = await import('node:zlib');
    const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; rawHeaders: string[]; body: Buffer }>((ok, fail) => {
        const req = (method === 'GET' ? get : request)(`${stage.app.url}${path}`, { method, headers }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (d: Buffer) => chunks.push(d));
          r.on('end', () => ok({ status: r.statusCode!, headers: r.headers, rawHeaders: r.rawHeaders, body: Buffer.concat(chunks) }));
          r.on('error', fail);
        });
        req.on('error', fail);
        if (method !== 'GET') req.end();
      });
    const gzip = { 'accept-encoding': 'gzip, deflate, br' };
    const answers = [
      await raw('GET', '/', gzip),
      await raw('GET', `/api/villages/${YANGWEI}/honors`, gzip),
      await raw('GET', '/api/me', gzip),
      await raw('PUT', '/api/entries/en_unknown/like', { ...gzip, origin: stage.app.url }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 401]);
    for (const a of answers) {
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['x-frame-options']).toBe('DENY');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['x-request-id']).toMatch(/^[\w-]+$/);
      // one Date, the server's clock (Node adds none of its own)
      expect(a.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'date')).toHaveLength(1);
      expect(Math.abs(Date.parse(String(a.headers['date'])) - Date.now())).toBeLessThan(5000);
    }
    expect(answers[0]!.headers['content-security-policy']).toContain("default-src 'self'");
    const honors = answers[1]!;
    expect(honors.headers['content-encoding']).toBe('gzip');
    expect((JSON.parse(gunzipSync(honors.body).toString('utf8')) as { winners: unknown[] }).winners.length).toBeGreaterThan(0);
  });

  it('the home page is sent whole: a compressed page announces its compressed length', async () => {
    // A gzipped index.html sent with the uncompressed Content-Length leaves a phone waiting for
    // bytes that never come until the server drops the connection.
    for (const path of ['/', '/index.html', `/villages/${YANGWEI}`]) {
      const res = await fetch(`${stage.app.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      const announced = res.headers.get('content-length');
      const raw = await new Promise<Buffer>((ok, fail) => {
        const chunks: Buffer[] = [];
        import('node:http').then(({ get }) =>
          get(`${stage.app.url}${path}`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
            r.on('data', (d: Buffer) => chunks.push(d));
            r.on('end', () => ok(Buffer.concat(chunks)));
            r.on('error', fail);
          }).on('error', fail),
        );
      });
      if (announced !== null) expect(Number(announced), `${path}: Content-Length matches the bytes sent`).toBe(raw.length);
      expect(res.status).toBe(200);
    }
    const page = await openPhone('/');
    await page.getByRole('heading', { level: 1, name: '美丽庭院评比' }).waitFor();
    await page.context().close();
  });

  it('village page passes axe and shows Chinese at 360 px', async () => {
    const page = await openPhone(`/villages/${YANGWEI}`);
    await page.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    await expectText(page.getByText('洋尾村委会'), '洋尾村委会');
    await page.getByText('2026年下半年洋尾村美丽庭院月评').first().waitFor();
    await expectAccessible(page, 'village page');
    await capture(page, 'village-360');
    await page.context().close();
  });

  it('a winner\'s photo that fails on a weak connection is tried again and shown; one that keeps failing leaves a plain frame', async () => {
    // without the service worker, whose own requests the page's routes do not see
    const context = await phoneContext(stage.browser, stage.app.url, { serviceWorkers: 'block' });
    const page = await context.newPage();
    const honors = (await (await fetch(`${stage.app.url}/api/villages/${YANGWEI}/honors`)).json()) as { winners: Array<{ coverUrl: string | null }> };
    const [flaky, dead] = honors.winners.map((w) => w.coverUrl).filter((u): u is string => !!u);
    let flakyTries = 0;
    await page.route(`**${flaky!}`, (route) => (++flakyTries === 1 ? route.abort('connectionreset') : route.continue()));
    await page.route(`**${dead!}`, (route) => route.abort('connectionreset'));
    await page.goto(`/villages/${YANGWEI}`);
    const img = (url: string) => page.locator(`village-honors img[src="${url}"]`);
    await expect.poll(() => img(flaky!).evaluate((i: HTMLImageElement) => i.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await img(flaky!).evaluate((i) => i.classList.contains('broken'))).toBe(false);
    // it failed once and was asked for again
    expect(flakyTries).toBe(2);
    // the one that never comes: a plain grey frame where it was, not the broken-image mark and
    // its text over a white card
    await expect.poll(() => img(dead!).evaluate((i) => i.classList.contains('broken') && !!i.dataset.retried), { timeout: 10_000 }).toBe(true);
    const frame = sharp(await img(dead!).screenshot());
    const { width = 0, height = 0 } = await frame.metadata();
    // inside the card's rounded corners: --cy-color-border-soft (#d9d4c7) and nothing drawn over it
    const inner = await frame.extract({ left: 8, top: 8, width: width - 16, height: height - 16 }).removeAlpha().raw().toBuffer();
    const colours = new Set<string>();
    for (let i = 0; i < inner.length; i += 3) colours.add(`${inner[i]! >> 2},${inner[i + 1]! >> 2},${inner[i + 2]! >> 2}`);
    expect([...colours]).toEqual([`${217 >> 2},${212 >> 2},${199 >> 2}`]);
    await context.close();
  });

  it('a past month’s entry, reached from the village page, shows its likes without a button to add one', async () => {
    const page = await openPhone(`/villages/${YANGWEI}`);
    await page.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    // The winners wall links the households of the last final month (September in the demo).
    await page.locator('village-honors a[href^="/entries/"]').first().click();
    await page.getByText('本轮点赞已经结束。').waitFor();
    // the entry's number stands beside its household's name: families of one surname are told apart
    await page.getByRole('heading', { level: 1, name: /^.家庭院 编号 \d+$/ }).waitFor();
    expect(await page.getByRole('button', { name: '点赞' }).count()).toBe(0);
    // Nor does it ask friends for likes it can no longer take.
    expect(await page.getByRole('heading', { name: '分享给亲友' }).count()).toBe(0);
    const progress = (await page.locator('like-progress .count').first().textContent()) ?? '';
    const [count, threshold] = (progress.match(/(\d+)\s*\/\s*(\d+)/) ?? []).slice(1).map(Number);
    expect(threshold).toBe(50);
    expect(count).toBeGreaterThanOrEqual(50);
    await expectAccessible(page, 'past entry');

    // The first half-year's contest had no like threshold: its entries say nothing of likes or of 已达标.
    const h1Entry = await page.evaluate(async () => {
      const get = async <T,>(path: string) => (await (await fetch(path)).json()) as T;
      const { campaigns } = await get<{ campaigns: Array<{ id: string; title: string }> }>('/api/campaigns?village=350582102207');
      const h1 = campaigns.find((c) => c.title.includes('上半年'))!;
      const { rounds } = await get<{ rounds: Array<{ id: string }> }>(`/api/campaigns/${h1.id}`);
      const { entries } = await get<{ entries: Array<{ id: string }> }>(`/api/rounds/${rounds[0]!.id}/entries`);
      return entries[0]!.id;
    });
    await page.goto(`/entries/${h1Entry}`);
    await page.getByText(/2026年上半年/).first().waitFor();
    await settled(page);
    expect(await page.getByText('已达标').count()).toBe(0);
    expect(await page.locator('like-progress').count()).toBe(0);
    expect(await page.getByText('本轮点赞已经结束。').count()).toBe(0);
    await page.context().close();
  });

  it('a phone whose clock was reset to last year still sees the contest running now, with its deadline', async () => {
    const context = await phoneContext(stage.browser, stage.app.url);
    // A cheap phone whose battery ran flat can start again with a clock in the past.
    await context.clock.setFixedTime(new Date('2025-01-01T08:00:00+08:00'));
    const page = await context.newPage();
    await page.goto(`/villages/${YANGWEI}`);
    const running = page.getByRole('region', { name: '2026年下半年洋尾村美丽庭院月评' });
    await running.waitFor();
    await running.getByText('截止：', { exact: false }).waitFor();
    await running.getByText('报名中').waitFor();
    await context.close();
  });

  it('a phone whose clock runs 40 days ahead does not call the running contest closed: the page goes by the server time', async () => {
    const context = await phoneContext(stage.browser, stage.app.url);
    const phoneNow = Date.now() + 40 * 86_400_000;
    await context.clock.setFixedTime(phoneNow);
    const page = await context.newPage();
    await page.goto(`/villages/${YANGWEI}`);
    const running = page.getByRole('region', { name: '2026年下半年洋尾村美丽庭院月评' });
    await running.waitFor();
    // by the phone's own clock this month's round ended weeks ago
    const village = (await (await fetch(`${stage.app.url}/api/villages/${YANGWEI}`)).json()) as { campaigns: Array<{ title: string; currentRound: { endsAt: string } | null }> };
    const endsAt = Date.parse(village.campaigns.find((c) => c.title === '2026年下半年洋尾村美丽庭院月评')!.currentRound!.endsAt);
    expect(await page.evaluate(() => Date.now())).toBe(phoneNow);
    expect(endsAt).toBeLessThan(phoneNow);
    await running.getByText('报名中').waitFor();
    expect(await running.getByText('报名已截止').count()).toBe(0);
    await context.close();
  });

  it('login page passes axe, in both of its steps, and renders Chinese at 360 px', async () => {
    const page = await openPhone('/');
    await page.getByRole('link', { name: '登录', exact: true }).click();
    await page.waitForURL('**/login');
    await page.getByRole('heading', { level: 1, name: '用手机号登录' }).waitFor();
    await expectAccessible(page, 'login');
    await capture(page, 'login-360');

    // a wrong number is explained next to the field
    await page.getByLabel('手机号', { exact: true }).fill('12345');
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expectText(page.getByRole('alert'), '请填写 11 位手机号');
    await expectAccessible(page, 'login with an invalid number');

    await page.getByLabel('手机号', { exact: true }).fill('13712340099');
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByText('演示验证码').waitFor();
    await expectAccessible(page, 'login, code step');
    await capture(page, 'login-code-360');
    await page.context().close();
  });

  it('the language switch turns the app into English, survives a reload, and switches back; <html lang> follows', async () => {
    const page = await openPhone('/');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: '首页' }).waitFor();
    expect(await htmlLang(page)).toBe('zh-CN');

    await page.getByRole('button', { name: 'English' }).click();
    await nav.getByRole('link', { name: 'Home' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Beautiful Courtyard Contest' }).waitFor();
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Sign in with mobile number' }).waitFor();
    expect(await page.getByLabel('Town').count()).toBe(1);
    expect(await nav.getByRole('link', { name: '首页' }).count()).toBe(0);
    await expect.poll(() => htmlLang(page)).toBe('en');
    await expect.poll(() => page.title()).toMatch(/Courtyard/);
    await expectAccessible(page, 'home in English');
    await screenshot(page, 'home-en-360');

    await page.reload();
    await nav.getByRole('link', { name: 'Home' }).waitFor();
    await page.getByRole('button', { name: '中文' }).waitFor();
    await expect.poll(() => htmlLang(page)).toBe('en');

    await page.getByRole('button', { name: '中文' }).click();
    await nav.getByRole('link', { name: '首页' }).waitFor();
    await page.getByRole('heading', { level: 1, name: '美丽庭院评比' }).waitFor();
    await page.getByRole('button', { name: 'English' }).waitFor();
    await expect.poll(() => htmlLang(page)).toBe('zh-CN');
    await settled(page);
    await expectChineseRendered(page, page.getByRole('heading', { level: 1 }), 'home after switching back');

    await page.reload();
    await nav.getByRole('link', { name: '首页' }).waitFor();
    expect(await htmlLang(page)).toBe('zh-CN');
    await page.context().close();
  });
});
