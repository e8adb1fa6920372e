import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roundStatusLabel } from '../../web/i18n/labels.ts';
import { isOverdue } from '../../web/panel-state.ts';
import type { InspectionItem } from '../../web/scoring-api.ts';
import { clockOffset, heardServerDate, serverNow } from '../../web/server-clock.ts';

// A villager's phone with the wrong date (cheap phones lose it) reads the contest's calendar by
// the server's clock, which every answer carries in its Date header.

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The May round takes entries until 2026-05-31 23:59:59 in Shanghai. */
const MAY_ENDS = '2026-05-31T23:59:59.999+08:00';
const at = (shanghai: string) => Date.parse(`${shanghai}+08:00`);
/** The Date header the server writes at `t` (whole seconds). */
const dateHeader = (t: number) => new Date(t).toUTCString();

/** This phone's clock reads `phone`; the server answers a request at `server`. */
function answerHeard(phone: number, server: number, header = dateHeader(server)) {
  vi.setSystemTime(phone - 300);
  const sentAt = Date.now();
  vi.setSystemTime(phone);
  heardServerDate(header, sentAt, Date.now());
}

beforeAll(() => void vi.useFakeTimers({ toFake: ['Date'] }));
afterAll(() => void vi.useRealTimers());

describe('the server clock as the phone reckons it', () => {
  it.each([
    ['a phone that is right', 0],
    ['a phone 3 days ahead', 3 * DAY],
    ['a phone 2 days behind', -2 * DAY],
    ['a phone a year behind (a lost battery)', -365 * DAY],
    ['a phone 8 hours ahead (its time zone set to UTC by hand)', 8 * HOUR],
  ])('%s reads the server time within a second', (_what, phoneAhead) => {
    const server = at('2026-05-31T22:15:42.250');
    answerHeard(server + phoneAhead, server);
    expect(Math.abs(serverNow() - server)).toBeLessThan(1000);
  });

  it('the offset lies within the second the header names and the middle of the round trip', () => {
    const header = 'Sun, 31 May 2026 14:00:00 GMT';
    const server = Date.parse(header);
    expect(clockOffset(header, server - 1000, server + 1000)).toBe(500);
    expect(clockOffset(header, server + 3 * DAY - 200, server + 3 * DAY + 200)).toBe(-3 * DAY + 500);
    expect(clockOffset(null, 0, 0)).toBeNull();
    expect(clockOffset('not a date', 0, 0)).toBeNull();
  });

  it('an answer without a Date (a copy kept for use without signal) or with an unreadable one leaves the clock as it was', () => {
    const server = at('2026-05-20T09:00:00');
    answerHeard(server - 2 * DAY, server);
    const before = serverNow() - Date.now();
    answerHeard(server - 2 * DAY + 60_000, server, '');
    answerHeard(server - 2 * DAY + 60_000, server, 'yesterday');
    expect(serverNow() - Date.now()).toBe(before);
  });
});

describe('a round still taking entries, labelled by the server time whatever the phone says', () => {
  it.each([
    ['mid-month, phone 3 days ahead', '2026-05-20T10:00:00', 3 * DAY, '报名中'],
    ['the last evening, phone 2 days ahead (it would say closed)', '2026-05-31T23:00:00', 2 * DAY, '报名中'],
    ['the last second, phone an hour ahead', '2026-05-31T23:59:58', HOUR, '报名中'],
    ['just past the end, phone 3 days behind (it would say open)', '2026-06-01T00:00:30', -3 * DAY, '报名已截止'],
    ['a week past the end, phone a year behind', '2026-06-07T08:00:00', -365 * DAY, '报名已截止'],
    ['just past the end, phone right', '2026-06-01T00:00:30', 0, '报名已截止'],
    ['mid-month, phone right', '2026-05-20T10:00:00', 0, '报名中'],
  ])('%s: %s', (_what, server, phoneAhead, label) => {
    answerHeard(at(server) + phoneAhead, at(server));
    expect(roundStatusLabel('entries_open', MAY_ENDS)).toBe(label);
    // a round moved on says its state, whatever the day
    expect(roundStatusLabel('inspecting', MAY_ENDS)).toBe('实地核实中');
  });
});

describe("a panel member's visit past its due day, by the server time", () => {
  const item = (dueAt: string) => ({ dueAt, overdue: false }) as InspectionItem;
  it.each([
    ['due tomorrow, phone 3 days ahead', '2026-06-08T10:00:00', 3 * DAY, false],
    ['due yesterday, phone 3 days behind', '2026-06-10T10:00:00', -3 * DAY, true],
    ['due tomorrow, phone right', '2026-06-08T10:00:00', 0, false],
  ])('%s', (_what, server, phoneAhead, overdue) => {
    answerHeard(at(server) + phoneAhead, at(server));
    expect(isOverdue(item('2026-06-09T10:00:00.000+08:00'), 'todo')).toBe(overdue);
    expect(isOverdue(item('2026-06-09T10:00:00.000+08:00'), 'submitted')).toBe(false);
  });
});
