import { DomainError } from '../domain/errors.ts';

/** What a file is, read from its first bytes; the name and the declared type are not trusted. */
export type SniffedType = 'jpeg' | 'png' | 'webp' | 'heic' | 'avif' | 'gif' | 'svg' | 'bmp' | 'tiff' | 'pdf' | 'unknown';

const ascii = (buf: Uint8Array, start: number, end: number) => String.fromCharCode(...buf.subarray(start, end));

export function sniffImage(buf: Uint8Array): SniffedType {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => buf[i] === b)) return 'png';
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  if (buf.length >= 12 && ascii(buf, 4, 8) === 'ftyp') {
    const brand = ascii(buf, 8, 12);
    if (brand.startsWith('avi')) return 'avif';
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  if (buf.length >= 6 && ascii(buf, 0, 4) === 'GIF8') return 'gif';
  if (buf.length >= 2 && buf[0] === 0x42 && buf[1] === 0x4d) return 'bmp';
  if (buf.length >= 4 && (ascii(buf, 0, 4) === 'II*\0' || ascii(buf, 0, 4) === 'MM\0*')) return 'tiff';
  if (buf.length >= 5 && ascii(buf, 0, 5) === '%PDF-') return 'pdf';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return 'unknown';
}

export const ACCEPTED: ReadonlySet<SniffedType> = new Set(['jpeg', 'png', 'webp']);

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

