import type { z } from 'zod';
import type * as Scoring from '../server/contracts/scoring';
import { request } from './api';

/*
 * The scoring part of the API client (DESIGN §3 Panel, Score sheet, Aggregation; §6): the panel's
 * queue, score sheets, recusal, the cadre's progress view and panels. Kept out of api.ts so that
 * only the panel pages and the console carry it; the shapes are server/contracts/scoring.ts's
 * own types (type-only imports: no zod in the bundle).
 */

export { MAX_SHEET_PHOTOS, PANEL_ROLES, sameSheet } from '../server/domain/scoring';
export type PanelRole = z.infer<typeof Scoring.PanelRole>;

/** Points per criterion key, e.g. `{ hygiene: 32, beautification: 24 }`. */
export type Points = Record<string, number>;

/** What a member sends: the on-site check, points, comment, and the key that makes it exactly-once. */
export type SheetBody = z.input<typeof Scoring.SheetPut>;

export type InspectionQueue = z.infer<typeof Scoring.InspectionQueue>;
/** One courtyard of a panel member's queue. The panel sees door numbers and head names. */
export type InspectionItem = InspectionQueue['entries'][number];

export type ScoreSheet = z.infer<typeof Scoring.SheetView>;
/** An entry's score as the server explains it. */
export type EntryScore = z.infer<typeof Scoring.EntryScore>;
export type CriterionScore = EntryScore['criteria'][number];
type SheetPutResult = z.infer<typeof Scoring.SheetPutResult>;
export type SheetOutcome = SheetPutResult['outcome'];

/** An on-site photo with a member's sheet. */
export type OnsitePhoto = InspectionItem['myPhotos'][number];

export type ProgressItem = z.infer<typeof Scoring.ScoringProgress>['entries'][number];

export type Panel = z.infer<typeof Scoring.Panel>;
export type PanelMember = Panel['members'][number];
export type PanelCreate = z.input<typeof Scoring.PanelCreate>;
export type PanelChange = z.input<typeof Scoring.PanelChange>;

const q = (v: string) => encodeURIComponent(v);

export const scoringApi = {
  /** The queue path, also what the service worker keeps for offline use. */
  inspectionsPath: (roundId: string) => `/api/rounds/${q(roundId)}/inspections`,
  inspections: (roundId: string, signal?: AbortSignal) => request<InspectionQueue>('GET', scoringApi.inspectionsPath(roundId), { signal }),
  putSheet: (entryId: string, body: SheetBody) =>
    request<SheetPutResult>('PUT', `/api/entries/${q(entryId)}/score-sheets/mine`, { json: body }),
  sheets: (entryId: string, signal?: AbortSignal) =>
    request<z.infer<typeof Scoring.SheetList>>('GET', `/api/entries/${q(entryId)}/score-sheets`, { signal }),
  /** Add an on-site photo to my sheet; answered with all of my photos of that sheet. */
  addOnsitePhoto: async (entryId: string, photo: Blob, key: string) => {
    const form = new FormData();
    form.set('file', photo, 'onsite.jpg');
    return (await request<{ photos: OnsitePhoto[] }>('POST', `/api/entries/${q(entryId)}/score-sheets/mine/photos?key=${q(key)}`, { form })).photos;
  },
  /** Take back an on-site photo of my sheet; answered with the photos left. */
  removeOnsitePhoto: async (entryId: string, photoId: string) =>
    (await request<{ photos: OnsitePhoto[] }>('DELETE', `/api/entries/${q(entryId)}/score-sheets/mine/photos/${q(photoId)}`)).photos,
  recuse: (entryId: string, reason: string) => request<{ ok: true }>('POST', `/api/entries/${q(entryId)}/recusal`, { json: { reason } }),
  progress: async (roundId: string, signal?: AbortSignal) =>
    (await request<z.infer<typeof Scoring.ScoringProgress>>('GET', `/api/rounds/${q(roundId)}/scoring-progress`, { signal })).entries,
  panels: async (campaignId: string, signal?: AbortSignal) =>
    (await request<{ panels: Panel[] }>('GET', `/api/campaigns/${q(campaignId)}/panels`, { signal })).panels,
  createPanel: async (campaignId: string, body: PanelCreate) =>
    (await request<{ panel: Panel }>('POST', `/api/campaigns/${q(campaignId)}/panels`, { json: body })).panel,
  changePanel: (panelId: string, body: PanelChange) => request<{ panel: Panel; changed: boolean }>('PUT', `/api/panels/${q(panelId)}`, { json: body }),
};
