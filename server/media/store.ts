import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type PhotoSize = 'display' | 'thumb';

/**
 * Where re-encoded photos live, by content address. The local folder is under DATA_DIR and
 * outside anything served statically; an S3-compatible store implements the same interface.
 */
export interface PhotoStore {
  put(key: string, size: PhotoSize, data: Buffer): void;
  get(key: string, size: PhotoSize): Buffer | null;
  has(key: string, size: PhotoSize): boolean;
  /** A fresh path where an upload is written while it is checked; the caller deletes it. */
  stagingPath(): string;
  /** The folder photo workers write to directly (they run on this machine). */
  readonly dir: string;
}

export function localPhotoStore(dir: string): PhotoStore {
  const path = (key: string, size: PhotoSize) => join(dir, key.slice(0, 2), `${key}-${size}.webp`);
  return {
    dir,
    put(key, size, data) {
      const file = path(key, size);
      if (existsSync(file)) return;
      mkdirSync(join(dir, key.slice(0, 2)), { recursive: true });
      // Write then rename, so a crash never leaves half a photo under its final name.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, file);
    },
    get(key, size) {
      if (!/^[0-9a-f]{64}$/.test(key)) return null;
      const file = path(key, size);
      return existsSync(file) ? readFileSync(file) : null;
    },
    has(key, size) {
      return /^[0-9a-f]{64}$/.test(key) && existsSync(path(key, size));
    },
    stagingPath() {
      mkdirSync(join(dir, '.staging'), { recursive: true });
      return join(dir, '.staging', randomUUID());
    },
  };
}
