import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../support/images';
import { capture, expectAccessible, expectText } from './journey';
import { phoneContext, screenshot, sessionCookie, signInByApi, startStage } from './support';

// A panel member takes an on-site photo on the scoring sheet; it is kept with the sheet and
// seen by the cadre, not by the public. Taken without signal, it waits on the phone and is sent,
// once, when the signal returns.

const LINGPAN = '350582102201';
const MEMBER = '13900000024';

const stage = startStage();

async function currentRound(): Promise<string> {
  const village = (await (await fetch(`${stage.app.url}/api/villages/${LINGPAN}`)).json()) as { campaigns: Array<{ status: string; currentRound: { id: string } | null }> };
  return village.campaigns.find((c) => c.status === 'open' && c.currentRound)!.currentRound!.id;
}

/** A family of 岭畔村 enters its courtyard with one photo and submits; with threshold 0 it qualifies at once. */
async function qualifiedEntry(roundId: string, phone: string, seed: number): Promise<string> {
  const family = await sessionCookie(stage.app.url, phone);
  const json = { origin: stage.app.url, cookie: family, 'content-type': 'application/json' };
  const { entry } = (await (await fetch(`${stage.app.url}/api/rounds/${roundId}/entries`, { method: 'POST', headers: json, body: '{}' })).json()) as { entry: { id: string } };
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480, { seed }))], { type: 'image/jpeg' }), 'c.jpg');
  expect((await fetch(`${stage.app.url}/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: stage.app.url, cookie: family }, body: form })).status).toBe(201);
  expect((await fetch(`${stage.app.url}/api/entries/${entry.id}/submit`, { method: 'POST', headers: json, body: '{}' })).status).toBe(200);
  return entry.id;
}

describe('on-site photos on the scoring sheet', () => {
  it('the member takes one; it shows on the sheet, and its address is closed to the public', async () => {
    const roundId = await currentRound();
    const entry = { id: await qualifiedEntry(roundId, '13900000207', 77) };

    const context = await phoneContext(stage.browser, stage.app.url);
    await signInByApi(context, stage.app.url, MEMBER);
    const page = await context.newPage();
    await page.goto(`/panel/rounds/${roundId}/entries/${entry.id}`);
    await page.getByRole('heading', { name: '现场照片（选填）' }).waitFor();
    await page.locator('onsite-photos input[type=file]').setInputFiles({ name: 'onsite.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(1800, 1200, { seed: 78 }) });
    // exact: while it waits to be sent its name is 现场照片 1，等待发送
    const thumb = page.getByRole('img', { name: '现场照片 1', exact: true });
    await thumb.waitFor();
    await expectAccessible(page, 'scoring sheet with an on-site photo');
    const src = await thumb.getAttribute('src');
    expect(src).toMatch(/^\/api\/photos\/[0-9a-f]{64}\/thumb\.webp$/);
    expect((await page.request.get(`${stage.app.url}${src}`)).status()).toBe(200);
    expect((await fetch(`${stage.app.url}${src}`)).status).toBe(404);

    // a photo taken by mistake (a person in it) is taken back: gone from the sheet and from the server
    await page.getByRole('button', { name: '删除现场照片 1' }).click();
    await expect.poll(() => thumb.count()).toBe(0);
    expect((await page.request.get(`${stage.app.url}${src}`)).status()).toBe(404);
    await expectAccessible(page, 'scoring sheet after taking a photo back');
    await context.close();
  });

  it('a photo taken without signal waits on the phone, marked, and reaches the sheet once when the signal returns', async () => {
    const roundId = await currentRound();
    const entryId = await qualifiedEntry(roundId, '13900000208', 81);
    const member = '13900000023';
    const context = await phoneContext(stage.browser, stage.app.url);
    await signInByApi(context, stage.app.url, member);
    // what the server holds, asked with the member's session outside the page (whose network goes)
    const myPhotosOnServer = async () => {
      const queue = (await (await context.request.get(`${stage.app.url}/api/rounds/${roundId}/inspections`)).json()) as { entries: Array<{ entryId: string; myPhotos: Array<{ id: string; thumbUrl: string }> }> };
      return queue.entries.find((e) => e.entryId === entryId)!.myPhotos;
    };
    const page = await context.newPage();
    // the queue is opened with signal, so that the phone keeps it
    await page.goto(`/panel/rounds/${roundId}`);
    await page.getByText('已存到手机：没有信号也能打开名单、照片和评分表。').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: /岭畔村8号/ }).click();
    await page.getByRole('heading', { name: '现场照片（选填）' }).waitFor();

    // no signal in the courtyard: the camera still works, and the photo shows at once, waiting
    await context.setOffline(true);
    const take = page.getByRole('button', { name: '拍现场照片' });
    await expect.poll(() => take.isEnabled()).toBe(true);
    await page.locator('onsite-photos input[type=file]').setInputFiles({ name: 'onsite.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(1800, 1200, { seed: 82 }) });
    await page.getByRole('img', { name: '现场照片 1，等待发送' }).waitFor();
    await expectText(page.locator('onsite-photos [role=status]'), '1 张照片存在手机上，有网络后会自动发送。发送前请不要清理手机数据。');
    await expectText(page.locator('onsite-photos .strip'), /等待发送/);
    await expectAccessible(page, 'scoring sheet with an on-site photo waiting offline');
    await screenshot(page, 'sheet-onsite-photo-waiting-360');
    expect(await myPhotosOnServer()).toEqual([]);

    // the queue says so too, so that the member does not clear the phone
    await page.getByRole('link', { name: '← 走访名单' }).click();
    await page.getByRole('heading', { level: 2, name: '走访名单' }).waitFor();
    await page.getByRole('heading', { name: '手机上的评分和现场照片' }).waitFor();
    await expectText(page.getByText(/^现场照片待发送 \d+ 张$/), '现场照片待发送 1 张');
    await expectText(page.getByRole('list', { name: '待发送的现场照片' }), /岭畔村8号.*1 张/);
    await expectAccessible(page, 'panel queue offline with an on-site photo waiting');
    await screenshot(page, 'panel-queue-onsite-photo-waiting-360');

    // the signal returns, but the first answer is lost on its way back: the server has the photo,
    // the phone sends the same bytes again, and the sheet keeps one photo
    let lost = 0;
    let posts = 0;
    await page.route('**/api/entries/*/score-sheets/mine/photos?*', async (route) => {
      posts++;
      if (lost > 0) return route.continue();
      lost++;
      await route.fetch();
      return route.abort('connectionreset');
    });
    await context.setOffline(false);
    await page.getByRole('heading', { name: '手机上的评分和现场照片' }).waitFor({ state: 'detached', timeout: 60_000 });
    expect(lost).toBe(1);
    expect(posts).toBe(2);
    const onServer = await myPhotosOnServer();
    expect(onServer).toHaveLength(1);
    await page.unroute('**/api/entries/*/score-sheets/mine/photos?*');

    // back on the sheet: the photo is the server's, no longer waiting
    await page.getByRole('link', { name: /岭畔村8号/ }).click();
    const thumb = page.getByRole('img', { name: '现场照片 1', exact: true });
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toBe(onServer[0]!.thumbUrl);
    expect(await page.getByRole('img', { name: /等待发送/ }).count()).toBe(0);

    // a photo the server refuses shows its reason and is removed by the member, not silently dropped
    await page.route('**/api/entries/*/score-sheets/mine/photos?*', (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: { code: 'scoring_closed', message: '本轮评分已截止，不能再上传现场照片。' } }) }),
    );
    await page.locator('onsite-photos input[type=file]').setInputFiles({ name: 'onsite2.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(900, 600, { seed: 83 }) });
    const refused = page.getByRole('alert').filter({ hasText: '1 张现场照片没有被接受' });
    await expectText(refused, /本轮评分已截止，不能再上传现场照片。/);
    await expectAccessible(page, 'scoring sheet with an on-site photo refused');
    await screenshot(page, 'sheet-onsite-photo-refused-360');
    await refused.getByRole('button', { name: '删除这张照片（第 1 张）' }).click();
    await refused.waitFor({ state: 'detached' });
    await page.unroute('**/api/entries/*/score-sheets/mine/photos?*');
    expect(await myPhotosOnServer()).toHaveLength(1);

    // a photo still waiting on the phone is taken back before it is ever sent (a person in the yard)
    await context.setOffline(true);
    await page.locator('onsite-photos input[type=file]').setInputFiles({ name: 'onsite3.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(900, 600, { seed: 84 }) });
    await page.getByRole('img', { name: '现场照片 2，等待发送' }).waitFor();
    await page.getByRole('button', { name: '删除现场照片 2' }).click();
    await expect.poll(() => page.getByRole('img', { name: /等待发送/ }).count()).toBe(0);
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(1500);
    expect(await myPhotosOnServer()).toHaveLength(1);
    await context.close();
  });

  it('a member on two villages\' panels picks one from 您考评的村, without searching town and village', async () => {
    const village = (await (await fetch(`${stage.app.url}/api/villages/${LINGPAN}`)).json()) as { campaigns: Array<{ id: string; status: string; currentRound: { id: string } | null }> };
    const campaign = village.campaigns.find((c) => c.status === 'open' && c.currentRound)!;
    // 林国华 sits on 洋尾村's panel; 岭畔村's cadre adds him to a second panel of its own contest
    const cadre = await sessionCookie(stage.app.url, '13900000003');
    const added = await fetch(`${stage.app.url}/api/campaigns/${campaign.id}/panels`, {
      method: 'POST',
      headers: { origin: stage.app.url, cookie: cadre, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '岭畔村第二考评组',
        members: [
          { phone: '13900000013', role: '网格员', name: '林国华' },
          { phone: '13900000003', role: '村干部', name: '岭畔村干部' },
          { phone: '13900000214', role: '村民代表', name: '岭畔村民' },
        ],
      }),
    });
    expect(added.status, await added.clone().text()).toBe(201);

    const context = await phoneContext(stage.browser, stage.app.url);
    await signInByApi(context, stage.app.url, '13900000013');
    const page = await context.newPage();
    await page.goto('/panel');
    await page.getByRole('heading', { name: '您考评的村' }).waitFor();
    expect(await page.locator('.villages').getByRole('button').allInnerTexts()).toEqual(expect.arrayContaining(['洋尾村', '岭畔村']));
    await expectAccessible(page, 'scoring, choosing among the member\'s villages');
    await capture(page, 'panel-my-villages-360');
    await page.getByRole('button', { name: '岭畔村' }).click();
    await page.waitForURL(`**/panel/rounds/${campaign.currentRound!.id}`);
    await context.close();
  });
});
