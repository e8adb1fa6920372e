import { describe, expect, it } from 'vitest';
import { thresholdWords } from '../../server/domain/likes.ts';

describe('thresholdWords: what a household reads when its entry reaches the threshold', () => {
  it.each([
    ['2026年下半年洋尾村美丽庭院月评', '2026-11', 50, '您家在「2026年下半年洋尾村美丽庭院月评」2026年11月的作品已获得 50 个赞，达到门槛，考评组将上门实地核实。'],
    ['2027年洋尾村美丽庭院月评', '2027-01', 30, '您家在「2027年洋尾村美丽庭院月评」2027年1月的作品已获得 30 个赞，达到门槛，考评组将上门实地核实。'],
    // a single evaluation has one round: its title says it all
    ['2027年最美卫生庭院评比', '2027-03-01', 20, '您家在「2027年最美卫生庭院评比」的作品已获得 20 个赞，达到门槛，考评组将上门实地核实。'],
  ])('%s, %s, %i likes', (title, period, n, words) => {
    expect(thresholdWords(title, period, n)).toBe(words);
  });
});
