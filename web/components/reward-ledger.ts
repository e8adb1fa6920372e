import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorMessage } from '../api';
import { formatDate, formatDateTime, formatYuan } from '../format';
import { resultsApi, type Reward, type RewardList } from '../results-api';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView, refusalNote } from '../views';

/**
 * A village's reward ledger (奖励): environmental-improvement funds in 元 or prizes, per award,
 * with totals; a pending reward is marked paid with the date, who paid it and a note.
 */
@customElement('reward-ledger')
@localized()
export class RewardLedger extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .totals {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--cy-space-3);
        margin-bottom: var(--cy-space-4);
      }
      .totals div {
        margin: 0;
      }
      .totals strong {
        display: block;
        font-size: var(--cy-font-size-lg);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      details > summary {
        min-height: var(--cy-touch-target);
        display: flex;
        align-items: center;
        cursor: pointer;
        font-weight: 600;
        color: var(--cy-color-link);
      }
      .amount {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
      }
      .badge.paid {
        background: var(--cy-color-success-bg);
        color: var(--cy-color-success-text);
      }
      li.card > p:first-child {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-2);
        align-items: center;
        justify-content: space-between;
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';

  /** The reward whose "paid" form is open. */
  @state() private paying = '';
  @state() private busy = false;
  @state() private error = '';
  @state() private note = '';

  private data = new Task(this, {
    task: ([villageId], { signal }) => resultsApi.rewards(villageId, signal),
    args: () => [this.villageId] as const,
  });

  override render() {
    return this.data.render({
      initial: () => loadingView(),
      pending: () => (this.data.value ? this.ledger(this.data.value) : loadingView()),
      error: (e) => errorView(e, () => void this.data.run()),
      complete: (d) => this.ledger(d),
    });
  }

  private ledger(d: RewardList) {
    return html`
      <div class="totals">
        <div class="card">${msg('待发放', { id: 'rewards.pending' })}<strong>${msg(str`${formatYuan(d.totals.pendingFen)} 元`, { id: 'rewards.yuan' })}</strong></div>
        <div class="card">${msg('已发放', { id: 'rewards.paid' })}<strong>${msg(str`${formatYuan(d.totals.paidFen)} 元`, { id: 'rewards.yuan' })}</strong></div>
      </div>
      <p id="rewards-note" role="status" tabindex="-1" class=${this.note ? 'notice success' : 'visually-hidden'}>${this.note}</p>
      ${d.rewards.length ? this.lists(d.rewards, d.today) : html`<p class="notice info">${msg('还没有奖励。结果定稿后，获评的住户会出现在这里。', { id: 'rewards.none' })}</p>`}
    `;
  }

  /** What is still to pay comes first, newest first; what has been paid waits behind a summary. */
  private lists(all: Reward[], today: string) {
    const newest = (a: Reward, b: Reward) => b.createdAt.localeCompare(a.createdAt);
    const pending = all.filter((r) => r.status === 'pending').sort(newest);
    const paid = all.filter((r) => r.status === 'paid').sort((a, b) => (b.paidOn ?? '').localeCompare(a.paidOn ?? '') || newest(a, b));
    return html`
      <h3>${msg(str`待发放（${pending.length} 笔）`, { id: 'rewards.pendingCount' })}</h3>
      ${pending.length ? html`<ul class="plain">${pending.map((r) => this.item(r, today))}</ul>` : html`<p class="muted">${msg('都已发放。', { id: 'rewards.allPaid' })}</p>`}
      ${paid.length
        ? html`<details ?open=${paid.length <= 3}>
            <summary>${msg(str`已发放（${paid.length} 笔）`, { id: 'rewards.paidCount' })}</summary>
            <ul class="plain">${paid.map((r) => this.item(r, today))}</ul>
          </details>`
        : nothing}
    `;
  }

  private item(r: Reward, today: string) {
    return html`<li class="card">
      <p>
        <strong id=${`reward-${r.id}`}>${r.household.headName}（${r.household.doorNumber}）</strong>
        <span class="badge ${r.status}">${r.status === 'paid' ? msg('已发放', { id: 'rewards.paid' }) : msg('待发放', { id: 'rewards.pending' })}</span>
      </p>
      <p>${r.label}</p>
      <p class="amount">
        ${r.amountFen !== null ? msg(str`${formatYuan(r.amountFen)} 元`, { id: 'rewards.yuan' }) : nothing}${r.amountFen !== null && r.goods ? ' + ' : ''}${r.goods ?? ''}
      </p>
      ${r.status === 'paid'
        ? html`<p class="muted">
            ${msg(str`${formatDate(`${r.paidOn}T12:00:00+08:00`)} 由 ${r.payer ?? ''} 发放`, { id: 'rewards.paidBy' })}${r.note ? html`<br />${msg('备注：', { id: 'rewards.noteLabel' })}${r.note}` : nothing}
            ${r.confirmedAt ? html`<br />${msg(str`村里确认：${formatDateTime(r.confirmedAt)}`, { id: 'rewards.confirmed' })}` : nothing}
          </p>`
        : this.paying === r.id
          ? this.payForm(r, today)
          : html`<button type="button" id=${`pay-${r.id}`} class="btn primary" aria-describedby=${`reward-${r.id}`} @click=${() => this.open(r)}>${msg('登记发放', { id: 'rewards.markPaid' })}</button>`}
    </li>`;
  }

  /** `today` is the server's (a phone's clock may be days out): the default day, and the latest allowed. */
  private payForm(r: Reward, today: string) {
    const id = (f: string) => `${f}-${r.id}`;
    return html`<form novalidate @submit=${(e: Event) => this.submit(e, r)}>
      <div class="field">
        <label for=${id('paidOn')}>${msg('发放日期', { id: 'rewards.paidOn' })}</label>
        <input id=${id('paidOn')} name="paidOn" type="date" required max=${today} .value=${today} />
      </div>
      <div class="field">
        <label for=${id('payer')}>${msg('发放人', { id: 'rewards.payer' })}</label>
        <input id=${id('payer')} name="payer" type="text" maxlength="20" required autocomplete="name" />
      </div>
      <div class="field">
        <label for=${id('note')}>${msg('备注（选填）', { id: 'rewards.note' })}</label>
        <input id=${id('note')} name="note" type="text" maxlength="200" />
      </div>
      ${refusalNote(this.error)}
      <div class="btn-row">
        <button type="submit" class="btn primary" ?disabled=${this.busy}>${msg('确认已发放', { id: 'rewards.confirm' })}</button>
        <button type="button" class="btn" @click=${() => this.cancel(r)}>${msg('取消', { id: 'common.cancel' })}</button>
      </div>
    </form>`;
  }

  private async open(r: Reward) {
    this.paying = r.id;
    this.error = '';
    this.note = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#payer-${CSS.escape(r.id)}`)?.focus();
  }

  /** Close the form; focus goes back to the button that opened it, not to the top of the page. */
  private async cancel(r: Reward) {
    this.paying = '';
    await this.updateComplete;
    this.focusOn(`#pay-${CSS.escape(r.id)}`);
  }

  private focusOn(selector: string) {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async submit(e: Event, r: Reward) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
    this.busy = true;
    this.error = '';
    try {
      await resultsApi.markPaid(r.id, { paidOn: value('paidOn'), payer: value('payer'), note: value('note') });
      this.paying = '';
      this.note = msg(str`已登记：${r.household.headName}的奖励已发放。`, { id: 'rewards.done' });
      await this.data.run();
      await this.updateComplete;
      // The form is gone and the reward moved to the paid list: focus the sentence that says so.
      this.focusOn('#rewards-note');
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reward-ledger': RewardLedger;
  }
}
