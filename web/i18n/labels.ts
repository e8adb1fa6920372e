import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import { formatDate, formatDateTime } from '../format';
import { isMonth } from '../../server/domain/results';
import type { AuditRow, CampaignFormat, CampaignStatus, Entry, EntryStatus, Household, HouseholdStatus, PhotoKind, RoleKind, RoundStatus } from '../api';
import { serverNow } from '../server-clock';
import { zh } from './server-text';

/*
 * Words for the contest's states and kinds, in the current language. Functions (not
 * constants) so that they are looked up again after a language switch.
 */

/**
 * A round's state; with its end, a round still open for entries after its last day says that
 * they are closed — by the server's clock, as the server decides it, not the phone's.
 */
export function roundStatusLabel(s: RoundStatus, endsAt?: string): string {
  switch (s) {
    case 'entries_open':
      return endsAt && Date.parse(endsAt) < serverNow()
        ? msg('报名已截止', { id: 'round.status.entries_closed' })
        : msg('报名中', { id: 'round.status.entries_open' });
    case 'inspecting':
      return msg('实地核实中', { id: 'round.status.inspecting' });
    case 'scoring_closed':
      return msg('评分已截止', { id: 'round.status.scoring_closed' });
    case 'announced':
      return msg('公示中', { id: 'round.status.announced' });
    case 'final':
      return msg('已定稿', { id: 'round.status.final' });
  }
}

export function campaignStatusLabel(s: CampaignStatus): string {
  switch (s) {
    case 'draft':
      return msg('草稿', { id: 'campaign.status.draft' });
    case 'open':
      return msg('进行中', { id: 'campaign.status.open' });
    case 'closed':
      return msg('已结束', { id: 'campaign.status.closed' });
  }
}

export function campaignFormatLabel(f: CampaignFormat): string {
  return f === 'monthly'
    ? msg('按月评比', { id: 'campaign.format.monthly' })
    : msg('单次评比', { id: 'campaign.format.single' });
}

export function householdStatusLabel(s: HouseholdStatus): string {
  switch (s) {
    case 'pending':
      return msg('等待确认', { id: 'household.status.pending' });
    case 'confirmed':
      return msg('已确认', { id: 'household.status.confirmed' });
    case 'rejected':
      return msg('未通过', { id: 'household.status.rejected' });
  }
}

export function householdSourceLabel(s: Household['source']): string {
  switch (s) {
    case 'self':
      return msg('本人登记', { id: 'household.source.self' });
    case 'proxy':
      return msg('代录', { id: 'household.source.proxy' });
    case 'import':
      return msg('名册导入', { id: 'household.source.import' });
  }
}

export function roleLabel(kind: RoleKind): string {
  switch (kind) {
    case 'village_cadre':
      return msg('村干部', { id: 'role.village_cadre' });
    case 'town_admin':
      return msg('镇管理员', { id: 'role.town_admin' });
    case 'grid_worker':
      return msg('网格员', { id: 'role.grid_worker' });
  }
}

/** What the actor of an audit row is: an office, or what they are to the contest. */
export function actorKindLabel(kind: NonNullable<AuditRow['actorKind']>): string {
  switch (kind) {
    case 'panel_member':
      return msg('评审组成员', { id: 'actor.panel_member' });
    case 'villager':
      return msg('村民', { id: 'actor.villager' });
    case 'account':
      return msg('用户', { id: 'actor.account' });
    default:
      return roleLabel(kind);
  }
}

/** Who did it, for the cadre reading 操作记录: 林志强（村干部 · 13900000002）, 村民（13700000001）, or 系统. */
export function actorLabel(r: Pick<AuditRow, 'actor' | 'actorName' | 'actorKind'>) {
  if (!r.actor || !r.actorKind) return msg('系统', { id: 'audit.system' });
  const kind = actorKindLabel(r.actorKind);
  return r.actorName ? html`${zh(r.actorName)}（${kind} · ${r.actor}）` : `${kind}（${r.actor}）`;
}

/**
 * An entry's state as its family and cadres read it: a submitted entry whose likes have closed
 * below the threshold is no longer collecting likes, it has missed them.
 */
