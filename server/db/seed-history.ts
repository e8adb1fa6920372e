import { eq } from 'drizzle-orm';
import type { Criterion } from '../domain/campaigns.ts';
import { monthBounds, SHANGHAI_OFFSET_MS } from '../domain/time.ts';
import { sha256 } from '../lib/ids.ts';
import { applyRoundTransition, getCampaign } from './campaigns.ts';
import { LikeStore } from './likes.ts';
import type { Db } from './client.ts';
import { addPhoto, createEntry, submitEntry } from './entries.ts';
import { issuePlates } from './plates.ts';
import { announceHalfYear, announceRound, computeHalfYearResult, finalizeResult, findResult } from './results.ts';
import { households, panelMembers, rounds } from './schema.ts';
import { putSheet } from './scoring.ts';

const DAY = 86_400_000;

/** Five members' points for a visit whose total is `total`: spread around it so that the trimmed means come back to it exactly. */
export function pointsFor(rubric: readonly Criterion[], total: number): Array<Record<string, number>> {
  const sumMax = rubric.reduce((s, c) => s + c.max, 0);
  const base: Record<string, number> = {};
  let left = total;
  rubric.forEach((c, i) => {
    const v = i === rubric.length - 1 ? left : Math.min(c.max, Math.round((total * c.max) / sumMax));
    base[c.key] = Math.max(0, Math.min(c.max, v));
    left -= base[c.key]!;
  });
  // Member deltas 0, +1, −1, +2, −2 on the first criterion: the trimmed mean drops ±2 and averages 0, +1, −1.
  const deltas = [0, 1, -1, 2, -2];
  const first = rubric[0]!.key;
  return deltas.map((d) => {
    const p = { ...base };
    const room = p[first]! + 2 <= rubric[0]!.max && p[first]! - 2 >= 0;
    p[first] = p[first]! + (room ? d : 0);
    return p;
  });
}

export interface MonthPlan {
  period: string;
  /** Household door number → total for the month; a missing one did not take part. */
  totals: Record<string, number>;
}

interface Context {
  campaignId: string;
  villageId: string;
  panelId: string;
  cadreId: string;
  rubric: Criterion[];
}

/** The village's other households' members, by account. */
function neighboursOf(db: Db, villageId: string, householdId: string): Array<{ accountId: string; householdId: string }> {
  return db.$client
    .prepare(
      `select m.account_id as accountId, m.household_id as householdId from household_members m join households h on h.id = m.household_id
        where h.village_id = ? and m.household_id != ? order by m.account_id`,
    )
    .all(villageId, householdId) as Array<{ accountId: string; householdId: string }>;
}

function householdOf(db: Db, villageId: string, doorNumber: string): string {
  const row = db.select({ id: households.id, villageId: households.villageId, door: households.doorNumber }).from(households).where(eq(households.doorNumber, doorNumber)).all().find((h) => h.villageId === villageId);
  if (!row) throw new Error(`demo household ${doorNumber} is missing`);
  return row.id;
}

/**
 * Play one month through as the village would: entries with a photo, the panel's five sheets,
 * scoring closed, results announced a few days after the month and finalised once the
 * objection period is over. `stopAt` leaves the round earlier in its life.
 */
