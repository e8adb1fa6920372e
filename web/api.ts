import { msg } from '@lit/localize';

/*
 * Typed client for the Courtyard HTTP API (DESIGN §6). The types mirror the zod contracts in
 * server/contracts/*.ts by hand, so the web bundle never pulls zod in.
 */

// ---------- shapes ----------

export type RoleKind = 'village_cadre' | 'town_admin' | 'grid_worker';
export interface Role {
  kind: RoleKind;
  /** A village code (village_cadre, grid_worker) or a town code (town_admin). */
  scopeId: string;
  scopeName: string;
}

export type HouseholdStatus = 'pending' | 'confirmed' | 'rejected';

/** What waits for a village's cadre: registrations, suspicious likes, objections, rewards to pay. */
export interface VillageTodo {
  households: number;
  likes: number;
  /** Qualified entries the panel has not scored by their due day. */
  scoring: number;
  objections: number;
  rewards: number;
}

export interface MyHousehold {
  id: string;
  villageId: string;
  villageName: string;
  headName: string;
  doorNumber: string;
  label: string;
  status: HouseholdStatus;
  rejectReason: string | null;
  proxy: boolean;
  /** The phones that may act for the family: one's own in full, the others masked. */
  family: Array<{ phone: string; you: boolean }>;
}

export interface User {
  id: string;
  phone: string;
  displayName: string | null;
  createdAt: string;
  roles: Role[];
  household: MyHousehold | null;
  /** Sits on an evaluation panel: the scoring screens are offered. */
  panelMember?: boolean;
  /** The villages whose open contests this account scores on a panel. */
  panelVillages?: Array<{ id: string; name: string }>;
}

export interface OtpSent {
  sent: true;
  resendAfterSeconds: number;
  expiresInSeconds: number;
  /** Only in demo mode: the code that was sent. */
  devCode?: string;
}

export interface Town {
  id: string;
  code: string;
  name: string;
  villageCount: number;
}

export interface Village {
  id: string;
  code: string;
  name: string;
  officialName: string;
  townId: string;
  townName: string;
}

export type CampaignFormat = 'monthly' | 'single';
export type CampaignStatus = 'draft' | 'open' | 'closed';
export type RoundStatus = 'entries_open' | 'inspecting' | 'scoring_closed' | 'announced' | 'final';

export interface CampaignBrief {
  id: string;
  title: string;
  format: CampaignFormat;
  status: CampaignStatus;
  startsAt: string;
  endsAt: string;
}

/** The round a village page shows for a campaign: the one running now, else the latest begun. */
export interface CurrentRound {
  id: string;
  period: string;
  status: RoundStatus;
  startsAt: string;
  endsAt: string;
  /** Whether it has begun, by the server's clock (a phone's may be wrong by days). */
  begun: boolean;
}

/** A campaign as the village page lists it: with its like threshold and current round. */
export interface VillageCampaign extends CampaignBrief {
  likeThreshold: number;
  currentRound: CurrentRound | null;
}

export interface VillageDetail extends Village {
  campaigns: VillageCampaign[];
}

export interface HouseholdMember {
  accountId: string;
  phone: string;
  verified: boolean;
}

export interface Household {
  id: string;
  villageId: string;
  headName: string;
  doorNumber: string;
  label: string;
  status: HouseholdStatus;
  source: 'self' | 'proxy' | 'import';
  proxyBy: string | null;
  createdAt: string;
  decidedAt: string | null;
  rejectReason: string | null;
  members: HouseholdMember[];
}

export interface HouseholdCreate {
  villageId: string;
  headName: string;
  doorNumber: string;
  /** Present when a cadre or grid worker registers a family on its behalf (代录). */
  proxy?: { memberPhone?: string };
}

export interface RosterProblem {
  /** 1-based line of the file; the header is line 1. */
  row: number;
  field: string;
  problem: string;
}

export interface ImportResult {
  imported: number;
  accountsCreated: number;
}

export interface Criterion {
  key: string;
  name: string;
  nameEn: string;
  max: number;
  guidance: string;
}

export interface CampaignRules {
  passMark: number;
  quotaPerVillage: number | null;
  dailyLikeCap: number;
  quorum: number;
  dueDays: number;
  objectionDays: number;
  /** Whether a monthly award also earns an honor plate (star results always do). */
  monthlyPlates?: boolean;
}

