import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type Campaign, type Round } from '../api';
import { formatRoundPeriod } from '../format';
import { roundStatusLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, groupedSelect, loadingView } from '../views';

/**
 * A round as a picker offers it: its period and state. A round after the one running now has
 * not begun, whatever its stored state says (the server decides which round runs now).
 */
export function roundOptionLabel(r: Round, current: Round | undefined): string {
  const state = current && r.seq > current.seq && r.status === 'entries_open' ? msg('未开始', { id: 'round.upcoming' }) : roundStatusLabel(r.status, r.endsAt);
  return msg(str`${formatRoundPeriod(r)}（${state}）`, { id: 'roundPicker.option' });
}

interface CampaignRounds {
  campaign: Pick<Campaign, 'id' | 'title' | 'status'>;
  current: string | null;
  rounds: Round[];
}

/**
 * Chooses the round a cadre works on (review, photo checks, suspicious likes): every round of
 * the village's campaigns, grouped by campaign. With none chosen it picks the current round of
 * the first open campaign.
 *
 * @fires round-change - when a round is chosen (also the automatic first choice); `detail` is `{ roundId }`.
 */
@customElement('round-picker')
@localized()
export class RoundPicker extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';
  /** The chosen round ('' = none yet). */
  @property({ attribute: 'round-id' }) roundId = '';

  private data = new Task(this, {
    task: async ([villageId], { signal }): Promise<CampaignRounds[]> => {
      const v = await api.village(villageId, signal);
      const running = v.campaigns.filter((c) => c.status !== 'draft');
      const rounds = await Promise.all(running.map((c) => api.rounds(c.id, signal)));
      return running.map((c, i) => ({ campaign: c, current: c.currentRound?.id ?? null, rounds: [...(rounds[i] ?? [])].sort((a, b) => a.seq - b.seq) }));
    },
    args: () => [this.villageId] as const,
  });

  override updated() {
    const list = this.data.value;
    if (this.roundId || !list) return;
    const first = list.find((c) => c.campaign.status === 'open' && c.current) ?? list.find((c) => c.current);
    if (first?.current) this.choose(first.current);
  }

  override render() {
    return this.data.render({
      initial: () => loadingView(),
      pending: () => loadingView(),
      error: (e) => errorView(e, () => void this.data.run()),
      complete: (list) =>
        list.some((c) => c.rounds.length)
          ? groupedSelect({
              id: 'round',
              label: msg('要查看的评比轮次', { id: 'roundPicker.label' }),
              chosen: this.roundId,
              groups: list.map((c) => ({
                label: c.campaign.title,
                options: c.rounds.map((r) => ({ value: r.id, label: roundOptionLabel(r, c.rounds.find((x) => x.id === c.current)) })),
              })),
              onChange: (id) => this.choose(id),
            })
          : emptyView(msg('本村还没有开始的评比活动。', { id: 'roundPicker.none' })),
    });
  }

  private choose(roundId: string) {
    if (!roundId || roundId === this.roundId) return;
    this.dispatchEvent(new CustomEvent('round-change', { detail: { roundId }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'round-picker': RoundPicker;
  }
}
