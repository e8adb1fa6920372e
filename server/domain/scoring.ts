import type { Criterion } from './campaigns.ts';
import { conflict, invalid } from './errors.ts';
import { add, compare, frac, mean, oneDecimal, type Fraction } from './fraction.ts';

export const PANEL_ROLES = ['镇干部', '村干部', '网格员', '村民代表'] as const;

/** On-site photos one member may keep with one sheet (the phone counts them before taking another). */
export const MAX_SHEET_PHOTOS = 6;
export type PanelRole = (typeof PANEL_ROLES)[number];

export interface PanelRule {
  quorum: number;
  /** Each group listed must have at least one member (default: a cadre and a villager representative). */
  mustInclude: PanelRole[][];
}

export const DEFAULT_PANEL_RULE: PanelRule = { quorum: 3, mustInclude: [['镇干部', '村干部'], ['村民代表']] };

/** A panel that cannot reach its quorum, or lacks a cadre or a villager representative, is refused with what is missing. */
export function checkPanel(members: ReadonlyArray<{ role: PanelRole }>, rule: PanelRule): void {
  const problems: Array<{ field: string; problem: string }> = [];
  if (members.length < rule.quorum) problems.push({ field: 'members', problem: `考评组至少需要 ${rule.quorum} 人（最少评分人数），现在只有 ${members.length} 人。` });
  for (const group of rule.mustInclude) {
    if (!members.some((m) => group.includes(m.role))) problems.push({ field: 'members', problem: `考评组至少需要一名${group.join('或')}。` });
  }
  if (problems.length) throw invalid('invalid_panel', problems.map((p) => p.problem).join(''), { problems });
}

/** A seat on a panel as stored: its member's phone, role label and name, and whether they left. */
export interface PanelSeat {
  accountId: string;
  phone: string;
  role: PanelRole;
  name: string;
  removed: boolean;
}

export interface WantedMember {
  phone: string;
  role: PanelRole;
  name: string;
}

/**
 * What giving a panel this list of members does, by phone: who joins (never on it), who comes
 * back (taken off before), who leaves (on it and not listed), and whose role label or name is
 * corrected. A member who leaves keeps the sheets they sent; they score no more.
 */
export function panelChange(seats: readonly PanelSeat[], wanted: readonly WantedMember[]) {
  const seat = new Map(seats.map((s) => [s.phone, s]));
  const listed = new Set(wanted.map((w) => w.phone));
  return {
    joining: wanted.filter((w) => !seat.has(w.phone)),
    returning: wanted.filter((w) => seat.get(w.phone)?.removed),
    leaving: seats.filter((s) => !s.removed && !listed.has(s.phone)),
    relabelled: wanted.filter((w) => {
      const s = seat.get(w.phone);
      return s && !s.removed && (s.role !== w.role || s.name !== w.name);
    }),
  };
}

/**
 * A change of a panel is checked like a new panel (the members it will have), and its quorum
 * stays once a sheet came in through it: the entries already scored were judged by that number.
 */
export function checkPanelChange(wanted: readonly WantedMember[], quorum: { before: number; after: number }, sheetsSent: number, rule: Omit<PanelRule, 'quorum'> = DEFAULT_PANEL_RULE): void {
  if (quorum.after !== quorum.before && sheetsSent > 0) {
    throw conflict('quorum_locked', `考评组已经交了 ${sheetsSent} 份评分表，每户最少评分份数不能再改（仍为 ${quorum.before}）。`, { quorum: quorum.before, sheetsSent });
  }
  checkPanel(wanted, { ...rule, quorum: quorum.after });
}

export interface SheetInput {
  passed: boolean;
  points: Record<string, number>;
  comment: string;
}

/**
 * A score sheet as the rubric allows it: every criterion present, integer points within
 * 0..max, no unknown criterion, and a comment when any criterion is given 0 or full marks.
 */
