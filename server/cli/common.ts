import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrateDb, openDb, type Db } from '../db/client.ts';
import { seedPlaces } from '../db/places.ts';

/** The data folder's database, for command-line tools; DATA_DIR as for the server. */
export function openDataDb(options: { mustExist: boolean }): { db: Db; file: string; dataDir: string } {
  const dataDir = resolve(process.env.DATA_DIR ?? './data');
  const file = join(dataDir, 'courtyard.db');
  if (options.mustExist && !existsSync(file)) {
    console.error(`No database at ${file}. Start the app once (npm start) or set DATA_DIR.`);
    process.exit(1);
  }
  const db = openDb(file);
  migrateDb(db);
  seedPlaces(db);
  return { db, file, dataDir };
}

/** `--name value` arguments. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
