import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chineseDayOf,
  dayRangeBounds,
  isValidDay,
  monthBounds,
  monthsBetween,
  parseDay,
  shanghaiDayOf,
  shanghaiMonthOf,
  toShanghaiIso,
} from '../../server/domain/time.ts';

const at = (iso: string) => Date.parse(iso);
const pad = (n: number) => String(n).padStart(2, '0');
const nextMonth = (y: number, m: number) => (m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`);
const prevMonth = (y: number, m: number) => (m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`);

/** Contest years: anything a deployment could plausibly schedule. */
const monthArb = fc.record({ y: fc.integer({ min: 1971, max: 2999 }), m: fc.integer({ min: 1, max: 12 }) });

describe('monthBounds (Asia/Shanghai)', () => {
  it('May 2026 runs from 05-01 00:00 to 05-31 23:59:59.999, +08:00', () => {
    const { startsAt, endsAt } = monthBounds('2026-05');
    expect(startsAt).toBe(at('2026-05-01T00:00:00+08:00'));
    expect(endsAt).toBe(at('2026-05-31T23:59:59.999+08:00'));
    // The same instants seen in UTC: the month starts the previous evening.
    expect(new Date(startsAt).toISOString()).toBe('2026-04-30T16:00:00.000Z');
    expect(new Date(endsAt).toISOString()).toBe('2026-05-31T15:59:59.999Z');
  });

  it.each([
    ['2026-02', '2026-02-01T00:00:00+08:00', '2026-02-28T23:59:59.999+08:00'],
    ['2028-02', '2028-02-01T00:00:00+08:00', '2028-02-29T23:59:59.999+08:00'],
    ['2100-02', '2100-02-01T00:00:00+08:00', '2100-02-28T23:59:59.999+08:00'],
    ['2000-02', '2000-02-01T00:00:00+08:00', '2000-02-29T23:59:59.999+08:00'],
    ['2026-04', '2026-04-01T00:00:00+08:00', '2026-04-30T23:59:59.999+08:00'],
    ['2026-12', '2026-12-01T00:00:00+08:00', '2026-12-31T23:59:59.999+08:00'],
    ['2026-01', '2026-01-01T00:00:00+08:00', '2026-01-31T23:59:59.999+08:00'],
  ])('%s runs from %s to %s', (month, start, end) => {
    expect(monthBounds(month)).toEqual({ startsAt: at(start), endsAt: at(end) });
  });

  it('December ends where January of the next year begins', () => {
    expect(monthBounds('2026-12').endsAt + 1).toBe(monthBounds('2027-01').startsAt);
  });

  it.each(['2026-13', '2026-00', '2026-5', '26-05', '2026/05', '', '2026-05-01'])('rejects %j', (bad) => {
    expect(() => monthBounds(bad)).toThrow(RangeError);
  });

  it('property: months tile time — endsAt + 1 is the next startsAt, and both ends lie in the month', () => {
    fc.assert(
      fc.property(monthArb, ({ y, m }) => {
        const month = `${y}-${pad(m)}`;
        const { startsAt, endsAt } = monthBounds(month);
        expect(endsAt + 1).toBe(monthBounds(nextMonth(y, m)).startsAt);
        expect(shanghaiMonthOf(startsAt)).toBe(month);
        expect(shanghaiMonthOf(endsAt)).toBe(month);
        expect(shanghaiMonthOf(startsAt - 1)).toBe(prevMonth(y, m));
        expect(shanghaiMonthOf(endsAt + 1)).toBe(nextMonth(y, m));
        // 28..31 whole days, never a stray hour.
        const days = (endsAt + 1 - startsAt) / 86_400_000;
        expect([28, 29, 30, 31]).toContain(days);
      }),
    );
  });
});

describe('shanghaiMonthOf / shanghaiDayOf', () => {
  it.each([
    ['2026-05-01T00:00:00+08:00', '2026-05', '2026-05-01'],
    ['2026-04-30T23:59:59.999+08:00', '2026-04', '2026-04-30'],
    ['2026-05-31T23:59:59.999+08:00', '2026-05', '2026-05-31'],
    ['2026-06-01T00:00:00+08:00', '2026-06', '2026-06-01'],
    ['2026-12-31T23:59:59.999+08:00', '2026-12', '2026-12-31'],
    ['2027-01-01T00:00:00+08:00', '2027-01', '2027-01-01'],
    // 20:00 UTC on the 31st is already the 1st of the next month in Shanghai.
    ['2026-05-31T20:00:00Z', '2026-06', '2026-06-01'],
    ['2026-04-30T15:59:59.999Z', '2026-04', '2026-04-30'],
  ])('%s is in %s, day %s', (iso, month, day) => {
    expect(shanghaiMonthOf(at(iso))).toBe(month);
    expect(shanghaiDayOf(at(iso))).toBe(day);
  });
});