export function checkSheet(sheet: SheetInput, rubric: readonly Criterion[]): void {
  const problems: Array<{ field: string; problem: string }> = [];
  for (const key of Object.keys(sheet.points)) {
    if (!rubric.some((c) => c.key === key)) problems.push({ field: `points.${key}`, problem: `评分表中没有「${key}」这一项。` });
  }
  let extreme = false;
  for (const c of rubric) {
    const v = sheet.points[c.key];
    if (v === undefined) problems.push({ field: `points.${c.key}`, problem: `请给「${c.name}」打分。` });
    else if (!Number.isInteger(v)) problems.push({ field: `points.${c.key}`, problem: `「${c.name}」的分数必须是整数。` });
    else if (v < 0 || v > c.max) problems.push({ field: `points.${c.key}`, problem: `「${c.name}」的分数应在 0 到 ${c.max} 之间。` });
    else if (v === 0 || v === c.max) extreme = true;
  }
  if (extreme && !sheet.comment.trim()) {
    problems.push({ field: 'comment', problem: '打 0 分或满分时，请写一句说明。' });
  }
  if (problems.length) throw invalid('invalid_sheet', problems[0]!.problem, { problems });
}

/** The day the panel should have visited a qualified entry by: its campaign's `dueDays` after it qualified. */
export function visitDueAt(entry: { qualifiedAt: number | null; createdAt: number }, dueDays: number): number {
  return (entry.qualifiedAt ?? entry.createdAt) + dueDays * 86_400_000;
}

/** Scoring is open while the round takes entries or is being inspected; closed after that until a cadre reopens it. */
export function scoringOpen(roundStatus: string): boolean {
  return roundStatus === 'entries_open' || roundStatus === 'inspecting';
}

export function assertScoringOpen(roundStatus: string): void {
  if (!scoringOpen(roundStatus)) throw conflict('scoring_closed', '本轮评分已截止。如需修改，请组织评比的村干部或镇管理员写明原因，重新开放评分。', { roundStatus });
}

/** The same check, points and comment (order of the points and spaces around the comment aside). */
export function sameSheet(a: SheetInput, b: SheetInput): boolean {
  const keys = Object.keys(a.points);
  return (
    a.passed === b.passed &&
    a.comment.trim() === b.comment.trim() &&
    keys.length === Object.keys(b.points).length &&
    keys.every((k) => a.points[k] === b.points[k])
  );
}

/** A member's stored sheet as far as panel independence is concerned. */
export interface StoredSheet extends SheetInput {
  othersSeenAt: number | null;
  original: SheetInput | null;
}

/** What a replacement records about itself: nothing, or when and why it changed after the others were seen. */
export type Revision = { revisedAt: number; revisionReason: string; original: SheetInput } | null;

/**
 * Panel independence after submitting (DESIGN §3, §4): once a member has read the others'
 * sheets, changing their own — check, points or comment — is allowed (the panel talks over a
 * spread) but only with a reason, and the sheet keeps, from its first such change, what it
 * said before the member saw the others. Sending the same sheet again needs no reason.
 */
export function reviseSheet(stored: StoredSheet, next: SheetInput, reason: string | undefined, now: number): Revision {
  if (stored.othersSeenAt === null || sameSheet(stored, next)) return null;
  if (!reason) {
    throw conflict('revision_reason_required', '您已经看过其他成员的评分，修改自己的评分表需要写明修改原因（revisionReason），原因会和修改前的分数一起给考评组和村干部看到。', {
      field: 'revisionReason',
      problems: [{ field: 'revisionReason', problem: '请写明为什么修改（至少 2 个字）。' }],
    });
  }
  return { revisedAt: now, revisionReason: reason, original: stored.original ?? { passed: stored.passed, points: stored.points, comment: stored.comment } };
}

export interface Sheet extends SheetInput {
  memberId: string;
}

export interface CriterionResult {
  key: string;
  name: string;
  max: number;
  mean: Fraction;
  display: string;
  /** Every member's points, in order given; the dropped ones as well. */
  values: number[];
  dropped: { high: number; low: number } | null;
  /** Members' points spread by more than half the maximum: the panel should talk it over. */
  spreadFlag: boolean;
  explanation: string;
}

export interface EntryScore {
  sheets: number;
  quorum: number;
  ranked: boolean;
  disqualified: boolean;
  failedChecks: number;
  criteria: CriterionResult[];
  total: Fraction | null;
  totalDisplay: string | null;
  explanation: string;
}

