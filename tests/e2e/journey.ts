import { expect } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, phoneContext, screenshot, signInByApi } from './support';

/*
 * Steps and checks shared by the browser journeys: signing in through the login page,
 * waiting for a page to finish loading, and what every visited page must pass (axe, no
 * sideways scrolling at 360 px, Chinese text drawn with real glyphs).
 */

/** 洋尾村 (磁灶镇) of the demo county: monthly rounds, 60 confirmed households. */
export const YANGWEI = '350582102207';
/** Village cadre of 洋尾村. */
export const YANGWEI_CADRE = '13900000002';

const LOADING = /正在加载|Loading/;

/** Wait until no "loading…" notice is left on the page (pages and place pickers). */
export async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.getByText(LOADING).count(), { timeout: 15_000 }).toBe(0);
}

/** Poll a locator's visible text until it matches. */
export async function expectText(locator: Locator, pattern: RegExp | string, timeout = 10_000): Promise<void> {
  const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
  await expect.poll(async () => ((await locator.count()) ? await locator.first().innerText() : ''), { timeout }).toMatch(re);
}

/** On the login page: type the number, get the demo code, fill it in, sign in. */
export async function signInOnLoginPage(page: Page, phone: string): Promise<void> {
  await page.getByLabel('手机号', { exact: true }).fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByText('演示验证码').waitFor();
  await page.getByRole('button', { name: '填入验证码' }).click();
  expect(await page.getByLabel('验证码', { exact: true }).inputValue()).toMatch(/^\d{6}$/);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

type Cookies = Awaited<ReturnType<BrowserContext['cookies']>>;
const sessions = new Map<string, Cookies>();

/** Keep a context's session so that later phones of the same person need no new code (one a minute). */
export async function rememberSession(context: BrowserContext, phone: string): Promise<void> {
  sessions.set(phone, await context.cookies());
}

/** A new phone on which `phone` is signed in: the session kept earlier, or a new one through the API. */
export async function signedInPhone(browser: Browser, baseURL: string, phone: string): Promise<Page> {
  const context = await phoneContext(browser, baseURL);
  const kept = sessions.get(phone);
  if (kept) await context.addCookies(kept);
  else {
    await signInByApi(context, baseURL, phone);
    await rememberSession(context, phone);
  }
  return context.newPage();
}

/** axe on the page as it is now: no serious or critical violation (soft, so the journey goes on). */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await settled(page);
  const violations = await axeViolations(page);
  expect.soft(violations, `axe on ${where}`).toEqual([]);
}

/**
 * Nothing sticks out sideways at 360 px: with the text as it comes, and with the phone's text
 * set large (150 %, as many older villagers have it; the app's sizes are in rem, so they follow).
 */
export async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const widths = await page.evaluate(() => {
    const root = document.documentElement;
    const normal = root.scrollWidth;
    const before = root.style.fontSize;
    root.style.fontSize = '150%';
    const large = root.scrollWidth;
    root.style.fontSize = before;
    return { normal, large };
  });
  expect.soft(widths.normal, `page width of ${where} at 360 px`).toBeLessThanOrEqual(360);
  expect.soft(widths.large, `page width of ${where} at 360 px with large text`).toBeLessThanOrEqual(360);
}

/**
 * Chinese text in `target` is drawn with a CJK font, not as missing-glyph boxes:
 * - the element has Han characters and a real size;
 * - Chromium reports (DevTools `CSS.getPlatformFontsForNode`) that a CJK font drew its glyphs;
 * - drawn in the element's own font, two different characters give different pixels, and
 *   neither looks like the glyph of an unassigned code point (the "tofu" box).
 */
export async function expectChineseRendered(page: Page, target: Locator, where: string): Promise<void> {
  const text = await target.innerText();
  expect(text, `heading of ${where}`).toMatch(/\p{Script=Han}/u);
  const box = await target.boundingBox();
  expect(box?.width ?? 0, `heading width on ${where}`).toBeGreaterThan(0);
  expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans CJK SC"', '庭院'))).toBe(true);

  await target.evaluate((el) => el.setAttribute('data-cjk-probe', ''));
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const found = await cdp.send('Runtime.evaluate', {
      expression: `(() => {
        const walk = (root) => {
          const hit = root.querySelector('[data-cjk-probe]');
          if (hit) return hit;
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const h = walk(el.shadowRoot); if (h) return h; }
          return null;
        };
        return walk(document);
      })()`,
    });
    const objectId = found.result.objectId;
    expect(objectId, `probe element on ${where}`).toBeTruthy();
    const { nodeId } = await cdp.send('DOM.requestNode', { objectId: objectId! });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const cjk = fonts.filter((f) => /CJK|Han Sans|WenQuanYi|Hei|Song|Ming/i.test(f.familyName) && f.glyphCount > 0);
    expect(cjk, `fonts used for "${text}" on ${where}: ${JSON.stringify(fonts)}`).not.toEqual([]);
  } finally {
    await cdp.detach();
    await target.evaluate((el) => el.removeAttribute('data-cjk-probe'));
  }

  const glyphs = await target.evaluate((el) => {
    const family = getComputedStyle(el).fontFamily;
    const draw = (ch: string) => {
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 64;
      const g = c.getContext('2d')!;
      g.font = `48px ${family}`;
      g.textBaseline = 'top';
      g.fillText(ch, 4, 4);
      const data = g.getImageData(0, 0, 64, 64).data;
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
      return { ink, pixels: Array.from(data).join(',') };
    };
    const ting = draw('庭');
    const yuan = draw('院');
    const missing = draw('\u0378'); // unassigned: drawn as the missing-glyph box, if at all
    return { inked: ting.ink > 0 && yuan.ink > 0, distinct: ting.pixels !== yuan.pixels, notTofu: ting.pixels !== missing.pixels && yuan.pixels !== missing.pixels };
  });
  expect(glyphs, `CJK glyphs on ${where}`).toEqual({ inked: true, distinct: true, notTofu: true });
}

/** Full-page screenshot at 360 px, plus the width and CJK checks on the page's main heading. */
export async function capture(page: Page, name: string): Promise<void> {
  await settled(page);
  await expectNoSidewaysScroll(page, name);
  await expectChineseRendered(page, page.getByRole('heading', { level: 1 }).first(), name);
  await screenshot(page, name);
}

/** The text of the element that has the focus, looking inside shadow roots. */
export function focusedText(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a?.textContent?.trim();
  });
}
