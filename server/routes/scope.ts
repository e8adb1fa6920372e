import { campaignVillageIds } from '../db/campaigns.ts';
import { getVillages } from '../db/places.ts';
import { can } from '../domain/permissions.ts';
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
