import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { program } from '../lib/paths.ts';
import type { PhotoKind } from '../domain/photos.ts';
import { DomainError, type ErrorStatus } from '../domain/errors.ts';
import type { ProcessedPhoto } from './pipeline.ts';
import { checkPhotoType } from './sniff.ts';

type Outcome = { photo: ProcessedPhoto; kind: PhotoKind | null };
/** What an upload job answers: the photo's facts; its copies are already in the store. */
export type StoredPhoto = Omit<ProcessedPhoto, 'display' | 'thumb'> & { displayBytes: number };

interface Pending {
  resolve(o: Outcome): void;
  reject(e: Error): void;
}

type Reply =
  | { id: number; ok: true; result: (ProcessedPhoto & { display: Uint8Array; thumb: Uint8Array }) | StoredPhoto; kind: PhotoKind | null }
  | { id: number; ok: false; error: { status: number; code: string; message: string; details?: unknown } };

type Work = { type: 'photo'; data: Buffer } | { type: 'upload'; path: string; contentType: string; storeDir: string };


/**
 * Photo work runs in separate worker processes at low priority: decoding a 12-megapixel photo
 * takes a core for a third of a second, and the request thread must not wait behind it, nor
 * hold megabytes of upload in its heap (its garbage collector would pause every request).
 * Each worker takes one photo at a time; jobs queue in order. A worker that dies is replaced
 * and its photo answered with an error, never lost silently.
 */
export class PhotoPool {
  private readonly workers: Array<{ child: ChildProcess; busy: (Pending & { id: number }) | null }> = [];
  private readonly queue: Array<{ work: Work } & Pending> = [];
  private nextId = 1;

  constructor(private readonly size = Math.max(1, availableParallelism() - 1)) {}

  /** Process photo bytes already in memory. */
  async process(data: Buffer): Promise<ProcessedPhoto> {
    // Refuse what is not a photo before it crosses to a worker.
    checkPhotoType(data);
    return (await this.enqueue({ type: 'photo', data })).photo;
  }

  /**
   * Parse a multipart upload written to `path` (fields file, kind), process its photo and
   * put the copies into the local photo store at `storeDir`.
   */
  async processUpload(path: string, contentType: string, storeDir: string): Promise<{ photo: StoredPhoto; kind: PhotoKind }> {
    const o = await this.enqueue({ type: 'upload', path, contentType, storeDir });
    return { photo: o.photo as unknown as StoredPhoto, kind: o.kind ?? 'overview' };
  }

  /** Photos being processed or waiting. */
  get load(): number {
    return this.queue.length + this.workers.filter((w) => w.busy).length;
  }

  close(): void {
    for (const w of this.workers) w.child.kill();
    this.workers.length = 0;
  }

  private enqueue(work: Work): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      this.pump();
    });
  }

  private spawn() {
    // Two malloc arenas instead of glibc's 8 per core: libvips threads otherwise each keep
    // freed image memory in their own arena, and a worker's resident memory stays ~60 MB higher.
    // A fixed mmap threshold: glibc otherwise raises it after the first large free, so later
    // image buffers come from the heap and stay resident after the job (peak ~15 MB lower).
    const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2', MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072' };
    const worker = program('photo-worker');
    const child = fork(worker.file, [], { execArgv: [...worker.execArgv, '--expose-gc'], env, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const slot = { child, busy: null as (Pending & { id: number }) | null };
    child.on('message', (reply: Reply) => {
      const job = slot.busy;
      if (!job || job.id !== reply.id) return;
      slot.busy = null;
      if (reply.ok) {
        const r = reply.result;
        const photo = 'display' in r ? { ...r, display: Buffer.from(r.display), thumb: Buffer.from(r.thumb) } : (r as unknown as ProcessedPhoto);
        job.resolve({ photo, kind: reply.kind });
      } else if (reply.error.status < 500) {
        job.reject(new DomainError(reply.error.status as ErrorStatus, reply.error.code, reply.error.message, reply.error.details));
      } else job.reject(new Error(reply.error.message));
      this.pump();
    });
    child.on('exit', () => {
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1);
      slot.busy?.reject(new Error('photo worker exited while processing'));
      slot.busy = null;
      this.pump();
    });
    this.workers.push(slot);
    return slot;
  }

  private pump() {
    while (this.queue.length) {
      const idle = this.workers.find((w) => !w.busy) ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (!idle) break;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      idle.busy = { id, resolve: job.resolve, reject: job.reject };
      idle.child.ref();
      (idle.child as unknown as { channel?: { ref(): void } }).channel?.ref();
      idle.child.send({ id, ...job.work });
    }
    // Idle workers do not keep a test run or a command-line tool alive.
    for (const w of this.workers) {
      if (w.busy) continue;
      w.child.unref();
      (w.child as unknown as { channel?: { unref(): void } }).channel?.unref();
    }
  }
}
