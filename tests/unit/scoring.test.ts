import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUBRIC, rubricTotal } from '../../server/domain/campaigns.ts';
import { DomainError } from '../../server/domain/errors.ts';
import { add, compare, frac, oneDecimal, toNumber, type Fraction } from '../../server/domain/fraction.ts';
import { checkPanel, checkPanelChange, checkSheet, DEFAULT_PANEL_RULE, panelChange, rankEntries, reviseSheet, scoreEntry, type PanelRole, type PanelSeat, type Sheet, type StoredSheet } from '../../server/domain/scoring.ts';

// DESIGN §3 (Panel, Score sheet, Aggregation) and §4 (independence, spread, comments at the extremes).
// Expected figures are worked out by hand in the comments, not by the code under test.

const RUBRIC = DEFAULT_RUBRIC; // hygiene 40, beautification 30, openness 15, culture 15
const KEYS = ['hygiene', 'beautification', 'openness', 'culture'] as const;
const MAX = { hygiene: 40, beautification: 30, openness: 15, culture: 15 } as const;

type Points = readonly [number, number, number, number];

/** Sheets from columns: each criterion's points, one per member, plus which members failed the on-site check. */
function sheetsFrom(cols: { hygiene: number[]; beautification: number[]; openness: number[]; culture: number[] }, failed: number[] = []): Sheet[] {
  return cols.hygiene.map((_, i) => ({
    memberId: `m${i + 1}`,
    passed: !failed.includes(i),
    points: { hygiene: cols.hygiene[i]!, beautification: cols.beautification[i]!, openness: cols.openness[i]!, culture: cols.culture[i]! },
    comment: '已核实。',
  }));
}
const sheetOf = (p: Points, i = 0, passed = true): Sheet => ({
  memberId: `m${i + 1}`,
  passed,
  points: { hygiene: p[0], beautification: p[1], openness: p[2], culture: p[3] },
  comment: '已核实。',
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}
const problemFields = (e: DomainError) => ((e.details as { problems: Array<{ field: string }> }).problems ?? []).map((p) => p.field);

describe('scoreEntry: aggregation with 3, 4, 5 and 7 sheets', () => {
  const cases = [
    {
      name: '3 sheets: plain means, nothing dropped',
      // hygiene 36,37,36 → 109/3; beautification 25,26,27 → 26; openness 12,13,14 → 13; culture 10,11,13 → 34/3
      cols: { hygiene: [36, 37, 36], beautification: [25, 26, 27], openness: [12, 13, 14], culture: [10, 11, 13] },
      means: [frac(109, 3), frac(26), frac(13), frac(34, 3)],
      displays: ['36.3', '26.0', '13.0', '11.3'],
      dropped: [null, null, null, null],
      total: frac(260, 3), // 109/3 + 26 + 13 + 34/3 = 260/3 = 86.67
      totalDisplay: '86.7',
    },
    {
      name: '4 sheets: plain means; the extremes count',
      // 129/4 = 32.25, 91/4 = 22.75, 43/4 = 10.75, 41/4 = 10.25: the shown means add up to 76.2, the exact total is 76
      cols: { hygiene: [30, 31, 33, 35], beautification: [20, 22, 24, 25], openness: [10, 10, 11, 12], culture: [9, 10, 10, 12] },
      means: [frac(129, 4), frac(91, 4), frac(43, 4), frac(41, 4)],
      displays: ['32.3', '22.8', '10.8', '10.3'],
      dropped: [null, null, null, null],
      total: frac(76),
      totalDisplay: '76.0',
    },
    {
      name: '5 sheets: one highest and one lowest dropped per criterion',
      // hygiene 20,35,36,38,40 → 35,36,38 = 109/3 (untrimmed it would be 169/5 = 33.8)
      cols: { hygiene: [40, 20, 35, 36, 38], beautification: [30, 25, 26, 27, 10], openness: [15, 12, 13, 14, 0], culture: [15, 10, 11, 13, 5] },
      means: [frac(109, 3), frac(26), frac(13), frac(34, 3)],
      displays: ['36.3', '26.0', '13.0', '11.3'],
      dropped: [
        { high: 40, low: 20 },
        { high: 30, low: 10 },
        { high: 15, low: 0 },
        { high: 15, low: 5 },
      ],
      total: frac(260, 3),
      totalDisplay: '86.7',
    },
    {
      name: '7 sheets: still only one highest and one lowest dropped (a second 15 is kept)',
      // hygiene 35..39 → 37; beautification 24..28 → 26; openness 11,12,13,13,14 → 63/5; culture 10,10,11,12,15 → 58/5
      cols: {
        hygiene: [40, 39, 38, 37, 36, 35, 0],
        beautification: [30, 28, 27, 26, 25, 24, 1],
        openness: [15, 14, 13, 13, 12, 11, 2],
        culture: [15, 15, 12, 11, 10, 10, 3],
      },
      means: [frac(37), frac(26), frac(63, 5), frac(58, 5)],
      displays: ['37.0', '26.0', '12.6', '11.6'],
      dropped: [
        { high: 40, low: 0 },
        { high: 30, low: 1 },
        { high: 15, low: 2 },
        { high: 15, low: 3 },
      ],
      total: frac(436, 5), // 37 + 26 + 12.6 + 11.6 = 87.2
      totalDisplay: '87.2',
    },
  ];

  it.each(cases)('$name', ({ cols, means, displays, dropped, total, totalDisplay }) => {
    const s = scoreEntry(sheetsFrom(cols), RUBRIC, 3);
    expect(s.criteria.map((c) => c.key)).toEqual([...KEYS]);
    expect(s.criteria.map((c) => c.mean)).toEqual(means);
    expect(s.criteria.map((c) => c.display)).toEqual(displays);
    expect(s.criteria.map((c) => c.dropped)).toEqual(dropped);
    expect(s.total).toEqual(total);
    expect(s.totalDisplay).toBe(totalDisplay);
    expect(s).toMatchObject({ sheets: cols.hygiene.length, ranked: true, disqualified: false, failedChecks: 0 });
    expect(s.explanation).toContain(`总分 ${totalDisplay}`);
    expect(s.explanation).toContain(`${cols.hygiene.length} 份评分表`);
  });

  it.each([
    { n: 3, trimmed: false },
    { n: 4, trimmed: false },
    { n: 5, trimmed: true },
    { n: 6, trimmed: true },
    { n: 7, trimmed: true },
  ])('$n sheets: trimmed = $trimmed', ({ n, trimmed }) => {
    // Every member gives 20 hygiene, except one 40 and one 0: trimmed, the mean is exactly 20.
    const hygiene = Array.from({ length: n }, (_, i) => (i === 0 ? 40 : i === 1 ? 0 : 20));
    const s = scoreEntry(sheetsFrom({ hygiene, beautification: hygiene.map(() => 15), openness: hygiene.map(() => 7), culture: hygiene.map(() => 7) }), RUBRIC, 3);
    const h = s.criteria[0]!;
    expect(h.dropped).toEqual(trimmed ? { high: 40, low: 0 } : null);
    expect(h.mean).toEqual(frac(20)); // untrimmed: (40 + 0 + 20(n-2)) / n = 20 as well
    expect(h.values).toHaveLength(n);
    expect(h.explanation).toContain(trimmed ? '去掉最高 40 和最低 0' : '卫生情况 20.0');
    if (!trimmed) expect(h.explanation).not.toContain('去掉');
    expect(s.explanation.includes('去掉一个最高分和一个最低分')).toBe(trimmed);
  });

  it('where the one-decimal figures do not add up to the one-decimal total, the explanation says why instead of a false sum', () => {
    // 34.67 + 25.67 + 12.67 + 12 = 85.0 exactly; shown rounded they make 85.1.
    const apart = scoreEntry(sheetsFrom({ hygiene: [35, 35, 34], beautification: [26, 26, 25], openness: [13, 13, 12], culture: [12, 12, 12] }), RUBRIC, 3);
    expect(apart.totalDisplay).toBe('85.0');
    expect(apart.explanation).toBe('总分 85.0 ≈ 34.7 + 25.7 + 12.7 + 12.0（3 份评分表；各项按未四舍五入的平均分相加，再保留一位小数）。');
    const together = scoreEntry(sheetsFrom({ hygiene: [36, 36, 36], beautification: [26, 26, 26], openness: [13, 13, 13], culture: [12, 12, 12] }), RUBRIC, 3);
    expect(together.explanation).toBe('总分 87.0 = 36.0 + 26.0 + 13.0 + 12.0（3 份评分表）。');
  });

  it('the trimmed mean differs from the plain mean when the extremes are lopsided', () => {
    // 5 sheets of hygiene 40, 39, 38, 37, 0: trimmed 38 (114/3), plain 154/5 = 30.8
    const cols = { hygiene: [40, 39, 38, 37, 0], beautification: [20, 20, 20, 20, 20], openness: [10, 10, 10, 10, 10], culture: [10, 10, 10, 10, 10] };
    expect(scoreEntry(sheetsFrom(cols), RUBRIC, 3).criteria[0]!.mean).toEqual(frac(38));
    // The same first four alone: 154/4 = 38.5
    const four = { hygiene: [40, 39, 38, 37], beautification: [20, 20, 20, 20], openness: [10, 10, 10, 10], culture: [10, 10, 10, 10] };
    expect(scoreEntry(sheetsFrom(four), RUBRIC, 3).criteria[0]!.mean).toEqual(frac(77, 2));
  });
});

describe('scoreEntry: disqualification by a majority of failed on-site checks', () => {
  const full = (n: number) => ({
    hygiene: Array(n).fill(40),
    beautification: Array(n).fill(30),
    openness: Array(n).fill(15),
    culture: Array(n).fill(15),
  });
  it.each([
    { sheets: 3, failing: [0], disqualified: false },
    { sheets: 3, failing: [0, 1], disqualified: true },
    { sheets: 4, failing: [0], disqualified: false },
    { sheets: 4, failing: [0, 3], disqualified: false }, // 2 of 4 is not a majority
    { sheets: 4, failing: [0, 1, 2], disqualified: true },
    { sheets: 5, failing: [1, 4], disqualified: false },
    { sheets: 5, failing: [0, 2, 4], disqualified: true }, // 3 of 5 is
    { sheets: 7, failing: [0, 1, 2], disqualified: false },
    { sheets: 7, failing: [0, 1, 2, 3], disqualified: true },
  ])('$failing.length of $sheets failing → disqualified: $disqualified (whatever the points)', ({ sheets, failing, disqualified }) => {
    const s = scoreEntry(sheetsFrom(full(sheets), failing), RUBRIC, 3);
    expect(s.failedChecks).toBe(failing.length);
    expect(s.disqualified).toBe(disqualified);
    expect(s.ranked).toBe(!disqualified);
    expect(s.total).toEqual(frac(100)); // full marks from everyone, still
    if (disqualified) expect(s.explanation).toBe(`${sheets} 份评分表中有 ${failing.length} 份认为实地核实未通过，超过半数，取消资格。`);
    else expect(s.explanation).toContain('总分 100.0');
  });
});

describe('scoreEntry: quorum', () => {
  it.each([
    { sheets: 0, quorum: 3, ranked: false },
    { sheets: 2, quorum: 3, ranked: false },
    { sheets: 3, quorum: 3, ranked: true },
    { sheets: 4, quorum: 5, ranked: false },
    { sheets: 5, quorum: 5, ranked: true },
  ])('$sheets sheets with quorum $quorum → ranked: $ranked', ({ sheets, quorum, ranked }) => {
    const list = Array.from({ length: sheets }, (_, i) => sheetOf([30, 20, 10, 10], i));
    const s = scoreEntry(list, RUBRIC, quorum);
    expect(s.ranked).toBe(ranked);
    expect(s.disqualified).toBe(false);
    if (!ranked) expect(s.explanation).toBe(`已收到 ${sheets} 份评分表，少于最少 ${quorum} 份，暂不排名。`);
    expect(s.total).toEqual(sheets ? frac(70) : null);
    expect(s.totalDisplay).toBe(sheets ? '70.0' : null);
  });

  it('with no sheet, every criterion says there is no score yet', () => {
    const s = scoreEntry([], RUBRIC, 3);
    expect(s.criteria.map((c) => c.explanation)).toEqual(['卫生情况：尚无评分', '美化情况：尚无评分', '开放情况：尚无评分', '文化内涵：尚无评分']);
  });
});

describe('scoreEntry: spread flag (points spread by more than half the maximum)', () => {
  it.each([
    { key: 'hygiene', values: [10, 20, 30], flag: false }, // spread 20 = half of 40: not more
    { key: 'hygiene', values: [10, 20, 31], flag: true }, // 21 > 20
    { key: 'beautification', values: [15, 20, 30], flag: false }, // 15 = half of 30
    { key: 'beautification', values: [14, 20, 30], flag: true },
    { key: 'openness', values: [5, 10, 12], flag: false }, // 7 < 7.5
    { key: 'openness', values: [4, 10, 12], flag: true }, // 8 > 7.5
    { key: 'culture', values: [0, 15, 15, 15, 15], flag: true }, // a dropped extreme still counts as spread
    { key: 'culture', values: [8, 8, 8, 8, 8], flag: false },
  ])('$key $values → flagged: $flag', ({ key, values, flag }) => {
    const mid = { hygiene: 20, beautification: 15, openness: 7, culture: 7 };
    const sheets = values.map((v, i): Sheet => ({ memberId: `m${i}`, passed: true, points: { ...mid, [key]: v }, comment: '说明。' }));
    const s = scoreEntry(sheets, RUBRIC, 3);
    expect(s.criteria.filter((c) => c.spreadFlag).map((c) => c.key)).toEqual(flag ? [key] : []);
  });
});

describe('rankEntries: ties at every level', () => {
  const item = (id: string, total: Fraction, hygiene: Fraction, qualifiedAt: number) => ({ id, total, hygiene, qualifiedAt });
  const ranksOf = (items: ReturnType<typeof item>[]) => Object.fromEntries(rankEntries(items).map((r) => [r.id, r.rank]));

  it.each([
    { name: 'higher total first', items: [item('a', frac(85), frac(40), 1), item('b', frac(90), frac(30), 2)], ranks: { b: 1, a: 2 } },
    {
      name: 'totals equal: higher hygiene mean first',
      items: [item('a', frac(88), frac(36), 1), item('b', frac(88), frac(38), 2)],
      ranks: { b: 1, a: 2 },
    },
    {
      name: 'totals and hygiene equal: earlier qualifiedAt first',
      items: [item('a', frac(88), frac(36), 2000), item('b', frac(88), frac(36), 1000)],
      ranks: { b: 1, a: 2 },
    },
    {
      name: 'equal on all three: same rank',
      items: [item('a', frac(88), frac(36), 1000), item('b', frac(88), frac(36), 1000)],
      ranks: { a: 1, b: 1 },
    },
    {
      name: 'after a tie the next rank is skipped: 1, 2, 2, 4',
      items: [item('d', frac(70), frac(30), 5), item('b', frac(80), frac(30), 5), item('a', frac(90), frac(30), 5), item('c', frac(80), frac(30), 5)],
      ranks: { a: 1, b: 2, c: 2, d: 4 },
    },
    {
      name: 'equal totals written differently are equal (520/6 = 260/3)',
      items: [item('a', { num: 520, den: 6 }, frac(36), 7), item('b', frac(260, 3), frac(36), 7)],
      ranks: { a: 1, b: 1 },
    },
    {
      name: 'totals that both show as 86.7 are not equal (867/10 > 260/3)',
      items: [item('a', frac(260, 3), frac(40), 1), item('b', frac(867, 10), frac(30), 2)],
      ranks: { b: 1, a: 2 },
    },
    {
      name: 'hygiene compared exactly: 109/3 beats 36.3',
      items: [item('a', frac(88), frac(363, 10), 1), item('b', frac(88), frac(109, 3), 2)],
      ranks: { b: 1, a: 2 },
    },
  ])('$name', ({ items, ranks }) => {
    expect(ranksOf(items)).toEqual(ranks);
    expect(rankEntries(items).map((r) => r.rank)).toEqual(Object.values(ranks).sort((x, y) => x - y));
  });
});

describe('exact arithmetic and display', () => {
  it('means such as 109/3 and 34/3 add up exactly, where floating point would not', () => {
    expect(add(frac(109, 3), frac(34, 3))).toEqual(frac(143, 3));
    expect(add(frac(1, 10), frac(2, 10))).toEqual(frac(3, 10)); // 0.1 + 0.2 !== 0.3 in floating point
    expect(oneDecimal(add(frac(1, 10), frac(2, 10)))).toBe('0.3');
    // Five entries' totals summed: 260/3 + 436/5 + 76 + 86.7 exactly
    const sum = [frac(260, 3), frac(436, 5), frac(76), frac(867, 10)].reduce(add);
    expect(sum).toEqual(frac(2600 + 2616 + 2280 + 2601, 30));
  });

  it.each([
    { f: frac(727, 20), shown: '36.4' }, // 36.35: half up
    { f: frac(29, 20), shown: '1.5' }, // 1.45 (1.4499… as a float)
    { f: frac(163, 20), shown: '8.2' }, // 8.15
    { f: frac(1, 20), shown: '0.1' }, // 0.05
    { f: frac(129, 4), shown: '32.3' }, // 32.25
    { f: frac(41, 4), shown: '10.3' }, // 10.25
    { f: frac(109, 3), shown: '36.3' },
    { f: frac(110, 3), shown: '36.7' },
    { f: frac(72, 7), shown: '10.3' },
    { f: frac(1999, 20), shown: '100.0' }, // 99.95
    { f: frac(1001, 20), shown: '50.1' }, // 50.05
    { f: frac(0), shown: '0.0' },
    { f: frac(100), shown: '100.0' },
    { f: frac(7269, 200), shown: '36.3' }, // 36.345 rounds down at one decimal
  ])('oneDecimal($f.num/$f.den) = $shown', ({ f, shown }) => {
    expect(oneDecimal(f)).toBe(shown);
  });

  it('oneDecimal agrees with decimal long division, rounding half up', () => {
    fc.assert(
      // Denominators such as 20 and 40 make exact halves (x.x5) common, where floating point goes wrong.
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(4, 20, 40, 60, 200, 2000)), (num, den) => {
        const q = BigInt(num) * 10n;
        let tenths = q / BigInt(den);
        if ((q % BigInt(den)) * 2n >= BigInt(den)) tenths += 1n;
        expect(oneDecimal(frac(num, den))).toBe(`${tenths / 10n}.${tenths % 10n}`);
      }),
    );
  });

  it.each([
    { a: frac(109, 3), b: frac(363, 10), sign: 1 },
    { a: frac(363, 10), b: frac(109, 3), sign: -1 },
    { a: frac(2, 4), b: frac(1, 2), sign: 0 },
    { a: frac(0), b: frac(0, 7), sign: 0 },
    { a: frac(260, 3), b: frac(867, 10), sign: -1 },
    { a: frac(100), b: frac(1999, 20), sign: 1 },
  ])('compare($a.num/$a.den, $b.num/$b.den) = $sign', ({ a, b, sign }) => {
    expect(compare(a, b)).toBe(sign);
  });

  it('compare is antisymmetric and agrees with the order of the values', () => {
    const fraction = fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 1_000 })).map(([n, d]) => frac(n, d));
    fc.assert(
      fc.property(fraction, fraction, (a, b) => {
        expect(compare(a, b)).toBe(-compare(b, a) || 0);
        if (a.num * b.den === b.num * a.den) expect(compare(a, b)).toBe(0);
        else expect(compare(a, b)).toBe(Math.sign(toNumber(a) - toNumber(b)));
      }),
    );
  });

  it('frac refuses what is not a fraction', () => {
    expect(() => frac(1, 0)).toThrow(RangeError);
    expect(() => frac(1.5, 2)).toThrow(RangeError);
    expect(() => frac(1, -3)).toThrow(RangeError);
  });
});

