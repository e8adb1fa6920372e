import { halfYearOf, monthsOfHalfYear } from '../domain/awards.ts';
import { invalid, notFound } from '../domain/errors.ts';
import { add, frac, oneDecimal, type Fraction } from '../domain/fraction.ts';
import { periodLabel, PUBLISHED_SQL } from '../domain/results.ts';
import { monthsBetween, shanghaiMonthOf } from '../domain/time.ts';
import type { Db } from './client.ts';
import { parseFraction } from './results.ts';

const MAX_DASHBOARD_MONTHS = 24;

/** The months a dashboard covers: as asked (a missing end: up to this month; a missing start: six months); neither: the half-year we are in. */
export function dashboardMonths(from: string | undefined, to: string | undefined, now: number): string[] {
  if (from === undefined && to === undefined) {
    // Without a range: the half-year we are in, as stars are given, by the server's clock.
    return monthsOfHalfYear(halfYearOf(shanghaiMonthOf(now)));
  }
  const end = to ?? shanghaiMonthOf(now);
  const start = from ?? monthsBetween('2000-01', end).slice(-6)[0]!;
  if (start > end) throw invalid('invalid_range', '起始月份晚于结束月份。', { field: 'from' });
  const months = monthsBetween(start, end);
  if (months.length > MAX_DASHBOARD_MONTHS) throw invalid('invalid_range', `一次最多查看 ${MAX_DASHBOARD_MONTHS} 个月。`, { field: 'from' });
  return months;
}

interface Cell {
  month: string;
  entries: number;
  qualified: number;
  awarded: number;
  meanScore: string | null;
}

/**
 * A town's figures per village and month: households, entries, qualified, awarded and mean
 * score; and per village over the whole range, each household counted once (a family that
 * entered every month is one family, not six). A round counts in the month it starts (a single
 * window in its first month). Five grouped queries for the whole town.
 */
export function townDashboard(db: Db, townId: string, months: string[]) {
  const sql = db.$client;
  const town = sql.prepare(`select id, name from towns where id = ?`).get(townId) as { id: string; name: string } | undefined;
  if (!town) throw notFound('镇（街道）');
  const villages = sql.prepare(`select id, name from villages where town_id = ? order by id`).all(townId) as Array<{ id: string; name: string }>;
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const households = new Map(
    (sql.prepare(`select village_id as v, count(*) as n from households h join villages v on v.id = h.village_id where v.town_id = ? and h.status = 'confirmed' group by village_id`).all(townId) as Array<{ v: string; n: number }>).map((r) => [r.v, r.n]),
  );
  const key = (v: string, m: string) => `${v}|${m}`;
  const entries = new Map<string, { entries: number; qualified: number }>();
  for (const r of sql
    .prepare(
      `select e.village_id as v, substr(r.period, 1, 7) as m, count(*) as n, sum(e.qualified_at is not null) as q
         from entries e join rounds r on r.id = e.round_id join villages vi on vi.id = e.village_id
        where vi.town_id = ? and substr(r.period, 1, 7) between ? and ? and e.status not in ('draft', 'withdrawn')
        group by e.village_id, m`,
    )
    .all(townId, first, last) as Array<{ v: string; m: string; n: number; q: number }>) {
    entries.set(key(r.v, r.m), { entries: r.n, qualified: r.q });
  }
  const overRange = new Map<string, { entered: number; qualified: number; awarded: number }>();
  for (const r of sql
    .prepare(
      `select e.village_id as v, count(distinct e.household_id) as entered,
              count(distinct case when e.qualified_at is not null then e.household_id end) as qualified
         from entries e join rounds r on r.id = e.round_id join villages vi on vi.id = e.village_id
        where vi.town_id = ? and substr(r.period, 1, 7) between ? and ? and e.status not in ('draft', 'withdrawn')
        group by e.village_id`,
    )
    .all(townId, first, last) as Array<{ v: string; entered: number; qualified: number }>) {
    overRange.set(r.v, { entered: r.entered, qualified: r.qualified, awarded: 0 });
  }
  const awardedOnce = new Map<string, Set<string>>();
  const scores = new Map<string, { awarded: number; totals: Fraction[] }>();
  for (const r of sql
    .prepare(
      `select l.village_id as v, l.household_id as h, substr(rs.period, 1, 7) as m, l.awarded as a, l.total as t
         from result_lines l join results rs on rs.id = l.result_id join villages vi on vi.id = l.village_id
        where vi.town_id = ? and rs.kind = 'round' and rs.status in (${PUBLISHED_SQL}) and l.excluded_reason is null
          and substr(rs.period, 1, 7) between ? and ?`,
    )
    .all(townId, first, last) as Array<{ v: string; h: string; m: string; a: number; t: string | null }>) {
    const k = key(r.v, r.m);
    const s = scores.get(k) ?? { awarded: 0, totals: [] };
    scores.set(k, s);
    if (r.a) {
      s.awarded++;
      const once = awardedOnce.get(r.v) ?? new Set<string>();
      awardedOnce.set(r.v, once.add(r.h));
    }
    const t = parseFraction(r.t);
    if (t) s.totals.push(t);
  }
  const stars = townStars(db, townId, [...new Set(months.map(halfYearOf))]);
  return {
    town,
    months,
    villages: villages.map((v) => ({
      id: v.id,
      name: v.name,
      households: households.get(v.id) ?? 0,
      stars: stars.get(v.id) ?? [],
      overRange: { entered: overRange.get(v.id)?.entered ?? 0, qualified: overRange.get(v.id)?.qualified ?? 0, awarded: awardedOnce.get(v.id)?.size ?? 0 },
      months: months.map((m): Cell => {
        const e = entries.get(key(v.id, m));
        const s = scores.get(key(v.id, m));
        const sum = s?.totals.reduce(add, frac(0));
        return {
          month: m,
          entries: e?.entries ?? 0,
          qualified: e?.qualified ?? 0,
          awarded: s?.awarded ?? 0,
          meanScore: sum && s!.totals.length ? oneDecimal(frac(sum.num, sum.den * s!.totals.length)) : null,
        };
      }),
    })),
  };
}

