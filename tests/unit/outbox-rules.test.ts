import { describe, expect, it } from 'vitest';
import { attemptOutcome, MAX_KEPT_PHOTOS, photoRoom } from '../../web/outbox-rules.ts';

describe('what a failed try of a kept sheet or photo means', () => {
  it.each([
    [null, 'wait'],
    [0, 'wait'],
    [408, 'wait'],
    [429, 'wait'],
    [500, 'wait'],
    [503, 'wait'],
    [401, 'signed_out'],
    [400, 'refused'],
    [403, 'refused'],
    [404, 'refused'],
    [409, 'refused'],
    [413, 'refused'],
    [415, 'refused'],
  ] as const)('status %s: %s', (status, outcome) => {
    expect(attemptOutcome(status)).toBe(outcome);
  });
});

describe('room for one more on-site photo', () => {
  const base = { onServer: 0, waitingForSheet: 0, keptOnPhone: 0, maxPerSheet: 6 };

  it('counts the photos on their way with those on the server against the sheet', () => {
    expect(photoRoom({ ...base, onServer: 3, waitingForSheet: 2, keptOnPhone: 2 })).toBe('ok');
    expect(photoRoom({ ...base, onServer: 3, waitingForSheet: 3, keptOnPhone: 3 })).toBe('sheet_full');
    expect(photoRoom({ ...base, waitingForSheet: 6, keptOnPhone: 6 })).toBe('sheet_full');
    expect(photoRoom({ ...base, onServer: 6 })).toBe('sheet_full');
  });

  it('stops at the phone-wide limit, whatever the sheet', () => {
    expect(photoRoom({ ...base, keptOnPhone: MAX_KEPT_PHOTOS - 1 })).toBe('ok');
    expect(photoRoom({ ...base, keptOnPhone: MAX_KEPT_PHOTOS })).toBe('phone_full');
    // a full sheet is the nearer reason to give
    expect(photoRoom({ ...base, onServer: 6, keptOnPhone: MAX_KEPT_PHOTOS })).toBe('sheet_full');
  });
});
