/*
 * Courtyard service worker (DESIGN §6: "the panel's scoring screen works offline once loaded").
 * Plain script, copied as it is to the site root (/sw.js, scope /) by Vite's public folder.
 *
 *   pages (navigations)          network first, the app page (index.html) from the cache when
 *                                the network fails or is slower than 4 s
 *   /assets/…                    cache first (hashed names never change)
 *   /api/session, /api/rounds/:id/inspections
 *                                network first with the cache as fallback (the panel's queue
 *                                and who is signed in, so that a reload without signal works);
 *                                a kept answer is given without its Date
 *   /api/photos/…                cache first; the thumbnails of every courtyard in a cached
 *                                queue are fetched with it; offline, a large photo not kept
 *                                falls back to its thumbnail
 *
 * Score sheets are not kept here: the page queues them in IndexedDB and sends them itself
 * (web/sheet-outbox.ts). Signing in or out empties the API cache (another person may use the phone).
 */

const VERSION = 2;
const SHELL = `courtyard-shell-v${VERSION}`;
const DATA = `courtyard-data-v${VERSION}`;
const PHOTOS = `courtyard-photos-v${VERSION}`;
const KEEP = [SHELL, DATA, PHOTOS];
/** The app page is the same for every address; it is kept under this key. */
const SHELL_KEY = '/';
const MAX_PHOTOS = 800;
const PAGE_TIMEOUT_MS = 4000;
const DATA_TIMEOUT_MS = 6000;

const ASSET_RE = /^\/assets\/[\w.-]+\.(?:js|css|svg|png|webp|woff2?)$/;
const QUEUE_RE = /^\/api\/rounds\/[^/]+\/inspections$/;
const PHOTO_RE = /^\/api\/photos\/([0-9a-f]{64})\/(display|thumb)\.webp$/;

