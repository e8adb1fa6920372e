import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_ENCODING_PROBLEM, checkRoster, decodeCsv, parseCsv, readRoster, rosterRows, type RosterProblem } from '../../server/domain/households.ts';
import { encodeGbk } from '../support/gbk.ts';

const HEADER = '户主姓名,门牌号,手机号';
const lines = (...ls: string[]) => ls.join('\n');
/** Problems as [row, field] pairs, the part a cadre acts on. */
const where = (problems: RosterProblem[]) => problems.map((p) => [p.row, p.field]);

describe('parseCsv (RFC 4180)', () => {
  it.each<[string, string, string[][]]>([
    ['plain rows', 'a,b,c\n1,2,3', [['a', 'b', 'c'], ['1', '2', '3']]],
    ['a trailing newline adds no row', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['CRLF', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['lone CR', 'a,b\r1,2', [['a', 'b'], ['1', '2']]],
    ['a quoted field with commas', '"洋尾村,12号",陈建国', [['洋尾村,12号', '陈建国']]],
    ['doubled quotes inside quotes', '"他说""好""",x', [['他说"好"', 'x']]],
    ['a quoted newline stays in the field', '"第一行\r\n第二行",x\n1,2', [['第一行\r\n第二行', 'x'], ['1', '2']]],
    ['empty fields', 'a,,c\n,,', [['a', '', 'c'], ['', '', '']]],
    ['a quoted empty field at the end', 'a,""', [['a', '']]],
    ['a UTF-8 BOM is dropped', '\uFEFF户主姓名,门牌号', [['户主姓名', '门牌号']]],
    ['a blank line is an empty row', 'a\n\nb', [['a'], [''], ['b']]],
    ['an empty text has no rows', '', []],
    ['tab-separated when the first line has tabs and no comma', '户主姓名\t门牌号\n陈一\t洋尾村1号,东厝', [['户主姓名', '门牌号'], ['陈一', '洋尾村1号,东厝']]],
  ])('%s', (_label, text, rows) => {
    expect(parseCsv(text)).toEqual(rows);
  });
});

describe('decodeCsv: the file as the spreadsheet saved it, whatever its encoding', () => {
  const text = '户主姓名,门牌号,手机号\r\n陈建国,洋尾村12号,13800138000\r\n欧阳娜娜,洋尾村14号,\r\n';
  it.each<[string, Uint8Array]>([
    ['UTF-8', new TextEncoder().encode(text)],
    ['UTF-8 with a BOM (Excel 「CSV UTF-8」)', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])],
    ['GBK (Excel 「CSV（逗号分隔）」 in China)', encodeGbk(text)],
    ['UTF-16 with a BOM (Excel 「Unicode 文本」)', new Uint8Array([0xff, 0xfe, ...new Uint8Array(Uint16Array.from(text, (c) => c.charCodeAt(0)).buffer)])],
  ])('%s', (_label, bytes) => {
    expect(decodeCsv(bytes)).toBe(text);
  });

  it('a GBK roster reads as the same households as its UTF-8 twin', () => {
    const roster = `${HEADER}\n陈建国,洋尾村12号,13800138000\n林秀英,洋尾村13号,`;
    expect(readRoster(encodeGbk(roster))).toEqual(readRoster(roster));
    expect(readRoster(encodeGbk(roster)).rows).toHaveLength(2);
  });

  it('bytes that are neither UTF-8 nor GBK are one problem of the file, not a missing header', () => {
    const bytes = new Uint8Array([0xff, 0xff, 0xff, 0x80, 0x2c, 0x80]);
    expect(decodeCsv(bytes)).toBeNull();
    expect(readRoster(bytes)).toEqual({ rows: [], problems: [{ row: 1, field: 'file', problem: CSV_ENCODING_PROBLEM }] });
  });
});

