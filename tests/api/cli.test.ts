import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { openDb } from '../../server/db/client.ts';
import { appendAudit } from '../../server/db/audit.ts';
import { auditHash, GENESIS_HASH, type AuditFields } from '../../server/domain/audit.ts';
import { makeApp } from '../support/api.ts';
import { PHONES } from '../support/entries.ts';
import { sessionFor } from '../support/likes.ts';
import { prepareData } from '../../server/boot.ts';
import { SERVER_NODE_FLAGS, serverArgs } from '../../server/build.ts';
import { encodeGbk } from '../support/gbk.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = (script: string, env: Record<string, string>, args: string[] = []) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

const demoFolder = () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
  prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00') }).db.$client.close();
  return dataDir;
};

/**
 * The audit log as the version before this one wrote it: results.compute without its line
 * records, campaign and round; results.finalize without its reward records; plate.issue with
 * the result, household and title only; no results.recompute rows. The chain is made again.
 */
function asThePreviousVersionWroteIt(sql: Database.Database) {
  const rows = sql.prepare('select * from audit_log order by seq').all() as Array<AuditFields & { actor_id: string | null; subject_type: string; subject_id: string }>;
  const without = (text: string | null, keep: (key: string) => boolean) => text && JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text) as object).filter(([k]) => keep(k))));
  sql.transaction(() => {
    sql.prepare('delete from audit_log').run();
    const insert = sql.prepare('insert into audit_log (seq, at, actor_id, action, subject_type, subject_id, before, after, reason, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    let prev = GENESIS_HASH;
    let seq = 0;
    for (const r of rows.filter((x) => x.action !== 'results.recompute')) {
      const after =
        r.action === 'results.compute' ? without(r.after, (k) => !['lineRecords', 'campaignId', 'roundId'].includes(k))
        : r.action === 'results.finalize' ? without(r.after, (k) => k !== 'rewardRecords')
        : r.action === 'plate.issue' ? without(r.after, (k) => ['resultId', 'householdId', 'title', 'replacing'].includes(k))
        : r.after;
      const row: AuditFields = { seq: ++seq, at: r.at, actorId: r.actor_id, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, before: r.before, after, reason: r.reason };
      const hash = auditHash(prev, row);
      insert.run(row.seq, row.at, row.actorId, row.action, row.subjectType, row.subjectId, row.before, row.after, row.reason, prev, hash);
      prev = hash;
    }
  })();
}