export interface Campaign extends CampaignBrief {
  likeThreshold: number;
  rubric: Criterion[];
  rubricTotal: number;
  rules: CampaignRules;
  starRule: unknown;
  villages: Array<{ id: string; name: string; townName: string }>;
  createdAt: string;
}

export interface Round {
  id: string;
  campaignId: string;
  seq: number;
  /** `2026-05` for a monthly round, the first day `2026-06-01` for a single window. */
  period: string;
  startsAt: string;
  endsAt: string;
  status: RoundStatus;
}

export interface CampaignCreate {
  title: string;
  format: CampaignFormat;
  villageIds: string[];
  likeThreshold?: number;
  rubric?: Criterion[];
  rules?: Partial<CampaignRules>;
  months?: { from: string; to: string };
  window?: { from: string; to: string };
}

/** One problem the server found in a submitted form, by field path (e.g. `months.to`). */
export interface FieldProblem {
  field: string;
  problem: string;
}

export type EntryStatus = 'draft' | 'submitted' | 'qualified' | 'scored' | 'awarded' | 'not_awarded' | 'withdrawn' | 'disqualified';
export type PhotoKind = 'overview' | 'before' | 'after' | 'detail';
export const PHOTO_KINDS: readonly PhotoKind[] = ['overview', 'before', 'after', 'detail'];

/** Why and when a cadre hid an entry or a photo. */
export interface Hidden {
  reason: string;
  at: string;
}

export interface EntryPhoto {
  id: string;
  kind: PhotoKind;
  position: number;
  thumbUrl: string;
  displayUrl: string;
  width: number;
  height: number;
  /** Only for the household and its cadres. */
  hidden?: Hidden | null;
  capturedAt?: string | null;
  takenOutsideRound?: boolean;
}

/** An entry as `GET /api/entries/:id` gives it. */
export interface Entry {
  id: string;
  roundId: string;
  campaignId: string;
  campaignTitle: string;
  /** `2026-05` (monthly) or the first day of a single window. */
  period: string;
  roundEndsAt: string;
  /** Whether the round takes likes now; afterwards the page shows the count without a button. */
  likesOpen: boolean;
  /** Whether the household may still enter, change or re-enter, by the server's clock. */
  takesChanges: boolean;
  /** Whether the household may change it now (state and round, as the server decides). */
  editable: boolean;
  /** Whether the round's last day has passed, by the server's clock. */
  roundOver: boolean;
  villageId: string;
  villageName: string;
  townName: string;
  /** 陈家庭院: the public name of the household. */
  householdLabel: string;
  /** 编号 within its round and village, from its first submission (null while a draft): tells apart households of one surname. */
  number: number | null;
  description: string;
  status: EntryStatus;
  likeCount: number;
  threshold: number;
  qualifiedAt: string | null;
  submittedAt: string | null;
  byProxy: boolean;
  coverUrl: string | null;
  photos: EntryPhoto[];
  /** Present (null or a reason) only when the viewer is the household or one of its cadres. */
  hidden?: Hidden | null;
  /** Whether the signed-in account has liked it; null when not signed in. */
  likedByMe?: boolean | null;
  /** Whether it is the signed-in account's own household's entry; null when anonymous. */
  ownHousehold?: boolean | null;
}

/** A card of a round's public gallery. */
export interface EntryCard {
  id: string;
  householdLabel: string;
  number: number | null;
  status: EntryStatus;
  likeCount: number;
  qualifiedAt: string | null;
  coverUrl: string | null;
  photoCount: number;
  byProxy: boolean;
}

export interface EntryGalleryPage {
  total: number;
  threshold: number;
  round: { id: string; period: string; status: RoundStatus; endsAt: string };
  entries: EntryCard[];
}

export interface EntryUpdate {
  description?: string;
  /** Every photo id of the entry, in the new order. */
  photoOrder?: string[];
  photoKinds?: Record<string, PhotoKind>;
}

export interface LikeResult {
  likeCount: number;
  liked: boolean;
  qualifiedAt: string | null;
}

export interface Notice {
  id: string;
  kind: string;
  payload: { text?: string; entryId?: string; reason?: string; [key: string]: unknown };
  createdAt: string;
  read: boolean;
}

