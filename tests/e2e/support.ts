import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildWeb as buildWebApp, serverArgs } from '../../server/build.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export interface RunningApp {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  logs: string[];
}

/** Where the browser tests build the web app; WEB_DIST lets parallel runs use their own folder. */
const WEB_DIST = process.env.WEB_DIST ?? 'dist/web';

/**
 * Build the web app once per run: skipped when the build is newer than every source, so that
 * test files after the first (and anyone else serving dist/web meanwhile) do not see it
 * emptied and rewritten under them. E2E_SKIP_BUILD uses an existing build as it is.
 */
export function buildWeb(): void {
  if (process.env.E2E_SKIP_BUILD && existsSync(join(ROOT, WEB_DIST, 'index.html'))) return;
  buildWebApp(WEB_DIST);
}

export interface StartOptions {
  /** Start on this data folder (a restart of an earlier run) instead of a fresh one. */
  dataDir?: string;
  /** Listen on this port (a restart keeps its address, so open pages and cookies still fit). */
  port?: number;
  /** Extra environment, e.g. `{ CLOCK_OFFSET_DAYS: '6' }` to run the demo clock ahead. */
  env?: Record<string, string>;
}

/**
 * The real server, as `npm start` runs it, on a free port with a fresh data folder and the demo
 * county — or, with `dataDir`, again on an earlier run's data (stop that one first).
 */
export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'courtyard-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, serverArgs(), {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DEMO: '1', PUBLIC_URL: url, HOST: '127.0.0.1', LOG_LEVEL: 'warn', WEB_DIST, SIGNIN_CODES_PER_IP_PER_HOUR: '1000', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => logs.push(String(d)));
  child.stderr!.on('data', (d) => logs.push(String(d)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${logs.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    dataDir,
    logs,
    stop: () =>
      new Promise((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

/** What a browser test file works with: the real server and a headless Chromium. */
export interface Stage {
  /** The running server; a test may put another in its place (restarted with its clock ahead), and that one is stopped after. */
  app: RunningApp;
  browser: Browser;
}

/**
 * Every browser test file starts the same way: the web app built, then the server and Chromium
 * started together before its tests, and both stopped after them.
 */
export function startStage(): Stage {
  const stage = {} as Stage;
  beforeAll(async () => {
    buildWeb();
    [stage.app, stage.browser] = await Promise.all([startApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await stage.browser?.close();
    await stage.app?.stop();
  });
  return stage;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // The browser's own words (file and date pickers) in Chinese, as on a villager's phone.
    env: { ...process.env, LANGUAGE: 'zh_CN' },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A phone-sized context: 360 px wide, touch, Chinese locale, Shanghai time. */
export async function phoneContext(browser: Browser, baseURL: string, more: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    ...more,
    baseURL,
    viewport: { width: 360, height: 780 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** Serious or critical accessibility violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Sign in through the API from inside the page's context, so the page's cookie jar gets the session. */
/** Sign `phone` in through the API (demo code) and return its session cookie (`cy_session=…`) for requests made outside a browser. */
export async function sessionCookie(baseURL: string, phone: string): Promise<string> {
  const headers = { origin: baseURL, 'content-type': 'application/json' };
  const otp = await fetch(`${baseURL}/api/auth/otp`, { method: 'POST', headers, body: JSON.stringify({ phone }) });
  if (!otp.ok) throw new Error(`code for ${phone} refused: ${otp.status} ${await otp.text()}`);
  const { devCode } = (await otp.json()) as { devCode: string };
  const login = await fetch(`${baseURL}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ phone, code: devCode }) });
  if (!login.ok) throw new Error(`sign-in of ${phone} failed: ${login.status} ${await login.text()}`);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

export async function signInByApi(context: BrowserContext, baseURL: string, phone: string): Promise<void> {
  const headers = { origin: baseURL, 'content-type': 'application/json' };
  const otp = await context.request.post(`${baseURL}/api/auth/otp`, { headers, data: { phone } });
  if (!otp.ok()) throw new Error(`code for ${phone} refused: ${otp.status()} ${await otp.text()}`);
  const { devCode } = (await otp.json()) as { devCode: string };
  const login = await context.request.post(`${baseURL}/api/auth/login`, { headers, data: { phone, code: devCode } });
  if (!login.ok()) throw new Error(`sign-in of ${phone} failed: ${login.status()} ${await login.text()}`);
}

/**
 * The people of a browser test file, through the API and on phones: each signs in once (a code a
 * minute) and that session serves both the requests that set things up and the pages looked at.
 * The server's address is read at each call: a test may restart it on the same port and data.
 */
export function peopleOf(stage: Stage) {
  const cookies = new Map<string, string>();

  async function signIn(phone: string): Promise<string> {
    const kept = cookies.get(phone);
    if (kept) return kept;
    const cookie = await sessionCookie(stage.app.url, phone);
    cookies.set(phone, cookie);
    return cookie;
  }

  /** A phone on which `phone` is signed in, with the same session the API calls use; `null`: a visitor's. */
  async function phoneOf(phone: string | null): Promise<Page> {
    const context = await phoneContext(stage.browser, stage.app.url);
    if (phone) {
      const cookie = await signIn(phone);
      const at = cookie.indexOf('=');
      await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: stage.app.url }]);
    }
    return context.newPage();
  }

  /** A JSON request as `phone` (or nobody) that must succeed; its answer. */
  async function call<T>(phone: string | null, method: string, path: string, body?: unknown): Promise<T> {
    const cookie = phone ? await signIn(phone) : '';
    const res = await fetch(`${stage.app.url}${path}`, {
      method,
      headers: { origin: stage.app.url, ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.ok, `${method} ${path}: ${res.status} ${text}`).toBe(true);
    return JSON.parse(text) as T;
  }

  return { signIn, phoneOf, call };
}
