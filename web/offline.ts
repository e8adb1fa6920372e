/*
 * The service worker (web/public/sw.js → /sw.js) from the page's side: registering it, and
 * asking it to keep what the panel needs without signal.
 */

/** What the service worker kept when asked. */
export interface KeptOffline {
  ok: boolean;
  files: number;
  queues: number;
  photos: number;
  failed: number;
}

let registration: Promise<ServiceWorkerRegistration | null> | null = null;

/** The built app over http(s) only: `vite dev` (import.meta.hot) serves modules the worker must not cache. */
export function offlineSupported(): boolean {
  return !import.meta.hot && /^https?:$/.test(location.protocol) && 'serviceWorker' in navigator && window.isSecureContext;
}

/** Register /sw.js for the whole site once the page has loaded (idempotent). */
export function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!registration) {
    registration = !offlineSupported()
      ? Promise.resolve(null)
      : new Promise((resolve) => {
          const go = () =>
            navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(resolve, () => resolve(null));
          if (document.readyState === 'complete') go();
          else window.addEventListener('load', go, { once: true });
        });
  }
  return registration;
}

/**
 * Ask the service worker to keep `urls` for offline use, together with every file this page has
 * loaded so far (those loaded before the worker took control did not pass through it). Resolves
 * with what it kept (`ok: false` if the worker never answered), or null where there is no service
 * worker (development, old browsers).
 */
export async function keepForOffline(urls: readonly string[], { tries = 3, timeoutMs = 20_000 } = {}): Promise<KeptOffline | null> {
  const reg = await registerServiceWorker();
  if (!reg) return null;
  await navigator.serviceWorker.ready;
  for (let i = 0; i < tries; i++) {
    // asked again if no answer comes (a worker stopped or replaced meanwhile): keeping is idempotent
    const worker = reg.active;
    if (!worker) return null;
    const loaded = performance.getEntriesByType('resource').map((e) => e.name);
    const answer = await new Promise<KeptOffline | null>((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve(null), timeoutMs);
      channel.port1.onmessage = (e: MessageEvent<KeptOffline>) => {
        clearTimeout(timer);
        resolve(e.data);
      };
      worker.postMessage({ type: 'keep', urls: [...new Set([...loaded, ...urls])] }, [channel.port2]);
    });
    if (answer) return answer;
  }
  return { ok: false, files: 0, queues: 0, photos: 0, failed: urls.length };
}
