import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { api, ApiError, type FieldProblem } from './api';
import { scoringApi, type SheetBody, type SheetOutcome } from './scoring-api';

/*
 * Score sheets wait on the phone (IndexedDB) until the server has them (DESIGN §6: "sheets are
 * queued on the phone and sent when the network returns, exactly once").
 *
 * - A sheet is written to IndexedDB *before* the first attempt, with its idempotency key. The key
 *   is made once per edit of the sheet, so every resend (lost answer, reload, another tab) carries
 *   the same key and the server answers `replayed` instead of storing it twice.
 * - One record per member and courtyard: a newer edit replaces a sheet still waiting (new key).
 * - Sending: on `start()`, when the browser comes back `online`, every 20 s while something waits,
 *   and right after a sheet is queued. A network failure, 408, 429 or 5xx leaves the sheet waiting;
 *   401 waits for a sign-in; any other refusal (400 invalid_sheet, 403, 409 scoring_closed, 409 revision_reason_required …) stops
 *   trying that sheet and keeps the server's message for the member.
 *
 * The outbox is one object per page on purpose: there is one database and one sender, and two
 * senders in one page would only race each other. Elements read it through `OutboxController`.
 */

export type OutboxState = 'pending' | 'sent' | 'failed';

export interface OutboxSheet {
  /** `${accountId}:${entryId}` */
  id: string;
  accountId: string;
  entryId: string;
  roundId: string;
  /** What the lists show: 岭畔村3号 · 陈建国. */
  doorNumber: string;
  headName: string;
  sheet: SheetBody;
  state: OutboxState;
  queuedAt: number;
  attempts: number;
  lastTriedAt: number | null;
  sentAt: number | null;
  outcome: SheetOutcome | null;
  error: { status: number; code: string; message: string; problems: FieldProblem[] } | null;
}

export type NewOutboxSheet = Pick<OutboxSheet, 'accountId' | 'entryId' | 'roundId' | 'doorNumber' | 'headName' | 'sheet'>;

const DB_NAME = 'courtyard-panel';
const STORE = 'sheets';
/** Read by main.ts at start-up, so that waiting sheets go out whichever page is opened. */
export const WAITING_FLAG = 'courtyard.outbox.waiting';
const RETRY_MS = 20_000;
/** Sent sheets stay listed ("已发送") for a week. */
const KEEP_SENT_MS = 7 * 86_400_000;

/** A key for one edit of a sheet. `randomUUID` needs a secure context; the fallback does not. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

function openDb(): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    let req: IDBOpenDBRequest;
    try {
      req = indexedDB.open(DB_NAME, 1);
    } catch {
      return resolve(null);
    }
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    // private windows of some browsers refuse IndexedDB: the queue then lives as long as the page
    req.onerror = () => resolve(null);
  });
}

/** A refusal that says nothing about the sheet itself: try again later. */
function transient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status === 0 || err.status === 408 || err.status === 429 || err.status >= 500;
}

class SheetOutbox extends EventTarget {
  private db: Promise<IDBDatabase | null> | null = null;
  private readonly memory = new Map<string, OutboxSheet>();
  private sending: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** The server said nobody is signed in: sending waits for a sign-in. */
  signedOut = false;

