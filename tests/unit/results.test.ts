import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HALF_YEAR_LEVELS, DEFAULT_RUBRIC, DEFAULT_RULES, planCampaign, type CampaignRules } from '../../server/domain/campaigns.ts';
import { halfYearOf, halfYearReady, monthsNotFinal, monthsOfHalfYear } from '../../server/domain/awards.ts';
import { DomainError } from '../../server/domain/errors.ts';
import { frac } from '../../server/domain/fraction.ts';
import { issuerName, plateSerial, plateTitle, SERIAL_RE, serialPeriod, villageInitials } from '../../server/domain/plates.ts';
import { assertMayFinalize, assertMayObject, halfYearLines, isPublished, objectionDeadline, periodLabel, PUBLISHED_SQL, rewardFor, rewardWords, roundLines, type ScoredEntry } from '../../server/domain/results.ts';
import { scoreEntry } from '../../server/domain/scoring.ts';

const at = (iso: string) => Date.parse(iso);

function entry(id: string, village: string, total: number, options: { failed?: number; sheets?: number; qualifiedAt?: number } = {}): ScoredEntry {
  const n = options.sheets ?? 3;
  const failed = options.failed ?? 0;
  const base = { hygiene: Math.round(total * 0.4), beautification: Math.round(total * 0.3), openness: Math.round(total * 0.15) };
  const points = { ...base, culture: total - base.hygiene - base.beautification - base.openness };
  const sheets = Array.from({ length: n }, (_, i) => ({ memberId: `m${i}`, passed: i >= failed, points, comment: '' }));
  return { entryId: id, villageId: village, householdId: `h-${id}`, headName: '陈某', qualifiedAt: options.qualifiedAt ?? 0, score: scoreEntry(sheets, DEFAULT_RUBRIC, 3) };
}

const monthly = (rules: Partial<CampaignRules> = {}) => ({
  format: 'monthly' as const,
  rules: { ...DEFAULT_RULES, ...rules },
  starRule: { kind: 'half_year' as const, levels: DEFAULT_HALF_YEAR_LEVELS },
  hygieneKey: 'hygiene',
});

describe('who may read a result', () => {
  it.each([
    ['draft', false],
    ['announced', true],
    ['final', true],
  ] as const)('%s: published %s', (status, published) => {
    expect(isPublished(status)).toBe(published);
  });

  it('SQL queries apply the same rule', () => {
    expect(PUBLISHED_SQL).toBe("'announced', 'final'");
  });
});

describe('objection period', () => {
  it.each([
    ['2026-08-08T10:00:00+08:00', 5, '2026-08-13T23:59:59.999+08:00'],
    ['2026-08-08T00:00:00+08:00', 1, '2026-08-09T23:59:59.999+08:00'],
    // 23:30 UTC on the 7th is already the 8th in Shanghai.
    ['2026-08-07T23:30:00Z', 5, '2026-08-13T23:59:59.999+08:00'],
    ['2026-12-30T09:00:00+08:00', 5, '2027-01-04T23:59:59.999+08:00'],
  ])('announced %s with %i days → objections until %s', (announced, days, deadline) => {
    expect(objectionDeadline(at(announced), days)).toBe(at(deadline));
  });

  it('objections are taken up to the last millisecond of the period, then refused (409)', () => {
    const deadline = at('2026-08-13T23:59:59.999+08:00');
    const r = { status: 'announced' as const, objectionDeadline: deadline };
    expect(() => assertMayObject(r, deadline)).not.toThrow();
    expect(() => assertMayObject(r, deadline + 1)).toThrow(expect.objectContaining({ status: 409, code: 'objection_period_over' }));
    expect(() => assertMayObject({ ...r, status: 'draft' }, 0)).toThrow(expect.objectContaining({ code: 'not_announced' }));
    expect(() => assertMayObject({ ...r, status: 'final' }, 0)).toThrow(expect.objectContaining({ code: 'results_final' }));
  });

  it.each([
    ['draft', 0, 'after', 'not_announced'],
    ['final', 0, 'after', 'results_final'],
    ['announced', 1, 'after', 'objections_open'],
    ['announced', 0, 'during', 'objection_period_running'],
    ['announced', 0, 'after', null],
  ] as const)('finalising %s results with %i open objections %s the period → %s', (status, open, when, code) => {
    const deadline = at('2026-08-13T23:59:59.999+08:00');
    const run = () => assertMayFinalize({ status, objectionDeadline: deadline }, open, when === 'after' ? deadline + 1 : deadline);
    if (code) expect(run).toThrow(expect.objectContaining({ status: 409, code }));
    else expect(run).not.toThrow();
  });
});

