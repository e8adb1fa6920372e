import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeJpeg } from '../support/images';
import { capture, expectAccessible, expectText, settled } from './journey';
import { phoneContext, screenshot, sessionCookie, signInByApi, startStage } from './support';

/*
 * DESIGN §6: "The panel's scoring screen works offline once loaded: sheets are queued on the
 * phone and sent when the network returns, exactly once." A panel member of 岭畔村 opens the
 * queue with signal, loses it, scores three courtyards, reloads the page without signal (the
 * service worker brings back the app and the queue, the three sheets wait on the phone), gets
 * the signal back — and the server holds those three sheets, once each. The first answer is
 * lost on the way back, so that sheet is sent twice and must count once. Then another member's
 * sheet comes in: having read it, the member changes theirs only by saying why, and the panel's
 * sheets show the change with its reason and the points from before.
 */

const LINGPAN = '350582102201';
const LINGPAN_CADRE = '13900000003';
/** 陈丽珍, 村干部 on 岭畔村考评组. */
const MEMBER = { phone: '13900000022', name: '陈丽珍' };
/** 王志强, 镇干部 on the same panel. */
const OTHER_MEMBER = { phone: '13900000021', name: '王志强' };
/** Villagers of 岭畔村11号–13号, whose entries the member scores. */
const FAMILIES = [11, 12, 13].map((n) => ({ phone: `139000002${n}`, door: `岭畔村${n}号` }));
const CRITERIA = ['卫生情况', '美化情况', '开放情况', '文化内涵'] as const;
const KEYS = ['hygiene', 'beautification', 'openness', 'culture'] as const;
/** Points per courtyard, in door order; the third gives full marks for openness, so it needs a comment. */
const SHEETS = [
  { points: [32, 24, 11, 10], passed: true, comment: '' },
  { points: [35, 26, 12, 11], passed: true, comment: '' },
  { points: [28, 20, 15, 9], passed: false, comment: '院门常开，但后院堆放杂物。' },
];

const stage = startStage();

// ---------- the API, as the families and the cadre use it ----------

const signIn = (phone: string) => sessionCookie(stage.app.url, phone);

async function call<T>(cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stage.app.url}${path}`, {
    method,
    headers: { origin: stage.app.url, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${res.status} ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

async function currentRound(): Promise<string> {
  const village = (await (await fetch(`${stage.app.url}/api/villages/${LINGPAN}`)).json()) as { campaigns: Array<{ status: string; currentRound: { id: string } | null }> };
  return village.campaigns.find((c) => c.status === 'open' && c.currentRound)!.currentRound!.id;
}

/** A family enters its courtyard with one photo and submits; with 岭畔村's threshold 0 it qualifies at once. */
async function qualifiedEntry(roundId: string, phone: string, seed: number): Promise<string> {
  const cookie = await signIn(phone);
  const { entry } = await call<{ entry: { id: string } }>(cookie, 'POST', `/api/rounds/${roundId}/entries`, {});
  await call(cookie, 'PATCH', `/api/entries/${entry.id}`, { description: '房前屋后干净整洁，种了三角梅。' });
  const form = new FormData();
  form.append('kind', 'overview');
  form.append('file', new Blob([new Uint8Array(await makeJpeg(640, 480, { seed }))], { type: 'image/jpeg' }), 'courtyard.jpg');
  const photo = await fetch(`${stage.app.url}/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: stage.app.url, cookie }, body: form });
  expect(photo.status, await photo.clone().text()).toBe(201);
  const { entry: submitted } = await call<{ entry: { status: string } }>(cookie, 'POST', `/api/entries/${entry.id}/submit`, {});
  expect(submitted.status).toBe('qualified');
  return entry.id;
}

interface SheetView {
  member: string;
  passed: boolean;
  points: Record<string, number>;
  comment: string;
}

// ---------- the member's phone ----------