export function playMonth(db: Db, ctx: Context, plan: MonthPlan, stopAt: 'scoring_closed' | 'final'): void {
  const round = db.select().from(rounds).where(eq(rounds.campaignId, ctx.campaignId)).all().find((r) => r.period === plan.period);
  if (!round) throw new Error(`no round ${plan.period}`);
  const { startsAt, endsAt } = monthBounds(plan.period);
  const members = db.select({ accountId: panelMembers.accountId }).from(panelMembers).where(eq(panelMembers.panelId, ctx.panelId)).orderBy(panelMembers.addedAt).all();
  const threshold = getCampaign(db, ctx.campaignId).likeThreshold;
  let at = startsAt + 3 * DAY;
  for (const door of Object.keys(plan.totals)) {
    const e = createEntry(db, { roundId: round.id, householdId: householdOf(db, ctx.villageId, door), villageId: ctx.villageId, description: '房前屋后干净整洁，花草修剪整齐。', actorId: ctx.cadreId, byProxy: true }, at);
    const key = sha256(`demo-photo-${plan.period}-${door}`);
    addPhoto(db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: at, displayBytes: 1 }, ctx.cadreId, at);
    submitEntry(db, e.id, threshold, ctx.cadreId, at);
    if (threshold > 0) likeToThreshold(db, ctx.villageId, e, threshold + (parseInt(key.slice(0, 2), 16) % 9), at + 3_600_000);
    at += 3_600_000;
  }
  applyRoundTransition(db, round.id, 'entries_open', 'inspecting', ctx.cadreId, null, endsAt + 1);
  const entryRows = db.$client.prepare(`select e.id, h.door_number as door from entries e join households h on h.id = e.household_id where e.round_id = ?`).all(round.id) as Array<{ id: string; door: string }>;
  let visit = endsAt + DAY;
  for (const e of entryRows) {
    const sheets = pointsFor(ctx.rubric, plan.totals[e.door]!);
    members.forEach((m, i) => {
      putSheet(db, { entryId: e.id, accountId: m.accountId, panelId: ctx.panelId, sheet: { passed: true, points: sheets[i % sheets.length]!, comment: '' }, idempotencyKey: `demo-${e.id}-${i}`, roundStatus: 'inspecting' }, visit);
    });
    visit += 1_800_000;
  }
  applyRoundTransition(db, round.id, 'inspecting', 'scoring_closed', ctx.cadreId, null, endsAt + 5 * DAY);
  if (stopAt === 'scoring_closed') return;
  const announced = announceRound(db, round.id, 5, ctx.cadreId, endsAt + 6 * DAY);
  finalizeResult(db, announced.id, ctx.cadreId, announced.objectionDeadline! + DAY);
}

/**
 * Neighbours like an entry until it has `count` likes, ten minutes apart, through the like
 * path itself: so it qualifies by reaching the threshold, and its count equals its like rows.
 */
function likeToThreshold(db: Db, villageId: string, entry: { id: string; householdId: string }, count: number, from: number): void {
  const neighbours = neighboursOf(db, villageId, entry.householdId);
  if (neighbours.length < count) throw new Error(`demo: ${neighbours.length} neighbours cannot give ${count} likes`);
  const store = new LikeStore(db);
  db.transaction(() => {
    neighbours.slice(0, count).forEach((n, i) => {
      store.apply({
        kind: 'like',
        entryId: entry.id,
        accountId: n.accountId,
        likerHouseholdId: n.householdId,
        ipPrefix: `117.25.${160 + (i % 6)}.0/24`,
        deviceHash: sha256(`demo-device-${n.accountId}`).slice(0, 16),
        now: from + i * 600_000,
      });
    });
  });
}

export interface LiveEntry {
  /** The household's door number. */
  door: string;
  /** Day of the month it was entered (from 9 in the morning, Shanghai). */
  day: number;
  /** Its neighbours' likes by the 27th of the month, the burst among them (fewer before). */
  likes: number;
  /** Of those, this many came in one night-time burst from one network. */
  burst?: number;
  /** Its second photo's camera date is a year before the round: 照片核查 lists it for the cadre. */
  oldPhoto?: boolean;
  description: string;
}

const HOUR = 3_600_000;
const shanghaiHour = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).getUTCHours();

/**
 * The month under way when the demo starts: households entered by their own members on the
 * plan's days (only days already past), each with neighbours' likes spread over the daytime
 * since, through the like path itself. One entry's likes include a burst at one in the morning
 * from one network, the kind 可疑点赞 lists for the cadre; one entry's second photo was taken a
 * year before, the kind 照片核查 lists. Likes stop ten minutes before `now`,
 * so the demo's villagers may still like today.
 */
