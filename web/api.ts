import { msg } from '@lit/localize';
import type { z } from 'zod';
import type * as Audit from '../server/contracts/audit';
import type * as Auth from '../server/contracts/auth';
import type * as Campaigns from '../server/contracts/campaigns';
import type * as Common from '../server/contracts/common';
import type * as Entries from '../server/contracts/entries';
import type * as Households from '../server/contracts/households';
import type * as Inbox from '../server/contracts/inbox';
import type * as Likes from '../server/contracts/likes';
import type * as Places from '../server/contracts/places';
import { heardFromServer } from './i18n/server-text';
import { heardServerDate } from './server-clock';

/*
 * Typed client for the Courtyard HTTP API (DESIGN §6). Every shape is the server contract's own
 * type (server/contracts/*.ts, type-only imports: no zod in the bundle), so a change to what the
 * server sends fails the web's typecheck instead of a villager's page. Request bodies are the
 * contracts' input types (what may be sent, before defaults).
 */

// ---------- shapes ----------

export type RoleKind = z.infer<typeof Common.RoleKind>;
export type Role = z.infer<typeof Auth.RoleView>;
export type HouseholdStatus = z.infer<typeof Common.HouseholdStatus>;

/** What waits for a village's cadre: registrations, suspicious likes, unscored entries, objections, rewards to pay. */
export type VillageTodo = z.infer<typeof Places.VillageTodo>;
export type MyHousehold = z.infer<typeof Auth.MyHousehold>;
export type User = z.infer<typeof Auth.User>;
export type OtpSent = z.infer<typeof Auth.OtpResponse>;
export type Town = z.infer<typeof Places.TownSummary>;
export type Village = z.infer<typeof Places.VillageSummary>;

export type CampaignFormat = z.infer<typeof Common.CampaignFormat>;
export type CampaignStatus = z.infer<typeof Common.CampaignStatus>;
export type RoundStatus = z.infer<typeof Common.RoundStatus>;

export type VillageDetail = z.infer<typeof Places.VillageDetail>;
/** A campaign as the village page lists it: with its like threshold and current round. */
export type VillageCampaign = VillageDetail['campaigns'][number];
/** The round a village page shows for a campaign: the one running now, else the latest begun. */
export type CurrentRound = NonNullable<VillageCampaign['currentRound']>;
/** What every list of campaigns shows, whether it came from a village page or the console. */
export type CampaignBrief = Pick<VillageCampaign, 'id' | 'title' | 'format' | 'status' | 'startsAt' | 'endsAt'>;

export type HouseholdMember = z.infer<typeof Households.HouseholdMember>;
export type Household = z.infer<typeof Households.Household>;
export type HouseholdCreate = z.input<typeof Households.HouseholdCreate>;
export type HouseholdCorrection = z.input<typeof Households.HouseholdCorrection>;
export type RosterProblem = z.infer<typeof Households.RosterProblem>;
export type ImportResult = z.infer<typeof Households.ImportResult>;

export type Criterion = z.infer<typeof Campaigns.Criterion>;
export type Campaign = z.infer<typeof Campaigns.Campaign>;
export type CampaignRules = Campaign['rules'];
export type Round = z.infer<typeof Campaigns.Round>;
export type CampaignCreate = z.input<typeof Campaigns.CampaignCreate>;

/** One problem the server found in a submitted form, by field path (e.g. `months.to`). */
export interface FieldProblem {
  field: string;
  problem: string;
}

export type EntryStatus = z.infer<typeof Common.EntryStatus>;
export type PhotoKind = z.infer<typeof Entries.PhotoKind>;
export const PHOTO_KINDS: readonly PhotoKind[] = ['overview', 'before', 'after', 'detail'];

/** An entry as `GET /api/entries/:id` gives it. */
export type Entry = z.infer<typeof Entries.Entry>;
export type EntryPhoto = Entry['photos'][number];
/** An entry as its cadres review it, with the family's head and door. */
export type ReviewEntry = z.infer<typeof Entries.ReviewEntry>;
/** Why and when a cadre hid an entry or a photo. */
export type Hidden = NonNullable<Entry['hidden']>;
/** A card of a round's public gallery. */
export type EntryCard = z.infer<typeof Entries.EntryCard>;
export type EntryGalleryPage = z.infer<typeof Entries.EntryList>;
export type EntryUpdate = z.input<typeof Entries.EntryUpdate>;

