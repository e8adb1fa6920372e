import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/paths.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A drizzle handle inside `db.transaction(...)`; synchronous, so no await inside. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const migrationsFolder = join(ROOT, 'drizzle');

/**
 * Open the database with the settings the README explains: WAL so readers never wait for
 * the writer; synchronous=FULL by default, so that an acknowledged write (a like, a score)
 * survives a power loss, not only a crash of the process; a busy timeout so a second process
 * (backup, CLI) waits instead of failing; foreign keys on.
 */
export function openDb(file: string, options: { synchronous?: 'FULL' | 'NORMAL' } = {}): Db {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  cacheStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Drizzle asks better-sqlite3 to prepare every query afresh, and preparing costs more than
 * running a small query. Keep prepared statements by their SQL text (bounded), reset to
 * object mode each time they are handed out, since drizzle switches some to raw mode.
 */
function cacheStatements(sqlite: Database.Database, max = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    if (stmt.reader) stmt.raw(false);
    return stmt;
  }) as typeof sqlite.prepare;
}

/** Drizzle's session of a database handle or one of its transactions: they share it, and its connection. */
function sessionOf(db: Db | Tx): { client: Database.Database } {
  return (db as unknown as { session: { client: Database.Database } }).session;
}

/** The better-sqlite3 connection under a database handle or one of its transactions. */
export function clientOf(db: Db | Tx): Database.Database {
  return sessionOf(db).client;
}

/** Queries built once per connection, by the function that builds them. */
const preparedQueries = new WeakMap<object, Map<(db: Db | Tx) => unknown, unknown>>();

/**
 * A drizzle query built once per database connection (its values given as `sql.placeholder`s)
 * and run prepared from then on: for the small reads behind a page, building the query (its
 * selection of every column, its conditions) costs several times what running it does. `build`
 * is the cache key, so pass a function defined once, not a fresh arrow. The database and any
 * transaction on it share one connection (drizzle's session), and so one prepared query.
 */
export function prepared<Q>(db: Db | Tx, build: (db: Db | Tx) => Q): Q {
  const session = sessionOf(db);
  let queries = preparedQueries.get(session);
  if (!queries) preparedQueries.set(session, (queries = new Map()));
  let query = queries.get(build) as Q | undefined;
  if (query === undefined) queries.set(build, (query = build(db)));
  return query;
}

/** A database that a newer version of Courtyard has migrated: this code does not know its tables. */
export class DatabaseTooNew extends Error {}

/** A database this version has not migrated yet: its server upgrades it when it starts. */
export class DatabaseTooOld extends Error {}

/**
 * Where a database stands against this version's migrations. Drizzle records each migration it
 * applies with its journal time (`created_at`) and applies those of a later time; so do we.
 */
export function schemaState(sqlite: Database.Database): { pending: string[]; tooNew: DatabaseTooNew | null } {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ when: number; tag: string }> };
  const known = sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'`).get();
  const last = known ? Number((sqlite.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number | null }).at ?? 0) : 0;
  const newest = Math.max(...journal.entries.map((e) => e.when));
  const ours = journal.entries.at(-1)?.tag ?? '(none)';
  return {
    pending: journal.entries.filter((e) => e.when > last).map((e) => e.tag),
    tooNew:
      last > newest
        ? new DatabaseTooNew(
            `the database ${sqlite.name} was migrated by a newer version of Courtyard than this one (whose last migration is ${ours}). Run that version again, or restore the backup taken before the upgrade.`,
          )
        : null,
  };
}

/**
 * Apply the migrations this database has not had yet, all in one transaction, and return
 * their names. Refuses a database migrated by a newer version (code rolled back after an
 * upgrade): drizzle would apply nothing and let this code write to tables it does not know.
 */
export function migrateDb(db: Db): string[] {
  const { pending, tooNew } = schemaState(db.$client);
  if (tooNew) throw tooNew;
  migrate(db, { migrationsFolder });
  return pending;
}

/**
 * Throw unless the database is at exactly this version's last migration, changing nothing: for
 * the command-line tools, which may run between `git pull` and the restart, beside the older
 * server still running on the database. Only the server migrates.
 */
export function requireCurrentSchema(sqlite: Database.Database): void {
  const { pending, tooNew } = schemaState(sqlite);
  if (tooNew) throw tooNew;
  if (pending.length) {
    throw new DatabaseTooOld(
      `the database ${sqlite.name} is of an older version of Courtyard: it has not had this version's migration(s) ${pending.join(', ')}. Start the server of this version first (npm start, or systemctl restart courtyard): it upgrades the database; then run this again.`,
    );
  }
}
