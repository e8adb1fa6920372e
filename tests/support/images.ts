import sharp from 'sharp';
import { crc32, deflateSync } from 'node:zlib';

/** A photo-like JPEG: a gradient with shapes, so that it compresses like a real picture and hashes distinctly per seed. */
export async function makeJpeg(width: number, height: number, options: { seed?: number; exif?: boolean; quality?: number } = {}): Promise<Buffer> {
  const seed = options.seed ?? 1;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${(seed * 47) % 360},60%,55%)"/><stop offset="1" stop-color="hsl(${(seed * 97) % 360},50%,30%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${(seed * 131) % width}" cy="${(seed * 71) % height}" r="${Math.min(width, height) / 4}" fill="hsl(${(seed * 13) % 360},70%,70%)"/>
    <rect x="${width / 8}" y="${height / 2}" width="${width / 3}" height="${height / 4}" fill="hsl(${(seed * 29) % 360},40%,40%)"/>
  </svg>`;
  let img = sharp(Buffer.from(svg)).jpeg({ quality: options.quality ?? 85 });
  if (options.exif) {
    img = img.withExif({
      IFD0: { Make: 'TestPhone', Model: 'Courtyard X1', DateTime: '2026:11:20 09:30:00' },
      IFD2: { DateTimeOriginal: '2026:11:20 09:30:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '24/1 48/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '118/1 33/1 0/1' },
    });
  }
  return img.toBuffer();
}

export const makePng = (w: number, h: number, seed = 2) => makeJpeg(w, h, { seed }).then((j) => sharp(j).png().toBuffer());
export const makeWebp = (w: number, h: number, seed = 3) => makeJpeg(w, h, { seed }).then((j) => sharp(j).webp().toBuffer());

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A PNG a few hundred bytes long that claims to be 20000 × 20000 pixels (400 megapixels). */
export function pixelBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  const row = Buffer.alloc(20001);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat([row, row]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What an iPhone sends by default: an ISO-BMFF file with the heic brand. */
export function heicLike(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic', 'ascii'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic', 'ascii')]);
  return Buffer.concat([ftyp, Buffer.alloc(2048, 7)]);
}

export const SVG_IMAGE = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
export const HTML_TAIL = '<html><body><script>alert("x")</script></body></html>';