export function entryStateLabel(e: Pick<Entry, 'status' | 'likesOpen'> & { threshold?: number; period?: string }): string {
  if (missedThreshold(e)) return msg('点赞已截止，未达标', { id: 'entry.status.missed' });
  // A single evaluation awards stars, not a month's 美丽庭院.
  if (e.status === 'awarded' && e.period !== undefined && !isMonth(e.period)) return msg('获评星级庭院', { id: 'entry.status.awardedStars' });
  // Without a like threshold (a single evaluation) nothing was reached: the entry waits for the panel.
  if (e.status === 'qualified' && e.threshold === 0) return msg('已报名，等待实地核实', { id: 'entry.status.waitingVisit' });
  return entryStatusLabel(e.status);
}

/** Submitted, and the round takes no more likes: it will not reach the panel. */
export function missedThreshold(e: Pick<Entry, 'status' | 'likesOpen'>): boolean {
  return e.status === 'submitted' && !e.likesOpen;
}

/** What a missed threshold means for the family. */
export function missedThresholdText(threshold: number): string {
  return msg(str`本轮点赞已截止，没有集满 ${threshold} 个赞，这次不进入实地评比。下一轮还可以再参加。`, { id: 'entry.missed.text' });
}

export function entryStatusLabel(s: EntryStatus): string {
  switch (s) {
    case 'draft':
      return msg('还没提交', { id: 'entry.status.draft' });
    case 'submitted':
      return msg('已提交，正在集赞', { id: 'entry.status.submitted' });
    case 'qualified':
      return msg('已达标，等待实地核实', { id: 'entry.status.qualified' });
    case 'scored':
      return msg('已评分，等待公布结果', { id: 'entry.status.scored' });
    case 'awarded':
      return msg('获评美丽庭院', { id: 'entry.status.awarded' });
    case 'not_awarded':
      return msg('本轮未获评', { id: 'entry.status.not_awarded' });
    case 'withdrawn':
      return msg('已撤回', { id: 'entry.status.withdrawn' });
    case 'disqualified':
      return msg('实地核实未通过', { id: 'entry.status.disqualified' });
  }
}

export function photoKindLabel(k: PhotoKind): string {
  switch (k) {
    case 'overview':
      return msg('全景', { id: 'photo.kind.overview' });
    case 'before':
      return msg('整治前', { id: 'photo.kind.before' });
    case 'after':
      return msg('整治后', { id: 'photo.kind.after' });
    case 'detail':
      return msg('细节', { id: 'photo.kind.detail' });
  }
}

/** A roster column or form field named by the server (`headName`, `months.to`, …). */
export function fieldLabel(field: string): string {
  switch (field) {
    case 'headName':
      return msg('户主姓名', { id: 'field.headName' });
    case 'doorNumber':
      return msg('门牌号', { id: 'field.doorNumber' });
    case 'phone':
    case 'phones':
      return msg('手机号', { id: 'field.phone' });
    case 'file':
      return msg('整个文件', { id: 'field.file' });
    case 'row':
      return msg('整行', { id: 'field.row' });
    default:
      return field;
  }
}

