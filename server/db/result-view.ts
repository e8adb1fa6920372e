import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { oneDecimal } from '../domain/fraction.ts';
import { rulesWithDefaults, type CampaignRules } from '../domain/campaigns.ts';
import type { PlateStatus } from '../domain/plates.ts';
import { householdLabel } from '../domain/households.ts';
import { finalizeRefusal, objectionPeriodOpen, periodLabel, PUBLISHED_SQL, PUBLISHED_STATUSES } from '../domain/results.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { campaignVillagesView } from './campaigns.ts';
import type { Db } from './client.ts';
import { photoUrl } from './entries.ts';
import { headNames, linesOf, MAX_OBJECTION_PHOTOS, parseFraction, objectionPhotosOf, openObjections, upheldObjections } from './results.ts';
import { platesOfHouseholds } from './plates.ts';
import { campaigns, entries, panelMembers, panels, photos, plates, resultLines, results, rewards, rounds, scoreSheets, villages } from './schema.ts';

type ResultRow = typeof results.$inferSelect;
type LineRow = typeof resultLines.$inferSelect;
type ObjectionRow = ReturnType<typeof upheldObjections>[number];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** What a result set says of itself: its period (a single evaluation's: its campaign's title), state and dates. */
function resultHead(r: ResultRow, campaignTitle: string, now: number) {
  return {
    id: r.id,
    kind: r.kind,
    period: r.period,
    periodLabel: periodLabel({ kind: r.kind, period: r.period, campaignTitle }),
    status: r.status,
    version: r.version,
    computedAt: toShanghaiIso(r.computedAt),
    announcedAt: r.announcedAt === null ? null : toShanghaiIso(r.announcedAt),
    objectionDeadline: r.objectionDeadline === null ? null : toShanghaiIso(r.objectionDeadline),
    objectionsOpen: objectionPeriodOpen(r, now),
    finalizedAt: r.finalizedAt === null ? null : toShanghaiIso(r.finalizedAt),
  };
}

/** Whose heads' full names a reader sees, by the household's village (the route asks can.readHouseholdNames). */
export type NamesShown = (villageId: string) => boolean;
/** No full names: what the public and the printed notice read. */
export const NO_NAMES: NamesShown = () => false;

/**
 * Lines as people read them, in the order given: the household as 陈家庭院 and its 编号 (the full
 * name where `names` says so), village, figures, the panel's marks as A, B, C… and the entry's
 * photos. A few grouped queries for any number of lines.
 */
