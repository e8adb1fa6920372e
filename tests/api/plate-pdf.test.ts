import { crc32, deflateSync, inflateSync } from 'node:zlib';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';
import { PHONES, VILLAGES } from '../support/entries.ts';
import { sessionFor } from '../support/likes.ts';
import { pdfText } from '../support/pdf.ts';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/**
 * Every grayscale image XObject of a PDF as a PNG: a FlateDecode stream with PNG predictors is
 * exactly a PNG's image data, so it is wrapped in a PNG's chunks and decoded by sharp.
 */
function pdfImages(pdf: Buffer): Buffer[] {
  const text = pdf.toString('latin1');
  const out: Buffer[] = [];
  const re = /\/Subtype \/Image([\s\S]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const dict = text.slice(Math.max(0, m.index - 400), m.index + m[0].length);
    const num = (k: string) => Number(new RegExp(`/${k} (\\d+)`).exec(dict)?.[1]);
    const [width, height, length] = [num('Width'), num('Height'), num('Length')];
    const start = m.index + m[0].length;
    const data = pdf.subarray(start, start + length);
    const rgb = /\/DeviceRGB/.test(dict);
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = rgb ? 2 : 0; // truecolour or grayscale
    // pdfkit keeps a PNG's data as is (with its row filters, /DecodeParms); raw pixels get filter bytes added.
    const idat = /\/DecodeParms/.test(dict) ? data : filtered(inflateSync(data), width * (rgb ? 3 : 1));
    out.push(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]));
  }
  return out;
}

/** Raw rows as PNG data: filter byte 0 before each row, deflated. */
function filtered(raw: Buffer, rowBytes: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < raw.length / rowBytes; y++) rows.push(Buffer.concat([Buffer.from([0]), raw.subarray(y * rowBytes, (y + 1) * rowBytes)]));
  return deflateSync(Buffer.concat(rows));
}

async function decodeQr(png: Buffer): Promise<string | null> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ?? null;
}

