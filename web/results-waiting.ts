import { halfYearOf, halfYearReady } from '../server/domain/awards';
import { isMonth } from '../server/domain/results';
import type { ResultBrief } from './results-api';

/** What the results tab can work on, as far as choosing what waits needs to know. */
export interface WaitingCandidate {
  campaign: { id: string };
  /** Whether the reader runs the campaign (computes, announces, settles, locks its results). */
  runs: boolean;
  target: { kind: 'round' } | { kind: 'stars'; period: string };
  round: { period: string; status: string } | null;
  brief: Pick<ResultBrief, 'status' | 'objectionDeadline'> | null;
}

/**
 * What waits for the cadre, in the order the console's count has it: a round scored and closed
 * but not announced, a half-year whose months are all final but whose stars are not out, a
 * result whose objection period is over (to lock), then one still in its objection period. Only
 * of campaigns the cadre runs, as the count; failing those, a result in its objection period of
 * a campaign the town admin runs, whose objections about the village's families the cadre reads.
 */
export function waitingChoice<C extends WaitingCandidate>(list: readonly C[], now: number): C | undefined {
  const out = (c: C) => c.brief?.status === 'announced' || c.brief?.status === 'final';
  const halfReady = (c: C) => {
    if (c.target.kind !== 'stars' || out(c)) return false;
    const period = c.target.period;
    const held = list.flatMap((x) => (x.round && x.campaign.id === c.campaign.id && isMonth(x.round.period) && halfYearOf(x.round.period) === period ? [x.round] : []));
    return halfYearReady(held);
  };
  const announced = (c: C) => c.brief?.status === 'announced';
  const periodOver = (c: C) => announced(c) && !!c.brief?.objectionDeadline && Date.parse(c.brief.objectionDeadline) < now;
  const runs = list.filter((c) => c.runs);
  return runs.find((c) => c.round?.status === 'scoring_closed') ?? runs.find(halfReady) ?? runs.find(periodOver) ?? runs.find(announced) ?? list.find(announced);
}
