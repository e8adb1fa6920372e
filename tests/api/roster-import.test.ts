import { count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, auditLog } from '../../server/db/schema.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { encodeGbk } from '../support/gbk.ts';
import { csv, expectError, freshPhone, PHONE, snapshot, VILLAGE, type HouseholdView } from './helpers.ts';

const HEADER = '户主姓名,门牌号,手机号';
const importInto = (t: TestApp, cookie: string, text: string, villageId: string = VILLAGE.yangwei) =>
  t.req('POST', `/api/villages/${villageId}/households/import`, { cookie, ...csv(text) });

async function problemsOf(res: Response) {
  const err = await expectError(res, 400, 'invalid_roster');
  expect(err.message).toContain('未导入任何住户');
  return (err.details as { problems: Array<{ row: number; field: string; problem: string }> }).problems;
}

async function listed(t: TestApp, cookie: string) {
  const res = await t.req('GET', `/api/villages/${VILLAGE.yangwei}/households`, { cookie });
  return ((await res.json()) as { households: HouseholdView[] }).households;
}

describe('a bad roster is refused as a whole', () => {
  it('lists every bad row with row, field and problem, and imports nothing', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const text = [
      HEADER,
      `陈一,洋尾村201号,${freshPhone(1)}`, // row 2: fine
      '林二,洋尾村202号,1370000', // row 3: bad phone
      `,洋尾村203号,${freshPhone(3)}`, // row 4: no name
      `黄四,洋尾村２０１号,${freshPhone(4)}`, // row 5: same door as row 2
      `许五,洋尾村1号,${freshPhone(5)}`, // row 6: door already in the village
      `吴六,洋尾村206号,${PHONE.lingpanVillager}`, // row 7: phone already a member in 岭畔村
    ].join('\n');
    const problems = await problemsOf(await importInto(t, cadre, text));
    expect(problems.map(({ row, field }) => ({ row, field }))).toEqual([
      { row: 3, field: 'phone' },
      { row: 4, field: 'headName' },
      { row: 5, field: 'doorNumber' },
      { row: 6, field: 'doorNumber' },
      { row: 7, field: 'phone' },
    ]);
    expect(problems[0]!.problem).toContain('不是有效的手机号');
    expect(problems[1]!.problem).toContain('户主姓名不能为空');
    expect(problems[2]!.problem).toContain('与第 2 行重复');
    expect(problems[3]!.problem).toContain('本村已有登记');
    expect(problems[4]!.problem).toContain('已是另一户的成员');
    expect(snapshot(t)).toEqual(before);
    expect(t.db.select().from(accounts).where(inArray(accounts.phone, [freshPhone(1), freshPhone(3)])).all()).toEqual([]);
  });

  it.each([
    ['a bad phone', `陈一,洋尾村201号,2370000000`, { row: 3, field: 'phone' }, '不是有效的手机号'],
    ['a missing name', `,洋尾村201号,`, { row: 3, field: 'headName' }, '户主姓名不能为空'],
    ['a name with digits', `陈一1,洋尾村201号,`, { row: 3, field: 'headName' }, '不能包含数字'],
    ['a missing door number', `陈一,,`, { row: 3, field: 'doorNumber' }, '门牌号不能为空'],
    ['a door already in the village, with whose it is', `陈一,洋尾村 12 号,`, { row: 3, field: 'doorNumber' }, /本村已有登记（户主 \S+），这一行可以从文件中删去/],
    ['a phone already a member elsewhere', `陈一,洋尾村201号,${PHONE.yangweiVillager}`, { row: 3, field: 'phone' }, '已是另一户的成员'],
    ['a door repeated in the file', `陈一,洋尾村201号,\n林二,洋尾村201,`, { row: 4, field: 'doorNumber' }, '与第 3 行重复'],
    ['a door repeated in the file without the village name', `陈一,洋尾村201号,\n林二,201号,`, { row: 4, field: 'doorNumber' }, '与第 3 行重复'],
    ['a door already in the village, without its name', `陈一,12号,`, { row: 3, field: 'doorNumber' }, '本村已有登记'],
    ['a phone repeated in the file', `陈一,洋尾村201号,${freshPhone(1)}\n林二,洋尾村202号,${freshPhone(1)}`, { row: 4, field: 'phone' }, '与第 3 行重复'],
    ['a row with more cells than the header', `陈一,洋尾村201号,${freshPhone(1)},多余`, { row: 3, field: 'row' }, '比表头多'],
  ])('names %s', async (_label, rows, where, words) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const problems = await problemsOf(await importInto(t, cadre, `${HEADER}\n林好,洋尾村300号,${freshPhone(300)}\n${rows}`));
    // Row 2 (洋尾村300号) is fine; only the named row is reported.
    expect(problems).toEqual([{ ...where, problem: typeof words === 'string' ? expect.stringContaining(words) : expect.stringMatching(words) }]);
    expect(snapshot(t)).toEqual(before);
  });

  it.each([
    ['an empty file', '', 'file', '文件是空的'],
    ['a file of blank lines', '\n\n  \n', 'file', '文件是空的'],
    ['a header only', `${HEADER}\n`, 'file', '只有表头'],
    ['a header without 户主姓名', '姓名,门牌号,手机号\n陈一,洋尾村201号,', 'headName', '缺少「户主姓名」列'],
    ['a header without 门牌号', '户主姓名,地址,手机号\n陈一,洋尾村201号,', 'doorNumber', '缺少「门牌号」列'],
  ])('refuses %s on row 1 and imports nothing', async (_label, text, field, words) => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const problems = await problemsOf(await importInto(t, cadre, text));
    expect(problems).toEqual([{ row: 1, field, problem: expect.stringContaining(words) }]);
    expect(snapshot(t)).toEqual(before);
  });

  it('answers 404 for a village that does not exist', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.townAdmin);
    await expectError(await importInto(t, cadre, `${HEADER}\n陈一,201号,`, '350582102299'), 404, 'not_found');
  });
});

