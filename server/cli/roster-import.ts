import { readFileSync } from 'node:fs';
import { importRoster } from '../db/households.ts';
import { getVillage } from '../db/places.ts';
import { DomainError } from '../domain/errors.ts';
import { readRoster } from '../domain/households.ts';
import { arg, fail, openDataDb } from './common.ts';

// npm run roster:import -- --village 350582102207 --file roster.csv
const usage = 'usage: npm run roster:import -- --village <12-digit village code> --file <roster.csv (户主姓名,门牌号,手机号)>';
const villageId = arg('village') ?? '';
const file = arg('file') ?? fail(usage);
const { db } = openDataDb({ mustExist: false });
const village = getVillage(db, villageId) ?? fail(`No village with code "${villageId}".\n${usage}`);

const report = (problems: Array<{ row: number; field: string; problem: string }>) => {
  console.error(`Nothing imported: ${problems.length} problem(s).`);
  for (const p of problems) console.error(`  row ${p.row}, ${p.field}: ${p.problem}`);
  process.exit(1);
};
const { rows, problems } = readRoster(readFileSync(file, 'utf8'));
if (problems.length) report(problems);
try {
  const result = importRoster(db, village.id, rows, null, Date.now());
  console.log(`Imported ${result.imported} households into ${village.name}; ${result.accountsCreated} new accounts.`);
} catch (e) {
  if (e instanceof DomainError && e.code === 'invalid_roster') report((e.details as { problems: Array<{ row: number; field: string; problem: string }> }).problems);
  throw e;
} finally {
  db.$client.close();
}
