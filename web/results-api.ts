import type { z } from 'zod';
import type {
  Dashboard as DashboardSchema,
  MyResults as MyResultsSchema,
  Objection as ObjectionSchema,
  Plate as PlateSchema,
  ResultSet as ResultSetSchema,
  Reward as RewardSchema,
  ResultBrief as ResultBriefSchema,
  VillageHonors as VillageHonorsSchema,
  RewardList as RewardListSchema,
} from '../server/contracts/results';
import { ApiError, request } from './api';

/*
 * The results part of the API client (DESIGN §3 Announcement, Honor plate, Reward; §6): round
 * and half-year results, objections, plates, rewards, the town dashboard and a villager's own
 * results. Kept out of api.ts so that only the pages that show results carry it; the shapes are
 * the server contract's own types (type-only imports: no zod in the bundle).
 */

export type ResultSet = z.infer<typeof ResultSetSchema>;
export type ResultLine = ResultSet['lines'][number];
export type ResultChange = ResultSet['changes'][number];
export type ResultStatus = ResultSet['status'];
export type Objection = z.infer<typeof ObjectionSchema>;
export type Plate = z.infer<typeof PlateSchema>;
export type Reward = z.infer<typeof RewardSchema>;
export type RewardList = z.infer<typeof RewardListSchema>;
export type TownDashboard = z.infer<typeof DashboardSchema>;
export type MyResults = z.infer<typeof MyResultsSchema>;
export type MyResult = MyResults['results'][number];

/** One result set of a campaign, for navigation (public: announced and final only). */
export type ResultBrief = z.infer<typeof ResultBriefSchema>;

/** A village's honours: its monthly winners, its star courtyards and its campaigns' published results (public). */
export type VillageHonors = z.infer<typeof VillageHonorsSchema>;

/** The half-year month breakdown a half-year line carries in `detail`. */
export interface HalfYearDetail {
  monthsAwarded: number;
  monthsInPeriod: number;
  mean: string | null;
  months: Array<{ period: string; awarded: boolean; total: string | null }>;
}

export function halfYearDetail(line: ResultLine): HalfYearDetail | null {
  const d = line.detail as Partial<HalfYearDetail>;
  return Array.isArray(d.months) ? (d as HalfYearDetail) : null;
}

/**
 * Which results a page or tool works on: one round's, or a campaign's half-year stars. Every
 * call below takes it, so the round and half-year screens are one code path.
 */
export type ResultTarget = { kind: 'round'; roundId: string } | { kind: 'stars'; campaignId: string; period: string };

const q = (v: string) => encodeURIComponent(v);

/** The API path of a target's results (`/api/rounds/:id/results` or `/api/campaigns/:id/stars/:period`). */
function base(t: ResultTarget): string {
  return t.kind === 'round' ? `/api/rounds/${q(t.roundId)}/results` : `/api/campaigns/${q(t.campaignId)}/stars/${q(t.period)}`;
}

/** Where announce, finalize and objections hang off (the round itself, or the half-year). */
function owner(t: ResultTarget): string {
  return t.kind === 'round' ? `/api/rounds/${q(t.roundId)}` : base(t);
}

/** The public page of a target. */
export function resultPageUrl(t: ResultTarget): string {
  return t.kind === 'round' ? `/results/${q(t.roundId)}` : `/stars/${q(t.campaignId)}/${q(t.period)}`;
}

/** The public page of a campaign's result set, as `GET /api/campaigns/:id/results` lists it. */
export function briefPageUrl(campaignId: string, r: Pick<ResultBrief, 'kind' | 'period' | 'roundId'>): string {
  return r.kind === 'round' && r.roundId ? resultPageUrl({ kind: 'round', roundId: r.roundId }) : resultPageUrl({ kind: 'stars', campaignId, period: r.period });
}

/** The printable A4 notice for the village notice board. */
export function noticePdfUrl(t: ResultTarget): string {
  return `${base(t)}/notice.pdf`;
}

/** Plate addresses: the public verification page, its SVG drawing and print PDF. */
export const plateUrls = {
  page: (serial: string) => `/plates/${q(serial)}`,
  svg: (serial: string) => `/api/plates/${q(serial)}.svg`,
  pdf: (serial: string) => `/api/plates/${q(serial)}.pdf`,
};

function plateQuery(t: ResultTarget): string {
  return t.kind === 'round' ? `roundId=${q(t.roundId)}` : `period=${q(t.period)}`;
}

/** Upload one photo to an objection (multipart `file`), answering the objection with it. */
async function uploadObjectionPhoto(objectionId: string, photo: Blob): Promise<Objection> {
  const form = new FormData();
  form.append('file', photo, photo.type === 'image/png' ? 'photo.png' : photo.type === 'image/webp' ? 'photo.webp' : 'photo.jpg');
  return (await request<{ objection: Objection }>('POST', `/api/objections/${q(objectionId)}/photos`, { form })).objection;
}