describe('the rows without a problem, on their own (?skip=problem_rows)', () => {
  const text = () =>
    [
      HEADER,
      `陈一,洋尾村201号,${freshPhone(11)}`, // row 2: fine
      '林二,洋尾村202号,1370000', // row 3: bad phone
      `黄三,洋尾村203号,${freshPhone(13)}`, // row 4: fine
      `许五,洋尾村1号,${freshPhone(15)}`, // row 5: door already in the village
    ].join('\n');

  it('refused as a whole first, saying how many rows could go in; then the good rows go in and the others are listed as skipped', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const refused = await expectError(await importInto(t, cadre, text()), 400, 'invalid_roster');
    expect((refused.details as { importable: number }).importable).toBe(2);

    const res = await t.req('POST', `/api/villages/${VILLAGE.yangwei}/households/import?skip=problem_rows`, { cookie: cadre, ...csv(text()) });
    expect(res.status).toBe(200);
    const result = (await res.json()) as { imported: number; accountsCreated: number; skipped: Array<{ row: number; field: string; problem: string }> };
    expect(result.imported).toBe(2);
    expect(result.accountsCreated).toBe(2);
    expect(result.skipped.map(({ row, field }) => ({ row, field }))).toEqual([
      { row: 3, field: 'phone' },
      { row: 5, field: 'doorNumber' },
    ]);
    const doors = (await listed(t, cadre)).map((h) => h.doorNumber);
    expect(doors).toEqual(expect.arrayContaining(['洋尾村201号', '洋尾村203号']));
    expect(doors).not.toContain('洋尾村202号');
  });

  it('a file wrong as a whole (no header, no good row) is still refused, and a bad skip value is named', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const before = snapshot(t);
    const skip = (body: string, q = 'problem_rows') => t.req('POST', `/api/villages/${VILLAGE.yangwei}/households/import?skip=${q}`, { cookie: cadre, ...csv(body) });
    await expectError(await skip(`名字,地址\n陈一,洋尾村201号`), 400, 'invalid_roster');
    await expectError(await skip(`${HEADER}\n林二,洋尾村202号,1370000`), 400, 'invalid_roster');
    const err = await expectError(await skip(text(), 'everything'), 400, 'invalid_input');
    expect(err.message).toContain('problem_rows');
    expect(snapshot(t)).toEqual(before);
  });
});