function lineViews(db: Db, campaignId: string, lines: LineRow[], names: NamesShown) {
  const heads = headNames(db, lines.map((l) => l.householdId));
  const villageNames = new Map(
    db
      .select({ id: villages.id, name: villages.name })
      .from(villages)
      .where(inArray(villages.id, [...new Set(lines.map((l) => l.villageId))].concat([''])))
      .all()
      .map((v) => [v.id, v.name]),
  );
  const entryIds = lines.map((l) => l.entryId).filter((e): e is string => !!e);
  const marks = marksOf(db, campaignId, entryIds);
  // The criteria's English names, from the campaign's rubric (stored lines keep the Chinese).
  const rubric = (db.select({ rubric: campaigns.rubric }).from(campaigns).where(eq(campaigns.id, campaignId)).get()?.rubric ?? []) as Array<{ key: string; nameEn?: string }>;
  const nameEn = new Map(rubric.map((c) => [c.key, c.nameEn ?? '']));
  const shown = entryIds.length
    ? db
        .select({ entryId: photos.entryId, key: photos.storageKey })
        .from(photos)
        .where(and(inArray(photos.entryId, entryIds), isNull(photos.removedAt), isNull(photos.hiddenAt)))
        .orderBy(asc(photos.position))
        .all()
    : [];
  const photosOf = new Map<string, string[]>();
  for (const p of shown) photosOf.set(p.entryId, [...(photosOf.get(p.entryId) ?? []), p.key]);
  // The plate each line earned, whatever its status now (a reissued one replaces the revoked one
  // it followed: the latest is kept; a later honour's plate may have superseded it).
  const resultIds = [...new Set(lines.map((l) => l.resultId))];
  const plateOf = new Map(
    (resultIds.length
      ? db.select({ serial: plates.serial, status: plates.status, resultId: plates.resultId, householdId: plates.householdId }).from(plates).where(inArray(plates.resultId, resultIds)).orderBy(asc(plates.issuedAt), asc(plates.serial)).all()
      : []
    ).map((p) => [`${p.resultId}|${p.householdId}`, { serial: p.serial, status: p.status }]),
  );
  const numbers = new Map(
    entryIds.length ? db.select({ id: entries.id, number: entries.number }).from(entries).where(inArray(entries.id, entryIds)).all().map((e) => [e.id, e.number]) : [],
  );
  return lines.map((l) => {
    const keys = l.entryId ? (photosOf.get(l.entryId) ?? []) : [];
    return {
      householdId: l.householdId,
      householdLabel: householdLabel(heads.get(l.householdId)?.headName ?? ''),
      headName: names(l.villageId) ? (heads.get(l.householdId)?.headName ?? null) : null,
      village: { id: l.villageId, name: villageNames.get(l.villageId) ?? '' },
      entryId: l.entryId,
      entryNumber: l.entryId ? (numbers.get(l.entryId) ?? null) : null,
      rank: l.rank,
      total: l.total ? oneDecimal(parseFraction(l.total)!) : null,
      criteria: (l.criteria as Array<{ key: string; name: string; max: number; mean: string }>).map((c) => ({ ...c, nameEn: nameEn.get(c.key) ?? '' })),
      sheets: l.sheets,
      marks: l.entryId ? (marks.get(l.entryId) ?? []) : [],
      awarded: l.awarded,
      stars: l.stars,
      reason: l.reason,
      detail: l.detail as Record<string, unknown>,
      excludedReason: l.excludedReason,
      coverUrl: keys[0] ? photoUrl(keys[0], 'thumb') : null,
      photos: keys.slice(0, 9).map((k) => ({ thumbUrl: photoUrl(k, 'thumb'), displayUrl: photoUrl(k, 'display') })),
      plate: plateOf.get(`${l.resultId}|${l.householdId}`) ?? null,
    };
  });
}

/**
 * A household's announced and final results, newest first: its own line of each (not the
 * whole result set), the plate and the reward it earned there, and the result's state.
 */
export function householdResults(db: Db, householdId: string, now: number) {
  const rows = db
    .select({ r: results, l: resultLines, campaignTitle: campaigns.title })
    .from(resultLines)
    .innerJoin(results, eq(results.id, resultLines.resultId))
    .innerJoin(campaigns, eq(campaigns.id, results.campaignId))
    .where(and(eq(resultLines.householdId, householdId), inArray(results.status, [...PUBLISHED_STATUSES])))
    // Newest announcement first (a result recomputed after an objection keeps its place).
    .orderBy(desc(results.announcedAt), desc(results.period))
    .limit(24)
    .all();
  const plateOf = new Map(platesOfHouseholds(db, [householdId]).map((p) => [p.resultId, p]));
  const rewardOf = new Map(
    db
      .select({ resultId: rewards.resultId, amountFen: rewards.amountFen, goods: rewards.goods, status: rewards.status, paidOn: rewards.paidOn })
      .from(rewards)
      .where(eq(rewards.householdId, householdId))
      .all()
      .map(({ resultId, ...reward }) => [resultId, reward]),
  );
  // The lines viewed together, one batch per campaign (its panel gives the marks' letters).
  const byCampaign = new Map<string, LineRow[]>();
  for (const { r, l } of rows) byCampaign.set(r.campaignId, [...(byCampaign.get(r.campaignId) ?? []), l]);
  const views = new Map<LineRow, ReturnType<typeof lineViews>[number]>();
  for (const [campaignId, lines] of byCampaign) lineViews(db, campaignId, lines, NO_NAMES).forEach((v, i) => views.set(lines[i]!, v));
  return rows.map(({ r, l, campaignTitle }) => {
    const plate = plateOf.get(r.id);
    const head = resultHead(r, campaignTitle, now);
    return {
      resultId: r.id,
      campaignId: r.campaignId,
      roundId: r.roundId,
      campaignTitle,
      kind: r.kind,
      period: r.period,
      periodLabel: head.periodLabel,
      status: r.status as 'announced' | 'final',
      objectionDeadline: head.objectionDeadline,
      objectionsOpen: head.objectionsOpen,
      line: views.get(l)!,
      plate: plate ? { serial: plate.serial, status: plate.status } : null,
      reward: rewardOf.get(r.id) ?? null,
    };
  });
}