describe('readRoster: a valid roster', () => {
  it('reads every household with its 1-based row (the header is row 1)', () => {
    const { rows, problems } = readRoster(lines(HEADER, '陈建国,洋尾村12号,13800138000', '林秀英,洋尾村13号,', '欧阳娜娜,洋尾村14号,13959226666;13959227777'));
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, headName: '陈建国', doorNumber: '洋尾村12号', phones: ['13800138000'] },
      { line: 3, headName: '林秀英', doorNumber: '洋尾村13号', phones: [] },
      { line: 4, headName: '欧阳娜娜', doorNumber: '洋尾村14号', phones: ['13959226666', '13959227777'] },
    ]);
  });

  it('as Excel saves it: BOM, CRLF, quoted fields, spaces around cells, trailing blank lines', () => {
    const text = '\uFEFF户主姓名,门牌号,手机号\r\n" 陈建国 ","洋尾村,12号","+86 138-0013-8000、１３９５９２２６６６６"\r\n\r\n,,\r\n';
    const { rows, problems } = readRoster(text);
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, headName: '陈建国', doorNumber: '洋尾村,12号', phones: ['13800138000', '13959226666'] }]);
  });

  it.each([
    ['head_name,door_number,phone'],
    ['Head_Name,Door_Number,Phones'],
    ['headname,doornumber,phones'],
    ['户主,门牌号,手机'],
    ['门牌号,户主姓名'], // any order, phone column optional
  ])('header %j is understood', (header) => {
    const cols = header.split(',');
    const cell = { headName: '陈建国', doorNumber: '洋尾村12号', phones: '13800138000' };
    const key = (h: string) => (/户主|head/i.test(h) ? 'headName' : /门牌|door/i.test(h) ? 'doorNumber' : 'phones');
    const { rows, problems } = readRoster(lines(header, cols.map((h) => cell[key(h)]).join(',')));
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ headName: '陈建国', doorNumber: '洋尾村12号' });
  });

  it.each([
    ['138 0013 8000', ['13800138000']],
    ['13800138000 13959226666', ['13800138000', '13959226666']],
    ['13800138000；139 5922 6666', ['13800138000', '13959226666']],
    ['13800138000、 13959226666 ;', ['13800138000', '13959226666']],
  ])('the phone cell %j holds %j', (cell, phones) => {
    const { rows, problems } = readRoster(lines(HEADER, `陈建国,洋尾村12号,${cell}`));
    expect(problems).toEqual([]);
    expect(rows[0]!.phones).toEqual(phones);
  });

  it('a blank line in the middle is skipped, and rows keep the numbers the spreadsheet shows', () => {
    const { rows } = readRoster(lines(HEADER, '陈建国,洋尾村12号,', '', '林秀英,洋尾村13号,'));
    expect(rows.map((r) => [r.line, r.headName])).toEqual([
      [2, '陈建国'],
      [4, '林秀英'],
    ]);
  });
});

describe('readRoster: problems, by row and field', () => {
  it.each<[string, string, Array<[number, string]>]>([
    ['an invalid phone', lines(HEADER, '陈建国,洋尾村12号,1380013800'), [[2, 'phone']]],
    ['a phone starting 12', lines(HEADER, '陈建国,洋尾村12号,12800138000'), [[2, 'phone']]],
    ['an empty name', lines(HEADER, '陈建国,洋尾村12号,', ',洋尾村13号,'), [[3, 'headName']]],
    ['a name with digits', lines(HEADER, '陈建国1,洋尾村12号,'), [[2, 'headName']]],
    ['an empty door', lines(HEADER, '陈建国,,'), [[2, 'doorNumber']]],
    ['the same door twice', lines(HEADER, '陈建国,洋尾村12号,', '林秀英,洋尾村13号,', '王芳,洋尾村１２,'), [[4, 'doorNumber']]],
    ['the same phone twice', lines(HEADER, '陈建国,洋尾村12号,13800138000', '林秀英,洋尾村13号,+86 138 0013 8000'), [[3, 'phone']]],
    ['too many columns (an unquoted comma)', lines(HEADER, '陈建国,洋尾村,12号,13800138000'), [[2, 'row'], [2, 'phone']]],
    ['a missing name column', lines('姓名,门牌号', '陈建国,洋尾村12号'), [[1, 'headName']]],
    ['a missing door column', lines('户主姓名,地址', '陈建国,洋尾村12号'), [[1, 'doorNumber']]],
    ['no header at all', lines('陈建国,洋尾村12号'), [[1, 'headName'], [1, 'doorNumber']]],
    ['an empty file', '', [[1, 'file']]],
    ['a file of blank lines', '\n\r\n,,\n', [[1, 'file']]],
    ['a header only', HEADER + '\r\n', [[1, 'file']]],
    ['a bad header below blank lines', lines('', '', '姓名,门牌号', '陈建国,洋尾村12号'), [[3, 'headName']]],
    ['one number plus a broken one', lines(HEADER, '陈建国,洋尾村12号,13800138000 1380013800'), [[2, 'phone']]],
  ])('%s', (_label, text, expected) => {
    const { rows, problems } = readRoster(text);
    expect(where(problems)).toEqual(expected);
    expect(rows).toEqual([]);
    for (const p of problems) expect(p.problem).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a duplicate names the row it repeats', () => {
    const { problems } = readRoster(lines(HEADER, '陈建国,洋尾村12号,13800138000', '林秀英,洋尾村12,13800138000'));
    expect(problems.map((p) => p.problem)).toEqual([expect.stringContaining('第 2 行'), expect.stringContaining('第 2 行')]);
  });

  it('row numbers after a blank line are the rows the spreadsheet shows', () => {
    const { problems } = readRoster(lines(HEADER, '陈建国,洋尾村12号,', '', '', ',洋尾村13号,13800138000'));
    expect(where(problems)).toEqual([[5, 'headName']]);
  });

  it('all or nothing: one bad row among good ones imports no row, and every problem is listed', () => {
    const { rows, problems } = readRoster(
      lines(HEADER, '陈建国,洋尾村12号,13800138000', '林秀英,洋尾村13号,123', '王芳,洋尾村14号,', ',洋尾村15号,', '李明,洋尾村14,'),
    );
    expect(rows).toEqual([]);
    expect(where(problems)).toEqual([
      [3, 'phone'],
      [5, 'headName'],
      [6, 'doorNumber'],
    ]);
  });
});

