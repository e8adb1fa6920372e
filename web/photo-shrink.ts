/*
 * Shrinking a photo in the browser before it goes up a weak mobile connection (DESIGN §5):
 * decode it (upright, by its EXIF orientation), scale the long side to at most 2048 px and
 * encode it as JPEG. A 12-megapixel phone photo of 4–6 MB goes up as a few hundred KB, and any
 * format the phone can decode (HEIC on an iPhone, for one) arrives as a JPEG the server takes.
 *
 * Canvas drops every EXIF tag, including the capture time the server checks against the
 * round's month; so the capture time (and nothing else: no GPS, no orientation) is copied
 * into the new JPEG.
 */

export const MAX_LONG_SIDE = 2048;
export const JPEG_QUALITY = 0.85;

/** The phone could not open the file as a picture at all. */
export class PhotoDecodeError extends Error {
  constructor() {
    super('photo could not be decoded');
    this.name = 'PhotoDecodeError';
  }
}

export interface ShrunkPhoto {
  blob: Blob;
  width: number;
  height: number;
}

const SERVER_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** Decode, scale to ≤ 2048 px on the long side, encode as JPEG; keep the original when that is already smaller and acceptable. */
export async function shrinkPhoto(file: Blob): Promise<ShrunkPhoto> {
  const source = await decode(file);
  try {
    const { width: w0, height: h0 } = source;
    if (!w0 || !h0) throw new PhotoDecodeError();
    const scale = Math.min(1, MAX_LONG_SIDE / Math.max(w0, h0));
    const width = Math.max(1, Math.round(w0 * scale));
    const height = Math.max(1, Math.round(h0 * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g) throw new PhotoDecodeError();
    // transparent PNGs would turn black in a JPEG
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.imageSmoothingQuality = 'high';
    g.drawImage(source.image, 0, 0, width, height);
    const jpeg = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/jpeg', JPEG_QUALITY));
    // free the pixels now: cheap phones have little memory
    canvas.width = canvas.height = 0;
    if (!jpeg) throw new PhotoDecodeError();
    if (scale === 1 && SERVER_TYPES.includes(file.type) && file.size <= jpeg.size) {
      return { blob: file, width, height };
    }
    const taken = file.type === 'image/jpeg' || file.type === '' ? await readCaptureTime(file) : null;
    return { blob: taken ? await withCaptureTime(jpeg, taken) : jpeg, width, height };
  } finally {
    source.close();
  }
}

interface Decoded {
  image: CanvasImageSource;
  width: number;
  height: number;
  close(): void;
}

async function decode(file: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { image: bmp, width: bmp.width, height: bmp.height, close: () => bmp.close() };
    } catch {
      // an old browser that refuses the options, or a format it cannot decode this way
    }
  }
  // <img> applies EXIF orientation by default in every current browser
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
  } catch {
    URL.revokeObjectURL(url);
    throw new PhotoDecodeError();
  }
  return { image: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
}

// ---------- capture time ----------

/** EXIF DateTimeOriginal ("2026:05:03 09:12:00") and its offset ("+08:00") if the camera wrote one. */
export interface CaptureTime {
  dateTime: string;
  offset: string | null;
}

/** Reads the capture time from a JPEG's EXIF block (in the first 256 KB, where cameras put it). */
export async function readCaptureTime(file: Blob): Promise<CaptureTime | null> {
  try {
    const bytes = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
    const view = new DataView(bytes.buffer);
    if (view.getUint16(0) !== 0xffd8) return null;
    let at = 2;
    while (at + 4 <= bytes.length && bytes[at] === 0xff) {
      const marker = bytes[at + 1]!;
      const length = view.getUint16(at + 2);
      if (marker === 0xda) break; // start of scan: no more metadata
      if (marker === 0xe1 && ascii(bytes, at + 4, 6) === 'Exif\0\0') return parseTiff(bytes, at + 10, length - 8);
      at += 2 + length;
    }
  } catch {
    // a truncated or odd file: no capture time, which is no reason to refuse the photo
  }
  return null;
}

