import { and, asc, eq } from 'drizzle-orm';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import { isValidDay, shanghaiDayOf, toShanghaiIso } from '../domain/time.ts';
import { appendAudit } from './audit.ts';
import type { Db } from './client.ts';
import { households, rewards, villages } from './schema.ts';

type RewardRow = typeof rewards.$inferSelect;

export function rewardsOfVillage(db: Db, villageId: string) {
  const rows = db
    .select({ r: rewards, headName: households.headName, doorNumber: households.doorNumber, villageName: villages.name })
    .from(rewards)
    .innerJoin(households, eq(households.id, rewards.householdId))
    .innerJoin(villages, eq(villages.id, rewards.villageId))
    .where(eq(rewards.villageId, villageId))
    .orderBy(asc(rewards.status), asc(rewards.createdAt))
    .all();
  const list = rows.map(({ r, headName, doorNumber, villageName }) => rewardView(r, { headName, doorNumber }, villageName));
  const sum = (status: RewardRow['status']) => rows.filter(({ r }) => r.status === status).reduce((s, { r }) => s + (r.amountFen ?? 0), 0);
  return { rewards: list, totals: { pendingFen: sum('pending'), paidFen: sum('paid') } };
}

function rewardView(r: RewardRow, h: { headName: string; doorNumber: string }, villageName: string) {
  return {
    id: r.id,
    household: { id: r.householdId, headName: h.headName, doorNumber: h.doorNumber },
    village: { id: r.villageId, name: villageName },
    label: r.label,
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

export function getReward(db: Db, id: string): RewardRow {
  const r = db.select().from(rewards).where(eq(rewards.id, id)).get();
  if (!r) throw notFound('奖励');
  return r;
}

/** The village records a reward as handed over: the day, who paid, a note. Paid once. */
export function markRewardPaid(db: Db, id: string, paid: { paidOn: string; payer: string; note: string }, actorId: string, now: number) {
  if (!isValidDay(paid.paidOn)) throw invalid('invalid_date', '发放日期不是有效日期。', { field: 'paidOn' });
  // By the server's clock: a phone's may be days out, and a payment is recorded after it happened.
  const today = shanghaiDayOf(now);
  if (paid.paidOn > today) throw invalid('paid_in_future', `发放日期不能晚于今天（${today}）。`, { field: 'paidOn' });
  return db.transaction((tx) => {
    const r = tx.select().from(rewards).where(eq(rewards.id, id)).get();
    if (!r) throw notFound('奖励');
    if (r.status === 'paid') throw conflict('reward_paid', `这笔奖励已于 ${r.paidOn} 发放，不能重复登记。`);
    tx.update(rewards)
      .set({ status: 'paid', paidOn: paid.paidOn, payer: paid.payer, note: paid.note || null, confirmedBy: actorId, confirmedAt: now })
      .where(and(eq(rewards.id, id), eq(rewards.status, 'pending')))
      .run();
    appendAudit(tx, { actorId, action: 'reward.paid', subjectType: 'reward', subjectId: id, before: { status: 'pending' }, after: { status: 'paid', ...paid } }, now);
    const h = tx.select({ headName: households.headName, doorNumber: households.doorNumber }).from(households).where(eq(households.id, r.householdId)).get()!;
    const v = tx.select({ name: villages.name }).from(villages).where(eq(villages.id, r.villageId)).get()!;
    return rewardView(tx.select().from(rewards).where(eq(rewards.id, id)).get()!, h, v.name);
  });
}
