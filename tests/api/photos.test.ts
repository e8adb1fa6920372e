import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { errorOf, makeApp, ORIGIN, type TestApp } from '../support/api.ts';
import {
  addPhoto,
  CHINESE,
  currentRound,
  enter,
  entryOf,
  expectError,
  fetchBytes,
  PHONES,
  riffChunks,
  stored,
  upload,
  VILLAGES,
} from '../support/entries.ts';
import { UPLOADS_AT_ONCE } from '../../server/routes/guard.ts';
import { UPLOAD_IDLE_MS } from '../../server/routes/upload.ts';
import { heicLike, HTML_TAIL, makeJpeg, makePng, makeWebp, pixelBomb, SVG_IMAGE } from '../support/images.ts';

// DESIGN §5: JPEG, PNG and WebP by content; ≤ 15 MB, ≤ 50 megapixels, ≤ 9 per entry; every
// image decoded and re-encoded to WebP (display 1600, thumb 400), orientation applied, all
// metadata gone; capture time kept to flag photos taken outside the round; reuse flagged.

/** 洋尾村 with a draft entry of 洋尾村1号; its member's cookie. */
async function draft() {
  const t = makeApp();
  const roundId = await currentRound(t, VILLAGES.yangwei);
  const cookie = await t.signIn(PHONES.yangwei(1));
  const entry = await enter(t, cookie, roundId);
  return { t, roundId, cookie, entry };
}

/** A JPEG whose EXIF says it was taken at `when` (EXIF local time), with GPS and camera as a phone writes them. */
function jpegTakenAt(when: string, seed: number) {
  return makeJpeg(320, 240, { seed }).then((j) =>
    sharp(j)
      .withExif({ IFD0: { Make: 'TestPhone', DateTime: when }, IFD2: { DateTimeOriginal: when }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '24/1 48/1 0/1' } })
      .jpeg()
      .toBuffer(),
  );
}

