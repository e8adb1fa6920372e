import { describe, expect, it } from 'vitest';
import { makeJpeg } from '../support/images';
import { expectAccessible } from './journey';
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
});