/** What an audit row's action did, in words; an action without words shows as it is stored. */
export function auditActionLabel(action: string): string {
  const words: Record<string, () => string> = {
    'household.register': () => msg('本人登记', { id: 'audit.household.register' }),
    'household.register_proxy': () => msg('代录登记', { id: 'audit.household.register_proxy' }),
    'household.confirm': () => msg('确认登记', { id: 'audit.household.confirm' }),
    'household.reject': () => msg('驳回登记', { id: 'audit.household.reject' }),
    'household.member_add': () => msg('添加家人手机号', { id: 'audit.household.member_add' }),
    'household.member_remove': () => msg('移出家人手机号', { id: 'audit.household.member_remove' }),
    'household.import': () => msg('名册导入', { id: 'audit.household.import' }),
    'entry.create': () => msg('报名参评', { id: 'audit.entry.create' }),
    'entry.create_proxy': () => msg('代录报名', { id: 'audit.entry.create_proxy' }),
    'entry.edit': () => msg('修改介绍或照片顺序', { id: 'audit.entry.edit' }),
    'entry.submit': () => msg('提交参评', { id: 'audit.entry.submit' }),
    'entry.withdraw': () => msg('撤回参评', { id: 'audit.entry.withdraw' }),
    'entry.reenter': () => msg('重新参评', { id: 'audit.entry.reenter' }),
    'entry.qualify': () => msg('达标', { id: 'audit.entry.qualify' }),
    'entry.hide': () => msg('隐藏作品', { id: 'audit.entry.hide' }),
    'entry.restore': () => msg('恢复作品', { id: 'audit.entry.restore' }),
    'photo.add': () => msg('上传照片', { id: 'audit.photo.add' }),
    'photo.remove': () => msg('删除照片', { id: 'audit.photo.remove' }),
    'photo.hide': () => msg('隐藏照片', { id: 'audit.photo.hide' }),
    'photo.restore': () => msg('恢复照片', { id: 'audit.photo.restore' }),
    'photo.flags_clear': () => msg('核实照片没问题', { id: 'audit.photo.flags_clear' }),
    'likes.void': () => msg('作废点赞', { id: 'audit.likes.void' }),
    'sheet.submit': () => msg('提交评分表', { id: 'audit.sheet.submit' }),
    'sheet.replace': () => msg('修改评分表', { id: 'audit.sheet.replace' }),
    'sheet.recuse': () => msg('回避评分', { id: 'audit.sheet.recuse' }),
    'sheet.photo': () => msg('上传现场照片', { id: 'audit.sheet.photo' }),
    'round.transition': () => msg('轮次状态变更', { id: 'audit.round.transition' }),
    'campaign.create': () => msg('创建活动', { id: 'audit.campaign.create' }),
    'panel.create': () => msg('组建考评组', { id: 'audit.panel.create' }),
    'results.compute': () => msg('计算结果', { id: 'audit.results.compute' }),
    'results.recompute': () => msg('异议成立后重新计算', { id: 'audit.results.recompute' }),
    'results.announce': () => msg('公示结果', { id: 'audit.results.announce' }),
    'results.finalize': () => msg('定稿', { id: 'audit.results.finalize' }),
    'objection.file': () => msg('提出异议', { id: 'audit.objection.file' }),
    'objection.photo': () => msg('补充异议照片', { id: 'audit.objection.photo' }),
    'objection.upheld': () => msg('异议成立', { id: 'audit.objection.upheld' }),
    'objection.dismissed': () => msg('异议不成立', { id: 'audit.objection.dismissed' }),
    'plate.issue': () => msg('颁发门牌', { id: 'audit.plate.issue' }),
    'plate.supersede': () => msg('门牌被新门牌取代', { id: 'audit.plate.supersede' }),
    'plate.revoke': () => msg('撤销门牌', { id: 'audit.plate.revoke' }),
    'reward.paid': () => msg('标记已发放', { id: 'audit.reward.paid' }),
  };
  return words[action]?.() ?? action;
}

/** What a trail knows besides its rows, to name the families its rows are about. */
export interface AuditContext {
  /** How the households of the trail's result are called (id → 陈家庭院（陈美丽）). */
  households?: ReadonlyMap<string, string>;
}

/** What one row's words need from the rest of its trail. */
export interface TrailFacts {
  /** The household each objection is about, from the row that filed it. */
  objections: Map<string, string>;
  /** The computations made by announcing (written with the announcement, at the same instant). */
  computedOnAnnouncing: Set<number>;
}

export function trailFacts(rows: readonly AuditRow[]): TrailFacts {
  const facts: TrailFacts = { objections: new Map(), computedOnAnnouncing: new Set() };
  rows.forEach((r, i) => {
    const after = fieldsOf(r.after);
    if (r.action === 'objection.file' && typeof after.objectionId === 'string' && typeof after.householdId === 'string') facts.objections.set(after.objectionId, after.householdId);
    const next = rows[i + 1];
    if (r.action === 'results.compute' && next?.action === 'results.announce' && next.subjectId === r.subjectId && next.at === r.at) facts.computedOnAnnouncing.add(r.seq);
  });
  return facts;
}

/**
 * One audit row in words, as a cadre or an inspector reads it: what was done, with what it
 * recorded (a result's version and counts, the end of the objection period, the rewards entered,
 * the plate issued, the day a reward was handed over and by whom), and the reason given.
 * `facts` are those of the whole trail (trailFacts).
 */