function parseTiff(bytes: Uint8Array, base: number, size: number): CaptureTime | null {
  const view = new DataView(bytes.buffer, base, Math.min(size, bytes.length - base));
  const little = ascii(bytes, base, 2) === 'II';
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  const ifd = (offset: number) => {
    const tags = new Map<number, number>();
    const n = u16(offset);
    for (let i = 0; i < n; i++) tags.set(u16(offset + 2 + i * 12), offset + 2 + i * 12);
    return tags;
  };
  const text = (entry: number | undefined) => {
    if (entry === undefined || u16(entry + 2) !== 2) return null;
    const count = u32(entry + 4);
    const at = count > 4 ? u32(entry + 8) : entry + 8;
    return ascii(bytes, base + at, count).replace(/\0.*$/s, '');
  };
  const ifd0 = ifd(u32(4));
  const exifPointer = ifd0.get(0x8769);
  const sub = exifPointer !== undefined ? ifd(u32(exifPointer + 8)) : new Map<number, number>();
  const dateTime = text(sub.get(0x9003)) ?? text(ifd0.get(0x0132));
  if (!dateTime || !/^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}$/.test(dateTime)) return null;
  const offset = text(sub.get(0x9011));
  return { dateTime, offset: offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : null };
}

/** The JPEG with a minimal EXIF block holding only DateTimeOriginal (and OffsetTimeOriginal). */
export async function withCaptureTime(jpeg: Blob, t: CaptureTime): Promise<Blob> {
  const strings = [t.dateTime, ...(t.offset ? [t.offset] : [])].map((s) => `${s}\0`);
  const tags = [0x9003, 0x9011].slice(0, strings.length);
  const exifIfd = 26; // 8 header + IFD0 (2 + 12 + 4)
  let data = exifIfd + 2 + tags.length * 12 + 4;
  const tiff = new Uint8Array(data + strings.reduce((n, s) => n + s.length, 0));
  const v = new DataView(tiff.buffer);
  tiff.set([0x4d, 0x4d, 0x00, 0x2a]); // "MM", 42: big-endian TIFF
  v.setUint32(4, 8);
  v.setUint16(8, 1); // IFD0: one entry, the pointer to the Exif IFD
  v.setUint16(10, 0x8769);
  v.setUint16(12, 4); // LONG
  v.setUint32(14, 1);
  v.setUint32(18, exifIfd);
  v.setUint32(22, 0);
  v.setUint16(exifIfd, tags.length);
  tags.forEach((tag, i) => {
    const e = exifIfd + 2 + i * 12;
    const s = strings[i]!;
    v.setUint16(e, tag);
    v.setUint16(e + 2, 2); // ASCII
    v.setUint32(e + 4, s.length);
    v.setUint32(e + 8, data);
    for (let k = 0; k < s.length; k++) tiff[data + k] = s.charCodeAt(k);
    data += s.length;
  });
  v.setUint32(exifIfd + 2 + tags.length * 12, 0);
  const segment = new Uint8Array(4 + 6 + tiff.length);
  const sv = new DataView(segment.buffer);
  sv.setUint16(0, 0xffe1);
  sv.setUint16(2, segment.length - 2);
  segment.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
  segment.set(tiff, 10);
  const head = new Uint8Array(await jpeg.slice(0, 64).arrayBuffer());
  // after SOI and, if the encoder wrote one, the JFIF APP0 segment
  const hv = new DataView(head.buffer);
  const cut = hv.getUint16(2) === 0xffe0 ? 4 + hv.getUint16(4) : 2;
  return new Blob([jpeg.slice(0, cut), segment, jpeg.slice(cut)], { type: 'image/jpeg' });
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < Math.min(start + length, bytes.length); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