/** Fill in and submit the sheet of the courtyard open on the page. */
async function scoreCourtyard(page: Page, sheet: (typeof SHEETS)[number]): Promise<void> {
  await page.getByRole('button', { name: '提交评分' }).waitFor();
  await page.getByRole('radio', { name: sheet.passed ? '通过' : '不通过', exact: true }).check();
  // the steppers: +5 twice and +1 once make 11, then the exact figure is typed in
  await page.getByRole('button', { name: '卫生情况加 5 分' }).click();
  await page.getByRole('button', { name: '卫生情况加 5 分' }).click();
  await page.getByRole('button', { name: '卫生情况加 1 分' }).click();
  expect(await page.getByLabel(/^卫生情况得分/).inputValue()).toBe('11');
  for (const [i, name] of CRITERIA.entries()) await page.getByLabel(new RegExp(`^${name}得分`)).fill(String(sheet.points[i]));
  if (sheet.points.includes(15)) {
    // full marks: the sheet says so before sending
    await page.getByText('有项目打了 0 分或满分，必须写一句说明。').waitFor();
  }
  if (sheet.comment) await page.getByLabel('说明').fill(sheet.comment);
  await page.getByRole('button', { name: '提交评分' }).click();
  await page.getByText('待发送：评分已存在手机上').waitFor();
}

/** The member's state badge of a courtyard in the queue. */
function visit(page: Page, door: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('link', { name: new RegExp(door) }) });
}

