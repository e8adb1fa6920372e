import { count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { auditLog, campaignVillages, campaigns, householdMembers, households, rounds } from '../../server/db/schema.ts';
import { errorOf, type TestApp } from '../support/api.ts';

// Shared fixtures and checks of the API tests. Places and demo accounts are those of the demo county (server/db/seed.ts).

export const VILLAGE = { lingpan: '350582102201', yangwei: '350582102207', huashan: '350582105201' } as const;
export const TOWN = { cizao: '350582102', shenhu: '350582105' } as const;
export const PHONE = {
  townAdmin: '13900000001',
  yangweiCadre: '13900000002',
  lingpanCadre: '13900000003',
  huashanCadre: '13900000004',
  yangweiGridWorker: '13900000013',
  /** A villager of 洋尾村, member of the imported household 洋尾村1号. */
  yangweiVillager: '13900000101',
  lingpanVillager: '13900000201',
} as const;

/** Anything that looks like a mainland mobile number. */
export const PHONE_RE = /1[3-9]\d{9}/;
export const CHINESE = /[\u4e00-\u9fff]/;

/** A phone number the demo county does not know yet (137…); n tells them apart. */
export const freshPhone = (n: number) => `137${String(n).padStart(8, '0')}`;

/** A request straight to the app, with exactly the headers given (no Origin added). */
export function rawRequest(t: TestApp, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const env = { incoming: { socket: { remoteAddress: '10.0.0.1' } } };
  return Promise.resolve(t.app.request(path, { method, headers: init.headers ?? {}, body: init.body }, env));
}


/** Every field a 400 names, whatever shape its details have ({field}, {issues:[…]}, {problems:[…]}). */
export function fieldsOf(err: { details?: unknown }): string[] {
  const d = (err.details ?? {}) as { field?: string; issues?: Array<{ field: string }>; problems?: Array<{ field: string }> };
  return [...(d.field ? [d.field] : []), ...(d.issues ?? []).map((i) => i.field), ...(d.problems ?? []).map((p) => p.field)];
}

/** Assert a refusal: status, code, and a Chinese sentence; returns the error for further checks. */
export async function expectError(res: Response, status: number, code: string) {
  const err = await errorOf(res);
  expect({ status: err.status, code: err.code }).toEqual({ status, code });
  expect(err.message).toMatch(CHINESE);
  return err;
}

/**
 * Everything the foundation's state changes write: households, members, campaigns, rounds
 * and the audit log. Two equal snapshots mean a request wrote nothing.
 */
export function snapshot(t: TestApp) {
  return {
    households: t.db.select().from(households).all(),
    members: t.db.select().from(householdMembers).all(),
    campaigns: t.db.select().from(campaigns).all(),
    campaignVillages: t.db.select().from(campaignVillages).all(),
    rounds: t.db.select().from(rounds).all(),
    audit: t.db.select({ n: count() }).from(auditLog).get()!.n,
  };
}

export function householdCount(t: TestApp, villageId?: string): number {
  const q = t.db.select({ n: count() }).from(households);
  return (villageId ? q.where(eq(households.villageId, villageId)) : q).get()!.n;
}

export function auditCount(t: TestApp): number {
  return t.db.select({ n: count() }).from(auditLog).get()!.n;
}

export interface HouseholdView {
  id: string;
  villageId: string;
  headName: string;
  doorNumber: string;
  label: string;
  status: 'pending' | 'confirmed' | 'rejected';
  source: 'self' | 'proxy' | 'import';
  proxyBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  members: Array<{ accountId: string; phone: string; verified: boolean }>;
}

/** A new person signs in and registers a household themselves; returns its id and their cookie. */
export async function selfRegister(t: TestApp, phone: string, villageId: string, doorNumber: string, headName = '陈美丽') {
  const cookie = await t.signIn(phone);
  const res = await t.req('POST', '/api/households', { cookie, body: { villageId, headName, doorNumber } });
  if (res.status !== 201) throw new Error(`register ${doorNumber}: ${res.status} ${await res.text()}`);
  const { household } = (await res.json()) as { household: HouseholdView };
  return { id: household.id, cookie, household };
}

/** The seeded campaign of a village and its rounds (洋尾村: monthly 2026-07…12, open; 岭畔村: single, open). */
export function seededCampaign(t: TestApp, villageId: string) {
  const link = t.db.select().from(campaignVillages).where(eq(campaignVillages.villageId, villageId)).get();
  if (!link) throw new Error(`no seeded campaign for ${villageId}`);
  const rs = t.db.select().from(rounds).where(eq(rounds.campaignId, link.campaignId)).orderBy(rounds.seq).all();
  return { campaignId: link.campaignId, roundIds: rs.map((r) => r.id) };
}

export function roundStatus(t: TestApp, roundId: string): string {
  return t.db.select({ s: rounds.status }).from(rounds).where(eq(rounds.id, roundId)).get()!.s;
}

/** A campaign body that is valid for the given villages (single format, one window). */
export function singleCampaign(villageIds: string[], extra: Record<string, unknown> = {}) {
  return { title: '2027年最美卫生庭院评比', format: 'single', villageIds, window: { from: '2027-03-01', to: '2027-03-31' }, ...extra };
}

export const csv = (text: string) => ({ body: text, headers: { 'content-type': 'text/csv; charset=utf-8' } });
