import type Database from 'better-sqlite3';
import { fsync, openSync } from 'node:fs';
import type { CampaignRules } from '../domain/campaigns.ts';
import type { EntryState } from '../domain/entries.ts';
import { conflict, DomainError, notFound } from '../domain/errors.ts';
import { afterLike, afterVoid, likeRefusal, shanghaiDayStartOf, suspiciousLikes, thresholdWords, type LikeFact } from '../domain/likes.ts';
import { periodLabel } from '../domain/results.ts';
import { clause } from '../domain/text.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newTimeOrderedId } from '../lib/ids.ts';
import { appendAudit } from './audit.ts';
import { clientOf, type Db, type Tx } from './client.ts';
import { notifyHousehold } from './notifications.ts';

export interface LikeOp {
  kind: 'like' | 'unlike';
  entryId: string;
  accountId: string;
  likerHouseholdId: string | null;
  ipPrefix: string;
  deviceHash: string;
  now: number;
}

export interface LikeOutcome {
  likeCount: number;
  liked: boolean;
  qualifiedAt: string | null;
}

interface EntryFacts {
  id: string;
  status: EntryState;
  hidden_at: number | null;
  household_id: string;
  like_count: number;
  qualified_at: number | null;
  round_status: string;
  starts_at: number;
  ends_at: number;
  campaign_id: string;
  period: string;
  campaign_status: string;
  campaign_title: string;
  like_threshold: number;
  rules: string;
}

/** An unlike: the row kept and marked. With BUMP_SQL (−1) in the same transaction, the count follows. */
const UNLIKE_SQL = `update likes set status = 'unliked', unliked_at = ? where entry_id = ? and account_id = ? and status = 'active'`;
const BUMP_SQL = `update entries set like_count = like_count + ? where id = ? returning like_count as n`;

/**
 * Take back an account's like of an entry outside the like path (a phone joining the household
 * whose entry it liked), the way an unlike does it. A qualification already reached stays.
 * Inside the caller's transaction; the like batches forget what they knew (LikeStore.beginBatch).
 */
export function takeBackLike(db: Db | Tx, entryId: string, accountId: string, now: number): boolean {
  const sql = clientOf(db);
  if (!sql.prepare(UNLIKE_SQL).run(now, entryId, accountId).changes) return false;
  sql.prepare(BUMP_SQL).get(-1, entryId);
  return true;
}

/**
 * The like path, on prepared statements: it is the busiest write of the system (a whole
 * village liking in the evening), so it skips the query builder. The stored count moves in
 * the same transaction as the rows it counts.
 */
export class LikeStore {
  private readonly s: Record<string, Database.Statement>;
  private readonly rulesCache = new Map<string, CampaignRules>();
  /**
   * Within batches (`beginBatch`), the facts of the entries liked, kept up to date by the likes
   * themselves; forgotten when anything else has written to the database since the last batch
   * (this connection's change counter, or another connection's commit), and after a failure.
   */
  private readonly known = new Map<string, EntryFacts>();
  private inBatch = false;
  private knownChanges = -1;
  private knownData = -1;

  constructor(private readonly db: Db) {
    const sql = db.$client;
    this.s = {
      facts: sql.prepare(`
        select e.id, e.status, e.hidden_at, e.household_id, e.like_count, e.qualified_at,
               r.status as round_status, r.starts_at, r.ends_at, r.campaign_id, r.period,
               c.status as campaign_status, c.title as campaign_title, c.like_threshold, c.rules
          from entries e join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id
         where e.id = ?`),
      mine: sql.prepare(`select id, status from likes where entry_id = ? and account_id = ? and status in ('active', 'voided') order by status limit 1`),
      // The daily cap is the person's: every like they gave today counts, whatever the entry.
      today: sql.prepare(`select count(*) as n from likes where account_id = ? and created_at >= ?`),
      insert: sql.prepare(`insert into likes (id, entry_id, account_id, created_at, ip_prefix, device_hash, status) values (?, ?, ?, ?, ?, ?, 'active')`),
      unlike: sql.prepare(UNLIKE_SQL),
      bump: sql.prepare(BUMP_SQL),
      qualify: sql.prepare(`update entries set status = ?, qualified_at = ?, updated_at = ? where id = ?`),
      // Statements are shared by their text (openDb), so these stay in object mode.
      changes: sql.prepare(`select total_changes() as n`),
      dataVersion: sql.prepare(`pragma data_version`),
    };
  }

