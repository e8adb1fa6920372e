import { MM, newPdf, pdfBuffer, tableRow } from './pdf.ts';
import { dateWords } from './plate.ts';

export interface ReceiptSheetInput {
  villageName: string;
  /** 洋尾村村民委员会 */
  issuer: string;
  /** What the rewards are for: 2026年9月 美丽庭院 */
  title: string;
  rows: Array<{ headName: string; doorNumber: string; what: string; paidOn: string | null }>;
  /** 600.00 元 (and goods, if any) */
  total: string;
  /** The day it is printed (YYYY-MM-DD, Shanghai). */
  printedOn: string;
}

/**
 * The sheet a village hands out rewards with (奖励发放签收表): one line per household with what it
 * receives and a box for the head of the household to sign and date on receipt, the total, and
 * lines for who paid and who handled it; the village keeps it with its accounts. Lines already
 * recorded as paid say so. A4, more pages as needed.
 */
export async function receiptSheetPdf(s: ReceiptSheetInput): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margins: { top: 20 * MM, bottom: 18 * MM, left: 18 * MM, right: 18 * MM }, info: { Title: `${s.villageName}「${s.title}」奖励发放签收表` } });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const x0 = doc.page.margins.left;
  doc.font('bold').fontSize(18).fillColor('#000').text(`${s.villageName}「${s.title}」奖励发放签收表`, { align: 'center' });
  doc.moveDown(0.8);
  const widths = [28, 64, 74, 0, 84, 64].map((w, _i, all) => w || width - all.reduce((a, b) => a + b, 0));
  const row = (cells: string[], bold: boolean) => tableRow(doc, cells, widths, { bold, keep: 90, align: (i) => (i === 0 ? 'center' : 'left') });
  row(['序号', '户主', '门牌号', '奖励', '领取人签字', '领取日期'], true);
  s.rows.forEach((r, i) => {
    row([String(i + 1), r.headName, r.doorNumber, r.paidOn ? `${r.what}（已于 ${dateWords(r.paidOn)} 登记发放）` : r.what, '\n\n', ''], false);
  });
  doc.moveDown(0.8);
  doc.font('body').fontSize(11.5).fillColor('#000').text(`合计：${s.rows.length} 户，${s.total}`, x0, doc.y, { width });
  doc.moveDown(1.2);
  doc.text('发放人：____________　　经办人：____________　　发放日期：______年____月____日', x0, doc.y, { width });
  doc.moveDown(2);
  doc.text(`${s.issuer}（盖章）`, x0, doc.y, { width, align: 'right' });
  doc.text(`打印日期：${dateWords(s.printedOn)}`, x0, doc.y, { width, align: 'right' });
  return pdfBuffer(doc);
}
