import { qrSvgPath } from './qr.ts';
import { esc, FONT } from './svg.ts';

/** What a plate shows: the public view of one plate. */
export interface PlateFace {
  serial: string;
  title: string;
  holderName: string;
  village: { name: string; townName: string };
  issuer: string;
  issuedOn: string;
  stars: number;
  status: string;
  verifyUrl: string;
}

export const RED = '#b3261e';
export const GOLD = '#f4d27a';

/** 2026-07-15 → 2026年7月15日 */
export function dateWords(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** The title split for a plate: the award large ("四星级美丽庭院"), the period above it. */
export function titleParts(title: string): { period: string; award: string } {
  const i = title.indexOf(' ');
  return i < 0 ? { period: '', award: title } : { period: title.slice(0, i), award: title.slice(i + 1) };
}

// Plate geometry in millimetres: 300 × 200, the common size of a door plate.
export const W = 300;
export const H = 200;

/**
 * The plate as SVG (300 × 200 mm): red field, gold border, period and award, stars, the
 * holder's full name (it hangs on their door), village, issuer and date, serial, and a QR
 * code that opens the public verification page.
 */
export function plateSvg(p: PlateFace): string {
  const { period, award } = titleParts(p.title);
  const stars = p.stars > 0 ? '★'.repeat(p.stars) : '';
  const void_ = p.status === 'issued' ? '' : `<text x="150" y="110" font-size="34" fill="#fff" fill-opacity="0.55" text-anchor="middle" transform="rotate(-18 150 110)">${p.status === 'revoked' ? '已撤销' : '已被取代'}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}mm" height="${H}mm" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`荣誉门牌 ${p.title} 户主 ${p.holderName} 编号 ${p.serial}`)}">
<rect width="${W}" height="${H}" fill="${RED}"/>
<rect x="6" y="6" width="${W - 12}" height="${H - 12}" fill="none" stroke="${GOLD}" stroke-width="2.5"/>
<rect x="10" y="10" width="${W - 20}" height="${H - 20}" fill="none" stroke="${GOLD}" stroke-width="0.8"/>
<g font-family="${FONT}" fill="${GOLD}">
<text x="150" y="36" font-size="13" text-anchor="middle">${esc(period)}</text>
<text x="150" y="70" font-size="30" font-weight="700" text-anchor="middle">${esc(award)}</text>
<text x="150" y="94" font-size="18" text-anchor="middle" letter-spacing="4">${stars}</text>
<text x="26" y="128" font-size="15" fill="#fff">户主：${esc(p.holderName)}</text>
<text x="26" y="148" font-size="11" fill="#fff">${esc(p.village.townName)} ${esc(p.village.name)}</text>
<text x="26" y="172" font-size="10" fill="#fff">${esc(p.issuer)}　${dateWords(p.issuedOn)}</text>
<text x="26" y="186" font-size="7" fill="#fff">编号 ${esc(p.serial)}</text>
<text x="253" y="186" font-size="6" fill="#fff" text-anchor="middle">扫码验证真伪</text>
</g>
${qrSvgPath(p.verifyUrl, 228, 128, 50)}
${void_}
</svg>`;
}
