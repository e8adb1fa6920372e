import type { RoleKind } from '../db/schema.ts';

/** Who is asking: the signed-in account with its office roles and household. */
export interface Actor {
  accountId: string;
  roles: ReadonlyArray<{ kind: RoleKind; scopeId: string }>;
  householdId: string | null;
}

export interface VillageRef {
  id: string;
  townId: string;
}

const hasRole = (actor: Actor, kind: RoleKind, scopeId: string) =>
  actor.roles.some((r) => r.kind === kind && r.scopeId === scopeId);

/** A village cadre of the village, or a town admin of its town. */
export function managesVillage(actor: Actor, village: VillageRef): boolean {
  return hasRole(actor, 'village_cadre', village.id) || hasRole(actor, 'town_admin', village.townId);
}

function managesAll(actor: Actor, villages: readonly VillageRef[]): boolean {
  return villages.length > 0 && villages.every((v) => managesVillage(actor, v));
}

/** Whoever runs a campaign, for any of its villages; the cadre of one of them (or its town admin), for theirs. */
function runsOrManagesVillage(actor: Actor, campaignVillages: readonly VillageRef[], village: VillageRef): boolean {
  return managesAll(actor, campaignVillages) || managesVillage(actor, village);
}

/**
 * Every authorisation decision, one function per action. Routes call exactly one of these
 * before they change or reveal anything; nothing else decides who may do what.
 */
export const can = {
  /** Confirm or reject a self-registered household; see its members and door number. */
  decideHousehold: managesVillage,
  listHouseholds: managesVillage,
  /** The confirmed households to enter by proxy (names and doors, no members): a grid worker of the village. */
  listHouseholdsForProxy: (actor: Actor, village: VillageRef) => hasRole(actor, 'grid_worker', village.id),
  importRoster: managesVillage,
  /** Correct a registration while it waits for the cadre: the family itself. */
  correctRegistration: (actor: Actor, householdId: string) => actor.householdId === householdId,
  /** Add a family member's phone to a household, or take one off: its cadres, who know the family. */
  manageHouseholdMembers: managesVillage,
  /** Register a household on a family's behalf (代录): its cadre, town admin or grid worker. */
  registerByProxy: (actor: Actor, village: VillageRef) =>
    managesVillage(actor, village) || hasRole(actor, 'grid_worker', village.id),
  /** A campaign belongs to the villages in its scope; whoever manages all of them runs it. */
  createCampaign: managesAll,
  runCampaign: managesAll,
  readAudit: managesAll,
  readTownDashboard: (actor: Actor, townId: string) => hasRole(actor, 'town_admin', townId),
  /**
   * Read the panels (with members' phones) that visit this village of a campaign: whoever runs
   * the campaign, for every village; a cadre of the village, for theirs.
   */
  readPanelsOf: runsOrManagesVillage,
  /**
   * Create, edit, add photos to, submit or withdraw a household's entry: a member of the
   * household, or on its behalf (代录) its cadre, town admin or grid worker.
   */
  actForHousehold: (actor: Actor, householdId: string, village: VillageRef) =>
    actor.householdId === householdId || managesVillage(actor, village) || hasRole(actor, 'grid_worker', village.id),
  /**
   * Withdraw an entry: its household; on its behalf, a cadre or grid worker only for an entry
   * they entered by proxy (代录). A family's own entry is theirs to withdraw; a cadre who finds
   * it wrong hides it, with a reason the family is told.
   */
  withdrawEntry: (actor: Actor, entry: { householdId: string; proxyBy: string | null }, village: VillageRef) =>
    actor.householdId === entry.householdId || (entry.proxyBy !== null && (managesVillage(actor, village) || hasRole(actor, 'grid_worker', village.id))),
  /** Hide or restore an entry or a photo; see reused-photo flags. */
  moderateEntries: managesVillage,
  /**
   * Compute, announce and finalise a campaign's results, see drafts, settle objections, issue
   * and revoke plates: whoever manages every village of the campaign.
   */
  runResults: managesAll,
  /**
   * Read the objections to a campaign's result that concern a household of this village (text,
   * photos, state), not settle them (that is runResults): whoever runs the campaign, for every
   * village; a cadre of the village, for theirs — in a town's campaign they know the family and
   * look into it for the town admin, who decides. Anyone else reads only the objections they filed.
   */
  readObjectionsAbout: runsOrManagesVillage,
  /**
   * Read the head's full name of a household of `village` in a campaign's results and objections
   * (public pages say 陈家庭院 and its 编号): whoever runs the campaign, for every village; a cadre
   * of the household's village, whose household list names the family anyway.
   */
  readHouseholdNames: runsOrManagesVillage,
  /**
   * See who filed an objection about a household of `village` (phone; family and door): whoever
   * runs the campaign, who settles it and may need to call them; a cadre reading it for their
   * village only someone of a household they manage (`objectorVillage`), whose phone and door
   * their household list shows anyway. Someone of another village, or of no household, is the
   * runner's to call.
   */
  seeObjector: (actor: Actor, campaignVillages: readonly VillageRef[], village: VillageRef, objectorVillage: VillageRef | null) =>
    managesAll(actor, campaignVillages) || (managesVillage(actor, village) && objectorVillage !== null && managesVillage(actor, objectorVillage)),
  /** The village's reward ledger: read it and record payments. */
  manageRewards: managesVillage,
} as const;

/** Whether a person acts for a household as a member or by proxy (the entry is then marked 代录). */
export function actsByProxy(actor: Actor, householdId: string): boolean {
  return actor.householdId !== householdId;
}

/** The villages an actor manages directly or through a town, for listing consoles. */
export function managedScopes(actor: Actor): { villageIds: string[]; townIds: string[] } {
  return {
    villageIds: actor.roles.filter((r) => r.kind === 'village_cadre').map((r) => r.scopeId),
    townIds: actor.roles.filter((r) => r.kind === 'town_admin').map((r) => r.scopeId),
  };
}