describe('checkSheet', () => {
  const ok = { hygiene: 30, beautification: 20, openness: 10, culture: 10 };
  it.each([
    { name: 'above the maximum', points: { ...ok, hygiene: 41 }, comment: '', field: 'points.hygiene', message: '「卫生情况」的分数应在 0 到 40 之间。' },
    { name: 'negative', points: { ...ok, beautification: -1 }, comment: '', field: 'points.beautification', message: '「美化情况」的分数应在 0 到 30 之间。' },
    { name: 'fractional', points: { ...ok, openness: 7.5 }, comment: '', field: 'points.openness', message: '「开放情况」的分数必须是整数。' },
    { name: 'a criterion missing', points: { hygiene: 30, beautification: 20, openness: 10 }, comment: '', field: 'points.culture', message: '请给「文化内涵」打分。' },
    { name: 'an unknown criterion', points: { ...ok, garden: 5 }, comment: '', field: 'points.garden', message: '评分表中没有「garden」这一项。' },
    { name: '0 without a comment', points: { ...ok, culture: 0 }, comment: '', field: 'comment', message: '打 0 分或满分时，请写一句说明。' },
    { name: 'full marks without a comment', points: { ...ok, hygiene: 40 }, comment: '', field: 'comment', message: '打 0 分或满分时，请写一句说明。' },
    { name: 'full marks with a blank comment', points: { ...ok, openness: 15 }, comment: '   ', field: 'comment', message: '打 0 分或满分时，请写一句说明。' },
  ])('refuses $name', ({ points, comment, field, message }) => {
    const e = refusal(() => checkSheet({ passed: true, points, comment }, RUBRIC));
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_sheet');
    expect(e.message).toBe(message);
    expect(problemFields(e)).toContain(field);
  });

  it('names every problem, not only the first', () => {
    const e = refusal(() => checkSheet({ passed: true, points: { hygiene: 50, beautification: -2, openness: 1.5 }, comment: '' }, RUBRIC));
    expect(problemFields(e).sort()).toEqual(['points.beautification', 'points.culture', 'points.hygiene', 'points.openness']);
  });

  it.each([
    { name: 'points within range, no comment', points: ok, comment: '' },
    { name: '0 with a comment', points: { ...ok, culture: 0 }, comment: '没有文化元素。' },
    { name: 'full marks with a comment', points: { hygiene: 40, beautification: 30, openness: 15, culture: 15 }, comment: '处处整洁。' },
    { name: 'one below the maximum, one above 0, no comment', points: { hygiene: 39, beautification: 1, openness: 14, culture: 1 }, comment: '' },
  ])('accepts $name', ({ points, comment }) => {
    expect(() => checkSheet({ passed: true, points, comment }, RUBRIC)).not.toThrow();
    expect(() => checkSheet({ passed: false, points, comment }, RUBRIC)).not.toThrow();
  });
});