/** What the outbox in IndexedDB says about each sheet: state, outcome, attempts. */
function outboxRecords(page: Page) {
  return page.evaluate(
    () =>
      new Promise<Array<{ doorNumber: string; state: string; outcome: string | null; attempts: number }>>((resolve, reject) => {
        const open = indexedDB.open('courtyard-panel');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('sheets').objectStore('sheets').getAll();
          req.onsuccess = () => resolve((req.result as Array<{ doorNumber: string; state: string; outcome: string | null; attempts: number }>).map(({ doorNumber, state, outcome, attempts }) => ({ doorNumber, state, outcome, attempts })));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

describe('panel scoring without signal', () => {
  it('queues three sheets offline, survives a reload offline, and sends each exactly once when the network returns', async () => {
    const roundId = await currentRound();
    const entryIds: string[] = [];
    for (const [i, f] of FAMILIES.entries()) entryIds.push(await qualifiedEntry(roundId, f.phone, 40 + i));

    const context = await phoneContext(stage.browser, stage.app.url);
    await signInByApi(context, stage.app.url, MEMBER.phone);
    const page = await context.newPage();

    // online: the member scores in one village, so 考评打分 opens its round without a search;
    // the queue is kept on the phone
    await page.goto('/');
    await page.getByRole('navigation').getByRole('link', { name: '考评打分' }).click();
    await page.waitForURL(`**/panel/rounds/${roundId}`);
    await page.getByRole('heading', { level: 1, name: '考评打分' }).waitFor();
    await page.getByText('已存到手机：没有信号也能打开名单、照片和评分表。').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${stage.app.url}/sw.js`);
    for (const f of FAMILIES) await expectText(visit(page, f.door), /未打分/);
    // door order, and the other order on request
    const doors = () => page.locator('ol.visits a .door').allInnerTexts();
    expect(await doors()).toEqual(FAMILIES.map((f) => f.door));
    await page.getByRole('button', { name: '截止日期' }).click();
    expect(await page.getByRole('button', { name: '截止日期' }).getAttribute('aria-pressed')).toBe('true');
    expect(await doors()).toEqual(FAMILIES.map((f) => f.door)); // same due date: door order within it
    await page.getByRole('button', { name: '门牌号' }).click();
    await expectAccessible(page, 'panel queue');
    await capture(page, 'panel-queue-360');

    // the sheet, checked while there is signal (capture() opens a DevTools session, and closing
    // one makes Chromium report navigator.onLine = true again under Playwright's offline mode)
    await page.getByRole('link', { name: new RegExp(FAMILIES[0]!.door) }).click();
    await page.getByRole('button', { name: '提交评分' }).waitFor();
    await expectAccessible(page, 'score sheet');
    await capture(page, 'panel-sheet-360');
    // with the phone's text at 150 %, the steppers keep every label whole: the score moves above the buttons
    const stepper = () =>
      page.locator('score-sheet-page .stepper').first().evaluate((el) => {
        const input = el.querySelector('input')!.getBoundingClientRect();
        const buttons = [...el.querySelectorAll('button')];
        return { clipped: buttons.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent!.trim()), scoreAbove: input.bottom <= Math.min(...buttons.map((b) => b.getBoundingClientRect().top)) };
      });
    expect(await stepper()).toEqual({ clipped: [], scoreAbove: false });
    const large = await page.addStyleTag({ content: 'html { font-size: 150% !important; }' });
    await expect.poll(stepper).toEqual({ clipped: [], scoreAbove: true });
    await capture(page, 'panel-sheet-large-text-360');
    await large.evaluate((el) => (el as HTMLStyleElement).remove());
    await expect.poll(stepper).toEqual({ clipped: [], scoreAbove: false });
    await page.getByRole('button', { name: /放大照片 1/ }).click();
    const zoom = page.getByRole('dialog');
    await zoom.waitFor();
    await expectAccessible(page, 'score sheet, photo enlarged');
    await zoom.getByRole('button', { name: '关闭' }).click();
    await zoom.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: '← 走访名单' }).click();
    await page.getByRole('heading', { level: 2, name: '走访名单' }).waitFor();

    // the signal goes; three courtyards are scored anyway
    await context.setOffline(true);
    for (const [i, f] of FAMILIES.entries()) {
      await page.getByRole('link', { name: new RegExp(f.door) }).click();
      await page.waitForURL(`**/panel/rounds/${roundId}/entries/${entryIds[i]}`);
      await page.getByRole('heading', { level: 1, name: new RegExp(f.door) }).waitFor();
      await scoreCourtyard(page, SHEETS[i]!);
      await page.getByRole('link', { name: '← 走访名单' }).click();
      await page.getByRole('heading', { level: 2, name: '走访名单' }).waitFor();
    }

    // reloaded without signal: the service worker brings back the app, the queue and its photos
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker(), 'the page came from the service worker').toBe(true);
    await page.getByRole('heading', { level: 1, name: '考评打分' }).waitFor();
    await page.getByText('现在没有网络。').waitFor();
    for (const f of FAMILIES) await expectText(visit(page, f.door), /待发送/);
    const waiting = page.getByRole('list', { name: '待发送的评分' });
    await expectText(page.getByText(/^待发送 \d+ 份$/), '待发送 3 份');
    expect(await waiting.getByRole('listitem').allInnerTexts()).toEqual(FAMILIES.map((f) => expect.stringContaining(f.door)));
    await expect.poll(() => page.locator('ol.visits img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0))).toEqual([true, true, true]);
    await expectAccessible(page, 'panel queue offline with sheets waiting');
    await screenshot(page, 'panel-queue-offline-360');

    // the signal returns, but the first answer is lost on its way back: the server has the sheet,
    // the phone does not know, sends it again with the same key and is told `replayed`
    let lost = 0;
    await page.route('**/api/entries/*/score-sheets/mine', async (route) => {
      if (lost > 0) return route.continue();
      lost++;
      await route.fetch();
      return route.abort('connectionreset');
    });
    await context.setOffline(false);
    await page.getByText('已发送 3 份').waitFor({ timeout: 60_000 });
    expect(lost).toBe(1);
    for (const f of FAMILIES) await expectText(visit(page, f.door), /已提交/);
    await expectText(visit(page, FAMILIES[0]!.door), /已交 1\/3 份/);
    const records = await outboxRecords(page);
    expect(records.map((r) => [r.doorNumber, r.state]).sort()).toEqual(FAMILIES.map((f) => [f.door, 'sent']));
    expect(records.find((r) => r.doorNumber === FAMILIES[0]!.door)?.outcome).toBe('replayed');

    // the cadre sees exactly those three sheets, once each
    const cadre = await signIn(LINGPAN_CADRE);
    for (const [i, id] of entryIds.entries()) {
      const { sheets } = await call<{ sheets: SheetView[] }>(cadre, 'GET', `/api/entries/${id}/score-sheets`);
      expect(sheets, `sheets of ${FAMILIES[i]!.door}`).toHaveLength(1);
      const sheet = sheets[0]!;
      const expected = SHEETS[i]!;
      expect(sheet.member).toBe(MEMBER.name);
      expect(sheet.passed).toBe(expected.passed);
      expect(sheet.points).toEqual(Object.fromEntries(KEYS.map((k, j) => [k, expected.points[j]])));
      expect(sheet.comment).toBe(expected.comment);
    }

    // after sending, the member sees the panel's sheets and the explained score
    await page.getByRole('link', { name: new RegExp(FAMILIES[0]!.door) }).click();
    await page.getByRole('heading', { level: 2, name: '考评组的评分' }).waitFor();
    // Seeing the others is a step of its own: after it, a change needs a reason.
    await page.getByText('看过其他成员的评分以后，如果再改自己的评分，需要写明原因。').waitFor();
    await page.getByRole('button', { name: '查看其他成员的评分' }).click();
    await page.getByText('卫生情况 32.0（目前只有 1 份评分）').waitFor();
    await page.getByText('已收到 1 份评分表，少于最少 3 份，暂不排名。').waitFor();
    await settled(page);

    // another member's sheet comes in; having read it, the member changes theirs only with a reason
    const other = await signIn(OTHER_MEMBER.phone);
    await call(other, 'PUT', `/api/entries/${entryIds[0]}/score-sheets/mine`, { passed: true, points: { hygiene: 38, beautification: 25, openness: 12, culture: 11 }, comment: '', idempotencyKey: 'e2e-other-member-1' });
    await page.reload();
    await page.getByRole('button', { name: '查看其他成员的评分' }).click();
    await page.getByText('各成员的评分表（2 份）').waitFor();
    await page.getByText('您已经看过其他成员的评分。修改评分需要写明原因').waitFor();
    await page.getByLabel(/^卫生情况得分/).fill('37');
    await page.getByRole('button', { name: '提交评分' }).click();
    await page.getByText('您看过其他成员的评分后修改了评分，请写明为什么修改').first().waitFor();
    expect((await outboxRecords(page)).find((r) => r.doorNumber === FAMILIES[0]!.door)?.state).toBe('sent'); // nothing new was queued
    await expectAccessible(page, 'score sheet asking why it changes');
    await capture(page, 'panel-sheet-revision-360');
    await page.getByLabel(/^为什么修改/).fill('一起复看后院，卫生比我第一次看到的好。');
    // a phone whose sheet arrives without the reason (an older copy of the app) is refused: the
    // outbox keeps it as refused with the server's words and does not send it again
    await page.route('**/api/entries/*/score-sheets/mine', (route) => {
      const { revisionReason: _dropped, ...sheet } = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      return route.continue({ postData: JSON.stringify(sheet) });
    });
    await page.getByRole('button', { name: '提交评分' }).click();
    await expectText(page.getByRole('alert').filter({ hasText: '这份评分没有被接受' }), /您已经看过其他成员的评分，修改自己的评分表需要写明修改原因/);
    const refused = (await outboxRecords(page)).find((r) => r.doorNumber === FAMILIES[0]!.door);
    expect(refused).toMatchObject({ state: 'failed', attempts: 1 });
    await page.unroute('**/api/entries/*/score-sheets/mine');
    await page.getByRole('button', { name: '提交评分' }).click();
    const mine = page.locator('score-summary li.sheet').filter({ hasText: MEMBER.name });
    await mine.getByText('看过其他成员评分后修改').waitFor({ timeout: 30_000 });
    await expectText(mine, /修改原因：一起复看后院，卫生比我第一次看到的好。/);
    await expectText(mine, /看其他成员评分前：实地核实通过 · 卫生情况 32 · 美化情况 24/);
    const { sheets: forCadre } = await call<{ sheets: Array<SheetView & { revisedAfterViewing: { reason: string; original: { points: Record<string, number> } } | null }> }>(cadre, 'GET', `/api/entries/${entryIds[0]}/score-sheets`);
    expect(forCadre.find((x) => x.member === MEMBER.name)).toMatchObject({ points: { hygiene: 37 }, revisedAfterViewing: { reason: '一起复看后院，卫生比我第一次看到的好。', original: { points: { hygiene: 32 } } } });
    await context.close();
  });
});
