import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { schemaState } from '../db/client.ts';

/**
 * Backups and restores of a data folder. A backup is a folder holding a consistent copy of
 * the database (SQLite's online backup, so the server keeps running), the photos, the
 * deployment secret and a manifest that says what is in it. Both directions build the result
 * beside its final place and rename it there only when it is complete, so a failure never
 * leaves half a backup or half a restored data folder behind.
 */

export const DB_NAME = 'courtyard.db';
export const PID_NAME = 'server.pid';
const MANIFEST = 'manifest.json';

export interface Manifest {
  format: 'courtyard-backup/1';
  createdAt: string;
  source: string;
  database: { file: string; bytes: number; sha256: string; integrity: 'ok' };
  tables: Record<string, number>;
  audit: { rows: number; lastSeq: number | null; lastHash: string | null };
  photos: { files: number; bytes: number };
  secret: boolean;
}

/** A failure the operator can act on, said in Chinese and English. */
export class OpsError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh}\n${en}`);
  }
}

/** The process id in the data folder's pid file, if that process is still alive. */
export function runningServer(dataDir: string): number | null {
  const file = join(dataDir, PID_NAME);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: alive but someone else's; ESRCH: gone (a crash left the file behind).
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { files, bytes };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = countFiles(p);
      files += sub.files;
      bytes += sub.bytes;
    } else if (entry.isFile()) {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

/** Row counts of every table, the audit chain's end and integrity_check, read from one database file. */
export function describeDb(file: string): { integrity: string; tables: Record<string, number>; audit: Manifest['audit'] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const names = (db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as Array<{ name: string }>).map((r) => r.name);
    const tables: Record<string, number> = {};
    for (const name of names) tables[name] = (db.prepare(`select count(*) as n from "${name.replaceAll('"', '""')}"`).get() as { n: number }).n;
    let audit: Manifest['audit'] = { rows: 0, lastSeq: null, lastHash: null };
    if (names.includes('audit_log')) {
      const last = db.prepare('select seq, hash from audit_log order by seq desc limit 1').get() as { seq: number; hash: string } | undefined;
      audit = { rows: tables.audit_log ?? 0, lastSeq: last?.seq ?? null, lastHash: last?.hash ?? null };
    }
    return { integrity, tables, audit };
  } catch (e) {
    if (e instanceof OpsError) throw e;
    return { integrity: (e as Error).message, tables: {}, audit: { rows: 0, lastSeq: null, lastHash: null } };
  } finally {
    db.close();
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '').replaceAll('-', '');
}

/**
 * Back up the data folder into `<parent>/courtyard-<UTC time>/` (parent defaults to
 * `<dataDir>/backups`). Safe while the server runs: the database is copied by SQLite's
 * online backup, which yields to the server's writes; photos are copied after it, and since
 * a photo's file is written before the row that names it, every photo the copy refers to is there.
 */