describe('reviseSheet: a change after reading the others’ sheets', () => {
  const points = { hygiene: 30, beautification: 22, openness: 10, culture: 9 };
  const stored: StoredSheet = { passed: true, points, comment: '门前有杂物。', othersSeenAt: 1_000, original: null };
  const NOW = 5_000;
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof DomainError ? [e.status, e.code] : e;
    }
    return 'taken';
  };
  it('the same sheet (points in another order, spaces round the comment): no revision, no reason needed', () => {
    const next = { passed: true, points: { culture: 9, openness: 10, beautification: 22, hygiene: 30 }, comment: ' 门前有杂物。 ' };
    expect(reviseSheet(stored, next, undefined, NOW)).toBeNull();
  });
  it.each([
    { name: 'other points', next: { passed: true, points: { ...points, hygiene: 36 }, comment: '门前有杂物。' } },
    { name: 'the check turned to failed', next: { passed: false, points, comment: '门前有杂物。' } },
    { name: 'another comment', next: { passed: true, points, comment: '已整改。' } },
    { name: 'a criterion fewer', next: { passed: true, points: { hygiene: 30, beautification: 22, openness: 10 }, comment: '门前有杂物。' } },
  ])('$name: 409 without a reason; with one, the revision keeps the sheet from before', ({ next }) => {
    expect(refused(() => reviseSheet(stored, next, undefined, NOW))).toEqual([409, 'revision_reason_required']);
    expect(reviseSheet(stored, next, '讨论后修改。', NOW)).toEqual({ revisedAt: NOW, revisionReason: '讨论后修改。', original: { passed: true, points, comment: '门前有杂物。' } });
  });
  it('before reading the others any change is free; after a first revision the first original stays', () => {
    const next = { passed: false, points, comment: '' };
    expect(reviseSheet({ ...stored, othersSeenAt: null }, next, undefined, NOW)).toBeNull();
    const earlier = { passed: true, points: { ...points, hygiene: 20 }, comment: '' };
    expect(reviseSheet({ ...stored, original: earlier }, next, '再改一次。', NOW)?.original).toEqual(earlier);
  });
});

