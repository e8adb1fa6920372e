import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alteredScoreSheets, brokenAnchors, likeCountsOff, verifyAuditChain, type AuditAnchor } from '../db/audit.ts';
import { alteredRecords } from '../db/audit-records.ts';
import type { Finding } from '../domain/audit-records.ts';
import { dataDbFile, fail } from './common.ts';
import { givenUp, restoresOf } from './snapshot.ts';

// npm run audit:verify [-- <backup folder | database file>] [--anchors <folder>] — walk the hash
// chain of the audit log and name the first broken row, check every score sheet, result set and
// line, honor plate and reward against its audit record and every entry's like count against its
// active likes, and check the log against the last row and hash each backup's manifest recorded
// (DATA_DIR/backups, and any --anchors folder of backups kept elsewhere). It only reads: a backup
// checked with it still matches its manifest and restores.
const args = process.argv.slice(2);
const anchorsAt = args.indexOf('--anchors') >= 0 ? args[args.indexOf('--anchors') + 1] : undefined;
const target = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--anchors');
const path = target ? databaseAt(resolve(target)) : dataDbFile();
// The data folder's own backups anchor its log; a backup checked by itself is anchored only by --anchors.
const localBackups = target ? [] : [join(resolve(process.env.DATA_DIR ?? './data'), 'backups')];

/**
 * The last audit row each backup under these folders recorded; leaving out backups of a history
 * a restore gave up (taken after the backup restored and before the restore): the log went back
 * to the restored backup's, and rightly disagrees with them.
 */
function anchorsIn(folders: string[]): AuditAnchor[] {
  const restores = target ? [] : restoresOf(resolve(process.env.DATA_DIR ?? './data'));
  return folders.flatMap((folder) => {
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
      const manifest = join(folder, e.name, 'manifest.json');
      if (!e.isDirectory() || !existsSync(manifest)) return [];
      try {
        const { audit, createdAt } = JSON.parse(readFileSync(manifest, 'utf8')) as { audit?: { lastSeq: number | null; lastHash: string | null }; createdAt?: string };
        if (createdAt && givenUp(createdAt, restores)) return [];
        return audit?.lastSeq != null && audit.lastHash ? [{ source: `backup ${e.name}`, lastSeq: audit.lastSeq, lastHash: audit.lastHash }] : [];
      } catch {
        return [];
      }
    });
  });
}

function databaseAt(given: string): string {
  const file = existsSync(given) && statSync(given).isDirectory() ? join(given, 'courtyard.db') : given;
  return existsSync(file) ? file : fail(`No database at ${file}. Give a backup folder (the one holding manifest.json) or a courtyard.db file.`);
}

let sqlite: Database.Database;
try {
  sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.prepare('select 1 from audit_log limit 1').get();
} catch (e) {
  fail(`${path} is not a Courtyard database (${(e as Error).message}).`);
}

const given = anchorsAt ? anchorsIn([resolve(anchorsAt)]) : [];
// Asked for by name, a folder without a backup is a mistake to say, not a check that passed.
if (anchorsAt && !given.length) {
  sqlite.close();
  fail(`No backup (a folder with manifest.json) in ${resolve(anchorsAt)} to check the audit log against. Give the folder that holds the courtyard-… backups.`);
}
const chain = verifyAuditChain(sqlite);
const sheets = alteredScoreSheets(sqlite);
const anchors = [...anchorsIn(localBackups), ...given];
const unanchored = brokenAnchors(sqlite, anchors);
const counts = likeCountsOff(sqlite);
const records = alteredRecords(sqlite);
sqlite.close();
let broken = false;
if (anchors.length && !unanchored.length) console.log(`audit log agrees with ${anchors.length} backup manifest(s)`);
for (const a of unanchored) {
  broken = true;
  console.error(`audit log DISAGREES with ${a.source}: ${a.problem}`);
}
if (chain.ok) {
  console.log(`audit chain OK: ${chain.rows} rows verified (${path})`);
} else {
  broken = true;
  console.error(`audit chain BROKEN at row seq=${chain.brokenSeq}: ${chain.problem} (${chain.rows} rows read, ${path})`);
}
if (sheets.length === 0) {
  console.log('score sheets OK: each reads as its audit record');
} else {
  broken = true;
  console.error(`score sheets ALTERED: ${sheets.length} no longer read as their audit record`);
  for (const s of sheets.slice(0, 20)) {
    console.error(`  score sheet ${s.sheetId} (entry ${s.entryId}, member ${s.accountId}) against audit row seq=${s.seq ?? '-'}: ${s.problem}`);
  }
  if (sheets.length > 20) console.error(`  … and ${sheets.length - 20} more`);
}
if (counts.length === 0) {
  console.log('like counts OK: each entry counts its active likes');
} else {
  broken = true;
  console.error(`like counts WRONG: ${counts.length} entries do not count their active likes`);
  for (const c of counts.slice(0, 20)) console.error(`  entry ${c.entryId}: like_count ${c.stored}, active likes ${c.active}`);
  if (counts.length > 20) console.error(`  … and ${counts.length - 20} more`);
}

/** Name each finding of one kind (the first 20), or say they all read as recorded. */
function report(kind: string, findings: Finding[], ok: string): void {
  if (!findings.length) {
    console.log(`${kind} OK: ${ok}`);
    return;
  }
  broken = true;
  console.error(`${kind} ALTERED: ${findings.length} no longer read as their audit record`);
  for (const f of findings.slice(0, 20)) console.error(`  ${f.subject}${f.seq === null ? '' : ` against audit row seq=${f.seq}`}: ${f.problem}`);
  if (findings.length > 20) console.error(`  … and ${findings.length - 20} more`);
}
const { results, plates, rewards } = records;
report('results', results.findings, `${results.count} result sets and their ${results.lines} lines read as their audit records`);
if (results.linesCounted) console.log(`  ${results.linesCounted} result sets were computed before lines were recorded one by one: their lines were checked by count only, and could not be cross-checked line by line`);
if (results.linesUnchecked) console.log(`  ${results.linesUnchecked} result sets were recomputed by an upheld objection before recomputations were recorded: their lines could not be cross-checked`);
report('plates', plates.findings, `${plates.count} honor plates read as their audit records`);
if (plates.partlyRecorded) console.log(`  ${plates.partlyRecorded} plates were issued before their holder, stars and issuer were recorded: those could not be cross-checked`);
report('rewards', rewards.findings, `${rewards.count} rewards read as their audit records`);
if (rewards.counted) console.log(`  ${rewards.counted} result sets were finalised before their rewards were recorded one by one: their rewards were checked by count and payment only; amounts could not be cross-checked`);
if (broken) process.exit(1);