describe('round lines', () => {
  it('monthly: pass mark, quota per village, disqualification and too few sheets, each with its reason', () => {
    const lines = roundLines(
      [entry('a', 'v1', 92), entry('b', 'v1', 88), entry('c', 'v1', 85), entry('d', 'v1', 70), entry('e', 'v2', 81), entry('f', 'v2', 95, { failed: 2 }), entry('g', 'v2', 90, { sheets: 2 })],
      monthly({ quotaPerVillage: 2 }),
      new Map(),
    );
    const by = Object.fromEntries(lines.map((l) => [l.entryId, [l.rank, l.awarded, l.reason]]));
    expect(by.a).toEqual([1, true, '总分 92.0，本村第 1 名，达到合格分 80']);
    expect(by.b).toEqual([2, true, '总分 88.0，本村第 2 名，达到合格分 80']);
    expect(by.c).toEqual([3, false, '总分 85.0，本村第 3 名，超出每村 2 个名额']);
    expect(by.d).toEqual([4, false, '总分 70.0 低于合格分 80']);
    expect(by.e).toEqual([1, true, '总分 81.0，本村第 1 名，达到合格分 80']);
    expect(by.f).toEqual([null, false, '实地核实未通过']);
    expect(by.g).toEqual([null, false, '评分表不足，未排名']);
  });

  it('an excluded household leaves the ranking, the next moves up and takes the freed quota place', () => {
    const scored = [entry('a', 'v1', 92), entry('b', 'v1', 88), entry('c', 'v1', 85)];
    const lines = roundLines(scored, monthly({ quotaPerVillage: 2 }), new Map([['h-a', '照片不实']]));
    expect(lines.map((l) => [l.entryId, l.rank, l.awarded, l.excludedReason])).toEqual([
      ['a', null, false, '照片不实'],
      ['b', 1, true, null],
      ['c', 2, true, null],
    ]);
  });

  it('single format: stars by band for ranked entries that passed the check', () => {
    const campaign = { format: 'single' as const, rules: DEFAULT_RULES, starRule: { kind: 'bands' as const, bands: [{ stars: 5, minTotal: 95 }, { stars: 4, minTotal: 90 }, { stars: 3, minTotal: 85 }] }, hygieneKey: 'hygiene' };
    const lines = roundLines([entry('a', 'v', 95), entry('b', 'v', 94), entry('c', 'v', 85), entry('d', 'v', 84), entry('e', 'v', 99, { failed: 3 })], campaign, new Map());
    expect(lines.map((l) => [l.entryId, l.stars, l.awarded])).toEqual([
      ['a', 5, true],
      ['b', 4, true],
      ['c', 3, true],
      ['d', 0, false],
      ['e', 0, false],
    ]);
  });

  it('property: an exclusion never raises anyone else’s rank number, and awarded ≤ quota per village', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 60, max: 100 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (totals, quota, pick) => {
        const scored = totals.map((t, i) => entry(`e${i}`, 'v', t, { qualifiedAt: i }));
        const before = roundLines(scored, monthly({ quotaPerVillage: quota }), new Map());
        const out = scored[pick % scored.length]!.householdId;
        const after = roundLines(scored, monthly({ quotaPerVillage: quota }), new Map([[out, 'x']]));
        for (const l of after) {
          if (l.householdId === out) continue;
          const b = before.find((x) => x.householdId === l.householdId)!;
          if (b.rank !== null) expect(l.rank!).toBeLessThanOrEqual(b.rank);
        }
        // Ties at the quota's edge are all awarded, so count distinct ranks among winners.
        const winnersRanks = new Set(after.filter((l) => l.awarded).map((l) => l.rank));
        expect(winnersRanks.size).toBeLessThanOrEqual(quota);
      }),
    );
  });
});

