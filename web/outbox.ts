import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { api, ApiError, type FieldProblem } from './api';
import { attemptOutcome } from './outbox-rules';
import { serverNow } from './server-clock';

/*
 * What the panel's outboxes share (score sheets in web/sheet-outbox.ts, on-site photos in
 * web/photo-outbox.ts): records kept in IndexedDB until the server has them, and one sender.
 *
 * - A record is written to IndexedDB *before* the first try, so a reload or a lost answer loses
 *   nothing; resending is safe because the server takes the same record twice as once.
 * - Sending: on `start()`, when the browser comes back `online`, when the page is shown again,
 *   every 20 s while something waits, and right after a record is kept. Records go out one after
 *   another, oldest first, and only under the account that made them (a shared phone).
 * - A failed try ends as `attemptOutcome` says: no line, 408, 429 or 5xx leaves the record waiting
 *   (and the rest behind it); 401 waits for a sign-in; any other refusal stops trying that record
 *   and keeps the server's message for the member.
 *
 * Each outbox is one object per page on purpose: one database, one sender; two senders in one page
 * would only race each other. Elements read it through a `KeptController`.
 */

export type OutboxState = 'pending' | 'sent' | 'failed';

export interface OutboxError {
  status: number;
  code: string;
  message: string;
  problems: FieldProblem[];
}

/**
 * What every kept record has. Its times are the server's (web/server-clock.ts), so that they
 * compare with the server's own (a sheet's updatedAt) and read right on a phone whose date is wrong.
 */
export interface OutboxRecord {
  id: string;
  accountId: string;
  state: OutboxState;
  queuedAt: number;
  attempts: number;
  lastTriedAt: number | null;
  sentAt: number | null;
  error: OutboxError | null;
}

export interface OutboxOptions<T extends OutboxRecord> {
  /** IndexedDB database and its one object store (keyPath `id`). */
  db: string;
  store: string;
  /** localStorage key present while something waits: read at start-up (web/main.ts). */
  waitingFlag: string;
  /** Web Lock name: another tab of the same phone sends instead of this one, not as well. */
  lock: string;
  /** Send one record; resolves with what to store once the server has it (null: forget the record). */
  deliver(record: T): Promise<Partial<T> | null>;
  /** Whether the stored record is still the one that was sent (not replaced meanwhile). */
  same?(stored: T, sent: T): boolean;
}

const RETRY_MS = 20_000;

export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function openDb(name: string, store: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(name, 1);
    } catch {
      return resolve(null);
    }
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(store)) req.result.createObjectStore(store, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    // private windows of some browsers refuse IndexedDB: the queue then lives as long as the page
    req.onerror = () => resolve(null);
  });
}

function problemsOf(e: ApiError): FieldProblem[] {
  return e.problems.map((p) => ({ field: p.field ?? '', problem: p.problem ?? '' }));
}

export class Outbox<T extends OutboxRecord> extends EventTarget {
  private db: Promise<IDBDatabase | null> | null = null;
  private readonly memory = new Map<string, T>();
  private sending: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The server said nobody is signed in: sending waits for a sign-in. */
  signedOut = false;

  constructor(private readonly opts: OutboxOptions<T>) {
    super();
  }

