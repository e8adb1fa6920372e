import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantRole } from '../../server/db/accounts.ts';
import { makeApp } from '../support/api.ts';
import { currentRound, expectError, PHONES, VILLAGES } from '../support/entries.ts';
import { accountId, directEntry, like, sessionFor } from '../support/likes.ts';
import { freshPhone, PHONE } from './helpers.ts';

// The server remembers who holds a session between requests (SignedInCache). Whatever it
// remembers, a change to the session, the account's roles or its household is seen by the
// very next request when this process made it, and by every request that arrives after it
// when another one (the command line) did: over the network, that is any later turn of the
// event loop, which `laterRequest` waits for (requests of one turn arrived together).

const laterRequest = () => new Promise((resolve) => setImmediate(resolve));
const suspiciousOf = (roundId: string) => `/api/rounds/${roundId}/suspicious-likes`;

describe('a remembered sign-in never outlives what it was made of', () => {
  it('after logout, the next request with the old cookie is 401', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    for (let i = 0; i < 3; i++) expect((await t.req('GET', '/api/me', { cookie })).status).toBe(200);
    expect((await t.req('POST', '/api/auth/logout', { cookie })).status).toBe(200);
    await expectError(await t.req('GET', '/api/me', { cookie }), 401, 'unauthenticated');
  });

  it('a role granted in this process counts on the next request', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const phone = freshPhone(41);
    const cookie = await t.signIn(phone);
    await expectError(await t.req('GET', suspiciousOf(roundId), { cookie }), 403, 'forbidden');
    grantRole(t.db, accountId(t, phone), 'village_cadre', VILLAGES.yangwei, t.clock.now());
    expect((await t.req('GET', suspiciousOf(roundId), { cookie })).status).toBe(200);
  });

  it('a role granted, then revoked, by another process (the command line) counts on the next request', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const phone = freshPhone(42);
    const cookie = await t.signIn(phone);
    await expectError(await t.req('GET', suspiciousOf(roundId), { cookie }), 403, 'forbidden');

    const other = new Database(join(t.dataDir, 'courtyard.db'));
    try {
      other.prepare(`insert into roles (id, account_id, kind, scope_id, created_at) values ('rl_cli', ?, 'village_cadre', ?, ?)`).run(accountId(t, phone), VILLAGES.yangwei, t.clock.now());
      await laterRequest();
      expect((await t.req('GET', suspiciousOf(roundId), { cookie })).status).toBe(200);
      other.prepare(`delete from roles where id = 'rl_cli'`).run();
      await laterRequest();
      await expectError(await t.req('GET', suspiciousOf(roundId), { cookie }), 403, 'forbidden');
    } finally {
      other.close();
    }
  });

  it('a session ended by another process is 401 on the next request', async () => {
    const t = makeApp();
    const cookie = await t.signIn(PHONE.yangweiCadre);
    expect((await t.req('GET', '/api/me', { cookie })).status).toBe(200);
    const other = new Database(join(t.dataDir, 'courtyard.db'));
    try {
      other.prepare(`delete from sessions`).run();
    } finally {
      other.close();
    }
    await laterRequest();
    await expectError(await t.req('GET', '/api/me', { cookie }), 401, 'unauthenticated');
  });

  it('joining a household counts at once: the next like on that household’s entry is refused as one’s own', async () => {
    const t = makeApp();
    const roundId = await currentRound(t, VILLAGES.yangwei);
    const phone = freshPhone(43);
    const villager = sessionFor(t, phone);
    // Remembered without a household: a like on another family's entry is fine.
    expect((await like(t, villager, directEntry(t, 1, roundId))).status).toBe(200);

    const cadre = await t.signIn(PHONES.yangweiCadre);
    const registered = await t.req('POST', '/api/households', {
      cookie: cadre,
      body: { villageId: VILLAGES.yangwei, headName: '陈新', doorNumber: '洋尾村300号', proxy: { memberPhone: phone } },
    });
    expect(registered.status).toBe(201);
    const own = directEntry(t, 300, roundId);
    const refused = await like(t, villager, own);
    await expectError(refused, 403, 'forbidden');
  });
});
