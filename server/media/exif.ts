import { SHANGHAI_OFFSET_MS } from '../domain/time.ts';

/**
 * When the photo was taken, from its EXIF block (as sharp hands it over: "Exif\0\0" + TIFF).
 * Reads DateTimeOriginal (or DateTime) and OffsetTimeOriginal if present; a camera that says
 * no offset is taken to be on Shanghai time, as village phones are. Returns null when absent
 * or unreadable — a missing capture time is no reason to refuse a photo.
 */
export function exifCaptureTime(exif: Uint8Array | undefined): number | null {
  if (!exif || exif.length < 14) return null;
  try {
    const base = ascii(exif, 0, 4) === 'Exif' ? 6 : 0;
    const view = new DataView(exif.buffer, exif.byteOffset, exif.byteLength);
    const little = ascii(exif, base, base + 2) === 'II';
    const u16 = (o: number) => view.getUint16(base + o, little);
    const u32 = (o: number) => view.getUint32(base + o, little);
    const readIfd = (offset: number) => {
      const tags = new Map<number, { type: number; count: number; valueOffset: number }>();
      const n = u16(offset);
      for (let i = 0; i < n; i++) {
        const e = offset + 2 + i * 12;
        tags.set(u16(e), { type: u16(e + 2), count: u32(e + 4), valueOffset: e + 8 });
      }
      return tags;
    };
    const str = (t: { type: number; count: number; valueOffset: number } | undefined) => {
      if (!t || t.type !== 2) return null;
      const at = t.count > 4 ? u32(t.valueOffset) : t.valueOffset;
      return ascii(exif, base + at, base + at + t.count).replace(/\0.*$/, '');
    };
    const ifd0 = readIfd(u32(4));
    const exifPtr = ifd0.get(0x8769);
    const sub = exifPtr ? readIfd(u32(exifPtr.valueOffset)) : new Map();
    const taken = str(sub.get(0x9003)) ?? str(ifd0.get(0x0132));
    const offset = str(sub.get(0x9011));
    const m = taken && /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(taken);
    if (!m) return null;
    const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    const o = offset && /^([+-])(\d{2}):(\d{2})$/.exec(offset);
    const offsetMs = o ? (o[1] === '-' ? -1 : 1) * (+o[2]! * 60 + +o[3]!) * 60_000 : SHANGHAI_OFFSET_MS;
    const instant = local - offsetMs;
    return Number.isFinite(instant) && instant > Date.UTC(1990, 0, 1) ? instant : null;
  } catch {
    return null;
  }
}

function ascii(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, buf.length); i++) s += String.fromCharCode(buf[i]!);
  return s;
}