  /** Start a batch: the entry facts kept since the last one still hold if nothing else wrote since. */
  beginBatch(): void {
    const changes = (this.s.changes!.get() as { n: number }).n;
    const data = (this.s.dataVersion!.get() as { data_version: number }).data_version;
    if (changes !== this.knownChanges || data !== this.knownData) this.known.clear();
    this.knownData = data;
    this.inBatch = true;
  }

  /** The batch is committed: what is known now is what the database holds. */
  committed(): void {
    this.knownChanges = (this.s.changes!.get() as { n: number }).n;
    this.inBatch = false;
  }

  /** The batch failed and was rolled back: what was learnt in it may not hold. */
  forget(): void {
    this.known.clear();
    this.knownChanges = -1;
    this.inBatch = false;
  }

  private rules(json: string): CampaignRules {
    let r = this.rulesCache.get(json);
    if (!r) this.rulesCache.set(json, (r = JSON.parse(json) as CampaignRules));
    return r;
  }

  private facts(entryId: string): EntryFacts {
    let f = this.inBatch ? this.known.get(entryId) : undefined;
    if (f) return f;
    f = this.s.facts!.get(entryId) as EntryFacts | undefined;
    if (!f) throw notFound('参评作品');
    if (this.inBatch) {
      if (this.known.size >= 10_000) this.known.clear();
      this.known.set(entryId, f);
    }
    return f;
  }

  /** Like or unlike; idempotent (liking twice is one like). Runs inside the caller's transaction. */
  apply(op: LikeOp): LikeOutcome {
    const f = this.facts(op.entryId);
    const mine = this.s.mine!.get(op.entryId, op.accountId) as { id: string; status: 'active' | 'voided' } | undefined;
    const rules = this.rules(f.rules);
    const refusal = likeRefusal(
      {
        now: op.now,
        round: { status: f.round_status, startsAt: f.starts_at, endsAt: f.ends_at },
        campaignOpen: f.campaign_status === 'open',
        entry: { status: f.status, hiddenAt: f.hidden_at, householdId: f.household_id },
        likerHouseholdId: op.likerHouseholdId,
        likesToday: op.kind === 'like' && !mine ? (this.s.today!.get(op.accountId, shanghaiDayStartOf(op.now)) as { n: number }).n : 0,
        dailyCap: rules.dailyLikeCap,
      },
      op.kind,
    );
    if (refusal) throw refusal;
    const iso = (t: number | null) => (t === null ? null : toShanghaiIso(t));

    if (op.kind === 'unlike') {
      const changed = this.s.unlike!.run(op.now, op.entryId, op.accountId).changes;
      const n = changed ? (this.s.bump!.get(-1, op.entryId) as { n: number }).n : f.like_count;
      f.like_count = n;
      return { likeCount: n, liked: false, qualifiedAt: iso(f.qualified_at) };
    }
    if (mine?.status === 'voided') {
      // A like the village voided as fraudulent stays voided; liking again does not bring it back.
      throw conflict('like_voided', '您对这个作品的点赞已被村干部作废，不能再点赞。如有疑问请联系村干部。');
    }
    if (mine) return { likeCount: f.like_count, liked: true, qualifiedAt: iso(f.qualified_at) };

    this.s.insert!.run(newTimeOrderedId('lk', op.now), op.entryId, op.accountId, op.now, op.ipPrefix, op.deviceHash);
    const n = (this.s.bump!.get(1, op.entryId) as { n: number }).n;
    f.like_count = n;
    const next = afterLike({ status: f.status, qualifiedAt: f.qualified_at }, n, f.like_threshold, op.now);
    if (next.status !== f.status) {
      const before = f.status;
      this.s.qualify!.run(next.status, next.qualifiedAt, op.now, op.entryId);
      f.status = next.status;
      f.qualified_at = next.qualifiedAt;
      appendAudit(this.db, { actorId: op.accountId, action: 'entry.qualify', subjectType: 'entry', subjectId: op.entryId, before: { status: before, likeCount: n - 1 }, after: { status: next.status, likeCount: n }, reason: `点赞达到 ${f.like_threshold} 个` }, op.now);
      notifyHousehold(this.db, f.household_id, 'threshold_reached', { entryId: op.entryId, likeCount: n }, thresholdWords(f.campaign_title, f.period, n), op.now);
    }
    return { likeCount: n, liked: true, qualifiedAt: iso(next.qualifiedAt) };
  }
}

