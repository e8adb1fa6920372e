import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf, makeApp, T0, type TestApp } from '../support/api.ts';
import { currentRound, PHONES, VILLAGES } from '../support/entries.ts';
import { accountId, countMismatches, directEntry, like, sessionFor, unlike } from '../support/likes.ts';

// A model-based property test of DESIGN §3 (Like): random sequences of likes, unlikes, voids
// by the cadre, closing the round and the passing of time, by a handful of accounts on two
// entries, sent through the real API and compared after every step with a model small
// enough to be obviously right.

const THRESHOLD = 3;
const DAILY_CAP = 2;
const ROUND_ENDS = Date.parse('2026-11-30T23:59:59.999+08:00');
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
const dayStart = (t: number) => Math.floor((t + SHANGHAI) / DAY) * DAY - SHANGHAI;

/** Accounts: 0 = household of entry 0, 1 = household of entry 1, 2 and 3 = other villagers, 4 = no household. */
const ACCOUNTS = 5;
const ENTRIES = 2;

type Action =
  | { kind: 'like'; a: number; e: number }
  | { kind: 'unlike'; a: number; e: number }
  | { kind: 'void'; a: number; e: number }
  | { kind: 'close' }
  | { kind: 'advance'; ms: number };

const account = fc.integer({ min: 0, max: ACCOUNTS - 1 });
const entry = fc.integer({ min: 0, max: ENTRIES - 1 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 40, arbitrary: fc.record({ kind: fc.constant('like' as const), a: account, e: entry }) },
  { weight: 16, arbitrary: fc.record({ kind: fc.constant('unlike' as const), a: account, e: entry }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('void' as const), a: account, e: entry }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
  // Mostly minutes and hours (the daily cap resets at Shanghai midnight), now and then most of a day.
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(60_000, 60_000, 3_600_000, 3_600_000, 6 * 3_600_000, 20 * 3_600_000) }) },
);

type PairState = 'none' | 'active' | 'unliked' | 'voided';

interface Model {
  now: number;
  roundOpen: boolean;
  entries: Array<{ count: number; status: 'submitted' | 'qualified'; qualifiedAt: number | null }>;
  pairs: PairState[][]; // [account][entry]
  /** When each account's like rows were made (any status), for the daily cap. */
  rows: number[][];
}

type Expected = { status: 200; body: unknown } | { status: number; code: string };

const owns = (a: number, e: number) => a === e;
const takesLikes = (m: Model) => m.roundOpen && m.now <= ROUND_ENDS;
const iso = (t: number | null) => (t === null ? null : `${new Date(t + SHANGHAI).toISOString().slice(0, 23)}+08:00`);

/** What the API should answer to an action, and the model after it. */
function step(m: Model, act: Action, entryIds: string[]): Expected | null {
  switch (act.kind) {
    case 'like': {
      const en = m.entries[act.e]!;
      if (!takesLikes(m)) return { status: 409, code: 'likes_closed' };
      if (owns(act.a, act.e)) return { status: 403, code: 'forbidden' };
      const pair = m.pairs[act.a]![act.e]!;
      if (pair === 'active') return { status: 200, body: { likeCount: en.count, liked: true, qualifiedAt: iso(en.qualifiedAt) } };
      if (pair === 'voided') return { status: 409, code: 'like_voided' };
      if (m.rows[act.a]!.filter((t) => t >= dayStart(m.now)).length >= DAILY_CAP) return { status: 429, code: 'daily_like_cap' };
      m.rows[act.a]!.push(m.now);
      m.pairs[act.a]![act.e] = 'active';
      en.count++;
      if (en.status === 'submitted' && en.count >= THRESHOLD) Object.assign(en, { status: 'qualified', qualifiedAt: m.now });
      return { status: 200, body: { likeCount: en.count, liked: true, qualifiedAt: iso(en.qualifiedAt) } };
    }
    case 'unlike': {
      const en = m.entries[act.e]!;
      if (!takesLikes(m)) return { status: 409, code: 'likes_closed' };
      if (m.pairs[act.a]![act.e] === 'active') {
        m.pairs[act.a]![act.e] = 'unliked';
        en.count--;
      }
      return { status: 200, body: { likeCount: en.count, liked: false, qualifiedAt: iso(en.qualifiedAt) } };
    }
    case 'void': {
      // The cadre voids this account's like of the entry; only an active like is something to void.
      if (m.pairs[act.a]![act.e] !== 'active') return null;
      const en = m.entries[act.e]!;
      m.pairs[act.a]![act.e] = 'voided';
      en.count--;
      if (en.status === 'qualified' && en.count < THRESHOLD) Object.assign(en, { status: 'submitted', qualifiedAt: null });
      return { status: 200, body: { entries: [{ entryId: entryIds[act.e], voided: 1, likeCount: en.count, status: en.status }] } };
    }
    case 'close': {
      if (!m.roundOpen) return { status: 409, code: 'invalid_transition' };
      m.roundOpen = false;
      return { status: 200, body: undefined };
    }
    case 'advance':
      // Time stops a day after the round ends: nothing changes after that but sessions expiring.
      if (m.now <= ROUND_ENDS + DAY) m.now += act.ms;
      return null;
  }
}

