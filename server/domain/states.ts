/*
 * The states and kinds the database stores and the API speaks of, in one place with no
 * dependencies: the schema's columns and the contracts' enums are both made from these.
 */

export const ROLE_KINDS = ['village_cadre', 'town_admin', 'grid_worker'] as const;
export const HOUSEHOLD_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export const CAMPAIGN_FORMATS = ['monthly', 'single'] as const;
export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed'] as const;
export const ROUND_STATUSES = ['entries_open', 'inspecting', 'scoring_closed', 'announced', 'final'] as const;
export const ENTRY_STATUSES = ['draft', 'submitted', 'qualified', 'scored', 'awarded', 'not_awarded', 'withdrawn', 'disqualified'] as const;