describe('npm run audit:verify', () => {
  it('passes on the demo data, then names the row that was altered by hand', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00') }).db.$client.close();

    const ok = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit chain OK: \d+ rows verified/);
    // results, plates and rewards each held to their audit rows in full: nothing left unchecked
    expect(ok.stdout).toContain('results OK: 10 result sets and their 75 lines read as their audit records\n');
    expect(ok.stdout).toContain('plates OK: 6 honor plates read as their audit records\n');
    expect(ok.stdout).toContain('rewards OK: 52 rewards read as their audit records\n');
    expect(ok.stdout).not.toContain('could not be cross-checked');

    const db = openDb(join(dataDir, 'courtyard.db'));
    db.$client.prepare("update audit_log set reason = 'edited by hand' where seq = 7").run();
    db.$client.close();

    const broken = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('BROKEN at row seq=7');
  });

  it('names a score sheet changed in the database, though the audit chain itself is intact', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00') }).db.$client.close();
    const db = openDb(join(dataDir, 'courtyard.db'));
    const sheet = db.$client.prepare('select id, entry_id as entryId, points from score_sheets order by id limit 1 offset 7').get() as { id: string; entryId: string; points: string };
    const points = JSON.parse(sheet.points) as Record<string, number>;
    const [criterion, was] = Object.entries(points)[0]!;
    db.$client.prepare('update score_sheets set points = ? where id = ?').run(JSON.stringify({ ...points, [criterion]: was + 5 }), sheet.id);
    db.$client.close();

    const r = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/audit chain OK/);
    expect(r.stderr).toContain('score sheets ALTERED: 1 no longer read as their audit record');
    expect(r.stderr).toMatch(new RegExp(`score sheet ${sheet.id} \\(entry ${sheet.entryId}, member ac_[\\w-]+\\) against audit row seq=\\d+: ${criterion} ${was + 5}, recorded ${was}`));
  });

  it('holds the log to what each backup recorded: rows cut off its end are found though the chain reads whole', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00') }).db.$client.close();
    const backup = run('server/cli/backup.ts', { DATA_DIR: dataDir });
    expect(backup.status, backup.stderr).toBe(0);
    const ok = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('audit log agrees with 1 backup manifest(s)');

    const db = openDb(join(dataDir, 'courtyard.db'));
    const last = (db.$client.prepare('select max(seq) as seq from audit_log').get() as { seq: number }).seq;
    db.$client.prepare('delete from audit_log where seq > ?').run(last - 3);
    db.$client.close();
    const cut = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(cut.status).toBe(1);
    expect(cut.stdout).toMatch(/audit chain OK/);
    expect(cut.stderr).toMatch(new RegExp(`audit log DISAGREES with backup courtyard-\\d{8}T\\d{6}Z: row seq=${last}, which .* recorded, is missing: rows were cut off the log`));

    // a backup kept elsewhere anchors a copy checked on its own
    const elsewhere = mkdtempSync(join(tmpdir(), 'courtyard-offsite-'));
    expect(run('server/cli/backup.ts', { DATA_DIR: dataDir }, [elsewhere]).status).toBe(0);
    const copy = join(elsewhere, readdirSync(elsewhere)[0]!);
    const alone = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir }, [copy, '--anchors', join(dataDir, 'backups')]);
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('rows were cut off the log');

    // a folder of anchors with no backup in it is said, not passed over
    const none = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir }, [copy, '--anchors', mkdtempSync(join(tmpdir(), 'courtyard-empty-'))]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('No backup (a folder with manifest.json) in');
  });

  it('after a restore, the backups of the history given up do not count against the log; later backups do', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00') }).db.$client.close();
    const backupNow = () => {
      const r = run('server/cli/backup.ts', { DATA_DIR: dataDir });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n').find((l) => l.includes('backup written'))!.replace(/^.*backup written: /, '').replace(/ \(\d+ ms\)$/, '');
    };
    const before = backupNow();
    // a day's work, then a backup of it: the history the operator will give up
    const db = openDb(join(dataDir, 'courtyard.db'));
    for (let i = 0; i < 3; i++) appendAudit(db, { actorId: null, action: 'test.work', subjectType: 'test', subjectId: `t${i}`, reason: '一天的工作' }, Date.now());
    db.$client.close();
    backupNow();
    const restored = run('server/cli/restore.ts', { DATA_DIR: dataDir }, [before, '--force']);
    expect(restored.status, restored.stderr).toBe(0);

    const ok = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('audit log agrees with 1 backup manifest(s)');
    // a backup after the restore is of the history kept: it counts
    backupNow();
    const again = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('audit log agrees with 2 backup manifest(s)');
  });

  it('names an entry whose like count no longer counts its active likes', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00') }).db.$client.close();
    const ok = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('like counts OK');
    const db = openDb(join(dataDir, 'courtyard.db'));
    const entry = db.$client.prepare('select id, like_count as n from entries where like_count > 0 order by id limit 1').get() as { id: string; n: number };
    db.$client.prepare('update entries set like_count = like_count + 7 where id = ?').run(entry.id);
    db.$client.close();
    const r = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('like counts WRONG: 1 entries do not count their active likes');
    expect(r.stderr).toContain(`entry ${entry.id}: like_count ${entry.n + 7}, active likes ${entry.n}`);
  });

  it('names a result set and result lines changed in the database: a final result reopened, a loser made a winner, a line removed', () => {
    const dataDir = demoFolder();
    const sql = openDb(join(dataDir, 'courtyard.db')).$client;
    const result = sql.prepare(`select id, kind, period from results where status = 'final' and kind = 'round' order by period limit 1`).get() as { id: string; kind: string; period: string };
    sql.prepare(`update results set status = 'announced', objection_deadline = objection_deadline + ? where id = ?`).run(30 * 86_400_000, result.id);
    const loser = sql.prepare(`select household_id as id, rank from result_lines where result_id = ? and awarded = 0 and rank is not null order by rank limit 1`).get(result.id) as { id: string; rank: number };
    sql.prepare(`update result_lines set awarded = 1, rank = 1 where result_id = ? and household_id = ?`).run(result.id, loser.id);
    const gone = sql.prepare(`select household_id as id from result_lines where result_id = ? and household_id != ? limit 1`).get(result.id, loser.id) as { id: string };
    sql.prepare(`delete from result_lines where result_id = ? and household_id = ?`).run(result.id, gone.id);
    sql.close();

    const r = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/audit chain OK/);
    expect(r.stderr).toContain('results ALTERED: 3 no longer read as their audit record');
    const name = `result ${result.id} \\(${result.kind} ${result.period}\\)`;
    expect(r.stderr).toMatch(new RegExp(`${name} against audit row seq=\\d+: status announced, recorded final; objection deadline \\S+, recorded \\S+`));
    expect(r.stderr).toMatch(new RegExp(`${name}, line of household ${loser.id} against audit row seq=\\d+: rank 1, recorded ${loser.rank}; awarded yes, recorded no`));
    expect(r.stderr).toMatch(new RegExp(`${name}, line of household ${gone.id} against audit row seq=\\d+: missing: the audit record has this line`));
  });

  it('names an honor plate changed, made or removed in the database', () => {
    const dataDir = demoFolder();
    const sql = openDb(join(dataDir, 'courtyard.db')).$client;
    const plates = sql.prepare(`select serial, household_id as householdId, holder_name as holder, status from plates order by serial`).all() as Array<{ serial: string; householdId: string; holder: string; status: string }>;
    const [renamed, removed] = plates.filter((p) => p.status === 'issued');
    const revoked = plates.find((p) => p.status === 'revoked')!;
    sql.prepare(`update plates set holder_name = '王五' where serial = ?`).run(renamed!.serial);
    sql.prepare(`update plates set status = 'issued', revoked_at = null, revoked_by = null, revoked_reason = null where serial = ?`).run(revoked.serial);
    sql.prepare(`delete from plates where serial = ?`).run(removed!.serial);
    sql.prepare(`insert into plates select 'FORGED-0001', result_id, campaign_id, household_id, village_id, period, 5, title, holder_name, issuer, issued_at, issued_by, 'revoked', null, null, null, null from plates where serial = ?`).run(renamed!.serial);
    sql.close();

    const r = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('plates ALTERED: 4 no longer read as their audit record');
    expect(r.stderr).toMatch(new RegExp(`plate ${renamed!.serial} \\(household ${renamed!.householdId}\\) against audit row seq=\\d+: holder 王五, recorded ${renamed!.holder}`));
    expect(r.stderr).toMatch(new RegExp(`plate ${revoked.serial} \\(household ${revoked.householdId}\\) against audit row seq=\\d+: status issued, recorded revoked; revoked at -, recorded \\S+; revoked by -, recorded ac_\\S+; revocation reason -, recorded 复查发现`));
    expect(r.stderr).toMatch(new RegExp(`plate ${removed!.serial} \\(household ${removed!.householdId}\\) against audit row seq=\\d+: missing: the audit log records its issue`));
    expect(r.stderr).toContain(`plate FORGED-0001 (household ${renamed!.householdId}): no audit record of its issue (plate.issue): it was not issued by the app`);
  });

  it('names a reward changed, wiped or added in the ledger', () => {
    const dataDir = demoFolder();
    const sql = openDb(join(dataDir, 'courtyard.db')).$client;
    const paid = sql.prepare(`select id, result_id as resultId, household_id as householdId, amount_fen as fen, paid_on as paidOn from rewards where status = 'paid' and amount_fen > 0 order by id`).all() as Array<{ id: string; resultId: string; householdId: string; fen: number; paidOn: string }>;
    const [raised, wiped] = paid;
    sql.prepare(`update rewards set amount_fen = amount_fen * 10 where id = ?`).run(raised!.id);
    // a payment wiped, so that the reward is paid a second time
    sql.prepare(`update rewards set status = 'pending', paid_on = null, payer = null, note = null, confirmed_by = null, confirmed_at = null where id = ?`).run(wiped!.id);
    // a reward for a household its result did not award
    const unawarded = sql.prepare(`select household_id as id, village_id as villageId from result_lines where result_id = ? and household_id not in (select household_id from rewards where result_id = ?) limit 1`).get(raised!.resultId, raised!.resultId) as { id: string; villageId: string };
    sql.prepare(`insert into rewards (id, result_id, household_id, village_id, label, amount_fen, goods, status, created_at) values ('rw_byhand', ?, ?, ?, '美丽庭院', 500000, null, 'pending', 0)`).run(raised!.resultId, unawarded.id, unawarded.villageId);
    sql.close();

    const r = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('rewards ALTERED: 3 no longer read as their audit record');
    expect(r.stderr).toMatch(new RegExp(`reward ${raised!.id} \\(household ${raised!.householdId}, result ${raised!.resultId}\\) against audit row seq=\\d+: amount_fen ${raised!.fen * 10}, recorded ${raised!.fen}\n`));
    expect(r.stderr).toMatch(new RegExp(`reward ${wiped!.id} \\(household ${wiped!.householdId}, result ${wiped!.resultId}\\) against audit row seq=\\d+: status pending, recorded paid; paid on -, recorded ${wiped!.paidOn}; payer -, recorded 林秀琴`));
    expect(r.stderr).toContain(`reward rw_byhand (household ${unawarded.id}, result ${raised!.resultId}) against audit row seq=`);
    expect(r.stderr).toMatch(/rw_byhand .*: not among the rewards its result's finalisation entered\n/);
  });

  it('holds lines an upheld objection recomputed to the row that recorded them: a household reinstated by hand is named', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const sql = t.db.$client;
    const round = sql.prepare(`select r.id from rounds r join campaigns c on c.id = r.campaign_id where c.title = '2026年下半年洋尾村美丽庭院月评' and r.period = '2026-10'`).get() as { id: string };
    expect((await t.req('POST', `/api/rounds/${round.id}/announce`, { cookie: cadre })).status).toBe(200);
    const first = sql.prepare(`select household_id as id from result_lines l join results r on r.id = l.result_id where r.round_id = ? and l.rank = 1`).get(round.id) as { id: string };
    const filed = await t.req('POST', `/api/rounds/${round.id}/objections`, { cookie: sessionFor(t, PHONES.yangwei(30)), body: { householdId: first.id, text: '评分当天的花是借来的。' } });
    const { objection } = (await filed.json()) as { objection: { id: string } };
    expect((await t.req('POST', `/api/objections/${objection.id}/decision`, { cookie: cadre, body: { uphold: true, reason: '经复查属实，取消本月评选资格。' } })).status).toBe(200);
    const upheld = run('server/cli/audit-verify.ts', { DATA_DIR: t.dataDir });
    expect(upheld.status, upheld.stderr).toBe(0);
    expect(upheld.stdout).toMatch(/results OK: \d+ result sets and their \d+ lines read as their audit records\n(?!  )/);

    sql.prepare(`update result_lines set excluded_reason = null, awarded = 1, rank = 1 where household_id = ? and result_id = (select id from results where round_id = ?)`).run(first.id, round.id);
    const reinstated = run('server/cli/audit-verify.ts', { DATA_DIR: t.dataDir });
    expect(reinstated.status).toBe(1);
    expect(reinstated.stderr).toMatch(new RegExp(`line of household ${first.id} against audit row seq=\\d+: rank 1, recorded -; awarded yes, recorded no; excluded no, recorded yes`));
    sql.close();
  });

  it('a log written before lines, rewards and plates were recorded in full verifies, saying what it could not cross-check, and still holds them to what it recorded', async () => {
    const t = makeApp({ history: true });
    const cadre = sessionFor(t, PHONES.yangweiCadre);
    const sql = t.db.$client;
    const round = sql.prepare(`select r.id from rounds r join campaigns c on c.id = r.campaign_id where c.title = '2026年下半年洋尾村美丽庭院月评' and r.period = '2026-10'`).get() as { id: string };
    await t.req('POST', `/api/rounds/${round.id}/announce`, { cookie: cadre });
    const household = (sql.prepare(`select household_id as id from result_lines where result_id = (select id from results where round_id = ?) and rank = 2`).get(round.id) as { id: string }).id;
    const filed = await t.req('POST', `/api/rounds/${round.id}/objections`, { cookie: sessionFor(t, PHONES.yangwei(30)), body: { householdId: household, text: '评分当天的花是借来的。' } });
    await t.req('POST', `/api/objections/${((await filed.json()) as { objection: { id: string } }).objection.id}/decision`, { cookie: cadre, body: { uphold: true, reason: '属实。' } });
    asThePreviousVersionWroteIt(sql);

    const old = run('server/cli/audit-verify.ts', { DATA_DIR: t.dataDir });
    expect(old.status, old.stderr).toBe(0);
    expect(old.stdout).toMatch(/audit chain OK/);
    expect(old.stdout).toContain('results OK');
    expect(old.stdout).toMatch(/  10 result sets were computed before lines were recorded one by one: their lines were checked by count only, and could not be cross-checked line by line/);
    expect(old.stdout).toContain('  1 result sets were recomputed by an upheld objection before recomputations were recorded: their lines could not be cross-checked');
    expect(old.stdout).toMatch(/  6 plates were issued before their holder, stars and issuer were recorded: those could not be cross-checked/);
    expect(old.stdout).toMatch(/  10 result sets were finalised before their rewards were recorded one by one: their rewards were checked by count and payment only; amounts could not be cross-checked/);

    // What those rows did record still holds: a line's award by its count, a plate's household, a reward's payment.
    const result = sql.prepare(`select id from results where status = 'final' and kind = 'round' order by period limit 1`).get() as { id: string };
    sql.prepare(`update result_lines set awarded = 1 where result_id = ? and household_id = (select household_id from result_lines where result_id = ? and awarded = 0 limit 1)`).run(result.id, result.id);
    sql.prepare(`update plates set household_id = (select household_id from result_lines where result_id = plates.result_id and stars = 0 limit 1) where serial = (select min(serial) from plates)`).run();
    sql.prepare(`update rewards set status = 'pending' where id = (select min(id) from rewards where status = 'paid')`).run();
    const altered = run('server/cli/audit-verify.ts', { DATA_DIR: t.dataDir });
    expect(altered.status).toBe(1);
    expect(altered.stderr).toMatch(new RegExp(`result ${result.id} \\(round \\S+\\), its lines against audit row seq=\\d+: lines awarded (\\d+), recorded (\\d+)`));
    expect(altered.stderr).toMatch(/plates ALTERED: 1 .*\n  plate \S+ \(household hh_\S+\) against audit row seq=\d+: household hh_\S+, recorded hh_\S+\n/);
    expect(altered.stderr).toMatch(/rewards ALTERED: 1 .*\n  reward rw_\S+ \(household hh_\S+, result rs_\S+\) against audit row seq=\d+: status pending, recorded paid\n/);
    sql.close();
  });

  it('says where to look when there is no database', () => {
    const r = run('server/cli/audit-verify.ts', { DATA_DIR: mkdtempSync(join(tmpdir(), 'courtyard-empty-')) });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No database');
  });
});