/**
 * Group commit: like operations wait in a batch while the disk is busy, and the batch is
 * applied in one transaction as soon as it is free; each request is answered only after the
 * commit that holds it is on disk. A refusal (DomainError) is decided before anything is
 * written, so it leaves the batch intact; any other failure rolls the batch back and its likes
 * are applied one by one.
 *
 * Durability with synchronous=FULL: in WAL mode the one thing FULL adds to NORMAL is an fsync
 * of the WAL file when a transaction commits (SQLite, "PRAGMA synchronous"). The like batch
 * commits with that fsync left out and makes it itself, off the event loop (libuv's thread
 * pool), answering the batch's requests only when it has returned. So an acknowledged like is
 * as durable as under FULL, while the server goes on reading and checking the next requests
 * during the fsync instead of waiting for the disk. No batch commits during an fsync: its
 * likes would wait for the next fsync anyway, and committing them together after it writes
 * each touched page once instead of once per batch. Every other write of the connection keeps
 * FULL. With synchronous=NORMAL configured, a batch commits at the end of each turn of the
 * event loop and nothing is synced here.
 */
export class LikeWriter {
  private batch: Array<{ op: LikeOp; resolve(o: LikeOutcome): void; reject(e: unknown): void }> = [];
  private scheduled = false;
  private readonly store: LikeStore;
  private readonly runBatch: Database.Transaction<(items: LikeWriter['batch']) => Array<{ ok: true; value: LikeOutcome } | { ok: false; error: unknown }>>;
  private readonly runOne: Database.Transaction<(op: LikeOp) => LikeOutcome>;
  private readonly sql: Database.Database;
  /** Whether the connection is durable (FULL), so that this writer must sync the WAL itself. */
  private readonly durable: boolean;
  private walFd: number | null = null;
  private syncing = false;
  /** Told when the fsync under way returns: it covers every like committed so far. */
  private afterSync: Array<(error: Error | null) => void> = [];

  constructor(
    db: Db,
    /** How the WAL is synced; tests watch it. */
    private readonly syncFile: (fd: number, done: (error: Error | null) => void) => void = fsync,
  ) {
    this.sql = db.$client;
    this.store = new LikeStore(db);
    // Only in WAL mode is FULL "NORMAL plus an fsync of the WAL at commit"; otherwise SQLite keeps its own.
    this.durable = this.sql.pragma('synchronous', { simple: true }) === 2 && this.sql.pragma('journal_mode', { simple: true }) === 'wal';
    this.runOne = this.sql.transaction((op: LikeOp) => this.store.apply(op));
    this.runBatch = this.sql.transaction((items: LikeWriter['batch']) =>
      items.map((it) => {
        try {
          return { ok: true as const, value: this.store.apply(it.op) };
        } catch (error) {
          if (error instanceof DomainError) return { ok: false as const, error };
          throw error;
        }
      }),
    );
  }

  submit(op: LikeOp): Promise<LikeOutcome> {
    return new Promise((resolve, reject) => {
      this.batch.push({ op, resolve, reject });
      this.schedule();
    });
  }

