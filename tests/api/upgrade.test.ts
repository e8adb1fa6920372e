import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { DatabaseTooNew } from '../../server/db/client.ts';
import { serverArgs } from '../../server/build.ts';

// An upgrade: a county's database made by the version before the last migration is opened by
// this one. The migration applies once, in the same start, and every row is kept.

const ROOT = resolve(import.meta.dirname, '../..');
const T0 = Date.parse('2026-11-27T10:00:00+08:00');
type Journal = { entries: Array<{ when: number; tag: string }> };
const journal = JSON.parse(readFileSync(join(ROOT, 'drizzle', 'meta', '_journal.json'), 'utf8')) as Journal;
const lastTag = journal.entries.at(-1)!.tag;

const tables = (db: Database.Database) =>
  (db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != '__drizzle_migrations' order by name`).all() as Array<{ name: string }>).map((r) => r.name);
const counts = (db: Database.Database) => Object.fromEntries(tables(db).map((t) => [t, (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n]));

/**
 * A data folder as the previous version left it: its schema made by every migration but the
 * last, holding the demo county (written by this version, then copied column by column).
 */
function previousVersionFolder(): { dataDir: string; before: Record<string, number> } {
  const current = mkdtempSync(join(tmpdir(), 'courtyard-upgrade-now-'));
  prepareData(current, { demo: true, now: T0 }).db.$client.close();

  const folder = mkdtempSync(join(tmpdir(), 'courtyard-upgrade-migrations-'));
  cpSync(join(ROOT, 'drizzle'), folder, { recursive: true });
  rmSync(join(folder, `${lastTag}.sql`));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, -1) }));

  const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-upgrade-old-'));
  const old = new Database(join(dataDir, 'courtyard.db'));
  old.pragma('journal_mode = WAL');
  migrate(drizzle(old), { migrationsFolder: folder });
  old.exec(`attach '${join(current, 'courtyard.db')}' as now`);
  old.pragma('foreign_keys = OFF');
  for (const table of tables(old)) {
    const columns = (old.prepare(`select name from pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => `"${c.name}"`).join(', ');
    old.exec(`insert into main."${table}" (${columns}) select ${columns} from now."${table}"`);
  }
  old.exec('detach now');
  const before = counts(old);
  old.close();
  return { dataDir, before };
}

describe('an upgrade from the version before the last migration', () => {
  it(`applies ${lastTag} once at start-up and keeps every row`, () => {
    const { dataDir, before } = previousVersionFolder();
    expect(before.score_sheets, 'the old database holds scored entries').toBeGreaterThan(0);

    const first = prepareData(dataDir, { demo: false, now: T0 });
    expect(first.migrations).toEqual([lastTag]);
    const after = counts(first.db.$client);
    first.db.$client.close();
    expect(after).toEqual(before);

    const second = prepareData(dataDir, { demo: false, now: T0 });
    expect(second.migrations, 'nothing is applied twice').toEqual([]);
    expect((second.db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(journal.entries.length);
    second.db.$client.close();

    const verify = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });
    expect(verify.status, verify.stderr).toBe(0);
  }, 60_000);

  it('the server says in its log which migrations it applied', async () => {
    const { dataDir } = previousVersionFolder();
    // A port already taken ends the start right after the database is prepared.
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = String((busy.address() as AddressInfo).port);
    const r = spawnSync(process.execPath, serverArgs(), { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, DEMO: '1', PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'info' }, encoding: 'utf8', timeout: 60_000 });
    busy.close();
    const line = r.stdout.split('\n').find((l) => l.includes('database migrated'));
    expect(line, r.stdout + r.stderr).toBeDefined();
    expect(JSON.parse(line!).applied).toEqual([lastTag]);
  }, 60_000);
});

describe('the command line between git pull and the restart', () => {
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const cli = (script: string, dataDir: string, args: string[] = []) =>
    spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });

  it('account:create and roster:import refuse a database the new server has not upgraded yet, and change nothing; backup and audit:verify work on it', () => {
    const { dataDir, before } = previousVersionFolder();
    const file = join(dataDir, 'courtyard.db');
    const roster = join(dataDir, 'roster.csv');
    writeFileSync(roster, '户主姓名,门牌号,手机号\n陈一,洋尾村201号,13700000001\n');
    const bytes = sha(file);

    const writers = [
      cli('account-create', dataDir, ['--phone', '13800138000', '--role', 'town_admin', '--scope', '350582102']),
      cli('roster-import', dataDir, ['--village', '350582102207', '--file', roster]),
    ];
    for (const r of writers) {
      expect(r.status, r.stdout).toBe(1);
      expect(r.stderr).toContain(`Nothing done: the database ${file} is of an older version of Courtyard: it has not had this version's migration(s) ${lastTag}.`);
      expect(r.stderr).toContain('Start the server of this version first');
      expect(r.stderr).toContain('it upgrades the database');
      expect(r.stderr).not.toContain('    at ');
    }
    // Reading and copying are safe at any schema: the backup before an upgrade is taken so.
    const verify = cli('audit-verify', dataDir);
    expect(verify.status, verify.stderr).toBe(0);
    const backup = cli('backup', dataDir);
    expect(backup.status, backup.stderr).toBe(0);

    expect(sha(file), 'the database is byte for byte as the old version left it').toBe(bytes);
    const db = new Database(file, { readonly: true });
    expect(counts(db)).toEqual(before);
    expect((db.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n).toBe(journal.entries.length - 1);
    db.close();

    // Once the server of this version has started (and migrated), the same command works.
    prepareData(dataDir, { demo: false, now: T0 }).db.$client.close();
    const after = cli('roster-import', dataDir, ['--village', '350582102207', '--file', roster]);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).toContain('Imported 1 households into 洋尾村');
  }, 60_000);
});

describe('going back to an older version after an upgrade', () => {
  it('is refused by the server and the command line, saying what to do, and the database is left alone', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-downgrade-'));
    prepareData(dataDir, { demo: false, now: T0 }).db.$client.close();
    const db = new Database(join(dataDir, 'courtyard.db'));
    db.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('from-a-newer-version', journal.entries.at(-1)!.when + 1000);
    db.close();

    expect(() => prepareData(dataDir, { demo: false, now: T0 })).toThrow(DatabaseTooNew);
    const server = spawnSync(process.execPath, serverArgs(), { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, DEMO: '0', PORT: '8949', HOST: '127.0.0.1' }, encoding: 'utf8', timeout: 60_000 });
    expect(server.status).toBe(1);
    expect(server.stdout).toContain('was migrated by a newer version of Courtyard');
    expect(server.stdout).toContain(`whose last migration is ${lastTag}`);
    expect(server.stdout).toContain('restore the backup taken before the upgrade');
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/account-create.ts', '--phone', '13800138000', '--role', 'town_admin', '--scope', '350582102'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('Nothing done: the database');
    const after = new Database(join(dataDir, 'courtyard.db'), { readonly: true });
    expect((after.prepare('select count(*) as n from accounts').get() as { n: number }).n).toBe(0);
    after.close();
  }, 60_000);
});
