import { eq } from 'drizzle-orm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { migrateDb, openDb, type Db } from './db/client.ts';
import { seedPlaces } from './db/places.ts';
import { meta, roles } from './db/schema.ts';
import { seedDemo } from './db/seed.ts';

/** The deployment secret, made once and kept in the data folder (mode 600). */
export function loadSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Open the data folder's database, apply migrations, load the county's places and, in demo mode, the demo county. */
export function prepareData(dataDir: string, options: { demo: boolean; now: number; synchronous?: 'FULL' | 'NORMAL'; history?: boolean }): { db: Db; seeded: boolean; dbFile: string; migrations: string[] } {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, 'courtyard.db');
  const db = openDb(dbFile, { synchronous: options.synchronous });
  let migrations: string[];
  try {
    migrations = migrateDb(db);
  } catch (e) {
    db.$client.close();
    throw e;
  }
  seedPlaces(db);
  const seeded = options.demo ? seedDemo(db, options.now, { history: options.history ?? true }) : false;
  return { db, seeded, dbFile, migrations };
}

/**
 * Why a real county (DEMO=0) must not start on this database, or null. A data folder that once
 * ran the demo holds the demo county, whose cadres and town admin are the numbers 139000000xx:
 * with real SMS, whoever owns one of them would sign in as a cadre of 洋尾村.
 */
export function demoDataRefusal(db: Db, dataDir: string): string | null {
  if (!db.select().from(meta).where(eq(meta.key, 'demo_seeded')).get()) return null;
  return `${resolve(dataDir)} holds the demo county (its cadres are the demo phone numbers 139000000xx), so it cannot serve a real county with DEMO=0. Start a real county on an empty data folder: move this one aside or set DATA_DIR to a new folder. To go on with the demo, start with DEMO=1.`;
}

/** Whether anyone holds a role: without a cadre or a town admin nobody can open a contest. */
export function hasStaff(db: Db): boolean {
  return db.select({ id: roles.id }).from(roles).limit(1).get() !== undefined;
}