describe('the plate PDF read back', () => {
  it('has the Chinese title, the holder and the serial as text, an embedded font, and a QR code that is the verification URL', async () => {
    const t = makeApp({ history: true, publicUrl: 'https://courtyard.example.cn' });
    const serial = (t.db.$client.prepare(`select serial from plates where status = 'issued' and stars = 5 order by serial limit 1`).get() as { serial: string }).serial;
    const res = await t.req('GET', `/api/plates/${serial}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const { plate } = (await (await t.req('GET', `/api/plates/${serial}`)).json()) as { plate: { holderName: string; title: string } };
    const [page] = await pdfText(new Uint8Array(pdf));
    expect(page).toContain('五星级美丽庭院');
    expect(page).toContain('2026年上半年');
    expect(page).toContain(plate.holderName);
    expect(page).toContain(serial);
    expect(page).toContain('洋尾村村民委员会');
    // The font travels with the file (a subset), so the plate maker's machine needs none.
    expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]? \d+ 0 R/);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJK/);
    const codes = await Promise.all(pdfImages(pdf).map(decodeQr));
    expect(codes).toContain(`https://courtyard.example.cn/plates/${serial}`);
  });

  it('the batch PDF has one page per valid plate of the period, the cadre only', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const campaignId = (t.db.$client.prepare(`select id from campaigns where title like '%上半年%'`).get() as { id: string }).id;
    const res = await t.req('GET', `/api/campaigns/${campaignId}/plates/export.pdf?period=2026H1`, { cookie: cadre });
    expect(res.status).toBe(200);
    const pages = await pdfText(new Uint8Array(await res.arrayBuffer()));
    const issued = (t.db.$client.prepare(`select serial from plates where status = 'issued' order by serial`).all() as Array<{ serial: string }>).map((p) => p.serial);
    expect(pages).toHaveLength(issued.length);
    issued.forEach((s, i) => expect(pages[i]).toContain(s));
    expect((await t.req('GET', `/api/campaigns/${campaignId}/plates/export.pdf?period=2026H1`, { cookie: sessionFor(t, PHONES.yangwei(1)) })).status).toBe(403);
  });

  it('the A4 notice of an announced month lists the winners as 陈家庭院, the deadline and how to object; nothing before', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const roundId = (t.db.$client.prepare(`select r.id from rounds r join campaigns c on c.id = r.campaign_id where c.title like '%下半年%' and r.period = '2026-10'`).get() as { id: string }).id;
    expect((await t.req('GET', `/api/rounds/${roundId}/results/notice.pdf`)).status).toBe(404);
    expect((await t.req('POST', `/api/rounds/${roundId}/announce`, { cookie: cadre, body: { objectionDays: 5 } })).status).toBe(200);
    const res = await t.req('GET', `/api/rounds/${roundId}/results/notice.pdf`);
    expect(res.status).toBe(200);
    const pages = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(page).toContain('关于2026年10月洋尾村美丽庭院评选结果的公示');
    expect(page).toContain('2026年12月2日 24时前');
    expect(page).toContain('家庭院');
    expect(page).toContain('洋尾村村民委员会');
    expect(page).not.toMatch(/洋尾村\d+号|139\d{8}/);
    // each winner with its entry's number, so that families of one surname are told apart
    const { result } = (await (await t.req('GET', `/api/rounds/${roundId}/results`)).json()) as { result: { lines: Array<{ householdLabel: string; entryNumber: number | null; awarded: boolean }> } };
    const winners = result.lines.filter((l) => l.awarded);
    expect(winners.length).toBeGreaterThan(0);
    for (const w of winners) {
      expect(w.entryNumber).toBeGreaterThan(0);
      expect(page.replace(/\s+/g, '')).toContain(`${w.householdLabel}（编号${w.entryNumber}）`);
    }
  });

  it('the half-year notice lists stars by months awarded and monthly mean, with no total column and no round-scoring sentence', async () => {
    const t = makeApp({ history: true });
    const campaignId = (t.db.$client.prepare(`select id from campaigns where title like '%上半年%'`).get() as { id: string }).id;
    const res = await t.req('GET', `/api/campaigns/${campaignId}/stars/2026H1/notice.pdf`);
    expect(res.status).toBe(200);
    const page = (await pdfText(new Uint8Array(await res.arrayBuffer())))[0]!;
    expect(page).toContain('星级依据这半年各月的获评月数和月均分评定');
    expect(page).toContain('获评月数');
    expect(page).toContain('月均分');
    expect(page).not.toContain('总分');
    expect(page).not.toContain('去掉一个最高分');
  });

  it('the reward sign-for-receipt sheet lists a batch’s households with what each receives, the total and boxes to sign; only for the village’s cadre', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const ledger = (await (await t.req('GET', `/api/rewards?village=${VILLAGES.yangwei}`, { cookie: cadre })).json()) as {
      rewards: Array<{ id: string; status: string; batch: { id: string; title: string }; household: { headName: string; doorNumber: string } }>;
    };
    const september = ledger.rewards.filter((r) => r.batch.title === '2026年9月 美丽庭院');
    expect(september).toHaveLength(6);
    const batch = september[0]!.batch.id;
    const sheet = (cookie?: string, query = `village=${VILLAGES.yangwei}&batch=${batch}`) => t.req('GET', `/api/rewards/receipts.pdf?${query}`, cookie ? { cookie } : {});
    const res = await sheet(cadre);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pages = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(page).toContain('洋尾村「2026年9月 美丽庭院」奖励发放签收表');
    expect(page).toContain('领取人签字');
    for (const r of september) expect(page).toContain(r.household.headName);
    expect(page).toContain('合计：6 户，600.00 元');
    expect(page).toContain('洋尾村村民委员会（盖章）');
    expect(page).not.toContain('登记发放）');

    // once recorded paid, each line says so
    await t.req('POST', '/api/rewards/paid', { cookie: cadre, body: { rewardIds: [september[0]!.id], paidOn: '2026-11-27', payer: '林秀琴' } });
    const after = (await pdfText(new Uint8Array(await (await sheet(cadre)).arrayBuffer())))[0]!;
    expect(after).toContain('（已于 2026年11月27日 登记发放）');

    for (const who of [sessionFor(t, PHONES.yangwei(1)), sessionFor(t, PHONES.lingpanCadre)]) expect((await sheet(who)).status).toBe(403);
    expect((await sheet()).status).toBe(401);
    expect((await sheet(cadre, `village=${VILLAGES.yangwei}`)).status).toBe(400);
    expect((await sheet(cadre, `village=abc&batch=${batch}`)).status).toBe(400);
    expect((await sheet(cadre, `village=${VILLAGES.yangwei}&batch=rs_nosuch`)).status).toBe(404);
    // a batch of 洋尾村 asked for as 岭畔村's, by 岭畔村's cadre: not theirs to print
    expect((await sheet(sessionFor(t, PHONES.lingpanCadre), `village=${VILLAGES.lingpan}&batch=${batch}`)).status).toBe(404);
  });
});
