import { HIDDEN_CHARACTER_PROBLEM, hiddenCharacter } from './text.ts';
import { isPhone, maskPhone, normalizePhone, PHONE_MESSAGE } from './phone.ts';
import { clause } from './text.ts';

export const HEAD_NAME_MAX = 20;
export const DOOR_NUMBER_MAX = 40;

/**
 * The key two door numbers are compared by: full-width characters folded to ASCII, spaces
 * dropped, letters upper-cased, and 号 at the end ignored, so 「洋尾 12号」 and 「洋尾12」 are the same door.
 */
export function doorKey(doorNumber: string): string {
  return doorNumber
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[零〇一二两三四五六七八九十百千]+/g, chineseNumber)
    .toUpperCase()
    .replace(/号$/, '');
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A number written in Chinese as digits: 五 → 5, 十二 → 12, 二十五 → 25, 一百零五 → 105, and
 * digit by digit 一〇五 → 105. Door numbers are written either way on plates and in rosters.
 */
export function chineseNumber(text: string): string {
  const chars = [...text];
  if (!chars.some((c) => c in UNITS)) return chars.map((c) => String(DIGITS[c] ?? c)).join('');
  let total = 0;
  let digit = 0;
  for (const c of chars) {
    if (c in UNITS) {
      total += (digit || 1) * UNITS[c]!;
      digit = 0;
    } else {
      digit = DIGITS[c] ?? 0;
    }
  }
  return String(total + digit);
}

/**
 * A door's key within its village, for telling whether two registrations are one door: the
 * village's name in front is dropped, in full or without 村/社区, so that in 洋尾村 「洋尾村5号」,
 * 「洋尾5号」 and 「5号」 are one door. Keys are stored as doorKey gives them; compare with this.
 */
export function doorInVillage(key: string, villageName: string): string {
  const full = doorKey(villageName);
  const short = full.replace(/(村|社区|居委会)$/, '');
  for (const prefix of [full, short]) if (prefix && key.startsWith(prefix)) return key.length > prefix.length ? key.slice(prefix.length) : key;
  return key;
}

/** Door order for lists the panel and cadres walk through: 岭畔村2号 before 岭畔村10号 (numbers as numbers). */
export function compareDoorKeys(a: string, b: string): number {
  return a.localeCompare(b, 'zh-CN', { numeric: true });
}

/** Public label of a household: its head's surname + 家庭院 (陈家庭院). Never the door number. */
export function householdLabel(headName: string): string {
  const name = headName.trim();
  const compound = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯'];
  const surname = compound.find((c) => name.startsWith(c)) ?? [...name][0] ?? '';
  return `${surname}家庭院`;
}

/** A person's name: 1–20 characters, no digits or markup. */
export function headNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return '户主姓名不能为空。';
  if ([...n].length > HEAD_NAME_MAX) return `户主姓名最多 ${HEAD_NAME_MAX} 个字。`;
  // NFKC so that full-width digits and symbols (１, ＜) are caught too.
  if (/[\d<>{}@#$%^&*=+|\\/]/.test(n.normalize('NFKC'))) return '户主姓名不能包含数字或特殊符号。';
  if (hiddenCharacter(n, false)) return `户主姓名${HIDDEN_CHARACTER_PROBLEM}`;
  return null;
}

export function doorNumberProblem(door: string): string | null {
  const d = door.trim();
  if (!d) return '门牌号不能为空。';
  if ([...d].length > DOOR_NUMBER_MAX) return `门牌号最多 ${DOOR_NUMBER_MAX} 个字。`;
  if (/[<>{}]/.test(d)) return '门牌号不能包含尖括号或花括号。';
  if (hiddenCharacter(d, false)) return `门牌号${HIDDEN_CHARACTER_PROBLEM}`;
  return null;
}

// ---------- roster import (CSV) ----------

export interface RosterRow {
  /** 1-based row of the file as a spreadsheet shows it (blank rows counted; the header is row 1). */
  line: number;
  headName: string;
  doorNumber: string;
  phones: string[];
}

export interface RosterProblem {
  row: number;
  field: string;
  problem: string;
}

const HEADERS: Record<string, 'headName' | 'doorNumber' | 'phones'> = {
  户主姓名: 'headName',
  户主: 'headName',
  head_name: 'headName',
  headname: 'headName',
  门牌号: 'doorNumber',
  door_number: 'doorNumber',
  doornumber: 'doorNumber',
  手机号: 'phones',
  手机: 'phones',
  phone: 'phones',
  phones: 'phones',
};

export const ROSTER_MAX_ROWS = 5000;

export const CSV_ENCODING_PROBLEM = '文件的编码无法识别（既不是 UTF-8 也不是 GBK）。请在 Excel 或 WPS 里「另存为」CSV 文件后再导入。';

/**
 * The text of a CSV file as a spreadsheet saved it. Excel in China saves CSV as GBK unless the
 * cadre picks "CSV UTF-8", so bytes that are not UTF-8 are read as GB18030 (which contains GBK
 * and GB2312): the cadre is never asked which encoding the file has. UTF-8 is tried first: GBK
 * bytes of Chinese text are almost never valid UTF-8, whereas UTF-8 bytes often pass for
 * GB18030 (as the wrong characters). Null when the bytes are neither.
 */
export function decodeCsv(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // not this encoding
    }
  }
  return null;
}