  /** Begin sending (idempotent): now, when the network returns, and every 20 s while sheets wait. */
  start(): void {
    if (this.timer) return;
    window.addEventListener('online', () => void this.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.flush();
    });
    this.timer = setInterval(() => {
      if (localStorage.getItem(WAITING_FLAG)) void this.flush();
    }, RETRY_MS);
    void this.prune().then(() => this.flush());
  }

  /** Every sheet on this phone, newest first. */
  async list(): Promise<OutboxSheet[]> {
    const db = await this.open();
    let rows: OutboxSheet[];
    if (!db) rows = [...this.memory.values()];
    else {
      const tx = db.transaction(STORE, 'readonly');
      const req = tx.objectStore(STORE).getAll();
      await done(tx);
      rows = req.result as OutboxSheet[];
    }
    return rows.sort((a, b) => b.queuedAt - a.queuedAt);
  }

  /** Keep a sheet on the phone (replacing one of the same courtyard still waiting), then try to send it. */
  async enqueue(input: NewOutboxSheet): Promise<OutboxSheet> {
    const record: OutboxSheet = {
      ...input,
      id: `${input.accountId}:${input.entryId}`,
      state: 'pending',
      queuedAt: Date.now(),
      attempts: 0,
      lastTriedAt: null,
      sentAt: null,
      outcome: null,
      error: null,
    };
    await this.update(record.id, () => record);
    void navigator.storage?.persist?.().catch(() => false);
    void this.flush();
    return record;
  }

  /** Forget a sheet the server refused (the member fills it in again). */
  async discard(id: string): Promise<void> {
    await this.update(id, (r) => (r && r.state !== 'pending' ? null : r));
  }

  /** Send what waits, one sheet after another. Calls while sending share the same run. */
  flush(): Promise<void> {
    if (this.sending) {
      // a sheet queued while a run is under way goes out in the run right after it
      this.again = true;
      return this.sending;
    }
    const run = () => this.sendAll();
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    // another tab sending the same sheets would only get `replayed`; let one tab do it
    const p = locks ? locks.request('courtyard-outbox', { ifAvailable: true }, (lock) => (lock ? run() : undefined)) : run();
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
    // a sheet goes out only under the account that filled it in (a shared phone)
    for (const r of waiting.filter((x) => x.accountId === me.id)) {
      try {
        const res = await scoringApi.putSheet(r.entryId, r.sheet);
        await this.settle(r, { state: 'sent', outcome: res.outcome, sentAt: Date.now(), error: null });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          this.setSignedOut(true);
          return;
        }
        if (transient(err)) {
          await this.settle(r, {});
          return; // the network or the server is struggling: the rest waits too
        }
        const e = err as ApiError;
        await this.settle(r, {
          state: 'failed',
          error: { status: e.status, code: e.code, message: e.message, problems: e.problems.map((p) => ({ field: p.field ?? '', problem: p.problem ?? '' })) },
        });
      }
    }
  }

  /** Record the result of one attempt, unless the member has edited the sheet meanwhile (new key). */
  private settle(r: OutboxSheet, patch: Partial<OutboxSheet>): Promise<void> {
    return this.update(r.id, (cur) =>
      cur && cur.sheet.idempotencyKey === r.sheet.idempotencyKey
        ? { ...cur, attempts: cur.attempts + 1, lastTriedAt: Date.now(), ...patch }
        : cur,
    );
  }

  private setSignedOut(v: boolean) {
    if (this.signedOut === v) return;
    this.signedOut = v;
    this.dispatchEvent(new Event('change'));
  }

  private async prune(): Promise<void> {
    const old = (await this.list()).filter((r) => r.state === 'sent' && (r.sentAt ?? 0) < Date.now() - KEEP_SENT_MS);
    for (const r of old) await this.update(r.id, () => null);
  }

  private open(): Promise<IDBDatabase | null> {
    this.db ??= openDb();
    return this.db;
  }

  /** Read-modify-write one record in one transaction; `null` deletes it, `undefined` leaves it. */
  private async update(id: string, fn: (cur: OutboxSheet | undefined) => OutboxSheet | null | undefined): Promise<void> {
    const db = await this.open();
    if (!db) {
      const next = fn(this.memory.get(id));
      if (next === null) this.memory.delete(id);
      else if (next) this.memory.set(id, next);
    } else {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const get = store.get(id);
      get.onsuccess = () => {
        const next = fn(get.result as OutboxSheet | undefined);
        if (next === null) store.delete(id);
        else if (next) store.put(next);
      };
      await done(tx);
    }
    const waiting = (await this.list()).some((r) => r.state === 'pending');
    try {
      if (waiting) localStorage.setItem(WAITING_FLAG, '1');
      else localStorage.removeItem(WAITING_FLAG);
    } catch {
      // storage full or refused: the panel pages still send when they are opened
    }
    this.dispatchEvent(new Event('change'));
  }
}

export const sheetOutbox = new SheetOutbox();

/**
 * Gives an element the sheets on this phone and whether the browser is online, and re-renders
 * it when either changes. Starts the sender.
 */
export class OutboxController implements ReactiveController {
  sheets: OutboxSheet[] = [];
  /** False until the first read of the database. */
  loaded = false;
  online = navigator.onLine;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get signedOut(): boolean {
    return sheetOutbox.signedOut;
  }

  hostConnected(): void {
    sheetOutbox.addEventListener('change', this.reload);
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
    sheetOutbox.start();
    void this.reload();
  }

  hostDisconnected(): void {
    sheetOutbox.removeEventListener('change', this.reload);
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
  }

  /** The sheet on this phone for this member and courtyard, if any. */
  find(accountId: string, entryId: string): OutboxSheet | undefined {
    return this.sheets.find((s) => s.accountId === accountId && s.entryId === entryId);
  }

  mine(accountId: string, roundId?: string): OutboxSheet[] {
    return this.sheets.filter((s) => s.accountId === accountId && (!roundId || s.roundId === roundId));
  }

  private readonly reload = async () => {
    this.sheets = await sheetOutbox.list();
    this.loaded = true;
    this.host.requestUpdate();
  };

  private readonly onNetwork = () => {
    this.online = navigator.onLine;
    this.host.requestUpdate();
  };
}
