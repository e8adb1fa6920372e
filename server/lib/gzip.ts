import type { Context, MiddlewareHandler } from 'hono';
import { gzipSync } from 'node:zlib';
import { header } from '../routes/answer.ts';

const COMPRESSIBLE = /^(text\/|application\/javascript|image\/svg\+xml)/;

/**
 * Gzip API and page answers over 1 KB for clients that accept it. Synchronous zlib on a
 * whole small body is several times cheaper per request than a compression stream; built
 * static assets are gzipped once at build time and served as they are.
 *
 * JSON, most of what the server sends, is compressed as it is written (`c.json` serialises
 * it once and compresses the text): reading an answer's body back after the handler turns
 * Node's lightweight response into a Fetch one and copies it through a stream, which cost
 * about as much as the route itself, even for the many answers too small to compress. Other
 * bodies (pages, SVG) are read back and compressed after the handler.
 */
export function gzip(minBytes = 1024): MiddlewareHandler {
  return async (c, next) => {
    if (!/\bgzip\b/.test(header(c, 'accept-encoding') ?? '') || c.req.method === 'HEAD') return next();
    let wroteJson = false;
    c.json = ((object: unknown, arg?: Parameters<typeof c.body>[1], headers?: Record<string, string>) => {
      wroteJson = true;
      const text = JSON.stringify(object);
      // What Hono's own c.json does with the text: a JSON content type unless one is given.
      const answer = c.body(text, arg as never, { 'Content-Type': 'application/json', ...headers });
      return Buffer.byteLength(text) < minBytes ? answer : compressed(answer, gzipSync(text, { level: 6 }));
    }) as typeof c.json;
    await next();
    if (wroteJson) return;
    await compressBody(c, minBytes);
  };
}

/** The same answer with a gzipped body. */
function compressed(answer: Response, body: Buffer): Response {
  const headers = new Headers(answer.headers);
  headers.set('content-encoding', 'gzip');
  headers.delete('content-length');
  headers.append('vary', 'Accept-Encoding');
  return new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), { status: answer.status, headers });
}

async function compressBody(c: Context, minBytes: number): Promise<void> {
  const res = c.res;
  if (!COMPRESSIBLE.test(res.headers.get('content-type') ?? '') || res.headers.has('content-encoding') || !res.body) return;
  const body = new Uint8Array(await res.clone().arrayBuffer());
  if (body.byteLength < minBytes) return;
  // Clear the old answer first: assigning over it would copy its headers back, the
  // uncompressed Content-Length among them.
  c.res = undefined;
  c.res = compressed(res, gzipSync(body, { level: 6 }));
}
