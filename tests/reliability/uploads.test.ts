import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { addPhoto, createEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';
import { heicLike, HTML_TAIL, makeJpeg, pixelBomb, SVG_IMAGE } from '../support/images.ts';
import { freePort, killHard, report, startServer } from './support.ts';

// Issue 7 (d): the photo issue's abuse set, sent over real HTTP to the real server process
// (its multipart streaming, body limits and photo workers): each bad upload gets its 4xx,
// nothing of it is stored, no upload is left half-written, and the server stays healthy.

const YANGWEI = '350582102207';
const DAY = 86_400_000;
let server: ChildProcess | null = null;
afterAll(() => {
  if (server) void killHard(server);
});

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The demo county; a draft entry of 洋尾村1号 (the villager's) and a full entry of 洋尾村2号 (nine photos). */
function prepare(dataDir: string) {
  const now = Date.now();
  // A quiet county (no played-through history): nothing else writes photos while the abuse set runs.
  const { db } = prepareData(dataDir, { demo: true, now, history: false });
  const sql = db.$client;
  const rounds = `select r.id from rounds r join campaign_villages cv on cv.campaign_id = r.campaign_id where cv.village_id = '${YANGWEI}'`;
  if (!sql.prepare(`${rounds} and r.starts_at <= ? and r.ends_at >= ?`).get(now, now)) {
    sql.prepare(`update rounds set starts_at = ?, ends_at = ? where id = (${rounds} order by r.seq desc limit 1)`).run(now - DAY, now + DAY);
  }
  const round = (sql.prepare(`${rounds} and r.starts_at <= ? and r.ends_at >= ?`).get(now, now) as { id: string }).id;
  const account = (phone: string) => (sql.prepare(`select id from accounts where phone = ?`).get(phone) as { id: string }).id;
  const household = (n: number) => (sql.prepare(`select id from households where village_id = ? and door_number = ?`).get(YANGWEI, `洋尾村${n}号`) as { id: string }).id;
  const cadre = account('13900000002');
  const own = createEntry(db, { roundId: round, householdId: household(1), villageId: YANGWEI, description: '', actorId: account('13900000101'), byProxy: false }, now);
  const full = createEntry(db, { roundId: round, householdId: household(2), villageId: YANGWEI, description: '', actorId: cadre, byProxy: true }, now);
  for (let i = 0; i < 9; i++) {
    const key = sha256(`full-${i}`);
    addPhoto(db, full.id, 'detail', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadre, now);
  }
  const session = (accountId: string) => {
    const token = randomBytes(24).toString('hex');
    sql.prepare(`insert into sessions (token_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)`).run(sha256(token), accountId, now, now + DAY);
    return `cy_session=${token}`;
  };
  const cookies = { villager: session(account('13900000101')), neighbour: session(account('13900000102')), cadre: session(cadre) };
  sql.close();
  return { own: own.id, full: full.id, cookies };
}

describe('upload abuse against the real server', () => {
  it('every bad upload gets its 4xx, nothing is stored, the server stays healthy', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-reliability-uploads-'));
    const fx = prepare(dataDir);
    const port = await freePort();
    server = await startServer(dataDir, port);
    const base = `http://127.0.0.1:${port}`;
    const origin = base;

    const photoRows = () => {
      const db = new Database(join(dataDir, 'courtyard.db'), { readonly: true });
      try {
        return (db.prepare(`select count(*) as n from photos`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const storedFiles = () => files(join(dataDir, 'photos')).filter((f) => !f.includes('.staging'));
    const form = (bytes: Uint8Array | null, name = 'photo.jpg', type = 'image/jpeg', kind?: string) => {
      const f = new FormData();
      if (bytes) f.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
      if (kind !== undefined) f.append('kind', kind);
      return f;
    };
    const post = (body: BodyInit, headers: Record<string, string> = {}, entryId = fx.own, extra: RequestInit = {}) =>
      fetch(`${base}/api/entries/${entryId}/photos`, { method: 'POST', headers: { origin, cookie: fx.cookies.villager, ...headers }, body, ...extra } as RequestInit);

    const jpeg = await makeJpeg(400, 300, { seed: 5 });
    const big = Buffer.concat([jpeg.subarray(0, 64), Buffer.alloc(16 * 1024 * 1024 - 64)]);
    const justOver = Buffer.concat([jpeg.subarray(0, 64), Buffer.alloc(15 * 1024 * 1024 + 1 - 64)]);
    const boundary = 'courtyard-boundary';
    const multipart = (file: Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const streamOf = (buf: Buffer) =>
      new ReadableStream<Uint8Array>({
        start(ctrl) {
          for (let at = 0; at < buf.length; at += 1 << 20) ctrl.enqueue(new Uint8Array(buf.subarray(at, at + (1 << 20))));
          ctrl.close();
        },
      });

    const abuse: Array<[string, () => Promise<Response>, number]> = [
      ['truncated JPEG', () => post(form(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)))), 400],
      ['pixel bomb (PNG claiming 20000 × 20000)', () => post(form(pixelBomb(), 'small.png', 'image/png')), 413],
      ['SVG with a script', () => post(form(SVG_IMAGE, 'a.svg', 'image/svg+xml')), 415],
      ['GIF', () => post(form(Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'), 'a.gif', 'image/gif')), 415],
      ['text named .jpg', () => post(form(Buffer.from('这不是照片'))), 415],
      ['iPhone HEIC', () => post(form(heicLike(), 'IMG_1.HEIC', 'image/heic')), 415],
      ['16 MB as a browser form', () => post(form(big)), 413],
      ['16 MB with content-length', () => post(multipart(big), { 'content-type': `multipart/form-data; boundary=${boundary}` }), 413],
      ['16 MB streamed without a length', () => post(streamOf(multipart(big)) as unknown as BodyInit, { 'content-type': `multipart/form-data; boundary=${boundary}` }, fx.own, { duplex: 'half' } as RequestInit), 413],
      ['a file just over 15 MB', () => post(form(justOver)), 413],
      ['a 10th photo', () => post(form(jpeg), {}, fx.full, { headers: { origin, cookie: fx.cookies.cadre } }), 409],
      ['JSON instead of a form', () => post(JSON.stringify({ file: 'aGVsbG8=' }), { 'content-type': 'application/json' }), 415],
      ['a form without a file', () => post(form(null, undefined, undefined, 'overview')), 400],
      ['a bad kind', () => post(form(jpeg, 'a.jpg', 'image/jpeg', 'selfie')), 400],
      ['multipart without a boundary', () => post('garbage', { 'content-type': 'multipart/form-data' }), 400],
      ['to a neighbour’s entry', () => post(form(jpeg), { cookie: fx.cookies.neighbour }), 403],
      ['without signing in', () => fetch(`${base}/api/entries/${fx.own}/photos`, { method: 'POST', headers: { origin }, body: form(jpeg) }), 401],
      ['from another site (Origin)', () => post(form(jpeg), { origin: 'https://evil.example' }), 403],
    ];

    const before = { rows: photoRows(), files: storedFiles() };
    const answers: string[] = [];
    const wrong: string[] = [];
    let resets = 0;
    for (const [what, send, expected] of abuse) {
      let status = -1;
      let text = '';
      // After refusing a big body the server reads on for at most 500 ms, then closes the
      // connection; a request the client sent on it meanwhile fails as a network error, as a
      // browser would see it. Such a request is sent once more on a new connection and counted.
      for (let attempt = 0; attempt < 2 && status === -1; attempt++) {
        try {
          const res = await send();
          status = res.status;
          text = await res.text();
        } catch (e) {
          if (attempt === 0) resets++;
          text = String((e as Error).cause ?? e);
        }
      }
      answers.push(`${what}: ${status}`);
      if (status !== expected) wrong.push(`${what}: expected ${expected}, got ${status} ${text.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(photoRows(), 'photo rows after the abuse set').toBe(before.rows);
    expect(storedFiles(), 'photo files after the abuse set').toEqual(before.files);

    // A polyglot (JPEG + HTML) is taken, but what is served is a clean WebP.
    const poly = await post(form(Buffer.concat([jpeg, Buffer.from(HTML_TAIL)]), 'x.html', 'text/html'));
    expect(poly.status).toBe(201);
    const entry = ((await poly.json()) as { entry: { photos: Array<{ displayUrl: string }> } }).entry;
    const served = Buffer.from(await (await fetch(`${base}${entry.photos[0]!.displayUrl}`, { headers: { cookie: fx.cookies.villager } })).arrayBuffer());
    expect(served.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(served.toString('latin1').toLowerCase()).not.toContain('<script');

    // No upload is left half-written in the staging folder, and the server still answers.
    const staging = join(dataDir, 'photos', '.staging');
    const leftovers = existsSync(staging) ? readdirSync(staging).filter((f) => statSync(join(staging, f)).isFile()) : [];
    expect(leftovers).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await killHard(server);
    report('(d) upload abuse', 'bad uploads refused as expected (real server)', `${abuse.length - wrong.length} of ${abuse.length}; stored: 0 rows, 0 files, 0 staging leftovers`);
    report('(d) upload abuse', 'requests cut off by a connection closed after a refused big body', resets);
  });
});
