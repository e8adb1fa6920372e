import QRCode from 'qrcode';
import sharp from 'sharp';
import { periodLabel } from '../domain/results.ts';
import { esc, FONT } from './svg.ts';

export interface PosterInput {
  /** The cover photo (display copy), or null for an entry without a visible photo yet. */
  photo: Buffer | null;
  householdLabel: string;
  /** The entry's 编号, said along with the name ("请给 3 号投票"), or null. */
  number: number | null;
  villageName: string;
  townName: string;
  campaignTitle: string;
  period: string;
  threshold: number;
  /** Whether the entry has reached its threshold. The count itself is left out: a saved poster would show it stale. */
  qualified: boolean;
  url: string;
}

const W = 750;
const H = 1200;
const PHOTO_H = 720;
const QR = 260;


/**
 * Text in at most two lines of `width` Chinese characters (Latin letters and digits take about
 * half as much), the second cut short with an ellipsis.
 */
function twoLines(text: string, width: number): string[] {
  const lines: string[] = [''];
  let used = 0;
  for (const ch of text) {
    const w = /[\x20-\x7e]/.test(ch) ? 0.55 : 1;
    if (used + w > width) {
      if (lines.length === 2) {
        lines[1] = `${[...lines[1]!].slice(0, -1).join('')}…`;
        break;
      }
      lines.push('');
      used = 0;
    }
    lines[lines.length - 1] += ch;
    used += w;
  }
  return lines.filter(Boolean);
}

/**
 * A share poster a villager saves and posts to a social feed: the courtyard photo, the
 * household as 陈家庭院 (never a door number or phone), the village, the round, and a QR code
 * that opens the entry. PNG, 750 × 1200.
 */
export async function renderPoster(p: PosterInput): Promise<Buffer> {
  const qr = await QRCode.toBuffer(p.url, { type: 'png', width: QR, margin: 1, errorCorrectionLevel: 'M' });
  const photo = p.photo
    ? await sharp(p.photo).resize(W, PHOTO_H, { fit: 'cover', position: 'attention' }).toBuffer()
    : await sharp({ create: { width: W, height: PHOTO_H, channels: 3, background: '#d9e8d3' } }).png().toBuffer();
  const titleLines = twoLines(p.campaignTitle, 13.5);
  const progress = p.threshold <= 0 ? '' : p.qualified ? '点赞已达标，待实地评比' : `集满 ${p.threshold} 赞可参加实地评比`;
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H - PHOTO_H}">
  <rect width="100%" height="100%" fill="#fffaf0"/>
  <rect width="100%" height="10" fill="#b5362b"/>
  <text x="36" y="92" font-family="${FONT}" font-size="64" font-weight="700" fill="#1f2a1f">${esc(p.householdLabel)}${p.number ? `<tspan dx="20" font-size="36" font-weight="400" fill="#3c4a3c">编号 ${p.number}</tspan>` : ''}</text>
  <text x="36" y="152" font-family="${FONT}" font-size="32" fill="#3c4a3c">${esc(p.townName)} · ${esc(p.villageName)}</text>
  ${titleLines.map((line, i) => `<text x="36" y="${206 + i * 40}" font-family="${FONT}" font-size="28" fill="#3c4a3c">${esc(line)}</text>`).join('')}
  <text x="36" y="${206 + titleLines.length * 40}" font-family="${FONT}" font-size="28" fill="#3c4a3c">${esc(periodLabel({ kind: 'round', period: p.period, campaignTitle: p.campaignTitle }, 'beside_title'))}</text>
  <text x="36" y="330" font-family="${FONT}" font-size="34" font-weight="700" fill="#b5362b">${esc(progress)}</text>
  <text x="36" y="400" font-family="${FONT}" font-size="30" fill="#1f2a1f">扫码为我家庭院点赞</text>
</svg>`;
  return sharp({ create: { width: W, height: H, channels: 3, background: '#fffaf0' } })
    .composite([
      { input: photo, top: 0, left: 0 },
      { input: Buffer.from(text), top: PHOTO_H, left: 0 },
      { input: qr, top: H - QR - 40, left: W - QR - 36 },
    ])
    .png({ compressionLevel: 8 })
    .toBuffer();
}