/**
 * A result set as people read it. Panel members appear as A, B, C… (the same letter is the
 * same member throughout a panel); `names` adds the full names of the households it allows.
 */
export function resultView(db: Db, r: ResultRow, names: NamesShown, now: number) {
  const campaign = db.select().from(campaigns).where(eq(campaigns.id, r.campaignId)).get()!;
  const round = r.roundId ? db.select().from(rounds).where(eq(rounds.id, r.roundId)).get()! : null;
  const rules = rulesWithDefaults(campaign.rules as Partial<CampaignRules>);
  const lines = linesOf(db, r.id);
  const order = (a: (typeof lines)[number], b: (typeof lines)[number]) =>
    a.villageId.localeCompare(b.villageId) ||
    Number(b.awarded) - Number(a.awarded) ||
    b.stars - a.stars ||
    (a.rank ?? 1e9) - (b.rank ?? 1e9) ||
    Number(a.excludedReason !== null) - Number(b.excludedReason !== null);
  const heads = headNames(db, lines.map((l) => l.householdId));
  const labelOf = (householdId: string) => householdLabel(heads.get(householdId)?.headName ?? '');
  const open = openObjections(db, r.id);
  return {
    ...resultHead(r, campaign.title, now),
    campaign: { id: campaign.id, title: campaign.title, format: campaign.format, villages: campaignVillagesView(db, campaign.id) },
    round: round ? { id: round.id, period: round.period, status: round.status } : null,
    rules: { passMark: rules.passMark, quotaPerVillage: rules.quotaPerVillage, starRule: campaign.starRule },
    openObjections: open,
    finalizeBlocked: finalizeRefusal(r, open, now)?.message ?? null,
    lines: lineViews(db, r.campaignId, [...lines].sort(order), names),
    changes: upheldObjections(db, r.id).map((o) => changeView(o, labelOf)),
  };
}

function changeView(o: ObjectionRow, labelOf: (householdId: string) => string) {
  const change = (o.change ?? { moves: [] }) as { moves: Array<{ householdId: string; before: string; after: string }> };
  return {
    objectionId: o.id,
    decidedAt: toShanghaiIso(o.decidedAt!),
    reason: o.decisionReason ?? '',
    householdLabel: labelOf(o.householdId),
    moves: change.moves.map((m) => ({ householdLabel: labelOf(m.householdId), before: m.before, after: m.after })),
  };
}

/** Every sheet of these entries as anonymous marks: the member's letter within their panel, role, check and points. */
function marksOf(db: Db, campaignId: string, entryIds: string[]) {
  const out = new Map<string, Array<{ member: string; role: string; passed: boolean; points: Record<string, number> }>>();
  if (!entryIds.length) return out;
  const letter = new Map<string, { letter: string; role: string }>();
  const members = db
    .select({ panelId: panelMembers.panelId, accountId: panelMembers.accountId, role: panelMembers.role })
    .from(panelMembers)
    .innerJoin(panels, eq(panels.id, panelMembers.panelId))
    .where(eq(panels.campaignId, campaignId))
    .orderBy(asc(panelMembers.panelId), asc(panelMembers.addedAt), asc(panelMembers.accountId))
    .all();
  const seen = new Map<string, number>();
  for (const m of members) {
    const i = seen.get(m.panelId) ?? 0;
    seen.set(m.panelId, i + 1);
    letter.set(`${m.panelId}|${m.accountId}`, { letter: LETTERS[i] ?? `M${i + 1}`, role: m.role });
  }
  const sheets = db
    .select({ entryId: scoreSheets.entryId, panelId: scoreSheets.panelId, accountId: scoreSheets.accountId, passed: scoreSheets.passed, points: scoreSheets.points })
    .from(scoreSheets)
    .where(inArray(scoreSheets.entryId, entryIds))
    .all();
  for (const s of sheets) {
    const who = letter.get(`${s.panelId}|${s.accountId}`) ?? { letter: '?', role: '' };
    const list = out.get(s.entryId) ?? [];
    out.set(s.entryId, list);
    list.push({ member: who.letter, role: who.role, passed: s.passed, points: s.points as Record<string, number> });
  }
  for (const list of out.values()) list.sort((a, b) => a.member.localeCompare(b.member));
  return out;
}

