import { campaignVillageIds } from '../db/campaigns.ts';
import { getVillages } from '../db/places.ts';
import { can } from '../domain/permissions.ts';
import type { Ctx, SignedIn } from './context.ts';

/**
 * The villages of a campaign whose entries this person looks after (its cadres, or the town
 * admin of their town). Every cadre screen of a round shows only these.
 */
export function managedVillagesOf(c: Ctx, actor: SignedIn, campaignId: string) {
  const db = c.get('deps').db;
  return getVillages(db, campaignVillageIds(db, campaignId)).filter((v) => can.moderateEntries(actor, v));
}
