import { MM, newPdf, pdfBuffer, qrPng, tableRow } from './pdf.ts';
import { dateWords } from './plate.ts';

export interface NoticeInput {
  campaignTitle: string;
  /** 2026年10月 / 2026年上半年 / a single evaluation's 《title》 (the village is not said again when the title names it) */
  periodLabel: string;
  /** What is being announced: 美丽庭院评选结果 / 星级庭院评定结果 / 结果 */
  subject: string;
  announcedOn: string;
  deadlineOn: string;
  final: boolean;
  resultsUrl: string;
  /** How the list is ordered and its figures made, said in the opening sentence. */
  basis: string;
  /** The heading of the total column; null when the result has no total (half-year stars). */
  totalHeading: string | null;
  /** The town that answers objections to a town's campaign (磁灶镇); null when each village answers its own. */
  answeredBy: string | null;
  villages: Array<{
    name: string;
    issuer: string;
    criteria: string[];
    winners: Array<{ rank: number | null; label: string; total: string | null; means: string[]; outcome: string }>;
  }>;
}

/**
 * The A4 notice (公示) for a village notice board: the winners with their totals and every
 * criterion's mean, the objection deadline and how to object, and a QR code to the results
 * page. One page (or more) per village. Households appear as 陈家庭院, as on every public page.
 */
export async function noticePdf(n: NoticeInput): Promise<Buffer> {
  const doc = newPdf({ size: 'A4', margins: { top: 20 * MM, bottom: 18 * MM, left: 18 * MM, right: 18 * MM }, autoFirstPage: false, info: { Title: `${n.periodLabel}${n.subject}公示` } });
  const qr = await qrPng(n.resultsUrl, 6);
  for (const v of n.villages) {
    doc.addPage();
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    const x0 = doc.page.margins.left;
    doc.font('bold').fontSize(20).fillColor('#000').text(`关于${n.periodLabel}${n.periodLabel.includes(v.name) ? '' : v.name}${n.subject}的${n.final ? '公告' : '公示'}`, { align: 'center' });
    doc.moveDown(0.6);
    doc.font('body').fontSize(11.5).text(
      `根据《${n.campaignTitle}》评比规则，经村民自荐、考评组入户实地核实和打分，${n.final ? '公示期满，现将最终结果公告如下' : '现将评选结果公示如下'}（${n.basis}）：`,
      { lineGap: 3 },
    );
    doc.moveDown(0.6);
    const total = n.totalHeading === null ? [] : [52];
    const cols = [34, 96, ...total, ...v.criteria.map(() => 0), 120];
    const fixed = cols.reduce((a, b) => a + b, 0);
    const each = v.criteria.length ? (width - fixed) / v.criteria.length : 0;
    const widths = cols.map((c) => c || each);
    const header = ['名次', '住户', ...(n.totalHeading === null ? [] : [n.totalHeading]), ...v.criteria, '结果'];
    // Room under each row for the closing text, the QR code and the issuer.
    const row = (cells: string[], bold: boolean) => tableRow(doc, cells, widths, { bold, keep: 120, align: (i) => (i === 1 || i === cells.length - 1 ? 'left' : 'center') });
    row(header, true);
    const totalCell = (t: string | null) => (n.totalHeading === null ? [] : [t ?? '—']);
    if (!v.winners.length) row(['—', '本期无获评住户', ...totalCell(''), ...v.criteria.map(() => ''), ''], false);
    for (const w of v.winners) row([w.rank === null ? '—' : String(w.rank), w.label, ...totalCell(w.total), ...w.means, w.outcome], false);
    doc.moveDown(1);
    doc.font('body').fontSize(11.5).fillColor('#000');
    if (n.final) {
      doc.text(`公示期 ${dateWords(n.announcedOn)} 至 ${dateWords(n.deadlineOn)} 已满，以上结果为最终结果。`, x0, doc.y, { width, lineGap: 3 });
    } else {
      doc.text(
        `公示期：${dateWords(n.announcedOn)} 至 ${dateWords(n.deadlineOn)}。如对结果有异议，请于 ${dateWords(n.deadlineOn)} 24时前，扫描右下方二维码登录“美丽庭院”平台在公示页面提出（可附照片），或向村委会书面反映。每条异议都将${n.answeredBy ? `由${n.answeredBy}统一` : ''}核实并答复，处理完毕后结果方可定稿。`,
        x0,
        doc.y,
        { width: width - 110, lineGap: 3 },
      );
    }
    const bottom = doc.page.height - doc.page.margins.bottom;
    // The footer sits inside the bottom margin's line; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.image(qr, x0 + width - 90, bottom - 100, { width: 90, height: 90 });
    doc.fontSize(8).text('扫码查看公示详情', x0 + width - 90, bottom - 8, { width: 90, align: 'center', lineBreak: false });
    doc.fontSize(12).text(v.issuer, x0, bottom - 60, { width: width - 110, align: 'right', lineBreak: false });
    doc.text(dateWords(n.announcedOn), x0, bottom - 40, { width: width - 110, align: 'right', lineBreak: false });
  }
  return pdfBuffer(doc);
}
