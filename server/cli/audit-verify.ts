import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { alteredScoreSheets, verifyAuditChain } from '../db/audit.ts';
import { dataDbFile, fail } from './common.ts';

// npm run audit:verify [-- <backup folder | database file>] — walk the hash chain of the audit
// log and name the first broken row, then check every score sheet against its audit record.
// It only reads: a backup checked with it still matches its manifest and restores.
const target = process.argv.slice(2).find((a) => !a.startsWith('--'));
const path = target ? databaseAt(resolve(target)) : dataDbFile();

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

const chain = verifyAuditChain(sqlite);
const sheets = alteredScoreSheets(sqlite);
sqlite.close();
let broken = false;
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
if (broken) process.exit(1);
