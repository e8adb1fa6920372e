import { eq } from 'drizzle-orm';
import { DEFAULT_RUBRIC, planCampaign } from '../domain/campaigns.ts';
import { monthBounds, shanghaiDayOf, shanghaiMonthOf } from '../domain/time.ts';
import { playHalfYear, playLiveMonth, playMonth, type LiveEntry } from './seed-history.ts';
import { revokePlate } from './plates.ts';
import { markRewardsPaid } from './rewards.ts';
import { readRoster } from '../domain/households.ts';
import { accountForPhone, grantRole } from './accounts.ts';
import { createCampaign, transitionCampaign } from './campaigns.ts';
import type { Db } from './client.ts';
import { importRoster } from './households.ts';
import { meta } from './schema.ts';
import { createPanel } from './scoring.ts';
import type { PhotoStore } from '../media/store.ts';

export const VILLAGE = { lingpan: '350582102201', yangwei: '350582102207', huashan: '350582105201' } as const;
export const TOWN = { cizao: '350582102', shenhu: '350582105' } as const;

/** The fixed demo accounts the README lists (demo mode only). */
export const DEMO_ACCOUNTS = {
  townAdmin: '13900000001',
  yangweiCadre: '13900000002',
  lingpanCadre: '13900000003',
  huashanCadre: '13900000004',
  yangweiPanel: ['13900000011', '13900000012', '13900000013', '13900000014', '13900000015'],
  lingpanPanel: ['13900000021', '13900000022', '13900000023', '13900000024', '13900000025'],
  yangweiGridWorker: '13900000013',
  yangweiVillagers: Array.from({ length: 60 }, (_, i) => `139000001${String(i + 1).padStart(2, '0')}`),
  lingpanVillagers: Array.from({ length: 14 }, (_, i) => `139000002${String(i + 1).padStart(2, '0')}`),
} as const;

const SURNAMES = ['陈', '林', '黄', '许', '吴', '蔡', '施', '洪', '王', '张', '李', '郑', '苏', '庄', '曾'];
const GIVEN = ['建国', '秀英', '志明', '丽华', '文龙', '金花', '国庆', '美玲', '德福', '春燕', '永安', '淑珍', '天佑', '雅琴', '荣华', '阿水'];

function name(i: number): string {
  return SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]!;
}

function roster(prefix: string, phones: readonly string[], count: number, offset: number): string {
  const lines = ['户主姓名,门牌号,手机号'];
  for (let i = 0; i < count; i++) lines.push(`${name(i + offset)},${prefix}${i + 1}号,${phones[i] ?? ''}`);
  return lines.join('\n');
}

/**
 * The demo county of DESIGN §7, written through the same functions the API uses so that the
 * audit chain holds from the first row. Runs once: a `meta` row records that it did. Without
 * `history` the contest has not started yet (no entries, results or plates): a quiet fixture.
 */
