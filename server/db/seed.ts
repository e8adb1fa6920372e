import { eq } from 'drizzle-orm';
import { planCampaign } from '../domain/campaigns.ts';
import { readRoster } from '../domain/households.ts';
import { accountForPhone, grantRole } from './accounts.ts';
import { createCampaign, transitionCampaign } from './campaigns.ts';
import type { Db } from './client.ts';
import { importRoster } from './households.ts';
import { meta } from './schema.ts';
import { createPanel } from './scoring.ts';

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
 * audit chain holds from the first row. Runs once: a `meta` row records that it did.
 */
export function seedDemo(db: Db, now: number): boolean {
  if (db.select().from(meta).where(eq(meta.key, 'demo_seeded')).get()) return false;

  const account = (phone: string) => accountForPhone(db, phone, now, true).id;
  const admin = account(DEMO_ACCOUNTS.townAdmin);
  grantRole(db, admin, 'town_admin', TOWN.cizao, now);
  const yangweiCadre = account(DEMO_ACCOUNTS.yangweiCadre);
  grantRole(db, yangweiCadre, 'village_cadre', VILLAGE.yangwei, now);
  const lingpanCadre = account(DEMO_ACCOUNTS.lingpanCadre);
  grantRole(db, lingpanCadre, 'village_cadre', VILLAGE.lingpan, now);
  const huashanCadre = account(DEMO_ACCOUNTS.huashanCadre);
  grantRole(db, huashanCadre, 'village_cadre', VILLAGE.huashan, now);
  grantRole(db, account(DEMO_ACCOUNTS.yangweiGridWorker), 'grid_worker', VILLAGE.yangwei, now);

  const imports: Array<[string, string, string, readonly string[], number, number]> = [
    [VILLAGE.yangwei, yangweiCadre, '洋尾村', DEMO_ACCOUNTS.yangweiVillagers, 60, 0],
    [VILLAGE.lingpan, lingpanCadre, '岭畔村', DEMO_ACCOUNTS.lingpanVillagers, 14, 3],
    [VILLAGE.huashan, huashanCadre, '华山村', [], 8, 5],
  ];
  for (const [villageId, cadre, prefix, phones, count, offset] of imports) {
    const { rows, problems } = readRoster(roster(prefix, phones, count, offset));
    if (problems.length) throw new Error(`demo roster for ${prefix} is invalid: ${JSON.stringify(problems)}`);
    importRoster(db, villageId, rows, cadre, now);
  }
  // Demo villagers have signed in before: their accounts are verified.
  for (const phone of [...DEMO_ACCOUNTS.yangweiVillagers, ...DEMO_ACCOUNTS.lingpanVillagers]) accountForPhone(db, phone, now, true);

  const monthly = createCampaign(
    db,
    planCampaign({ title: '2026年下半年洋尾村美丽庭院月评', format: 'monthly', villageIds: [VILLAGE.yangwei], likeThreshold: 50, months: { from: '2026-07', to: '2026-12' } }),
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
  createPanel(db, { campaignId: monthly.id, name: '洋尾村考评组', quorum: 3, villageIds: [VILLAGE.yangwei], members: members(DEMO_ACCOUNTS.yangweiPanel) }, yangweiCadre, now);
  createPanel(db, { campaignId: single.id, name: '岭畔村考评组', quorum: 3, villageIds: [VILLAGE.lingpan], members: members(DEMO_ACCOUNTS.lingpanPanel) }, lingpanCadre, now);
  for (const phone of [...DEMO_ACCOUNTS.yangweiPanel, ...DEMO_ACCOUNTS.lingpanPanel]) accountForPhone(db, phone, now, true);

  db.insert(meta).values({ key: 'demo_seeded', value: new Date(now).toISOString() }).run();
  return true;
}
