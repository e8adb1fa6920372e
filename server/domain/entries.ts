import { conflict, invalid } from './errors.ts';

export const ENTRY_STATES = ['draft', 'submitted', 'qualified', 'scored', 'awarded', 'not_awarded', 'withdrawn', 'disqualified'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

export const MAX_PHOTOS = 9;
export const DESCRIPTION_MAX = 500;

export const ENTRY_STATE_LABELS: Record<EntryState, string> = {
  draft: '草稿',
  submitted: '已提交',
  qualified: '已达标，待实地核实',
  scored: '已评分',
  awarded: '获评',
  not_awarded: '未获评',
  withdrawn: '已撤回',
  disqualified: '核实未通过',
};

export type EntryAction = 'submit' | 'withdraw' | 'reenter' | 'qualify' | 'unqualify' | 'closeScoring' | 'reopenScoring';

/** The entry lifecycle as data. Scoring and results (later stages) add their own edges here. */
export const ENTRY_EDGES: ReadonlyArray<{ from: EntryState; to: EntryState; action: EntryAction }> = [
  { from: 'draft', to: 'submitted', action: 'submit' },
  { from: 'draft', to: 'qualified', action: 'submit' },
  { from: 'submitted', to: 'qualified', action: 'qualify' },
  { from: 'qualified', to: 'submitted', action: 'unqualify' },
  { from: 'draft', to: 'withdrawn', action: 'withdraw' },
  { from: 'submitted', to: 'withdrawn', action: 'withdraw' },
  { from: 'qualified', to: 'withdrawn', action: 'withdraw' },
  { from: 'withdrawn', to: 'draft', action: 'reenter' },
  // with the round: scoring closed over the panel's quorum of sheets, and reopened
  { from: 'qualified', to: 'scored', action: 'closeScoring' },
  { from: 'scored', to: 'qualified', action: 'reopenScoring' },
];

const ACTION_TEXT: Record<EntryAction, string> = {
  submit: '提交',
  withdraw: '撤回',
  reenter: '重新参评',
  qualify: '达标',
  unqualify: '取消达标',
  closeScoring: '截止评分',
  reopenScoring: '重新打开评分',
};

export function entryTransition(from: EntryState, to: EntryState, action: EntryAction): void {
  if (!ENTRY_EDGES.some((e) => e.from === from && e.to === to && e.action === action)) {
    throw conflict('invalid_entry_state', `作品当前为「${ENTRY_STATE_LABELS[from]}」，不能${ACTION_TEXT[action]}。`, { status: from, action });
  }
}

/**
 * Submitting: at least one photo. With a like threshold of 0 the entry qualifies at once, and
 * so does one entered again that already holds enough likes from before it was withdrawn.
 */
export function submitOutcome(entry: { status: EntryState; photoCount: number; likeCount: number }, likeThreshold: number): EntryState {
  if (entry.photoCount < 1) throw invalid('photos_required', '请至少上传一张庭院照片再提交。', { field: 'photos' });
  const to: EntryState = entry.likeCount >= likeThreshold ? 'qualified' : 'submitted';
  entryTransition(entry.status, to, 'submit');
  return to;
}

/** States in which the household may still change its entry (text, photos, order). */
export function isEditable(status: EntryState): boolean {
  return status === 'draft' || status === 'submitted' || status === 'qualified';
}

/** Whether the public sees an entry: submitted onwards, not withdrawn, not hidden. */
export function isPublic(entry: { status: EntryState; hiddenAt: number | null }): boolean {
  return entry.hiddenAt === null && entry.status !== 'draft' && entry.status !== 'withdrawn';
}
