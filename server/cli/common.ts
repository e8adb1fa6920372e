import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DatabaseTooNew, DatabaseTooOld, openDb, requireCurrentSchema, type Db } from '../db/client.ts';
import { seedPlaces } from '../db/places.ts';

/**
 * The data folder's database, for command-line tools that write to it; DATA_DIR as for the
 * server. There must be one already: a tool run without the server's DATA_DIR would otherwise
 * make a new database of its own, say it had done the work, and leave the real one as it was.
 * It must be at this version's schema, looked at read-only first: a tool run between
 * `git pull` and the restart must not migrate the database under the older server still
 * running on it, nor write to tables it does not know. Only the server migrates.
 */
export function openDataDb(): { db: Db; file: string; dataDir: string } {
  const file = dataDbFile();
  let looked: Database.Database | undefined;
  try {
    looked = new Database(file, { readonly: true, fileMustExist: true });
    requireCurrentSchema(looked);
  } catch (e) {
    if (e instanceof DatabaseTooNew || e instanceof DatabaseTooOld) fail(`Nothing done: ${e.message}`);
    fail(`Nothing done: ${file} cannot be read as a Courtyard database (${(e as Error).message}).`);
  } finally {
    looked?.close();
  }
  const db = openDb(file);
  seedPlaces(db);
  return { db, file, dataDir: dirname(file) };
}

/** The data folder's database file (DATA_DIR as for the server); exits saying where it looked if there is none. */
export function dataDbFile(): string {
  const file = join(resolve(process.env.DATA_DIR ?? './data'), 'courtyard.db');
  if (!existsSync(file)) {
    console.error(`No database at ${file}. Set DATA_DIR to the server's data folder (e.g. DATA_DIR=/var/lib/courtyard npm run …), or start the server once (npm start) to make it.`);
    process.exit(1);
  }
  return file;
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