describe('readRoster: round trip', () => {
  const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const SURNAMES = ['陈', '林', '王', '欧阳', '黄', '蔡', '许', '司马'];
  const GIVEN = ['建国', '秀英', '娜娜', '志明', '丽', '文', ' ', ',', '"', '·', 'a'];
  const nameArb = fc
    .tuple(fc.constantFrom(...SURNAMES), fc.array(fc.constantFrom(...GIVEN), { maxLength: 5 }), fc.constantFrom(...GIVEN.filter((g) => g.trim())))
    .map(([s, mid, last]) => s + mid.join('') + last)
    .filter((n) => [...n].length <= 20);
  const householdsArb = fc
    .uniqueArray(fc.integer({ min: 1, max: 9999 }), { minLength: 1, maxLength: 40 })
    .chain((doors) =>
      fc.tuple(
        fc.tuple(...doors.map(() => nameArb)),
        fc.constant(doors),
        fc.constantFrom('洋尾村', '岭畔村 ', '洋尾村,东区'),
        fc.uniqueArray(fc.integer({ min: 0, max: 99_999_999 }), { minLength: doors.length * 2, maxLength: doors.length * 2 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: doors.length, maxLength: doors.length }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
      ),
    );

  it('property: any roster of valid households reads back to the same names, doors and phones', () => {
    fc.assert(
      fc.property(householdsArb, ([names, doors, prefix, phoneSeeds, phoneCounts, eol, bom]) => {
        const households = doors.map((door, i) => ({
          headName: names[i]!,
          doorNumber: `${prefix}${door}号`,
          phones: phoneSeeds.slice(i * 2, i * 2 + phoneCounts[i]!).map((n) => `139${String(n).padStart(8, '0')}`),
        }));
        const text =
          (bom ? '\uFEFF' : '') +
          [HEADER, ...households.map((h) => [h.headName, h.doorNumber, h.phones.join(';')].map(csvCell).join(','))].join(eol) +
          eol;
        const { rows, problems } = readRoster(text);
        expect(problems).toEqual([]);
        expect(rows.map(({ headName, doorNumber, phones }) => ({ headName, doorNumber, phones }))).toEqual(
          households.map((h) => ({ ...h, doorNumber: h.doorNumber.trim() })),
        );
        expect(rows.map((r) => r.line)).toEqual(households.map((_, i) => i + 2));
      }),
    );
  });
});

describe('rosterRows: the rows skipped, under their header, to mend and send again', () => {
  const text = ['', '户主姓名,门牌号,手机号', '陈一,洋尾村201号,13712340001', '"林, 二",洋尾村202号,1371234', '黄三,洋尾村203号,'].join('\r\n');
  it.each([
    { rows: [4], want: '户主姓名,门牌号,手机号\n"林, 二",洋尾村202号,1371234' },
    { rows: [3, 5], want: '户主姓名,门牌号,手机号\n陈一,洋尾村201号,13712340001\n黄三,洋尾村203号,' },
    { rows: [], want: '户主姓名,门牌号,手机号' },
  ])('rows $rows', ({ rows, want }) => {
    expect(rosterRows(text, new Set(rows))).toBe(want);
  });

  it('numbers rows as the problems do: the row a problem names is the row kept', () => {
    const problem = checkRoster(text).problems.find((p) => p.field === 'phone')!;
    expect(rosterRows(text, new Set([problem.row]))).toContain('1371234');
  });
});
