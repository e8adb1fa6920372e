import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HALF_YEAR_LEVELS,
  DEFAULT_RUBRIC,
  DEFAULT_STAR_BANDS,
  planCampaign,
  rubricTotal,
  type CampaignDraft,
  type Criterion,
  type Problem,
} from '../../server/domain/campaigns.ts';
import { DomainError } from '../../server/domain/errors.ts';
import { monthBounds } from '../../server/domain/time.ts';

const LINGPAN = '350582104201';
const YANGWEI = '350582104202';
const at = (iso: string) => Date.parse(iso);

const monthly = (over: Partial<CampaignDraft> = {}): CampaignDraft => ({
  title: '2026年下半年洋尾村美丽庭院月评',
  format: 'monthly',
  villageIds: [YANGWEI],
  months: { from: '2026-07', to: '2026-12' },
  ...over,
});
const single = (over: Partial<CampaignDraft> = {}): CampaignDraft => ({
  title: '2026年岭畔村最美卫生庭院评比',
  format: 'single',
  villageIds: [LINGPAN],
  window: { from: '2026-11-01', to: '2026-12-15' },
  ...over,
});
const criterion = (key: string, max: number): Criterion => ({ key, name: key, nameEn: key, max, guidance: '' });

/** The problems a refused draft reports (fails the test if the draft is accepted). */
function problemsOf(draft: CampaignDraft): Problem[] {
  try {
    planCampaign(draft);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const err = e as DomainError;
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_campaign');
    const { problems } = err.details as { problems: Problem[] };
    // The message reads every problem out, so a cadre sees them all at once.
    for (const p of problems) expect(err.message).toContain(p.problem);
    return problems;
  }
  throw new Error('expected the draft to be refused');
}
const fieldsOf = (draft: CampaignDraft) => problemsOf(draft).map((p) => p.field);

describe('planCampaign: default star lines follow the rubric total', () => {
  it('scales bands and pass mark for a 92-point rubric, and keeps them for 100', () => {
    const plan = planCampaign(single({ rubric: [criterion('hygiene', 50), criterion('openness', 42)] }));
    expect(plan.starRule).toEqual({ kind: 'bands', bands: [{ stars: 5, minTotal: 88 }, { stars: 4, minTotal: 83 }, { stars: 3, minTotal: 79 }] });
    expect(plan.rules.passMark).toBe(74);
    const hundred = planCampaign(single({}));
    expect(hundred.starRule).toEqual({ kind: 'bands', bands: [{ stars: 5, minTotal: 95 }, { stars: 4, minTotal: 90 }, { stars: 3, minTotal: 85 }] });
  });
});

describe('planCampaign: defaults', () => {
  it('a monthly campaign gets the default rubric (100), threshold 50, pass mark 80 and half-year stars', () => {
    const plan = planCampaign(monthly());
    expect(plan.rubric.map((c) => [c.key, c.max])).toEqual([
      ['hygiene', 40],
      ['beautification', 30],
      ['openness', 15],
      ['culture', 15],
    ]);
    expect(rubricTotal(plan.rubric)).toBe(100);
    expect(plan.likeThreshold).toBe(50);
    expect(plan.rules).toEqual({ passMark: 80, quotaPerVillage: null, dailyLikeCap: 30, quorum: 3, dueDays: 7, objectionDays: 5, monthlyPlates: false, rewards: { monthlyAward: null, byStars: [] } });
    expect(plan.starRule).toEqual({
      kind: 'half_year',
      levels: [
        { stars: 5, minMonthsAwarded: 5, minMeanTotal: 90 },
        { stars: 4, minMonthsAwarded: 4, minMeanTotal: 85 },
        { stars: 3, minMonthsAwarded: 3, minMeanTotal: 80 },
      ],
    });
  });

  it('a single evaluation gets threshold 0 and the score bands 95 / 90 / 85', () => {
    const plan = planCampaign(single());
    expect(plan.likeThreshold).toBe(0);
    expect(plan.rules.passMark).toBe(80);
    expect(plan.starRule).toEqual({
      kind: 'bands',
      bands: [
        { stars: 5, minTotal: 95 },
        { stars: 4, minTotal: 90 },
        { stars: 3, minTotal: 85 },
      ],
    });
  });

  it('a threshold of 0 (off) is kept, not replaced by the default', () => {
    expect(planCampaign(monthly({ likeThreshold: 0 })).likeThreshold).toBe(0);
  });

  it('rules given as undefined keep their defaults; given rules override', () => {
    const plan = planCampaign(monthly({ rules: { passMark: undefined, quorum: 5, quotaPerVillage: 3 } }));
    expect(plan.rules).toMatchObject({ passMark: 80, quorum: 5, quotaPerVillage: 3, objectionDays: 5 });
  });

  it('the title is trimmed', () => {
    expect(planCampaign(monthly({ title: '  月评  ' })).title).toBe('月评');
  });

  it('changing one plan does not change the defaults the next campaign gets', () => {
    const plan = planCampaign(monthly());
    plan.rubric[0]!.max = 1;
    if (plan.starRule.kind === 'half_year') plan.starRule.levels[0]!.minMeanTotal = 1;
    const bandsPlan = planCampaign(single());
    if (bandsPlan.starRule.kind === 'bands') bandsPlan.starRule.bands[0]!.minTotal = 1;
    expect(DEFAULT_RUBRIC[0]!.max).toBe(40);
    expect(DEFAULT_HALF_YEAR_LEVELS[0]!.minMeanTotal).toBe(90);
    expect(DEFAULT_STAR_BANDS[0]!.minTotal).toBe(95);
    expect(planCampaign(monthly()).rubric[0]!.max).toBe(40);
  });
});

