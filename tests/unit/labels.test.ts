import { describe, expect, it } from 'vitest';
import { entryStateLabel, missedThreshold, roundStatusLabel } from '../../web/i18n/labels.ts';

describe('the words for an entry and a round, as time passes', () => {
  it.each([
    ['submitted, likes open', 'submitted', true, '已提交，正在集赞', false],
    ['submitted, likes closed', 'submitted', false, '点赞已截止，未达标', true],
    ['qualified, likes closed', 'qualified', false, '已达标，等待实地核实', false],
    ['draft, likes closed', 'draft', false, '还没提交', false],
  ] as const)('%s: %s', (_case, status, likesOpen, label, missed) => {
    expect(entryStateLabel({ status, likesOpen })).toBe(label);
    expect(missedThreshold({ status, likesOpen })).toBe(missed);
  });

  it('without a like threshold (a single evaluation) a qualified entry is waiting for the visit, not said to have reached anything', () => {
    expect(entryStateLabel({ status: 'qualified', likesOpen: true, threshold: 0 })).toBe('已报名，等待实地核实');
    expect(entryStateLabel({ status: 'qualified', likesOpen: true, threshold: 50 })).toBe('已达标，等待实地核实');
  });

  it('an awarded entry of a month is a 美丽庭院; of a single evaluation (its round starts on a day), a star courtyard', () => {
    expect(entryStateLabel({ status: 'awarded', likesOpen: false, period: '2026-10' })).toBe('获评美丽庭院');
    expect(entryStateLabel({ status: 'awarded', likesOpen: false, period: '2026-11-01' })).toBe('获评星级庭院');
    expect(entryStateLabel({ status: 'not_awarded', likesOpen: false, period: '2026-11-01' })).toBe('本轮未获评');
  });

  it('a round still taking entries after its last day says that they are closed', () => {
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(roundStatusLabel('entries_open', future)).toBe('报名中');
    expect(roundStatusLabel('entries_open', past)).toBe('报名已截止');
    expect(roundStatusLabel('entries_open')).toBe('报名中');
    expect(roundStatusLabel('inspecting', past)).toBe('实地核实中');
  });
});