describe('npm run account:create', () => {
  it('makes a cadre of a real village, and refuses an unknown village or a bad phone', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    // A county's first start: no demo, nobody with a role yet.
    prepareData(dataDir, { demo: false, now: Date.now() }).db.$client.close();
    const good = run('server/cli/account-create.ts', { DATA_DIR: dataDir }, ['--phone', '13800138000', '--role', 'village_cadre', '--scope', '350582102207']);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`village_cadre of 洋尾村 (350582102207) in ${join(dataDir, 'courtyard.db')}`);
    const badVillage = run('server/cli/account-create.ts', { DATA_DIR: dataDir }, ['--phone', '13800138000', '--role', 'village_cadre', '--scope', '350582999999']);
    expect(badVillage.status).toBe(1);
    expect(badVillage.stderr).toContain('No village');
    const badPhone = run('server/cli/account-create.ts', { DATA_DIR: dataDir }, ['--phone', '12345', '--role', 'village_cadre', '--scope', '350582102207']);
    expect(badPhone.status).toBe(1);
    expect(badPhone.stderr).toContain('Not a mainland mobile number');
    const verify = run('server/cli/audit-verify.ts', { DATA_DIR: dataDir });
    expect(verify.status).toBe(0);
  });
});

describe('a command run without the server\'s DATA_DIR', () => {
  it('makes no database of its own: it names the folder it looked in and exits 1', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'courtyard-cli-')), 'data');
    const roster = join(dataDir, '..', 'roster.csv');
    writeFileSync(roster, '户主姓名,门牌号\n陈一,洋尾村201号\n');
    for (const [script, args] of [
      ['account-create', ['--phone', '13800138000', '--role', 'village_cadre', '--scope', '350582102207']],
      ['roster-import', ['--village', '350582102207', '--file', roster]],
      ['audit-verify', []],
    ] as const) {
      const r = run(`server/cli/${script}.ts`, { DATA_DIR: dataDir }, [...args]);
      expect(r.status, script).toBe(1);
      expect(r.stderr, script).toContain(`No database at ${join(dataDir, 'courtyard.db')}. Set DATA_DIR to the server's data folder`);
      expect(existsSync(dataDir), script).toBe(false);
    }
  });
});

