import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../support/images';
import { capture, expectAccessible } from './journey';
import { phoneContext, sessionCookie, signInByApi, startStage } from './support';

// A panel member takes an on-site photo on the scoring sheet; it is kept with the sheet and
// seen by the cadre, not by the public.

const LINGPAN = '350582102201';
const MEMBER = '13900000024';

const stage = startStage();

describe('on-site photos on the scoring sheet', () => {
  it('the member takes one; it shows on the sheet, and its address is closed to the public', async () => {
    const village = (await (await fetch(`${stage.app.url}/api/villages/${LINGPAN}`)).json()) as { campaigns: Array<{ status: string; currentRound: { id: string } | null }> };
    const roundId = village.campaigns.find((c) => c.status === 'open' && c.currentRound)!.currentRound!.id;
    const family = await sessionCookie(stage.app.url, '13900000207');
    const json = { origin: stage.app.url, cookie: family, 'content-type': 'application/json' };
    const { entry } = (await (await fetch(`${stage.app.url}/api/rounds/${roundId}/entries`, { method: 'POST', headers: json, body: '{}' })).json()) as { entry: { id: string } };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480, { seed: 77 }))], { type: 'image/jpeg' }), 'c.jpg');
    expect((await fetch(`${stage.app.url}/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: stage.app.url, cookie: family }, body: form })).status).toBe(201);
    expect((await fetch(`${stage.app.url}/api/entries/${entry.id}/submit`, { method: 'POST', headers: json, body: '{}' })).status).toBe(200);

    const context = await phoneContext(stage.browser, stage.app.url);
    await signInByApi(context, stage.app.url, MEMBER);
    const page = await context.newPage();
    await page.goto(`/panel/rounds/${roundId}/entries/${entry.id}`);
    await page.getByRole('heading', { name: '现场照片（选填）' }).waitFor();
    await page.locator('onsite-photos input[type=file]').setInputFiles({ name: 'onsite.jpg', mimeType: 'image/jpeg', buffer: await makeJpeg(1800, 1200, { seed: 78 }) });
    const thumb = page.getByRole('img', { name: '现场照片 1' });
    await thumb.waitFor();
    await expectAccessible(page, 'scoring sheet with an on-site photo');
    const src = await thumb.getAttribute('src');
    expect(src).toMatch(/^\/api\/photos\/[0-9a-f]{64}\/thumb\.webp$/);
    expect((await page.request.get(`${stage.app.url}${src}`)).status()).toBe(200);
    expect((await fetch(`${stage.app.url}${src}`)).status).toBe(404);
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
