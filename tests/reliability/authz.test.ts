import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { localPhotoStore } from '../../server/media/store.ts';
import { ORIGIN } from '../support/api.ts';
import { makeJpeg } from '../support/images.ts';
import { answerContracts, loadDoc, undeclaredKeys } from './openapi.ts';
import { report } from './support.ts';
import { fillPath, makeWorld, PLAYERS, ROLES, type Role, type World } from './world.ts';

// Issue 7 (c): every route of the OpenAPI document × every role, with the answer expected
// written down here. A request is "allowed" when it gets past authorisation — any answer but
// 401, 403 or 404 (a 409 "already done" or 429 still means the role may do it) — and
// "denied" otherwise. Each cell runs on its own fresh world, so one role's change cannot
// decide another's answer. A route that the document lists and this table does not fails
// the test: whoever adds a route decides here who may call it.
//
// Roles (see world.ts): A anonymous · V villager of 洋尾村1号 · OV villager of 岭畔村 ·
// P 村民代表 on 洋尾村's panel · OC cadre of 岭畔村 · C cadre of 洋尾村 · T town admin of 磁灶镇.
// Every object named is 洋尾村's: its village, campaign, current round, the villager's own
// draft entry ("own") and another household's qualified entry ("entry").

type Who = 'A' | 'V' | 'OV' | 'P' | 'OC' | 'C' | 'T';
const CODE: Record<Who, Role> = { A: 'anonymous', V: 'villager', OV: 'otherVillager', P: 'panel', OC: 'otherCadre', C: 'cadre', T: 'townAdmin' };
const EVERYONE: Who[] = ['A', 'V', 'OV', 'P', 'OC', 'C', 'T'];
const SIGNED_IN: Who[] = ['V', 'OV', 'P', 'OC', 'C', 'T'];
const MANAGERS: Who[] = ['C', 'T'];
const FAMILY: Who[] = ['V', 'C', 'T'];

interface Rule {
  allow: Who[];
  /** A request body that is valid, so that only the role decides the answer. */
  body?: (w: World) => Promise<unknown> | unknown;
  /** Something that has to exist first (made by the role that may make it). */
  before?: (w: World) => Promise<void>;
  query?: string;
  /** The world with 洋尾村's played-through history (final first half-year with plates, October scored). */
  history?: boolean;
}

const one = <T>(w: World, sql: string, ...args: unknown[]) => w.t.db.$client.prepare(sql).get(...args) as T;
/** October of 洋尾村's second half-year: scored, ready to announce. */
const october = async (w: World) => {
  w.ids.round = one<{ id: string }>(w, `select id from rounds where campaign_id = ? and period = '2026-10'`, w.ids.campaign).id;
};
const announcedOctober = async (w: World) => {
  await october(w);
  const res = await w.t.req('POST', `/api/rounds/${w.ids.round}/announce`, { cookie: w.cookie.cadre });
  if (res.status !== 200) throw new Error(`announce: ${res.status}`);
};
const objectionFiled = async (w: World) => {
  await announcedOctober(w);
  const res = await w.t.req('POST', `/api/rounds/${w.ids.round}/objections`, { cookie: w.cookie.villager, body: { householdId: w.ids.thirdHousehold, text: '评分偏高，请复核。' } });
  if (res.status !== 201) throw new Error(`objection: ${res.status} ${await res.text()}`);
  w.ids.objection = ((await res.json()) as { objection: { id: string } }).objection.id;
};
/** An on-site photo of the panel member's sheet for the qualified entry: the {photoId} to take back. */
const panelPhotoTaken = async (w: World) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await makeJpeg(64, 48, { seed: 12 }))], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await w.t.app.request(`/api/entries/${w.ids.entry}/score-sheets/mine/photos`, { method: 'POST', headers: { origin: ORIGIN, cookie: w.cookie.panel! }, body: form }, { incoming: { socket: { remoteAddress: '10.0.0.1' } } });
  if (res.status !== 201) throw new Error(`sheet photo: ${res.status} ${await res.text()}`);
  w.ids.ownPhoto = ((await res.json()) as { photos: Array<{ id: string }> }).photos[0]!.id;
};
/** The first half-year campaign (final stars, plates issued) and one of its plates and rewards. */
const firstHalf = async (w: World) => {
  w.ids.campaign = one<{ id: string }>(w, `select id from campaigns where title like '%上半年%'`).id;
  w.ids.period = '2026H1';
  w.ids.serial = one<{ serial: string }>(w, `select serial from plates where status = 'issued' order by serial limit 1`).serial;
  const reward = one<{ id: string; resultId: string }>(w, `select id, result_id as resultId from rewards where status = 'pending' limit 1`);
  w.ids.reward = reward.id;
  w.ids.batch = reward.resultId;
};
/** The first half-year's revoked plate (the demo revoked one), whose household may be given a new one. */
const revokedPlate = async (w: World) => {
  await firstHalf(w);
  w.ids.serial = one<{ serial: string }>(w, `select serial from plates where status = 'revoked' order by serial limit 1`).serial;
};
const objectionPhoto = async () => ({ form: await makeJpeg(64, 48, { seed: 11 }) });