export function playLiveMonth(db: Db, ctx: Context, period: string, plan: readonly LiveEntry[], now: number): void {
  const round = db.select().from(rounds).where(eq(rounds.campaignId, ctx.campaignId)).all().find((r) => r.period === period);
  if (!round || round.status !== 'entries_open') return;
  const { startsAt } = monthBounds(period);
  const threshold = getCampaign(db, ctx.campaignId).likeThreshold;
  const store = new LikeStore(db);
  plan.forEach((p, n) => {
    const entered = startsAt + (p.day - 1) * DAY + 9 * HOUR + n * 37 * 60_000;
    const until = now - 10 * 60_000;
    if (entered > until - 2 * HOUR) return;
    const householdId = householdOf(db, ctx.villageId, p.door);
    const member = db.$client.prepare(`select account_id as id from household_members where household_id = ? order by account_id limit 1`).get(householdId) as { id: string };
    const e = createEntry(db, { roundId: round.id, householdId, villageId: ctx.villageId, description: p.description, actorId: member.id, byProxy: false }, entered);
    for (const [i, kind] of (['overview', 'detail'] as const).entries()) {
      const key = sha256(`demo-photo-${period}-${p.door}-${i}`);
      const capturedAt = p.oldPhoto && i === 1 ? entered - 365 * DAY : entered - HOUR;
      addPhoto(db, e.id, kind, { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt, displayBytes: 1 }, member.id, entered);
    }
    submitEntry(db, e.id, threshold, member.id, entered);

    // Neighbours in a different order for each entry, so that the likers differ.
    const neighbours = neighboursOf(db, ctx.villageId, householdId);
    // The plan's counts are those of the 27th; earlier in the month there have been fewer.
    const sofar = Math.min(1, (until - entered) / (startsAt + 26 * DAY - entered));
    const burstAt = startsAt + p.day * DAY + HOUR + 10 * 60_000;
    const burst = burstAt < until ? (p.burst ?? 0) : 0;
    const spread = Math.round((p.likes - (p.burst ?? 0)) * sofar);
    const likers = [...neighbours.slice((n * 7) % neighbours.length), ...neighbours.slice(0, (n * 7) % neighbours.length)].slice(0, spread + burst);
    const step = (until - entered - HOUR) / Math.max(1, spread);
    const times = likers.map((_, i) => {
      if (i >= spread) return burstAt + (i - spread) * 20_000;
      let t = entered + HOUR + Math.floor(i * step);
      // villagers like in the daytime: a night hour moves to the morning, never past `until`
      if (shanghaiHour(t) < 7) t = Math.min(t + (7 - shanghaiHour(t)) * HOUR, until - (spread - i) * 11 * 60_000);
      return Math.max(t, entered + (i + 1) * 60_000);
    });
    // in the order they came, so that the like crossing the threshold is the one that did
    const order = likers.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
    db.transaction(() => {
      for (const i of order) {
        store.apply({
          kind: 'like',
          entryId: e.id,
          accountId: likers[i]!.accountId,
          likerHouseholdId: likers[i]!.householdId,
          ipPrefix: i >= spread ? '223.104.66.0/24' : `117.25.${160 + (i % 6)}.0/24`,
          deviceHash: sha256(`demo-device-${likers[i]!.accountId}`).slice(0, 16),
          now: times[i]!,
        });
      }
    });
  });
}

/** A half-year's stars computed, announced and finalised after its last month; then plates issued. */
export function playHalfYear(db: Db, ctx: Context, period: string, lastMonth: string): string {
  const { endsAt } = monthBounds(lastMonth);
  computeHalfYearResult(db, ctx.campaignId, period, ctx.cadreId, endsAt + 14 * DAY);
  const announced = announceHalfYear(db, ctx.campaignId, period, 5, ctx.cadreId, endsAt + 14 * DAY);
  finalizeResult(db, announced.id, ctx.cadreId, announced.objectionDeadline! + DAY);
  issuePlates(db, announced.id, undefined, ctx.cadreId, announced.objectionDeadline! + 3 * DAY);
  return findResult(db, ctx.campaignId, 'half_year', period)!.id;
}
