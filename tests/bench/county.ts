import { prepareData } from '../../server/boot.ts';
import type { Db } from '../../server/db/client.ts';
import { monthBounds } from '../../server/domain/time.ts';

const SURNAMES = ['陈', '林', '黄', '许', '吴', '蔡', '施', '洪', '王', '张'];
const RUBRIC = [
  { key: 'hygiene', max: 40 },
  { key: 'beautification', max: 30 },
  { key: 'openness', max: 15 },
  { key: 'culture', max: 15 },
];

/**
 * A county-sized month in a fresh data folder, written with plain inserts: every village of
 * 晋江市 in one monthly campaign, `householdsPerVillage` households each, `entriesPerVillage`
 * qualified entries, a five-member panel per village and five sheets per entry.
 */
export function prepareCounty(dir: string, o = { householdsPerVillage: 300, entriesPerVillage: 60, sheetsPerEntry: 5 }) {
  const { db } = prepareData(dir, { demo: false, now: Date.parse('2026-06-01T00:00:00+08:00') });
  const sql = db.$client;
  const villages = (sql.prepare('select id from villages order by id').all() as Array<{ id: string }>).map((v) => v.id);
  const now = Date.parse('2026-05-20T10:00:00+08:00');
  const { startsAt, endsAt } = monthBounds('2026-05');
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const counts = { villages: villages.length, households: 0, entries: 0, sheets: 0 };
  sql.transaction(() => {
    sql.prepare(`insert into accounts (id, phone, created_at, verified_at) values ('ac_admin', '13000000000', ?, ?)`).run(now, now);
    const rubric = JSON.stringify(RUBRIC.map((c) => ({ ...c, name: c.key, nameEn: c.key, guidance: '' })));
    const rules = JSON.stringify({ passMark: 80, quotaPerVillage: null, dailyLikeCap: 30, quorum: 3, dueDays: 7, objectionDays: 5 });
    sql
      .prepare(`insert into campaigns (id, title, format, status, like_threshold, rubric, rules, star_rule, starts_at, ends_at, created_by, created_at) values ('cp_county', '全市美丽庭院月评', 'monthly', 'open', 50, ?, ?, '{}', ?, ?, 'ac_admin', ?)`)
      .run(rubric, rules, startsAt, endsAt, now);
    sql.prepare(`insert into rounds (id, campaign_id, seq, period, starts_at, ends_at, status, updated_at) values ('rd_county', 'cp_county', 1, '2026-05', ?, ?, 'scoring_closed', ?)`).run(startsAt, endsAt, now);
    const cv = sql.prepare(`insert into campaign_villages (campaign_id, village_id) values ('cp_county', ?)`);
    const hh = sql.prepare(`insert into households (id, village_id, head_name, door_number, door_key, status, source, created_at) values (?, ?, ?, ?, ?, 'confirmed', 'import', ?)`);
    const acc = sql.prepare(`insert into accounts (id, phone, created_at, verified_at) values (?, ?, ?, ?)`);
    const panel = sql.prepare(`insert into panels (id, campaign_id, name, quorum, village_ids, created_at, created_by) values (?, 'cp_county', ?, 3, ?, ?, 'ac_admin')`);
    const member = sql.prepare(`insert into panel_members (panel_id, account_id, role, display_name, added_at) values (?, ?, ?, ?, ?)`);
    const entry = sql.prepare(
      `insert into entries (id, round_id, household_id, village_id, description, status, like_count, qualified_at, submitted_at, created_at, updated_at, created_by) values (?, 'rd_county', ?, ?, '', 'qualified', 50, ?, ?, ?, ?, 'ac_admin')`,
    );
    const sheet = sql.prepare(
      `insert into score_sheets (id, entry_id, account_id, panel_id, passed, points, comment, idempotency_key, body_hash, submitted_at, updated_at) values (?, ?, ?, ?, ?, ?, '', ?, '', ?, ?)`,
    );
    let phone = 15000000000;
    villages.forEach((v, vi) => {
      cv.run(v);
      const panelId = `pn_${vi}`;
      panel.run(panelId, `考评组${vi}`, JSON.stringify([v]), now);
      const members = Array.from({ length: o.sheetsPerEntry }, (_, m) => {
        const id = `ac_p${vi}_${m}`;
        acc.run(id, String(phone++), now, now);
        member.run(panelId, id, ['镇干部', '村干部', '网格员', '村民代表', '村民代表'][m % 5], `成员${m}`, now);
        return id;
      });
      for (let h = 0; h < o.householdsPerVillage; h++) {
        const hid = `hh_${vi}_${h}`;
        hh.run(hid, v, `${SURNAMES[h % SURNAMES.length]}某${h}`, `${h + 1}号`, `${h + 1}`, now);
        counts.households++;
        if (h >= o.entriesPerVillage) continue;
        const eid = `en_${vi}_${h}`;
        const q = startsAt + rand(20 * 86_400_000);
        entry.run(eid, hid, v, q, q, q, q);
        counts.entries++;
        for (const m of members) {
          const points = Object.fromEntries(RUBRIC.map((c) => [c.key, Math.max(0, c.max - rand(Math.ceil(c.max / 3)))]));
          sheet.run(`ss_${eid}_${m}`, eid, m, panelId, rand(10) === 0 ? 0 : 1, JSON.stringify(points), `k_${eid}_${m}`, q, q);
          counts.sheets++;
        }
      }
    });
  })();
  return { db: db as Db, roundId: 'rd_county', counts };
}