describe('checkPanel', () => {
  const m = (...roles: PanelRole[]) => roles.map((role) => ({ role }));
  it.each([
    { name: 'a town cadre, a grid worker and a villager representative', members: m('镇干部', '网格员', '村民代表'), quorum: 3 },
    { name: 'a village cadre and two villager representatives', members: m('村干部', '村民代表', '村民代表'), quorum: 3 },
    { name: 'five members, quorum 5', members: m('镇干部', '村干部', '网格员', '村民代表', '村民代表'), quorum: 5 },
  ])('accepts $name', ({ members, quorum }) => {
    expect(() => checkPanel(members, { ...DEFAULT_PANEL_RULE, quorum })).not.toThrow();
  });

  it.each([
    { name: 'fewer members than the quorum', members: m('镇干部', '村民代表'), quorum: 3, message: /至少需要 3 人.*只有 2 人/ },
    { name: 'fewer members than a quorum of 5', members: m('镇干部', '网格员', '村民代表', '村民代表'), quorum: 5, message: /至少需要 5 人/ },
    { name: 'no cadre', members: m('网格员', '村民代表', '村民代表'), quorum: 3, message: /至少需要一名镇干部或村干部/ },
    { name: 'no villager representative', members: m('镇干部', '村干部', '网格员'), quorum: 3, message: /至少需要一名村民代表/ },
  ])('refuses $name', ({ members, quorum, message }) => {
    const e = refusal(() => checkPanel(members, { ...DEFAULT_PANEL_RULE, quorum }));
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_panel');
    expect(e.message).toMatch(message);
  });

  it('names every missing part at once', () => {
    const e = refusal(() => checkPanel(m('网格员'), DEFAULT_PANEL_RULE));
    expect(e.message).toContain('至少需要 3 人');
    expect(e.message).toContain('镇干部或村干部');
    expect(e.message).toContain('村民代表');
  });
});

