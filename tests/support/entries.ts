import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { expect } from 'vitest';
import { entries, photos } from '../../server/db/schema.ts';
import { errorOf, ORIGIN, type TestApp } from './api.ts';
import { makeJpeg } from './images.ts';

// Fixtures and checks shared by the entries, photos, moderation and privacy API tests.

export const VILLAGES = { lingpan: '350582102201', yangwei: '350582102207', huashan: '350582105201' } as const;
export const PHONES = {
  yangweiCadre: '13900000002',
  lingpanCadre: '13900000003',
  yangweiGridWorker: '13900000013',
  /** Villagers of 洋尾村, each of a confirmed household (洋尾村1号, 2号, …). */
  yangwei: (n: number) => `139000001${String(n).padStart(2, '0')}`,
  /** Villagers of 岭畔村, each of a confirmed household. */
  lingpan: (n: number) => `139000002${String(n).padStart(2, '0')}`,
} as const;

export const CHINESE = /[\u4e00-\u9fff]/;

export type PhotoKind = 'overview' | 'before' | 'after' | 'detail';

export interface PhotoView {
  id: string;
  kind: PhotoKind;
  position: number;
  thumbUrl: string;
  displayUrl: string;
  width: number;
  height: number;
  hidden?: { reason: string; at: string } | null;
  capturedAt?: string | null;
  takenOutsideRound?: boolean;
}

export interface EntryView {
  id: string;
  roundId: string;
  villageId: string;
  householdLabel: string;
  description: string;
  status: string;
  likeCount: number;
  threshold: number;
  qualifiedAt: string | null;
  submittedAt: string | null;
  byProxy: boolean;
  coverUrl: string | null;
  photos: PhotoView[];
  hidden?: { reason: string; at: string } | null;
  mayWithdraw?: boolean | null;
}

export interface EntryCard {
  id: string;
  householdLabel: string;
  status: string;
  coverUrl: string | null;
  photoCount: number;
  byProxy: boolean;
}

/** The round of a village's open campaign that takes entries now (洋尾村: 2026-11; 岭畔村: the single window). */
export async function currentRound(t: TestApp, villageId: string): Promise<string> {
  const res = await t.req('GET', `/api/villages/${villageId}`);
  const body = (await res.json()) as { campaigns: Array<{ status: string; currentRound: { id: string } | null }> };
  const round = body.campaigns.find((c) => c.status === 'open' && c.currentRound)?.currentRound;
  if (!round) throw new Error(`no current round in ${villageId}`);
  return round.id;
}

/** Assert a refusal: its status, its code and a Chinese sentence for the person. */
export async function expectError(res: Response, status: number, code: string) {
  const err = await errorOf(res);
  expect({ status: err.status, code: err.code }).toEqual({ status, code });
  expect(err.message).toMatch(CHINESE);
  return err;
}

export async function entryOf(res: Response, status = 200): Promise<EntryView> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return (JSON.parse(text) as { entry: EntryView }).entry;
}

/** Enter a household in a round (its own, or householdId for 代录); the 201 answer's entry. */
export async function enter(t: TestApp, cookie: string, roundId: string, body: Record<string, unknown> = {}): Promise<EntryView> {
  return entryOf(await t.req('POST', `/api/rounds/${roundId}/entries`, { cookie, body }), 201);
}

/** A multipart upload as the browser sends it. */
export function upload(
  t: TestApp,
  cookie: string,
  entryId: string,
  file: Uint8Array | null,
  options: { name?: string; type?: string; kind?: string } = {},
): Promise<Response> {
  const form = new FormData();
  if (file) form.append('file', new Blob([new Uint8Array(file)], { type: options.type ?? 'image/jpeg' }), options.name ?? 'photo.jpg');
  if (options.kind !== undefined) form.append('kind', options.kind);
  return Promise.resolve(t.app.request(`/api/entries/${entryId}/photos`, { method: 'POST', headers: { origin: ORIGIN, cookie }, body: form }));
}

/** Upload that must succeed; returns the entry as the uploader now sees it. */
export async function addPhoto(t: TestApp, cookie: string, entryId: string, file: Uint8Array, options: { name?: string; type?: string; kind?: string } = {}) {
  return entryOf(await upload(t, cookie, entryId, file, options), 201);
}

/** A signed-in household member with a submitted entry of `photoCount` distinct photos. */
export async function submittedEntry(t: TestApp, phone: string, roundId: string, options: { photoCount?: number; seed?: number; description?: string } = {}) {
  const cookie = await t.signIn(phone);
  const entry = await enter(t, cookie, roundId, { description: options.description ?? '院子干净整洁，种满了花。' });
  for (let i = 0; i < (options.photoCount ?? 1); i++) await addPhoto(t, cookie, entry.id, await makeJpeg(320, 240, { seed: (options.seed ?? 1) * 100 + i }));
  const submitted = await entryOf(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }));
  return { cookie, entry: submitted };
}

/** Every file under the photo store. */
export function storedFiles(t: TestApp): string[] {
  const root = join(t.dataDir, 'photos');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** What an upload or entry change may store: entry and photo rows, and photo files. Equal snapshots = nothing stored. */
export function stored(t: TestApp) {
  return {
    entries: t.db.select().from(entries).all(),
    photos: t.db.select().from(photos).all(),
    files: storedFiles(t),
  };
}

export function photoRowCount(t: TestApp): number {
  return t.db.select({ n: count() }).from(photos).get()!.n;
}

/** The chunk types of a RIFF/WebP file, in order (VP8 , VP8L, VP8X, ALPH, ICCP, EXIF, XMP , ANIM…). */
export function riffChunks(buf: Uint8Array): string[] {
  const b = Buffer.from(buf);
  expect(b.toString('ascii', 0, 4)).toBe('RIFF');
  expect(b.toString('ascii', 8, 12)).toBe('WEBP');
  const out: string[] = [];
  let at = 12;
  while (at + 8 <= b.length) {
    out.push(b.toString('ascii', at, at + 4));
    const size = b.readUInt32LE(at + 4);
    at += 8 + size + (size % 2);
  }
  expect(at).toBe(b.length);
  return out;
}

/** GET a binary answer: status, headers and bytes. */
export async function fetchBytes(t: TestApp, path: string, cookie?: string) {
  const res = await t.req('GET', path, cookie ? { cookie } : {});
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}
