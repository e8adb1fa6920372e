import { computeHalfYearResult, computeRoundResult } from '../../server/db/results.ts';
import type { prepareCounty } from './county.ts';

/**
 * The county's half-year: the bench month's results are computed (result lines written), then
 * copied to the other five months of 2026H1 as final results with shifted totals, so the
 * half-year star computation reads 6 × the county's entries. Returns the median of 3 runs in ms.
 */
export function timeCountyHalfYear(county: ReturnType<typeof prepareCounty>): { ms: number; households: number; lines: number } {
  const sql = county.db.$client;
  const campaign = (sql.prepare(`select campaign_id as c from rounds where id = ?`).get(county.roundId) as { c: string }).c;
  sql.prepare(`update campaigns set star_rule = ? where id = ?`).run(
    JSON.stringify({ kind: 'half_year', levels: [{ stars: 5, minMonthsAwarded: 5, minMeanTotal: 90 }, { stars: 4, minMonthsAwarded: 4, minMeanTotal: 85 }, { stars: 3, minMonthsAwarded: 3, minMeanTotal: 80 }] }),
    campaign,
  );
  const admin = 'ac_admin';
  const may = computeRoundResult(county.db, county.roundId, admin, Date.now());
  sql.transaction(() => {
    sql.prepare(`update results set status = 'final' where id = ?`).run(may.id);
    sql.prepare(`update rounds set status = 'final' where id = ?`).run(county.roundId);
    const round = sql.prepare(`select * from rounds where id = ?`).get(county.roundId) as { starts_at: number; ends_at: number; updated_at: number };
    for (const [i, month] of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-06'].entries()) {
      const roundId = `rd_county_${i}`;
      const resultId = `rs_county_${i}`;
      sql.prepare(`insert into rounds (id, campaign_id, seq, period, starts_at, ends_at, status, updated_at) values (?, ?, ?, ?, ?, ?, 'final', ?)`).run(roundId, campaign, 10 + i, month, round.starts_at, round.ends_at, round.updated_at);
      sql.prepare(`insert into results (id, campaign_id, round_id, kind, period, status, version, computed_at, computed_by) values (?, ?, ?, 'round', ?, 'final', 1, ?, ?)`).run(resultId, campaign, roundId, month, Date.now(), admin);
      // Each month a little different: totals shift by a few points, awarded follows the pass mark.
      sql
        .prepare(
          `insert into result_lines (result_id, household_id, village_id, entry_id, rank, total, criteria, sheets, awarded, stars, reason, detail, excluded_reason)
           select ?, household_id, village_id, null, rank, total, criteria, sheets,
                  case when ((abs(random()) % 7) - 3) * 1.0 + (cast(substr(total, 1, instr(total, '/') - 1) as real) / cast(substr(total, instr(total, '/') + 1) as real)) >= 80 then 1 else 0 end,
                  0, reason, '{}', null
             from result_lines where result_id = ?`,
        )
        .run(resultId, may.id);
    }
  })();
  const lines = (sql.prepare(`select count(*) n from result_lines`).get() as { n: number }).n;
  const times: number[] = [];
  let households = 0;
  for (let i = 0; i < 3; i++) {
    sql.prepare(`delete from result_lines where result_id in (select id from results where kind = 'half_year')`).run();
    sql.prepare(`delete from results where kind = 'half_year'`).run();
    const t0 = performance.now();
    const r = computeHalfYearResult(county.db, campaign, '2026H1', admin, Date.now());
    times.push(performance.now() - t0);
    households = (sql.prepare(`select count(*) n from result_lines where result_id = ?`).get(r.id) as { n: number }).n;
  }
  times.sort((a, b) => a - b);
  return { ms: times[1]!, households, lines };
}