/** One side of a reused-photo flag (the cadre sees the head's name). */
export interface FlaggedPhoto {
  photoId: string;
  entryId: string;
  householdName: string;
  thumbUrl: string;
  displayUrl: string;
  uploadedAt: string;
  /** The match's round (the other side of a reuse). */
  period?: string;
  roundId?: string;
  /** A photo taken outside the round. */
  capturedAt?: string;
}

export interface ReusedPhoto {
  kind: 'exact' | 'near';
  distance: number;
  sameHousehold: boolean;
  photo: FlaggedPhoto;
  match: FlaggedPhoto;
}

export interface PhotoFlags {
  reused: ReusedPhoto[];
  outsideRound: FlaggedPhoto[];
}

/** One line of the audit log, as its cadres read it. */
export interface AuditRow {
  seq: number;
  at: string;
  /** The phone of whoever did it; null for the system. */
  actor: string | null;
  /** Their name on a panel, if they have one. */
  actorName: string | null;
  actorKind: RoleKind | 'panel_member' | 'villager' | 'account' | null;
  action: string;
  reason: string | null;
  /** What the subject was before and after, as the action recorded it. */
  before: unknown;
  after: unknown;
}

export interface SuspiciousLike {
  likeId: string;
  entryId: string;
  householdLabel: string;
  accountPhone: string;
  at: string;
  ipPrefix: string;
  accountCreatedAt: string;
  reasons: string[];
}

export interface VoidResult {
  entries: Array<{ entryId: string; voided: number; likeCount: number; status: EntryStatus }>;
}

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
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: init.signal ?? null, keepalive: init.keepalive ?? false });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw networkError();
  }
  const data = parseJson(await res.text());
  if (!res.ok) throw failure(res.status, data, res.headers.get('retry-after'));
  return data as T;
}

/** The error a refused request stands for, from its status, parsed body and Retry-After. */
function failure(status: number, data: unknown, retryAfter: string | null): ApiError {
  const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const retry = Number(retryAfter);
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
    xhr.onload = () => {
      const data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve((data as { entry: Entry }).entry);
      else reject(failure(xhr.status, data, xhr.getResponseHeader('retry-after')));
    };
    xhr.onerror = () => reject(networkError());
    xhr.ontimeout = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('upload aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

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
  importRoster: (villageId: string, csv: string) =>
    request<ImportResult>('POST', `/api/villages/${q(villageId)}/households/import`, {
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
  like: (id: string) => request<LikeResult>('PUT', `/api/entries/${q(id)}/like`),
  unlike: (id: string) => request<LikeResult>('DELETE', `/api/entries/${q(id)}/like`),
  /** Addresses of an entry's QR code (SVG) and share poster (PNG download). */
  entryQrUrl: (id: string) => `/api/entries/${q(id)}/qr.svg`,
  entryPosterUrl: (id: string) => `/api/entries/${q(id)}/poster.png`,

  myEntries: async (signal?: AbortSignal) => (await request<{ entries: Entry[] }>('GET', '/api/me/entries', { signal })).entries,
  notifications: (signal?: AbortSignal) => request<{ notifications: Notice[]; unread: number }>('GET', '/api/me/notifications', { signal }),
  markNoticeRead: (id: string) => request<unknown>('POST', `/api/me/notifications/${q(id)}/read`, { json: {} }),

  reviewEntries: async (roundId: string, signal?: AbortSignal) =>
    (await request<{ entries: Entry[] }>('GET', `/api/rounds/${q(roundId)}/review`, { signal })).entries,
  moderate: async (entryId: string, body: { action: 'hide' | 'restore'; reason: string; photoId?: string }) =>
    (await request<{ entry: Entry }>('POST', `/api/entries/${q(entryId)}/moderation`, { json: body })).entry,
  photoFlags: (roundId: string, signal?: AbortSignal) => request<PhotoFlags>('GET', `/api/rounds/${q(roundId)}/photo-flags`, { signal }),
  suspiciousLikes: async (roundId: string, signal?: AbortSignal) =>
    (await request<{ likes: SuspiciousLike[] }>('GET', `/api/rounds/${q(roundId)}/suspicious-likes`, { signal })).likes,
  voidLikes: (likeIds: string[], reason: string) => request<VoidResult>('POST', '/api/likes/void', { json: { likeIds, reason } }),
};
