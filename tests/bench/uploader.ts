import sharp from 'sharp';

// Bench helper: `workers` villagers each upload a 12-megapixel photo to their entry, remove it
// again (to stay under nine), and repeat until SIGTERM; then print how many were uploaded.
const [base, workersArg] = process.argv.slice(2) as [string, string];
const photo = new Uint8Array(
  await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 120, sigma: 40 } } })
    .blur(1.2)
    .jpeg({ quality: 88 })
    .toBuffer(),
);
let running = true;
let count = 0;
const headers = { origin: base, 'content-type': 'application/json' };
const village = (await (await fetch(`${base}/api/villages/350582102207`)).json()) as { campaigns: Array<{ currentRound: { id: string } }> };
const roundId = village.campaigns[0]!.currentRound.id;

async function villager(w: number) {
  const phone = `139000001${String(50 + w).padStart(2, '0')}`;
  const otp = (await (await fetch(`${base}/api/auth/otp`, { method: 'POST', headers, body: JSON.stringify({ phone }) })).json()) as { devCode: string };
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers, body: JSON.stringify({ phone, code: otp.devCode }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const created = (await (await fetch(`${base}/api/rounds/${roundId}/entries`, { method: 'POST', headers: { ...headers, cookie }, body: '{}' })).json()) as { entry: { id: string } };
  while (running) {
    const form = new FormData();
    form.set('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
    const res = await fetch(`${base}/api/entries/${created.entry.id}/photos`, { method: 'POST', headers: { origin: base, cookie }, body: form });
    const body = (await res.json()) as { entry: { photos: Array<{ id: string }> } };
    if (!res.ok) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
    count++;
    for (const p of body.entry.photos) await fetch(`${base}/api/entries/${created.entry.id}/photos/${p.id}`, { method: 'DELETE', headers: { origin: base, cookie } });
  }
}

const loops = Array.from({ length: Number(workersArg) }, (_, w) => villager(w));
console.log('started');
process.on('SIGTERM', async () => {
  running = false;
  await Promise.allSettled(loops);
  console.log(`uploaded ${count}`);
  process.exit(0);
});