describe('panelChange: what a new list of members does to a panel', () => {
  const seat = (phone: string, role: PanelRole, name: string, removed = false): PanelSeat => ({ accountId: `ac_${phone}`, phone, role, name, removed });
  const seats = [seat('1', '镇干部', '王志强'), seat('2', '村干部', '陈丽珍'), seat('3', '村民代表', '许阿婆'), seat('4', '网格员', '林国华', true)];
  const want = (phone: string, role: PanelRole, name: string) => ({ phone, role, name });
  const names = (list: ReadonlyArray<{ name: string }>) => list.map((m) => m.name);

  it.each([
    { case: 'the same list', wanted: [want('1', '镇干部', '王志强'), want('2', '村干部', '陈丽珍'), want('3', '村民代表', '许阿婆')], joining: [], returning: [], leaving: [], relabelled: [] },
    { case: 'one left out, one new', wanted: [want('2', '村干部', '陈丽珍'), want('3', '村民代表', '许阿婆'), want('5', '镇干部', '黄建国')], joining: ['黄建国'], returning: [], leaving: ['王志强'], relabelled: [] },
    { case: 'one taken off before, listed again', wanted: [want('1', '镇干部', '王志强'), want('2', '村干部', '陈丽珍'), want('3', '村民代表', '许阿婆'), want('4', '网格员', '林国华')], joining: [], returning: ['林国华'], leaving: [], relabelled: [] },
    { case: 'a name and a role corrected', wanted: [want('1', '村干部', '王志强'), want('2', '村干部', '陈丽珍'), want('3', '村民代表', '许阿嬷')], joining: [], returning: [], leaving: [], relabelled: ['王志强', '许阿嬷'] },
    { case: 'nobody left (the rule refuses it, not this)', wanted: [], joining: [], returning: [], leaving: ['王志强', '陈丽珍', '许阿婆'], relabelled: [] },
  ])('$case', ({ wanted, joining, returning, leaving, relabelled }) => {
    const c = panelChange(seats, wanted);
    expect({ joining: names(c.joining), returning: names(c.returning), leaving: names(c.leaving), relabelled: names(c.relabelled) }).toEqual({ joining, returning, leaving, relabelled });
  });

  it('every member listed ends on the panel and every seat not listed ends off it (property)', () => {
    const phones = ['1', '2', '3', '4', '5', '6'];
    fc.assert(
      fc.property(fc.subarray(phones), fc.subarray(phones), fc.subarray(phones), (onPanel, removedBefore, wantedPhones) => {
        const before = [...new Set([...onPanel, ...removedBefore])].map((p) => seat(p, '村民代表', `成员${p}`, !onPanel.includes(p)));
        const c = panelChange(before, wantedPhones.map((p) => want(p, '村民代表', `成员${p}`)));
        const after = new Set([...before.filter((s) => !s.removed).map((s) => s.phone), ...c.joining.map((m) => m.phone), ...c.returning.map((m) => m.phone)]);
        for (const m of c.leaving) after.delete(m.phone);
        expect([...after].sort()).toEqual([...wantedPhones].sort());
      }),
    );
  });
});