describe('npm run roster:import', () => {
  const households = (dataDir: string) => {
    const db = openDb(join(dataDir, 'courtyard.db'));
    try {
      return (db.$client.prepare(`select count(*) as n from households where village_id = '350582102207'`).get() as { n: number }).n;
    } finally {
      db.$client.close();
    }
  };
  const importFile = (dataDir: string, bytes: Uint8Array | string) => {
    const file = join(dataDir, 'roster.csv');
    writeFileSync(file, bytes);
    return run('server/cli/roster-import.ts', { DATA_DIR: dataDir }, ['--village', '350582102207', '--file', file]);
  };

  it('refuses a bad file row by row and writes nothing; then reads the roster as Excel in China saves it (GBK)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-cli-'));
    prepareData(dataDir, { demo: true, now: Date.parse('2026-11-27T10:00:00+08:00'), history: false }).db.$client.close();
    const before = households(dataDir);

    const noColumn = importFile(dataDir, encodeGbk('姓名,门牌号\r\n陈一,洋尾村201号\r\n'));
    expect(noColumn.status).toBe(1);
    expect(noColumn.stderr).toContain('row 1, headName: 表头缺少「户主姓名」列');

    const twice = importFile(dataDir, encodeGbk('户主姓名,门牌号,手机号\r\n陈一,洋尾村201号,\r\n林二,洋尾村２０１号,\r\n许五,洋尾村1号,\r\n'));
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('Nothing imported: 2 problem(s).');
    expect(twice.stderr).toContain('row 3, doorNumber: 门牌号「洋尾村２０１号」与第 2 行重复。');
    expect(twice.stderr, 'a door the village has already, as the console says').toMatch(/row 4, doorNumber: 门牌号「洋尾村1号」在本村已有登记/);

    const unreadable = importFile(dataDir, new Uint8Array([0xff, 0xff, 0xff, 0x80, 0x2c, 0x80]));
    expect(unreadable.status).toBe(1);
    expect(unreadable.stderr).toContain('row 1, file: 文件的编码无法识别');

    const missing = run('server/cli/roster-import.ts', { DATA_DIR: dataDir }, ['--village', '350582102207', '--file', join(dataDir, 'nowhere.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`No file at ${join(dataDir, 'nowhere.csv')}`);
    expect(missing.stderr).not.toContain('    at ');
    expect(households(dataDir)).toBe(before);

    const good = importFile(dataDir, encodeGbk('户主姓名,门牌号,手机号\r\n陈一,洋尾村201号,13700000001\r\n欧阳娜娜,洋尾村202号,\r\n'));
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain('Imported 2 households into 洋尾村');
    expect(households(dataDir)).toBe(before + 2);
    expect(run('server/cli/audit-verify.ts', { DATA_DIR: dataDir }).status).toBe(0);
  });
});

