import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { missingDemoPhotos } from '../../server/db/seed.ts';
import { jsonLogger } from '../../server/lib/log.ts';
import { drawDemoPhotos } from '../../server/media/demo-photos.ts';
import { localPhotoStore } from '../../server/media/store.ts';

describe('demo photos', () => {
  it('are listed at seeding, drawn only where the store lacks them, and then none is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtyard-demo-photos-'));
    const { db } = prepareData(dir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00'), history: true });
    const store = localPhotoStore(join(dir, 'photos'));
    const keys = missingDemoPhotos(db, store);
    expect(keys.length).toBeGreaterThan(10);
    expect(new Set(keys).size).toBe(keys.length);
    // All but two already there (a restart after most were drawn): only those two are drawn.
    for (const key of keys.slice(2)) store.put(key, 'thumb', Buffer.from('present'));
    expect(missingDemoPhotos(db, store)).toEqual(keys.slice(0, 2));
    expect(await drawDemoPhotos(db, store, jsonLogger('error'))).toBe(2);
    expect(missingDemoPhotos(db, store)).toEqual([]);
    for (const key of keys.slice(0, 2)) {
      for (const size of ['display', 'thumb'] as const) expect(store.get(key, size)!.subarray(8, 12).toString()).toBe('WEBP');
    }
    expect(store.get(keys[2]!, 'thumb')!.toString()).toBe('present');
    db.$client.close();
  });

  it('a database without a demo history has none to draw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtyard-demo-photos-'));
    const { db } = prepareData(dir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00'), history: false });
    expect(missingDemoPhotos(db, localPhotoStore(join(dir, 'photos')))).toEqual([]);
    db.$client.close();
  });
});