describe('half-year lines', () => {
  it('a household excluded by an objection keeps a line that says why, with no stars', () => {
    const months = (totals: Array<number | null>) => totals.map((t, i) => ({ period: `2026-0${i + 1}`, awarded: t !== null && t >= 80, total: t === null ? null : frac(t), rank: null }));
    const lines = halfYearLines(
      [
        { householdId: 'h1', villageId: 'v', months: months([93, 92, 94, 91, 95, 93]) },
        { householdId: 'h2', villageId: 'v', months: months([93, 92, 94, 91, 95, 93]) },
      ],
      DEFAULT_HALF_YEAR_LEVELS,
      6,
      new Map([['h2', '门牌照片与实际不符']]),
    );
    expect(lines.map((l) => [l.stars, l.reason])).toEqual([
      [5, '6 个月中获评 6 个月，评分月份平均 93.0 分，评为 5 星级庭院'],
      [0, '经异议核实取消：门牌照片与实际不符'],
    ]);
  });
});

describe('a half-year and its months', () => {
  it.each([
    ['2026-01', '2026H1'],
    ['2026-06', '2026H1'],
    ['2026-07', '2026H2'],
    ['2026-12', '2026H2'],
  ])('%s is in %s, one of its six months', (month, half) => {
    expect(halfYearOf(month)).toBe(half);
    expect(monthsOfHalfYear(half)).toContain(month);
    expect(monthsOfHalfYear(half)).toHaveLength(6);
  });

  const m = (period: string, status: string) => ({ period, status });
  it.each([
    ['no month held yet', [], false, []],
    ['every month final', [m('2026-01', 'final'), m('2026-02', 'final')], true, []],
    ['one month announced', [m('2026-01', 'final'), m('2026-02', 'announced')], false, ['2026-02']],
    ['months still running', [m('2026-05', 'inspecting'), m('2026-06', 'entries_open')], false, ['2026-05', '2026-06']],
  ])('stars can be worked out with %s: %s', (_case, held, ready, waiting) => {
    expect(halfYearReady(held)).toBe(ready);
    expect(monthsNotFinal(held)).toEqual(waiting);
  });
});

describe('plates', () => {
  it.each([
    ['half_year', '2026H1', 4, '2026年上半年 四星级美丽庭院', '2026H1'],
    ['half_year', '2026H2', 5, '2026年下半年 五星级美丽庭院', '2026H2'],
    ['monthly', '2026-07', 0, '2026年7月 美丽庭院', '202607'],
    ['single', '2026-11-01', 3, '2026年 三星级最美卫生庭院', '2026'],
  ] as const)('%s %s with %i stars → “%s”, serial period %s', (kind, period, stars, title, sp) => {
    expect(plateTitle(kind, period, stars)).toBe(title);
    expect(serialPeriod(kind, period)).toBe(sp);
  });

  it.each([
    ['岭畔村', 'LP'],
    ['洋尾村', 'YW'],
    ['华山村', 'HS'],
    ['梅岭社区', 'ML'],
  ])('%s → %s', (name, initials) => expect(villageInitials(name)).toBe(initials));

  it('serials match the published pattern, and issuers read as on a plate', () => {
    expect(plateSerial('350582', 'LP', '2026H1', 7)).toBe('350582-LP-2026H1-0007');
    expect(SERIAL_RE.test('350582-LP-2026H1-0007')).toBe(true);
    expect(SERIAL_RE.test('350582-LP-2026H3-0007')).toBe(false);
    expect(issuerName('岭畔村委会', '岭畔村')).toBe('岭畔村村民委员会');
    expect(issuerName('梅岭社区居委会', '梅岭社区')).toBe('梅岭社区居民委员会');
  });
});

