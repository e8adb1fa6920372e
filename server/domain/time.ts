/**
 * Contest time is Asia/Shanghai, a fixed +08:00 offset (no daylight saving since 1991), so
 * calendar boundaries are plain arithmetic and need no time-zone database.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** A calendar month as `YYYY-MM`. */
export type Month = `${number}-${string}`;

export const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DAY_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** First instant of a Shanghai calendar day, as epoch ms. */
export function shanghaiDayStart(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS;
}

/** [first instant, last instant] of a Shanghai calendar month; the last is 23:59:59.999 on its last day. */
export function monthBounds(month: string): { startsAt: number; endsAt: number } {
  const { year, month: m } = parseMonth(month);
  return { startsAt: shanghaiDayStart(year, m, 1), endsAt: shanghaiDayStart(year, m + 1, 1) - 1 };
}

/** [first instant of `from`, last instant of `to`] for inclusive calendar days. */
export function dayRangeBounds(from: string, to: string): { startsAt: number; endsAt: number } {
  const [fy, fm, fd] = parseDay(from);
  const [ty, tm, td] = parseDay(to);
  return { startsAt: shanghaiDayStart(fy, fm, fd), endsAt: shanghaiDayStart(ty, tm, td + 1) - 1 };
}

export function parseDay(day: string): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Reject 2026-02-30 and the like: the date must survive a round trip.
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCMonth() !== mo - 1) throw new RangeError(`no such day: ${day}`);
  return [y, mo, d];
}

export function isValidDay(day: string): boolean {
  try {
    parseDay(day);
    return true;
  } catch {
    return false;
  }
}

/** Every month from `from` to `to` inclusive, in order. */
export function monthsBetween(from: string, to: string): string[] {
  const a = parseMonth(from);
  const b = parseMonth(to);
  const out: string[] = [];
  for (let y = a.year, m = a.month; y < b.year || (y === b.year && m <= b.month); m === 12 ? (y++, (m = 1)) : m++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

/** The Shanghai calendar month an instant falls in, as `YYYY-MM`. */
export function shanghaiMonthOf(instant: number): string {
  const d = new Date(instant + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The Shanghai calendar day an instant falls in, as `YYYY-MM-DD`. */
export function shanghaiDayOf(instant: number): string {
  return new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Shanghai calendar day as people write it in a message: 2026年12月3日. */
export function chineseDayOf(instant: number): string {
  const [y, m, d] = shanghaiDayOf(instant).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** An instant as ISO 8601 with the +08:00 offset, the form the API shows. */
export function toShanghaiIso(instant: number): string {
  return `${new Date(instant + SHANGHAI_OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}
