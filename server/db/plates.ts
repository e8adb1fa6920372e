import { and, asc, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { rulesWithDefaults, type CampaignRules } from '../domain/campaigns.ts';
import { conflict, DomainError, invalid, notFound } from '../domain/errors.ts';
import { assertMayRevoke, awardKind, issuerName, PLATE_STATUS_LABELS, plateSerial, plateTitle, serialPeriod, villageInitials } from '../domain/plates.ts';
import { shanghaiDayOf, toShanghaiIso } from '../domain/time.ts';
import { compareDoorKeys, doorKey } from '../domain/households.ts';
import { plateIssued } from '../domain/audit-records.ts';
import { appendAudit } from './audit.ts';
import type { Db, Tx } from './client.ts';
import { notifyHousehold } from './notifications.ts';
import { getResult, linesOf } from './results.ts';
import { campaigns, households, plates, towns, villages } from './schema.ts';

type PlateRow = typeof plates.$inferSelect;

/**
 * Issue honor plates from final results: star courtyards (single-format bands or half-year
 * stars), and monthly awards when the campaign says so. Without a list, every eligible
 * household that never had a plate for these results; naming a household that holds one is 409
 * (a revoked plate is issued again only when its household is named).
 * A household's earlier plate is superseded by the new one.
 */
export function issuePlates(db: Db, resultId: string, householdIds: string[] | undefined, actorId: string, now: number, replacing?: string): PlateRow[] {
  return db.transaction((tx) => {
    const { result, campaign, kind, lines, held, hadOne } = plateCandidates(tx, resultId);
    let chosen = lines;
    if (householdIds) {
      const eligible = new Set(lines.map((l) => l.householdId));
      const notEligible = householdIds.filter((h) => !eligible.has(h));
      if (notEligible.length) throw invalid('not_eligible', '所选住户中有未获评星级（或奖项）的，不能发放门牌。', { field: 'householdIds', householdIds: notEligible });
      const already = householdIds.filter((h) => held.has(h));
      if (already.length) throw conflict('plate_already_issued', `其中 ${already.length} 户本期已发放门牌，不能重复发放。`, { householdIds: already });
      chosen = lines.filter((l) => householdIds.includes(l.householdId));
    } else {
      chosen = lines.filter((l) => !hadOne.has(l.householdId));
      if (!chosen.length) {
        throw conflict('plate_already_issued', lines.length ? '本期获评住户的门牌都已发放。' : '本期没有获评星级（或奖项）的住户。');
      }
    }
    // Serials follow the plate maker's order: most stars first, then by door number.
    const doors = new Map(tx.select({ id: households.id, door: households.doorNumber }).from(households).where(inArray(households.id, chosen.map((l) => l.householdId).concat(['']))).all().map((h) => [h.id, doorKey(h.door)]));
    chosen = [...chosen].sort((a, b) => b.stars - a.stars || compareDoorKeys(doors.get(a.householdId)!, doors.get(b.householdId)!));
    const issued: PlateRow[] = [];
    const village = new Map<string, { name: string; officialName: string; countyCode: string }>();
    for (const l of chosen) {
      let v = village.get(l.villageId);
      if (!v) {
        v = tx
          .select({ name: villages.name, officialName: villages.officialName, countyCode: towns.countyCode })
          .from(villages)
          .innerJoin(towns, eq(towns.id, villages.townId))
          .where(eq(villages.id, l.villageId))
          .get()!;
        village.set(l.villageId, v);
      }
      const prefix = `${v.countyCode}-${villageInitials(v.name)}-${serialPeriod(kind, result.period)}-`;
      // Longest first, then by text: 10000 sorts after 9999.
      const last = tx.select({ serial: plates.serial }).from(plates).where(like(plates.serial, `${prefix}%`)).orderBy(desc(sql`length(${plates.serial})`), desc(plates.serial)).limit(1).get();
      const serial = plateSerial(v.countyCode, villageInitials(v.name), serialPeriod(kind, result.period), last ? Number(last.serial.slice(prefix.length)) + 1 : 1);
      const household = tx.select().from(households).where(eq(households.id, l.householdId)).get()!;
      const row: PlateRow = {
        serial,
        resultId,
        campaignId: campaign.id,
        householdId: l.householdId,
        villageId: l.villageId,
        period: result.period,
        stars: l.stars,
        title: plateTitle(kind, result.period, l.stars),
        holderName: household.headName,
        issuer: issuerName(v.officialName, v.name),
        issuedAt: now,
        issuedBy: actorId,
        status: 'issued',
        revokedAt: null,
        revokedBy: null,
        revokedReason: null,
        supersededBy: null,
      };
      // The household's earlier plates of the same kind (star plates, or monthly award plates) give way to this one.
      const earlier = validPlatesOfKind(tx, l.householdId, l.stars);
      for (const e of earlier) {
        tx.update(plates).set({ status: 'superseded', supersededBy: serial }).where(eq(plates.serial, e.serial)).run();
        appendAudit(tx, { actorId, action: 'plate.supersede', subjectType: 'plate', subjectId: e.serial, before: { status: 'issued' }, after: { status: 'superseded', supersededBy: serial } }, now);
      }
      tx.insert(plates).values(row).run();
      // A plate revoked by mistake points to the one that replaces it: its verify page leads there.
      if (replacing) tx.update(plates).set({ supersededBy: serial }).where(and(eq(plates.serial, replacing), eq(plates.status, 'revoked'))).run();
      appendAudit(tx, { actorId, action: 'plate.issue', subjectType: 'plate', subjectId: serial, after: { ...plateIssued(row), ...(replacing ? { replacing } : {}) } }, now);
      notifyHousehold(tx, l.householdId, 'plate_issued', { serial }, `恭喜！您家获评「${row.title}」，荣誉门牌编号 ${serial}，请留意村委会通知领取。`, now);
      issued.push(row);
    }
    return issued;
  });
}

/**
 * What a final result's plates are issued from: its lines that earn one (not excluded; awarded
 * for monthly plates, with stars otherwise), the households holding one for it now, and those
 * that ever had one (a revoked plate is issued again only when a cadre names the household).
 */
function plateCandidates(tx: Db | Tx, resultId: string) {
  const result = getResult(tx, resultId);
  if (result.status !== 'final') throw conflict('results_not_final', '结果定稿后才能发放荣誉门牌。');
  const campaign = tx.select().from(campaigns).where(eq(campaigns.id, result.campaignId)).get()!;
  const rules = rulesWithDefaults(campaign.rules as Partial<CampaignRules>);
  const kind = awardKind(result.kind, campaign.format);
  if (kind === 'monthly' && !rules.monthlyPlates) throw conflict('no_monthly_plates', '本活动的月度评比不发门牌，门牌按半年星级发放。');
  const lines = linesOf(tx, resultId).filter((l) => l.excludedReason === null && (kind === 'monthly' ? l.awarded : l.stars > 0));
  const earlier = tx.select({ householdId: plates.householdId, status: plates.status }).from(plates).where(eq(plates.resultId, resultId)).all();
  const held = new Set(earlier.filter((p) => p.status !== 'revoked').map((p) => p.householdId));
  const hadOne = new Set(earlier.map((p) => p.householdId));
  return { result, campaign, kind, lines, held, hadOne };
}

/** How many households 发放门牌 would issue a plate to now (0 when the result issues none). */
export function platesWaiting(db: Db, resultId: string): number {
  try {
    const { lines, hadOne } = plateCandidates(db, resultId);
    return lines.filter((l) => !hadOne.has(l.householdId)).length;
  } catch (error) {
    if (error instanceof DomainError) return 0;
    throw error;
  }
}

/** A household's valid plates of one kind: star plates (stars > 0), or monthly award plates. */
function validPlatesOfKind(tx: Db | Tx, householdId: string, stars: number) {
  return tx
    .select({ serial: plates.serial, stars: plates.stars })
    .from(plates)
    .where(and(eq(plates.householdId, householdId), eq(plates.status, 'issued')))
    .all()
    .filter((o) => (o.stars > 0) === (stars > 0));
}

/**
 * Why the household of this plate cannot be given a new one in its place, or null: only a
 * revoked plate is replaced, and not while the household holds a valid plate of the same kind
 * (this result's, issued again already, or a later one's, which a reissue would supersede).
 */
function reissueRefusal(db: Db | Tx, p: PlateRow): DomainError | null {
  if (p.status !== 'revoked') {
    return conflict('plate_not_revoked', `只有已撤销的门牌才能重新发放，${p.status === 'issued' ? '这块门牌仍然有效' : '这块门牌已由新门牌取代'}。`, { status: p.status });
  }
  const holding = validPlatesOfKind(db, p.householdId, p.stars)[0];
  return holding ? conflict('plate_already_issued', `这一户已有有效的门牌（${holding.serial}），不用重新发放。`, { serial: holding.serial }) : null;
}

/** The revoked plates of this list whose household may be given a new one (see reissueRefusal). */
export function reissuableSerials(db: Db, rows: PlateRow[]): string[] {
  return rows.filter((p) => p.status === 'revoked' && !reissueRefusal(db, p)).map((p) => p.serial);
}

/** A new plate for the household of a revoked one (its details were wrong, say): a new serial, the same result. */
export function reissuePlate(db: Db, serial: string, actorId: string, now: number): PlateRow {
  const refusal = reissueRefusal(db, getPlate(db, serial));
  if (refusal) throw refusal;
  const p = getPlate(db, serial);
  return issuePlates(db, p.resultId, [p.householdId], actorId, now, p.serial)[0]!;
}

export function getPlate(db: Db | Tx, serial: string): PlateRow {
  const p = db.select().from(plates).where(eq(plates.serial, serial)).get();
  if (!p) throw notFound('荣誉门牌');
  return p;
}

export function revokePlate(db: Db, serial: string, reason: string, actorId: string, now: number): PlateRow {
  return db.transaction((tx) => {
    const p = getPlate(tx, serial);
    assertMayRevoke(p.status);
    tx.update(plates).set({ status: 'revoked', revokedAt: now, revokedBy: actorId, revokedReason: reason }).where(eq(plates.serial, serial)).run();
    appendAudit(tx, { actorId, action: 'plate.revoke', subjectType: 'plate', subjectId: serial, before: { status: p.status }, after: { status: 'revoked' }, reason }, now);
    notifyHousehold(tx, p.householdId, 'plate_revoked', { serial }, `您家的荣誉门牌 ${serial} 已撤销。原因：${reason}`, now);
    return getPlate(tx, serial);
  });
}

export function platesOfResult(db: Db, resultId: string): PlateRow[] {
  return db.select().from(plates).where(eq(plates.resultId, resultId)).orderBy(asc(plates.serial)).all();
}

export function platesOfHouseholds(db: Db, householdIds: string[]): PlateRow[] {
  if (!householdIds.length) return [];
  return db.select().from(plates).where(inArray(plates.householdId, householdIds)).orderBy(asc(plates.issuedAt)).all();
}

/** What a plate's view adds to its row: its village, result, campaign and result line, in one query. */
const PLATE_CONTEXT = `
  select v.id as villageId, v.name as villageName, t.name as townName,
         r.id as resultId, r.kind, r.period as resultPeriod, r.campaign_id as campaignId, r.round_id as roundId,
         c.title as campaignTitle, l.reason, l.stars as lineStars, l.awarded
    from villages v join towns t on t.id = v.town_id
    join results r on r.id = ?
    join campaigns c on c.id = ?
    left join result_lines l on l.result_id = r.id and l.household_id = ?
   where v.id = ?`;

export function plateView(db: Db, p: PlateRow, publicUrl: string) {
  const x = db.$client.prepare(PLATE_CONTEXT).get(p.resultId, p.campaignId, p.householdId, p.villageId) as {
    villageId: string;
    villageName: string;
    townName: string;
    resultId: string;
    kind: 'round' | 'half_year';
    resultPeriod: string;
    campaignId: string;
    roundId: string | null;
    campaignTitle: string;
    reason: string | null;
    lineStars: number | null;
    awarded: number | null;
  };
  return {
    serial: p.serial,
    title: p.title,
    holderName: p.holderName,
    village: { id: x.villageId, name: x.villageName, townName: x.townName },
    issuer: p.issuer,
    issuedAt: toShanghaiIso(p.issuedAt),
    issuedOn: shanghaiDayOf(p.issuedAt),
    stars: p.stars,
    period: p.period,
    status: p.status,
    statusLabel: PLATE_STATUS_LABELS[p.status],
    revokedReason: p.revokedReason,
    supersededBy: p.supersededBy,
    verifyUrl: plateVerifyUrl(publicUrl, p.serial),
    result: {
      id: x.resultId,
      kind: x.kind,
      period: x.resultPeriod,
      campaignId: x.campaignId,
      roundId: x.roundId,
      campaignTitle: x.campaignTitle,
      reason: x.reason ?? '',
      stars: x.lineStars ?? p.stars,
      awarded: x.awarded === null ? true : x.awarded === 1,
    },
  };
}

export function plateVerifyUrl(publicUrl: string, serial: string): string {
  return `${publicUrl.replace(/\/$/, '')}/plates/${serial}`;
}
