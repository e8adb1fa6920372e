import { MM, newPdf, pdfBuffer, qrPng } from './pdf.ts';
import { dateWords, GOLD, H, RED, titleParts, W, type PlateFace } from './plate.ts';

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
