import { describe, expect, it } from 'vitest';
import type { ResultLine } from '../../web/results-api.ts';
import { orderLines, spansVillages } from '../../web/results-view.ts';

// A town's campaign ranks each village on its own: its result reads village by village, so two
// 第 1 名 陈家庭院 of different villages are told apart and neither is read as the other's.

const line = (village: string, label: string, rank: number | null, total: string | null, stars = 0) =>
  ({ village: { id: village, name: village }, householdLabel: label, rank, total, stars }) as unknown as ResultLine;
const read = (lines: ResultLine[]) => orderLines(lines).map((l) => `${l.village.name} ${l.rank ?? '—'} ${l.householdLabel}`);

describe('orderLines', () => {
  it('one village: by rank, then unranked lines by stars and total', () => {
    const lines = [line('洋尾村', '林家庭院', null, '70.0'), line('洋尾村', '陈家庭院', 2, '88.0'), line('洋尾村', '吴家庭院', 1, '91.5'), line('洋尾村', '许家庭院', null, '80.0')];
    expect(spansVillages(lines)).toBe(false);
    expect(read(lines)).toEqual(['洋尾村 1 吴家庭院', '洋尾村 2 陈家庭院', '洋尾村 — 许家庭院', '洋尾村 — 林家庭院']);
  });

  it('several villages: village by village, each in its own rank order', () => {
    const lines = [line('洋尾村', '陈家庭院', 1, '91.0'), line('岭畔村', '陈家庭院', 1, '89.0'), line('洋尾村', '吴家庭院', 2, '85.0'), line('岭畔村', '许家庭院', 2, '80.0')];
    expect(spansVillages(lines)).toBe(true);
    expect(read(lines)).toEqual(['岭畔村 1 陈家庭院', '岭畔村 2 许家庭院', '洋尾村 1 陈家庭院', '洋尾村 2 吴家庭院']);
  });
});
