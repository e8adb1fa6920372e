import type { MiddlewareHandler } from 'hono';
import { gzipSync } from 'node:zlib';

const COMPRESSIBLE = /^(application\/json|text\/|application\/javascript|image\/svg\+xml)/;

/**
 * Gzip API and page answers over 1 KB for clients that accept it. Synchronous zlib on a
 * whole small body is several times cheaper per request than a compression stream; built
 * static assets are gzipped once at build time and served as they are.
 */
export function gzip(minBytes = 1024): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return;
    if (res.headers.has('content-encoding') || !res.body || c.req.method === 'HEAD') return;
    if (!COMPRESSIBLE.test(res.headers.get('content-type') ?? '')) return;
    const body = new Uint8Array(await res.clone().arrayBuffer());
    if (body.byteLength < minBytes) return;
    const headers = new Headers(res.headers);
    headers.set('content-encoding', 'gzip');
    headers.delete('content-length');
    headers.append('vary', 'Accept-Encoding');
    // Clear the old answer first: assigning over it would copy its headers back, the
    // uncompressed Content-Length among them.
    c.res = undefined;
    c.res = new Response(gzipSync(body, { level: 6 }), { status: res.status, headers });
  };
}
