import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareData } from '../../server/boot.ts';
import { prepareLikeBench } from '../bench/like-setup.ts';
import { freePort, killHard, report, ROOT, sleep, startServer } from './support.ts';

// Issue 7 (e): `npm run backup` taken while the real server takes likes restores (with
// `npm run restore`) to a database that passes integrity_check, holds every like acknowledged
// before the backup began, keeps counts equal to rows, and whose audit chain verifies.

const ACCOUNTS = 2000;
const WORKERS = 16;
const YANGWEI = '350582102207';
const DAY = 86_400_000;
let server: ChildProcess | null = null;
afterAll(() => {
  if (server) void killHard(server);
});

function cli(script: string, dataDir: string, args: string[] = []): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const started = Date.now();
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `server/cli/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => ok({ code, out, err, ms: Date.now() - started }));
  });
}

describe('a backup taken under load', () => {
  it('restores to an intact database with every like acknowledged before it began', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-reliability-backup-'));
    const now = Date.now();
    const { db } = prepareData(dataDir, { demo: true, now });
    const rounds = `select r.id from rounds r join campaign_villages cv on cv.campaign_id = r.campaign_id where cv.village_id = '${YANGWEI}'`;
    if (!db.$client.prepare(`${rounds} and r.starts_at <= ? and r.ends_at >= ?`).get(now, now)) {
      db.$client.prepare(`update rounds set starts_at = ?, ends_at = ? where id = (${rounds} order by r.seq desc limit 1)`).run(now - DAY, now + DAY);
    }
    db.$client.close();
    const { entryIds, cookies } = prepareLikeBench(dataDir, ACCOUNTS, now);
    const port = await freePort();
    server = await startServer(dataDir, port);
    const base = `http://127.0.0.1:${port}`;

    const acked: Array<{ account: number; entryId: string }> = [];
    let next = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const n = next++;
        const account = n % ACCOUNTS;
        const entryId = entryIds[(Math.floor(n / ACCOUNTS) + account) % entryIds.length]!;
        const res = await fetch(`${base}/api/entries/${entryId}/like`, { method: 'PUT', headers: { cookie: cookies[account]!, origin: base } });
        if (res.status === 200 && ((await res.json()) as { liked: boolean }).liked) acked.push({ account, entryId });
        else throw new Error(`like answered ${res.status}`);
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    await sleep(800);
    const ackedBefore = acked.length;
    const before = acked.slice();
    const backup = await cli('backup', dataDir);
    const ackedDuring = acked.length - ackedBefore;
    await sleep(300);
    stop = true;
    await load;
    await killHard(server);
    expect(backup.code, backup.err).toBe(0);
    expect(ackedDuring, 'the server kept taking likes during the backup').toBeGreaterThan(0);
    const folder = /backup written: (.*) \(\d+ ms\)/.exec(backup.out)![1]!;

    const restoredDir = join(mkdtempSync(join(tmpdir(), 'courtyard-reliability-restored-')), 'data');
    const restore = await cli('restore', restoredDir, [folder]);
    expect(restore.code, restore.err).toBe(0);

    const restored = new Database(join(restoredDir, 'courtyard.db'), { readonly: true });
    const integrity = restored.pragma('integrity_check', { simple: true });
    const active = new Set((restored.prepare(`select account_id as a, entry_id as e from likes where status = 'active'`).all() as Array<{ a: string; e: string }>).map((r) => `${r.a}|${r.e}`));
    const mismatches = restored.prepare(`select e.id from entries e where e.like_count != (select count(*) from likes l where l.entry_id = e.id and l.status = 'active')`).all();
    restored.close();
    const missing = before.filter((a) => !active.has(`ac_bench${a.account}|${a.entryId}`));
    expect(integrity).toBe('ok');
    expect(missing, 'likes acknowledged before the backup began, missing from the restored database').toEqual([]);
    expect(mismatches).toEqual([]);
    const verify = await cli('audit-verify', restoredDir);
    expect(verify.code, verify.err).toBe(0);

    report('(e) backup under load', 'likes acknowledged before / during the backup', `${ackedBefore} / ${ackedDuring}`);
    report('(e) backup under load', 'backup command time (process start to exit)', `${backup.ms} ms`);
    report('(e) backup under load', 'restored: integrity_check, acknowledged likes missing, audit chain', `${integrity}, ${missing.length}, ok (${active.size} active likes in the copy)`);
  });
});
