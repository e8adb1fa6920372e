import { msg } from '@lit/localize';
import type { InspectionItem } from './scoring-api';
import { serverNow } from './server-clock';
import type { OutboxSheet } from './sheet-outbox';

/*
 * What the panel pages share: a courtyard's state for this member (the server's view joined
 * with the sheets still on the phone) and the village and round chosen last time.
 */

export type VisitStatus = 'todo' | 'submitted' | 'waiting' | 'failed' | 'recused';

/** The member's state for one courtyard: a sheet on the phone counts before the server's copy. */
export function visitStatus(item: InspectionItem, local: OutboxSheet | undefined): VisitStatus {
  if (local?.state === 'pending') return 'waiting';
  if (local?.state === 'failed') return 'failed';
  if (item.recused) return 'recused';
  if (item.mySheet || local?.state === 'sent') return 'submitted';
  return 'todo';
}

export function visitStatusLabel(s: VisitStatus): string {
  switch (s) {
    case 'todo':
      return msg('未打分', { id: 'panel.status.todo' });
    case 'submitted':
      return msg('已提交', { id: 'panel.status.submitted' });
    case 'waiting':
      return msg('待发送', { id: 'panel.status.waiting' });
    case 'failed':
      return msg('发送失败', { id: 'panel.status.failed' });
    case 'recused':
      return msg('已回避', { id: 'panel.status.recused' });
  }
}

/** Past its due date (by the server's clock) and not yet dealt with by this member (also while the list is an offline copy). */
export function isOverdue(item: InspectionItem, status: VisitStatus): boolean {
  return status === 'todo' && (item.overdue || Date.parse(item.dueAt) < serverNow());
}

/** Scoring is open while the round takes entries or is being inspected (server/domain/scoring.ts). */
export function scoringOpen(roundStatus: string): boolean {
  return roundStatus === 'entries_open' || roundStatus === 'inspecting';
}

export interface PanelChoice {
  villageId: string;
  roundId: string;
}

const KEY = 'courtyard.panel';

/** The village and round this phone scored last (so that the queue opens straight away, also offline). */
export function rememberedPanel(): PanelChoice | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<PanelChoice> | null;
    return v && typeof v.villageId === 'string' && typeof v.roundId === 'string' ? { villageId: v.villageId, roundId: v.roundId } : null;
  } catch {
    return null;
  }
}

export function rememberPanel(choice: PanelChoice): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choice));
  } catch {
    // not remembered: the member chooses again next time
  }
}

/** A panel member's role label (the server stores the Chinese label). */
export function panelRoleLabel(role: string): string {
  switch (role) {
    case '镇干部':
      return msg('镇干部', { id: 'panelRole.town' });
    case '村干部':
      return msg('村干部', { id: 'panelRole.village' });
    case '网格员':
      return msg('网格员', { id: 'panelRole.grid' });
    case '村民代表':
      return msg('村民代表', { id: 'panelRole.rep' });
    default:
      return role;
  }
}