describe('how the server is run', () => {
  it('npm start and the README\'s systemd unit run the built server with the Node flags the tests use', () => {
    const command = `node ${SERVER_NODE_FLAGS.join(' ')} dist/server/main.js`;
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start.endsWith(`&& ${command}`)).toBe(true);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`ExecStart=/usr/bin/${command}\n`);
  });
});

describe('server start-up', () => {
  it('refuses a bad environment with a message naming the variable', () => {
    const r = run('server/main.ts', { PORT: 'eighty', DATA_DIR: mkdtempSync(join(tmpdir(), 'courtyard-env-')) });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('environment is not valid');
    const host = run('server/main.ts', { HOST: 'every interface', DATA_DIR: mkdtempSync(join(tmpdir(), 'courtyard-env-')) });
    expect(host.status).toBe(1);
    expect(host.stderr).toContain('HOST: HOST must be an address to listen on');
  });

  it('a real county (DEMO=0) does not start on a data folder that ran the demo, and on an empty one says how to make the first cadre', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'courtyard-was-demo-'));
    prepareData(demoDir, { demo: true, now: Date.now(), history: false }).db.$client.close();
    const port = 18400 + Math.floor(Math.random() * 400);
    const onDemo = spawnSync(process.execPath, serverArgs(), { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: demoDir, DEMO: '0' }, encoding: 'utf8', timeout: 60_000 });
    expect(onDemo.status).toBe(1);
    expect(onDemo.stdout).toContain('holds the demo county');
    expect(onDemo.stdout).toContain('DEMO=1');
    expect(existsSync(join(demoDir, 'server.pid'))).toBe(false);

    const { spawn } = await import('node:child_process');
    /** The log of a DEMO=0 server started on the folder and stopped once it listens. */
    const startAndStop = async (dataDir: string) => {
      const child = spawn(process.execPath, serverArgs(), { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      for (let i = 0; i < 200 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      return out;
    };
    const fresh = mkdtempSync(join(tmpdir(), 'courtyard-county-'));
    const first = await startAndStop(fresh);
    expect(first).toContain('no cadre or town admin yet');
    expect(first).toContain(`DATA_DIR=${fresh} npm run account:create -- --phone`);
    expect(first, 'codes in the log are said out loud').toContain('DELIVERY=console: sign-in codes and notices');

    // Once someone holds a role, the hint is gone.
    expect(run('server/cli/account-create.ts', { DATA_DIR: fresh }, ['--phone', '13800138000', '--role', 'town_admin', '--scope', '350582102']).status).toBe(0);
    const second = await startAndStop(fresh);
    expect(second).toContain('listening');
    expect(second).not.toContain('no cadre or town admin yet');
  }, 60_000);

  it('a second server on a busy port or on a data folder in use exits 1 saying which', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-busy-'));
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as AddressInfo).port;
    const onPort = spawnSync(process.execPath, serverArgs(), { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '0' }, encoding: 'utf8', timeout: 60_000 });
    busy.close();
    expect(onPort.status).toBe(1);
    expect(onPort.stdout + onPort.stderr).toContain(`port ${port} is already in use`);
    expect(existsSync(join(dataDir, 'server.pid'))).toBe(false);

    // A live process named in the data folder's pid file: this test's own.
    writeFileSync(join(dataDir, 'server.pid'), String(process.pid));
    const onData = spawnSync(process.execPath, serverArgs(), { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '0' }, encoding: 'utf8', timeout: 60_000 });
    expect(onData.status).toBe(1);
    expect(onData.stdout + onData.stderr).toContain(`another Courtyard server (pid ${process.pid}) is using`);
    expect(readFileSync(join(dataDir, 'server.pid'), 'utf8')).toBe(String(process.pid));
  });
});


