import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import sharp, { type Metadata } from 'sharp';
import { DomainError } from '../domain/errors.ts';
import { exifCaptureTime } from './exif.ts';
import { ACCEPTED, sniffImage } from './sniff.ts';

export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const MAX_PHOTO_PIXELS = 50_000_000;
export const DISPLAY_SIZE = 1600;
export const THUMB_SIZE = 400;

// One libvips thread per image: on a two-core machine the other core keeps answering requests.
sharp.concurrency(1);
sharp.cache(false);

export interface ProcessedPhoto {
  /** Re-encoded WebP copies; nothing of the uploaded file (metadata, trailing bytes) survives. */
  display: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  sourceHash: string;
  perceptualHash: string;
  storageKey: string;
  capturedAt: number | null;
}

const HEIC_HELP =
  '暂不支持 iPhone 的 HEIC 格式照片。请在本网站页面上选择照片（网页会自动转换），或在手机“设置 → 相机 → 格式”中选“兼容性最佳”后重新拍摄。';

/** Refuse anything but JPEG, PNG and WebP by what the bytes are, with a sentence saying what to do. */
export function checkPhotoType(buf: Uint8Array): void {
  const type = sniffImage(buf);
  if (ACCEPTED.has(type)) return;
  if (type === 'heic' || type === 'avif') throw new DomainError(415, 'unsupported_photo_type', HEIC_HELP, { detected: type });
  throw new DomainError(415, 'unsupported_photo_type', '只能上传 JPG、PNG 或 WebP 格式的照片。请换一张照片，或用手机相机重新拍摄。', {
    detected: type,
  });
}

/**
 * A bounded queue in front of the pipeline: image work runs on libuv's worker threads (sharp
 * never blocks the event loop), and at most `slots` images are decoded at once so a burst of
 * uploads cannot take every core from the requests being answered meanwhile.
 */
class JobQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly slots: number) {}
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
const queue = new JobQueue(Math.max(1, availableParallelism() - 1));

/** Difference hash: 9×8 grey pixels, one bit per horizontal neighbour pair; near-identical pictures differ in few bits. */
async function differenceHash(image: Buffer): Promise<string> {
  const px = await sharp(image).greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) byte = (byte << 1) | (px[row * 9 + col]! > px[row * 9 + col + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Bits that differ between two difference hashes (0 = same picture, ≤ 10 of 64 = near-duplicate). */
export function hashDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (parseInt(a.slice(i, i + 8), 16) ^ parseInt(b.slice(i, i + 8), 16)) >>> 0;
    while (x) {
      x &= x - 1;
      d++;
    }
  }
  return d;
}

export async function processPhoto(buf: Buffer): Promise<ProcessedPhoto> {
  checkPhotoType(buf);
  return queue.run(async () => {
    const input = () => sharp(buf, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning' });
    let meta: Metadata;
    try {
      meta = await sharp(buf, { limitInputPixels: false }).metadata();
    } catch {
      throw unreadable();
    }
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_PHOTO_PIXELS || (meta.pages ?? 1) > 1) {
      throw new DomainError(413, 'too_many_pixels', `照片像素太多（最多 ${MAX_PHOTO_PIXELS / 1_000_000} 百万像素），请换一张或缩小后再上传。`, {
        width: meta.width,
        height: meta.height,
      });
    }
    try {
      // rotate() with no angle applies the EXIF orientation; without withMetadata() every tag (GPS, camera) is dropped.
      const display = await input()
        .rotate()
        .resize(DISPLAY_SIZE, DISPLAY_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      const thumb = await sharp(display.data).resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
      return {
        display: display.data,
        thumb,
        width: display.info.width,
        height: display.info.height,
        sourceHash: createHash('sha256').update(buf).digest('hex'),
        perceptualHash: await differenceHash(thumb),
        storageKey: createHash('sha256').update(display.data).digest('hex'),
        capturedAt: exifCaptureTime(meta.exif),
      };
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw unreadable();
    }
  });
}

function unreadable() {
  return new DomainError(400, 'photo_unreadable', '照片文件已损坏或不完整，无法打开。请重新拍摄或换一张照片。');
}