describe('a good roster', () => {
  it('imports every row as confirmed, creates accounts for new phones, and reads quotes, commas, CRLF and a BOM', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const accountsBefore = t.db.select({ n: count() }).from(accounts).get()!.n;
    const text =
      '\uFEFF户主姓名,门牌号,手机号\r\n' +
      `陈一,洋尾村201号,${freshPhone(1)}\r\n` +
      `"林二","洋尾村202号,东厝","${freshPhone(2)};${freshPhone(3)}"\r\n` +
      `"黄""阿三""",洋尾村203号,\r\n` +
      `许四,洋尾村204号,${PHONE.yangweiCadre}\r\n` +
      '\r\n';
    const res = await importInto(t, cadre, text);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 4, accountsCreated: 3, skipped: [] });
    expect(t.db.select({ n: count() }).from(accounts).get()!.n).toBe(accountsBefore + 3);

    const all = await listed(t, cadre);
    expect(all).toHaveLength(64);
    const byDoor = new Map(all.map((h) => [h.doorNumber, h]));
    expect(byDoor.get('洋尾村201号')).toMatchObject({ headName: '陈一', status: 'confirmed', source: 'import', members: [{ phone: freshPhone(1), verified: false }] });
    expect(byDoor.get('洋尾村202号,东厝')).toMatchObject({ headName: '林二', status: 'confirmed', source: 'import' });
    expect(byDoor.get('洋尾村202号,东厝')!.members.map((m) => m.phone).sort()).toEqual([freshPhone(2), freshPhone(3)]);
    expect(byDoor.get('洋尾村203号')).toMatchObject({ headName: '黄"阿三"', members: [] });
    expect(byDoor.get('洋尾村204号')).toMatchObject({ headName: '许四', members: [{ phone: PHONE.yangweiCadre, verified: true }] });
    expect(t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'household.import')).get()!.n).toBe(60 + 14 + 8 + 4);

    // A member signs in and finds the household.
    const member = await t.signIn(freshPhone(2));
    const me = (await (await t.req('GET', '/api/me', { cookie: member })).json()) as { user: { household: { doorNumber: string; status: string } } };
    expect(me.user.household).toMatchObject({ doorNumber: '洋尾村202号,东厝', status: 'confirmed' });
  });

  it('reads a roster saved by Excel in China (GBK) as it reads UTF-8, and names its rows in Chinese', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const gbk = (text: string) => ({ body: encodeGbk(text), headers: { 'content-type': 'text/csv' } });
    const url = `/api/villages/${VILLAGE.yangwei}/households/import`;
    const bad = await t.req('POST', url, { cookie: cadre, ...gbk(`${HEADER}\r\n陈一,洋尾村201号,\r\n林二,洋尾村201号,\r\n`) });
    const problems = await problemsOf(bad);
    expect(problems).toEqual([{ row: 3, field: 'doorNumber', problem: '门牌号「洋尾村201号」与第 2 行重复。' }]);
    const res = await t.req('POST', url, { cookie: cadre, ...gbk(`${HEADER}\r\n陈一,洋尾村201号,${freshPhone(1)}\r\n欧阳娜娜,洋尾村202号,\r\n`) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 2, accountsCreated: 1, skipped: [] });
    const byDoor = new Map((await listed(t, cadre)).map((h) => [h.doorNumber, h]));
    expect(byDoor.get('洋尾村202号')).toMatchObject({ headName: '欧阳娜娜', source: 'import' });
  });

  it('accepts English headers and phones written with spaces or +86', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const res = await importInto(t, cadre, `head_name,door_number,phone\n陈一,洋尾村201号,+86 137 0000 0001\n林二,洋尾村202号,１３７００００００02`);
    expect(res.status).toBe(200);
    const byDoor = new Map((await listed(t, cadre)).map((h) => [h.doorNumber, h]));
    expect(byDoor.get('洋尾村201号')!.members.map((m) => m.phone)).toEqual([freshPhone(1)]);
    expect(byDoor.get('洋尾村202号')!.members.map((m) => m.phone)).toEqual([freshPhone(2)]);
  });

  it('importing the same file twice refuses the second time, row by row', async () => {
    const t = makeApp();
    const cadre = await t.signIn(PHONE.yangweiCadre);
    const text = `${HEADER}\n陈一,洋尾村201号,${freshPhone(1)}\n林二,洋尾村202号,`;
    expect((await importInto(t, cadre, text)).status).toBe(200);
    const before = snapshot(t);
    const problems = await problemsOf(await importInto(t, cadre, text));
    expect(problems.map(({ row, field }) => ({ row, field }))).toEqual([
      { row: 2, field: 'doorNumber' },
      { row: 2, field: 'phone' },
      { row: 3, field: 'doorNumber' },
    ]);
    expect(snapshot(t)).toEqual(before);
  });
});
