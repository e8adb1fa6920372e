import { describe, expect, it } from 'vitest';
import { clause, hiddenCharacter } from '../../server/domain/text.ts';

describe('clause: a typed reason set inside a sentence that brings its own full stop', () => {
  it.each([
    ['门牌号不对', '门牌号不对'],
    ['门牌号不对。', '门牌号不对'],
    ['  门牌号不对。。 ', '门牌号不对'],
    ['重复登记!', '重复登记'],
    ['名字写错了！', '名字写错了'],
    ['not a plate.', 'not a plate'],
    ['应为 3.5 分', '应为 3.5 分'],
  ])('%j → %j', (typed, inside) => {
    expect(clause(typed)).toBe(inside);
  });
});

describe('hiddenCharacter: what a person cannot see but a page obeys', () => {
  it.each([
    ['陈美丽', false, false],
    ['洋尾村 1号', false, false],
    ['院子里种了月季。\n门前还有葡萄架。', true, false],
    ['说明\t分两栏', true, false],
    ['院子里种了月季。\n门前', false, true],
    ['\u202e陈美丽', false, true],
    ['\u202e陈美丽', true, true],
    ['陈\u2066美丽\u2069', true, true],
    ['陈\u0000美丽', true, true],
    ['陈\u0085美丽', true, true],
    ['陈\u007f美丽', false, true],
    ['👨\u200d👩\u200d👧 一家人', true, false],
    ['陈\u200e美丽', false, true],
    ['陈\u200f美丽', false, true],
    ['陈\u061c美丽', false, true],
    ['陈\u200b美丽', false, true],
    ['陈\u2060美丽', false, true],
    ['\ufeff陈美丽', false, true],
    ['院子干净\u2028门前有花', true, true],
    ['院子干净\u2029门前有花', true, true],
  ])('%j (multiline %s) hidden: %s', (text, multiline, hidden) => {
    expect(hiddenCharacter(text, multiline)).toBe(hidden);
  });
});