/**
 * An objection as its reader sees it: the household as 陈家庭院 with its entry's 编号 (as the
 * result's lines name it), and its head's full name where `viewer.names` allows. Who filed it
 * (phone, and family and door if any) only where `viewer.seesObjector` says so, given the village
 * of the household objected to and the objector's own (null: of no household); the route decides
 * both by the permission rules.
 */
export function objectionView(
  db: Db,
  o: { id: string; resultId: string; householdId: string; accountId: string; text: string; status: 'open' | 'upheld' | 'dismissed'; createdAt: number; decidedAt: number | null; decisionReason: string | null },
  viewer: { accountId: string | null; names?: NamesShown; seesObjector?: (villageId: string, objectorVillageId: string | null) => boolean },
) {
  const r = db.select({ kind: results.kind, period: results.period, campaignTitle: campaigns.title }).from(results).innerJoin(campaigns, eq(campaigns.id, results.campaignId)).where(eq(results.id, o.resultId)).get()!;
  const head = headNames(db, [o.householdId]).get(o.householdId);
  const village = db.select({ id: villages.id, name: villages.name }).from(villages).where(eq(villages.id, head?.villageId ?? '')).get() ?? { id: head?.villageId ?? '', name: '' };
  // Whoever looks into it may need to call the objector, and to know whose family they are.
  const by = viewer.seesObjector ? objectorOf(db, o.accountId) : null;
  const objector = by && head && viewer.seesObjector!(head.villageId, by.villageId) ? by.text : null;
  const entry = db
    .select({ number: entries.number })
    .from(resultLines)
    .innerJoin(entries, eq(entries.id, resultLines.entryId))
    .where(and(eq(resultLines.resultId, o.resultId), eq(resultLines.householdId, o.householdId)))
    .get();
  return {
    id: o.id,
    resultId: o.resultId,
    period: periodLabel(r),
    householdLabel: householdLabel(head?.headName ?? ''),
    entryNumber: entry?.number ?? null,
    headName: head && viewer.names?.(head.villageId) ? head.headName : null,
    village,
    objector,
    mine: viewer.accountId === o.accountId,
    text: o.text,
    status: o.status,
    createdAt: toShanghaiIso(o.createdAt),
    decidedAt: o.decidedAt === null ? null : toShanghaiIso(o.decidedAt),
    decisionReason: o.decisionReason,
    photos: objectionPhotosOf(db, o.id).map((p) => ({ id: p.id, thumbUrl: photoUrl(p.storageKey, 'thumb'), displayUrl: photoUrl(p.storageKey, 'display') })),
    maxPhotos: MAX_OBJECTION_PHOTOS,
  };
}

/** Who objected: the phone, and the family it belongs to (head and door), if any, with that family's village. */
function objectorOf(db: Db, accountId: string): { text: string; villageId: string | null } | null {
  const row = db.$client
    .prepare(
      `select a.phone, h.head_name as headName, h.door_number as doorNumber, h.village_id as villageId
         from accounts a left join household_members m on m.account_id = a.id left join households h on h.id = m.household_id
        where a.id = ?`,
    )
    .get(accountId) as { phone: string; headName: string | null; doorNumber: string | null; villageId: string | null } | undefined;
  if (!row) return null;
  return { text: row.headName ? `${row.phone}（${row.headName}家 · ${row.doorNumber}）` : row.phone, villageId: row.villageId };
}

/** A village's winners wall (its latest two published months) and its current star courtyards, as 陈家庭院. */
/** The winners wall: the latest month with its winners' photos, and the half-year before it by name. */
const HONOR_MONTHS = 7;

