import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { DomainError } from '../domain/errors.ts';
import { exifCaptureTime } from './exif.ts';
import { checkPhotoType } from './sniff.ts';

export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const MAX_PHOTO_PIXELS = 50_000_000;
export const DISPLAY_SIZE = 1600;
export const THUMB_SIZE = 400;

// One libvips thread per image, no operation cache: a photo worker holds little memory.
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

/** The whole pipeline, in this process. The server runs it in a photo worker process (pool.ts). */
export async function processPhotoHere(buf: Buffer): Promise<ProcessedPhoto> {
  checkPhotoType(buf);
  {
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
  }
}

function unreadable() {
  return new DomainError(400, 'photo_unreadable', '照片文件已损坏或不完整，无法打开。请重新拍摄或换一张照片。');
}
