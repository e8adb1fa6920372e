import type { ReactiveControllerHost } from 'lit';
import { KeptController, Outbox, type OutboxRecord } from './outbox';
import { newIdempotencyKey } from './sheet-outbox';
import { scoringApi, type OnsitePhoto } from './scoring-api';
import { serverNow } from './server-clock';

/*
 * On-site photos a panel member takes without signal wait on the phone (IndexedDB, a database of
 * their own beside the sheets') until the server has them; the keeping and sending are
 * web/outbox.ts's. A photo is shrunk before it is kept, and those bytes are what is sent, every
 * time: the server takes the same file sent twice to one sheet as the photo it already has.
 * Once the server has a photo it is removed from the phone (the strip shows the server's copy);
 * one it refuses stays, with the server's words, until the member removes it.
 */

export interface OutboxPhoto extends OutboxRecord {
  entryId: string;
  roundId: string;
  /** What the lists show: 岭畔村3号 · 陈建国. */
  doorNumber: string;
  headName: string;
  /** The shrunk JPEG, as it goes to the server. */
  photo: Blob;
}

export type NewOutboxPhoto = Pick<OutboxPhoto, 'accountId' | 'entryId' | 'roundId' | 'doorNumber' | 'headName' | 'photo'>;

/** Read by main.ts at start-up, so that waiting photos go out whichever page is opened. */
export const PHOTOS_WAITING_FLAG = 'courtyard.photos.waiting';

/** `detail` of the `photos-sent` event: a sheet's photos on the server, after one of them arrived. */
export interface PhotosSent {
  accountId: string;
  entryId: string;
  photos: OnsitePhoto[];
}

class PhotoOutbox extends Outbox<OutboxPhoto> {
  constructor() {
    super({
      db: 'courtyard-panel-photos',
      store: 'photos',
      waitingFlag: PHOTOS_WAITING_FLAG,
      lock: 'courtyard-photo-outbox',
      deliver: async (r) => {
        // the record's id names the photo: sent again after a lost answer, it is the same photo
        const photos = await scoringApi.addOnsitePhoto(r.entryId, r.photo, r.id);
        this.dispatchEvent(new CustomEvent<PhotosSent>('photos-sent', { detail: { accountId: r.accountId, entryId: r.entryId, photos } }));
        return null;
      },
    });
  }

  /** Keep a shrunk photo on the phone, then try to send it. Rejects when the phone has no room to store it. */
  enqueue(input: NewOutboxPhoto): Promise<OutboxPhoto> {
    return this.keep({ ...input, id: newIdempotencyKey(), state: 'pending', queuedAt: serverNow(), attempts: 0, lastTriedAt: null, sentAt: null, error: null });
  }
}

export const photoOutbox = new PhotoOutbox();

/** The on-site photos on this phone, for an element. Starts the sender. */
export class PhotoOutboxController extends KeptController<OutboxPhoto> {
  constructor(host: ReactiveControllerHost) {
    super(host, photoOutbox);
  }

  /** This member's photos (of one sheet, or of one round), oldest first: the order they go out in. */
  mine(accountId: string, where: { entryId?: string; roundId?: string } = {}): OutboxPhoto[] {
    return this.records
      .filter((p) => p.accountId === accountId && (!where.entryId || p.entryId === where.entryId) && (!where.roundId || p.roundId === where.roundId))
      .sort((a, b) => a.queuedAt - b.queuedAt);
  }
}
