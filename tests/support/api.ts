import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.ts';
import { prepareData } from '../../server/boot.ts';
import type { Db } from '../../server/db/client.ts';
import { fixedClock } from '../../server/lib/clock.ts';
import { memoryDelivery } from '../../server/lib/delivery.ts';
import { jsonLogger } from '../../server/lib/log.ts';
import { localPhotoStore } from '../../server/media/store.ts';
import { PhotoPool } from '../../server/media/pool.ts';
import { LikeWriter } from '../../server/db/likes.ts';

/** One pool of photo workers per test file, as the server has one. */
const photoPool = new PhotoPool(1);

export const ORIGIN = 'http://localhost';
/** 2026-11-27 10:00 in Shanghai. */
export const T0 = Date.parse('2026-11-27T10:00:00+08:00');

const templates = new Map<string, string>();

function templateFor(demo: boolean, now: number, history: boolean): string {
  const key = `${demo}:${now}:${history}`;
  let file = templates.get(key);
  if (!file) {
    const dir = mkdtempSync(join(tmpdir(), 'courtyard-template-'));
    const { db } = prepareData(dir, { demo, now, history });
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
    file = join(dir, 'courtyard.db');
    templates.set(key, file);
  }
  return file;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  delivery: ReturnType<typeof memoryDelivery>;
  dataDir: string;
  /** Send a request as a browser on this site would (Origin set; JSON body encoded). */
  req(method: string, path: string, options?: { body?: unknown; cookie?: string; headers?: Record<string, string>; ip?: string }): Promise<Response>;
  /** Request a code and sign in; returns the session cookie header value. */
  signIn(phone: string): Promise<string>;
}

/**
 * A fresh data folder with a migrated database, the county's places and (by default) the
 * demo county, and the app wired to an in-memory delivery and a clock the test controls.
 */
export function makeApp(options: { demo?: boolean; now?: number; publicUrl?: string; history?: boolean } = {}): TestApp {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-test-'));
  const clock = fixedClock(options.now ?? T0);
  const demo = options.demo ?? true;
  // Seeding the county takes a while; copy a seeded database made once per test file instead.
  const template = templateFor(demo, clock.now(), options.history ?? false);
  copyFileSync(template, join(dataDir, 'courtyard.db'));
  const { db } = prepareData(dataDir, { demo, now: clock.now(), history: options.history ?? false });
  const delivery = memoryDelivery();
  const app = createApp({ db, clock, delivery, log: jsonLogger('silent'), photos: localPhotoStore(join(dataDir, 'photos')), photoPool, likes: new LikeWriter(db), secret: 'test-secret', demo: true, publicUrl: options.publicUrl ?? 'http://localhost:8787' });

  const req: TestApp['req'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { origin: ORIGIN, ...o.headers };
    if (o.cookie) headers.cookie = o.cookie;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' || o.body instanceof Uint8Array ? (o.body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const env = { incoming: { socket: { remoteAddress: o.ip ?? '10.0.0.1' } } };
    return Promise.resolve(app.request(path, { method, headers, body }, env));
  };

  const signIn: TestApp['signIn'] = async (phone) => {
    const otp = await req('POST', '/api/auth/otp', { body: { phone } });
    if (otp.status !== 200) throw new Error(`otp for ${phone}: ${otp.status} ${await otp.text()}`);
    const { devCode } = (await otp.json()) as { devCode: string };
    const login = await req('POST', '/api/auth/login', { body: { phone, code: devCode } });
    if (login.status !== 200) throw new Error(`login for ${phone}: ${login.status} ${await login.text()}`);
    const setCookie = login.headers.get('set-cookie') ?? '';
    // Let the next code for this phone be requested without waiting a minute.
    clock.advance(61_000);
    return setCookie.split(';')[0]!;
  };

  return { app, db, clock, delivery, dataDir, req, signIn };
}

export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string; details?: unknown }> {
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
  return { status: res.status, ...body.error };
}
