import { campaignVillageIds } from '../db/campaigns.ts';
import { getVillages } from '../db/places.ts';
import { runByTown } from '../domain/campaigns.ts';
import { DomainError } from '../domain/errors.ts';
import { can, type Actor } from '../domain/permissions.ts';
import type { Db } from '../db/client.ts';
import type { Ctx, SignedIn } from './context.ts';

/** The villages a campaign runs in: what every "may this person run it" rule is asked about. */
export function campaignVillages(db: Db, campaignId: string) {
  return getVillages(db, campaignVillageIds(db, campaignId));
}

/**
 * The villages of a campaign whose entries this person looks after (its cadres, or the town
 * admin of their town). Every cadre screen of a round shows only these.
 */
export function managedVillagesOf(c: Ctx, actor: SignedIn, campaignId: string) {
  const db = c.get('deps').db;
  return campaignVillages(db, campaignId).filter((v) => can.moderateEntries(actor, v));
}

/**
 * Refuse unless this person runs the campaign (manages every one of its villages), saying why in
 * their own terms: a cadre of one village of a campaign that spans several is told that it is
 * run by whoever manages them all (the town admin), not that only its villages' cadres may act.
 */
export function authorizeRunner(
  rule: (actor: Actor, villages: ReturnType<typeof campaignVillages>) => boolean,
  actor: Actor,
  villages: ReturnType<typeof campaignVillages>,
  doing: string,
): void {
  if (rule(actor, villages)) return;
  const mine = villages.filter((v) => can.moderateEntries(actor, v));
  if (runByTown(villages) && mine.length) {
    throw new DomainError(
      403,
      'campaign_spans_villages',
      `这个活动有 ${villages.length} 个村参加（${villages.map((v) => v.name).join('、')}），由管理所有这些村的镇管理员${doing}；${mine.map((v) => v.name).join('、')}的村干部在这里只能查看。`,
      { villages: villages.map((v) => v.id) },
    );
  }
  throw new DomainError(403, 'forbidden', `只有活动所在村的村干部（或镇管理员）可以${doing}。`);
}

/**
 * Whether this person reads an objection (and its photos): one they filed, or one about a family
 * of a village whose objections they may read (can.readObjectionsAbout).
 */
export function readsObjection(actor: Actor, villages: ReturnType<typeof campaignVillages>, objection: { accountId: string }, villageId: string): boolean {
  if (objection.accountId === actor.accountId) return true;
  const about = villages.find((v) => v.id === villageId);
  return !!about && can.readObjectionsAbout(actor, villages, about);
}
