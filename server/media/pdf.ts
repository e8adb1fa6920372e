import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { DomainError } from '../domain/errors.ts';
import { qrModules } from './qr.ts';

/** Chinese fonts the PDFs embed (subset), in order of preference; the set-up script installs Noto CJK. */
const FONT_CANDIDATES: Array<{ regular: [string, string]; bold: [string, string] | null }> = [
  {
    regular: ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
    bold: ['/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold'],
  },
  { regular: ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'], bold: null },
  { regular: ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'WenQuanYi Micro Hei'], bold: null },
];

let chosen: (typeof FONT_CANDIDATES)[number] | null | undefined;

function fonts() {
  if (chosen === undefined) chosen = FONT_CANDIDATES.find((f) => existsSync(f.regular[0])) ?? null;
  if (!chosen) {
    throw new DomainError(503, 'font_missing', '服务器缺少中文字体，暂时无法生成 PDF。请管理员运行 bash tests/setup-system.sh（安装 fonts-noto-cjk）后重试。');
  }
  return chosen;
}

/** A PDF document with the Chinese fonts registered as 'body' and 'bold'. */
export function newPdf(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const f = fonts();
  const doc = new PDFDocument({ ...options, info: { Producer: 'Courtyard', Creator: 'Courtyard', ...options.info } });
  doc.registerFont('body', f.regular[0], f.regular[1]);
  doc.registerFont('bold', ...(f.bold && existsSync(f.bold[0]) ? f.bold : f.regular));
  return doc;
}

export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** A QR code as a grayscale PNG with a 4-module quiet zone (crisp at any print size: 8 px a module). */
export async function qrPng(text: string, scale = 8): Promise<Buffer> {
  const { size, dark } = qrModules(text);
  const side = (size + 8) * scale;
  const raw = Buffer.alloc(side * side, 255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if (!dark(x, y)) continue;
      for (let dy = 0; dy < scale; dy++) raw.fill(0, ((y + 4) * scale + dy) * side + (x + 4) * scale, ((y + 4) * scale + dy) * side + (x + 5) * scale);
    }
  return sharp(raw, { raw: { width: side, height: side, channels: 1 } }).png({ compressionLevel: 9 }).toBuffer();
}

export const MM = 72 / 25.4;

/**
 * One row of a ruled table at the document's cursor, each cell's text wrapped in its column; a
 * new page first when fewer than `keep` points would remain under it (room for what follows).
 */
export function tableRow(doc: PDFKit.PDFDocument, cells: string[], widths: number[], o: { bold: boolean; keep: number; align: (column: number) => 'left' | 'center' | 'right' }): void {
  const x0 = doc.page.margins.left;
  const font = o.bold ? 'bold' : 'body';
  const h = Math.max(...cells.map((c, i) => doc.font(font).fontSize(10).heightOfString(c, { width: widths[i]! - 6 }))) + 8;
  if (doc.y + h > doc.page.height - doc.page.margins.bottom - o.keep) doc.addPage();
  const top = doc.y;
  let x = x0;
  cells.forEach((c, i) => {
    doc.rect(x, top, widths[i]!, h).lineWidth(0.5).stroke('#555');
    doc.font(font).fontSize(10).fillColor('#000').text(c, x + 3, top + 4, { width: widths[i]! - 6, align: o.align(i) });
    x += widths[i]!;
  });
  doc.x = x0;
  doc.y = top + h;
}
