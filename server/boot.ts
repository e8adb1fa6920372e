import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { migrateDb, openDb, type Db } from './db/client.ts';
import { seedPlaces } from './db/places.ts';
import { seedDemo } from './db/seed.ts';

/** The deployment secret, made once and kept in the data folder (mode 600). */
export function loadSecret(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Open the data folder's database, apply migrations, load the county's places and, in demo mode, the demo county. */
export function prepareData(dataDir: string, options: { demo: boolean; now: number; synchronous?: 'FULL' | 'NORMAL'; history?: boolean }): { db: Db; seeded: boolean; dbFile: string } {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, 'courtyard.db');
  const db = openDb(dbFile, { synchronous: options.synchronous });
  migrateDb(db);
  seedPlaces(db);
  const seeded = options.demo ? seedDemo(db, options.now, { history: options.history ?? true }) : false;
  return { db, seeded, dbFile };
}