describe('chineseDayOf', () => {
  it.each([
    ['2026-12-03T23:59:59.999+08:00', '2026年12月3日'],
    ['2026-01-01T00:00:00+08:00', '2026年1月1日'],
    // 16:00 UTC is already the next day in Shanghai.
    ['2026-05-31T16:00:00Z', '2026年6月1日'],
  ])('%s is %s', (iso, day) => {
    expect(chineseDayOf(at(iso))).toBe(day);
  });
});

describe('dayRangeBounds', () => {
  it.each([
    ['2026-11-01', '2026-12-15', '2026-11-01T00:00:00+08:00', '2026-12-15T23:59:59.999+08:00'],
    ['2026-06-01', '2026-06-01', '2026-06-01T00:00:00+08:00', '2026-06-01T23:59:59.999+08:00'],
    ['2026-12-20', '2027-01-10', '2026-12-20T00:00:00+08:00', '2027-01-10T23:59:59.999+08:00'],
    ['2028-02-01', '2028-02-29', '2028-02-01T00:00:00+08:00', '2028-02-29T23:59:59.999+08:00'],
    ['2026-01-31', '2026-02-28', '2026-01-31T00:00:00+08:00', '2026-02-28T23:59:59.999+08:00'],
  ])('%s..%s covers whole Shanghai days', (from, to, start, end) => {
    expect(dayRangeBounds(from, to)).toEqual({ startsAt: at(start), endsAt: at(end) });
  });

  it('a month as a day range equals monthBounds', () => {
    expect(dayRangeBounds('2026-05-01', '2026-05-31')).toEqual(monthBounds('2026-05'));
  });

  it.each([
    ['2026-02-30', '2026-03-01'],
    ['2026-03-01', '2026-13-01'],
  ])('refuses impossible days %s..%s', (from, to) => {
    expect(() => dayRangeBounds(from, to)).toThrow(RangeError);
  });
});

describe('parseDay / isValidDay', () => {
  it.each([
    ['2026-05-31', [2026, 5, 31]],
    ['2028-02-29', [2028, 2, 29]],
    ['2026-12-01', [2026, 12, 1]],
  ])('%s parses', (day, parts) => {
    expect(parseDay(day)).toEqual(parts);
    expect(isValidDay(day)).toBe(true);
  });

  it.each(['2026-02-30', '2026-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-05-00', '2026-5-1', '2026-05-32', '20260501', ''])(
    'rejects %j',
    (day) => {
      expect(() => parseDay(day)).toThrow(RangeError);
      expect(isValidDay(day)).toBe(false);
    },
  );
});

describe('monthsBetween', () => {
  it.each([
    ['2026-05', '2026-05', ['2026-05']],
    ['2026-05', '2026-07', ['2026-05', '2026-06', '2026-07']],
    ['2026-11', '2027-02', ['2026-11', '2026-12', '2027-01', '2027-02']],
    ['2026-07', '2026-05', []],
  ])('%s..%s', (from, to, months) => {
    expect(monthsBetween(from, to)).toEqual(months);
  });

  it.each([
    ['2026-01', '2026-12', 12],
    ['2026-07', '2027-06', 12],
    ['2026-01', '2027-12', 24],
    ['2026-01', '2028-01', 25],
  ])('%s..%s has %i months', (from, to, n) => {
    expect(monthsBetween(from, to)).toHaveLength(n);
  });

  it('property: consecutive, in order, and as many as the arithmetic says', () => {
    fc.assert(
      fc.property(monthArb, fc.integer({ min: 0, max: 60 }), ({ y, m }, extra) => {
        const from = `${y}-${pad(m)}`;
        const endIndex = y * 12 + (m - 1) + extra;
        const to = `${Math.floor(endIndex / 12)}-${pad((endIndex % 12) + 1)}`;
        const months = monthsBetween(from, to);
        expect(months).toHaveLength(extra + 1);
        expect(months[0]).toBe(from);
        expect(months.at(-1)).toBe(to);
        for (let i = 1; i < months.length; i++) {
          expect(monthBounds(months[i - 1]!).endsAt + 1).toBe(monthBounds(months[i]!).startsAt);
        }
      }),
    );
  });
});

describe('toShanghaiIso', () => {
  it.each([
    ['2026-05-31T15:59:59.999Z', '2026-05-31T23:59:59.999+08:00'],
    ['2026-04-30T16:00:00.000Z', '2026-05-01T00:00:00.000+08:00'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01T00:00:00.000+08:00'],
    ['2026-11-27T02:00:00.000Z', '2026-11-27T10:00:00.000+08:00'],
  ])('%s is shown as %s', (utc, shown) => {
    expect(toShanghaiIso(at(utc))).toBe(shown);
  });

  it('property: the shown form parses back to the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: at('1971-01-01T00:00:00Z'), max: at('2999-12-31T00:00:00Z') }), (instant) => {
        const iso = toShanghaiIso(instant);
        expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
        expect(Date.parse(iso)).toBe(instant);
        expect(iso.slice(0, 7)).toBe(shanghaiMonthOf(instant));
        expect(iso.slice(0, 10)).toBe(shanghaiDayOf(instant));
      }),
    );
  });
});
