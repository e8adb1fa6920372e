import type { EntryState } from './entries.ts';
import { conflict, DomainError, forbidden } from './errors.ts';
import { SHANGHAI_OFFSET_MS } from './time.ts';
import { periodLabel } from './results.ts';

export interface LikeContext {
  now: number;
  round: { status: string; startsAt: number; endsAt: number };
  campaignOpen: boolean;
  entry: { status: EntryState; hiddenAt: number | null; householdId: string };
  likerHouseholdId: string | null;
  /** Likes this account has given today (Shanghai day), before this one. */
  likesToday: number;
  dailyCap: number;
}

/** Entries people can like: submitted onwards, not withdrawn, not hidden, not disqualified. */
const LIKEABLE: ReadonlySet<EntryState> = new Set(['submitted', 'qualified', 'scored', 'awarded', 'not_awarded']);

/** Whether the round takes likes at this instant: its month (or window), inclusive of the last millisecond. */
export function roundTakesLikes(round: { status: string; startsAt: number; endsAt: number }, now: number): boolean {
  return round.status === 'entries_open' && now >= round.startsAt && now <= round.endsAt;
}

/** Why a new like is refused, or null if it may be given. Unliking is always allowed while the round takes likes. */
/** Whether an entry of this round can be liked (or unliked) now: an open campaign, a round taking likes. */
export function likesOpen(campaignOpen: boolean, round: { status: string; startsAt: number; endsAt: number }, now: number): boolean {
  return campaignOpen && roundTakesLikes(round, now);
}

export function likeRefusal(c: LikeContext, kind: 'like' | 'unlike'): DomainError | null {
  if (!likesOpen(c.campaignOpen, c.round, c.now)) {
    return conflict('likes_closed', c.now < c.round.startsAt ? '本轮还没开始，暂时不能点赞。' : '本轮点赞已经结束。');
  }
  if (kind === 'unlike') return null;
  if (c.entry.hiddenAt !== null || !LIKEABLE.has(c.entry.status)) return conflict('not_likeable', '这个作品现在不能点赞。');
  if (c.likerHouseholdId !== null && c.likerHouseholdId === c.entry.householdId) return forbidden('不能给自己家的作品点赞。');
  if (c.likesToday >= c.dailyCap) {
    const midnight = nextShanghaiMidnight(c.now);
    return new DomainError(429, 'daily_like_cap', `今天的点赞次数已用完（每天最多 ${c.dailyCap} 个），明天再来吧。`, { cap: c.dailyCap }, Math.ceil((midnight - c.now) / 1000));
  }
  return null;
}

export function shanghaiDayStartOf(instant: number): number {
  return Math.floor((instant + SHANGHAI_OFFSET_MS) / 86_400_000) * 86_400_000 - SHANGHAI_OFFSET_MS;
}

function nextShanghaiMidnight(instant: number): number {
  return shanghaiDayStartOf(instant) + 86_400_000;
}

/**
 * The entry's state after its count changed by likes (never by unlikes: qualification is
 * sticky). Reaching the threshold qualifies a submitted entry and records when.
 */
export function afterLike(entry: { status: EntryState; qualifiedAt: number | null }, count: number, threshold: number, now: number) {
  if (entry.status === 'submitted' && threshold > 0 && count >= threshold) return { status: 'qualified' as const, qualifiedAt: now };
  return { status: entry.status, qualifiedAt: entry.qualifiedAt };
}

/**
 * After a cadre voids likes: an entry that qualified, has not been checked on site yet and
 * now falls below the threshold goes back to submitted. Scored entries stay as they are.
 */
export function afterVoid(entry: { status: EntryState; qualifiedAt: number | null }, count: number, threshold: number, checkedOnSite: boolean) {
  if (entry.status === 'qualified' && !checkedOnSite && threshold > 0 && count < threshold) return { status: 'submitted' as const, qualifiedAt: null };
  return { status: entry.status, qualifiedAt: entry.qualifiedAt };
}

/** The network a like came from: /24 of an IPv4 address, /48 of an IPv6 one. */
export function ipPrefix(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const parts = ip.split(':').filter((p, i, all) => p !== '' || i === 0 || i === all.length - 1);
  return `${parts.slice(0, 3).join(':') || ip}::/48`;
}

// ---------- suspicious likes ----------

