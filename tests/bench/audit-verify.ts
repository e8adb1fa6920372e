import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { prepareCounty } from './county.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * `npm run audit:verify` on the county's database, spawn to exit: the chain, every score sheet
 * and like count, and every result set, line, plate and reward against its audit rows. The
 * bench writes its county with plain inserts (no audit rows for its sheets), so the command
 * names them and exits 1; it reads and compares every row all the same.
 */
export function timeAuditVerify(county: ReturnType<typeof prepareCounty>): { ms: number; lines: number; auditRows: number } {
  const sql = county.db.$client;
  const count = (table: string) => (sql.prepare(`select count(*) n from ${table}`).get() as { n: number }).n;
  const t0 = performance.now();
  spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts', sql.name], { cwd: ROOT, encoding: 'utf8' });
  return { ms: performance.now() - t0, lines: count('result_lines'), auditRows: count('audit_log') };
}
