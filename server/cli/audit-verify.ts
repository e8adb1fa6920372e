import { verifyAuditChain } from '../db/audit.ts';
import { openDataDb } from './common.ts';

// npm run audit:verify — walk the hash chain of the audit log and name the first broken row.
const { db, file } = openDataDb();
const result = verifyAuditChain(db);
db.$client.close();
if (result.ok) {
  console.log(`audit chain OK: ${result.rows} rows verified (${file})`);
} else {
  console.error(`audit chain BROKEN at row seq=${result.brokenSeq}: ${result.problem} (${result.rows} rows read, ${file})`);
  process.exit(1);
}
