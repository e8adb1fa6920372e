import { MM, newPdf, pdfBuffer, qrPng, qrSvgPath } from './pdf.ts';

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

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const FONT = `'Noto Sans CJK SC','Noto Sans SC','WenQuanYi Micro Hei','Source Han Sans SC',sans-serif`;
const RED = '#b3261e';
const GOLD = '#f4d27a';

/** 2026-07-15 → 2026年7月15日 */
function dateWords(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** The title split for a plate: the award large ("四星级美丽庭院"), the period above it. */
function titleParts(title: string): { period: string; award: string } {
  const i = title.indexOf(' ');
  return i < 0 ? { period: '', award: title } : { period: title.slice(0, i), award: title.slice(i + 1) };
}

// Plate geometry in millimetres: 300 × 200, the common size of a door plate.
const W = 300;
const H = 200;

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

async function drawPlate(doc: PDFKit.PDFDocument, p: PlateFace): Promise<void> {
  const { period, award } = titleParts(p.title);
  const u = (mm: number) => mm * MM;
  doc.rect(0, 0, u(W), u(H)).fill(RED);
  doc.lineWidth(u(2.5)).rect(u(6), u(6), u(W - 12), u(H - 12)).stroke(GOLD);
  doc.lineWidth(u(0.8)).rect(u(10), u(10), u(W - 20), u(H - 20)).stroke(GOLD);
  const center = (font: string, size: number, text: string, yMm: number, color: string) =>
    doc.font(font).fontSize(size).fillColor(color).text(text, 0, u(yMm), { width: u(W), align: 'center', lineBreak: false });
  center('body', 13 * MM, period, 24, GOLD);
  center('bold', 30 * MM, award, 42, GOLD);
  if (p.stars > 0) drawStars(doc, p.stars, u(150), u(88), u(7));
  const left = (size: number, text: string, yMm: number) => doc.font('body').fontSize(size * MM).fillColor('#ffffff').text(text, u(26), u(yMm), { lineBreak: false });
  left(15, `户主：${p.holderName}`, 116);
  left(11, `${p.village.townName} ${p.village.name}`, 139);
  left(10, `${p.issuer}　${dateWords(p.issuedOn)}`, 164);
  left(7, `编号 ${p.serial}`, 180.5);
  doc.rect(u(228), u(128), u(50), u(50)).fill('#ffffff');
  doc.image(await qrPng(p.verifyUrl), u(228), u(128), { width: u(50), height: u(50) });
  doc.font('body').fontSize(6 * MM).fillColor('#ffffff').text('扫码验证真伪', u(228), u(181), { width: u(50), align: 'center', lineBreak: false });
  if (p.status !== 'issued') {
    doc.save().rotate(-18, { origin: [u(150), u(110)] });
    center('bold', 34 * MM, p.status === 'revoked' ? '已撤销' : '已被取代', 98, '#ffffff');
    doc.restore();
  }
}

/** Five-pointed stars drawn as paths (no glyph needed), centred on (cx, cy). */
function drawStars(doc: PDFKit.PDFDocument, n: number, cx: number, cy: number, r: number): void {
  const gap = r * 2.6;
  const x0 = cx - ((n - 1) * gap) / 2;
  for (let i = 0; i < n; i++) {
    const pts: Array<[number, number]> = [];
    for (let k = 0; k < 10; k++) {
      const a = -Math.PI / 2 + (k * Math.PI) / 5;
      const rr = k % 2 === 0 ? r : r * 0.4;
      pts.push([x0 + i * gap + rr * Math.cos(a), cy + rr * Math.sin(a)]);
    }
    doc.polygon(...pts).fill(GOLD);
  }
}

/**
 * Print-ready plates: one 300 × 200 mm page each, the Chinese font embedded (subset), the QR
 * code as an image at 8 px a module. One plate, or a batch for the plate maker.
 */
export async function platesPdf(faces: readonly PlateFace[], title: string): Promise<Buffer> {
  const doc = newPdf({ size: [W * MM, H * MM], margin: 0, autoFirstPage: false, info: { Title: title } });
  for (const p of faces) {
    doc.addPage({ size: [W * MM, H * MM], margin: 0 });
    await drawPlate(doc, p);
  }
  return pdfBuffer(doc);
}
