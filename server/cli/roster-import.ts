import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { importRoster, rosterClashes } from '../db/households.ts';
import { getVillage } from '../db/places.ts';
import { DomainError } from '../domain/errors.ts';
import { checkRoster, type RosterProblem } from '../domain/households.ts';
import { arg, fail, openDataDb } from './common.ts';

// npm run roster:import -- --village 350582102207 --file roster.csv
const usage = 'usage: npm run roster:import -- --village <12-digit village code> --file <roster.csv (户主姓名,门牌号,手机号), UTF-8 or GBK>';
const villageId = arg('village') ?? '';
const file = arg('file') ?? fail(usage);
if (!existsSync(file) || !statSync(file).isFile()) fail(`No file at ${resolve(file)}.\n${usage}`);
const { db, file: dbFile } = openDataDb();
const village = getVillage(db, villageId) ?? fail(`No village with code "${villageId}".\n${usage}`);

const report = (problems: RosterProblem[]): never => {
  db.$client.close();
  console.error(`Nothing imported: ${problems.length} problem(s).`);
  for (const p of [...problems].sort((a, b) => a.row - b.row)) console.error(`  row ${p.row}, ${p.field}: ${p.problem}`);
  process.exit(1);
};
// The same checks as the cadre console's import, every problem at once: of the file (its
// encoding, header and rows) and against the village's registered doors.
const { rows, problems } = checkRoster(new Uint8Array(readFileSync(file)), village.name);
const all = [...problems, ...rosterClashes(db, village.id, rows)];
if (all.length) report(all);
try {
  const result = importRoster(db, village.id, rows, null, Date.now());
  console.log(`Imported ${result.imported} households into ${village.name}; ${result.accountsCreated} new accounts (${dbFile}).`);
} catch (e) {
  if (e instanceof DomainError && e.code === 'invalid_roster') report((e.details as { problems: RosterProblem[] }).problems);
  throw e;
} finally {
  db.$client.close();
}