async function run(actions: Action[]) {
  const t: TestApp = makeApp();
  try {
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const sql = t.db.$client;
    sql.prepare(`update campaigns set like_threshold = ?, rules = json_set(rules, '$.dailyLikeCap', ?) where id = (select campaign_id from rounds where id = ?)`).run(THRESHOLD, DAILY_CAP, roundId);
    const entryIds = [directEntry(t, 1, roundId), directEntry(t, 2, roundId)];
    const phones = [PHONES.yangwei(1), PHONES.yangwei(2), PHONES.yangwei(3), PHONES.yangwei(4), '13700000099'];
    const cookies = phones.map((p) => sessionFor(t, p, { createdAt: T0 - 30 * DAY }));
    const accountIds = phones.map((p) => accountId(t, p));
    const cadre = sessionFor(t, PHONES.yangweiCadre);

    const m: Model = {
      now: t.clock.now(),
      roundOpen: true,
      entries: entryIds.map(() => ({ count: 0, status: 'submitted' as const, qualifiedAt: null })),
      pairs: phones.map(() => entryIds.map(() => 'none' as PairState)),
      rows: phones.map(() => []),
    };

    for (const [i, act] of actions.entries()) {
      const where = `step ${i} ${JSON.stringify(act)}`;
      let res: Response | null = null;
      if (act.kind === 'like') res = await like(t, cookies[act.a], entryIds[act.e]!, { ip: `10.0.${act.a}.1`, device: `phone-${act.a}` });
      if (act.kind === 'unlike') res = await unlike(t, cookies[act.a], entryIds[act.e]!, { ip: `10.0.${act.a}.1`, device: `phone-${act.a}` });
      if (act.kind === 'void' && m.pairs[act.a]![act.e] === 'active') {
        const row = sql.prepare(`select id from likes where entry_id = ? and account_id = ? and status = 'active'`).all(entryIds[act.e], accountIds[act.a]) as Array<{ id: string }>;
        expect(row, where).toHaveLength(1);
        res = await t.req('POST', '/api/likes/void', { cookie: cadre, body: { likeIds: [row[0]!.id], reason: '核实为刷赞' } });
      }
      if (act.kind === 'close') res = await t.req('POST', `/api/rounds/${roundId}/transition`, { cookie: cadre, body: { to: 'inspecting' } });
      const expected = step(m, act, entryIds);
      t.clock.set(m.now);
      if (expected) {
        expect(res, where).not.toBeNull();
        if ('code' in expected) {
          const err = await errorOf(res!);
          expect({ status: err.status, code: err.code }, where).toEqual({ status: expected.status, code: expected.code });
        } else {
          const text = await res!.text();
          expect(res!.status, `${where}: ${text}`).toBe(200);
          if (expected.body !== undefined) expect(JSON.parse(text), where).toEqual(expected.body);
        }
      }

      // After every step: what anyone sees of each entry, and what is stored.
      for (const [e, id] of entryIds.entries()) {
        const view = (await (await t.req('GET', `/api/entries/${id}`)).json()) as { entry: { likeCount: number; status: string; qualifiedAt: string | null } };
        const me = m.entries[e]!;
        expect({ likeCount: view.entry.likeCount, status: view.entry.status, qualifiedAt: view.entry.qualifiedAt }, `${where}, entry ${e}`).toEqual({
          likeCount: me.count,
          status: me.status,
          qualifiedAt: iso(me.qualifiedAt),
        });
      }
      const active = sql.prepare(`select entry_id as e, account_id as a, status from likes where status in ('active', 'voided')`).all() as Array<{ e: string; a: string; status: string }>;
      const stored = active.map((r) => `${accountIds.indexOf(r.a)}:${entryIds.indexOf(r.e)}:${r.status}`).sort();
      const modelled = m.pairs.flatMap((row, a) => row.flatMap((s, e) => (s === 'active' || s === 'voided' ? [`${a}:${e}:${s}`] : []))).sort();
      expect(stored, where).toEqual(modelled);
      expect(countMismatches(t), where).toEqual([]);
    }
  } finally {
    t.db.$client.close();
  }
}

describe('likes against a model', () => {
  it('likeCount, liked, status, qualifiedAt and refusals match the model after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 15, maxLength: 50, size: 'max' }), async (actions) => run(actions)),
      { numRuns: 50 },
    );
  }, 120_000);

  it('a known sequence: threshold, sticky after unlike, dropped by void, re-reached, cap, closing', async () => {
    await run([
      { kind: 'like', a: 2, e: 0 },
      { kind: 'like', a: 3, e: 0 },
      { kind: 'like', a: 0, e: 0 },
      { kind: 'like', a: 4, e: 0 },
      { kind: 'unlike', a: 2, e: 0 },
      { kind: 'advance', ms: 60_000 },
      { kind: 'void', a: 3, e: 0 },
      { kind: 'like', a: 3, e: 0 },
      { kind: 'like', a: 2, e: 0 },
      { kind: 'like', a: 1, e: 0 },
      { kind: 'like', a: 2, e: 1 },
      { kind: 'unlike', a: 2, e: 1 },
      { kind: 'like', a: 2, e: 1 },
      { kind: 'advance', ms: 20 * 3_600_000 },
      { kind: 'like', a: 2, e: 1 },
      { kind: 'close' },
      { kind: 'like', a: 3, e: 1 },
      { kind: 'void', a: 2, e: 0 },
      { kind: 'close' },
    ]);
  });
});
