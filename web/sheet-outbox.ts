import type { ReactiveControllerHost } from 'lit';
import { KeptController, Outbox, type OutboxRecord } from './outbox';
import { scoringApi, type SheetBody, type SheetOutcome } from './scoring-api';
import { serverNow } from './server-clock';

/*
 * Score sheets wait on the phone (IndexedDB) until the server has them (DESIGN §6: "sheets are
 * queued on the phone and sent when the network returns, exactly once"); the keeping and sending
 * are web/outbox.ts's.
 *
 * - The idempotency key is made once per edit of the sheet, so every resend (lost answer, reload,
 *   another tab) carries the same key and the server answers `replayed` instead of storing it twice.
 * - One record per member and courtyard: a newer edit replaces a sheet still waiting (new key).
 * - Refusals the member acts on: 400 invalid_sheet, 403, 409 scoring_closed, 409 revision_reason_required …
 */

export type { OutboxState } from './outbox';

export interface OutboxSheet extends OutboxRecord {
  /** `${accountId}:${entryId}` */
  id: string;
  entryId: string;
  roundId: string;
  /** What the lists show: 岭畔村3号 · 陈建国. */
  doorNumber: string;
  headName: string;
  sheet: SheetBody;
  outcome: SheetOutcome | null;
}

export type NewOutboxSheet = Pick<OutboxSheet, 'accountId' | 'entryId' | 'roundId' | 'doorNumber' | 'headName' | 'sheet'>;

/** Read by main.ts at start-up, so that waiting sheets go out whichever page is opened. */
export const WAITING_FLAG = 'courtyard.outbox.waiting';
/** Sent sheets stay listed ("已发送") for a week. */
const KEEP_SENT_MS = 7 * 86_400_000;

/** A key for one edit of a sheet. `randomUUID` needs a secure context; the fallback does not. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

class SheetOutbox extends Outbox<OutboxSheet> {
  constructor() {
    super({
      db: 'courtyard-panel',
      store: 'sheets',
      waitingFlag: WAITING_FLAG,
      lock: 'courtyard-outbox',
      deliver: async (r) => ({ outcome: (await scoringApi.putSheet(r.entryId, r.sheet)).outcome }),
      // the member edited the sheet meanwhile (new key): the answer is for an older edit
      same: (stored, sent) => stored.sheet.idempotencyKey === sent.sheet.idempotencyKey,
    });
  }

  /** Keep a sheet on the phone (replacing one of the same courtyard still waiting), then try to send it. */
  enqueue(input: NewOutboxSheet): Promise<OutboxSheet> {
    return this.keep({
      ...input,
      id: `${input.accountId}:${input.entryId}`,
      state: 'pending',
      queuedAt: serverNow(),
      attempts: 0,
      lastTriedAt: null,
      sentAt: null,
      outcome: null,
      error: null,
    });
  }

  protected override async prepare(): Promise<void> {
    const old = (await this.list()).filter((r) => r.state === 'sent' && (r.sentAt ?? 0) < serverNow() - KEEP_SENT_MS);
    for (const r of old) await this.update(r.id, () => null);
  }
}

export const sheetOutbox = new SheetOutbox();

/**
 * Gives an element the sheets on this phone and whether the browser is online, and re-renders
 * it when either changes. Starts the sender.
 */
export class OutboxController extends KeptController<OutboxSheet> {
  constructor(host: ReactiveControllerHost) {
    super(host, sheetOutbox);
  }

  get sheets(): OutboxSheet[] {
    return this.records;
  }

  /** The sheet on this phone for this member and courtyard, if any. */
  find(accountId: string, entryId: string): OutboxSheet | undefined {
    return this.sheets.find((s) => s.accountId === accountId && s.entryId === entryId);
  }

  mine(accountId: string, roundId?: string): OutboxSheet[] {
    return this.sheets.filter((s) => s.accountId === accountId && (!roundId || s.roundId === roundId));
  }
}