describe('planCampaign: rounds', () => {
  it('monthly: one round per Shanghai month, in order, with the month as period', () => {
    const plan = planCampaign(monthly({ months: { from: '2026-11', to: '2027-02' } }));
    expect(plan.rounds.map((r) => [r.seq, r.period])).toEqual([
      [1, '2026-11'],
      [2, '2026-12'],
      [3, '2027-01'],
      [4, '2027-02'],
    ]);
    for (const r of plan.rounds) expect({ startsAt: r.startsAt, endsAt: r.endsAt }).toEqual(monthBounds(r.period));
    expect(plan.rounds[3]!.endsAt).toBe(at('2027-02-28T23:59:59.999+08:00'));
    expect(plan.startsAt).toBe(at('2026-11-01T00:00:00+08:00'));
    expect(plan.endsAt).toBe(at('2027-02-28T23:59:59.999+08:00'));
  });

  it('monthly: the May round takes likes until 2026-05-31 23:59:59 +08:00', () => {
    const [may] = planCampaign(monthly({ months: { from: '2026-05', to: '2026-05' } })).rounds;
    expect(may).toEqual({ seq: 1, period: '2026-05', startsAt: at('2026-05-01T00:00:00+08:00'), endsAt: at('2026-05-31T23:59:59.999+08:00') });
  });

  it('monthly: 24 months is the most one campaign may span', () => {
    expect(planCampaign(monthly({ months: { from: '2026-01', to: '2027-12' } })).rounds).toHaveLength(24);
    expect(fieldsOf(monthly({ months: { from: '2026-01', to: '2028-01' } }))).toEqual(['months.to']);
  });

  it('single: one round covering the whole window, inclusive', () => {
    const plan = planCampaign(single());
    expect(plan.rounds).toEqual([
      { seq: 1, period: '2026-11-01', startsAt: at('2026-11-01T00:00:00+08:00'), endsAt: at('2026-12-15T23:59:59.999+08:00') },
    ]);
    expect([plan.startsAt, plan.endsAt]).toEqual([plan.rounds[0]!.startsAt, plan.rounds[0]!.endsAt]);
  });

  it('single: a one-day window is allowed', () => {
    const [round] = planCampaign(single({ window: { from: '2026-06-01', to: '2026-06-01' } })).rounds;
    expect(round!.endsAt - round!.startsAt + 1).toBe(86_400_000);
  });

  it('property: monthly rounds are contiguous, one per month, for any span up to 24 months', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 23 }), (y, m0, extra) => {
        const end = y * 12 + m0 + extra;
        const mm = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
        const plan = planCampaign(monthly({ months: { from: mm(y * 12 + m0), to: mm(end) } }));
        expect(plan.rounds).toHaveLength(extra + 1);
        plan.rounds.forEach((r, i) => {
          expect(r.seq).toBe(i + 1);
          expect(r.period).toBe(mm(y * 12 + m0 + i));
          if (i > 0) expect(r.startsAt).toBe(plan.rounds[i - 1]!.endsAt + 1);
        });
      }),
    );
  });
});

