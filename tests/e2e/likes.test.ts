import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { BrowserContext, Page, Request, Route } from 'playwright-core';
import { capture, expectAccessible, expectText, focusedText, settled, signedInPhone, signInOnLoginPage, YANGWEI, YANGWEI_CADRE } from './journey';
import { phoneContext, signInByApi, startStage } from './support';

/*
 * Likes and the 50-like threshold: an entry of 洋尾村 gets 50 likes from villagers and is
 * marked 已达标; the village cadre voids two of them as suspicious and it falls back to 48/50
 * without the mark. A signed-in villager likes on the entry page (counted at once, kept after
 * a reload) and takes the like back.
 */

const stage = startStage();

/** Villager of 洋尾村 whose household enters. */
const OWNER = '13900000101';
/** 50 other villagers of 洋尾村 (each with a household of their own). */
const LIKERS = Array.from({ length: 50 }, (_, i) => `139000001${String(i + 2).padStart(2, '0')}`);
/** One more villager, who likes through the page. */
const CLICKER = '13900000152';

interface LikeResult {
  likeCount: number;
  liked: boolean;
  qualifiedAt: string | null;
}

/** Sign in through the API with plain HTTP (no browser) and return a function that sends requests as that account. */
async function apiAs(phone: string): Promise<(method: string, path: string, body?: unknown) => Promise<Response>> {
  const origin = stage.app.url;
  const post = (path: string, body: unknown, cookie = '') =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { origin, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  const otp = await post('/api/auth/otp', { phone });
  if (!otp.ok) throw new Error(`code for ${phone}: ${otp.status} ${await otp.text()}`);
  const { devCode } = (await otp.json()) as { devCode: string };
  const login = await post('/api/auth/login', { phone, code: devCode });
  if (!login.ok) throw new Error(`sign-in of ${phone}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return (method, path, body) =>
    fetch(`${origin}${path}`, {
      method,
      headers: { origin, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** Run `work` over `items`, `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

/** The owner's entry, set up through the API in the owner's browser context: entered, one photo, submitted. */
async function submittedEntry(owner: BrowserContext): Promise<{ id: string; label: string }> {
  const headers = { origin: stage.app.url };
  const village = (await (await owner.request.get(`/api/villages/${YANGWEI}`)).json()) as {
    campaigns: Array<{ title: string; likeThreshold: number; currentRound: { id: string; status: string } | null }>;
  };
  const campaign = village.campaigns.find((c) => c.title === '2026年下半年洋尾村美丽庭院月评');
  expect(campaign?.likeThreshold).toBe(50);
  expect(campaign?.currentRound?.status).toBe('entries_open');
  const created = await owner.request.post(`/api/rounds/${campaign!.currentRound!.id}/entries`, { headers, data: {} });
  expect(created.status(), await created.text()).toBe(201);
  const { entry } = (await created.json()) as { entry: { id: string; householdLabel: string } };

  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .resize(800, 600)
    .jpeg({ quality: 80 })
    .toBuffer();
  const form = new FormData();
  form.append('kind', 'overview');
  form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'courtyard.jpg');
  const uploaded = await owner.request.post(`/api/entries/${entry.id}/photos`, { headers, multipart: form });
  expect(uploaded.status(), await uploaded.text()).toBe(201);
  const submitted = await owner.request.post(`/api/entries/${entry.id}/submit`, { headers, data: {} });
  expect(submitted.status(), await submitted.text()).toBe(200);
  return { id: entry.id, label: entry.householdLabel };
}

/** The like progress on an entry page: "48/50" (beside the like button, or alone on one's own entry). */
async function progress(page: Page): Promise<string> {
  const count = page.locator('like-progress .count').first();
  await count.waitFor();
  return count.innerText();
}

describe('likes and the 50-like threshold', () => {
  it('50 likes qualify an entry (已达标); the cadre voids two suspicious ones and it falls back to 48/50; a villager likes and unlikes on the page', async () => {
    // ---- the owner's entry, through the API
    const ownerContext = await phoneContext(stage.browser, stage.app.url);
    await signInByApi(ownerContext, stage.app.url, OWNER);
    const entry = await submittedEntry(ownerContext);

    // ---- 50 villagers like it, a few at a time
    const results = await pool(LIKERS, 8, async (phone) => {
      const as = await apiAs(phone);
      const res = await as('PUT', `/api/entries/${entry.id}/like`);
      expect(res.status, `like by ${phone}: ${res.status}`).toBe(200);
      return (await res.json()) as LikeResult;
    });
    expect(results.every((r) => r.liked)).toBe(true);
    const counts = results.map((r) => r.likeCount).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // below 50 nothing; the 50th like crosses the threshold
    expect(results.filter((r) => r.likeCount < 50).every((r) => r.qualifiedAt === null)).toBe(true);
    expect(results.find((r) => r.likeCount === 50)?.qualifiedAt).toMatch(/^2026-/);

    // ---- the owner sees 已达标 on the entry page and on 我的家庭
    const owner = await ownerContext.newPage();
    await owner.goto(`/entries/${entry.id}`);
    await owner.getByRole('heading', { level: 1, name: entry.label }).waitFor();
    expect(await progress(owner)).toBe('50/50');
    await owner.getByText('已达标，等待实地核实').waitFor();
    // one's own entry offers no like to press (it could only be refused), and says why
    expect(await owner.getByRole('button', { name: '点赞' }).count()).toBe(0);
    await owner.getByText('这是您家的作品，自己不能点赞；请把作品发给亲友，请他们来点赞。').waitFor();
    // A visitor reads 已达标 once, beside the like bar that explains it.
    const visitor = await (await phoneContext(stage.browser, stage.app.url)).newPage();
    await visitor.goto(`/entries/${entry.id}`);
    await visitor.getByText('点赞已达到门槛，等待考评组上门实地核实。').waitFor();
    expect(await visitor.getByText('已达标', { exact: true }).count()).toBe(1);
    await owner.goto('/me');
    // This round's entry: the household has earlier months' entries of the same campaign too.
    const mine = owner.getByRole('listitem').filter({ has: owner.locator(`a[href="/entries/${entry.id}"]`) });
    await expectText(mine, /已达标/);
    await mine.getByText('50/50', { exact: true }).waitFor();
    // Earlier months' entries wait behind one disclosure, so the page does not run on for a year of cards.
    const moreEntries = owner.getByText(/^显示更早的 \d+ 个作品$/);
    const shownEntries = owner.locator('my-entries li.card:visible');
    const before = await shownEntries.count();
    const older = Number(/\d+/.exec(await moreEntries.innerText())![0]);
    expect(before).toBeLessThanOrEqual(3);
    await moreEntries.click();
    await expect.poll(() => shownEntries.count()).toBe(before + older);
    await expectAccessible(owner, 'my household, earlier entries shown');
    // The new notice, unread; the demo's earlier months left read ones with the same words.
    await owner
      .getByRole('region', { name: '消息' })
      .getByRole('listitem')
      .filter({ hasText: '未读' })
      .filter({ hasText: /已获得 50 个赞，达到门槛/ })
      .waitFor();

    // ---- the cadre voids two likes in 可疑点赞
    const cadre = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await cadre.goto('/console');
    await cadre.waitForURL(`**/console?village=${YANGWEI}`);
    await cadre.getByRole('tab', { name: '可疑点赞' }).click();
    await cadre.waitForURL('**/console?*tab=likes*round=*');
    const selectAll = cadre.getByRole('checkbox', { name: /^全选（共 \d+ 个）$/ });
    await selectAll.waitFor();
    // the demo month's own night-time burst is listed too
    const listed = Number(/共 (\d+) 个/.exec((await cadre.locator('label').filter({ has: selectAll }).innerText()) ?? '')?.[1]);
    expect(listed).toBeGreaterThan(50);
    // the tab says how many wait to be looked at
    await cadre.getByRole('tab', { name: new RegExp(`^可疑点赞\\s*${listed}\\s*项待处理$`) }).waitFor();
    const rows = cadre.getByRole('checkbox', { name: new RegExp(`^给${entry.label}的赞 · 1\\d{10}`) });
    // all 50 came from one network within minutes: every one is listed
    expect(await rows.count()).toBe(50);
    await cadre.getByText(/同一个网络（.+）10 分钟内给这个作品点赞 5 次以上/).first().waitFor();
    await expectAccessible(cadre, 'console, suspicious likes tab');
    await capture(cadre, 'console-likes-360');

    await rows.nth(0).check();
    await rows.nth(1).check();
    await cadre.getByText('已选 2 个').waitFor();
    await cadre.getByRole('button', { name: '作废所选点赞' }).click();
    // the dialog says how many, of which entry, and that it is for good
    const dialog = cadre.getByRole('dialog', { name: '作废 2 个点赞' });
    await dialog.waitFor();
    await expectText(dialog, new RegExp(`涉及：${entry.label} 2 个。作废后不能恢复`));
    await dialog.getByLabel('作废原因').fill('同一网段集中刷赞，经核实为代点');
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await cadre.getByText(`已作废 2 个点赞。${entry.label}现有 48 个赞。`).waitFor();
    await cadre.getByRole('checkbox', { name: `全选（共 ${listed - 2} 个）` }).waitFor();
    await cadre.getByRole('tab', { name: new RegExp(`^可疑点赞\\s*${listed - 2}\\s*项待处理$`) }).waitFor();
    expect(await rows.count()).toBe(48);

    // ---- the entry is back to 48/50, without 已达标, for everyone
    await visitor.goto(`/entries/${entry.id}`);
    await visitor.getByRole('heading', { level: 1, name: entry.label }).waitFor();
    expect(await progress(visitor)).toBe('48/50');
    expect(await visitor.getByText('已达标').count()).toBe(0);
    await owner.goto(`/entries/${entry.id}`);
    expect(await progress(owner)).toBe('48/50');
    await owner.getByText('已提交，正在集赞').waitFor();
    expect(await owner.getByText('已达标').count()).toBe(0);
    await owner.goto('/me');
    await mine.getByText('48/50', { exact: true }).waitFor();
    expect(await mine.getByText('已达标').count()).toBe(0);
    // and is told why, unread, in its messages
    await owner
      .getByRole('region', { name: '消息' })
      .getByRole('listitem')
      .filter({ hasText: '未读' })
      .filter({ hasText: '作废了您家在「2026年下半年洋尾村美丽庭院月评」2026年11月作品的 2 个点赞。原因：同一网段集中刷赞，经核实为代点。现在有 48 个赞，还差 2 个才重新达到门槛。' })
      .waitFor();

    // ---- a signed-in villager likes on the page: counted at once, kept after a reload, taken back
    const clicker = await signedInPhone(stage.browser, stage.app.url, CLICKER);
    await clicker.goto(`/entries/${entry.id}`);
    expect(await progress(clicker)).toBe('48/50');
    const likeButton = clicker.getByRole('button', { name: '点赞' });
    expect(await likeButton.getAttribute('aria-pressed')).toBe('false');
    await expectAccessible(clicker, 'entry page (signed in)');

    // hold the server's answer: the page must count the like before it comes
    let answer!: () => void;
    const answered = new Promise<void>((ok) => (answer = ok));
    await clicker.route('**/api/entries/*/like', async (route: Route) => {
      await answered;
      await route.continue();
    });
    await likeButton.click();
    await expect.poll(() => progress(clicker)).toBe('49/50');
    expect(await likeButton.getAttribute('aria-pressed')).toBe('true');
    answer();
    await clicker.getByText('点赞成功，谢谢支持！').waitFor();
    await clicker.unroute('**/api/entries/*/like');
    expect(await progress(clicker)).toBe('49/50');

    await clicker.reload();
    await clicker.getByRole('heading', { level: 1, name: entry.label }).waitFor();
    expect(await progress(clicker)).toBe('49/50');
    await clicker.getByText('您已点过赞，谢谢！').waitFor();
    expect(await likeButton.getAttribute('aria-pressed')).toBe('true');
    // pressed again: nothing is sent, the like stays counted, and the page says how to take it back
    const likeRequests: string[] = [];
    const watch = (r: Request) => void (r.url().includes('/like') && likeRequests.push(r.url()));
    clicker.on('request', watch);
    await likeButton.click();
    await clicker.getByText('您已经点过赞了，每人给每个作品只能点一次。要收回，请点“收回这个赞”。').waitFor();
    expect(await progress(clicker)).toBe('49/50');
    expect(await likeButton.getAttribute('aria-pressed')).toBe('true');
    expect(likeRequests).toEqual([]);
    clicker.off('request', watch);
    await settled(clicker);
    await capture(clicker, 'entry-liked-360');

    await clicker.getByRole('button', { name: '收回这个赞' }).click();
    await clicker.getByText('已收回这个赞。').waitFor();
    expect(await progress(clicker)).toBe('48/50');
    expect(await likeButton.getAttribute('aria-pressed')).toBe('false');
    await clicker.reload();
    await clicker.getByRole('heading', { level: 1, name: entry.label }).waitFor();
    expect(await progress(clicker)).toBe('48/50');
    expect(await clicker.getByText('您已点过赞，谢谢！').count()).toBe(0);

    await ownerContext.close();
    await cadre.context().close();
    await visitor.context().close();
    await clicker.context().close();
  });

  it('a visitor pressing 点赞 is asked to sign in, comes back to the entry, and one more press counts', async () => {
    const page = await (await phoneContext(stage.browser, stage.app.url)).newPage();
    const village = (await (await page.request.get(`/api/villages/${YANGWEI}`)).json()) as { campaigns: Array<{ title: string; currentRound: { id: string } | null }> };
    const round = village.campaigns.find((c) => c.title === '2026年下半年洋尾村美丽庭院月评')!.currentRound!.id;
    const { entries } = (await (await page.request.get(`/api/rounds/${round}/entries`)).json()) as { entries: Array<{ id: string; householdLabel: string }> };
    const entry = entries[0]!;
    await page.goto(`/entries/${entry.id}`);
    const before = await progress(page);
    await page.getByRole('button', { name: '点赞' }).click();
    // a request to sign in, not an error
    const ask = page.locator('like-button .notice.info');
    await expectText(ask, /点赞要先用手机号登录，登录后会回到这里。/);
    expect(await page.locator('like-button .notice.error').count()).toBe(0);
    await ask.getByRole('link', { name: '登录后点赞' }).click();
    await page.waitForURL('**/login?next=*');
    await signInOnLoginPage(page, '13712340077');
    await page.waitForURL(`**/entries/${entry.id}`);
    await page.getByText('登录好了，请再点一下“点赞”。').waitFor();
    // nothing was liked on the person's behalf; the button has the focus
    expect(await progress(page)).toBe(before);
    await expect.poll(() => focusedText(page)).toBe('点赞');
    await page.getByRole('button', { name: '点赞' }).click();
    await page.getByText('点赞成功，谢谢支持！').waitFor();
    const [n, of] = before.split('/').map(Number);
    expect(await progress(page)).toBe(`${n! + 1}/${of}`);
    await page.context().close();
  });
});