export type LikeResult = z.infer<typeof Likes.LikeResult>;
export type Notice = z.infer<typeof Inbox.Notice>;

export type PhotoFlags = z.infer<typeof Entries.PhotoFlags>;
export type ReusedPhoto = PhotoFlags['reused'][number];
/** One side of a reused-photo flag (the cadre sees the head's name). */
export type FlaggedPhoto = ReusedPhoto['photo'];

/** One line of the audit log, as its cadres read it. */
export type AuditRow = z.infer<typeof Audit.AuditRow>;
export type SuspiciousLike = z.infer<typeof Likes.SuspiciousLike>;
export type VoidResult = z.infer<typeof Likes.VoidResult>;

// ---------- errors ----------

/**
 * A refused or failed request. `message` is a sentence for the user (the server writes it in
 * Chinese); `status` is 0 when the network itself failed.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** From Retry-After on a 429, in seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Per-field problems from a 400 (`details.problems`), if the server sent them. */
  get problems(): Array<Partial<RosterProblem & FieldProblem>> {
    const d = this.details as { problems?: unknown } | undefined;
    return Array.isArray(d?.problems) ? (d.problems as Array<Partial<RosterProblem & FieldProblem>>) : [];
  }
}

/** Words for any thrown value, for showing to a person. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof DOMException && err.name === 'AbortError') return '';
  return msg('出了点问题，请稍后再试。', { id: 'error.unknown' });
}

// ---------- transport ----------

interface RequestInit2 {
  /** Let the request outlive the page (sent as the page is closed). */
  keepalive?: boolean;
  /** JSON body; every state-changing request sends one (`{}` when there is nothing to say). */
  json?: unknown;
  /** A raw text body with its own content type (CSV roster). */
  text?: { body: string; contentType: string };
  /** A multipart body (a photo); the browser writes its content type with the boundary. */
  form?: FormData;
  signal?: AbortSignal | undefined;
  /** Give up after this long instead of the usual (a like is small, and safe to send again). */
  timeoutMs?: number;
}

/** One request to the API, answered with JSON; a refusal or a failed network throws an `ApiError`. */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, init: RequestInit2 = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | FormData | undefined;
  if (init.form) {
    body = init.form;
  } else if (init.text) {
    headers['content-type'] = init.text.contentType;
    body = init.text.body;
  } else if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json ?? {});
  }
  // A weak line can leave a request hanging with no error at all: past its time it is given up,
  // so that the page can say so and offer to try again instead of loading for ever.
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      stop.abort();
    },
    init.timeoutMs ?? (init.form ? FORM_TIMEOUT_MS : method === 'GET' ? READ_TIMEOUT_MS : WRITE_TIMEOUT_MS),
  );
  const callerAborted = () => stop.abort();
  init.signal?.addEventListener('abort', callerAborted, { once: true });
  if (init.signal?.aborted) stop.abort();
  let res: Response;
  let text: string;
  try {
    const sentAt = Date.now();
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: stop.signal, keepalive: init.keepalive ?? false });
    heardServerDate(res.headers.get('date'), sentAt, Date.now());
    text = await res.text();
  } catch (err) {
    if (timedOut) throw timeoutError(method !== 'GET');
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError();
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', callerAborted);
  }
  const data = parseJson(text);
  if (!res.ok) throw failure(res.status, data, res.headers.get('retry-after'));
  return data as T;
}

/** How long a request may take before it is given up: a read, a change, a photo sent by fetch. */
const READ_TIMEOUT_MS = 30_000;
const WRITE_TIMEOUT_MS = 45_000;
const FORM_TIMEOUT_MS = 180_000;
const LIKE_TIMEOUT_MS = 15_000;

/**
 * The error a refused request stands for, from its status, parsed body and Retry-After. The
 * server's sentences are remembered as its own, to be marked Chinese where they are shown.
 */
