import { createRoute, z } from '@hono/zod-openapi';
import { entryView, getEntry, photoKeyIsPublic, photoKeyOwners } from '../db/entries.ts';
import { getVillages } from '../db/places.ts';
import { isPublic } from '../domain/entries.ts';
import { notFound } from '../domain/errors.ts';
import { can } from '../domain/permissions.ts';
import { panelFor, sheetPhotoScopes } from '../db/scoring.ts';
import { objectionPhotoScopes } from '../db/results.ts';
import { RenderCache } from '../lib/render-cache.ts';
import { qrSvg } from '../media/qr.ts';
import { router, type Ctx } from './context.ts';
import { errors } from './openapi.ts';
import { campaignVillages, readsObjection } from './scope.ts';

const photoRoute = createRoute({
  method: 'get',
  path: '/photos/{key}/{file}',
  tags: ['media'],
  summary: 'A re-encoded photo (display.webp: long side 1600 px; thumb.webp: 400 px), by content address',
  request: { params: z.object({ key: z.string().regex(/^[0-9a-f]{64}$/, '照片地址不正确。'), file: z.enum(['display.webp', 'thumb.webp']) }) },
  responses: { 200: { content: { 'image/webp': { schema: z.string().meta({ format: 'binary' }) } }, description: 'WebP image' }, ...errors(400, 404) },
});
const qrRoute = createRoute({
  method: 'get',
  path: '/entries/{id}/qr.svg',
  tags: ['media'],
  summary: "QR code of the entry's share link",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: { content: { 'image/svg+xml': { schema: z.string() } }, description: 'SVG' }, ...errors(404) },
});
const posterRoute = createRoute({
  method: 'get',
  path: '/entries/{id}/poster.png',
  tags: ['media'],
  summary: 'A share poster (PNG): photo, household label, village, round and QR code',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: { content: { 'image/png': { schema: z.string().meta({ format: 'binary' }) } }, description: 'PNG' }, ...errors(404) },
});

function publicEntry(c: Ctx, id: string) {
  const { db, clock } = c.get('deps');
  const entry = getEntry(db, id);
  if (!isPublic(entry)) throw notFound('参评作品');
  return entryView(db, entry, false, clock.now());
}

const posters = new RenderCache(64);

export function mediaRoutes() {
  const app = router();

  app.openapi(photoRoute, async (c) => {
    const { key, file } = c.req.valid('param');
    const { db, photos } = c.get('deps');
    const size = file === 'display.webp' ? 'display' : 'thumb';
    const open = photoKeyIsPublic(db, key);
    if (!open) {
      // A hidden or not yet submitted photo: only its household and their cadres may see it.
      const actor = c.get('actor');
      const owners = photoKeyOwners(db, key);
      const villages = getVillages(db, [...new Set(owners.map((o) => o.villageId))]);
      const household = !!actor && owners.some((o) => can.actForHousehold(actor, o.householdId, villages.find((v) => v.id === o.villageId)!));
      // An on-site photo: the panel of that campaign and village, and its cadres.
      const onSite =
        !!actor &&
        sheetPhotoScopes(db, key).some((s) => {
          const village = getVillages(db, [s.villageId])[0];
          return (village && can.moderateEntries(actor, village)) || !!panelFor(db, actor.accountId, s.campaignId, s.villageId);
        });
      // A photo attached to an objection: its objector, and whoever may read the objection.
      const objection =
        !!actor &&
        objectionPhotoScopes(db, key).some((o) => readsObjection(actor, campaignVillages(db, o.campaignId), o, o.villageId));
      if (!household && !onSite && !objection) throw notFound('照片');
    }
    const data = photos.get(key, size);
    if (!data) throw notFound('照片');
    return c.body(new Uint8Array(data), 200, {
      'content-type': 'image/webp',
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
      'cache-control': open ? 'public, max-age=31536000, immutable' : 'private, no-store',
    });
  });

  app.openapi(qrRoute, async (c) => {
    const entry = publicEntry(c, c.req.valid('param').id);
    const svg = await qrSvg(`${c.get('deps').publicUrl}/entries/${entry.id}`);
    return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=86400' });
  });

  app.openapi(posterRoute, async (c) => {
    const entry = publicEntry(c, c.req.valid('param').id);
    const { photos, publicUrl } = c.get('deps');
    const cover = entry.photos[0];
    const key = cover?.displayUrl.split('/')[3];
    const content = {
      householdLabel: entry.householdLabel,
      number: entry.number,
      villageName: entry.villageName,
      townName: entry.townName,
      campaignTitle: entry.campaignTitle,
      period: entry.period,
      threshold: entry.threshold,
      qualified: entry.qualifiedAt !== null,
      url: `${publicUrl}/entries/${entry.id}`,
    };
    // Drawn once for each content, and in its turn with every other document.
    const png = await posters.get({ ...content, photoKey: key ?? null }, async () => {
      // sharp is loaded on the first poster, not at start: most servers never hold it.
      const { renderPoster } = await import('../media/poster.ts');
      return renderPoster({ ...content, photo: key ? photos.get(key, 'display') : null });
    });
    return c.body(new Uint8Array(png), 200, {
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="courtyard-${entry.id}.png"`,
      'cache-control': 'no-cache',
    });
  });

  return app;
}