describe('planCampaign: each invalid form names its field', () => {
  it.each<[string, CampaignDraft, string[]]>([
    ['duplicate villages', monthly({ villageIds: [YANGWEI, LINGPAN, YANGWEI] }), ['villageIds']],
    ['duplicate rubric keys', monthly({ rubric: [criterion('hygiene', 50), criterion('openness', 30), criterion('hygiene', 20)] }), ['rubric.2.key']],
    ['a criterion worth 0', monthly({ rubric: [criterion('hygiene', 100), criterion('openness', 0)] }), ['rubric.1.max']],
    ['a criterion worth 2.5', monthly({ rubric: [criterion('hygiene', 97.5), criterion('openness', 2.5)] }), ['rubric.0.max', 'rubric.1.max']],
    ['pass mark above the total', monthly({ rules: { passMark: 101 } }), ['rules.passMark']],
    ['negative like threshold', monthly({ likeThreshold: -1 }), ['likeThreshold']],
    ['fractional like threshold', monthly({ likeThreshold: 2.5 }), ['likeThreshold']],
    [
      'bands not descending',
      single({ starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 95 }, { stars: 3, minTotal: 85 }, { stars: 4, minTotal: 90 }] } }),
      ['starRule.bands.2'],
    ],
    [
      'a higher band asking less',
      single({ starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 85 }, { stars: 4, minTotal: 90 }] } }),
      ['starRule.bands.1'],
    ],
    ['two bands with the same stars', single({ starRule: { kind: 'bands', bands: [{ stars: 4, minTotal: 95 }, { stars: 4, minTotal: 90 }] } }), ['starRule.bands.1']],
    ['no bands at all', single({ starRule: { kind: 'bands', bands: [] } }), ['starRule.bands']],
    ['a band above the total', single({ starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 101 }, { stars: 4, minTotal: 90 }] } }), ['starRule.bands.0.minTotal']],
    [
      'star bands above a smaller rubric',
      single({ rubric: [criterion('hygiene', 50), criterion('openness', 42)], rules: { passMark: 60 }, starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 95 }] } }),
      ['starRule.bands.0.minTotal'],
    ],
    [
      'a half-year level asking 7 months',
      monthly({ starRule: { kind: 'half_year', levels: [{ stars: 5, minMonthsAwarded: 7, minMeanTotal: 90 }] } }),
      ['starRule.levels.0.minMonthsAwarded'],
    ],
    [
      'a half-year level asking a mean above the total',
      monthly({ starRule: { kind: 'half_year', levels: [{ stars: 5, minMonthsAwarded: 5, minMeanTotal: 120 }] } }),
      ['starRule.levels.0.minMeanTotal'],
    ],
    [
      'half-year levels not descending',
      monthly({ starRule: { kind: 'half_year', levels: [{ stars: 3, minMonthsAwarded: 3, minMeanTotal: 80 }, { stars: 5, minMonthsAwarded: 5, minMeanTotal: 90 }] } }),
      ['starRule.levels.1'],
    ],
    ['score bands on a monthly campaign', monthly({ starRule: { kind: 'bands', bands: [{ stars: 5, minTotal: 95 }] } }), ['starRule']],
    ['half-year stars on a single evaluation', single({ starRule: { kind: 'half_year', levels: [...DEFAULT_HALF_YEAR_LEVELS] } }), ['starRule']],
    ['monthly without months', monthly({ months: undefined }), ['months']],
    ['monthly with a window', monthly({ window: { from: '2026-07-01', to: '2026-12-31' } }), ['window']],
    ['months reversed', monthly({ months: { from: '2026-12', to: '2026-07' } }), ['months.to']],
    ['25 months', monthly({ months: { from: '2026-07', to: '2028-07' } }), ['months.to']],
    ['a malformed start month', monthly({ months: { from: '2026-7', to: '2026-12' } }), ['months.from']],
    ['a malformed end month', monthly({ months: { from: '2026-07', to: '2026-13' } }), ['months.to']],
    ['both months malformed', monthly({ months: { from: '2026/07', to: '2026-13' } }), ['months.from', 'months.to']],
    ['single without a window', single({ window: undefined }), ['window']],
    ['single with months', single({ months: { from: '2026-11', to: '2026-12' } }), ['months']],
    ['a window starting on 2026-02-30', single({ window: { from: '2026-02-30', to: '2026-03-15' } }), ['window.from']],
    ['a window ending on 2026-13-01', single({ window: { from: '2026-11-01', to: '2026-13-01' } }), ['window.to']],
    ['both window days invalid', single({ window: { from: '2026-02-30', to: '2026-04-31' } }), ['window.from', 'window.to']],
    ['a window reversed', single({ window: { from: '2026-12-15', to: '2026-11-01' } }), ['window.to']],
  ])('%s', (_label, draft, fields) => {
    expect(fieldsOf(draft)).toEqual(fields);
  });

  it('the pass mark may equal the total', () => {
    expect(planCampaign(monthly({ rules: { passMark: 100 } })).rules.passMark).toBe(100);
  });

  it('every problem of a draft is reported at once', () => {
    const problems = problemsOf({
      title: '混乱的活动',
      format: 'monthly',
      villageIds: [YANGWEI, YANGWEI],
      likeThreshold: -5,
      rubric: [criterion('hygiene', 40), criterion('hygiene', 30)],
      rules: { passMark: 90 },
      starRule: { kind: 'bands', bands: [{ stars: 3, minTotal: 60 }, { stars: 5, minTotal: 95 }] },
      months: { from: '2026-12', to: '2026-07' },
      window: { from: '2026-07-01', to: '2026-12-31' },
    });
    expect(problems.map((p) => p.field).sort()).toEqual(
      [
        'villageIds',
        'rubric.1.key',
        'rules.passMark',
        'likeThreshold',
        'starRule',
        'starRule.bands.1',
        'starRule.bands.1.minTotal',
        'window',
        'months.to',
      ].sort(),
    );
    for (const p of problems) expect(p.problem.length).toBeGreaterThan(0);
  });
});