function failure(status: number, data: unknown, retryAfter: string | null): ApiError {
  const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const retry = Number(retryAfter);
  heardFromServer(e?.message);
  const problems = (e?.details as { problems?: unknown } | undefined)?.problems;
  if (Array.isArray(problems)) for (const p of problems) heardFromServer((p as { problem?: string } | null)?.problem);
  return new ApiError(
    status,
    e?.code ?? `http_${status}`,
    e?.message ??
      (status === 413
        ? msg('照片太大，上传不了。请换一张照片。', { id: 'error.tooLarge' })
        : msg('服务器暂时出了问题，请稍后再试。', { id: 'error.server' })),
    e?.details,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

function networkError(): ApiError {
  return new ApiError(0, 'network', msg('网络连不上。请检查手机信号或无线网络，然后再试一次。', { id: 'error.network' }));
}

/** A request given up after waiting too long; a change may have been made all the same. */
function timeoutError(change: boolean): ApiError {
  return new ApiError(
    0,
    'timeout',
    change
      ? msg('网络太慢，等了很久没有回应。请到信号好的地方再试一次；如果刚才已经办成，刷新后就能看到。', { id: 'error.timeoutChange' })
      : msg('网络太慢，等了很久没有回应。请到信号好的地方再试一次。', { id: 'error.timeout' }),
  );
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export interface UploadOptions {
  /** Called as bytes go out: `sent` of `total` bytes of the whole request. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Add one photo to an entry (multipart `kind` + `file`). XMLHttpRequest rather than fetch,
 * because only it reports upload progress. The browser sets the multipart boundary and the
 * Origin header itself.
 */
function uploadPhoto(entryId: string, photo: Blob, kind: PhotoKind, opts: UploadOptions = {}): Promise<Entry> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', photo, photo.type === 'image/jpeg' ? 'photo.jpg' : photo.type === 'image/png' ? 'photo.png' : 'photo.webp');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/entries/${q(entryId)}/photos`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded, e.total);
    };
    // A line that stops moving is given up: no bytes out for a while, or no answer long after
    // the last byte (the server needs seconds to process a photo, not minutes).
    let lastMoved = Date.now();
    let stalled = false;
    xhr.upload.addEventListener('progress', () => (lastMoved = Date.now()));
    xhr.upload.addEventListener('load', () => (lastMoved = Date.now()));
    let sent = false;
    xhr.upload.addEventListener('load', () => (sent = true));
    const watch = setInterval(() => {
      // Once every byte is out, the server needs time to process the photo: wait longer for its answer.
      if (Date.now() - lastMoved < (sent ? ANSWER_WAIT_MS : UPLOAD_STALL_MS)) return;
      stalled = true;
      xhr.abort();
    }, 1000);
    const settle = (then: () => void) => () => {
      clearInterval(watch);
      then();
    };
    xhr.onload = settle(() => {
      const data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve((data as { entry: Entry }).entry);
      else reject(failure(xhr.status, data, xhr.getResponseHeader('retry-after')));
    });
    xhr.onerror = settle(() => reject(networkError()));
    xhr.onabort = settle(() => reject(stalled ? timeoutError(true) : new DOMException('upload aborted', 'AbortError')));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** An upload that has not moved for this long is given up (and can be sent again). */
const UPLOAD_STALL_MS = 45_000;
const ANSWER_WAIT_MS = 120_000;

const q = (v: string) => encodeURIComponent(v);

/** Who is signed in; the panel's offline copy keeps this answer too. */
export const SESSION_PATH = '/api/session';

// ---------- endpoints ----------

export const api = {
  /** The signed-in account, or null when nobody is signed in (`/api/session` answers 200 either way). */
  me: async (signal?: AbortSignal): Promise<User | null> => (await request<{ user: User | null }>('GET', SESSION_PATH, { signal })).user,
  requestOtp: (phone: string) => request<OtpSent>('POST', '/api/auth/otp', { json: { phone } }),
  login: async (phone: string, code: string) =>
    (await request<{ user: User }>('POST', '/api/auth/login', { json: { phone, code } })).user,
  logout: () => request<unknown>('POST', '/api/auth/logout', { json: {} }),

  towns: async (signal?: AbortSignal) => (await request<{ towns: Town[] }>('GET', '/api/places/towns', { signal })).towns,
  villages: async (townId: string, signal?: AbortSignal) =>
    (await request<{ villages: Village[] }>('GET', `/api/places/villages?town=${q(townId)}`, { signal })).villages,
  village: (id: string, signal?: AbortSignal) => request<VillageDetail>('GET', `/api/villages/${q(id)}`, { signal }),
  /** What waits for the village's cadre (its console's tabs show the counts). */
  auditTrail: async (subject: string, signal?: AbortSignal) => (await request<{ rows: AuditRow[] }>('GET', `/api/audit?subject=${q(subject)}`, { signal })).rows,
  villageTodo: (id: string, signal?: AbortSignal) => request<VillageTodo>('GET', `/api/villages/${q(id)}/todo`, { signal }),

  registerHousehold: async (body: HouseholdCreate) =>
    (await request<{ household: Household | MyHousehold }>('POST', '/api/households', { json: body })).household,
  /** The family corrects its registration while it waits for the cadre. */
  correctHousehold: async (id: string, body: Omit<HouseholdCreate, 'proxy'>) =>
    (await request<{ household: Household }>('PATCH', `/api/households/${q(id)}`, { json: body })).household,
  households: async (villageId: string, status: HouseholdStatus | undefined, signal?: AbortSignal) =>
    (
      await request<{ households: Household[] }>(
        'GET',
        `/api/villages/${q(villageId)}/households${status ? `?status=${status}` : ''}`,
        { signal },
      )
    ).households,
  confirmHousehold: async (id: string) =>
    (await request<{ household: Household }>('POST', `/api/households/${q(id)}/confirm`, { json: {} })).household,
  rejectHousehold: async (id: string, reason: string) =>
    (await request<{ household: Household }>('POST', `/api/households/${q(id)}/reject`, { json: { reason } })).household,
  addHouseholdMember: async (id: string, phone: string) =>
    (await request<{ household: Household }>('POST', `/api/households/${q(id)}/members`, { json: { phone } })).household,
  removeHouseholdMember: async (id: string, accountId: string) =>
    (await request<{ household: Household }>('DELETE', `/api/households/${q(id)}/members/${q(accountId)}`)).household,
  /** All or nothing; with `skipProblemRows` the rows without a problem go in and the rest come back as `skipped`. */
  importRoster: (villageId: string, csv: string, skipProblemRows = false) =>
    request<ImportResult>('POST', `/api/villages/${q(villageId)}/households/import${skipProblemRows ? '?skip=problem_rows' : ''}`, {
      text: { body: csv, contentType: 'text/csv' },
    }),

  campaigns: async (villageId: string, signal?: AbortSignal) =>
    (await request<{ campaigns: Campaign[] }>('GET', `/api/campaigns?village=${q(villageId)}`, { signal })).campaigns,
  createCampaign: async (body: CampaignCreate) =>
    (await request<{ campaign: Campaign }>('POST', '/api/campaigns', { json: body })).campaign,
  /** A campaign and its rounds (accepts `{campaign, rounds}` or the campaign with `rounds` inline). */
  async campaign(id: string, signal?: AbortSignal): Promise<{ campaign: Campaign; rounds: Round[] }> {
    const body = await request<{ campaign?: Campaign; rounds?: Round[] } & Partial<Campaign>>(
      'GET',
      `/api/campaigns/${q(id)}`,
      { signal },
    );
    const campaign = body.campaign ?? (body as Campaign);
    const rounds = body.rounds ?? (await api.rounds(id, signal));
    return { campaign, rounds: [...rounds].sort((a, b) => a.seq - b.seq) };
  },
  rounds: async (campaignId: string, signal?: AbortSignal) =>
    (await request<{ rounds: Round[] }>('GET', `/api/campaigns/${q(campaignId)}/rounds`, { signal })).rounds,
  transitionCampaign: (id: string, to: 'open' | 'closed') =>
    request<unknown>('POST', `/api/campaigns/${q(id)}/transition`, { json: { to } }),
  transitionRound: (id: string, to: RoundStatus, reason?: string) =>
    request<unknown>('POST', `/api/rounds/${q(id)}/transition`, { json: reason ? { to, reason } : { to } }),

  /** A round's public gallery, most liked first. */
  roundEntries: (roundId: string, limit: number, offset: number, signal?: AbortSignal) =>
    request<EntryGalleryPage>('GET', `/api/rounds/${q(roundId)}/entries?limit=${limit}&offset=${offset}`, { signal }),
  entry: async (id: string, signal?: AbortSignal) => (await request<{ entry: Entry }>('GET', `/api/entries/${q(id)}`, { signal })).entry,
  /**
   * Enter a household in a round (its own, or `householdId` for 代录). When it has entered
   * already, answers that entry's id instead of failing (`existed: true`).
   */
  async enterRound(roundId: string, householdId?: string): Promise<{ entryId: string; existed: boolean }> {
    try {
      const { entry } = await request<{ entry: Entry }>('POST', `/api/rounds/${q(roundId)}/entries`, {
        json: householdId ? { householdId } : {},
      });
      return { entryId: entry.id, existed: false };
    } catch (err) {
      const id = err instanceof ApiError && err.code === 'entry_exists' ? (err.details as { entryId?: unknown } | undefined)?.entryId : undefined;
      if (typeof id === 'string') return { entryId: id, existed: true };
      throw err;
    }
  },
  updateEntry: async (id: string, patch: EntryUpdate, opts: { keepalive?: boolean } = {}) =>
    (await request<{ entry: Entry }>('PATCH', `/api/entries/${q(id)}`, { json: patch, ...opts })).entry,
  uploadPhoto,
  deletePhoto: async (id: string, photoId: string) =>
    (await request<{ entry: Entry }>('DELETE', `/api/entries/${q(id)}/photos/${q(photoId)}`)).entry,
  submitEntry: async (id: string) => (await request<{ entry: Entry }>('POST', `/api/entries/${q(id)}/submit`, { json: {} })).entry,
  withdrawEntry: async (id: string) => (await request<{ entry: Entry }>('POST', `/api/entries/${q(id)}/withdraw`, { json: {} })).entry,
  /** Like or unlike: idempotent, so a request whose answer was lost can simply be sent again. */
  like: (id: string) => request<LikeResult>('PUT', `/api/entries/${q(id)}/like`, { timeoutMs: LIKE_TIMEOUT_MS }),
  unlike: (id: string) => request<LikeResult>('DELETE', `/api/entries/${q(id)}/like`, { timeoutMs: LIKE_TIMEOUT_MS }),
  /** Addresses of an entry's QR code (SVG) and share poster (PNG download). */
  entryQrUrl: (id: string) => `/api/entries/${q(id)}/qr.svg`,
  entryPosterUrl: (id: string) => `/api/entries/${q(id)}/poster.png`,

  myEntries: async (signal?: AbortSignal) => (await request<{ entries: Entry[] }>('GET', '/api/me/entries', { signal })).entries,
  notifications: (signal?: AbortSignal) => request<{ notifications: Notice[]; unread: number }>('GET', '/api/me/notifications', { signal }),
  markNoticeRead: (id: string) => request<unknown>('POST', `/api/me/notifications/${q(id)}/read`, { json: {} }),

  reviewEntries: async (roundId: string, signal?: AbortSignal) =>
    (await request<{ entries: ReviewEntry[] }>('GET', `/api/rounds/${q(roundId)}/review`, { signal })).entries,
  clearPhotoFlags: (entryId: string, photoId: string, reason: string) =>
    request<{ ok: true }>('POST', `/api/entries/${q(entryId)}/photos/${q(photoId)}/flags-cleared`, { json: { reason } }),
  moderate: async (entryId: string, body: { action: 'hide' | 'restore'; reason: string; photoId?: string }) =>
    (await request<{ entry: Entry }>('POST', `/api/entries/${q(entryId)}/moderation`, { json: body })).entry,
  photoFlags: (roundId: string, signal?: AbortSignal) => request<PhotoFlags>('GET', `/api/rounds/${q(roundId)}/photo-flags`, { signal }),
  suspiciousLikes: async (roundId: string, signal?: AbortSignal) =>
    (await request<{ likes: SuspiciousLike[] }>('GET', `/api/rounds/${q(roundId)}/suspicious-likes`, { signal })).likes,
  voidLikes: (likeIds: string[], reason: string) => request<VoidResult>('POST', '/api/likes/void', { json: { likeIds, reason } }),
};
