import { conflict, invalid } from './errors.ts';

export const ROUND_STATES = ['entries_open', 'inspecting', 'scoring_closed', 'announced', 'final'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

export interface RoundEdge {
  from: RoundState;
  to: RoundState;
  /** A reason is required (reopening scoring changes what the panel may do). */
  needsReason: boolean;
  /** Edges taken by a dedicated action with its own preconditions (announce, finalise). */
  via: 'transition' | 'announce' | 'finalize';
}

/** The round lifecycle as data: every allowed move, and only these. */
export const ROUND_EDGES: readonly RoundEdge[] = [
  { from: 'entries_open', to: 'inspecting', needsReason: false, via: 'transition' },
  { from: 'inspecting', to: 'scoring_closed', needsReason: false, via: 'transition' },
  { from: 'scoring_closed', to: 'inspecting', needsReason: true, via: 'transition' },
  { from: 'scoring_closed', to: 'announced', needsReason: false, via: 'announce' },
  { from: 'announced', to: 'final', needsReason: false, via: 'finalize' },
];

export const ROUND_STATE_LABELS: Record<RoundState, string> = {
  entries_open: '报名中',
  inspecting: '实地核实中',
  scoring_closed: '评分已截止',
  announced: '公示中',
  final: '已定稿',
};

const ACTION_LABELS: Record<RoundEdge['via'], string> = { transition: '更改状态', announce: '公示', finalize: '定稿' };

/**
 * Decide a move of a round's lifecycle. Returns the edge taken, or throws a 409 that says
 * which moves are possible from where the round is.
 */
export function planRoundTransition(
  from: RoundState,
  to: RoundState,
  via: RoundEdge['via'],
  reason: string | undefined,
): RoundEdge {
  const edge = ROUND_EDGES.find((e) => e.from === from && e.to === to);
  if (!edge) {
    const next = ROUND_EDGES.filter((e) => e.from === from).map((e) => ROUND_STATE_LABELS[e.to]);
    throw conflict(
      'invalid_transition',
      `本轮当前为「${ROUND_STATE_LABELS[from]}」，不能改为「${ROUND_STATE_LABELS[to]}」。` +
        (next.length ? `可改为：${next.join('、')}。` : '本轮已结束，不能再更改。'),
      { from, to, allowed: ROUND_EDGES.filter((e) => e.from === from).map((e) => e.to) },
    );
  }
  if (edge.via !== via) {
    const action = ACTION_LABELS[edge.via];
    throw conflict('use_dedicated_action', `改为「${ROUND_STATE_LABELS[to]}」需通过「${action}」操作完成。`, {
      from,
      to,
      action: edge.via,
    });
  }
  if (edge.needsReason && !reason?.trim()) {
    throw invalid('reason_required', '重新开放评分需要填写原因。', { field: 'reason' });
  }
  return edge;
}

/** Whether a round in this state, at this instant, takes new entries (and, for monthly rounds, likes). */
export function roundTakesEntries(round: { status: RoundState; startsAt: number; endsAt: number }, now: number): boolean {
  return round.status === 'entries_open' && now >= round.startsAt && now <= round.endsAt;
}

/** Whether households may enter, change or re-enter entries of this round now: it takes entries, in an open campaign. */
export function takesEntries(campaignOpen: boolean, round: { status: RoundState; startsAt: number; endsAt: number }, now: number): boolean {
  return campaignOpen && roundTakesEntries(round, now);
}