/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a UTF-8 BOM is ignored. A first line
 * with tabs and no comma is read as tab-separated (Excel's 「Unicode 文本」, a copy from a sheet).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  const firstLine = s.slice(0, s.search(/[\r\n]|$/));
  const separator = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Read a roster: a header row naming the columns (户主姓名, 门牌号, optional 手机号 — several
 * numbers separated by ; or 、), then one household a row. Returns every row or, if any row
 * is wrong, every problem found (row, field, problem) and no rows: an import is all or nothing.
 */
/**
 * A roster cut down to its header and these rows, numbered as its problems are (the
 * spreadsheet's rows), as CSV again: what was skipped, to mend and send once more.
 */
export function rosterRows(text: string, rows: ReadonlySet<number>): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const table = parseCsv(text);
  const header = table.findIndex((cells) => cells.some((f) => f.trim() !== ''));
  return table
    .filter((_, i) => i === header || rows.has(i + 1))
    .map((cells) => cells.map(cell).join(','))
    .join('\n');
}

export function readRoster(text: string | Uint8Array): { rows: RosterRow[]; problems: RosterProblem[] } {
  const checked = checkRoster(text);
  return checked.problems.length ? { rows: [], problems: checked.problems } : checked;
}

/**
 * Like readRoster, but returns every data row read even when some are wrong, so that the
 * rows can also be checked against the village and every problem reported at once.
 */
