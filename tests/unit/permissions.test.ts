import { describe, expect, it } from 'vitest';
import { can, managedScopes, managesVillage, type Actor, type VillageRef } from '../../server/domain/permissions.ts';

// 磁灶镇 with two of its villages, and a village of another town.
const CIZAO = '350582104000';
const LINGPAN: VillageRef = { id: '350582104201', townId: CIZAO };
const YANGWEI: VillageRef = { id: '350582104202', townId: CIZAO };
const ELSEWHERE: VillageRef = { id: '350582105201', townId: '350582105000' };

const actor = (roles: Actor['roles'], householdId: string | null = null): Actor => ({ accountId: 'acc', roles, householdId });

const ACTORS = {
  cadreOfV: actor([{ kind: 'village_cadre', scopeId: LINGPAN.id }]),
  townAdminOfVsTown: actor([{ kind: 'town_admin', scopeId: CIZAO }]),
  gridWorkerOfV: actor([{ kind: 'grid_worker', scopeId: LINGPAN.id }]),
  cadreOfAnotherVillage: actor([{ kind: 'village_cadre', scopeId: YANGWEI.id }]),
  townAdminOfAnotherTown: actor([{ kind: 'town_admin', scopeId: ELSEWHERE.townId }]),
  plainVillager: actor([], 'household-of-陈建国'),
  // A role kind scoped to the wrong sort of place grants nothing.
  cadreScopedToTheTownCode: actor([{ kind: 'village_cadre', scopeId: CIZAO }]),
} as const;
type Who = keyof typeof ACTORS;

/** Village V = 岭畔村. Each action, and who may take it. */
const ACTIONS: Record<string, { who: Who[]; check: (a: Actor) => boolean }> = {
  managesVillage: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => managesVillage(a, LINGPAN) },
  decideHousehold: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.decideHousehold(a, LINGPAN) },
  listHouseholds: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.listHouseholds(a, LINGPAN) },
  importRoster: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.importRoster(a, LINGPAN) },
  registerByProxy: { who: ['cadreOfV', 'townAdminOfVsTown', 'gridWorkerOfV'], check: (a) => can.registerByProxy(a, LINGPAN) },
  createCampaign: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.createCampaign(a, [LINGPAN]) },
  runCampaign: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.runCampaign(a, [LINGPAN]) },
  readAudit: { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.readAudit(a, [LINGPAN]) },
  'createCampaign for 岭畔村 + 洋尾村': { who: ['townAdminOfVsTown'], check: (a) => can.createCampaign(a, [LINGPAN, YANGWEI]) },
  'runCampaign for 岭畔村 + another town': { who: [], check: (a) => can.runCampaign(a, [LINGPAN, ELSEWHERE]) },
  'createCampaign for no village': { who: [], check: (a) => can.createCampaign(a, []) },
  readTownDashboard: { who: ['townAdminOfVsTown'], check: (a) => can.readTownDashboard(a, CIZAO) },
  // A town's campaign over 岭畔村 and 洋尾村: its objections about a 岭畔村 household are read by
  // the town admin (who settles them) and by 岭畔村's cadre, not by 洋尾村's.
  'readObjectionsAbout a 岭畔村 household, town campaign': { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.readObjectionsAbout(a, [LINGPAN, YANGWEI], LINGPAN) },
  'runResults of the town campaign (settle its objections)': { who: ['townAdminOfVsTown'], check: (a) => can.runResults(a, [LINGPAN, YANGWEI]) },
  'readObjectionsAbout a 岭畔村 household, campaign of 岭畔村 and another town': { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.readObjectionsAbout(a, [LINGPAN, ELSEWHERE], LINGPAN) },
  // A head's full name in a result or objection: the runner, and the cadre of the household's village (not 岭畔村's of a 洋尾村 family).
  'readHouseholdNames of a 岭畔村 household, town campaign': { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.readHouseholdNames(a, [LINGPAN, YANGWEI], LINGPAN) },
  'readHouseholdNames of a 洋尾村 household, town campaign': { who: ['townAdminOfVsTown', 'cadreOfAnotherVillage'], check: (a) => can.readHouseholdNames(a, [LINGPAN, YANGWEI], YANGWEI) },
  // Who filed it: the runner always; a village's cadre only someone of a household they manage.
  'seeObjector of 岭畔村 objecting to 岭畔村, town campaign': { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.seeObjector(a, [LINGPAN, YANGWEI], LINGPAN, LINGPAN) },
  'seeObjector of 洋尾村 objecting to 岭畔村, town campaign': { who: ['townAdminOfVsTown'], check: (a) => can.seeObjector(a, [LINGPAN, YANGWEI], LINGPAN, YANGWEI) },
  'seeObjector of no household objecting to 岭畔村, town campaign': { who: ['townAdminOfVsTown'], check: (a) => can.seeObjector(a, [LINGPAN, YANGWEI], LINGPAN, null) },
  'seeObjector of another town objecting to 岭畔村, 岭畔村 campaign': { who: ['cadreOfV', 'townAdminOfVsTown'], check: (a) => can.seeObjector(a, [LINGPAN], LINGPAN, ELSEWHERE) },
  "withdrawEntry: the family's own entry": { who: ['plainVillager'], check: (a) => can.withdrawEntry(a, { householdId: 'household-of-陈建国', proxyBy: null }, LINGPAN) },
  'withdrawEntry: an entry made by proxy (代录)': {
    who: ['plainVillager', 'cadreOfV', 'townAdminOfVsTown', 'gridWorkerOfV'],
    check: (a) => can.withdrawEntry(a, { householdId: 'household-of-陈建国', proxyBy: 'acc-grid' }, LINGPAN),
  },
};

