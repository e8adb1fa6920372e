import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { awardKind, plateTitle } from '../domain/plates.ts';
import { isSingleRound, periodLabel, rewardWords } from '../domain/results.ts';
import { chineseDayOf, isValidDay, shanghaiDayOf, toShanghaiIso } from '../domain/time.ts';
import { appendAudit } from './audit.ts';
import type { Db, Tx } from './client.ts';
import { notifyHousehold } from './notifications.ts';
import { campaigns, households, results, rewards, villages } from './schema.ts';

type RewardRow = typeof rewards.$inferSelect;

/** A reward's row with what its view needs: the household, the village, and the result it is for. */
function rewardRows(db: Db | Tx, where: SQL | undefined) {
  return db
    .select({ r: rewards, headName: households.headName, doorNumber: households.doorNumber, villageName: villages.name, kind: results.kind, period: results.period, format: campaigns.format, campaignTitle: campaigns.title })
    .from(rewards)
    .innerJoin(households, eq(households.id, rewards.householdId))
    .innerJoin(villages, eq(villages.id, rewards.villageId))
    .innerJoin(results, eq(results.id, rewards.resultId))
    .innerJoin(campaigns, eq(campaigns.id, results.campaignId))
    .where(where)
    .orderBy(asc(rewards.status), asc(rewards.createdAt))
    .all();
}
type RewardRowWith = ReturnType<typeof rewardRows>[number];

export function rewardsOfVillage(db: Db, villageId: string) {
  const rows = rewardRows(db, eq(rewards.villageId, villageId));
  const sum = (status: RewardRow['status']) => rows.filter(({ r }) => r.status === status).reduce((s, { r }) => s + (r.amountFen ?? 0), 0);
  return { rewards: rows.map(rewardView), totals: { pendingFen: sum('pending'), paidFen: sum('paid') } };
}

function rewardView({ r, headName, doorNumber, villageName, kind, period, format, campaignTitle }: RewardRowWith) {
  return {
    id: r.id,
    household: { id: r.householdId, headName, doorNumber },
    village: { id: r.villageId, name: villageName },
    label: r.label,
    // The result it is for: a month's winners, a half-year's stars of every level, or a single
    // evaluation's (by its name), are paid together.
    batch: { id: r.resultId, title: isSingleRound({ kind, period }) ? periodLabel({ kind, period, campaignTitle }) : plateTitle(awardKind(kind, format), period, 0) },
    amountFen: r.amountFen,
    goods: r.goods,
    status: r.status,
    createdAt: toShanghaiIso(r.createdAt),
    paidOn: r.paidOn,
    payer: r.payer,
    note: r.note,
    confirmedAt: r.confirmedAt === null ? null : toShanghaiIso(r.confirmedAt),
  };
}

/** The village of each reward named that exists (for the caller's authorisation); unknown ids are left out. */
export function villagesOfRewards(db: Db, ids: readonly string[]): Array<{ id: string; villageId: string }> {
  return db.select({ id: rewards.id, villageId: rewards.villageId }).from(rewards).where(inArray(rewards.id, [...ids])).all();
}

/** The village of one reward (whose cadres may read its trail). */
export function villageOfReward(db: Db, id: string): string {
  const found = villagesOfRewards(db, [id])[0];
  if (!found) throw notFound('奖励');
  return found.villageId;
}

/**
 * The village records rewards as handed over: the day, who paid, a note. Several may be
 * recorded together (a village often pays a month's winners on one day): all of them or none.
 * Each is paid once; the ids must exist (the caller has checked them, with their villages).
 */
export function markRewardsPaid(db: Db, ids: readonly string[], paid: { paidOn: string; payer: string; note: string }, actorId: string, now: number) {
  if (!isValidDay(paid.paidOn)) throw invalid('invalid_date', '发放日期不是有效日期。', { field: 'paidOn' });
  // By the server's clock: a phone's may be days out, and a payment is recorded after it happened.
  const today = shanghaiDayOf(now);
  if (paid.paidOn > today) throw invalid('paid_in_future', `发放日期不能晚于今天（${today}）。`, { field: 'paidOn' });
  const unique = [...new Set(ids)];
  return db.transaction((tx) => {
    const rows = rewardRows(tx, inArray(rewards.id, unique));
    if (rows.length !== unique.length) throw notFound('奖励');
    const done = rows.filter(({ r }) => r.status === 'paid');
    if (done.length === 1 && unique.length === 1) throw conflict('reward_paid', `这笔奖励已于 ${done[0]!.r.paidOn} 发放，不能重复登记。`);
    if (done.length) {
      const names = done.map(({ r, headName, doorNumber }) => `${headName}（${doorNumber}，${r.label}，${r.paidOn} 已发放）`);
      throw conflict('reward_paid', `这些奖励已经登记过发放，不能重复登记：${names.join('、')}。请刷新后重新选择。`, { rewardIds: done.map(({ r }) => r.id) });
    }
    const settled = { status: 'paid' as const, paidOn: paid.paidOn, payer: paid.payer, note: paid.note || null, confirmedBy: actorId, confirmedAt: now };
    const day = chineseDayOf(Date.parse(`${paid.paidOn}T12:00:00+08:00`));
    return rows.map((row) => {
      tx.update(rewards)
        .set(settled)
        .where(and(eq(rewards.id, row.r.id), eq(rewards.status, 'pending')))
        .run();
      appendAudit(tx, { actorId, action: 'reward.paid', subjectType: 'reward', subjectId: row.r.id, before: { status: 'pending' }, after: { status: 'paid', ...paid } }, now);
      // The household is told, as a receipt: a payment recorded but not received is noticed.
      notifyHousehold(tx, row.r.householdId, 'reward_paid', { rewardId: row.r.id, resultId: row.r.resultId }, `村里已登记：您家「${row.r.label}」的奖励（${rewardWords(row.r.amountFen, row.r.goods)}）已于 ${day} 发放，发放人：${paid.payer}。如果没有收到，请联系村干部。`, now);
      return rewardView({ ...row, r: { ...row.r, ...settled } });
    });
  });
}