/**
 * An entry's score from its sheets (DESIGN §3): per criterion the mean of members' points,
 * dropping one highest and one lowest when there are five sheets or more; total = the sum of
 * the means, exact. A majority saying the on-site check failed disqualifies whatever the
 * points; fewer sheets than the quorum leaves the entry unranked. Independent of sheet order.
 */
export function scoreEntry(sheets: readonly Sheet[], rubric: readonly Criterion[], quorum: number): EntryScore {
  const failedChecks = sheets.filter((s) => !s.passed).length;
  const disqualified = sheets.length > 0 && failedChecks * 2 > sheets.length;
  const trimmed = sheets.length >= 5;
  const criteria = rubric.map((c): CriterionResult => {
    const values = sheets.map((s) => s.points[c.key] ?? 0);
    const sorted = [...values].sort((a, b) => a - b);
    const kept = trimmed ? sorted.slice(1, -1) : sorted;
    const m = kept.length ? mean(kept) : frac(0);
    const spread = sorted.length ? sorted[sorted.length - 1]! - sorted[0]! : 0;
    const dropped = trimmed ? { high: sorted[sorted.length - 1]!, low: sorted[0]! } : null;
    const display = oneDecimal(m);
    const explanation = kept.length
      ? `${c.name} ${display} = ${kept.join('、')} 的平均${dropped ? `（去掉最高 ${dropped.high} 和最低 ${dropped.low}）` : ''}`
      : `${c.name}：尚无评分`;
    return { key: c.key, name: c.name, max: c.max, mean: m, display, values, dropped, spreadFlag: spread * 2 > c.max, explanation };
  });
  const ranked = sheets.length >= quorum && !disqualified;
  const total = sheets.length ? criteria.reduce((s, c) => add(s, c.mean), frac(0)) : null;
  const explanation = disqualified
    ? `${sheets.length} 份评分表中有 ${failedChecks} 份认为实地核实未通过，超过半数，取消资格。`
    : sheets.length < quorum
      ? `已收到 ${sheets.length} 份评分表，少于最少 ${quorum} 份，暂不排名。`
      : `总分 ${total ? oneDecimal(total) : '—'} ${total && roundedApart(oneDecimal(total), criteria.map((c) => c.display)) ? '≈' : '='} ${criteria.map((c) => c.display).join(' + ')}（${sheets.length} 份评分表${trimmed ? '，各项去掉一个最高分和一个最低分' : ''}${total && roundedApart(oneDecimal(total), criteria.map((c) => c.display)) ? '；各项按未四舍五入的平均分相加，再保留一位小数' : ''}）。`;
  return { sheets: sheets.length, quorum, ranked, disqualified, failedChecks, criteria, total, totalDisplay: total ? oneDecimal(total) : null, explanation };
}

/**
 * Whether the criteria's one-decimal figures add up to something else than the one-decimal
 * total (34.7 + 25.7 + 12.7 + 12.0 against 85.0): the total is the exact means added, then
 * rounded, and an explanation must say so rather than show a sum that does not hold.
 */
export function roundedApart(total: string, parts: readonly string[]): boolean {
  const tenths = (x: string) => Math.round(Number(x) * 10);
  return parts.reduce((n, p) => n + tenths(p), 0) !== tenths(total);
}

export interface Rankable {
  id: string;
  total: Fraction;
  hygiene: Fraction;
  qualifiedAt: number;
}

/**
 * Ranks for scored entries (DESIGN §3): higher total first, then higher hygiene mean, then the
 * earlier `qualifiedAt`; entries equal on all three share a rank (1, 2, 2, 4).
 */
export function rankEntries<T extends Rankable>(items: readonly T[]): Array<T & { rank: number }> {
  const order = (a: Rankable, b: Rankable) => compare(b.total, a.total) || compare(b.hygiene, a.hygiene) || a.qualifiedAt - b.qualifiedAt;
  const sorted = [...items].sort((a, b) => order(a, b) || a.id.localeCompare(b.id));
  let rank = 0;
  return sorted.map((it, i) => {
    if (i === 0 || order(sorted[i - 1]!, it) !== 0) rank = i + 1;
    return { ...it, rank };
  });
}