export function villageHonors(db: Db, villageId: string) {
  const sql = db.$client;
  const latest = sql
    .prepare(
      `select r.id, r.kind, r.period, r.status, c.title as campaignTitle from results r join campaigns c on c.id = r.campaign_id join result_lines l on l.result_id = r.id
        where l.village_id = ? and r.kind = 'round' and r.status in (${PUBLISHED_SQL}) and (l.awarded = 1 or l.stars > 0)
        group by r.id order by r.period desc limit ${HONOR_MONTHS}`,
    )
    .all(villageId) as Array<{ id: string; kind: 'round'; period: string; status: string; campaignTitle: string }>;
  const winners = latest.flatMap((r) =>
    (
      sql
        .prepare(
          `select l.entry_id as entryId, l.total, l.stars, h.head_name as headName, (select e.number from entries e where e.id = l.entry_id) as number,
                  (select p.storage_key from photos p where p.entry_id = l.entry_id and p.removed_at is null and p.hidden_at is null order by p.position limit 1) as cover
             from result_lines l join households h on h.id = l.household_id
            where l.result_id = ? and l.village_id = ? and (l.awarded = 1 or l.stars > 0) and l.excluded_reason is null
            order by l.stars desc, l.rank`,
        )
        .all(r.id, villageId) as Array<{ entryId: string | null; total: string | null; stars: number; headName: string; number: number | null; cover: string | null }>
    ).map((w) => {
      const total = parseFraction(w.total);
      return {
        period: r.period,
        periodLabel: periodLabel(r),
        householdLabel: householdLabel(w.headName),
        entryNumber: w.number,
        entryId: w.entryId,
        coverUrl: w.cover ? photoUrl(w.cover, 'thumb') : null,
        total: total ? oneDecimal(total) : null,
        stars: w.stars,
        // Announced (公示) but not yet final: an objection may still change it.
        final: r.status === 'final',
      };
    }),
  );
  const stars = (
    sql
      .prepare(
        `select p.serial, p.stars, p.title, p.status, h.head_name as headName from plates p join households h on h.id = p.household_id
          where p.village_id = ? and p.status = 'issued' and p.stars > 0 order by p.stars desc, p.serial`,
      )
      .all(villageId) as Array<{ serial: string; stars: number; title: string; status: PlateStatus; headName: string }>
  ).map((p) => ({ serial: p.serial, householdLabel: householdLabel(p.headName), stars: p.stars, title: p.title, status: p.status }));
  return { winners, stars, published: publishedResults(db, villageId) };
}

/** The announced and final result sets of every campaign the village takes part in, newest campaign first. */
/** A result set for navigation: what it is, its state, and until when it takes objections. */
export function resultBrief<S extends ResultRow['status']>(r: { id: string; kind: ResultRow['kind']; period: string; status: S; roundId: string | null; objectionDeadline: number | null }, campaignTitle: string) {
  return { id: r.id, kind: r.kind, period: r.period, periodLabel: periodLabel({ kind: r.kind, period: r.period, campaignTitle }), status: r.status, roundId: r.roundId, objectionDeadline: r.objectionDeadline === null ? null : toShanghaiIso(r.objectionDeadline) };
}

function publishedResults(db: Db, villageId: string) {
  const rows = db.$client
    .prepare(
      `select r.id, r.kind, r.period, r.status, r.round_id as roundId, r.objection_deadline as objectionDeadline, c.id as campaignId, c.title as campaignTitle
         from results r join campaigns c on c.id = r.campaign_id join campaign_villages cv on cv.campaign_id = c.id
        where cv.village_id = ? and r.status in (${PUBLISHED_SQL})
        order by c.starts_at desc, c.id, r.period, r.kind`,
    )
    .all(villageId) as Array<{ id: string; kind: 'round' | 'half_year'; period: string; status: 'announced' | 'final'; roundId: string | null; objectionDeadline: number | null; campaignId: string; campaignTitle: string }>;
  const byCampaign = new Map<string, { campaignId: string; campaignTitle: string; results: Array<ReturnType<typeof resultBrief<'announced' | 'final'>>> }>();
  for (const r of rows) {
    let c = byCampaign.get(r.campaignId);
    if (!c) byCampaign.set(r.campaignId, (c = { campaignId: r.campaignId, campaignTitle: r.campaignTitle, results: [] }));
    c.results.push(resultBrief(r, r.campaignTitle));
  }
  return [...byCampaign.values()];
}
