import { describe, expect, it } from 'vitest';
import { chineseNumber, doorInVillage, doorKey, doorNumberProblem, headNameProblem, householdLabel, memberWords, registrationWords } from '../../server/domain/households.ts';

describe('doorKey: two ways of writing one door compare equal', () => {
  it.each([
    ['洋尾村１２号', '洋尾村 12'],
    ['洋尾村12号', '洋尾村12'],
    ['洋尾 12号', '洋尾12'],
    ['岭畔村 ３ 号', '岭畔村3'],
    ['a区5栋', 'A区5栋'],
    ['ａ区５栋', 'A区 5 栋'],
    ['洋尾村　12', '洋尾村12'], // ideographic space
    ['洋尾村五号', '洋尾村5号'],
    ['洋尾村十二号', '洋尾村12'],
    ['洋尾村一〇五号', '洋尾村105'],
    [' 洋尾村12 ', '洋尾村12'],
  ])('%j ≡ %j', (a, b) => {
    expect(doorKey(a)).toBe(doorKey(b));
  });

  it.each([
    ['洋尾村12', '洋尾村13'],
    ['洋尾村12', '岭畔村12'],
    ['洋尾村12号', '洋尾村号12'],
    ['洋尾村1号2', '洋尾村12'],
  ])('%j and %j are different doors', (a, b) => {
    expect(doorKey(a)).not.toBe(doorKey(b));
  });

  it('only a trailing 号 is ignored', () => {
    expect(doorKey('号楼3号')).toBe('号楼3');
  });
});

describe('householdLabel: surname + 家庭院, never the door', () => {
  it.each([
    ['陈建国', '陈家庭院'],
    ['林秀英', '林家庭院'],
    ['欧阳娜娜', '欧阳家庭院'],
    ['司马光', '司马家庭院'],
    ['诸葛亮', '诸葛家庭院'],
    ['  王芳 ', '王家庭院'],
    ['欧小明', '欧家庭院'],
  ])('%s → %s', (name, label) => {
    expect(householdLabel(name)).toBe(label);
  });
});

describe('headNameProblem', () => {
  it.each(['陈建国', '欧阳娜娜', '阿依古丽·买买提', 'Zhang Wei', '  林秀英  ', '张'.repeat(20)])('%j is a name', (name) => {
    expect(headNameProblem(name)).toBeNull();
  });

  it.each([
    ['', '不能为空'],
    ['   ', '不能为空'],
    ['张'.repeat(21), '最多 20'],
    ['陈建国2', '数字'],
    ['陈建国２', '数字'], // full-width digit, as a phone keyboard types it
    ['<b>陈</b>', '特殊符号'],
    ['陈@建国', '特殊符号'],
    ['陈{建国}', '特殊符号'],
  ])('%j is refused (%s)', (name, says) => {
    expect(headNameProblem(name)).toContain(says);
  });

  it('counts characters, not UTF-16 units (20 rare characters fit)', () => {
    expect(headNameProblem('𠀀'.repeat(20))).toBeNull();
    expect(headNameProblem('𠀀'.repeat(21))).toContain('最多 20');
  });
});

describe('doorNumberProblem', () => {
  it.each(['洋尾村12号', '岭畔村 3-2', 'A区5栋101', '门'.repeat(40)])('%j is a door number', (door) => {
    expect(doorNumberProblem(door)).toBeNull();
  });

  it.each([
    ['', '不能为空'],
    ['  ', '不能为空'],
    ['门'.repeat(41), '最多 40'],
    ['<script>', '尖括号'],
    ['12{3}', '花括号'],
  ])('%j is refused (%s)', (door, says) => {
    expect(doorNumberProblem(door)).toContain(says);
  });
});

describe('registrationWords: what the family is told of the decision', () => {
  it.each([
    ['confirmed', null, '您家在洋尾村的登记已确认（户主：陈美丽）。现在可以报名参加本村的评比了，打开「我的家庭」就能报名。'],
    ['rejected', '门牌号填错了', '您家在洋尾村的登记没有通过（户主：陈美丽）。原因：门牌号填错了。改好后可以在「我的家庭」重新登记；如有疑问请联系村干部。'],
    // the reason's own full stop (Chinese or not) is not doubled
    ['rejected', '不是本村住户。', '您家在洋尾村的登记没有通过（户主：陈美丽）。原因：不是本村住户。改好后可以在「我的家庭」重新登记；如有疑问请联系村干部。'],
    ['rejected', ' 重复登记! ', '您家在洋尾村的登记没有通过（户主：陈美丽）。原因：重复登记。改好后可以在「我的家庭」重新登记；如有疑问请联系村干部。'],
  ] as const)('%s, reason %j', (decision, reason, words) => {
    expect(registrationWords(decision, { villageName: '洋尾村', headName: '陈美丽', reason })).toBe(words);
  });
});

describe('doorInVillage: the village name in front of a door number does not make another door', () => {
  it.each([
    ['洋尾村5号', '洋尾村', '5'],
    ['洋尾5号', '洋尾村', '5'],
    ['5号', '洋尾村', '5'],
    ['洋尾村 ５ 号', '洋尾村', '5'],
    ['磁灶社区12号', '磁灶社区', '12'],
    ['磁灶12号', '磁灶社区', '12'],
    ['洋尾新村3号', '洋尾村', '新村3'],
    ['岭畔村5号', '洋尾村', '岭畔村5'],
    // the village's name alone is kept: nothing would be left
    ['洋尾村', '洋尾村', '洋尾村'],
    ['洋尾', '洋尾村', '洋尾'],
  ])('%j in %s → %j', (door, village, key) => {
    expect(doorInVillage(doorKey(door), village)).toBe(key);
  });
});

describe('chineseNumber: a door number written in Chinese, as digits', () => {
  it.each([
    ['五', '5'],
    ['十', '10'],
    ['十二', '12'],
    ['二十', '20'],
    ['二十五', '25'],
    ['两百', '200'],
    ['一百零五', '105'],
    ['一百一十', '110'],
    ['一千零二十', '1020'],
    ['一〇五', '105'],
    ['三', '3'],
  ])('%s → %s', (text, digits) => {
    expect(chineseNumber(text)).toBe(digits);
  });
});

describe('memberWords: what a household is told when a family phone is added or taken off', () => {
  it.each([
    ['added', '村干部已把手机号 137****0001 加为您家（洋尾村，户主：陈美丽）的家人。用这个手机号登录后，打开「我的家庭」就能替全家报名参评、上传照片。'],
    ['removed', '村干部已把手机号 137****0001 从您家（洋尾村，户主：陈美丽）的家人中移出，这个手机号不能再替您家报名参评。如有疑问请联系村干部。'],
  ] as const)('%s', (change, words) => {
    expect(memberWords(change, { villageName: '洋尾村', headName: '陈美丽', phone: '13700000001' })).toBe(words);
  });
});
