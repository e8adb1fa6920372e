import { msg, str } from '@lit/localize';
import { html } from 'lit';
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
  };
  return words[action]?.() ?? action;
}
