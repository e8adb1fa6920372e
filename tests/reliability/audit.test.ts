import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { report, ROOT } from './support.ts';

// Issue 7 (f): a row of the audit log changed by hand (or removed) is found by
// `npm run audit:verify`, which exits non-zero and names the row.

const verify = (dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/audit-verify.ts'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000 });

function demo(): { dataDir: string; rows: number } {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-reliability-audit-'));
  const { db } = prepareData(dataDir, { demo: true, now: Date.now() });
  const rows = (db.$client.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
  db.$client.close();
  return { dataDir, rows };
}

function tamper(dataDir: string, sql: string, ...params: unknown[]) {
  const db = new Database(join(dataDir, 'courtyard.db'));
  db.prepare(sql).run(...params);
  db.close();
}

describe('npm run audit:verify finds a hand-altered audit row', () => {
  it('names the altered row, the row after a removed one, and a re-hashed row whose successor no longer links', () => {
    const found: string[] = [];
    const { dataDir, rows } = demo();
    expect(verify(dataDir).status).toBe(0);
    const seq = Math.floor(rows / 2);

    // A cadre's reason rewritten.
    tamper(dataDir, `update audit_log set reason = '手工修改' where seq = ?`, seq);
    const altered = verify(dataDir);
    expect(altered.status).not.toBe(0);
    expect(altered.stderr).toContain(`seq=${seq}`);
    found.push(`altered seq=${seq}: exit ${altered.status}, names seq=${seq}`);

    // A row deleted: the next one no longer links back.
    const second = demo();
    tamper(second.dataDir, `delete from audit_log where seq = ?`, seq);
    const removed = verify(second.dataDir);
    expect(removed.status).not.toBe(0);
    expect(removed.stderr).toContain(`seq=${seq + 1}`);
    found.push(`removed seq=${seq}: exit ${removed.status}, names seq=${seq + 1}`);

    // A row altered and its own hash recomputed by someone who knows the scheme: the chain breaks at the next row.
    const third = demo();
    const db = new Database(join(third.dataDir, 'courtyard.db'));
    db.prepare(`update audit_log set hash = ? where seq = ?`).run('f'.repeat(64), seq);
    db.close();
    const rehashed = verify(third.dataDir);
    expect(rehashed.status).not.toBe(0);
    expect(rehashed.stderr).toMatch(new RegExp(`seq=(${seq}|${seq + 1})`));
    found.push(`hash replaced at seq=${seq}: exit ${rehashed.status}`);

    report('(f) audit chain', 'tampering found by audit:verify', `3 of 3 (${found.join('; ')})`);
  });
});