export const resultsApi = {
  /** The results of a target; null when there are none to see (public before 公示, cadre before computing). */
  async result(t: ResultTarget, signal?: AbortSignal): Promise<ResultSet | null> {
    try {
      return (await request<{ result: ResultSet }>('GET', base(t), { signal })).result;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  /** A campaign's result sets: announced and final ones, and drafts too for its cadres. */
  campaignResults: async (campaignId: string, signal?: AbortSignal) =>
    (await request<{ results: ResultBrief[] }>('GET', `/api/campaigns/${q(campaignId)}/results`, { signal })).results,
  /** Compute (or recompute) the draft. */
  compute: async (t: ResultTarget) => (await request<{ result: ResultSet }>('POST', base(t), { json: {} })).result,
  announce: async (t: ResultTarget, objectionDays?: number) =>
    (await request<{ result: ResultSet }>('POST', `${owner(t)}/announce`, { json: objectionDays ? { objectionDays } : {} })).result,
  finalize: async (t: ResultTarget) => (await request<{ result: ResultSet }>('POST', `${owner(t)}/finalize`, { json: {} })).result,
  objections: async (t: ResultTarget, signal?: AbortSignal) =>
    (await request<{ objections: Objection[] }>('GET', `${owner(t)}/objections`, { signal })).objections,
  object: async (t: ResultTarget, householdId: string, text: string) =>
    (await request<{ objection: Objection }>('POST', `${owner(t)}/objections`, { json: { householdId, text } })).objection,
  uploadObjectionPhoto,
  decide: (objectionId: string, uphold: boolean, reason: string) =>
    request<{ objection: Objection; result: ResultSet }>('POST', `/api/objections/${q(objectionId)}/decision`, { json: { uphold, reason } }),

  plate: async (serial: string, signal?: AbortSignal) => (await request<{ plate: Plate }>('GET', `/api/plates/${q(serial)}`, { signal })).plate,
  /** A result's plates, how many households 发放门牌 would still give one to, and the revoked plates that may be issued again. */
  plates: (campaignId: string, t: ResultTarget, signal?: AbortSignal) =>
    request<{ plates: Plate[]; waiting: number; reissuable: string[] }>('GET', `/api/campaigns/${q(campaignId)}/plates?${plateQuery(t)}`, { signal }),
  issuePlates: async (campaignId: string, t: ResultTarget) =>
    (
      await request<{ plates: Plate[] }>('POST', `/api/campaigns/${q(campaignId)}/plates`, {
        json: t.kind === 'round' ? { roundId: t.roundId } : { period: t.period },
      })
    ).plates,
  reissuePlate: async (serial: string) => (await request<{ plate: Plate }>('POST', `/api/plates/${q(serial)}/reissue`)).plate,
  revokePlate: async (serial: string, reason: string) => (await request<{ plate: Plate }>('POST', `/api/plates/${q(serial)}/revoke`, { json: { reason } })).plate,
  plateExportUrl: (campaignId: string, t: ResultTarget, format: 'csv' | 'pdf') => `/api/campaigns/${q(campaignId)}/plates/export.${format}?${plateQuery(t)}`,

  rewards: (villageId: string, signal?: AbortSignal) => request<RewardList>('GET', `/api/rewards?village=${q(villageId)}`, { signal }),
  /** The sign-for-receipt sheet (PDF) of one batch of a village's rewards. */
  receiptSheetUrl: (villageId: string, batchId: string) => `/api/rewards/receipts.pdf?village=${q(villageId)}&batch=${q(batchId)}`,
  /** Several rewards handed over on one day by one person: all recorded, or none. */
  markPaid: async (rewardIds: string[], body: { paidOn: string; payer: string; note: string }) =>
    (await request<{ rewards: Reward[] }>('POST', '/api/rewards/paid', { json: { rewardIds, ...body } })).rewards,

  /** Without a range (from and to ''), the server's current half-year; the answer's `months` say which. */
  dashboard: (townId: string, from: string, to: string, signal?: AbortSignal) =>
    request<TownDashboard>('GET', `/api/towns/${q(townId)}/dashboard${from && to ? `?from=${q(from)}&to=${q(to)}` : ''}`, { signal }),
  dashboardCsvUrl: (townId: string, from: string, to: string) => `/api/towns/${q(townId)}/dashboard.csv?from=${q(from)}&to=${q(to)}`,

  honors: (villageId: string, signal?: AbortSignal) => request<VillageHonors>('GET', `/api/villages/${q(villageId)}/honors`, { signal }),

  myResults: (signal?: AbortSignal) => request<MyResults>('GET', '/api/me/results', { signal }),
};
