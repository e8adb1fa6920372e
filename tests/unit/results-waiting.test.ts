import { describe, expect, it } from 'vitest';
import { waitingChoice, type WaitingCandidate } from '../../web/results-waiting.ts';

// The results tab opens on what the console's 结果 count says waits, in the same order.

const NOW = Date.parse('2026-11-28T10:00:00+08:00');
type C = WaitingCandidate & { name: string };
const month = (name: string, period: string, status: string, brief: C['brief'] = null): C => ({ name, campaign: { id: 'c1' }, runs: true, target: { kind: 'round' }, round: { period, status }, brief });
const stars = (name: string, period: string, brief: C['brief'] = null): C => ({ name, campaign: { id: 'c1' }, runs: true, target: { kind: 'stars', period }, round: null, brief });
/** A round of a town's campaign, which a village's cadre reads but does not run. */
const town = (c: C): C => ({ ...c, name: `town ${c.name}`, campaign: { id: 'town' }, runs: false });
const announced = (deadline: string): C['brief'] => ({ status: 'announced', objectionDeadline: deadline });
const FINAL: C['brief'] = { status: 'final', objectionDeadline: '2026-06-10T23:59:59.999+08:00' };

describe('which result the results tab opens on', () => {
  const H1_FINAL = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'].map((p) => month(p, p, 'final', FINAL));
  const cases: Array<[string, C[], string | undefined]> = [
    ['nothing waits: the tab opens on no choice of its own', [...H1_FINAL, stars('H1', '2026H1', FINAL), month('11', '2026-11', 'entries_open')], undefined],
    ['a round scored and closed comes first', [stars('H1', '2026H1'), ...H1_FINAL, month('10', '2026-10', 'scoring_closed'), month('11', '2026-11', 'entries_open')], '10'],
    ['then a half-year whose months are all final, its stars not out', [...H1_FINAL, stars('H1', '2026H1'), month('10', '2026-10', 'announced', announced('2026-11-20T23:59:59.999+08:00'))], 'H1'],
    ['a half-year computed as a draft still waits to be announced', [...H1_FINAL, stars('H1', '2026H1', { status: 'draft', objectionDeadline: null })], 'H1'],
    ['not a half-year with a month still open', [...H1_FINAL.slice(0, 5), month('2026-06', '2026-06', 'inspecting'), stars('H1', '2026H1')], undefined],
    ['then a result whose objection period is over, before one still running', [month('09', '2026-09', 'announced', announced('2026-12-01T23:59:59.999+08:00')), month('10', '2026-10', 'announced', announced('2026-11-20T23:59:59.999+08:00'))], '10'],
    ['an announced result in its objection period, when nothing else waits', [month('10', '2026-10', 'announced', announced('2026-12-01T23:59:59.999+08:00')), month('11', '2026-11', 'entries_open')], '10'],
    // a town's campaign is its town admin's to move on: it waits for the village's cadre only to read
    ['not a town round scored and closed, which the cadre may not announce', [town(month('10', '2026-10', 'scoring_closed')), month('11', '2026-11', 'entries_open')], undefined],
    ['not a town result whose period is over, before the cadre’s own in its period', [town(month('09', '2026-09', 'announced', announced('2026-11-20T23:59:59.999+08:00'))), month('10', '2026-10', 'announced', announced('2026-12-01T23:59:59.999+08:00'))], '10'],
    ['the cadre’s own round to announce before a town half-year to announce', [...H1_FINAL.map(town), town(stars('H1', '2026H1')), month('10', '2026-10', 'scoring_closed')], '10'],
    ['a town result in its objection period, to read, when nothing of the cadre’s own waits', [town(month('10', '2026-10', 'announced', announced('2026-12-01T23:59:59.999+08:00'))), month('11', '2026-11', 'entries_open')], 'town 10'],
  ];
  it.each(cases)('%s', (_what, list, expected) => {
    expect(waitingChoice(list, NOW)?.name).toBe(expected);
  });
});