export async function backup(dataDir: string, parent?: string, now = new Date()): Promise<{ dir: string; manifest: Manifest; linked: number }> {
  const source = resolve(dataDir);
  const dbFile = join(source, DB_NAME);
  if (!existsSync(dbFile)) throw new OpsError(`备份失败：${dbFile} 处没有数据库。请检查 DATA_DIR。`, `Backup failed: there is no database at ${dbFile}. Check DATA_DIR.`);
  const root = resolve(parent ?? join(source, 'backups'));
  mkdirSync(root, { recursive: true });
  clearStalePartials(root, now.getTime());
  let dir = join(root, `courtyard-${stamp(now)}`);
  for (let n = 2; existsSync(dir); n++) dir = join(root, `courtyard-${stamp(now)}-${n}`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const db = new Database(dbFile, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      // All pages in one step: a copy made in steps starts over whenever the server writes
      // between two of them, and under steady likes it might never finish. One step reads
      // one consistent snapshot; in WAL mode the server's writes go on meanwhile.
      await db.backup(join(partial, DB_NAME), { progress: () => 0x7fffffff });
    } finally {
      db.close();
    }
    // A backup is one self-contained file: no write-ahead log beside it.
    const copyDb = new Database(join(partial, DB_NAME));
    copyDb.pragma('journal_mode = DELETE');
    copyDb.close();
    const photos = join(source, 'photos');
    let linked = 0;
    if (existsSync(photos)) {
      const previous = latestBackup(root);
      linked = copyPhotos(photos, join(partial, 'photos'), previous ? join(previous, 'photos') : null);
    }
    const secret = join(source, 'secret.key');
    if (existsSync(secret)) cpSync(secret, join(partial, 'secret.key'));

    const copy = join(partial, DB_NAME);
    const { integrity, tables, audit } = describeDb(copy);
    if (integrity !== 'ok') throw new OpsError(`备份失败：备份出的数据库未通过完整性检查（${integrity}）。`, `Backup failed: the copied database fails integrity_check (${integrity}).`);
    const manifest: Manifest = {
      format: 'courtyard-backup/1',
      createdAt: now.toISOString(),
      source,
      database: { file: DB_NAME, bytes: statSync(copy).size, sha256: sha256File(copy), integrity: 'ok' },
      tables,
      audit,
      photos: countFiles(join(partial, 'photos')),
      secret: existsSync(secret),
    };
    writeFileSync(join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    renameSync(partial, dir);
    return { dir, manifest, linked };
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Folders of backups that never finished (the command was killed, the disk filled) a day or
 * more ago: nothing will complete them, and they hold a full copy of the database each. A
 * younger one may be another backup still running, and is left.
 */
function clearStalePartials(root: string, now: number): void {
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || !/^courtyard-.*\.partial$/.test(e.name)) continue;
    const path = join(root, e.name);
    if (now - statSync(path).mtimeMs >= 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

/** A backup folder's name: `courtyard-<UTC time>`, with `-2`, `-3`… for a second one in the same second. */
const BACKUP_NAME = /^courtyard-\d{8}T\d{6}Z(-\d+)?$/;

/** The folders under `root` named as backups, oldest first (`-10` after `-9` within a second). */
function backupNames(root: string): string[] {
  const key = (name: string) => name.replace(/-(\d+)$/, (_, n: string) => `-${n.padStart(6, '0')}`);
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && BACKUP_NAME.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The newest finished backup under `root`, or null. */
function latestBackup(root: string): string | null {
  const newest = backupNames(root)
    .filter((name) => existsSync(join(root, name, MANIFEST)))
    .at(-1);
  return newest ? join(root, newest) : null;
}

/** What a backup folder holds, and nothing else. */
const BACKUP_PARTS = new Set([DB_NAME, MANIFEST, 'photos', 'secret.key']);

/**
 * Why a folder named as a backup is not one that may be removed, or null when it is a whole
 * backup: a readable manifest, the database, the photos and secret it says it holds, and
 * nothing a backup does not write (someone's notes, a database opened by hand and its journal).
 */
function notWhole(dir: string): string | null {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return `no readable ${MANIFEST}`;
  }
  if (manifest.format !== 'courtyard-backup/1') return `${MANIFEST} is not of a Courtyard backup`;
  if (!existsSync(join(dir, DB_NAME))) return `no ${DB_NAME}`;
  if (manifest.photos?.files > 0 && !existsSync(join(dir, 'photos'))) return 'no photos/, which its manifest counts';
  if (manifest.secret && !existsSync(join(dir, 'secret.key'))) return 'no secret.key, which its manifest names';
  const foreign = readdirSync(dir).filter((name) => !BACKUP_PARTS.has(name));
  return foreign.length ? `it also holds ${foreign.join(', ')}, which a backup does not` : null;
}

/**
 * Remove the older backups under `root`, keeping the newest `keep` whole ones, of which the
 * backup just made is always one. A folder named as a backup but not a whole one is never
 * removed nor counted; it is returned to be named. Photos unchanged between backups are hard
 * links to the same file, so removing an older backup leaves every newer one whole. Each is
 * first renamed to `.partial`: a removal cut short leaves a folder nothing takes for a backup,
 * and the next backup clears it.
 */
export function pruneBackups(root: string, keep: number, justMade: string): { removed: string[]; leftAlone: Array<{ name: string; why: string }> } {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a whole number, 1 or more (got ${keep})`);
  const made = basename(justMade);
  const leftAlone: Array<{ name: string; why: string }> = [];
  const older: string[] = [];
  for (const name of backupNames(root)) {
    if (name === made) continue;
    const why = notWhole(join(root, name));
    if (why) leftAlone.push({ name, why });
    else older.push(name);
  }
  const removed = older.slice(0, Math.max(0, older.length - (keep - 1)));
  for (const name of removed) {
    const going = join(root, `${name}.partial`);
    rmSync(going, { recursive: true, force: true });
    renameSync(join(root, name), going);
    rmSync(going, { recursive: true, force: true });
  }
  return { removed, leftAlone };
}

/**
 * Copy the photo files, leaving out work in progress (uploads being checked, half-written
 * files). A photo's file is named by its content and never changes, so one the previous
 * backup already holds under the same name and size is hard-linked from it instead of copied:
 * a county's nightly backup costs only the day's new photos. Where a link cannot be made
 * (another disk, a file system without links) the file is copied. Returns how many were linked.
 */
function copyPhotos(from: string, to: string, previous: string | null): number {
  let linked = 0;
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === '.staging' || entry.name.endsWith('.tmp')) continue;
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    const before = previous ? join(previous, entry.name) : null;
    if (entry.isDirectory()) {
      linked += copyPhotos(src, dest, before && existsSync(before) ? before : null);
      continue;
    }
    if (!entry.isFile()) continue;
    if (before && existsSync(before) && statSync(before).size === statSync(src).size) {
      try {
        linkSync(before, dest);
        linked++;
        continue;
      } catch {
        // no link possible here: copied below
      }
    }
    copyFileSync(src, dest);
  }
  return linked;
}

/** Read and check a backup folder: manifest present, database matches it byte for byte and passes integrity_check. */
export function checkBackup(folder: string): Manifest {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new OpsError(`恢复失败：找不到备份文件夹 ${dir}。`, `Restore failed: there is no backup folder at ${dir}.`);
  if (!statSync(dir).isDirectory()) {
    const parent = dirname(dir);
    const inBackup = existsSync(join(parent, MANIFEST));
    throw new OpsError(
      `恢复失败：${dir} 是一个文件，不是备份文件夹。${inBackup ? `请给出它所在的文件夹：${parent}` : `如果是压缩包（.tar.gz、.zip），请先解压，再给出装有 ${MANIFEST} 的文件夹。`}`,
      `Restore failed: ${dir} is a file, not a backup folder. ${inBackup ? `Give its folder: ${parent}` : `If it is an archive (.tar.gz, .zip), unpack it and give the folder that holds ${MANIFEST}.`}`,
    );
  }
  const manifestFile = join(dir, MANIFEST);
  const dbFile = join(dir, DB_NAME);
  if (!existsSync(manifestFile) && existsSync(join(dir, 'backups'))) {
    // A data folder given in place of one of its backups: name the newest.
    const hint = latestBackup(join(dir, 'backups'));
    throw new OpsError(
      `恢复失败：${dir} 是数据文件夹，不是备份。${hint ? `它最新的备份是 ${hint}。` : '其中没有备份。'}`,
      `Restore failed: ${dir} is a data folder, not a backup.${hint ? ` Its newest backup is ${hint}.` : ' It holds no backup.'}`,
    );
  }
  if (!existsSync(manifestFile) || !existsSync(dbFile)) {
    throw new OpsError(`恢复失败：${dir} 不是完整的备份（缺少 ${MANIFEST} 或 ${DB_NAME}）。`, `Restore failed: ${dir} is not a complete backup (${MANIFEST} or ${DB_NAME} is missing).`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (manifest.format !== 'courtyard-backup/1') throw new Error(`format ${String(manifest.format)}`);
  } catch (e) {
    throw new OpsError(`恢复失败：备份清单 ${manifestFile} 无法读取。`, `Restore failed: the backup's manifest ${manifestFile} cannot be read (${(e as Error).message}).`);
  }
  if (sha256File(dbFile) !== manifest.database.sha256) {
    throw new OpsError(`恢复失败：备份中的数据库与清单不符（文件已被改动或损坏）。`, `Restore failed: the backup's database does not match its manifest (the file was changed or damaged).`);
  }
  const { integrity, audit } = describeDb(dbFile);
  if (integrity !== 'ok') {
    throw new OpsError(`恢复失败：备份中的数据库已损坏，未通过完整性检查（${integrity}）。`, `Restore failed: the backup's database is damaged and fails integrity_check (${integrity}).`);
  }
  if (audit.lastHash !== manifest.audit.lastHash) {
    throw new OpsError(`恢复失败：备份中审计链的末尾与清单不符。`, `Restore failed: the end of the audit chain in the backup does not match its manifest.`);
  }
  return manifest;
}

function hasData(dataDir: string): boolean {
  if (existsSync(join(dataDir, DB_NAME))) return true;
  return countFiles(join(dataDir, 'photos')).files > 0;
}

/**
 * Replace the data folder's database, photos and secret with a backup's. Refuses while a
 * server runs on the folder, and (unless forced) when the folder already holds data. What
 * was there is moved aside to `<dataDir>/backups/replaced-<time>/`, never deleted.
 */
export function restore(folder: string, dataDir: string, options: { force: boolean; now?: Date }): { manifest: Manifest; replaced: string | null } {
  const target = resolve(dataDir);
  const pid = runningServer(target);
  if (pid !== null) {
    throw new OpsError(`恢复失败：服务器（进程 ${pid}）正在使用 ${target}。请先停止服务器再恢复。`, `Restore refused: the server (pid ${pid}) is running on ${target}. Stop it first.`);
  }
  const manifest = checkBackup(folder);
  refuseNewerSchema(join(resolve(folder), DB_NAME));
  if (hasData(target) && !options.force) {
    throw new OpsError(`恢复失败：${target} 中已有数据。确认要用备份替换它们，请加 --force（原数据会移到 backups/ 下保留）。`, `Restore refused: ${target} already holds data. Add --force to replace it (the current data is moved under backups/, not deleted).`);
  }
  const source = resolve(folder);
  mkdirSync(target, { recursive: true });
  const incoming = join(target, `.restore-${process.pid}`);
  rmSync(incoming, { recursive: true, force: true });
  try {
    mkdirSync(incoming);
    cpSync(join(source, DB_NAME), join(incoming, DB_NAME));
    if (existsSync(join(source, 'photos'))) cpSync(join(source, 'photos'), join(incoming, 'photos'), { recursive: true });
    if (existsSync(join(source, 'secret.key'))) cpSync(join(source, 'secret.key'), join(incoming, 'secret.key'));
    if (describeDb(join(incoming, DB_NAME)).integrity !== 'ok') {
      throw new OpsError('恢复失败：复制后的数据库未通过完整性检查（磁盘可能有问题）。', 'Restore failed: the copied database fails integrity_check (check the disk).');
    }
  } catch (e) {
    rmSync(incoming, { recursive: true, force: true });
    throw e;
  }

  // Everything is ready beside the target; now move the old data aside and the new data in.
  let replaced: string | null = null;
  const moving = [DB_NAME, `${DB_NAME}-wal`, `${DB_NAME}-shm`, 'photos', 'secret.key'];
  if (moving.some((name) => existsSync(join(target, name)))) {
    replaced = join(target, 'backups', `replaced-${stamp(options.now ?? new Date())}`);
    mkdirSync(replaced, { recursive: true });
    for (const name of moving) if (existsSync(join(target, name))) renameSync(join(target, name), join(replaced, name));
  }
  for (const name of [DB_NAME, 'photos', 'secret.key']) if (existsSync(join(incoming, name))) renameSync(join(incoming, name), join(target, name));
  rmSync(incoming, { recursive: true, force: true });
  recordRestore(target, { backup: source, backupCreatedAt: manifest.createdAt, restoredAt: (options.now ?? new Date()).toISOString() });
  return { manifest, replaced };
}

/**
 * A backup a newer version of Courtyard made is refused before anything moves: this version's
 * server would refuse to start on it, with the data that was there already moved aside.
 */
function refuseNewerSchema(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (!schemaState(db).tooNew) return;
  } finally {
    db.close();
  }
  throw new OpsError(
    '恢复失败：这个备份是更新版本的 Courtyard 做的，这个版本读不了它。请用做备份的那个版本来恢复。',
    'Restore refused: a newer version of Courtyard made this backup, and this version cannot run on it. Restore it with the version that made it.',
  );
}

/** A restore, remembered in the data folder: backups taken between the two dates are of a history given up. */
export interface RestoreRecord {
  backup: string;
  backupCreatedAt: string;
  restoredAt: string;
}

const RESTORES_FILE = 'restores.json';

function recordRestore(dataDir: string, r: RestoreRecord): void {
  writeFileSync(join(dataDir, RESTORES_FILE), JSON.stringify([...restoresOf(dataDir), r], null, 2) + '\n');
}

/** The restores made into this data folder, oldest first. */
export function restoresOf(dataDir: string): RestoreRecord[] {
  try {
    const list = JSON.parse(readFileSync(join(dataDir, RESTORES_FILE), 'utf8')) as unknown;
    return Array.isArray(list) ? (list as RestoreRecord[]) : [];
  } catch {
    return [];
  }
}

/** Whether a backup taken at this time belongs to a history a restore gave up (taken after the backup restored, before the restore). */
export function givenUp(createdAt: string, restores: readonly RestoreRecord[]): boolean {
  const t = Date.parse(createdAt);
  return restores.some((r) => t > Date.parse(r.backupCreatedAt) && t < Date.parse(r.restoredAt));
}

/** A short human summary of a manifest, for the command line. */
export function summary(m: Manifest): string {
  const t = m.tables;
  return [
    `  database: ${m.database.file}, ${(m.database.bytes / 1024 / 1024).toFixed(1)} MB, integrity ok, sha256 ${m.database.sha256.slice(0, 16)}…`,
    `  rows: ${t.accounts ?? 0} accounts, ${t.households ?? 0} households, ${t.entries ?? 0} entries, ${t.likes ?? 0} likes, ${t.score_sheets ?? 0} score sheets, ${t.photos ?? 0} photos`,
    `  audit: ${m.audit.rows} rows, last seq ${m.audit.lastSeq ?? '-'}, last hash ${m.audit.lastHash ?? '-'}`,
    `  photo files: ${m.photos.files} (${(m.photos.bytes / 1024 / 1024).toFixed(1)} MB); secret.key: ${m.secret ? 'yes' : 'no'}`,
  ].join('\n');
}
