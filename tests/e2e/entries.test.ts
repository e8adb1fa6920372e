import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page, Request, Route } from 'playwright-core';
import { capture, expectAccessible, expectText, settled, signedInPhone, signInOnLoginPage, YANGWEI, YANGWEI_CADRE } from './journey';
import { phoneContext, startStage } from './support';

/*
 * A villager enters this month's round from 我的家庭: picks three photos (one a 4000×3000
 * picture that the phone shrinks before sending), writes a few words and submits; the public
 * entry page shows the photos and "0/50" and gives a share poster. The village cadre hides one
 * photo with a reason, and the villager is told why. A failed upload is retried without
 * picking the photo again.
 */

const stage = startStage();

/** Villager of 洋尾村 with a confirmed household (demo county). */
const VILLAGER = '13900000101';
/** Another villager of 洋尾村, for the failed-upload test. */
const OTHER_VILLAGER = '13900000103';

/** Test photos, made once. */
let bigJpeg: Buffer;
let smallJpeg: Buffer;
let smallPng: Buffer;

/** A textured 4000×3000 JPEG (soft blotches plus grain), like a 12-megapixel phone photo. */
async function phonePhoto(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const coarse = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
  const base = await sharp(coarse).resize(width, height, { kernel: 'cubic' }).raw().toBuffer();
  const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 5 } } }).raw().toBuffer();
  for (let i = 0; i < base.length; i++) base[i] = Math.max(0, Math.min(255, base[i]! + grain[i]! - 128));
  return sharp(base, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

async function smallPhoto(width: number, height: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const img = sharp({ create: { width: width / 10, height: height / 10, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 120, sigma: 50 } } });
  const up = await img.png().toBuffer();
  const resized = sharp(up).resize(width, height, { kernel: 'cubic' });
  return format === 'jpeg' ? resized.jpeg({ quality: 85 }).toBuffer() : resized.png().toBuffer();
}

/** The picture inside a multipart body (the part after the first blank line that follows a filename). */
function fileInMultipart(body: Buffer): Buffer {
  const name = body.indexOf('filename=');
  const start = body.indexOf('\r\n\r\n', name) + 4;
  const end = body.lastIndexOf('\r\n--');
  return body.subarray(start, end);
}

beforeAll(async () => {
  [bigJpeg, smallJpeg, smallPng] = await Promise.all([
    phonePhoto(),
    smallPhoto(1200, 900, 'jpeg'),
    smallPhoto(800, 1000, 'png'),
  ]);
});

/** From 我的家庭, "参加本月评比" opens the editor of the new entry; its id. */
async function joinThisMonth(page: Page): Promise<string> {
  await page.getByRole('heading', { level: 1, name: '我的家庭' }).waitFor();
  await page.getByRole('button', { name: '参加本月评比' }).click();
  await page.waitForURL('**/entries/*/edit');
  await page.getByRole('heading', { level: 1, name: /参评作品$/ }).waitFor();
  await page.getByRole('button', { name: '从相册选择' }).waitFor();
  return decodeURIComponent(/\/entries\/([^/]+)\/edit/.exec(page.url())![1]!);
}

interface EntryJson {
  entry: { householdLabel: string; photos: Array<{ displayUrl: string; thumbUrl: string; width: number; height: number }> };
}

