import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { DomainError, invalid } from '../domain/errors.ts';
// Not from db/schema.ts: that would load the ORM into every photo worker (~13 MB).
import { PHOTO_KINDS, type PhotoKind } from '../domain/photos.ts';
import { MAX_PHOTO_BYTES, processPhotoHere } from './pipeline.ts';
import { localPhotoStore } from './store.ts';

/**
 * A photo worker runs at the lowest priority, so that on a busy machine the kernel runs the
 * server's request thread first. On Linux the priority is each thread's own: lowering the
 * process's main thread alone left libvips's threads, which do the decoding and encoding, at
 * the server's priority (they are started from libuv's threads, which Node starts before this
 * module runs). So every thread there is now is lowered, and threads started later inherit it.
 * Done again before each job, for any thread started since.
 */
function lowerPriority(): void {
  let threads: number[] = [0];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    /* not Linux: the process's priority is all there is */
  }
  for (const tid of threads) {
    try {
      setPriority(tid, 19);
    } catch {
      /* not permitted here, or the thread has ended: still correct, only less polite */
    }
  }
}
lowerPriority();

export type Job =
  | { id: number; type: 'photo'; data: Uint8Array }
  /** A multipart upload the server streamed to disk: parse it here, so the request thread never holds the photo. */
  | { id: number; type: 'upload'; path: string; contentType: string; storeDir: string };

async function readUpload(path: string, contentType: string): Promise<{ data: Buffer; kind: PhotoKind }> {
  let form: FormData;
  try {
    form = await new Response(await readFile(path), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalid('malformed_upload', '上传的内容不完整，请重新选择照片上传。');
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw invalid('file_required', '请选择一张照片再上传（表单字段 file）。', { field: 'file' });
  if (file.size > MAX_PHOTO_BYTES) throw new DomainError(413, 'photo_too_large', '照片太大（最大 15 MB）。请换一张或缩小后再上传。', { bytes: file.size });
  const kind = form.get('kind') ?? 'overview';
  if (typeof kind !== 'string' || !(PHOTO_KINDS as readonly string[]).includes(kind)) {
    throw invalid('invalid_input', '照片类型应为 overview（全景）、before（整治前）、after（整治后）或 detail（细节）。', { field: 'kind' });
  }
  return { data: Buffer.from(await file.arrayBuffer()), kind: kind as PhotoKind };
}

/** A full collection (a few ms on this small heap); the pool starts workers with --expose-gc. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

process.on('message', async (job: Job) => {
  lowerPriority();
  try {
    if (job.type === 'photo') {
      const result = await processPhotoHere(Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength));
      process.send!({ id: job.id, ok: true, result, kind: null });
    } else {
      const upload = await readUpload(job.path, job.contentType);
      // The form's copies of the upload are garbage once its photo is out: free them before decoding.
      collectGarbage();
      const result = await processPhotoHere(upload.data);
      // Store the copies here, so the server's request thread never holds photo bytes.
      const store = localPhotoStore(job.storeDir);
      store.put(result.storageKey, 'display', result.display);
      store.put(result.storageKey, 'thumb', result.thumb);
      const { display: _d, thumb: _t, ...meta } = result;
      process.send!({ id: job.id, ok: true, result: { ...meta, displayBytes: result.display.byteLength }, kind: upload.kind });
    }
  } catch (e) {
    const error =
      e instanceof DomainError
        ? { status: e.status, code: e.code, message: e.message, details: e.details }
        : { status: 500, code: 'photo_worker_failed', message: String(e) };
    process.send!({ id: job.id, ok: false, error });
  } finally {
    // The job's megabytes are garbage now: collect them before the next photo arrives rather
    // than whenever V8 decides, so two photos' buffers are never resident at once.
    collectGarbage();
  }
});
// The server ended (even before this worker finished loading): so does the worker.
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);