  /** Begin sending (idempotent): now, when the network returns, and every 20 s while records wait. */
  start(): void {
    if (this.timer) return;
    window.addEventListener('online', () => void this.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.flush();
    });
    this.timer = setInterval(() => {
      if (localStorage.getItem(this.opts.waitingFlag)) void this.flush();
    }, RETRY_MS);
    void this.prepare().then(() => this.flush());
  }

  /** Every record on this phone, newest first. */
  async list(): Promise<T[]> {
    const db = await this.open();
    let rows: T[];
    if (!db) rows = [...this.memory.values()];
    else {
      const tx = db.transaction(this.opts.store, 'readonly');
      const req = tx.objectStore(this.opts.store).getAll();
      await done(tx);
      rows = req.result as T[];
    }
    return rows.sort((a, b) => b.queuedAt - a.queuedAt);
  }

  /** Keep a record on the phone (replacing one of the same id), then try to send it. Rejects if the phone cannot store it. */
  protected async keep(record: T): Promise<T> {
    await this.update(record.id, () => record);
    void navigator.storage?.persist?.().catch(() => false);
    void this.flush();
    return record;
  }

  /** Forget a record the server refused. */
  async discard(id: string): Promise<void> {
    await this.update(id, (r) => (r && r.state !== 'pending' ? null : r));
  }

  /**
   * Forget a record whatever its state: the person takes it back before it is sent. One already
   * on its way may still arrive; the server then has it, and it can be taken back there.
   */
  async remove(id: string): Promise<void> {
    await this.update(id, () => null);
  }

  /** Send what waits, one record after another. Calls while sending share the same run. */
  flush(): Promise<void> {
    if (this.sending) {
      // a record kept while a run is under way goes out in the run right after it
      this.again = true;
      return this.sending;
    }
    const run = () => this.sendAll();
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    // another tab sending the same records would only be answered "already there"; let one tab do it
    const p = locks ? locks.request(this.opts.lock, { ifAvailable: true }, (lock) => (lock ? run() : undefined)) : run();
    this.sending = Promise.resolve(p)
      .catch(() => undefined)
      .finally(() => {
        this.sending = null;
        if (this.again) {
          this.again = false;
          void this.flush();
        }
      });
    return this.sending;
  }

  /** Runs once before the first send (tidying old records). */
  protected async prepare(): Promise<void> {}

  private async sendAll(): Promise<void> {
    const waiting = (await this.list()).filter((r) => r.state === 'pending').sort((a, b) => a.queuedAt - b.queuedAt);
    if (!waiting.length) return;
    let me;
    try {
      me = await api.me();
    } catch {
      return; // no network: the next try comes with `online` or the timer
    }
    this.setSignedOut(!me);
    if (!me) return;
    for (const r of waiting.filter((x) => x.accountId === me.id)) {
      try {
        const patch = await this.opts.deliver(r);
        await this.settle(r, patch && ({ state: 'sent', sentAt: serverNow(), error: null, ...patch } as Partial<T>));
      } catch (err) {
        const outcome = attemptOutcome(err instanceof ApiError ? err.status : null);
        if (outcome === 'signed_out') {
          this.setSignedOut(true);
          return;
        }
        if (outcome === 'wait') {
          await this.settle(r, {});
          return; // the network or the server is struggling: the rest waits too
        }
        const e = err as ApiError;
        await this.settle(r, { state: 'failed', error: { status: e.status, code: e.code, message: e.message, problems: problemsOf(e) } } as Partial<T>);
      }
    }
  }

  /** Record the result of one try (null: forget the record), unless the record was replaced or removed meanwhile. */
  private settle(r: T, patch: Partial<T> | null): Promise<void> {
    const same = this.opts.same ?? (() => true);
    return this.update(r.id, (cur) => {
      if (!cur || !same(cur, r)) return cur;
      return patch === null ? null : { ...cur, attempts: cur.attempts + 1, lastTriedAt: serverNow(), ...patch };
    });
  }

  private setSignedOut(v: boolean) {
    if (this.signedOut === v) return;
    this.signedOut = v;
    this.dispatchEvent(new Event('change'));
  }

  private open(): Promise<IDBDatabase | null> {
    this.db ??= openDb(this.opts.db, this.opts.store);
    return this.db;
  }

  /** Read-modify-write one record in one transaction; `null` deletes it, `undefined` leaves it. */
  protected async update(id: string, fn: (cur: T | undefined) => T | null | undefined): Promise<void> {
    const db = await this.open();
    if (!db) {
      const next = fn(this.memory.get(id));
      if (next === null) this.memory.delete(id);
      else if (next) this.memory.set(id, next);
    } else {
      const tx = db.transaction(this.opts.store, 'readwrite');
      const store = tx.objectStore(this.opts.store);
      const get = store.get(id);
      get.onsuccess = () => {
        const next = fn(get.result as T | undefined);
        if (next === null) store.delete(id);
        else if (next) store.put(next);
      };
      await done(tx);
    }
    const waiting = (await this.list()).some((r) => r.state === 'pending');
    try {
      if (waiting) localStorage.setItem(this.opts.waitingFlag, '1');
      else localStorage.removeItem(this.opts.waitingFlag);
    } catch {
      // storage full or refused: the panel pages still send when they are opened
    }
    this.dispatchEvent(new Event('change'));
  }
}

/**
 * Gives an element the records of an outbox on this phone and whether the browser is online,
 * and re-renders it when either changes. Starts the sender.
 */
export class KeptController<T extends OutboxRecord> implements ReactiveController {
  records: T[] = [];
  /** False until the first read of the database. */
  loaded = false;
  online = navigator.onLine;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly outbox: Outbox<T>,
  ) {
    host.addController(this);
  }

  get signedOut(): boolean {
    return this.outbox.signedOut;
  }

  hostConnected(): void {
    this.outbox.addEventListener('change', this.reload);
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
    this.outbox.start();
    void this.reload();
  }

  hostDisconnected(): void {
    this.outbox.removeEventListener('change', this.reload);
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
  }

  private readonly reload = async () => {
    this.records = await this.outbox.list();
    this.loaded = true;
    this.host.requestUpdate();
  };

  private readonly onNetwork = () => {
    this.online = navigator.onLine;
    this.host.requestUpdate();
  };
}
