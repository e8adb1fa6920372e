import { describe, expect, it } from 'vitest';
import { LikeWriter, type LikeOp } from '../../server/db/likes.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { currentRound, PHONES, VILLAGES } from '../support/entries.ts';
import { accountId, directEntry, likeRows, sessionFor } from '../support/likes.ts';

// With synchronous=FULL (the default) the like writer commits a batch without SQLite's own
// fsync of the WAL and syncs the WAL itself, off the event loop. What must hold: nobody is
// answered before the fsync that follows their commit has returned, likes that arrive during
// an fsync are committed together after it and synced by the next one, and every other write
// of the connection keeps FULL.

/** A like writer whose fsyncs are held until the test lets them finish. */
function heldWriter(t: TestApp) {
  const pending: Array<(error: Error | null) => void> = [];
  const writer = new LikeWriter(t.db, (_fd, done) => pending.push(done));
  return { writer, pending };
}

async function setting() {
  const t = makeApp();
  const roundId = await currentRound(t, VILLAGES.yangwei);
  const entryId = directEntry(t, 1, roundId);
  const likers = [2, 3, 4].map((n) => {
    sessionFor(t, PHONES.yangwei(n));
    return accountId(t, PHONES.yangwei(n));
  });
  const op = (accountId: string): LikeOp => ({ kind: 'like', entryId, accountId, likerHouseholdId: null, ipPrefix: '10.0.0.0/24', deviceHash: 'd', now: t.clock.now() });
  return { t, entryId, likers, op };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('a like is answered only once the WAL holding it is synced', () => {
  it('committed, but not answered, until the fsync returns', async () => {
    const { t, entryId, likers, op } = await setting();
    const { writer, pending } = heldWriter(t);
    const answer = writer.submit(op(likers[0]!));
    expect(await settled(answer)).toBe(false);
    expect(likeRows(t, entryId)).toHaveLength(1);
    expect(pending).toHaveLength(1);
    expect(t.db.$client.pragma('synchronous', { simple: true })).toBe(2);

    pending.shift()!(null);
    expect(await answer).toEqual({ likeCount: 1, liked: true, qualifiedAt: null });
  });

  it('likes that arrive during an fsync are committed together after it, and answered after the next', async () => {
    const { t, entryId, likers, op } = await setting();
    const { writer, pending } = heldWriter(t);
    const first = writer.submit(op(likers[0]!));
    await settled(first);
    const later = [writer.submit(op(likers[1]!)), writer.submit(op(likers[2]!))];
    expect(await settled(later[0]!)).toBe(false);
    expect(likeRows(t, entryId)).toHaveLength(1);
    expect(pending).toHaveLength(1);

    pending.shift()!(null);
    expect(await first).toMatchObject({ likeCount: 1 });
    // Both committed in one batch once the disk was free, and now waiting for their own fsync.
    expect(likeRows(t, entryId)).toHaveLength(3);
    expect(await settled(later[0]!)).toBe(false);
    expect(pending).toHaveLength(1);
    pending.shift()!(null);
    expect(await Promise.all(later)).toEqual([expect.objectContaining({ likeCount: 2 }), expect.objectContaining({ likeCount: 3 })]);
  });

  it('synced() (what the outbox waits for before telling a household) waits for the fsync under way', async () => {
    const { t, likers, op } = await setting();
    const { writer, pending } = heldWriter(t);
    await expect(writer.synced()).resolves.toBeUndefined();
    const answer = writer.submit(op(likers[0]!));
    await settled(answer);
    const synced = writer.synced();
    expect(await settled(synced)).toBe(false);
    // Nothing commits during an fsync, so the one under way covers every row the outbox can read.
    pending.shift()!(null);
    await answer;
    await synced;
  });

  it('if the fsync fails, nobody of the batch is told their like is saved', async () => {
    const { t, likers, op } = await setting();
    const { writer, pending } = heldWriter(t);
    const answers = likers.map((a) => writer.submit(op(a)));
    await settled(answers[0]!);
    pending.shift()!(new Error('EIO'));
    for (const a of answers) await expect(a).rejects.toThrow('EIO');
  });

  it('a like submitted as the database closes (the server stopping) is refused, and the server goes on', async () => {
    const { t, likers, op } = await setting();
    const writer = new LikeWriter(t.db);
    const answer = writer.submit(op(likers[0]!));
    t.db.$client.close();
    await expect(answer).rejects.toThrow(/not open/i);
  });

  it('the real fsync: likes through the API are stored and answered', async () => {
    const { t, entryId } = await setting();
    const cookie = sessionFor(t, PHONES.yangwei(5));
    const res = await t.req('PUT', `/api/entries/${entryId}/like`, { cookie });
    expect(res.status).toBe(200);
    expect(likeRows(t, entryId)).toHaveLength(1);
  });
});
