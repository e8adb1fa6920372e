import { describe, expect, it } from 'vitest';
import { explainCriterion, explainTotal } from '../../web/score-explain.ts';

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

describe('explainTotal', () => {
  const score = (total: string, means: string[]) =>
    ({ sheets: 3, quorum: 3, ranked: true, disqualified: false, failedChecks: 0, total, explanation: '', criteria: means.map((mean, i) => ({ key: `k${i}`, name: `项${i}`, max: 40, mean, values: [], dropped: null, spreadFlag: false, explanation: '' })) }) as Parameters<typeof explainTotal>[0];
  it('adds up where the shown figures do', () => expect(explainTotal(score('87.0', ['36.0', '26.0', '13.0', '12.0']))).toBe('总分 87.0 = 36.0 + 26.0 + 13.0 + 12.0（3 份评分表）'));
  it('says why where they do not', () =>
    expect(explainTotal(score('85.0', ['34.7', '25.7', '12.7', '12.0']))).toBe('总分 85.0 ≈ 34.7 + 25.7 + 12.7 + 12.0（3 份评分表）；各项按未四舍五入的平均分相加，再保留一位小数'));
});