const table = Object.entries(ACTIONS).flatMap(([action, { who, check }]) =>
  (Object.keys(ACTORS) as Who[]).map((w) => ({ action, who: w, allowed: who.includes(w), check })),
);

describe('permissions: actor × action', () => {
  it.each(table)('$who → $action: $allowed', ({ who, allowed, check }) => {
    expect(check(ACTORS[who])).toBe(allowed);
  });

  it('roles add up: a cadre of one village who is a grid worker of another may proxy-register in both, but manage only the first', () => {
    const both = actor([
      { kind: 'village_cadre', scopeId: YANGWEI.id },
      { kind: 'grid_worker', scopeId: LINGPAN.id },
    ]);
    expect(can.registerByProxy(both, YANGWEI)).toBe(true);
    expect(can.registerByProxy(both, LINGPAN)).toBe(true);
    expect(managesVillage(both, YANGWEI)).toBe(true);
    expect(managesVillage(both, LINGPAN)).toBe(false);
    expect(can.createCampaign(both, [YANGWEI, LINGPAN])).toBe(false);
  });

  it('cadres of every village in scope together qualify as one person holding all the roles', () => {
    const cadreOfBoth = actor([
      { kind: 'village_cadre', scopeId: LINGPAN.id },
      { kind: 'village_cadre', scopeId: YANGWEI.id },
    ]);
    expect(can.runCampaign(cadreOfBoth, [LINGPAN, YANGWEI])).toBe(true);
    expect(can.readTownDashboard(cadreOfBoth, CIZAO)).toBe(false);
  });
});

describe('managedScopes', () => {
  it('lists the villages and towns an actor manages, not those they only serve as grid worker', () => {
    const a = actor([
      { kind: 'village_cadre', scopeId: LINGPAN.id },
      { kind: 'grid_worker', scopeId: YANGWEI.id },
      { kind: 'town_admin', scopeId: CIZAO },
    ]);
    expect(managedScopes(a)).toEqual({ villageIds: [LINGPAN.id], townIds: [CIZAO] });
    expect(managedScopes(ACTORS.plainVillager)).toEqual({ villageIds: [], townIds: [] });
  });
});