export function seedDemo(db: Db, now: number, options: { history: boolean } = { history: true }): boolean {
  if (db.select().from(meta).where(eq(meta.key, 'demo_seeded')).get()) return false;

  // With its history the county has been on Courtyard since before January's contest: its
  // people's accounts are not new (a like from a new account is one the cadre is asked to check).
  const joined = options.history ? Math.min(now, JOINED) : now;
  const account = (phone: string) => accountForPhone(db, phone, joined, true).id;
  const admin = account(DEMO_ACCOUNTS.townAdmin);
  grantRole(db, admin, 'town_admin', TOWN.cizao, joined);
  const yangweiCadre = account(DEMO_ACCOUNTS.yangweiCadre);
  grantRole(db, yangweiCadre, 'village_cadre', VILLAGE.yangwei, joined);
  const lingpanCadre = account(DEMO_ACCOUNTS.lingpanCadre);
  grantRole(db, lingpanCadre, 'village_cadre', VILLAGE.lingpan, joined);
  const huashanCadre = account(DEMO_ACCOUNTS.huashanCadre);
  grantRole(db, huashanCadre, 'village_cadre', VILLAGE.huashan, joined);
  grantRole(db, account(DEMO_ACCOUNTS.yangweiGridWorker), 'grid_worker', VILLAGE.yangwei, joined);

  const imports: Array<[string, string, string, readonly string[], number, number]> = [
    [VILLAGE.yangwei, yangweiCadre, '洋尾村', DEMO_ACCOUNTS.yangweiVillagers, 60, 0],
    [VILLAGE.lingpan, lingpanCadre, '岭畔村', DEMO_ACCOUNTS.lingpanVillagers, 14, 3],
    [VILLAGE.huashan, huashanCadre, '华山村', [], 8, 5],
  ];
  for (const [villageId, cadre, prefix, phones, count, offset] of imports) {
    const { rows, problems } = readRoster(roster(prefix, phones, count, offset));
    if (problems.length) throw new Error(`demo roster for ${prefix} is invalid: ${JSON.stringify(problems)}`);
    importRoster(db, villageId, rows, cadre, joined);
  }
  // Demo villagers have signed in before: their accounts are verified.
  for (const phone of [...DEMO_ACCOUNTS.yangweiVillagers, ...DEMO_ACCOUNTS.lingpanVillagers]) accountForPhone(db, phone, joined, true);

  // Rewards as villages give them: funds for star courtyards, a small sum for each monthly award.
  const rewards = {
    monthlyAward: { fen: 10000, goods: null },
    byStars: [
      { stars: 5, fen: 50000, goods: '五星级荣誉门牌' },
      { stars: 4, fen: 30000, goods: '四星级荣誉门牌' },
      { stars: 3, fen: 20000, goods: '三星级荣誉门牌' },
    ],
  };
  const monthly = createCampaign(
    db,
    planCampaign({ title: '2026年下半年洋尾村美丽庭院月评', format: 'monthly', villageIds: [VILLAGE.yangwei], likeThreshold: 50, rules: { rewards }, months: { from: '2026-07', to: '2026-12' } }),
    yangweiCadre,
    now,
  );
  transitionCampaign(db, monthly.id, 'open', yangweiCadre, now);
  const single = createCampaign(
    db,
    planCampaign({ title: '2026年岭畔村最美卫生庭院评比', format: 'single', villageIds: [VILLAGE.lingpan], window: { from: '2026-11-01', to: '2026-12-15' } }),
    lingpanCadre,
    now,
  );
  transitionCampaign(db, single.id, 'open', lingpanCadre, now);

  const roles = ['镇干部', '村干部', '网格员', '村民代表', '村民代表'] as const;
  const panelNames = ['王志强', '陈丽珍', '林国华', '许阿婆', '蔡德明'];
  const members = (phones: readonly string[]) => phones.map((phone, i) => ({ phone, role: roles[i]!, name: panelNames[i]! }));
  const yangweiPanel = createPanel(db, { campaignId: monthly.id, name: '洋尾村考评组', quorum: 3, villageIds: [VILLAGE.yangwei], members: members(DEMO_ACCOUNTS.yangweiPanel) }, yangweiCadre, now);
  createPanel(db, { campaignId: single.id, name: '岭畔村考评组', quorum: 3, villageIds: [VILLAGE.lingpan], members: members(DEMO_ACCOUNTS.lingpanPanel) }, lingpanCadre, now);
  for (const phone of [...DEMO_ACCOUNTS.yangweiPanel, ...DEMO_ACCOUNTS.lingpanPanel]) accountForPhone(db, phone, joined, true);

  if (options.history) {
    const firstHalf = createCampaign(
      db,
      planCampaign({ title: '2026年上半年洋尾村美丽庭院月评', format: 'monthly', villageIds: [VILLAGE.yangwei], likeThreshold: 0, rules: { rewards }, months: { from: '2026-01', to: '2026-06' } }),
      yangweiCadre,
      Date.parse('2025-12-20T09:00:00+08:00'),
    );
    transitionCampaign(db, firstHalf.id, 'open', yangweiCadre, Date.parse('2025-12-20T09:00:00+08:00'));
    const firstHalfPanel = createPanel(db, { campaignId: firstHalf.id, name: '洋尾村考评组（上半年）', quorum: 3, villageIds: [VILLAGE.yangwei], members: members(DEMO_ACCOUNTS.yangweiPanel) }, yangweiCadre, now);
    seedHistory(db, { firstHalf: firstHalf.id, firstHalfPanel, secondHalf: monthly.id, secondHalfPanel: yangweiPanel, cadre: yangweiCadre, now });
  }

  db.insert(meta).values({ key: 'demo_seeded', value: new Date(now).toISOString() }).run();
  return true;
}

