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
}

export interface User {
  id: string;
  phone: string;
  displayName: string | null;
  createdAt: string;
  roles: Role[];
  household: MyHousehold | null;
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

export interface VillageDetail extends Village {
  campaigns: CampaignBrief[];
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
  /** JSON body; every state-changing request sends one (`{}` when there is nothing to say). */
  json?: unknown;
  /** A raw text body with its own content type (CSV roster). */
  text?: { body: string; contentType: string };
  signal?: AbortSignal | undefined;
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, init: RequestInit2 = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (init.text) {
    headers['content-type'] = init.text.contentType;
    body = init.text.body;
  } else if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json ?? {});
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: init.signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', msg('网络连不上。请检查手机信号或无线网络，然后再试一次。', { id: 'error.network' }));
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(
      res.status,
      e?.code ?? `http_${res.status}`,
      e?.message ?? msg('服务器暂时出了问题，请稍后再试。', { id: 'error.server' }),
      e?.details,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return data as T;
}

const q = (v: string) => encodeURIComponent(v);

// ---------- endpoints ----------

export const api = {
  /** The signed-in account, or null when nobody is signed in. */
  async me(signal?: AbortSignal): Promise<User | null> {
    try {
      return (await request<{ user: User }>('GET', '/api/me', { signal })).user;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  requestOtp: (phone: string) => request<OtpSent>('POST', '/api/auth/otp', { json: { phone } }),
  login: async (phone: string, code: string) =>
    (await request<{ user: User }>('POST', '/api/auth/login', { json: { phone, code } })).user,
  logout: () => request<unknown>('POST', '/api/auth/logout', { json: {} }),

  towns: async (signal?: AbortSignal) => (await request<{ towns: Town[] }>('GET', '/api/places/towns', { signal })).towns,
  villages: async (townId: string, signal?: AbortSignal) =>
    (await request<{ villages: Village[] }>('GET', `/api/places/villages?town=${q(townId)}`, { signal })).villages,
  village: (id: string, signal?: AbortSignal) => request<VillageDetail>('GET', `/api/villages/${q(id)}`, { signal }),

  registerHousehold: async (body: HouseholdCreate) =>
    (await request<{ household: Household | MyHousehold }>('POST', '/api/households', { json: body })).household,
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
};
