import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';
import { currentRound, VILLAGES } from '../support/entries.ts';
import { directEntry, like, sessionFor, unlike } from '../support/likes.ts';

describe('an entry tells the person asking whether they liked it', () => {
  it('null for the public, false before liking, true after, false again after taking it back — on any phone', async () => {
    const t = makeApp();
    const entryId = directEntry(t, 1, await currentRound(t, VILLAGES.yangwei));
    const read = async (cookie?: string) => ((await (await t.req('GET', `/api/entries/${entryId}`, { cookie })).json()) as { entry: { likedByMe: boolean | null } }).entry.likedByMe;

    expect(await read()).toBeNull();
    const phone = sessionFor(t, '13900000120');
    expect(await read(phone)).toBe(false);
    expect((await like(t, phone, entryId)).status).toBe(200);
    // A second session of the same account (another phone) sees the like too.
    expect(await read(sessionFor(t, '13900000120'))).toBe(true);
    expect((await unlike(t, phone, entryId)).status).toBe(200);
    expect(await read(phone)).toBe(false);
  });
});