export function auditRowWords(r: AuditRow, facts: TrailFacts, context: AuditContext = {}) {
  const after = fieldsOf(r.after);
  const num = (key: string) => (typeof after[key] === 'number' ? (after[key] as number) : null);
  const text = (key: string) => (typeof after[key] === 'string' ? (after[key] as string) : null);
  const reason = r.reason ? html`：${zh(r.reason)}` : nothing;
  const household = (id: string | null | undefined) => (id ? (context.households?.get(id) ?? null) : null);
  switch (r.action) {
    case 'results.compute':
    case 'results.recompute': {
      const version = num('version');
      const lines = num('lines');
      const awarded = num('awarded');
      if (version === null) return auditActionLabel(r.action);
      const counts = lines !== null && awarded !== null;
      if (facts.computedOnAnnouncing.has(r.seq)) {
        // announcing computes the lines afresh from the sheets (or the months) before publishing them
        return counts
          ? msg(str`公示时计算（第 ${version} 版）：${lines} 户参评，${awarded} 户获评`, { id: 'audit.results.announceComputeCounts' })
          : msg(str`公示时计算（第 ${version} 版）`, { id: 'audit.results.announceComputeVersion' });
      }
      if (r.action === 'results.compute') {
        return counts
          ? msg(str`计算结果（第 ${version} 版）：${lines} 户参评，${awarded} 户获评`, { id: 'audit.results.computeCounts' })
          : msg(str`计算结果（第 ${version} 版）`, { id: 'audit.results.computeVersion' });
      }
      return counts
        ? msg(str`异议成立后重新计算（第 ${version} 版）：${lines} 户参评，${awarded} 户获评`, { id: 'audit.results.recomputeCounts' })
        : msg(str`异议成立后重新计算（第 ${version} 版）`, { id: 'audit.results.recomputeVersion' });
    }
    case 'results.announce': {
      const deadline = text('objectionDeadline');
      return deadline ? msg(str`公示（异议期至 ${formatDateTime(deadline)}）`, { id: 'audit.results.announceUntil' }) : auditActionLabel(r.action);
    }
    case 'results.finalize': {
      const rewards = num('rewards');
      return rewards === null ? auditActionLabel(r.action) : msg(str`定稿（录入奖励 ${rewards} 项）`, { id: 'audit.results.finalizeRewards' });
    }
    case 'objection.file':
    case 'objection.photo':
    case 'objection.upheld':
    case 'objection.dismissed': {
      const who = household(r.action === 'objection.file' ? text('householdId') : facts.objections.get(r.subjectId));
      if (!who) return html`${auditActionLabel(r.action)}${reason}`;
      const name = zh(who);
      const words = {
        'objection.file': () => msg(html`对${name}的结果提出异议`, { id: 'audit.objection.fileAbout' }),
        'objection.photo': () => msg(html`为关于${name}的异议补充照片`, { id: 'audit.objection.photoAbout' }),
        'objection.upheld': () => msg(html`关于${name}的异议成立`, { id: 'audit.objection.upheldAbout' }),
        'objection.dismissed': () => msg(html`关于${name}的异议不成立`, { id: 'audit.objection.dismissedAbout' }),
      }[r.action];
      return html`${words()}${reason}`;
    }
    case 'plate.issue': {
      const replacing = text('replacing');
      const what = replacing ? msg(str`重新颁发门牌，代替已撤销的 ${replacing}`, { id: 'audit.plate.reissue' }) : auditActionLabel(r.action);
      const title = text('title');
      const holder = text('holderName');
      return html`${what}${title && holder ? html`：${zh(`${title}，${holder}`)}` : nothing}`;
    }
    case 'plate.supersede': {
      const by = text('supersededBy');
      return by ? msg(str`由新门牌 ${by} 取代`, { id: 'audit.plate.supersededBy' }) : auditActionLabel(r.action);
    }
    case 'reward.paid': {
      const day = text('paidOn');
      const payer = text('payer');
      const note = text('note');
      if (!day || !payer) return auditActionLabel(r.action);
      return html`${msg(html`标记已发放（${formatDate(`${day}T12:00:00+08:00`)}，发放人：${zh(payer)}）`, { id: 'audit.reward.paidBy' })}${note ? html`：${zh(note)}` : nothing}`;
    }
    default: {
      // a reason given, else the family phone a member change was about (添加/移出家人手机号)
      const side = fieldsOf(r.after ?? r.before);
      const phone = typeof side.phone === 'string' ? side.phone : null;
      return html`${auditActionLabel(r.action)}${r.reason ? reason : phone ? `：${phone}` : nothing}`;
    }
  }
}

function fieldsOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