const json = (value: unknown) => ({ json: value });
const likeAsVillager = async (w: World) => {
  const res = await w.t.req('PUT', `/api/entries/${w.ids.entry}/like`, { cookie: w.cookie.villager });
  if (res.status !== 200) throw new Error(`like: ${res.status}`);
};

const MATRIX: Record<string, Rule> = {
  'POST /api/auth/otp': { allow: EVERYONE, body: () => json({ phone: '13800138000' }) },
  'POST /api/auth/login': {
    allow: EVERYONE,
    body: async (w) => {
      const otp = await w.t.req('POST', '/api/auth/otp', { body: { phone: '13800138001' } });
      return json({ phone: '13800138001', code: ((await otp.json()) as { devCode: string }).devCode });
    },
  },
  // Signing out without a session is a no-op that reveals and changes nothing.
  'POST /api/auth/logout': { allow: EVERYONE },
  'GET /api/me': { allow: SIGNED_IN },
  'GET /api/session': { allow: EVERYONE },
  'GET /api/places/towns': { allow: EVERYONE },
  'GET /api/places/villages': { allow: EVERYONE, query: 'town=350582102' },
  'GET /api/villages/{id}': { allow: EVERYONE },
  'GET /api/villages/{id}/todo': { allow: MANAGERS },
  'POST /api/households': { allow: SIGNED_IN, body: () => json({ villageId: '350582102207', headName: '李四', doorNumber: '洋尾村98号' }) },
  'POST /api/households/{id}/confirm': { allow: MANAGERS },
  'POST /api/households/{id}/reject': { allow: MANAGERS, body: () => json({ reason: '查无此户，请核实门牌号。' }) },
  // Only the family that registered may correct it while it waits (the world's pending household is a newcomer's, none of these roles).
  'PATCH /api/households/{id}': { allow: [], body: () => json({ villageId: '350582102207', headName: '张新来', doorNumber: '洋尾村97号' }) },
  'POST /api/households/{id}/members': { allow: MANAGERS, body: () => json({ phone: '13912340000' }) },
  'DELETE /api/households/{id}/members/{accountId}': { allow: MANAGERS },
  'GET /api/villages/{id}/households': { allow: MANAGERS },
  'POST /api/villages/{id}/households/import': { allow: MANAGERS, body: () => ({ csv: '户主姓名,门牌号,手机号\n陈大明,洋尾村200号,13912345678\n' }) },
  'POST /api/campaigns': { allow: MANAGERS, body: () => json({ title: '2027年最美卫生庭院评比', format: 'single', villageIds: ['350582102207'], window: { from: '2027-03-01', to: '2027-03-31' } }) },
  'GET /api/campaigns': { allow: EVERYONE, query: 'village=350582102207' },
  'GET /api/campaigns/{id}': { allow: EVERYONE },
  'GET /api/campaigns/{id}/rounds': { allow: EVERYONE },
  'POST /api/campaigns/{id}/transition': { allow: MANAGERS, body: () => json({ to: 'closed' }) },
  'POST /api/rounds/{id}/transition': { allow: MANAGERS, body: () => json({ to: 'inspecting' }) },
  'GET /api/audit': { allow: MANAGERS, query: 'subject=campaign:{campaign}' },
  // Entering another household (洋尾村3号, not yet entered) on its behalf (代录): only its
  // cadres. A villager entering their own household is refused for reasons of the contest
  // (no household: 400, village not in the campaign: 409), never by role.
  'POST /api/rounds/{id}/entries': { allow: MANAGERS, body: (w) => json({ householdId: w.ids.thirdHousehold }) },
  'GET /api/rounds/{id}/entries': { allow: EVERYONE },
  'GET /api/entries/{id}': { allow: EVERYONE },
  'PATCH /api/entries/{id}': { allow: FAMILY, body: () => json({ description: '新种了三角梅。' }) },
  'POST /api/entries/{id}/photos': { allow: FAMILY, body: async () => ({ form: await makeJpeg(64, 48, { seed: 9 }) }) },
  'DELETE /api/entries/{id}/photos/{photoId}': { allow: FAMILY },
  'POST /api/entries/{id}/submit': { allow: FAMILY },
  // The villager's draft here was entered by the cadre (代录), so its cadres may withdraw it too;
  // a family's self-made entry is the family's alone (tests/api/entries.test.ts).
  'POST /api/entries/{id}/withdraw': { allow: FAMILY, body: () => json({}) },
  'POST /api/entries/{id}/moderation': { allow: MANAGERS, body: () => json({ action: 'hide', reason: '照片与本户无关。' }) },
  'GET /api/rounds/{id}/review': { allow: MANAGERS },
  'GET /api/rounds/{id}/photo-flags': { allow: MANAGERS },
  'POST /api/entries/{id}/photos/{photoId}/flags-cleared': {
    allow: MANAGERS,
    body: () => json({ reason: '是本户自己早些时候拍的，核实无误。' }),
    // the other household's photo, its camera date a day before the round began
    before: async (w) => {
      const photo = one<{ id: string }>(w, `select id from photos where entry_id = ? and removed_at is null limit 1`, w.ids.entry);
      w.t.db.$client.prepare(`update photos set captured_at = (select r.starts_at - 86400000 from entries e join rounds r on r.id = e.round_id where e.id = ?) where id = ?`).run(w.ids.entry, photo.id);
      w.ids.ownPhoto = photo.id;
    },
  },
  'GET /api/photos/{key}/{file}': { allow: EVERYONE },
  'GET /api/entries/{id}/qr.svg': { allow: EVERYONE },
  'GET /api/entries/{id}/poster.png': { allow: EVERYONE },
  'GET /api/me/entries': { allow: SIGNED_IN },
  'GET /api/me/notifications': { allow: SIGNED_IN },
  'POST /api/me/notifications/{id}/read': { allow: ['V'] },
  'PUT /api/entries/{id}/like': { allow: SIGNED_IN },
  'DELETE /api/entries/{id}/like': { allow: SIGNED_IN },
  'GET /api/rounds/{id}/suspicious-likes': { allow: MANAGERS },
  'POST /api/likes/void': {
    allow: MANAGERS,
    before: likeAsVillager,
    body: (w) => json({ likeIds: [(w.t.db.$client.prepare(`select id from likes limit 1`).get() as { id: string }).id], reason: '同一网段集中点赞，经核实为刷票。' }),
  },
  'POST /api/campaigns/{id}/panels': {
    allow: MANAGERS,
    body: () =>
      json({
        name: '洋尾村复核组',
        quorum: 3,
        members: [
          { phone: '13900000011', role: '镇干部', name: '王志强' },
          { phone: '13900000012', role: '村干部', name: '陈丽珍' },
          { phone: '13900000014', role: '村民代表', name: '许阿婆' },
        ],
      }),
  },
  'GET /api/campaigns/{id}/panels': { allow: MANAGERS },
  'PUT /api/panels/{id}': {
    allow: MANAGERS,
    body: () =>
      json({
        name: '洋尾村考评组',
        quorum: 3,
        members: [
          { phone: '13900000011', role: '镇干部', name: '王志强' },
          { phone: '13900000012', role: '村干部', name: '陈丽珍' },
          { phone: '13900000014', role: '村民代表', name: '许阿婆' },
        ],
        reason: '两位成员外出务工，先由三人评分。',
      }),
  },
  'GET /api/rounds/{id}/inspections': { allow: ['P'] },
  'PUT /api/entries/{id}/score-sheets/mine': { allow: ['P'], body: () => json({ passed: true, points: { hygiene: 30, beautification: 20, openness: 10, culture: 10 }, comment: '', idempotencyKey: 'matrix-sheet-1' }) },
  'GET /api/entries/{id}/score-sheets': { allow: MANAGERS },
  'POST /api/entries/{id}/score-sheets/mine/photos': { allow: ['P'], body: async () => ({ form: await makeJpeg(64, 48, { seed: 10 }) }) },
  'DELETE /api/entries/{id}/score-sheets/mine/photos/{photoId}': { allow: ['P'], before: panelPhotoTaken },
  'POST /api/entries/{id}/recusal': { allow: ['P'], body: () => json({ reason: '这是我亲戚家。' }) },
  'GET /api/rounds/{id}/scoring-progress': { allow: MANAGERS },

  // Results, objections, stars, plates, rewards, dashboard.
  'POST /api/rounds/{id}/results': { allow: MANAGERS, history: true, before: october },
  'GET /api/rounds/{id}/results': { allow: EVERYONE, history: true, before: announcedOctober },
  'POST /api/rounds/{id}/announce': { allow: MANAGERS, history: true, before: october },
  'POST /api/rounds/{id}/finalize': { allow: MANAGERS, history: true, before: announcedOctober },
  'GET /api/rounds/{id}/results/notice.pdf': { allow: EVERYONE, history: true, before: announcedOctober },
  'POST /api/rounds/{id}/objections': { allow: SIGNED_IN, history: true, before: announcedOctober, body: (w) => json({ householdId: w.ids.thirdHousehold, text: '评分偏高，请复核。' }) },
  'GET /api/rounds/{id}/objections': { allow: SIGNED_IN, history: true, before: objectionFiled },
  'POST /api/campaigns/{id}/stars/{period}': { allow: MANAGERS, history: true, before: firstHalf },
  'GET /api/campaigns/{id}/stars/{period}': { allow: EVERYONE, history: true, before: firstHalf },
  'POST /api/campaigns/{id}/stars/{period}/announce': { allow: MANAGERS, history: true, before: firstHalf },
  'POST /api/campaigns/{id}/stars/{period}/finalize': { allow: MANAGERS, history: true, before: firstHalf },
  'GET /api/campaigns/{id}/stars/{period}/notice.pdf': { allow: EVERYONE, history: true, before: firstHalf },
  'POST /api/campaigns/{id}/stars/{period}/objections': { allow: SIGNED_IN, history: true, before: firstHalf, body: (w) => json({ householdId: w.ids.thirdHousehold, text: '评分偏高，请复核。' }) },
  'GET /api/campaigns/{id}/stars/{period}/objections': { allow: SIGNED_IN, history: true, before: firstHalf },
  // Only the objector adds photos to their objection.
  'POST /api/objections/{id}/photos': { allow: ['V'], history: true, before: objectionFiled, body: objectionPhoto },
  'POST /api/objections/{id}/decision': { allow: MANAGERS, history: true, before: objectionFiled, body: () => json({ uphold: false, reason: '复核评分表，打分有据。' }) },
  'GET /api/campaigns/{id}/results': { allow: EVERYONE, history: true },
  'GET /api/me/results': { allow: SIGNED_IN },
  'GET /api/villages/{id}/honors': { allow: EVERYONE, history: true },
  'POST /api/campaigns/{id}/plates': { allow: MANAGERS, history: true, before: firstHalf, body: () => json({ period: '2026H1' }) },
  'GET /api/campaigns/{id}/plates': { allow: MANAGERS, history: true, before: firstHalf, query: 'period=2026H1' },
  'GET /api/campaigns/{id}/plates/export.csv': { allow: MANAGERS, history: true, before: firstHalf, query: 'period=2026H1' },
  'GET /api/campaigns/{id}/plates/export.pdf': { allow: MANAGERS, history: true, before: firstHalf, query: 'period=2026H1' },
  'GET /api/plates/{serial}': { allow: EVERYONE, history: true, before: firstHalf },
  'GET /api/plates/{serial}.svg': { allow: EVERYONE, history: true, before: firstHalf },
  'GET /api/plates/{serial}.pdf': { allow: EVERYONE, history: true, before: firstHalf },
  'POST /api/plates/{serial}/revoke': { allow: MANAGERS, history: true, before: firstHalf, body: () => json({ reason: '门牌信息有误，需重新制作。' }) },
  'POST /api/plates/{serial}/reissue': { allow: MANAGERS, history: true, before: revokedPlate },
  'GET /api/rewards': { allow: MANAGERS, history: true, query: 'village=350582102207' },
  'POST /api/rewards/{id}/paid': { allow: MANAGERS, history: true, before: firstHalf, body: () => json({ paidOn: '2026-11-27', payer: '陈会计', note: '' }) },
  'GET /api/rewards/receipts.pdf': { allow: MANAGERS, history: true, before: firstHalf, query: 'village=350582102207&batch={batch}' },
  'POST /api/rewards/paid': { allow: MANAGERS, history: true, before: firstHalf, body: (w) => json({ rewardIds: [w.ids.reward], paidOn: '2026-11-27', payer: '陈会计', note: '' }) },
  'GET /api/towns/{id}/dashboard': { allow: ['T'] },
  'GET /api/towns/{id}/dashboard.csv': { allow: ['T'] },
};