describe('clean shutdown', () => {
  it('on SIGTERM stops listening, closes the database and exits 0', async () => {
    const { spawn } = await import('node:child_process');
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-stop-'));
    const port = 18900 + Math.floor(Math.random() * 500);
    const child = spawn(process.execPath, serverArgs(), {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 200 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('"msg":"stopped"');
    // The database was closed cleanly: the WAL was checkpointed and integrity holds.
    const db = openDb(join(dataDir, 'courtyard.db'));
    expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    db.$client.close();
  }, 60_000);

  it('a server killed outright leaves no child behind: the demo-photo drawing stops with it', async () => {
    const { spawn } = await import('node:child_process');
    const dataDir = mkdtempSync(join(tmpdir(), 'courtyard-kill-'));
    const port = 19400 + Math.floor(Math.random() * 500);
    const server = spawn(process.execPath, serverArgs(), {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1', DEMO: '1', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // The children of a process, from /proc (Linux): pid → parent pid.
    const childrenOf = (pid: number) =>
      readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .filter((name) => {
          try {
            const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
          } catch {
            return false;
          }
        })
        .map(Number);
    let drawing: number[] = [];
    for (let i = 0; i < 300 && !drawing.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      drawing = childrenOf(server.pid!);
    }
    expect(drawing.length).toBe(1);
    const exited = once(server, 'exit');
    server.kill('SIGKILL');
    await exited;
    const alive = () => existsSync(`/proc/${drawing[0]}`) && !readFileSync(`/proc/${drawing[0]}/stat`, 'utf8').includes(') Z ');
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  }, 60_000);
});