self.addEventListener('install', (event) => {
  // without network now, the shell is kept on the next page load instead
  event.waitUntil(refreshShell().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('courtyard-') && !KEEP.includes(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method !== 'GET') {
    if (url.pathname === '/api/auth/login' || url.pathname === '/api/auth/logout') event.waitUntil(caches.delete(DATA));
    return; // score sheets and every other change go straight to the network
  }
  const path = url.pathname;
  if (req.mode === 'navigate') {
    if (!path.startsWith('/api/')) event.respondWith(appPage(event));
    return;
  }
  if (ASSET_RE.test(path)) event.respondWith(cacheFirst(req, SHELL));
  else if (PHOTO_RE.test(path)) event.respondWith(photo(req));
  else if (path === '/api/session' || QUEUE_RE.test(path)) event.respondWith(apiData(event));
});

self.addEventListener('message', (event) => {
  const data = event.data;
  const port = event.ports && event.ports[0];
  if (!data || data.type !== 'keep') return;
  event.waitUntil(
    keep(Array.isArray(data.urls) ? data.urls : []).then(
      (result) => port && port.postMessage({ ok: true, ...result }),
      (err) => port && port.postMessage({ ok: false, error: String(err) }),
    ),
  );
});

// ---------- strategies ----------

/** The network's answer, or the cached one if the network fails or takes longer than `ms`. */
async function networkFirst(event, fetchIt, cached, ms) {
  const network = fetchIt();
  // keep the service worker alive until the network answers, even after the cache did
  event.waitUntil(network.then(() => undefined, () => undefined));
  const fallback = await cached;
  if (!fallback) return network;
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([network, late]);
  } catch {
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

function appPage(event) {
  const fetchIt = async () => {
    const res = await fetch(event.request);
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) event.waitUntil(rememberShell(res.clone()).catch(() => undefined));
    return res;
  };
  return networkFirst(event, fetchIt, caches.open(SHELL).then((c) => c.match(SHELL_KEY)), PAGE_TIMEOUT_MS);
}

function apiData(event) {
  const req = event.request;
  const path = new URL(req.url).pathname;
  const fetchIt = async () => {
    const res = await fetch(req);
    const cache = await caches.open(DATA);
    if (res.status === 200) {
      await cache.put(path, res.clone());
      if (QUEUE_RE.test(path)) event.waitUntil(keepThumbnails(res.clone()).catch(() => undefined));
    } else if (res.status === 401 || res.status === 403) {
      await cache.delete(path);
    }
    return res;
  };
  return networkFirst(event, fetchIt, caches.open(DATA).then((c) => c.match(path)).then(undated), DATA_TIMEOUT_MS);
}

/**
 * A kept answer without its Date: that is when it was kept, not the server's time now, and the
 * page sets its clock by the Date of every answer (web/server-clock.ts).
 */
function undated(res) {
  if (!res) return res;
  const headers = new Headers(res.headers);
  headers.delete('date');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function cacheFirst(req, name) {
  const cache = await caches.open(name);
  const hit = await cache.match(req, { ignoreVary: true });
  if (hit) return hit;
  const res = await fetch(req);
  if (res.status === 200) await cache.put(req, res.clone());
  return res;
}

async function photo(req) {
  try {
    return await cacheFirst(req, PHOTOS);
  } catch (err) {
    // no network and this size was never kept: the thumbnail is better than nothing
    const m = PHOTO_RE.exec(new URL(req.url).pathname);
    const thumb = m && (await caches.open(PHOTOS).then((c) => c.match(`/api/photos/${m[1]}/thumb.webp`)));
    if (thumb) return thumb;
    throw err;
  }
}

// ---------- keeping things for offline use ----------

/** `/assets/…` files named in a page or a script (Vite's own imports and preload lists). */
function assetRefs(text) {
  const out = new Set();
  for (const m of text.matchAll(/assets\/([\w.-]+\.(?:js|css))/g)) out.add(`/assets/${m[1]}`);
  for (const m of text.matchAll(/["'`]\.\/([\w.-]+\.(?:js|css))["'`]/g)) out.add(`/assets/${m[1]}`);
  return [...out];
}

async function refreshShell() {
  const res = await fetch(SHELL_KEY, { cache: 'no-cache', credentials: 'same-origin' });
  if (res.ok) await rememberShell(res, true);
}

/**
 * Keep the app page and the files it loads first. When the page changed (a new build), files of
 * older builds — names no script of this build mentions — are dropped.
 */
async function rememberShell(res, force = false) {
  const html = await res.text();
  const cache = await caches.open(SHELL);
  const old = await cache.match(SHELL_KEY);
  if (!force && old && (await old.text()) === html) return;
  await cache.put(SHELL_KEY, new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
  const refs = assetRefs(html);
  const known = new Set(refs);
  for (const path of refs) {
    let file = await cache.match(path);
    if (!file) {
      const r = await fetch(path);
      if (r.status !== 200) continue;
      await cache.put(path, r.clone());
      file = r;
    }
    if (path.endsWith('.js')) for (const p of assetRefs(await file.text())) known.add(p);
  }
  for (const req of await cache.keys()) {
    const p = new URL(req.url).pathname;
    if (ASSET_RE.test(p) && !known.has(p)) await cache.delete(req);
  }
}

async function keepPhoto(path) {
  const cache = await caches.open(PHOTOS);
  if (await cache.match(path)) return true;
  const r = await fetch(path, { credentials: 'same-origin' });
  if (r.status !== 200) return false;
  await cache.put(path, r);
  return true;
}

/** The thumbnails of every courtyard in a panel's queue, so that the list and the sheet show photos offline. */
async function keepThumbnails(res) {
  const queue = await res.json();
  let kept = 0;
  for (const item of (queue && queue.entries) || []) {
    for (const p of (item.entry && item.entry.photos) || []) {
      if (p.hidden || typeof p.thumbUrl !== 'string') continue;
      if (await keepPhoto(new URL(p.thumbUrl, self.location.origin).pathname).catch(() => false)) kept++;
    }
  }
  await trimPhotos();
  return kept;
}

async function trimPhotos() {
  const cache = await caches.open(PHOTOS);
  const keys = await cache.keys();
  // oldest first: the Cache API lists entries in the order they were put
  for (const req of keys.slice(0, Math.max(0, keys.length - MAX_PHOTOS))) await cache.delete(req);
}

/**
 * The page asks to keep what it needs offline: the files it has loaded (before this worker took
 * control, they did not pass through it), the queue and who is signed in. Answers what was kept.
 */
async function keep(urls) {
  const shell = await caches.open(SHELL);
  if (!(await shell.match(SHELL_KEY))) await refreshShell();
  const data = await caches.open(DATA);
  const result = { files: 0, queues: 0, photos: 0, failed: 0 };
  for (const raw of urls) {
    let url;
    try {
      url = new URL(raw, self.location.origin);
    } catch {
      continue;
    }
    if (url.origin !== self.location.origin) continue;
    const path = url.pathname;
    try {
      if (ASSET_RE.test(path)) {
        if (!(await shell.match(path))) {
          const r = await fetch(path);
          if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
          await shell.put(path, r);
        }
        result.files++;
      } else if (path === '/api/session' || QUEUE_RE.test(path)) {
        let fresh = null;
        try {
          const r = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
          if (r.status === 200) fresh = r;
          else if (r.status === 401 || r.status === 403) await data.delete(path);
        } catch {
          // no network: a copy kept earlier still counts
        }
        if (fresh) await data.put(path, fresh.clone());
        const kept = fresh || (await data.match(path));
        if (!kept) throw new Error(`${path}: not kept`);
        if (QUEUE_RE.test(path)) {
          result.queues++;
          result.photos += await keepThumbnails(kept.clone());
        }
      } else if (PHOTO_RE.test(path)) {
        if (await keepPhoto(path)) result.photos++;
      }
    } catch {
      result.failed++;
    }
  }
  return result;
}
