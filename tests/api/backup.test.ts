import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { openDb } from '../../server/db/client.ts';
import { createHash } from 'node:crypto';

// DESIGN §6/§7: `npm run backup` copies the database and photos while the server may run;
// `npm run restore` puts a checked backup back. Bad input gets a clear message in Chinese and
// English, exit code 1, and leaves nothing half-written.

const ROOT = resolve(import.meta.dirname, '../..');
const T0 = Date.parse('2026-11-27T10:00:00+08:00');
const run = (script: string, dataDir: string, args: string[] = []) =>
  spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });

/** A demo data folder with one photo file and the deployment secret. */
function dataFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'courtyard-backup-'));
  prepareData(dir, { demo: true, now: T0 }).db.$client.close();
  mkdirSync(join(dir, 'photos', 'ab'), { recursive: true });
  writeFileSync(join(dir, 'photos', 'ab', `${'ab'.padEnd(64, '0')}-thumb.webp`), 'photo bytes');
  mkdirSync(join(dir, 'photos', '.staging'), { recursive: true });
  writeFileSync(join(dir, 'photos', '.staging', 'upload-in-progress'), 'half');
  writeFileSync(join(dir, 'secret.key'), 'a'.repeat(64));
  return dir;
}

function count(dataDir: string, table: string): number {
  const db = openDb(join(dataDir, 'courtyard.db'));
  try {
    return (db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.$client.close();
  }
}

/** The folder a backup's output says it wrote. */
const written = (stdout: string) =>
  stdout
    .split('\n')
    .find((l) => l.includes('backup written'))!
    .replace(/^.*backup written: /, '')
    .replace(/ \(\d+ ms\)$/, '');

function backupOf(dataDir: string): string {
  const r = run('backup', dataDir);
  expect(r.status, r.stderr).toBe(0);
  return written(r.stdout);
}

describe('npm run backup', () => {
  it('writes a timestamped folder with the database, photos, secret and a manifest, and says what it wrote', () => {
    const dir = dataFolder();
    const r = run('backup', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backup written: .*backups\/courtyard-\d{8}T\d{6}Z/);
    expect(r.stdout).toMatch(/audit: \d+ rows, last seq \d+, last hash [0-9a-f]{64}/);
    const folder = backupOf(dir);
    expect(readdirSync(folder).sort()).toEqual(['courtyard.db', 'manifest.json', 'photos', 'secret.key']);
    expect(existsSync(join(folder, 'photos', '.staging')), 'uploads in progress are not backed up').toBe(false);
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.tables.accounts).toBe(count(dir, 'accounts'));
    expect(manifest.audit.rows).toBe(count(dir, 'audit_log'));
    expect(manifest.audit.lastHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.photos.files).toBe(1);
  });

  it('a photo the previous backup holds is a hard link to it, a new one a copy; the second backup still restores whole', () => {
    const dir = dataFolder();
    const first = backupOf(dir);
    const name = `${'ab'.padEnd(64, '0')}-thumb.webp`;
    mkdirSync(join(dir, 'photos', 'cd'), { recursive: true });
    writeFileSync(join(dir, 'photos', 'cd', `${'cd'.padEnd(64, '0')}-thumb.webp`), 'a new photo');
    const r = run('backup', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 photo files unchanged since the previous backup are hard links');
    const second = written(r.stdout);
    expect(second).not.toBe(first);
    const ino = (p: string) => statSync(p).ino;
    expect(ino(join(second, 'photos', 'ab', name))).toBe(ino(join(first, 'photos', 'ab', name)));
    expect(ino(join(second, 'photos', 'ab', name))).not.toBe(ino(join(dir, 'photos', 'ab', name)));
    expect(readFileSync(join(second, 'photos', 'cd', `${'cd'.padEnd(64, '0')}-thumb.webp`), 'utf8')).toBe('a new photo');
    expect(JSON.parse(readFileSync(join(second, 'manifest.json'), 'utf8')).photos.files).toBe(2);

    const target = mkdtempSync(join(tmpdir(), 'courtyard-restored-'));
    const restored = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/restore.ts', second], { cwd: ROOT, env: { ...process.env, DATA_DIR: target }, encoding: 'utf8', timeout: 60_000 });
    expect(restored.status, restored.stderr).toBe(0);
    expect(readFileSync(join(target, 'photos', 'ab', name), 'utf8')).toBe('photo bytes');
  });

  it('clears what a backup killed a day or more ago left behind, and leaves a younger one (perhaps still running)', () => {
    const dir = dataFolder();
    const root = join(dir, 'backups');
    mkdirSync(join(root, 'courtyard-20261101T020000Z.partial'), { recursive: true });
    mkdirSync(join(root, 'courtyard-20261127T020000Z.partial'), { recursive: true });
    const old = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(join(root, 'courtyard-20261101T020000Z.partial'), old, old);
    backupOf(dir);
    const left = readdirSync(root).filter((n) => n.endsWith('.partial'));
    expect(left).toEqual(['courtyard-20261127T020000Z.partial']);
  });

  it('writes under a given folder', () => {
    const dir = dataFolder();
    const target = mkdtempSync(join(tmpdir(), 'courtyard-offsite-'));
    const r = run('backup', dir, [target]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(target)).toHaveLength(1);
    expect(readdirSync(target)[0]).toMatch(/^courtyard-\d{8}T\d{6}Z$/);
  });

  it('without a database says so and leaves no folder behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtyard-nodb-'));
    const r = run('backup', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('没有数据库');
    expect(r.stderr).toContain('there is no database');
    expect(existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')) : []).toEqual([]);
  });
});