describe('entries and photos', () => {
  it('a villager enters with three photos (a big one shrunk on the phone), submits, shares a poster; the cadre hides a photo and the villager sees why', async () => {
    // ---- sign in and open the editor from 我的家庭
    const villager = await (await phoneContext(stage.browser, stage.app.url)).newPage();
    await villager.goto('/login');
    await signInOnLoginPage(villager, VILLAGER);
    await villager.getByRole('navigation').getByRole('link', { name: '我的家庭' }).click();
    await villager.waitForURL('**/me');
    const entryId = await joinThisMonth(villager);
    await villager.getByText('只要三步').waitFor();
    await villager.getByText('已有 0 张，最多 9 张。', { exact: false }).waitFor();

    // ---- three photos from the gallery; the first upload is held so its progress can be seen
    const sent: Buffer[] = [];
    villager.on('request', (r: Request) => {
      if (r.method() === 'POST' && /\/api\/entries\/[^/]+\/photos$/.test(r.url())) sent.push(r.postDataBuffer() ?? Buffer.alloc(0));
    });
    let release!: () => void;
    const held = new Promise<void>((ok) => (release = ok));
    let first = true;
    await villager.route('**/api/entries/*/photos', async (route: Route) => {
      if (first) {
        first = false;
        await held;
      }
      await route.continue();
    });

    const chooser = villager.waitForEvent('filechooser');
    await villager.getByRole('button', { name: '从相册选择' }).click();
    const picker = await chooser;
    expect(picker.isMultiple()).toBe(true);
    await picker.setFiles([
      { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: bigJpeg },
      { name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: smallJpeg },
      { name: 'IMG_0003.png', mimeType: 'image/png', buffer: smallPng },
    ]);

    // each photo shows its own state: the first is being sent, the others wait their turn
    const queue = villager.getByRole('list', { name: '正在上传的照片' }).getByRole('listitem');
    await expect.poll(() => queue.count()).toBe(3);
    await expectText(queue.nth(0), /正在上传 \d+%/);
    await expectText(queue.nth(1), /等待上传/, 15_000);
    await expectText(queue.nth(2), /等待上传/, 15_000);
    // the big photo shows what shrinking saved: "4.6 MB → 612 KB"
    await expectText(queue.nth(0), /全景 · \d+(\.\d)? MB → \d+ KB/);
    release();

    const uploaded = villager.getByRole('list', { name: '已上传的照片' }).getByRole('listitem');
    await expect.poll(() => uploaded.count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => villager.getByRole('list', { name: '正在上传的照片' }).count()).toBe(0);
    await villager.getByText('已有 3 张，最多 9 张。', { exact: false }).waitFor();
    await villager.getByText('照片已上传。').waitFor();
    await expectText(uploaded.nth(0), /第 1 张（封面）/);
    // thumbnails of what the server stored are shown
    await expect.poll(() => uploaded.locator('img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length)).toBe(3);
    await villager.unroute('**/api/entries/*/photos');

    // what went over the wire: the big photo as a 2048×1536 JPEG, far smaller than the original
    expect(sent).toHaveLength(3);
    const sentPictures = await Promise.all(sent.map(async (body) => ({ body, meta: await sharp(fileInMultipart(body)).metadata() })));
    const big = sentPictures.find((p) => Math.max(p.meta.width ?? 0, p.meta.height ?? 0) > 1600);
    expect(big, `sizes sent: ${sentPictures.map((p) => `${p.meta.width}×${p.meta.height} ${p.body.length} B`).join(', ')}`).toBeDefined();
    expect(big!.meta.format).toBe('jpeg');
    expect(Math.max(big!.meta.width!, big!.meta.height!)).toBeLessThanOrEqual(2048);
    expect(big!.body.length, `sent ${big!.body.length} B for a ${bigJpeg.length} B photo`).toBeLessThan(bigJpeg.length / 5);
    expect(big!.body.length).toBeLessThan(1024 * 1024);

    // what the server keeps to show: long side at most 1600 (the big photo exactly 1600)
    const stored = (await (await villager.request.get(`/api/entries/${entryId}`)).json()) as EntryJson;
    expect(stored.entry.photos).toHaveLength(3);
    const displays = await Promise.all(
      stored.entry.photos.map(async (p) => sharp(Buffer.from(await (await villager.request.get(p.displayUrl)).body())).metadata()),
    );
    for (const d of displays) expect(Math.max(d.width!, d.height!)).toBeLessThanOrEqual(1600);
    expect(displays.map((d) => Math.max(d.width!, d.height!))).toContain(1600);
    const label = stored.entry.householdLabel;

    await expectAccessible(villager, 'entry editor with three photos');
    await capture(villager, 'entry-edit-360');

    // ---- a few words, then 提交参评 (the description is saved with it)
    await villager.getByLabel('介绍一下您家庭院（最多 500 字）').fill('院子里种了月季和三角梅，杂物都收进了棚子，门口每天打扫。');
    await villager.getByText('写好停一下就会自动保存', { exact: false }).waitFor();
    await villager.getByRole('button', { name: '提交参评' }).click();
    await villager.getByText('提交成功！请亲友来点赞，满 50 个赞就能进入实地核实。').waitFor();
    await villager.getByText('已提交，正在集赞').first().waitFor();
    await villager.getByText('已经提交参评了。', { exact: false }).waitFor();
    await villager.goto(`/entries/${entryId}`);
    await villager.getByText('请亲友帮您点赞：把链接发到微信群，或者保存海报发朋友圈。').waitFor();
    await villager.goBack();

    // ---- anyone can open the entry page: photos, 0/50, the description, the poster
    const visitor = await (await phoneContext(stage.browser, stage.app.url)).newPage();
    await visitor.goto(`/entries/${entryId}`);
    await visitor.getByRole('heading', { level: 1, name: label }).waitFor();
    // The page names itself (the browser tab, a shared link's card): which courtyard, which village.
    await expect.poll(() => visitor.title()).toMatch(new RegExp(`^${label}（编号 \\d+） · 洋尾村 · 美丽庭院$`));
    const viewer = visitor.getByRole('region', { name: '庭院照片，可以左右滑动' });
    await viewer.waitFor();
    await visitor.getByText('第 1 张，共 3 张').waitFor();
    await expect.poll(() => viewer.locator('img').first().evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // On slow data the photos come as they are reached: the first and the next, the third once the second is shown.
    expect(await viewer.locator('img').count()).toBe(2);
    await visitor.getByRole('button', { name: '下一张' }).click();
    await visitor.getByText('第 2 张，共 3 张').waitFor();
    await expect.poll(() => viewer.locator('img').count()).toBe(3);
    await visitor.getByRole('button', { name: '上一张' }).click();
    await visitor.getByText('第 1 张，共 3 张').waitFor();
    await visitor.getByText('0/50', { exact: true }).waitFor();
    await visitor.getByText('院子里种了月季和三角梅', { exact: false }).waitFor();
    await visitor.getByRole('button', { name: '点赞' }).waitFor();
    // a visitor is asked to pass it on, not told "your" relatives
    await visitor.getByText(`觉得${label}好看？把链接发到微信群，或者保存海报发朋友圈，请亲友也来点赞。`).waitFor();
    expect(await visitor.getByText('请亲友帮您点赞', { exact: false }).count()).toBe(0);
    await expectAccessible(visitor, 'entry page (anonymous)');
    await capture(visitor, 'entry-360');

    const downloading = visitor.waitForEvent('download');
    await visitor.getByRole('link', { name: '保存分享海报' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const poster = await sharp((await download.path())!).metadata();
    expect({ format: poster.format, width: poster.width, height: poster.height }).toEqual({ format: 'png', width: 750, height: 1200 });

    // the village gallery lists it
    await visitor.goto(`/villages/${YANGWEI}`);
    await visitor.getByRole('heading', { level: 1, name: '洋尾村' }).waitFor();
    // The gallery's card: the same 陈家庭院 may also stand on the winners wall and among the star courtyards.
    const card = visitor.locator('round-gallery').getByRole('link', { name: new RegExp(label) });
    await card.waitFor();
    await card.getByText('0/50', { exact: true }).waitFor();
    await settled(visitor);
    await capture(visitor, 'gallery-360');

    // ---- the cadre hides the second photo with a reason
    const reason = '这张照片不是本户的庭院';
    const cadre = await signedInPhone(stage.browser, stage.app.url, YANGWEI_CADRE);
    await cadre.goto('/console');
    await cadre.waitForURL(`**/console?village=${YANGWEI}`);
    await cadre.getByRole('tab', { name: '审核' }).click();
    await cadre.waitForURL('**/console?*tab=review*round=*');
    const item = cadre.getByRole('listitem').filter({ has: cadre.getByRole('button', { name: '隐藏照片' }) }).filter({ hasText: label }).first();
    await item.waitFor();
    // two families of one surname are told apart by their head and door, which only cadres see
    await item.getByText(/^户主 \S+ · \S+$/).waitFor();
    await cadre.getByText(/^共 \d+ 个作品，其中 0 个已隐藏。$/).waitFor();
    expect(await item.getByRole('button', { name: '隐藏照片' }).count()).toBe(3);
    await expectAccessible(cadre, 'console, review tab');
    await item.getByRole('button', { name: '隐藏照片' }).nth(1).click();
    const dialog = cadre.getByRole('dialog', { name: '隐藏这张照片' });
    await dialog.waitFor();
    await expectAccessible(cadre, 'console, hide-photo dialog');
    await dialog.getByLabel('隐藏原因').fill(reason);
    await dialog.getByRole('button', { name: '确定' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await cadre.getByText(`已隐藏${label}的一张照片。`).waitFor();
    await cadre.getByText(`已隐藏：${reason}`).waitFor();
    expect(await item.getByRole('button', { name: '恢复照片' }).count()).toBe(1);
    expect(await item.getByRole('button', { name: '隐藏照片' }).count()).toBe(2);
    // what the dialog said it would record can be read back: the entry's audit log
    await item.getByText('操作记录', { exact: true }).click();
    await expectText(item.locator('audit-trail li').last(), new RegExp(`村干部（${YANGWEI_CADRE}）[\\s\\S]*隐藏照片：${reason}`));
    await expectText(item.locator('audit-trail li').first(), /上传照片|报名参评/);
    await expectAccessible(cadre, 'console, review tab, audit log open');

    // ---- the villager is told why: editor, 我的家庭 and the inbox
    await villager.reload();
    await villager.getByText(`村干部隐藏了这张照片，别人看不到。原因：${reason}`).waitFor();
    await villager.goto('/me');
    await villager.getByText(`一张照片被村干部隐藏了。原因：${reason}`).waitFor();
    const inbox = villager.getByRole('region', { name: '消息' });
    await inbox.getByText(/有 \d+ 条未读消息。/).waitFor();
    await inbox.getByText(new RegExp(`一张照片已被村干部隐藏，原因：${reason}`)).waitFor();
    await expectAccessible(villager, 'me, a photo hidden');
    await capture(villager, 'me-photo-hidden-360');
    // the notice leads to the entry's page, which says what happened and offers to change the photos
    await inbox.getByRole('listitem').filter({ hasText: reason }).getByRole('link', { name: '查看作品' }).click();
    await villager.waitForURL(`**/entries/${entryId}`);
    await villager.getByRole('link', { name: '修改作品' }).waitFor();

    // ---- and the public page shows one photo fewer
    await visitor.goto(`/entries/${entryId}`);
    await visitor.getByRole('heading', { level: 1, name: label }).waitFor();
    await visitor.getByText('第 1 张，共 2 张').waitFor();
    expect(await visitor.getByRole('region', { name: '庭院照片，可以左右滑动' }).locator('img').count()).toBe(2);
    expect(await visitor.getByText(reason).count()).toBe(0);

    // ---- a phone whose clock runs months ahead still may change the entry: the server's clock decides
    await villager.context().clock.setFixedTime(new Date('2027-03-01T08:00:00+08:00'));
    await villager.goto(`/entries/${entryId}`);
    await villager.getByRole('heading', { level: 1, name: label }).waitFor();
    await villager.getByText('本轮截止：', { exact: false }).waitFor();
    await villager.getByRole('link', { name: '修改作品' }).waitFor();

    await villager.context().close();
    await visitor.context().close();
    await cadre.context().close();
  });

  it("a household's entry of a round that has ended opens read-only: no button there that can only fail", async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, OTHER_VILLAGER);
    await page.goto('/me');
    const mine = (await page.evaluate(() => fetch('/api/me/entries').then((r) => r.json()))) as { entries: Array<{ id: string; period: string; householdLabel: string }> };
    const october = mine.entries.find((e) => e.period === '2026-10')!;
    expect(october, JSON.stringify(mine)).toBeTruthy();
    await page.goto(`/entries/${october.id}/edit`);
    await page.getByRole('heading', { level: 1, name: `${october.householdLabel}参评作品` }).waitFor();
    await page.getByText(/^本轮已在 2026年10月31日 23:59 截止，作品不能再修改。$/).waitFor();
    await settled(page);
    expect(await page.locator('entry-photos img').count()).toBeGreaterThan(0);
    for (const name of ['删除', '拍照', '从相册选择', '保存介绍', '撤回参评']) expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.locator('input[type=file]').count()).toBe(0);
    await expectAccessible(page, 'entry editor, round ended');
    await capture(page, 'entry-edit-ended-360');
    await page.context().close();
  });

  it('a changed description is kept when the villager goes back without pressing 保存介绍', async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, '13900000104');
    await page.goto('/me');
    const mine = (await page.evaluate(() => fetch('/api/me/entries').then((r) => r.json()))) as { entries: Array<{ id: string; period: string }> };
    const november = mine.entries.find((e) => e.period === '2026-11')!;
    await page.goto(`/entries/${november.id}/edit`);
    const box = page.getByLabel('介绍一下您家庭院（最多 500 字）');
    await box.fill('门前新种了两棵桂花，院墙刷白了。');
    await page.getByRole('link', { name: '← 我的家庭' }).click();
    await page.waitForURL('**/me');
    await expect
      .poll(async () => ((await page.evaluate((id) => fetch(`/api/entries/${id}`).then((r) => r.json()), november.id)) as { entry: { description: string } }).entry.description)
      .toBe('门前新种了两棵桂花，院墙刷白了。');
    // and typing that pauses is saved by itself, and says so
    await page.goto(`/entries/${november.id}/edit`);
    expect(await box.inputValue()).toBe('门前新种了两棵桂花，院墙刷白了。');
    await box.fill('门前新种了两棵桂花，院墙刷白了，菜地也整理好了。');
    await page.getByText('介绍已保存。').waitFor();
    // and the page closed (or reloaded) at once after typing, before the pause, loses nothing either
    await box.fill('门前新种了两棵桂花，院墙刷白了，菜地也整理好了，还搭了葡萄架。');
    await page.reload();
    await expect
      .poll(async () => ((await page.evaluate((id) => fetch(`/api/entries/${id}`).then((r) => r.json()), november.id)) as { entry: { description: string } }).entry.description)
      .toBe('门前新种了两棵桂花，院墙刷白了，菜地也整理好了，还搭了葡萄架。');
    await page.context().close();
  });

  it('a photo whose upload fails is retried with "重试", without picking it again', async () => {
    const page = await signedInPhone(stage.browser, stage.app.url, OTHER_VILLAGER);
    await page.goto('/me');
    await joinThisMonth(page);

    const bodies: number[] = [];
    let calls = 0;
    await page.route('**/api/entries/*/photos', async (route: Route) => {
      bodies.push(route.request().postDataBuffer()?.length ?? 0);
      if (calls++ === 0) await route.abort('internetdisconnected');
      else await route.continue();
    });

    await page.locator('entry-photos input[type=file][multiple]').setInputFiles({ name: 'IMG_0101.jpg', mimeType: 'image/jpeg', buffer: smallJpeg });
    const pending = page.getByRole('list', { name: '正在上传的照片' }).getByRole('listitem');
    await expectText(pending.first(), /上传失败/, 15_000);
    await expectText(pending.first(), /网络连不上/);
    await expectText(pending.first(), /网络恢复后会自动重新上传/);
    await page.getByRole('button', { name: '不传这张' }).waitFor();
    await page.getByText('已有 0 张，最多 9 张。', { exact: false }).waitFor();
    await expectAccessible(page, 'entry editor, upload failed');

    await page.getByRole('button', { name: '重试' }).click();
    await page.getByText('照片已上传。').waitFor();
    await page.getByText('已有 1 张，最多 9 张。', { exact: false }).waitFor();
    expect(await page.getByRole('list', { name: '已上传的照片' }).getByRole('listitem').count()).toBe(1);
    expect(await page.getByRole('list', { name: '正在上传的照片' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '重试' }).count()).toBe(0);
    // the same shrunk photo went again: two requests of the same size
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);

    // When the phone comes back online, a photo that failed on the way goes again by itself.
    calls = 0;
    await page.locator('entry-photos input[type=file][multiple]').setInputFiles({ name: 'IMG_0102.png', mimeType: 'image/png', buffer: smallPng });
    await expectText(pending.first(), /上传失败/, 15_000);
    await page.context().setOffline(true);
    await page.context().setOffline(false);
    await page.getByText('已有 2 张，最多 9 张。', { exact: false }).waitFor();
    expect(await page.getByRole('list', { name: '正在上传的照片' }).count()).toBe(0);
    await page.context().close();
  });
});
