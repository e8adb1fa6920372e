import type { z } from 'zod';
import type { EntryScore as EntryScoreSchema } from '../server/contracts/scoring';
import { request, type Criterion, type Entry, type RoundStatus } from './api';

/*
 * The scoring part of the API client (DESIGN §3 Panel, Score sheet, Aggregation; §6): the panel's
 * queue, score sheets, recusal, the cadre's progress view and panels. Kept out of api.ts so that
 * only the panel pages and the console carry it; the shapes mirror server/contracts/scoring.ts
 * and the inline schemas of server/routes/scoring.ts.
 */

export const PANEL_ROLES = ['镇干部', '村干部', '网格员', '村民代表'] as const;
export type PanelRole = (typeof PANEL_ROLES)[number];

/** Points per criterion key, e.g. `{ hygiene: 32, beautification: 24 }`. */
export type Points = Record<string, number>;

/** What a member sends: the on-site check, points, comment, and the key that makes it exactly-once. */
export interface SheetBody {
  passed: boolean;
  points: Points;
  comment: string;
  idempotencyKey: string;
}

export interface MySheet extends SheetBody {
  updatedAt: string;
}

/** One courtyard of a panel member's queue. The panel sees door numbers and head names. */
export interface InspectionItem {
  entryId: string;
  householdLabel: string;
  headName: string;
  doorNumber: string;
  householdId: string;
  qualifiedAt: string | null;
  dueAt: string;
  overdue: boolean;
  sheetsIn: number;
  recused: boolean;
  mySheet: MySheet | null;
  entry: Entry;
}

export interface InspectionQueue {
  round: { id: string; period: string; status: RoundStatus };
  campaign: { id: string; title: string };
  panel: { id: string; quorum: number; role: string };
  rubric: Criterion[];
  entries: InspectionItem[];
}

export interface ScoreSheet {
  id: string;
  member: string;
  role: string;
  passed: boolean;
  points: Points;
  comment: string;
  submittedAt: string;
  updatedAt: string;
}

/** An entry's score as the server explains it: the contract's own type, so the two cannot drift. */
export type EntryScore = z.infer<typeof EntryScoreSchema>;
export type CriterionScore = EntryScore['criteria'][number];

export type SheetOutcome = 'created' | 'replaced' | 'replayed';

export interface ProgressItem {
  entryId: string;
  householdLabel: string;
  headName: string;
  status: string;
  score: EntryScore;
}

export interface PanelMember {
  accountId: string;
  role: string;
  name: string;
  phone: string;
}

export interface Panel {
  id: string;
  name: string;
  quorum: number;
  villageIds: string[];
  members: PanelMember[];
}

export interface PanelCreate {
  name: string;
  quorum?: number;
  members: Array<{ phone: string; role: PanelRole; name: string }>;
}

const q = (v: string) => encodeURIComponent(v);

export const scoringApi = {
  /** The queue path, also what the service worker keeps for offline use. */
  inspectionsPath: (roundId: string) => `/api/rounds/${q(roundId)}/inspections`,
  inspections: (roundId: string, signal?: AbortSignal) => request<InspectionQueue>('GET', scoringApi.inspectionsPath(roundId), { signal }),
  putSheet: (entryId: string, body: SheetBody) =>
    request<{ sheet: ScoreSheet; outcome: SheetOutcome }>('PUT', `/api/entries/${q(entryId)}/score-sheets/mine`, { json: body }),
  sheets: (entryId: string, signal?: AbortSignal) =>
    request<{ sheets: ScoreSheet[]; score: EntryScore }>('GET', `/api/entries/${q(entryId)}/score-sheets`, { signal }),
  recuse: (entryId: string, reason: string) => request<{ ok: true }>('POST', `/api/entries/${q(entryId)}/recusal`, { json: { reason } }),
  progress: async (roundId: string, signal?: AbortSignal) =>
    (await request<{ entries: ProgressItem[] }>('GET', `/api/rounds/${q(roundId)}/scoring-progress`, { signal })).entries,
  panels: async (campaignId: string, signal?: AbortSignal) =>
    (await request<{ panels: Panel[] }>('GET', `/api/campaigns/${q(campaignId)}/panels`, { signal })).panels,
  createPanel: async (campaignId: string, body: PanelCreate) =>
    (await request<{ panel: Panel }>('POST', `/api/campaigns/${q(campaignId)}/panels`, { json: body })).panel,
};
