import { describe, expect, it } from 'vitest';
import { explainCriterion } from '../../web/score-explain.ts';

// How a criterion's figure is explained to a household and the panel.
describe('explainCriterion', () => {
  const c = (values: number[], mean: string, dropped: { high: number; low: number } | null = null) => ({ key: 'hygiene', name: '卫生情况', max: 40, values, mean, dropped });
  it.each([
    [c([], '—'), '卫生情况：尚无评分'],
    [c([38], '38.0'), '卫生情况 38.0（目前只有 1 份评分）'],
    [c([36, 38, 35], '36.3'), '卫生情况 36.3 = 35、36、38 的平均'],
    [c([30, 35, 36, 38, 40], '36.3', { high: 40, low: 30 }), '卫生情况 36.3 = 35、36、38 的平均（去掉最高 40 和最低 30）'],
  ])('%j → %s', (criterion, words) => {
    expect(explainCriterion(criterion as Parameters<typeof explainCriterion>[0])).toBe(words);
  });
});