/**
 * 洋尾村's contest so far, played through the same functions the API uses: the first half of
 * 2026 month by month for eight households, its star courtyards and plates (one later revoked),
 * and the second half up to the month the panel has just finished scoring (ready to announce).
 */
function seedHistory(db: Db, s: { firstHalf: string; firstHalfPanel: string; secondHalf: string; secondHalfPanel: string; cadre: string; now: number }): void {
  const rubric = DEFAULT_RUBRIC.map((c) => ({ ...c }));
  const sql = db.$client;
  const outboxBefore = (sql.prepare(`select coalesce(max(id), 0) as id from outbox`).get() as { id: number }).id;
  const h1 = { campaignId: s.firstHalf, villageId: VILLAGE.yangwei, panelId: s.firstHalfPanel, cadreId: s.cadre, rubric };
  for (const plan of FIRST_HALF) playMonth(db, h1, plan, 'final');
  const resultId = playHalfYear(db, h1, '2026H1', '2026-06');
  const revoked = db.$client.prepare(`select p.serial from plates p join households h on h.id = p.household_id where p.result_id = ? and h.door_number = '洋尾村6号'`).get(resultId) as { serial: string } | undefined;
  if (revoked) revokePlate(db, revoked.serial, '复查发现门前长期堆放杂物，已不符合三星级庭院标准。', s.cadre, Date.parse('2026-08-20T10:00:00+08:00'));
  transitionCampaign(db, s.firstHalf, 'closed', s.cadre, Date.parse('2026-08-01T09:00:00+08:00'));
  const h2 = { campaignId: s.secondHalf, villageId: VILLAGE.yangwei, panelId: s.secondHalfPanel, cadreId: s.cadre, rubric };
  // Only months already over by the time the demo starts are played; the current month stays open.
  for (const plan of SECOND_HALF) {
    const { endsAt } = monthBounds(plan.period);
    if (endsAt + 6 * 86_400_000 > s.now) break;
    const next = SECOND_HALF[SECOND_HALF.indexOf(plan) + 1];
    const lastPlayable = !next || monthBounds(next.period).endsAt + 6 * 86_400_000 > s.now;
    playMonth(db, h2, plan, lastPlayable ? 'scoring_closed' : 'final');
  }
  playLiveMonth(db, h2, shanghaiMonthOf(s.now), LIVE_MONTH, s.now);
  payPastRewards(db, [s.firstHalf, s.secondHalf], s.cadre);
  // These events are past: their SMS count as sent long ago and their notices as read, so a
  // first start does not text the demo villagers about January, nor fill their inboxes as new.
  sql.prepare(`update outbox set sent_at = created_at where id > ? and sent_at is null`).run(outboxBefore);
  sql.prepare(`update notifications set read_at = created_at where read_at is null and created_at < ?`).run(s.now - 86_400_000);
  // The photos of this history were never taken: demo mode draws them (server/media/demo-photos.ts).
  const keys = (db.$client.prepare(`select distinct storage_key as key from photos`).all() as Array<{ key: string }>).map((r) => r.key);
  db.insert(meta).values({ key: DEMO_PHOTO_KEYS, value: JSON.stringify(keys) }).run();
}

/**
 * The village has paid each result's winners together, at the village meeting ten days after
 * the result was final; the latest result's rewards are still to pay.
 */