export function checkRoster(file: string | Uint8Array, villageName = ''): { rows: RosterRow[]; problems: RosterProblem[] } {
  const text = typeof file === 'string' ? file : decodeCsv(file);
  if (text === null) return { rows: [], problems: [{ row: 1, field: 'file', problem: CSV_ENCODING_PROBLEM }] };
  // Number rows before dropping blank ones, so a problem names the row the spreadsheet shows.
  const table = parseCsv(text)
    .map((cells, i) => ({ cells, row: i + 1 }))
    .filter(({ cells }) => cells.some((f) => f.trim() !== ''));
  const problems: RosterProblem[] = [];
  const header = table[0]?.cells;
  if (!header) return { rows: [], problems: [{ row: 1, field: 'file', problem: '文件是空的。第一行应为表头：户主姓名,门牌号,手机号。' }] };
  const columns = header.map((h) => HEADERS[h.trim().toLowerCase()] ?? null);
  for (const needed of ['headName', 'doorNumber'] as const) {
    if (!columns.includes(needed)) {
      const name = needed === 'headName' ? '户主姓名' : '门牌号';
      problems.push({ row: table[0]!.row, field: needed, problem: `表头缺少「${name}」列。第一行应为：户主姓名,门牌号,手机号。` });
    }
  }
  if (problems.length) return { rows: [], problems };
  if (table.length - 1 > ROSTER_MAX_ROWS) {
    return { rows: [], problems: [{ row: 1, field: 'file', problem: `一次最多导入 ${ROSTER_MAX_ROWS} 户，请分批导入。` }] };
  }
  if (table.length === 1) return { rows: [], problems: [{ row: 1, field: 'file', problem: '文件只有表头，没有住户。' }] };

  const rows: RosterRow[] = [];
  const seenDoors = new Map<string, number>();
  const seenPhones = new Map<string, number>();
  table.slice(1).forEach(({ cells, row: line }) => {
    const get = (col: 'headName' | 'doorNumber' | 'phones') => {
      const idx = columns.indexOf(col);
      return idx < 0 ? '' : (cells[idx] ?? '').trim();
    };
    if (cells.length > header.length) {
      problems.push({ row: line, field: 'row', problem: `这一行有 ${cells.length} 列，比表头多（含逗号的内容请加英文双引号）。` });
    }
    const headName = get('headName');
    const doorNumber = get('doorNumber');
    const nameProblem = headNameProblem(headName);
    if (nameProblem) problems.push({ row: line, field: 'headName', problem: nameProblem });
    const doorProblem = doorNumberProblem(doorNumber);
    if (doorProblem) problems.push({ row: line, field: 'doorNumber', problem: doorProblem });
    else {
      const key = doorInVillage(doorKey(doorNumber), villageName);
      const first = seenDoors.get(key);
      if (first) problems.push({ row: line, field: 'doorNumber', problem: `门牌号「${doorNumber}」与第 ${first} 行重复。` });
      else seenDoors.set(key, line);
    }
    // Numbers are separated by ; or 、; spaces inside one number (138 0013 8000) belong to it,
    // and only split numbers when every word is a whole number of its own.
    const phones = get('phones')
      .split(/[;；、]+/)
      .flatMap((part) => {
        const words = part.trim().split(/\s+/);
        return words.length > 1 && words.every((w) => isPhone(normalizePhone(w))) ? words : [part];
      })
      .filter((p) => p.trim() !== '')
      .map(normalizePhone);
    for (const p of phones) {
      if (!isPhone(p)) problems.push({ row: line, field: 'phone', problem: `「${p}」不是有效的手机号。${PHONE_MESSAGE}` });
      else if (seenPhones.has(p)) problems.push({ row: line, field: 'phone', problem: `手机号 ${p} 与第 ${seenPhones.get(p)} 行重复。` });
      else seenPhones.set(p, line);
    }
    rows.push({ line, headName, doorNumber, phones });
  });
  return { rows, problems };
}

/**
 * What a household is told when a cadre decides its registration (inbox and SMS): whether it
 * can now enter the village's contests, or why not and what to do next.
 */
/** What a household is told when a cadre adds or takes off a family member's phone (masked: an SMS may be read by anyone nearby). */
export function memberWords(change: 'added' | 'removed', h: { villageName: string; headName: string; phone: string }): string {
  const phone = maskPhone(h.phone);
  return change === 'added'
    ? `村干部已把手机号 ${phone} 加为您家（${h.villageName}，户主：${h.headName}）的家人。用这个手机号登录后，打开「我的家庭」就能替全家报名参评、上传照片。`
    : `村干部已把手机号 ${phone} 从您家（${h.villageName}，户主：${h.headName}）的家人中移出，这个手机号不能再替您家报名参评。如有疑问请联系村干部。`;
}

export function registrationWords(decision: 'confirmed' | 'rejected', h: { villageName: string; headName: string; reason: string | null }): string {
  if (decision === 'confirmed') {
    return `您家在${h.villageName}的登记已确认（户主：${h.headName}）。现在可以报名参加本村的评比了，打开「我的家庭」就能报名。`;
  }
  const reason = h.reason ? `原因：${clause(h.reason)}。` : '';
  return `您家在${h.villageName}的登记没有通过（户主：${h.headName}）。${reason}改好后可以在「我的家庭」重新登记；如有疑问请联系村干部。`;
}
