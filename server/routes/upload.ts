import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { DomainError, invalid } from '../domain/errors.ts';
import type { Ctx } from './context.ts';
import { bodyRuleOf } from './guard.ts';

/**
 * Receive one multipart photo upload (fields file, kind): the body is streamed to a staging
 * file and handed to a photo worker, which checks, re-encodes and stores it. The request
 * thread never holds the photo; the staging file is removed whatever happens.
 */
/** How long an upload may send nothing before it is given up. */
export const UPLOAD_IDLE_MS = 60_000;

export async function receivePhoto(c: Ctx) {
  const { photos, photoPool } = c.get('deps');
  const body = c.req.raw.body;
  if (!body) throw invalid('file_required', '请选择一张照片再上传（表单字段 file）。', { field: 'file' });
  const staging = photos.stagingPath();
  try {
    // Counted as it arrives: a body without a length is cut off at the limit, not read to its end.
    const { maxBytes } = bodyRuleOf(c.req.path);
    let received = 0;
    // A line that stops sending is given up, so that its upload does not hold one of the
    // account's places (UPLOADS_AT_ONCE) until the server's own request timeout.
    const stalled = () => counted.destroy(new DomainError(408, 'upload_stalled', '照片传到一半停住了，请重新上传。'));
    let idle = setTimeout(stalled, UPLOAD_IDLE_MS);
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        clearTimeout(idle);
        idle = setTimeout(stalled, UPLOAD_IDLE_MS);
        received += chunk.length;
        if (received > maxBytes) done(new DomainError(413, 'body_too_large', `照片太大，最多 ${Math.round(maxBytes / 1024 / 1024)} MB。`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(body as NodeReadableStream), counted, createWriteStream(staging));
    } finally {
      clearTimeout(idle);
    }
    return await photoPool.processUpload(staging, c.req.header('content-type') ?? '', photos.dir);
  } finally {
    await rm(staging, { force: true });
  }
}