export interface LikeFact {
  id: string;
  entryId: string;
  accountId: string;
  createdAt: number;
  ipPrefix: string;
  deviceHash: string;
  accountCreatedAt: number;
}

export interface SuspicionRules {
  /** This many likes on one entry from one network within `burstWindowMs` is a burst. */
  burstCount: number;
  burstWindowMs: number;
  /** An account made this shortly before it likes. */
  newAccountMs: number;
  /** This many likes by one account within `fastWindowMs`. */
  fastCount: number;
  fastWindowMs: number;
  /** This many likes on one entry at night (00:00–05:00 Shanghai) within `burstWindowMs`. */
  nightCount: number;
  /** This many accounts liking one entry from one device. */
  sharedDeviceAccounts: number;
}

export const DEFAULT_SUSPICION: SuspicionRules = {
  burstCount: 5,
  burstWindowMs: 10 * 60_000,
  newAccountMs: 60 * 60_000,
  fastCount: 10,
  fastWindowMs: 60_000,
  nightCount: 4,
  sharedDeviceAccounts: 3,
};

const isNight = (t: number) => new Date(t + SHANGHAI_OFFSET_MS).getUTCHours() < 5;

/** Members of groups (sorted by time) where some `count` of them fall within `windowMs`. */
function inBursts(group: LikeFact[], count: number, windowMs: number): LikeFact[] {
  const sorted = [...group].sort((a, b) => a.createdAt - b.createdAt);
  const hit = new Set<LikeFact>();
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]!.createdAt - sorted[i]!.createdAt > windowMs) i++;
    if (j - i + 1 >= count) for (let k = i; k <= j; k++) hit.add(sorted[k]!);
  }
  return [...hit];
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
}

/**
 * Likes a cadre should look at, each with every reason it looks wrong. None of these blocks a
 * like by itself: a whole village often shares one carrier address, so a person decides.
 */
export function suspiciousLikes(likes: LikeFact[], rules: SuspicionRules = DEFAULT_SUSPICION): Map<string, string[]> {
  const reasons = new Map<string, string[]>();
  const flag = (l: LikeFact, why: string) => reasons.set(l.id, [...(reasons.get(l.id) ?? []), why]);
  const minutes = (ms: number) => Math.round(ms / 60_000);

  for (const group of groupBy(likes, (l) => `${l.entryId}|${l.ipPrefix}`).values()) {
    for (const l of inBursts(group, rules.burstCount, rules.burstWindowMs)) {
      flag(l, `同一个网络（${l.ipPrefix}）${minutes(rules.burstWindowMs)} 分钟内给这个作品点赞 ${rules.burstCount} 次以上`);
    }
  }
  for (const l of likes) {
    if (l.createdAt - l.accountCreatedAt < rules.newAccountMs) {
      flag(l, `账号注册后 ${Math.max(0, minutes(l.createdAt - l.accountCreatedAt))} 分钟就点赞`);
    }
  }
  for (const group of groupBy(likes, (l) => l.accountId).values()) {
    for (const l of inBursts(group, rules.fastCount, rules.fastWindowMs)) flag(l, `同一账号 ${minutes(rules.fastWindowMs)} 分钟内点赞 ${rules.fastCount} 次以上`);
  }
  for (const group of groupBy(likes.filter((l) => isNight(l.createdAt)), (l) => l.entryId).values()) {
    for (const l of inBursts(group, rules.nightCount, rules.burstWindowMs)) flag(l, '深夜（0–5 点）集中点赞');
  }
  for (const group of groupBy(likes, (l) => `${l.entryId}|${l.deviceHash}`).values()) {
    const accounts = new Set(group.map((l) => l.accountId));
    if (accounts.size >= rules.sharedDeviceAccounts) for (const l of group) flag(l, `同一台设备上 ${accounts.size} 个账号给这个作品点赞`);
  }
  return reasons;
}

/** What a household is told when its entry reaches the threshold: which contest and, in a monthly one, which month. */
export function thresholdWords(campaignTitle: string, period: string, likeCount: number): string {
  const month = periodLabel({ kind: 'round', period, campaignTitle }, 'beside_title');
  return `您家在「${campaignTitle}」${month}的作品已获得 ${likeCount} 个赞，达到门槛，考评组将上门实地核实。`;
}
