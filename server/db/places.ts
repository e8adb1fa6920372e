import { asc, count, eq, sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/paths.ts';
import { prepared, type Db, type Tx } from './client.ts';
import { campaignVillages, campaigns, towns, villages } from './schema.ts';

interface PlacesFile {
  source: string;
  county: { code: string; name: string };
  towns: Array<{ code: string; name: string; villages: Array<{ code: string; name: string }> }>;
}

/** 岭畔村委会 → 岭畔村, 梅岭社区居委会 → 梅岭社区: the name people say. */
export function commonVillageName(official: string): string {
  return official.replace(/村民委员会$|村委会$/, '村').replace(/居民委员会$|居委会$/, '');
}

/**
 * Load the county's real towns and villages (GB/T 2260 and the 12-digit committee codes)
 * from the committed data file. Town codes 4xx are development and bonded zones whose only
 * "village" is a placeholder (虚拟社区); nobody lives there, so they are left out.
 */
export function seedPlaces(db: Db): void {
  if (db.select({ n: count() }).from(towns).get()!.n > 0) return;
  const file = join(ROOT, 'server/db/places/jinjiang.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as PlacesFile;
  db.transaction((tx) => {
    for (const t of data.towns) {
      if (t.code.slice(6, 7) === '4') continue;
      tx.insert(towns).values({ id: t.code, name: t.name, countyCode: data.county.code, countyName: data.county.name }).run();
      for (const v of t.villages) {
        tx.insert(villages).values({ id: v.code, townId: t.code, officialName: v.name, name: commonVillageName(v.name) }).run();
      }
    }
  });
}

export function villageView(v: typeof villages.$inferSelect, townName: string) {
  return { id: v.id, code: v.id, name: v.name, officialName: v.officialName, townId: v.townId, townName };
}

const villageCounts = (db: Db | Tx) => db.select({ townId: villages.townId, n: count() }).from(villages).groupBy(villages.townId).prepare();
const allTowns = (db: Db | Tx) => db.select().from(towns).orderBy(asc(towns.id)).prepare();

/** Every town with its number of villages: the first thing the home page asks. */
export function listTowns(db: Db) {
  const counts = new Map(prepared(db, villageCounts).all().map((r) => [r.townId, r.n]));
  return prepared(db, allTowns)
    .all()
    .map((t) => ({ id: t.id, code: t.id, name: t.name, villageCount: counts.get(t.id) ?? 0 }));
}

const villagesWithTown = (db: Db | Tx) => db.select({ v: villages, townName: towns.name }).from(villages).innerJoin(towns, eq(towns.id, villages.townId));
const allVillages = (db: Db | Tx) => villagesWithTown(db).orderBy(asc(villages.id)).prepare();
const villagesOfTown = (db: Db | Tx) => villagesWithTown(db).where(eq(villages.townId, sql.placeholder('townId'))).orderBy(asc(villages.id)).prepare();
/** Villages by a JSON array of ids: one prepared query for any number of them. */
const villagesByIds = (db: Db | Tx) =>
  villagesWithTown(db)
    .where(sql`${villages.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .orderBy(asc(villages.id))
    .prepare();

export function listVillages(db: Db, townId?: string) {
  const rows = townId ? prepared(db, villagesOfTown).all({ townId }) : prepared(db, allVillages).all();
  return rows.map((r) => villageView(r.v, r.townName));
}

const villageById = (db: Db | Tx) => villagesWithTown(db).where(eq(villages.id, sql.placeholder('id'))).prepare();

export function getVillage(db: Db | Tx, id: string) {
  const r = prepared(db, villageById).get({ id });
  return r ? villageView(r.v, r.townName) : null;
}

export function getVillages(db: Db, ids: string[]) {
  if (!ids.length) return [];
  return prepared(db, villagesByIds)
    .all({ ids: JSON.stringify(ids) })
    .map((r) => villageView(r.v, r.townName));
}

export function campaignIdsOfVillage(db: Db, villageId: string): string[] {
  return db
    .select({ id: campaignVillages.campaignId })
    .from(campaignVillages)
    .innerJoin(campaigns, eq(campaigns.id, campaignVillages.campaignId))
    .where(eq(campaignVillages.villageId, villageId))
    .orderBy(asc(campaigns.startsAt))
    .all()
    .map((r) => r.id);
}