/** A multipart body written by hand: the file field and the closing boundary. */
function multipart(file: Buffer, boundary = 'courtyard-boundary') {
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  return { body: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

/** A 16 MB "photo": a real JPEG's first bytes, then zeros. Cheap to make, too big to take. */
async function sixteenMegabytes() {
  const j = await makeJpeg(64, 64);
  return Buffer.concat([j.subarray(0, 64), Buffer.alloc(16 * 1024 * 1024 - 64)]);
}

function expectNothingStored(t: TestApp, before: ReturnType<typeof stored>) {
  expect(stored(t)).toEqual(before);
}

describe('what an upload may be', () => {
  it('a PNG named .jpg is taken by what it is, and a WebP too; both come back as WebP', async () => {
    const { t, cookie, entry } = await draft();
    const one = await addPhoto(t, cookie, entry.id, await makePng(300, 200), { name: 'IMG_0001.jpg', type: 'image/jpeg' });
    const two = await addPhoto(t, cookie, entry.id, await makeWebp(200, 300), { name: 'photo.webp', type: 'image/webp', kind: 'detail' });
    expect(two.photos.map((p) => [p.kind, p.width, p.height])).toEqual([['overview', 300, 200], ['detail', 200, 300]]);
    expect(one.photos[0]!.displayUrl).toMatch(/^\/api\/photos\/[0-9a-f]{64}\/display\.webp$/);
    for (const p of two.photos) {
      const { res, bytes } = await fetchBytes(t, p.displayUrl, cookie);
      expect(res.status).toBe(200);
      expect((await sharp(bytes).metadata()).format).toBe('webp');
    }
  });

  it('a truncated JPEG is 400 photo_unreadable and nothing is stored', async () => {
    const { t, cookie, entry } = await draft();
    const whole = await makeJpeg(400, 300, { seed: 3 });
    const before = stored(t);
    const err = await expectError(await upload(t, cookie, entry.id, whole.subarray(0, Math.floor(whole.length * 0.6))), 400, 'photo_unreadable');
    expect(err.message).toContain('损坏');
    expectNothingStored(t, before);
  });

  it('a pixel bomb (a small PNG claiming 20000 × 20000) is 413 too_many_pixels and nothing is stored', async () => {
    const { t, cookie, entry } = await draft();
    const bomb = pixelBomb();
    expect(bomb.length).toBeLessThan(100_000);
    const before = stored(t);
    const err = await expectError(await upload(t, cookie, entry.id, bomb, { name: 'small.png', type: 'image/png' }), 413, 'too_many_pixels');
    expect(err.message).toContain('像素');
    expectNothingStored(t, before);
  });

  it('a JPEG with HTML appended is taken, but what is served is a WebP without a trace of the HTML', async () => {
    const { t, cookie, entry } = await draft();
    const polyglot = Buffer.concat([await makeJpeg(320, 240, { seed: 4 }), Buffer.from(HTML_TAIL)]);
    const e = await addPhoto(t, cookie, entry.id, polyglot, { name: 'x.html', type: 'text/html' });
    for (const url of [e.photos[0]!.displayUrl, e.photos[0]!.thumbUrl]) {
      const { res, bytes } = await fetchBytes(t, url, cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
      const text = bytes.toString('latin1').toLowerCase();
      expect(text).not.toContain('<script');
      expect(text).not.toContain('<html');
      expect(riffChunks(bytes).every((c) => ['VP8 ', 'VP8L', 'VP8X', 'ALPH'].includes(c))).toBe(true);
    }
  });

  it.each([
    ['an SVG (with a script in it)', SVG_IMAGE, 'image/svg+xml', 'drawing.svg'],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'), 'image/gif', 'a.gif'],
    ['a text file named .jpg', Buffer.from('这不是照片'), 'image/jpeg', 'fake.jpg'],
  ])('%s is 415 unsupported_photo_type and nothing is stored', async (_what, bytes, type, name) => {
    const { t, cookie, entry } = await draft();
    const before = stored(t);
    const err = await expectError(await upload(t, cookie, entry.id, bytes, { type, name }), 415, 'unsupported_photo_type');
    expect(err.message).toMatch(/JPG|PNG|WebP/);
    expectNothingStored(t, before);
  });

  it('an iPhone HEIC photo is 415 with a message that says what to do', async () => {
    const { t, cookie, entry } = await draft();
    const before = stored(t);
    const err = await expectError(await upload(t, cookie, entry.id, heicLike(), { name: 'IMG_1234.HEIC', type: 'image/heic' }), 415, 'unsupported_photo_type');
    expect(err.message).toContain('HEIC');
    // Says how to get a photo that works: through the web page, or the camera's compatible format.
    expect(err.message).toMatch(/网页|兼容性最佳/);
    expectNothingStored(t, before);
  });

  it('a 16 MB file is 413 and nothing is stored: as a browser form, with a content-length, and streamed without one', async () => {
    const { t, cookie, entry } = await draft();
    const big = await sixteenMegabytes();
    const before = stored(t);
    await expectError(await upload(t, cookie, entry.id, big), 413, 'body_too_large');

    const { body, type } = multipart(big);
    const path = `/api/entries/${entry.id}/photos`;
    const withLength = await t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, cookie, 'content-type': type, 'content-length': String(body.length) }, body });
    await expectError(withLength, 413, 'body_too_large');

    const stream = new ReadableStream<Uint8Array>({
      start(ctrl) {
        for (let at = 0; at < body.length; at += 1 << 20) ctrl.enqueue(new Uint8Array(body.subarray(at, at + (1 << 20))));
        ctrl.close();
      },
    });
    const streamed = await t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, cookie, 'content-type': type }, body: stream, duplex: 'half' } as RequestInit);
    await expectError(streamed, 413, 'body_too_large');
    expectNothingStored(t, before);
  });

  it(`one account sends at most ${UPLOADS_AT_ONCE} photos at once: the next is 429 with Retry-After, and the first ones go on`, async () => {
    const { t, cookie, entry } = await draft();
    const { body, type } = multipart(await makeJpeg(320, 240));
    const path = `/api/entries/${entry.id}/photos`;
    // Uploads that wait on a slow line until let go.
    const gates: Array<() => void> = [];
    const slow = () =>
      t.app.request(path, {
        method: 'POST',
        headers: { origin: ORIGIN, cookie, 'content-type': type },
        body: new ReadableStream<Uint8Array>({
          start(ctrl) {
            ctrl.enqueue(new Uint8Array(body.subarray(0, 100)));
            gates.push(() => {
              ctrl.enqueue(new Uint8Array(body.subarray(100)));
              ctrl.close();
            });
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const sending = Array.from({ length: UPLOADS_AT_ONCE }, slow);
    await new Promise((r) => setTimeout(r, 50));
    const refused = await t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, cookie, 'content-type': type }, body });
    const err = await expectError(refused, 429, 'uploads_at_once');
    expect(err.message).toContain('正在上传');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const go of gates) go();
    expect((await Promise.all(sending)).map((r) => r.status)).toEqual(Array(UPLOADS_AT_ONCE).fill(201));
    // Once they are done, the next photo is taken.
    expect((await t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, cookie, 'content-type': type }, body })).status).toBe(201);
  });

  it('an upload that stops sending is given up after a minute (408), and its place is free again', async () => {
    const { t, cookie, entry } = await draft();
    const { body, type } = multipart(await makeJpeg(320, 240, { seed: 5 }));
    const path = `/api/entries/${entry.id}/photos`;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      // Three lines that send their first bytes and then nothing more.
      const hanging = Array.from({ length: UPLOADS_AT_ONCE }, () =>
        t.app.request(path, {
          method: 'POST',
          headers: { origin: ORIGIN, cookie, 'content-type': type },
          body: new ReadableStream<Uint8Array>({ start: (ctrl) => ctrl.enqueue(new Uint8Array(body.subarray(0, 100))) }),
          duplex: 'half',
        } as RequestInit),
      );
      await vi.advanceTimersByTimeAsync(UPLOAD_IDLE_MS + 1000);
      for (const res of await Promise.all(hanging)) await expectError(res, 408, 'upload_stalled');
    } finally {
      vi.useRealTimers();
    }
    expect((await t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, cookie, 'content-type': type }, body })).status).toBe(201);
  });

  it('the same file sent twice to an entry (a phone that gave up waiting for the answer) is one photo', async () => {
    const { t, cookie, entry } = await draft();
    const jpeg = await makeJpeg(320, 240, { seed: 77 });
    const first = await upload(t, cookie, entry.id, jpeg);
    expect(first.status).toBe(201);
    const again = await upload(t, cookie, entry.id, jpeg);
    expect(again.status).toBe(201);
    const photos = ((await again.json()) as { entry: { photos: Array<{ id: string }> } }).entry.photos;
    expect(photos).toHaveLength(1);
    expect(photos[0]!.id).toBe(((await first.json()) as { entry: { photos: Array<{ id: string }> } }).entry.photos[0]!.id);
  });

  it('a refused upload gives its place back: after a 413 and a 415, three photos still go at once', async () => {
    const { t, cookie, entry } = await draft();
    await expectError(await upload(t, cookie, entry.id, await sixteenMegabytes()), 413, 'body_too_large');
    await expectError(await upload(t, cookie, entry.id, heicLike(), { name: 'IMG_1.HEIC', type: 'image/heic' }), 415, 'unsupported_photo_type');
    const sent = await Promise.all([1, 2, 3].map(async (seed) => upload(t, cookie, entry.id, await makeJpeg(160, 120, { seed: 100 + seed }))));
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201]);
  });

  it('a file just over 15 MB inside an otherwise small request is 413 photo_too_large', async () => {
    const { t, cookie, entry } = await draft();
    const j = await makeJpeg(64, 64);
    const file = Buffer.concat([j.subarray(0, 64), Buffer.alloc(15 * 1024 * 1024 + 1 - 64)]);
    const before = stored(t);
    const err = await expectError(await upload(t, cookie, entry.id, file), 413, 'photo_too_large');
    expect(err.message).toContain('15 MB');
    expectNothingStored(t, before);
  });

  it('a 10th photo is 409 too_many_photos; after deleting one there is room again', async () => {
    const { t, cookie, entry } = await draft();
    let e = entry;
    for (let i = 0; i < 9; i++) e = await addPhoto(t, cookie, entry.id, await makeJpeg(96, 72, { seed: 200 + i }));
    expect(e.photos.map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(e.photos.map((p) => p.displayUrl)).size).toBe(9);
    const before = stored(t);
    const err = await expectError(await upload(t, cookie, entry.id, await makeJpeg(96, 72, { seed: 300 })), 409, 'too_many_photos');
    expect(err.message).toContain('9');
    expectNothingStored(t, before);
    await entryOf(await t.req('DELETE', `/api/entries/${entry.id}/photos/${e.photos[0]!.id}`, { cookie }));
    await addPhoto(t, cookie, entry.id, await makeJpeg(96, 72, { seed: 300 }));
  });

  it('uploading to another household’s entry is 403, anonymously 401, and nothing is stored', async () => {
    const { t, entry } = await draft();
    const stranger = await t.signIn(PHONES.yangwei(2));
    const photo = await makeJpeg(160, 120);
    const before = stored(t);
    await expectError(await upload(t, stranger, entry.id, photo), 403, 'forbidden');
    const anonymous = await t.app.request(`/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: ORIGIN }, body: (() => { const f = new FormData(); f.append('file', new Blob([new Uint8Array(photo)]), 'a.jpg'); return f; })() });
    await expectError(anonymous, 401, 'unauthenticated');
    expectNothingStored(t, before);
  });

  it('JSON sent to the upload route is 415; a form without a file is 400 naming the field; a bad kind is 400', async () => {
    const { t, cookie, entry } = await draft();
    const before = stored(t);
    await expectError(await t.req('POST', `/api/entries/${entry.id}/photos`, { cookie, body: { file: 'aGVsbG8=', kind: 'overview' } }), 415, 'unsupported_media_type');
    // No file: a 400 that names the field (the code may be the generic invalid_input or file_required).
    const emptyForm = new FormData();
    emptyForm.append('file', new Blob([]), ''); // what a browser form sends when no file was chosen
    const textForm = new FormData();
    textForm.append('file', '/storage/emulated/0/DCIM/a.jpg'); // a text field in place of the file
    const onlyKind = new FormData();
    onlyKind.append('kind', 'overview');
    for (const form of [onlyKind, emptyForm, textForm]) {
      const res = await t.app.request(`/api/entries/${entry.id}/photos`, { method: 'POST', headers: { origin: ORIGIN, cookie }, body: form });
      const err = await errorOf(res);
      expect(err.status).toBe(400);
      expect(err.code).toMatch(/^(invalid_input|file_required)$/);
      expect(err.message).toMatch(CHINESE);
      expect(JSON.stringify(err.details)).toContain('file');
    }
    const badKind = await expectError(await upload(t, cookie, entry.id, await makeJpeg(96, 72), { kind: 'selfie' }), 400, 'invalid_input');
    expect(JSON.stringify(badKind.details)).toContain('kind');
    expectNothingStored(t, before);
  });
});

describe('what is served', () => {
  it('a JPEG with GPS and camera EXIF is served with no metadata at all, display and thumb', async () => {
    const { t, cookie, entry } = await draft();
    const original = await makeJpeg(640, 480, { exif: true, seed: 6 });
    // The fixture really carries what a phone would leak.
    expect(original.toString('latin1')).toContain('TestPhone');
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const e = await addPhoto(t, cookie, entry.id, original);
    for (const url of [e.photos[0]!.displayUrl, e.photos[0]!.thumbUrl]) {
      const { res, bytes } = await fetchBytes(t, url, cookie);
      expect(res.status).toBe(200);
      const chunks = riffChunks(bytes);
      expect(chunks).not.toContain('EXIF');
      expect(chunks).not.toContain('XMP ');
      expect(chunks).not.toContain('ICCP');
      const text = bytes.toString('latin1');
      for (const leak of ['TestPhone', 'Courtyard X1', 'Exif', 'GPS', '2026:11:20']) expect(text).not.toContain(leak);
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
    }
  });

  it('EXIF orientation is applied: a 600×400 JPEG marked "rotate 90°" comes out portrait', async () => {
    const { t, cookie, entry } = await draft();
    const rotated = await sharp(await makeJpeg(600, 400, { seed: 8 })).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await sharp(rotated).metadata()).toMatchObject({ width: 600, height: 400, orientation: 6 });
    const e = await addPhoto(t, cookie, entry.id, rotated);
    expect(e.photos[0]).toMatchObject({ width: 400, height: 600 });
    const { bytes } = await fetchBytes(t, e.photos[0]!.displayUrl, cookie);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height]).toEqual([400, 600]);
    expect(meta.orientation).toBeUndefined();
  });

  it('served photos are WebP with nosniff and a long cache; display long side ≤ 1600, thumb ≤ 400', async () => {
    const { t, cookie, entry } = await draft();
    const e = await addPhoto(t, cookie, entry.id, await makeJpeg(2400, 1800, { seed: 10, quality: 70 }));
    expect(e.photos[0]).toMatchObject({ width: 1600, height: 1200 });
    await entryOf(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }));

    const sizes: Array<[string, number, number]> = [];
    for (const url of [e.photos[0]!.displayUrl, e.photos[0]!.thumbUrl]) {
      const { res, bytes } = await fetchBytes(t, url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const maxAge = Number(/max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1] ?? 0);
      expect(maxAge).toBeGreaterThanOrEqual(30 * 24 * 3600);
      expect(res.headers.get('cache-control')).toContain('public');
      const meta = await sharp(bytes).metadata();
      sizes.push([meta.format!, meta.width!, meta.height!]);
    }
    expect(sizes).toEqual([['webp', 1600, 1200], ['webp', 400, 300]]);
  });

  it('a small photo is not enlarged', async () => {
    const { t, cookie, entry } = await draft();
    const e = await addPhoto(t, cookie, entry.id, await makeJpeg(300, 200));
    const { bytes } = await fetchBytes(t, e.photos[0]!.displayUrl, cookie);
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 300, height: 200 });
  });

  it('a photo of a draft entry is not served to the public or a neighbour (404), but is to the household and its cadre, privately', async () => {
    const { t, cookie, entry } = await draft();
    const e = await addPhoto(t, cookie, entry.id, await makeJpeg(320, 240, { seed: 11 }));
    const { displayUrl, thumbUrl } = e.photos[0]!;
    const neighbour = await t.signIn(PHONES.yangwei(2));
    const cadre = await t.signIn(PHONES.yangweiCadre);
    for (const url of [displayUrl, thumbUrl]) {
      await expectError(await t.req('GET', url), 404, 'not_found');
      await expectError(await t.req('GET', url, { cookie: neighbour }), 404, 'not_found');
      for (const who of [cookie, cadre]) {
        const res = await t.req('GET', url, { cookie: who });
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toMatch(/private|no-store/);
      }
    }
    await entryOf(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }));
    expect((await t.req('GET', displayUrl)).status).toBe(200);
  });

  it('a photo key that does not exist, or is not a key, is 404 or 400', async () => {
    const { t } = await draft();
    await expectError(await t.req('GET', `/api/photos/${'a'.repeat(64)}/display.webp`), 404, 'not_found');
    expect((await t.req('GET', '/api/photos/..%2F..%2Fcourtyard.db/display.webp')).status).toBe(400);
    expect((await t.req('GET', `/api/photos/${'a'.repeat(64)}/original.jpg`)).status).toBe(400);
  });
});

describe('capture time', () => {
  it('a photo whose EXIF date lies outside the round’s month is shown to the household as taken outside the round, and flagged to the cadre', async () => {
    const { t, roundId, cookie, entry } = await draft();
    await addPhoto(t, cookie, entry.id, await jpegTakenAt('2026:10:15 08:00:00', 21));
    await addPhoto(t, cookie, entry.id, await jpegTakenAt('2026:11:20 09:30:00', 22));
    const e = await addPhoto(t, cookie, entry.id, await makeJpeg(320, 240, { seed: 23 }));
    expect(e.photos.map((p) => [p.capturedAt, p.takenOutsideRound])).toEqual([
      ['2026-10-15T08:00:00.000+08:00', true],
      ['2026-11-20T09:30:00.000+08:00', false],
      [null, false],
    ]);
    const mine = (await (await t.req('GET', '/api/me/entries', { cookie })).json()) as { entries: Array<{ photos: Array<{ takenOutsideRound?: boolean }> }> };
    expect(mine.entries[0]!.photos.map((p) => p.takenOutsideRound)).toEqual([true, false, false]);

    await entryOf(await t.req('POST', `/api/entries/${entry.id}/submit`, { cookie }));
    const page = await entryOf(await t.req('GET', `/api/entries/${entry.id}`));
    expect(page.photos[0]).not.toHaveProperty('takenOutsideRound');

    const cadre = await t.signIn(PHONES.yangweiCadre);
    const flags = (await (await t.req('GET', `/api/rounds/${roundId}/photo-flags`, { cookie: cadre })).json()) as { outsideRound: Array<{ photoId: string; capturedAt: string }> };
    expect(flags.outsideRound).toEqual([expect.objectContaining({ photoId: e.photos[0]!.id, capturedAt: '2026-10-15T08:00:00.000+08:00' })]);
  });
});

describe('reused photos', () => {
  interface Flag {
    kind: 'exact' | 'near';
    sameHousehold: boolean;
    photo: { photoId: string; displayUrl: string; thumbUrl: string };
    match: { photoId: string; displayUrl: string; thumbUrl: string };
  }

  async function flagsOf(t: TestApp, roundId: string, cookie: string) {
    const res = await t.req('GET', `/api/rounds/${roundId}/photo-flags`, { cookie });
    expect(res.status).toBe(200);
    return ((await res.json()) as { reused: Flag[] }).reused;
  }

  it('the same JPEG from another household is flagged exact, a resized re-encoded copy near, a different photo not at all', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const original = await makeJpeg(800, 600, { seed: 7 });
    const copy = await sharp(original).resize(600).jpeg({ quality: 60 }).toBuffer();
    const different = await makeJpeg(800, 600, { seed: 5 });

    const upload1 = async (n: number, bytes: Buffer) => {
      const cookie = await t.signIn(PHONES.yangwei(n));
      const e = await enter(t, cookie, roundId);
      return (await addPhoto(t, cookie, e.id, bytes)).photos[0]!;
    };
    const first = await upload1(1, original);
    const same = await upload1(2, original);
    const resized = await upload1(3, copy);
    const other = await upload1(4, different);

    const cadre = await t.signIn(PHONES.yangweiCadre);
    const reused = await flagsOf(t, roundId, cadre);
    const pairs = reused.map((f) => [f.photo.photoId, f.match.photoId, f.kind]);
    expect(pairs).toContainEqual([same.id, first.id, 'exact']);
    expect(pairs).toContainEqual([resized.id, first.id, 'near']);
    expect(pairs).toContainEqual([resized.id, same.id, 'near']);
    expect(reused.some((f) => f.photo.photoId === other.id || f.match.photoId === other.id)).toBe(false);
    expect(reused).toHaveLength(3);

    const exact = reused.find((f) => f.photo.photoId === same.id)!;
    expect(exact.sameHousehold).toBe(false);
    expect(exact.photo.displayUrl).toBe(same.displayUrl);
    expect(exact.match.displayUrl).toBe(first.displayUrl);
    const near = reused.find((f) => f.photo.photoId === resized.id && f.match.photoId === first.id)!;
    expect([near.photo.displayUrl, near.photo.thumbUrl, near.match.displayUrl, near.match.thumbUrl]).toEqual([resized.displayUrl, resized.thumbUrl, first.displayUrl, first.thumbUrl]);
    // The cadre can open both sides, drafts though they are.
    for (const url of [near.photo.displayUrl, near.match.displayUrl]) expect((await t.req('GET', url, { cookie: cadre })).status).toBe(200);
  });

  it('the same household using a photo of an earlier round again is flagged, with that round', async () => {
    const t = makeApp({ now: Date.parse('2026-10-20T10:00:00+08:00') });
    const october = await currentRound(t, VILLAGES.yangwei);
    const photo = await makeJpeg(320, 240, { seed: 31 });
    let cookie = await t.signIn(PHONES.yangwei(1));
    const old = await addPhoto(t, cookie, (await enter(t, cookie, october)).id, photo);

    t.clock.set(Date.parse('2026-11-27T10:00:00+08:00'));
    const november = await currentRound(t, VILLAGES.yangwei);
    expect(november).not.toBe(october);
    cookie = await t.signIn(PHONES.yangwei(1));
    const again = await addPhoto(t, cookie, (await enter(t, cookie, november)).id, photo);

    const cadre = await t.signIn(PHONES.yangweiCadre);
    const res = await t.req('GET', `/api/rounds/${november}/photo-flags`, { cookie: cadre });
    const { reused } = (await res.json()) as { reused: Array<Flag & { match: { period: string } }> };
    expect(reused).toEqual([
      expect.objectContaining({ kind: 'exact', sameHousehold: true, photo: expect.objectContaining({ photoId: again.photos[0]!.id }), match: expect.objectContaining({ photoId: old.photos[0]!.id, period: '2026-10' }) }),
    ]);
  });

  it('a cadre who finds a flagged photo fine says why; it leaves what waits, stays listed as checked, and is logged', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const photo = await makeJpeg(320, 240, { seed: 41 });
    const submitted = async (n: number) => {
      const cookie = await t.signIn(PHONES.yangwei(n));
      const e = await addPhoto(t, cookie, (await enter(t, cookie, roundId)).id, photo);
      await entryOf(await t.req('POST', `/api/entries/${e.id}/submit`, { cookie }));
      return e;
    };
    const first = await submitted(1);
    const copy = await submitted(2);
    const cadre = await t.signIn(PHONES.yangweiCadre);
    const waiting = async () => ((await (await t.req('GET', `/api/villages/${VILLAGES.yangwei}/todo`, { cookie: cadre })).json()) as { photos: number }).photos;
    const baseline = await waiting();
    expect(baseline).toBeGreaterThanOrEqual(1);
    const clear = (entryId: string, photoId: string, body: unknown, cookie?: string) => t.req('POST', `/api/entries/${entryId}/photos/${photoId}/flags-cleared`, { cookie, body });
    const state = () => t.db.$client.prepare(`select (select count(*) from audit_log) as audit, (select count(*) from photos where flags_cleared_at is not null) as cleared`).get();
    const before = state();

    const reason = '两户是兄弟，共用一个院子，照片是同一个。';
    const copyPhoto = copy.photos[0]!.id;
    await expectError(await clear(copy.id, copyPhoto, { reason }, await t.signIn(PHONES.yangwei(3))), 403, 'forbidden');
    await expectError(await clear(copy.id, copyPhoto, { reason }, await t.signIn(PHONES.lingpanCadre)), 403, 'forbidden');
    await expectError(await clear(copy.id, copyPhoto, { reason }), 401, 'unauthenticated');
    for (const body of [{}, { reason: ' ' }, { reason, extra: 1 }, { reason: 'x'.repeat(501) }]) await expectError(await clear(copy.id, copyPhoto, body, cadre), 400, 'invalid_input');
    await expectError(await clear(copy.id, 'ph_nosuch', { reason }, cadre), 404, 'not_found');
    await expectError(await clear(first.id, copyPhoto, { reason }, cadre), 404, 'not_found');
    // the first upload is the original: nothing about it to check
    expect((await expectError(await clear(first.id, first.photos[0]!.id, { reason }, cadre), 409, 'not_flagged')).message).toBe('这张照片没有需要核实的地方。');
    expect(state()).toEqual(before);
    expect(await waiting()).toBe(baseline);

    expect((await clear(copy.id, copyPhoto, { reason }, cadre)).status).toBe(200);
    expect(await waiting()).toBe(baseline - 1);
    const flags = (await (await t.req('GET', `/api/rounds/${roundId}/photo-flags`, { cookie: cadre })).json()) as { reused: Array<{ photo: { photoId: string; cleared: { reason: string } | null; hidden: boolean } }> };
    expect(flags.reused.find((f) => f.photo.photoId === copyPhoto)!.photo).toMatchObject({ cleared: { reason }, hidden: false });
    const logged = t.db.$client.prepare(`select action, reason from audit_log where action = 'photo.flags_clear'`).all();
    expect(logged).toEqual([{ action: 'photo.flags_clear', reason }]);
    await expectError(await clear(copy.id, copyPhoto, { reason }, cadre), 409, 'flags_cleared');

    // hiding a copy takes it off what waits as well
    const third = await submitted(3);
    expect(await waiting()).toBe(baseline);
    expect((await t.req('POST', `/api/entries/${third.id}/moderation`, { cookie: cadre, body: { action: 'hide', reason: '照片不是本户庭院。', photoId: third.photos[0]!.id } })).status).toBe(200);
    expect(await waiting()).toBe(baseline - 1);
  });

  it('the flags are for the cadre: a villager or another village’s cadre is 403, anonymous 401', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    await expectError(await t.req('GET', `/api/rounds/${roundId}/photo-flags`, { cookie: await t.signIn(PHONES.yangwei(1)) }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/rounds/${roundId}/photo-flags`, { cookie: await t.signIn(PHONES.lingpanCadre) }), 403, 'forbidden');
    await expectError(await t.req('GET', `/api/rounds/${roundId}/photo-flags`), 401, 'unauthenticated');
  });
});
