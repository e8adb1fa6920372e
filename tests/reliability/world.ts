import { addPhoto, createEntry, submitEntry } from '../../server/db/entries.ts';
import { sha256 } from '../../server/lib/ids.ts';
import { makeApp, type TestApp } from '../support/api.ts';
import { currentRound, VILLAGES } from '../support/entries.ts';
import { accountId, sessionFor, yangweiHousehold } from '../support/likes.ts';

// The scenery of the request-level reliability tests: the demo county with one of each kind
// of thing a route can name, and a session for each role. Written directly: sign-in and
// entry-making are not what these tests are about.

export const ROLES = ['anonymous', 'villager', 'otherVillager', 'panel', 'otherCadre', 'cadre', 'townAdmin'] as const;
export type Role = (typeof ROLES)[number];

/** Who plays each role; the cadre's village (洋尾村) is the village every id below belongs to. */
export const PLAYERS: Record<Exclude<Role, 'anonymous'>, { phone: string; who: string }> = {
  villager: { phone: '13900000101', who: 'villager of 洋尾村1号 (its entry is "own")' },
  otherVillager: { phone: '13900000201', who: 'villager of 岭畔村' },
  panel: { phone: '13900000014', who: "村民代表 on 洋尾村's panel" },
  otherCadre: { phone: '13900000003', who: 'village cadre of 岭畔村' },
  cadre: { phone: '13900000002', who: 'village cadre of 洋尾村' },
  townAdmin: { phone: '13900000001', who: 'town admin of 磁灶镇' },
};

export interface World {
  t: TestApp;
  cookie: Record<Role, string | undefined>;
  /** Values for the path parameters a route template names. */
  ids: Record<string, string>;
}

export async function makeWorld(options: { history?: boolean } = {}): Promise<World> {
  const t = makeApp({ history: options.history ?? false });
  const now = t.clock.now();
  const cookie = { anonymous: undefined } as Record<Role, string | undefined>;
  for (const [role, p] of Object.entries(PLAYERS)) cookie[role as Role] = sessionFor(t, p.phone);

  const roundId = await currentRound(t, VILLAGES.yangwei);
  const campaignId = (t.db.$client.prepare(`select campaign_id as c from rounds where id = ?`).get(roundId) as { c: string }).c;
  const cadre = accountId(t, PLAYERS.cadre.phone);
  const entryOf = (n: number, state: 'draft' | 'qualified') => {
    const e = createEntry(t.db, { roundId, householdId: yangweiHousehold(t, n), villageId: VILLAGES.yangwei, description: '院子干净整洁。', actorId: cadre, byProxy: true }, now);
    const key = sha256(`reliability-photo-${n}`);
    const photo = addPhoto(t.db, e.id, 'overview', { sourceHash: key, perceptualHash: key.slice(0, 16), storageKey: key, width: 1600, height: 1200, capturedAt: null, displayBytes: 1 }, cadre, now);
    if (state === 'qualified') submitEntry(t.db, e.id, 0, cadre, now);
    return { entryId: e.id, photoId: photo.id, key };
  };
  const own = entryOf(1, 'draft');
  // 洋尾村6号: a household that has not entered this month in the demo's history
  const other = entryOf(6, 'qualified');

  // A self-registered household waiting for the cadre, and a notice in the villager's inbox.
  const newcomer = sessionFor(t, '13700000077');
  const reg = await t.req('POST', '/api/households', { cookie: newcomer, body: { villageId: VILLAGES.yangwei, headName: '张新来', doorNumber: '洋尾村99号' } });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${await reg.text()}`);
  const householdId = ((await reg.json()) as { household: { id: string } }).household.id;
  const noticeId = 'nt_reliability1';
  t.db.$client
    .prepare(`insert into notifications (id, account_id, kind, payload, created_at) values (?, ?, 'entry_hidden', '{}', ?)`)
    .run(noticeId, accountId(t, PLAYERS.villager.phone), now);

  return {
    t,
    cookie,
    ids: {
      village: VILLAGES.yangwei,
      town: '350582102',
      campaign: campaignId,
      round: roundId,
      ownEntry: own.entryId,
      ownPhoto: own.photoId,
      entry: other.entryId,
      photoKey: other.key,
      household: householdId,
      member: accountId(t, '13700000077'),
      thirdHousehold: yangweiHousehold(t, 3),
      notice: noticeId,
      panel: (t.db.$client.prepare(`select id from panels where campaign_id = ? order by created_at limit 1`).get(campaignId) as { id: string }).id,
    },
  };
}

/**
 * A concrete path for a route template: each `{param}` gets the world's object of the kind
 * the segment before it names. Entry routes that edit an entry get the villager's own
 * (draft) entry; the others the qualified entry of another household.
 */
export function fillPath(template: string, method: string, ids: Record<string, string>, override?: { name: string; value: string }): string {
  const editing = method !== 'GET' && /^\/api\/entries\/\{id\}(\/photos(\/\{photoId\})?|\/submit|\/withdraw)?$/.test(template);
  const segments = template.split('/');
  return segments
    .map((seg, i) => {
      const m = /^\{(\w+)\}(\.\w+)?$/.exec(seg);
      if (!m) return seg;
      const name = m[1]!;
      const suffix = m[2] ?? '';
      if (name === 'serial') return ids.serial! + suffix;
      if (name === 'period') return ids.period!;
      if (override && override.name === name) return encodeURIComponent(override.value).replaceAll('%25', '%');
      const before = segments[i - 1];
      if (name === 'photoId') return ids.ownPhoto!;
      if (name === 'key') return ids.photoKey!;
      if (name === 'file') return 'display.webp';
      switch (before) {
        case 'villages':
          return ids.village!;
        case 'households':
          return ids.household!;
        case 'members':
          return ids.member!;
        case 'campaigns':
          return ids.campaign!;
        case 'rounds':
          return ids.round!;
        case 'entries':
          return editing ? ids.ownEntry! : ids.entry!;
        case 'notifications':
          return ids.notice!;
        case 'objections':
          return ids.objection!;
        case 'rewards':
          return ids.reward!;
        case 'towns':
          return ids.town!;
        case 'panels':
          return ids.panel!;
        default:
          throw new Error(`no object for {${name}} after /${before}/ in ${template}: add it to fillPath`);
      }
    })
    .join('/');
}