describe('npm run backup -- --keep N', () => {
  const photo = (dir: string, hex: string, body: string) => {
    mkdirSync(join(dir, 'photos', hex), { recursive: true });
    writeFileSync(join(dir, 'photos', hex, `${hex.padEnd(64, '0')}-thumb.webp`), body);
  };
  const backupsIn = (root: string) => readdirSync(root).sort();
  const keep = (dir: string, root: string, n: string) => {
    const r = run('backup', dir, [root, '--keep', n]);
    expect(r.status, r.stderr).toBe(0);
    return r;
  };

  it('keeps all backups unless told; with --keep removes the oldest, names them, and the newest restores with every photo', () => {
    const dir = dataFolder();
    const root = mkdtempSync(join(tmpdir(), 'courtyard-kept-'));
    const made: string[] = [];
    for (const [hex, body] of [['cd', 'second photo'], ['ef', 'third photo'], ['0a', 'fourth photo']] as const) {
      const r = run('backup', dir, [root]);
      expect(r.status, r.stderr).toBe(0);
      made.push(written(r.stdout));
      photo(dir, hex, body);
    }
    expect(backupsIn(root), 'without --keep nothing is removed').toHaveLength(3);

    const r = keep(dir, root, '2');
    const newest = written(r.stdout);
    expect(r.stdout).toContain(`removed 2 older backup(s), keeping the newest 2 in ${root}:`);
    for (const gone of made.slice(0, 2)) expect(r.stdout).toContain(gone.slice(root.length + 1));
    expect(backupsIn(root)).toEqual([made[2]!, newest].map((d) => d.slice(root.length + 1)).sort());

    // The photos of the newest were hard links into the backups just removed: still all there.
    const target = join(mkdtempSync(join(tmpdir(), 'courtyard-restored-')), 'data');
    const restored = run('restore', target, [newest]);
    expect(restored.status, restored.stderr).toBe(0);
    for (const [hex, body] of [['ab', 'photo bytes'], ['cd', 'second photo'], ['ef', 'third photo'], ['0a', 'fourth photo']] as const) {
      expect(readFileSync(join(target, 'photos', hex, `${hex.padEnd(64, '0')}-thumb.webp`), 'utf8')).toBe(body);
    }
    expect(run('audit-verify', target).status).toBe(0);

    const again = keep(dir, root, '5');
    expect(again.stdout).toContain(`no backup removed: ${root} holds no more than the newest 5.`);
    expect(backupsIn(root)).toHaveLength(3);
  });

  it('never removes the backup just made, nor a folder that is not a whole backup, and names those it left', () => {
    const dir = dataFolder();
    const root = mkdtempSync(join(tmpdir(), 'courtyard-kept-'));
    const real = backupOf(dir);
    const whole = (name: string) => cpSync(real, join(root, name), { recursive: true });
    whole('courtyard-20261101T020000Z');
    // A clock once set ahead: a whole backup whose name sorts after the one about to be made.
    whole('courtyard-29991231T235959Z');
    mkdirSync(join(root, 'courtyard-20261102T020000Z')); // no manifest
    whole('courtyard-20261103T020000Z');
    writeFileSync(join(root, 'courtyard-20261103T020000Z', 'notes.txt'), 'the backup before the upgrade, keep');
    whole('courtyard-20261104T020000Z');
    rmSync(join(root, 'courtyard-20261104T020000Z', 'courtyard.db'));
    mkdirSync(join(root, 'courtyard-20261105T020000Z.partial')); // a backup perhaps still running
    mkdirSync(join(root, 'replaced-20261106T020000Z'));
    mkdirSync(join(root, 'county-archive'));

    const r = keep(dir, root, '1');
    const made = written(r.stdout);
    expect(r.stdout).toContain('removed 2 older backup(s), keeping the newest 1');
    expect(r.stdout).toMatch(/left alone, not counted: courtyard-20261102T020000Z is not a whole backup \(no readable manifest\.json\)/);
    expect(r.stdout).toMatch(/left alone, not counted: courtyard-20261103T020000Z is not a whole backup \(it also holds notes\.txt, which a backup does not\)/);
    expect(r.stdout).toMatch(/left alone, not counted: courtyard-20261104T020000Z is not a whole backup \(no courtyard\.db\)/);
    expect(backupsIn(root)).toEqual(
      [
        'county-archive',
        'courtyard-20261102T020000Z',
        'courtyard-20261103T020000Z',
        'courtyard-20261104T020000Z',
        'courtyard-20261105T020000Z.partial',
        made.slice(root.length + 1),
        'replaced-20261106T020000Z',
      ].sort(),
    );
    expect(readFileSync(join(root, 'courtyard-20261103T020000Z', 'notes.txt'), 'utf8')).toContain('keep');
  });

  it('refuses a count that is not 1 or more, an unknown option or two folders, saying so, and writes and removes nothing', () => {
    const dir = dataFolder();
    const root = mkdtempSync(join(tmpdir(), 'courtyard-kept-'));
    backupOf(dir);
    expect(run('backup', dir, [root]).status).toBe(0);
    const before = backupsIn(root);
    const cases: Array<[string[], string]> = [
      [['--keep', '0'], '--keep needs a whole number of backups to keep, 1 or more, not "0" (0 would remove the backup just made)'],
      [['--keep', 'abc'], '--keep needs a whole number of backups to keep, 1 or more, not "abc"'],
      [['--keep', '-3'], '--keep needs a whole number of backups to keep, 1 or more, not "-3"'],
      [['--keep', '1.5'], '--keep needs a whole number of backups to keep, 1 or more, not "1.5"'],
      [['--keep'], '--keep needs a whole number of backups to keep, 1 or more.'],
      [['--kep', '3'], 'unknown option "--kep"'],
      [[join(dir, 'elsewhere')], `give one backup folder, not both "${root}" and "${join(dir, 'elsewhere')}"`],
    ];
    for (const [args, message] of cases) {
      const r = run('backup', dir, [root, ...args]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr, args.join(' ')).toContain('备份未进行');
      expect(r.stderr, args.join(' ')).toContain('usage: npm run backup');
      expect(backupsIn(root), args.join(' ')).toEqual(before);
    }
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });

  it('a backup that fails removes none of the older ones', () => {
    const dir = dataFolder();
    const root = mkdtempSync(join(tmpdir(), 'courtyard-kept-'));
    expect(run('backup', dir, [root]).status).toBe(0);
    expect(run('backup', dir, [root]).status).toBe(0);
    const before = backupsIn(root);
    const r = run('backup', mkdtempSync(join(tmpdir(), 'courtyard-nodb-')), [root, '--keep', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('there is no database');
    expect(backupsIn(root)).toEqual(before);
  });
});

describe('npm run restore', () => {
  it('restores a backup into an empty folder: same rows, same audit chain, photos and secret', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    const fresh = join(mkdtempSync(join(tmpdir(), 'courtyard-restore-')), 'data');
    const r = run('restore', fresh, [folder]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('restored');
    for (const table of ['accounts', 'households', 'audit_log']) expect(count(fresh, table)).toBe(count(dir, table));
    expect(readFileSync(join(fresh, 'secret.key'), 'utf8')).toBe('a'.repeat(64));
    expect(readdirSync(join(fresh, 'photos', 'ab'))).toHaveLength(1);
    expect(run('audit-verify', fresh).status).toBe(0);
  });

  it('a backup checked first with npm run audit:verify is left as it was, and still restores', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    const before = readFileSync(join(folder, 'courtyard.db'));
    const verify = run('audit-verify', join(dir, 'nowhere'), [folder]);
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`audit chain OK`);
    expect(verify.stdout).toContain(join(folder, 'courtyard.db'));
    expect(readFileSync(join(folder, 'courtyard.db')).equals(before), 'the backup database is not written to').toBe(true);
    expect(readdirSync(folder).sort()).toEqual(['courtyard.db', 'manifest.json', 'photos', 'secret.key']);
    const fresh = join(mkdtempSync(join(tmpdir(), 'courtyard-restore-')), 'data');
    const r = run('restore', fresh, [folder]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('given the backup\'s database file, an archive or the data folder itself, says which folder to give, and writes nothing', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    const fresh = join(mkdtempSync(join(tmpdir(), 'courtyard-restore-')), 'data');
    const dbFile = run('restore', fresh, [join(folder, 'courtyard.db')]);
    expect(dbFile.status).toBe(1);
    expect(dbFile.stderr).toContain(`is a file, not a backup folder. Give its folder: ${folder}`);
    const archive = join(dir, 'courtyard.tar.gz');
    writeFileSync(archive, 'not really');
    const packed = run('restore', fresh, [archive]);
    expect(packed.status).toBe(1);
    expect(packed.stderr).toContain('unpack it and give the folder that holds manifest.json');
    const dataDir = run('restore', fresh, [dir]);
    expect(dataDir.status).toBe(1);
    expect(dataDir.stderr).toContain(`is a data folder, not a backup. Its newest backup is ${folder}`);
    expect(existsSync(fresh)).toBe(false);
  });

  it('refuses a folder that holds data unless --force, and then keeps the old data aside', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    const db = openDb(join(dir, 'courtyard.db'));
    db.$client.prepare(`insert into meta (key, value) values ('after-backup', '1')`).run();
    db.$client.close();

    const refused = run('restore', dir, [folder]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('已有数据');
    expect(refused.stderr).toContain('--force');
    expect(count(dir, `meta where key = 'after-backup'`)).toBe(1);

    const forced = run('restore', dir, [folder, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(count(dir, `meta where key = 'after-backup'`)).toBe(0);
    const kept = readdirSync(join(dir, 'backups')).find((n) => n.startsWith('replaced-'))!;
    expect(existsSync(join(dir, 'backups', kept, 'courtyard.db'))).toBe(true);
  });

  it('refuses while a server runs on the folder', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    writeFileSync(join(dir, 'server.pid'), String(process.pid)); // a live process
    const r = run('restore', dir, [folder, '--force']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('正在使用');
    expect(r.stderr).toContain('Stop it first');
  });

  it('ignores the pid file a crashed server left behind', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    writeFileSync(join(dir, 'server.pid'), '999999999');
    expect(run('restore', dir, [folder, '--force']).status).toBe(0);
  });

  it('says so for a missing folder, a folder that is not a backup, and no argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'courtyard-restore-'));
    const missing = run('restore', dir, [join(dir, 'no-such-backup')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('找不到备份文件夹');
    expect(missing.stderr).toContain('there is no backup folder');
    const notBackup = run('restore', dir, [mkdtempSync(join(tmpdir(), 'courtyard-empty-'))]);
    expect(notBackup.status).toBe(1);
    expect(notBackup.stderr).toContain('not a complete backup');
    const none = run('restore', dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('usage');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a backup a newer version made, before moving anything: this version could not run on it', () => {
    const dir = dataFolder();
    const db = openDb(join(dir, 'courtyard.db'));
    const newest = (db.$client.prepare('select max(created_at) as at from __drizzle_migrations').get() as { at: number }).at;
    db.$client.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run('from-a-newer-version', newest + 1000);
    db.$client.close();
    const folder = backupOf(dir);

    const target = mkdtempSync(join(tmpdir(), 'courtyard-restore-'));
    const r = run('restore', target, [folder]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('更新版本的 Courtyard');
    expect(r.stderr).toContain('Restore it with the version that made it');
    expect(readdirSync(target)).toEqual([]);
    // with --force over data, the data stays where it is
    const other = dataFolder();
    const before = readFileSync(join(other, 'courtyard.db'));
    expect(run('restore', other, [folder, '--force']).status).toBe(1);
    expect(readFileSync(join(other, 'courtyard.db')).equals(before)).toBe(true);
    expect(existsSync(join(other, 'backups'))).toBe(false);
  });

  it('refuses a damaged database (changed after the backup, or corrupt throughout) and writes nothing', () => {
    const dir = dataFolder();
    const folder = backupOf(dir);
    const dbFile = join(folder, 'courtyard.db');
    const bytes = readFileSync(dbFile);
    // Garbage over the middle pages: the file no longer matches the manifest.
    bytes.fill(0x5a, 8192, 8192 * 4);
    writeFileSync(dbFile, bytes);
    const target = mkdtempSync(join(tmpdir(), 'courtyard-restore-'));
    const changed = run('restore', target, [folder]);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain('does not match its manifest');

    // Even with the manifest made to agree, integrity_check finds the damage.
    const manifestFile = join(folder, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.database.sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const corrupt = run('restore', target, [folder]);
    expect(corrupt.status).toBe(1);
    expect(corrupt.stderr).toContain('已损坏');
    expect(corrupt.stderr).toContain('integrity_check');
    expect(readdirSync(target)).toEqual([]);
  });
});