function payPastRewards(db: Db, campaignIds: string[], cadre: string): void {
  const sql = db.$client;
  const finals = sql
    .prepare(`select id, finalized_at as at from results where status = 'final' and campaign_id in (?, ?) order by finalized_at`)
    .all(...campaignIds) as Array<{ id: string; at: number }>;
  for (const r of finals.slice(0, -1)) {
    const ids = (sql.prepare(`select id from rewards where result_id = ? and status = 'pending'`).all(r.id) as Array<{ id: string }>).map((w) => w.id);
    const paidAt = r.at + 10 * 86_400_000;
    if (ids.length) markRewardsPaid(db, ids, { paidOn: shanghaiDayOf(paidAt), payer: '林秀琴', note: '村民大会上现金发放，户主签收' }, cadre, paidAt);
  }
}

/** The meta row listing the seeded history's photos, which demo mode draws. */
export const DEMO_PHOTO_KEYS = 'demo_photo_keys';

/** The seeded history's photos that the store lacks (the ones demo mode has still to draw). */
export function missingDemoPhotos(db: Db, store: Pick<PhotoStore, 'has'>): string[] {
  const row = db.$client.prepare(`select value from meta where key = ?`).get(DEMO_PHOTO_KEYS) as { value: string } | undefined;
  return (row ? (JSON.parse(row.value) as string[]) : []).filter((k) => /^[0-9a-f]{64}$/.test(k) && !store.has(k, 'thumb'));
}

const door = (n: number) => `洋尾村${n}号`;

/** When the demo county's people, households and roles were registered (with its history). */
const JOINED = Date.parse('2025-12-15T09:00:00+08:00');

/**
 * The month under way: who has entered by which day and how many likes each has so far. Two
 * are past the 50-like threshold, one is close; one had a night-time burst from one network;
 * one has a photo taken a year before the month.
 * 洋尾村1号 and 3号 have not entered yet (the browser tests enter them).
 */
const LIVE_MONTH: readonly LiveEntry[] = [
  { door: door(8), day: 1, likes: 56, description: '院子里种满了三角梅和月季，墙角的旧陶缸改成了小花池。' },
  { door: door(2), day: 2, likes: 52, description: '房前屋后打扫得干干净净，柴火码放整齐，院门新刷了漆。' },
  { door: door(5), day: 3, likes: 46, description: '用旧轮胎和竹子围了菜园，菜地边种了一排太阳花。' },
  { door: door(4), day: 5, likes: 33, description: '老房子外墙重新刷过，院门口摆了几盆绿萝和吊兰。' },
  { door: door(12), day: 6, likes: 27, burst: 12, description: '院子铺了石板，晒谷场收拾得整整齐齐。' },
  { door: door(7), day: 9, likes: 19, oldPhoto: true, description: '门前小溪边种了一排桂花，家里老人每天打扫。' },
  { door: door(21), day: 14, likes: 8, description: '刚把杂物间清理出来，种上了葱蒜和薄荷。' },
  { door: door(15), day: 20, likes: 3, description: '院墙上画了家风家训，欢迎乡亲们来看看。' },
];

/** Monthly totals per household (洋尾村1号…8号), varied so the half-year gives every star level. */
const FIRST_HALF = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'].map((period, m) => ({
  period,
  totals: Object.fromEntries(
    (
      [
        [1, [93, 92, 94, 91, 95, 93]],
        [2, [88, 86, 78, 89, 87, 90]],
        [3, [84, 82, 79, 83, 85, 76]],
        [4, [72, 75, 70, 78, 74, 73]],
        [5, [91, 92, null, null, 90, 94]],
        [6, [81, 80, 82, null, null, null]],
        [7, [75, 77, 79, 78, 76, 74]],
        [8, [96, 95, 97, 96, 95, 96]],
      ] as Array<[number, Array<number | null>]>
    )
      .filter(([, t]) => t[m] !== null)
      .map(([n, t]) => [door(n), t[m]!]),
  ),
}));
const SECOND_HALF = ['2026-07', '2026-08', '2026-09', '2026-10'].map((period, m) => ({
  period,
  totals: Object.fromEntries(([92, 87, 83, 76, 90, 81, 78, 95] as const).map((base, i) => [door(i + 1), Math.min(98, base + ((m + i) % 3) - 1)])),
}));