async function call(w: World, method: string, template: string, rule: Rule, role: Role): Promise<{ status: number; text: string; json: unknown }> {
  const path = fillPath(template, method, w.ids) + (rule.query ? `?${rule.query.replace('{campaign}', w.ids.campaign!).replace('{batch}', w.ids.batch ?? '')}` : '');
  const cookie = w.cookie[role];
  const body = (await rule.body?.(w)) as { json?: unknown; csv?: string; form?: Buffer } | undefined;
  const headers: Record<string, string> = { origin: ORIGIN, ...(cookie ? { cookie } : {}) };
  let payload: string | FormData | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    payload = body.csv;
  } else if (body?.form) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(body.form)], { type: 'image/jpeg' }), 'photo.jpg');
    payload = form;
  }
  const env = { incoming: { socket: { remoteAddress: '10.0.0.1' } } };
  const res = await w.t.app.request(path, { method, headers, body: payload }, env);
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as unknown) : undefined;
  return { status: res.status, text: text.slice(0, 160), json };
}

const DENIED = new Set([401, 403, 404]);

describe('authorisation matrix: every route × every role', () => {
  it('every route of the OpenAPI document is in the table, and no role is allowed what the table denies', async () => {
    const first = await makeWorld();
    const { operations } = await loadDoc(first.t);
    const documented = operations.map((o) => `${o.method} ${o.path}`);
    const missing = documented.filter((k) => !(k in MATRIX));
    const stale = Object.keys(MATRIX).filter((k) => !documented.includes(k));
    expect(missing, 'routes in the OpenAPI document without a row in the authorisation table: add them').toEqual([]);
    expect(stale, 'rows for routes the document no longer has').toEqual([]);

    const contracts = answerContracts(first.t);
    const photo = await sharp(await makeJpeg(32, 24)).webp().toBuffer();
    // Every JSON answer is read against the shape its route declares for that status: the web's
    // types are inferred from the same schemas, so an answer that strays from them is a page
    // that reads a field that is not there; and a key the contract does not declare (a phone
    // number added to a public answer) is a stray too.
    const strays: string[] = [];
    let checked = 0;
    const unexpectedAllows: string[] = [];
    const unexpectedDenies: string[] = [];
    let cells = 0;
    const allowedAnswers: string[] = [];
    for (const key of documented) {
      const rule = MATRIX[key]!;
      const [method, template] = key.split(' ') as [string, string];
      for (const who of EVERYONE) {
        const role = CODE[who];
        const w = await makeWorld({ history: rule.history ?? false });
        // The demo's photos are scenery without files; give the one a route names its copies.
        localPhotoStore(join(w.t.dataDir, 'photos')).put(w.ids.photoKey!, 'display', photo);
        await rule.before?.(w);
        const { status, text, json } = await call(w, method, template, rule, role);
        cells++;
        if (json !== undefined) {
          const contract = contracts.get(`${key} ${status}`);
          const read = contract?.safeParse(json);
          const extra = contract ? undeclaredKeys(contract, json) : [];
          if (!contract) strays.push(`${key} as ${who}: ${status} is not a declared answer: ${text}`);
          else if (!read?.success) strays.push(`${key} as ${who}: ${status} ${read?.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          else if (extra.length) strays.push(`${key} as ${who}: ${status} carries what its contract does not declare: ${[...new Set(extra.map((k) => k.replace(/\[\d+\]/g, '[]')))].join(', ')}`);
          checked++;
        }
        if (rule.allow.includes(who)) allowedAnswers.push(`${status}`);
        if (process.env.MATRIX_DEBUG && rule.allow.includes(who) && status >= 400) console.log(key, who, status, text);
        const allowed = !DENIED.has(status) && status < 500;
        if (status >= 500) unexpectedDenies.push(`${key} as ${who}: ${status} ${text}`);
        else if (allowed && !rule.allow.includes(who)) unexpectedAllows.push(`${key} as ${who} (${role === 'anonymous' ? 'anonymous' : PLAYERS[role].who}): ${status} ${text}`);
        else if (!allowed && rule.allow.includes(who)) unexpectedDenies.push(`${key} as ${who}: ${status} ${text}`);
      }
    }
    report('(c) authorisation', 'routes × roles checked', `${documented.length} × ${ROLES.length} = ${cells}`);
    const tally = new Map<string, number>();
    for (const a of allowedAnswers) tally.set(a, (tally.get(a) ?? 0) + 1);
    report('(c) authorisation', 'answers to allowed cells', [...tally].sort().map(([s, n]) => `${s}×${n}`).join(' '));
    report('(c) authorisation', 'JSON answers read against their declared shape', checked);
    report('(c) authorisation', 'answers that stray from it', strays.length);
    report('(c) authorisation', 'unexpected allows', unexpectedAllows.length);
    report('(c) authorisation', 'unexpected denies', unexpectedDenies.length);
    expect(unexpectedAllows).toEqual([]);
    expect(unexpectedDenies).toEqual([]);
    expect(strays).toEqual([]);
  });
});