  /** Commit at the end of this turn of the event loop, unless the disk is busy: then when it is done. */
  private schedule(): void {
    if (this.scheduled || this.syncing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const items = this.batch;
    if (!items.length) return;
    this.batch = [];
    let outcomes: ReturnType<LikeWriter['commit']>;
    try {
      outcomes = this.withoutCommitSync(() => this.commit(items));
    } catch (error) {
      // The connection itself failed (closed while stopping, the disk gone): nobody's like is saved.
      this.store.forget();
      for (const it of items) it.reject(error);
      return;
    }
    const answer = () => outcomes.forEach((r, i) => (r.ok ? items[i]!.resolve(r.value) : items[i]!.reject(r.error)));
    if (!this.durable) return answer();
    this.syncWal((error) => {
      if (!error) return answer();
      for (const it of items) it.reject(error);
    });
  }

  /** The batch in one transaction; if that fails for any reason but a refusal, each like on its own. */
  private commit(items: LikeWriter['batch']) {
    let done;
    try {
      this.store.beginBatch();
      done = this.runBatch.immediate(items);
    } catch {
      this.store.forget();
      const oneByOne = items.map((it) => {
        try {
          return { ok: true as const, value: this.runOne.immediate(it.op) };
        } catch (error) {
          return { ok: false as const, error };
        }
      });
      this.store.forget();
      return oneByOne;
    }
    try {
      this.store.committed();
    } catch {
      this.store.forget();
    }
    return done;
  }

  /** Resolves once every like committed so far is on disk. */
  synced(): Promise<void> {
    if (!this.syncing) return Promise.resolve();
    return new Promise((resolve, reject) => this.afterSync.push((error) => (error ? reject(error) : resolve())));
  }

  /** Run the batch's transaction with synchronous=NORMAL when the WAL is synced by `syncWal` instead. */
  private withoutCommitSync<T>(run: () => T): T {
    if (!this.durable) return run();
    this.sql.pragma('synchronous = NORMAL');
    try {
      return run();
    } finally {
      this.sql.pragma('synchronous = FULL');
    }
  }

  /** Sync the WAL, then settle the batch just committed and whoever waits on `synced()`, then commit what waited. */
  private syncWal(settle: (error: Error | null) => void): void {
    this.syncing = true;
    const done = (error: Error | null) => {
      this.syncing = false;
      const waiting = this.afterSync;
      this.afterSync = [];
      settle(error);
      for (const w of waiting) w(error);
      this.flush();
    };
    try {
      // The WAL keeps its inode while this connection is open (SQLite truncates or reuses it,
      // never replaces it), so one descriptor serves for the life of the server.
      this.walFd ??= openSync(`${this.sql.name}-wal`, 'r');
    } catch (error) {
      return done(error as Error);
    }
    this.syncFile(this.walFd, done);
  }
}

/** An entry the panel has already judged on site (scored, or found failing) keeps its qualification. */
function checkedOnSite(status: EntryState): boolean {
  return status !== 'submitted' && status !== 'qualified';
}

/** A cadre voids likes as fraudulent: rows marked with who and why, counts recomputed, qualification revisited. */
export function voidLikes(db: Db, likeIds: string[], reason: string, actorId: string, now: number) {
  const sql = db.$client;
  return db.transaction(() => {
    const rows = sql
      .prepare(`select id, entry_id as entryId, status from likes where id in (${likeIds.map(() => '?').join(',')})`)
      .all(...likeIds) as Array<{ id: string; entryId: string; status: string }>;
    const byEntry = new Map<string, string[]>();
    // Only a like that counts can be voided; one already taken back stays as the person left it.
    for (const r of rows.filter((r) => r.status === 'active')) byEntry.set(r.entryId, [...(byEntry.get(r.entryId) ?? []), r.id]);
    const markVoid = sql.prepare(`update likes set status = 'voided', voided_at = ?, voided_by = ?, void_reason = ? where id = ?`);
    const summary: Array<{ entryId: string; voided: number; likeCount: number; status: EntryState }> = [];
    for (const [entryId, ids] of byEntry) {
      const before = sql.prepare(`select status, qualified_at as qualifiedAt, like_count as likeCount, household_id as householdId from entries where id = ?`).get(entryId) as {
        status: EntryState;
        qualifiedAt: number | null;
        likeCount: number;
        householdId: string;
      };
      for (const id of ids) markVoid.run(now, actorId, reason, id);
      const count = (sql.prepare(`select count(*) as n from likes where entry_id = ? and status = 'active'`).get(entryId) as { n: number }).n;
      const campaign = sql.prepare(`select c.like_threshold as threshold, c.title, r.period from entries e join rounds r on r.id = e.round_id join campaigns c on c.id = r.campaign_id where e.id = ?`).get(entryId) as {
        threshold: number;
        title: string;
        period: string;
      };
      const next = afterVoid(before, count, campaign.threshold, checkedOnSite(before.status));
      sql.prepare(`update entries set like_count = ?, status = ?, qualified_at = ?, updated_at = ? where id = ?`).run(count, next.status, next.qualifiedAt, now, entryId);
      // The household hears of it, and why: it may have lost its place on the panel's list.
      const standing =
        before.status === 'qualified' && next.status !== 'qualified'
          ? `现在有 ${count} 个赞，还差 ${campaign.threshold - count} 个才重新达到门槛。`
          : `现在有 ${count} 个赞。`;
      notifyHousehold(
        db,
        before.householdId,
        'likes_voided',
        { entryId, voided: ids.length, likeCount: count, reason },
        `村干部核实后，作废了您家在「${campaign.title}」${periodLabel({ kind: 'round', period: campaign.period, campaignTitle: campaign.title }, 'beside_title')}作品的 ${ids.length} 个点赞。原因：${clause(reason)}。${standing}如有疑问请联系村干部。`,
        now,
      );
      appendAudit(
        db,
        { actorId, action: 'likes.void', subjectType: 'entry', subjectId: entryId, before: { likeCount: before.likeCount, status: before.status }, after: { likeCount: count, status: next.status, voidedLikeIds: ids }, reason },
        now,
      );
      summary.push({ entryId, voided: ids.length, likeCount: count, status: next.status });
    }
    return summary;
  });
}

export function hasActiveLike(db: Db, entryId: string, accountId: string): boolean {
  return !!db.$client.prepare(`select 1 from likes where entry_id = ? and account_id = ? and status = 'active'`).get(entryId, accountId);
}

/**
 * The suspicious likes of a round whose entries are in these villages, each with its reasons.
 * Suspicion is judged over the whole round, whichever villages its campaign spans (one account
 * liking fast across two villages is fast), so a like is flagged or not whoever looks at it: the
 * cadre's list and the console's count are both this.
 */
export function suspiciousLikesIn(db: Db, roundId: string, villageIds: ReadonlySet<string>) {
  const all = activeLikeFacts(db, roundId);
  const flagged = suspiciousLikes(all);
  return all.filter((l) => villageIds.has(l.villageId) && flagged.has(l.id)).map((l) => ({ ...l, reasons: flagged.get(l.id)! }));
}

/** The active likes of a round, with what the suspicion rules look at and each entry's village. */
function activeLikeFacts(db: Db, roundId: string) {
  return db.$client
    .prepare(
      `select l.id, l.entry_id as entryId, l.account_id as accountId, l.created_at as createdAt, l.ip_prefix as ipPrefix, l.device_hash as deviceHash,
              a.created_at as accountCreatedAt, a.phone, h.head_name as headName, e.village_id as villageId
         from likes l join entries e on e.id = l.entry_id join accounts a on a.id = l.account_id join households h on h.id = e.household_id
        where e.round_id = ? and l.status = 'active'`,
    )
    .all(roundId) as Array<LikeFact & { phone: string; headName: string; villageId: string }>;
}

/** The village of each of these likes' entries; unknown ids are simply absent. */
export function villagesOfLikes(db: Db, likeIds: string[]) {
  return db.$client
    .prepare(`select l.id, e.village_id as villageId from likes l join entries e on e.id = l.entry_id where l.id in (${likeIds.map(() => '?').join(',')})`)
    .all(...likeIds) as Array<{ id: string; villageId: string }>;
}