describe('rewards', () => {
  it('come from the campaign’s rules for awards and star levels', () => {
    const rules = { ...DEFAULT_RULES, rewards: { monthlyAward: { fen: 10000, goods: null }, byStars: [{ stars: 5, fen: 50000, goods: '门牌' }] } };
    expect(rewardFor(rules, { awarded: true, stars: 0 }, 'monthly_award')).toEqual({ fen: 10000, goods: null });
    expect(rewardFor(rules, { awarded: false, stars: 0 }, 'monthly_award')).toBeNull();
    expect(rewardFor(rules, { awarded: true, stars: 5 }, 'stars')).toEqual({ fen: 50000, goods: '门牌' });
    expect(rewardFor(rules, { awarded: true, stars: 4 }, 'stars')).toBeNull();
  });

  it('a campaign’s reward rules are checked with the rest: empty items, twice the same level, monthly items on a single campaign', () => {
    const problems = (draft: Parameters<typeof planCampaign>[0]) => {
      try {
        planCampaign(draft);
        return [];
      } catch (e) {
        return ((e as DomainError).details as { problems: Array<{ field: string }> }).problems.map((p) => p.field);
      }
    };
    expect(
      problems({
        title: '测试活动',
        format: 'single',
        villageIds: ['350582102201'],
        window: { from: '2026-11-01', to: '2026-11-30' },
        rules: { monthlyPlates: true, rewards: { monthlyAward: { fen: 100, goods: null }, byStars: [{ stars: 5, fen: null, goods: null }, { stars: 5, fen: 100, goods: null }] } },
      }),
    ).toEqual(['rules.rewards.monthlyAward', 'rules.rewards.byStars.0', 'rules.rewards.byStars.1.stars', 'rules.monthlyPlates']);
  });
});

describe('rewardWords: a reward as the household reads it', () => {
  it.each([
    { fen: 10000, goods: null, words: '100.00 元' },
    { fen: 5, goods: null, words: '0.05 元' },
    { fen: 12345, goods: null, words: '123.45 元' },
    { fen: null, goods: '三星级荣誉门牌', words: '三星级荣誉门牌' },
    { fen: 20000, goods: '三星级荣誉门牌', words: '200.00 元 + 三星级荣誉门牌' },
    { fen: 0, goods: null, words: '0.00 元' },
  ])('$fen fen, $goods → $words', ({ fen, goods, words }) => {
    expect(rewardWords(fen, goods)).toBe(words);
  });
});

describe('periodLabel: a period in words', () => {
  const title = '岭畔村2026年最美卫生庭院评比';
  it.each([
    ['half_year', '2026H1', 'alone', '2026年上半年'],
    ['half_year', '2026H2', 'beside_title', '2026年下半年'],
    ['round', '2026-10', 'alone', '2026年10月'],
    ['round', '2027-01', 'beside_title', '2027年1月'],
    // A single evaluation is known by its name, not by a period made up from its first day.
    ['round', '2027-03-01', 'alone', title],
    ['round', '2026-11-28', 'beside_title', ''],
  ] as const)('%s %s %s → %s', (kind, period, place, words) => {
    expect(periodLabel({ kind, period, campaignTitle: title }, place)).toBe(words);
  });

  it('is alone unless told, and speaks the words it is given', () => {
    expect(periodLabel({ kind: 'round', period: '2026-11-28', campaignTitle: title })).toBe(title);
    const english = { month: (y: number, m: number) => `${m}/${y}`, halfYear: (y: number, h: 1 | 2) => `H${h} ${y}` };
    expect(periodLabel({ kind: 'round', period: '2026-10', campaignTitle: title }, 'alone', english)).toBe('10/2026');
    expect(periodLabel({ kind: 'half_year', period: '2026H2', campaignTitle: title }, 'alone', english)).toBe('H2 2026');
    expect(periodLabel({ kind: 'round', period: '2026-11-28', campaignTitle: title }, 'beside_title', english)).toBe('');
  });
});