describe('rubricTotal and the pass mark', () => {
  const rubricArb = fc
    .uniqueArray(
      fc.record({
        key: fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/),
        max: fc.integer({ min: 1, max: 100 }),
      }),
      { minLength: 1, maxLength: 10, selector: (c) => c.key },
    )
    .map((cs) => cs.map((c) => criterion(c.key, c.max)));

  it('the default rubric totals 100', () => {
    expect(rubricTotal(DEFAULT_RUBRIC)).toBe(100);
  });

  it('property: the total is the sum of maxima; any pass mark up to it is accepted, one above is refused', () => {
    fc.assert(
      fc.property(
        rubricArb.chain((rubric) => {
          const total = rubric.reduce((s, c) => s + c.max, 0);
          return fc.tuple(fc.constant(rubric), fc.integer({ min: 0, max: total }));
        }),
        fc.constantFrom<'monthly' | 'single'>('monthly', 'single'),
        ([rubric, passMark], format) => {
          const total = rubric.reduce((s, c) => s + c.max, 0);
          expect(rubricTotal(rubric)).toBe(total);
          // Star figures scaled to this rubric, so that only the pass mark is in question.
          const base = format === 'monthly' ? monthly() : single();
          const starRule =
            format === 'monthly'
              ? { kind: 'half_year' as const, levels: [{ stars: 3, minMonthsAwarded: 3, minMeanTotal: total }] }
              : { kind: 'bands' as const, bands: [{ stars: 3, minTotal: total }] };
          const plan = planCampaign({ ...base, rubric, starRule, rules: { passMark } });
          expect(rubricTotal(plan.rubric)).toBe(total);
          expect(plan.rules.passMark).toBe(passMark);
          expect(fieldsOf({ ...base, rubric, starRule, rules: { passMark: total + 1 } })).toEqual(['rules.passMark']);
        },
      ),
    );
  });
});