describe('checkPanelChange', () => {
  const members = (['镇干部', '网格员', '村民代表'] as const).map((role, i) => ({ phone: String(i), role, name: `成员${i}` }));
  it.each([
    { case: 'the same quorum after sheets came in', quorum: { before: 3, after: 3 }, sent: 7 },
    { case: 'another quorum before any sheet', quorum: { before: 3, after: 2 }, sent: 0 },
  ])('allows $case', ({ quorum, sent }) => {
    expect(() => checkPanelChange(members, quorum, sent)).not.toThrow();
  });
  it.each([
    { case: 'another quorum once a sheet came in', wanted: members, quorum: { before: 3, after: 2 }, sent: 1, status: 409, code: 'quorum_locked', message: /已经交了 1 份评分表.*仍为 3/ },
    { case: 'members fewer than the new quorum', wanted: members, quorum: { before: 3, after: 4 }, sent: 0, status: 400, code: 'invalid_panel', message: /至少需要 4 人/ },
    { case: 'the last villager representative left out', wanted: members.slice(0, 2), quorum: { before: 2, after: 2 }, sent: 5, status: 400, code: 'invalid_panel', message: /村民代表/ },
  ])('refuses $case', ({ wanted, quorum, sent, status, code, message }) => {
    const e = refusal(() => checkPanelChange(wanted, quorum, sent));
    expect([e.status, e.code]).toEqual([status, code]);
    expect(e.message).toMatch(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const points = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }));
const sheetArb = fc.record({ points, passed: fc.boolean() });
const sheetsArb = fc.array(sheetArb, { minLength: 1, maxLength: 12 }).map((list) => list.map((s, i) => sheetOf(s.points, i, s.passed)));

describe('properties of scoreEntry', () => {
  it('the total never leaves 0..rubric total, and each mean never leaves 0..max', () => {
    fc.assert(
      fc.property(sheetsArb, fc.integer({ min: 1, max: 7 }), (sheets, quorum) => {
        const s = scoreEntry(sheets, RUBRIC, quorum);
        expect(compare(s.total!, frac(0))).toBeGreaterThanOrEqual(0);
        expect(compare(s.total!, frac(rubricTotal(RUBRIC)))).toBeLessThanOrEqual(0);
        for (const c of s.criteria) {
          expect(compare(c.mean, frac(0))).toBeGreaterThanOrEqual(0);
          expect(compare(c.mean, frac(MAX[c.key as keyof typeof MAX]))).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('is invariant to the order of the sheets', () => {
    fc.assert(
      fc.property(
        sheetsArb.chain((sheets) => fc.tuple(fc.constant(sheets), fc.shuffledSubarray(sheets, { minLength: sheets.length, maxLength: sheets.length }))),
        ([sheets, shuffled]) => {
          const a = scoreEntry(sheets, RUBRIC, 3);
          const b = scoreEntry(shuffled, RUBRIC, 3);
          const summary = (s: typeof a) => ({
            total: s.total,
            totalDisplay: s.totalDisplay,
            ranked: s.ranked,
            disqualified: s.disqualified,
            failedChecks: s.failedChecks,
            explanation: s.explanation,
            criteria: s.criteria.map((c) => ({ mean: c.mean, dropped: c.dropped, spreadFlag: c.spreadFlag, explanation: c.explanation, values: [...c.values].sort((x, y) => x - y) })),
          });
          expect(summary(b)).toEqual(summary(a));
        },
      ),
    );
  });

  it('a majority of failed checks always disqualifies, and never ranks', () => {
    fc.assert(
      fc.property(sheetsArb, (sheets) => {
        const s = scoreEntry(sheets, RUBRIC, 1);
        const failed = sheets.filter((x) => !x.passed).length;
        expect(s.disqualified).toBe(failed > sheets.length / 2);
        expect(s.ranked).toBe(failed <= sheets.length / 2);
      }),
    );
  });
});

describe('properties of rankEntries', () => {
  // Small ranges so that ties at every level happen often.
  const itemsArb = fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      total: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom(1, 2, 3)).map(([n, d]) => frac(n, d)),
      hygiene: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom(1, 2)).map(([n, d]) => frac(n, d)),
      qualifiedAt: fc.integer({ min: 0, max: 2 }),
    }),
    { selector: (x) => x.id, maxLength: 12 },
  );
  type Item = { id: string; total: Fraction; hygiene: Fraction; qualifiedAt: number };
  /** a is placed before b by DESIGN §3's order. */
  const better = (a: Item, b: Item) =>
    compare(a.total, b.total) > 0 ||
    (compare(a.total, b.total) === 0 && (compare(a.hygiene, b.hygiene) > 0 || (compare(a.hygiene, b.hygiene) === 0 && a.qualifiedAt < b.qualifiedAt)));

  it('rank = 1 + the number of entries strictly better (so ties share a rank and the next one is skipped)', () => {
    fc.assert(
      fc.property(itemsArb, (items) => {
        const ranked = rankEntries(items);
        expect(ranked.map((r) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
        for (const r of ranked) expect(r.rank).toBe(1 + items.filter((o) => better(o, r)).length);
      }),
    );
  });

  it('is a permutation-invariant function: the same entries in any order get the same ranks, listed in the same order', () => {
    fc.assert(
      fc.property(
        itemsArb.chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }))),
        ([items, shuffled]) => {
          const a = rankEntries(items).map((r) => [r.id, r.rank]);
          const b = rankEntries(shuffled).map((r) => [r.id, r.rank]);
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it('respects the order of totals: a higher total never has a worse rank, and the list is best first', () => {
    fc.assert(
      fc.property(itemsArb, (items) => {
        const ranked = rankEntries(items);
        for (const a of ranked) for (const b of ranked) if (compare(a.total, b.total) > 0) expect(a.rank).toBeLessThan(b.rank);
        for (let i = 1; i < ranked.length; i++) {
          expect(compare(ranked[i - 1]!.total, ranked[i]!.total)).toBeGreaterThanOrEqual(0);
          expect(ranked[i - 1]!.rank).toBeLessThanOrEqual(ranked[i]!.rank);
        }
      }),
    );
  });

  it('scored entries rank by their exact totals: sheets in, ranks out, whatever order the entries come in', () => {
    const entryArb = fc.array(fc.tuple(fc.array(points, { minLength: 3, maxLength: 7 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(entryArb, (entries) => {
        const items = entries.map(([pts, q], i) => {
          const s = scoreEntry(pts.map((p, j) => sheetOf(p, j)), RUBRIC, 3);
          return { id: `e${i}`, total: s.total!, hygiene: s.criteria[0]!.mean, qualifiedAt: q };
        });
        const ranks = new Map(rankEntries(items).map((r) => [r.id, r.rank]));
        const reversed = new Map(rankEntries([...items].reverse()).map((r) => [r.id, r.rank]));
        expect(reversed).toEqual(ranks);
        for (const a of items) for (const b of items) if (compare(a.total, b.total) > 0) expect(ranks.get(a.id)!).toBeLessThan(ranks.get(b.id)!);
      }),
    );
  });
});
