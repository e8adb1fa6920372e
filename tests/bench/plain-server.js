import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// The baseline every figure is compared with: a plain Hono JSON endpoint on this machine.
const app = new Hono();
app.get('/json', (c) => c.json({ ok: true, village: '洋尾村', likeCount: 32, threshold: 50 }));
// The like request (PUT, a session cookie, an Origin) answered at once, storing and checking
// nothing: what HTTP alone lets a like reach on this machine.
app.put('/api/entries/:id/like', (c) => c.json({ likeCount: 32, liked: true, qualifiedAt: null }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
