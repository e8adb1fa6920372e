import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../server/domain/errors.ts';
import {
  planRoundTransition,
  ROUND_EDGES,
  ROUND_STATES,
  roundTakesEntries,
  type RoundEdge,
  type RoundState,
} from '../../server/domain/rounds.ts';
import { monthBounds } from '../../server/domain/time.ts';

type Via = RoundEdge['via'];
const VIAS: readonly Via[] = ['transition', 'announce', 'finalize'];

/**
 * DESIGN §3, written out independently of the code: entries_open → inspecting →
 * scoring_closed → announced → final, plus a cadre's reopen (with a reason).
 * Announcing and finalising are their own actions.
 */
const SPEC: ReadonlyArray<{ from: RoundState; to: RoundState; via: Via; needsReason: boolean }> = [
  { from: 'entries_open', to: 'inspecting', via: 'transition', needsReason: false },
  { from: 'inspecting', to: 'scoring_closed', via: 'transition', needsReason: false },
  { from: 'scoring_closed', to: 'inspecting', via: 'transition', needsReason: true },
  { from: 'scoring_closed', to: 'announced', via: 'announce', needsReason: false },
  { from: 'announced', to: 'final', via: 'finalize', needsReason: false },
];
const specEdge = (from: RoundState, to: RoundState) => SPEC.find((e) => e.from === from && e.to === to);

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}

describe('ROUND_EDGES', () => {
  it('is exactly the lifecycle of DESIGN §3', () => {
    expect([...ROUND_EDGES].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`))).toEqual(
      [...SPEC].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`)),
    );
  });
});

describe('planRoundTransition: every (from, to, via)', () => {
  const cases = ROUND_STATES.flatMap((from) => ROUND_STATES.flatMap((to) => VIAS.map((via) => ({ from, to, via }))));

  it('the three groups below partition all 75 combinations', () => {
    const allowed = cases.filter(({ from, to, via }) => specEdge(from, to)?.via === via).length;
    const noEdge = cases.filter(({ from, to }) => !specEdge(from, to)).length;
    const wrongAction = cases.filter(({ from, to, via }) => specEdge(from, to) && specEdge(from, to)!.via !== via).length;
    expect([cases.length, allowed, noEdge, wrongAction]).toEqual([75, 5, 60, 10]);
  });

  it.each(cases.filter(({ from, to, via }) => specEdge(from, to)?.via === via))(
    '$from → $to via $via is allowed',
    ({ from, to, via }) => {
      const edge = planRoundTransition(from, to, via, 'the panel asked for a second visit');
      expect(edge).toMatchObject({ from, to, via });
    },
  );

  it.each(cases.filter(({ from, to }) => !specEdge(from, to)))('$from → $to via $via is refused (invalid_transition)', ({ from, to, via }) => {
    const err = refusal(() => planRoundTransition(from, to, via, 'some reason'));
    expect(err.status).toBe(409);
    expect(err.code).toBe('invalid_transition');
    // The refusal tells the cadre where the round can go from here.
    expect((err.details as { allowed: RoundState[] }).allowed.sort()).toEqual(
      SPEC.filter((e) => e.from === from)
        .map((e) => e.to)
        .sort(),
    );
  });

  it.each(cases.filter(({ from, to, via }) => specEdge(from, to) && specEdge(from, to)!.via !== via))(
    '$from → $to via $via is refused (use_dedicated_action)',
    ({ from, to, via }) => {
      const err = refusal(() => planRoundTransition(from, to, via, 'some reason'));
      expect(err.status).toBe(409);
      expect(err.code).toBe('use_dedicated_action');
      expect(err.details).toMatchObject({ from, to, action: specEdge(from, to)!.via });
    },
  );

  it.each([
    ['scoring_closed', 'announced', '公示'],
    ['announced', 'final', '定稿'],
  ] as const)('asking for %s → %s by a plain transition names the action to use (%s)', (from, to, action) => {
    expect(refusal(() => planRoundTransition(from, to, 'transition', undefined)).message).toContain(action);
  });

  it.each([
    ['entries_open', 'inspecting', 'announce'],
    ['inspecting', 'scoring_closed', 'finalize'],
  ] as const)('an ordinary move %s → %s requested as %s does not point at 公示/定稿', (from, to, via) => {
    const err = refusal(() => planRoundTransition(from, to, via, undefined));
    expect(err.code).toBe('use_dedicated_action');
    expect(err.message).not.toMatch(/公示|定稿/);
  });

  it('a final round cannot move anywhere, and says so', () => {
    for (const to of ROUND_STATES) {
      for (const via of VIAS) {
        const err = refusal(() => planRoundTransition('final', to, via, 'reason'));
        expect(err.code).toBe('invalid_transition');
        expect(err.message).toContain('已结束');
      }
    }
  });

  describe('reopening scoring (scoring_closed → inspecting) needs a reason', () => {
    it.each([undefined, '', '   ', '\n\t'])('reason %j is refused with 400 reason_required', (reason) => {
      const err = refusal(() => planRoundTransition('scoring_closed', 'inspecting', 'transition', reason));
      expect(err.status).toBe(400);
      expect(err.code).toBe('reason_required');
      expect(err.details).toEqual({ field: 'reason' });
    });

    it('a real reason is accepted', () => {
      expect(planRoundTransition('scoring_closed', 'inspecting', 'transition', '陈家庭院核实时漏评一项').needsReason).toBe(true);
    });

    it.each(SPEC.filter((e) => !e.needsReason))('$from → $to needs no reason', ({ from, to, via }) => {
      expect(planRoundTransition(from, to, via, undefined)).toMatchObject({ from, to });
    });
  });

  it('property: any sequence of attempts from entries_open moves only along the table, and final is terminal', () => {
    const attempt = fc.record({
      to: fc.constantFrom(...ROUND_STATES),
      via: fc.constantFrom(...VIAS),
      reason: fc.option(fc.constantFrom('', ' ', '补充核实'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 40 }), (attempts) => {
        let state: RoundState = 'entries_open';
        for (const { to, via, reason } of attempts) {
          const before: RoundState = state;
          const spec = specEdge(before, to);
          const shouldPass = !!spec && spec.via === via && (!spec.needsReason || !!reason?.trim());
          let moved = false;
          try {
            state = planRoundTransition(before, to, via, reason).to;
            moved = true;
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
          }
          expect(moved).toBe(shouldPass);
          if (before === 'final') expect(moved).toBe(false);
          if (moved) expect(state).toBe(to);
          else expect(state).toBe(before);
        }
      }),
    );
  });
});

describe('roundTakesEntries', () => {
  const may = { status: 'entries_open' as const, ...monthBounds('2026-05') };
  const at = (iso: string) => Date.parse(iso);

  it.each([
    ['2026-05-01T00:00:00.000+08:00', true],
    ['2026-05-15T12:00:00.000+08:00', true],
    ['2026-05-31T23:59:59.999+08:00', true],
    ['2026-06-01T00:00:00.000+08:00', false],
    ['2026-04-30T23:59:59.999+08:00', false],
  ])('May round at %s: %s', (iso, takes) => {
    expect(roundTakesEntries(may, at(iso))).toBe(takes);
  });

  it.each(ROUND_STATES.filter((s) => s !== 'entries_open'))('a round that is %s takes no entries, even within its month', (status) => {
    expect(roundTakesEntries({ ...may, status }, at('2026-05-15T12:00:00+08:00'))).toBe(false);
  });
});