interface StarSummary {
  campaignId: string;
  period: string;
  periodLabel: string;
  status: 'announced' | 'final';
  byStars: Array<{ stars: number; households: number }>;
  plates: number;
  platesWaiting: number;
}

/**
 * Each village's published half-year star courtyards in the half-years asked for: how many
 * households at each star level, and for a final result how many of them have their plate
 * (issued, or since replaced by a newer one) and how many still wait for it. Two grouped queries
 * for the whole town.
 */
function townStars(db: Db, townId: string, halfYears: string[]): Map<string, StarSummary[]> {
  const sql = db.$client;
  const periods = JSON.stringify(halfYears);
  const plates = new Map(
    (
      sql
        .prepare(
          `select p.result_id as r, p.village_id as v, count(distinct p.household_id) as n from plates p join villages vi on vi.id = p.village_id
            where vi.town_id = ? and p.period in (select value from json_each(?)) and p.status <> 'revoked'
            group by p.result_id, p.village_id`,
        )
        .all(townId, periods) as Array<{ r: string; v: string; n: number }>
    ).map((p) => [`${p.r}|${p.v}`, p.n]),
  );
  const out = new Map<string, StarSummary[]>();
  const rows = sql
    .prepare(
      `select l.village_id as v, rs.id as r, rs.campaign_id as c, rs.period as p, rs.status as s, l.stars as stars, count(*) as n
         from result_lines l join results rs on rs.id = l.result_id join villages vi on vi.id = l.village_id
        where vi.town_id = ? and rs.kind = 'half_year' and rs.status in (${PUBLISHED_SQL}) and l.excluded_reason is null and l.stars > 0
          and rs.period in (select value from json_each(?))
        group by l.village_id, rs.id, l.stars
        order by rs.period desc, rs.campaign_id, l.stars desc`,
    )
    .all(townId, periods) as Array<{ v: string; r: string; c: string; p: string; s: 'announced' | 'final'; stars: number; n: number }>;
  for (const row of rows) {
    const list = out.get(row.v) ?? [];
    out.set(row.v, list);
    let summary = list.find((x) => x.campaignId === row.c && x.period === row.p);
    if (!summary) {
      const plated = plates.get(`${row.r}|${row.v}`) ?? 0;
      summary = { campaignId: row.c, period: row.p, periodLabel: periodLabel({ kind: 'half_year', period: row.p, campaignTitle: '' }), status: row.s, byStars: [], plates: plated, platesWaiting: 0 };
      list.push(summary);
    }
    summary.byStars.push({ stars: row.stars, households: row.n });
  }
  for (const summary of [...out.values()].flat()) {
    // plates are issued from final results only
    if (summary.status === 'final') summary.platesWaiting = Math.max(0, summary.byStars.reduce((n, b) => n + b.households, 0) - summary.plates);
  }
  return out;
}

/** The same figures as CSV, one row per village and month, for a spreadsheet. */
export function dashboardCsv(d: ReturnType<typeof townDashboard>): string {
  const rows = [['村（社区）', '村代码', '月份', '户数', '参评', '达到点赞门槛', '获评', '平均分']];
  for (const v of d.villages) for (const c of v.months) rows.push([v.name, v.id, c.month, String(v.households), String(c.entries), String(c.qualified), String(c.awarded), c.meanScore ?? '']);
  return csvText(rows);
}

/** Rows as a CSV file a Chinese spreadsheet opens correctly: UTF-8 with a BOM, CRLF lines, formulas neutralised. */
export function csvText(rows: string[][]): string {
  return '\ufeff' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(s: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet; quote and neutralise it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}
