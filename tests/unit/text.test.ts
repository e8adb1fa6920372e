import { describe, expect, it } from 'vitest';
import { clause } from '../../server/domain/text.ts';

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
