import sharp from 'sharp';
import type { Db } from '../db/client.ts';
import { missingDemoPhotos } from '../db/seed.ts';
import type { Logger } from '../lib/log.ts';
import type { PhotoStore } from './store.ts';

/** A number from a hex key, for choosing colours and shapes the same way every time. */
const pick = (key: string, at: number, n: number) => parseInt(key.slice(at * 2, at * 2 + 2), 16) % n;

const WALLS = ['#e9dcc5', '#f1e6d2', '#dcd3c4', '#efe3cf', '#e4d5bd'];
const ROOFS = ['#9b3d2e', '#7d4b3a', '#5e5b57', '#a24b32'];
const LEAVES = ['#4f8a3c', '#3f7a46', '#5d9948', '#2f6b3a'];
const FLOWERS = ['#e0457b', '#f2b134', '#e86a33', '#c7409b', '#ffffff'];

/** A drawn courtyard (wall, red-brick roof, door, potted plants) standing in for a demo household's photo. */
export function demoCourtyardSvg(key: string): string {
  const wall = WALLS[pick(key, 0, WALLS.length)];
  const roof = ROOFS[pick(key, 1, ROOFS.length)];
  const pots = 3 + pick(key, 2, 4);
  let plants = '';
  for (let i = 0; i < pots; i++) {
    const x = 120 + i * (1360 / pots) + pick(key, 3 + i, 60);
    const h = 120 + pick(key, 8 + i, 140);
    const leaf = LEAVES[pick(key, 12 + i, LEAVES.length)];
    const flower = FLOWERS[pick(key, 16 + i, FLOWERS.length)];
    plants += `<rect x="${x - 45}" y="1000" width="90" height="80" rx="10" fill="#a0522d"/>`;
    plants += `<ellipse cx="${x}" cy="${1000 - h / 2}" rx="${70 + pick(key, 20 + i, 40)}" ry="${h / 2 + 10}" fill="${leaf}"/>`;
    for (let f = 0; f < 5; f++) plants += `<circle cx="${x - 50 + f * 25}" cy="${1000 - h + 20 + (f % 2) * 40}" r="14" fill="${flower}"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200" viewBox="0 0 1600 1200">
<rect width="1600" height="1200" fill="#bfe0f2"/>
<polygon points="120,330 800,120 1480,330" fill="${roof}"/>
<rect x="160" y="330" width="1280" height="700" fill="${wall}"/>
<rect x="690" y="560" width="220" height="470" fill="#7a2e22"/>
<circle cx="880" cy="800" r="10" fill="#f2c14e"/>
<rect x="300" y="470" width="220" height="170" fill="#6b8fa8" stroke="#fff" stroke-width="12"/>
<rect x="1080" y="470" width="220" height="170" fill="#6b8fa8" stroke="#fff" stroke-width="12"/>
<rect x="0" y="1030" width="1600" height="170" fill="#cfc7b8"/>
${plants}
</svg>`;
}

/**
 * Demo mode: the seeded history's entries name photos that no villager took; draw a courtyard
 * for each of those (and only those: they are listed at seeding) the store lacks, so results pages and the winners wall show pictures. Runs in
 * the background after the server starts; a photo appears when drawn.
 */
export async function drawDemoPhotos(db: Db, store: PhotoStore, log: Logger): Promise<number> {
  const keys = missingDemoPhotos(db, store);
  for (const key of keys) {
    const image = sharp(Buffer.from(demoCourtyardSvg(key)));
    store.put(key, 'display', await image.clone().resize(1600, 1200).webp({ quality: 70 }).toBuffer());
    store.put(key, 'thumb', await image.clone().resize(400, 300).webp({ quality: 70 }).toBuffer());
  }
  if (keys.length) log.info('demo photos drawn', { count: keys.length });
  return keys.length;
}
