import { msg, str } from '@lit/localize';
import { periodLabel, type PeriodPlace, type PeriodWords } from '../server/domain/results';
import { currentLocale } from './i18n/localization';

/*
 * Dates are contest dates: always shown in China time (Asia/Shanghai), whatever the phone's
 * own time zone is.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: 'date' | 'dateTime' | 'month' | 'time'): Intl.DateTimeFormat {
  const locale = currentLocale();
  const key = `${locale}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'month'
        ? { year: 'numeric', month: 'long' }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : kind === 'date'
          ? { year: 'numeric', month: 'long', day: 'numeric' }
          : { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { ...options, timeZone: 'Asia/Shanghai' });
    cache.set(key, f);
  }
  return f;
}

function parse(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 2026年5月31日 / 31 May 2026 */
export function formatDate(value: string | null | undefined): string {
  const d = parse(value);
  return d ? formatter('date').format(d) : '';
}

/** 2026年5月31日 23:59 */
export function formatDateTime(value: string | null | undefined): string {
  const d = parse(value);
  return d ? formatter('dateTime').format(d) : '';
}

/** 23:59: the time of day alone, for something that happened today. */
export function formatTime(value: string | null | undefined): string {
  const d = parse(value);
  return d ? formatter('time').format(d) : '';
}

/** 2026年5月31日 – 2026年6月30日 */
export function formatDateRange(from: string | null | undefined, to: string | null | undefined): string {
  const a = formatDate(from);
  const b = formatDate(to);
  return a && b ? `${a} – ${b}` : a || b;
}

/** A round's name: a month (2026年5月) for monthly rounds, else the dates of its window. */
export function formatRoundPeriod(round: { period: string; startsAt: string; endsAt: string }): string {
  const m = /^(\d{4})-(\d{2})$/.exec(round.period);
  if (m) {
    // noon UTC of the 15th is inside the month in every time zone
    return formatter('month').format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15, 12)));
  }
  return formatDateRange(round.startsAt, round.endsAt);
}

/** A round by its period alone: 2026年5月 for a monthly round; '' for a single window (its campaign names it). */
export function formatPeriod(period: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  return m ? formatter('month').format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15, 12))) : '';
}

/** 410 KB / 2.1 MB: a file size for people. */
export function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `2026-10` → 10月 / Oct: a month within a year already named (chart axes, month chips). */
export function formatShortMonth(period: string): string {
  const n = Number(period.slice(5, 7));
  if (currentLocale() === 'en') return new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, n - 1, 15)));
  return `${n}月`;
}

/** 12345 fen → "123.45": an amount of money in 元, two decimals, exact (no floating point). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Months and half-years in the current language, for the period rule the server also follows. */
const PERIOD_WORDS: PeriodWords = {
  month: (year, month) => formatPeriod(`${year}-${String(month).padStart(2, '0')}`),
  halfYear: (year, half) => halfYearLabel(`${year}H${half}`),
};

/**
 * A result's period as people say it (server/domain/results.ts periodLabel, the server's rule):
 * 2026年10月 / October 2026, 2026年上半年 / first half of 2026; a single evaluation by its name
 * alone, and by nothing `beside_title`. `periodLabel` is the server's name for it on its own,
 * which for a single evaluation is its campaign's title.
 */
export function formatResultPeriod(r: { kind: 'round' | 'half_year'; period: string; periodLabel: string }, place: PeriodPlace = 'alone'): string {
  return periodLabel({ kind: r.kind, period: r.period, campaignTitle: r.periodLabel }, place, PERIOD_WORDS);
}

/** A half-year by its period: 2026H2 → 2026年下半年 / second half of 2026. */
export function halfYearLabel(period: string): string {
  const m = /^(\d{4})H([12])$/.exec(period);
  if (!m) return period;
  return m[2] === '1' ? msg(str`${m[1]}年上半年`, { id: 'halfYear.h1' }) : msg(str`${m[1]}年下半年`, { id: 'halfYear.h2' });
}
