import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, errorMessage } from '../api';
import { formatDate, formatDateTime, formatYuan } from '../format';
import { resultsApi, type Reward, type RewardList } from '../results-api';
import { rewardView, yuanView } from '../results-view';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView, refusalNote } from '../views';
import { zh } from '../i18n/server-text';

/** Rewards of one result (one month's winners, one half-year's stars), paid as a batch as a rule. */
interface Batch {
  /** The result's id. */
  id: string;
  title: string;
  rewards: Reward[];
  fen: number;
  /** Whether its rewards differ (stars of several levels): then each row says which it is. */
  mixed: boolean;
}

/**
 * A village's reward ledger (奖励): environmental-improvement funds in 元 or prizes, per award,
 * with totals. What is still to pay is grouped by what it is for (a month's winners are usually
 * paid together, on one day); the cadre ticks what was handed over and records the day, who paid
 * and a note once for all of them. Each batch prints as a sheet the households sign on receipt.
 *
 * @fires rewards-paid - after the server recorded rewards as paid; `detail` is `{ rewards }`.
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
        /* side by side, or one above the other when large text would not fit */
        grid-template-columns: repeat(auto-fit, minmax(9em, 1fr));
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
      .selection-bar.following {
        position: sticky;
        top: 0;
        z-index: 1;
      }
      .selection-bar > p {
        margin: 0 0 var(--cy-space-2);
        font-weight: 600;
      }
      .batch {
        margin-bottom: var(--cy-space-3);
      }
      .batch > summary .sum,
      .choice .sub {
        display: block;
        font-weight: normal;
        font-size: var(--cy-font-size-sm);
        color: var(--cy-color-text-muted);
        font-variant-numeric: tabular-nums;
      }
      .batch ul {
        margin: 0;
      }
      .batch li {
        border-top: 1px solid var(--cy-color-border-soft);
      }
      .batch li:first-child {
        border-top: none;
      }
      .choice .what {
        flex: 1;
      }
      .amount {
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
      .choice .amount {
        max-width: 50%;
        text-align: right;
      }
      li.paid {
        padding: var(--cy-space-2) 0;
        border-top: 1px solid var(--cy-color-border-soft);
      }
      li.paid p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';

  @state() private selected: ReadonlySet<string> = new Set();
  /** Whether the form for the selected rewards is open. */
  @state() private paying = false;
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
        <div class="card">${msg('待发放', { id: 'rewards.pending' })}<strong>${yuanView(d.totals.pendingFen)}</strong></div>
        <div class="card">${msg('已发放', { id: 'rewards.paid' })}<strong>${yuanView(d.totals.paidFen)}</strong></div>
      </div>
      <p id="rewards-note" role="status" tabindex="-1" class=${this.note ? 'notice success' : 'visually-hidden'}>${this.note}</p>
      ${d.rewards.length ? this.lists(d) : html`<p class="notice info">${msg('还没有奖励。结果定稿后，获评的住户会出现在这里。', { id: 'rewards.none' })}</p>`}
    `;
  }

  /** What is still to pay comes first, in batches newest first; what has been paid waits behind a summary. */
  private lists(d: RewardList) {
    const newest = (a: Reward, b: Reward) => b.createdAt.localeCompare(a.createdAt);
    const pending = d.rewards.filter((r) => r.status === 'pending').sort(newest);
    const paid = d.rewards.filter((r) => r.status === 'paid').sort((a, b) => (b.paidOn ?? '').localeCompare(a.paidOn ?? '') || newest(a, b));
    const batches = batchesOf(pending);
    return html`
      <h3>${msg(str`待发放（${pending.length} 笔）`, { id: 'rewards.pendingCount' })}</h3>
      ${pending.length
        ? html`${this.bar(pending, d.today, lastPayer(paid))}
          ${batches.map((b, i) => this.batch(b, i === 0 || pending.length <= 12))}`
        : html`<p class="muted">${msg('都已发放。', { id: 'rewards.allPaid' })}</p>`}
      ${paid.length
        ? html`<details class="fold" ?open=${paid.length <= 3}>
            <summary>${msg(str`已发放（${paid.length} 笔）`, { id: 'rewards.paidCount' })}</summary>
            ${batchesOf(paid).map(
              (b) => html`<h4>${zh(b.title)} <span class="muted">${msg(str`（${b.rewards.length} 笔）`, { id: 'rewards.batchCount' })}</span></h4>
                <ul class="plain">${b.rewards.map((r) => this.paidItem(r, b.mixed))}</ul>
                <p>
                  <a class="btn" href=${resultsApi.receiptSheetUrl(this.villageId, b.id)} target="_blank" rel="noopener">${msg('打印签收表（PDF）', { id: 'rewards.sheet' })}</a>
                </p>`,
            )}
          </details>`
        : nothing}
    `;
  }

  /** What is ticked, and the one form that records it paid. */
  private bar(pending: Reward[], today: string, lastPayer: string) {
    const chosen = pending.filter((r) => this.selected.has(r.id));
    const fen = chosen.reduce((n, r) => n + (r.amountFen ?? 0), 0);
    // It follows the list down only while something is ticked and the form is closed.
    return html`<div class="selection-bar ${chosen.length && !this.paying ? 'following' : ''}">
      <p>${msg(str`已选 ${chosen.length} 笔，共 ${formatYuan(fen)} 元`, { id: 'rewards.selected' })}</p>
      ${this.paying
        ? this.payForm(chosen, today, lastPayer)
        : html`${refusalNote(this.error)}
            <button type="button" id="pay-open" class="btn primary" @click=${() => this.open(chosen)}>${msg('登记发放', { id: 'rewards.markPaid' })}</button>`}
    </div>`;
  }

  private batch(b: Batch, open: boolean) {
    const all = b.rewards.every((r) => this.selected.has(r.id));
    return html`<details class="card batch fold" ?open=${open}>
      <summary>
        <span>${zh(b.title)}<span class="sum">${msg(str`${b.rewards.length} 笔 · ${formatYuan(b.fen)} 元`, { id: 'rewards.batchSum' })}</span></span>
      </summary>
      <label class="choice">
        <input type="checkbox" .checked=${all} @change=${(e: Event) => this.selectBatch(b, (e.target as HTMLInputElement).checked)} />
        ${msg(str`全选这 ${b.rewards.length} 笔`, { id: 'rewards.selectBatch' })}
      </label>
      <ul class="plain">
        ${b.rewards.map(
          (r) => html`<li>
            <label class="choice">
              <input type="checkbox" .checked=${this.selected.has(r.id)} @change=${(e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked)} />
              <span class="what">
                ${zh(r.household.headName)}<span class="sub">${zh(r.household.doorNumber)}${b.mixed ? html` · ${zh(r.label)}` : nothing}</span>
              </span>
              <span class="amount">${rewardView(r)}</span>
            </label>
          </li>`,
        )}
      </ul>
      <p>
        <a class="btn" href=${resultsApi.receiptSheetUrl(this.villageId, b.id)} target="_blank" rel="noopener">${msg('打印签收表（PDF）', { id: 'rewards.sheet' })}</a>
      </p>
      <p class="hint">${msg('先打印签收表，发放时请领取人签字，再回到这里登记发放。', { id: 'rewards.sheetFirst' })}</p>
    </details>`;
  }

  /** A reward paid, under its result's heading (its own award named only where a batch mixes them). */
  private paidItem(r: Reward, mixed: boolean) {
    return html`<li class="paid">
      <p><strong>${zh(`${r.household.headName}（${r.household.doorNumber}）`)}</strong> <span class="amount">${rewardView(r)}</span></p>
      ${mixed ? html`<p>${zh(r.label)}</p>` : nothing}
      <p class="muted">
        ${msg(html`${formatDate(`${r.paidOn}T12:00:00+08:00`)} 由 ${zh(r.payer)} 发放`, { id: 'rewards.paidBy' })}${r.note ? html`<br />${msg('备注：', { id: 'rewards.noteLabel' })}${zh(r.note)}` : nothing}
        ${r.confirmedAt ? html`<br />${msg(str`村里确认：${formatDateTime(r.confirmedAt)}`, { id: 'rewards.confirmed' })}` : nothing}
      </p>
    </li>`;
  }

  /**
   * `today` is the server's (a phone's clock may be days out): the default day, and the latest
   * allowed. The payer is whoever paid last time, as a rule the same village accountant.
   */
  private payForm(chosen: Reward[], today: string, lastPayer: string) {
    return html`<form novalidate @submit=${(e: Event) => this.submit(e, chosen)}>
      <p class="muted">${zh(chosen.map((r) => r.household.headName).join('、'))}</p>
      <div class="field">
        <label for="paidOn">${msg('发放日期', { id: 'rewards.paidOn' })}</label>
        <input id="paidOn" name="paidOn" type="date" required max=${today} .value=${today} />
      </div>
      <div class="field">
        <label for="payer">${msg('发放人', { id: 'rewards.payer' })}</label>
        <input id="payer" name="payer" type="text" maxlength="20" required autocomplete="name" .value=${lastPayer} />
      </div>
      <div class="field">
        <label for="note">${msg('备注（选填）', { id: 'rewards.note' })}</label>
        <input id="note" name="note" type="text" maxlength="200" />
      </div>
      <p class="hint">${msg('登记后每户都会收到通知，不能撤销。请确认钱物已经交到这些家庭手里，发放人写的是实际经手的人。', { id: 'rewards.confirm.hint' })}</p>
      ${refusalNote(this.error)}
      <div class="btn-row">
        <button type="submit" class="btn primary" ?disabled=${this.busy}>${msg(str`确认这 ${chosen.length} 笔已发放`, { id: 'rewards.confirm' })}</button>
        <button type="button" class="btn" @click=${() => this.cancel()}>${msg('取消', { id: 'common.cancel' })}</button>
      </div>
    </form>`;
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private selectBatch(b: Batch, on: boolean) {
    const next = new Set(this.selected);
    for (const r of b.rewards) {
      if (on) next.add(r.id);
      else next.delete(r.id);
    }
    this.selected = next;
  }

  private async open(chosen: Reward[]) {
    this.note = '';
    if (!chosen.length) {
      this.error = msg('请先勾选已经发放的奖励。', { id: 'rewards.noneSelected' });
      return;
    }
    this.error = '';
    this.paying = true;
    await this.updateComplete;
    const payer = this.renderRoot.querySelector<HTMLInputElement>('#payer');
    // The payer is filled in already as a rule: then the day is what to check.
    (payer?.value ? this.renderRoot.querySelector<HTMLInputElement>('#paidOn') : payer)?.focus();
  }

  /** Close the form; focus goes back to the button that opened it, not to the top of the page. */
  private async cancel() {
    this.paying = false;
    this.error = '';
    await this.updateComplete;
    this.focusOn('#pay-open');
  }

  private focusOn(selector: string) {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async submit(e: Event, chosen: Reward[]) {
    e.preventDefault();
    if (this.busy) return;
    const form = e.target as HTMLFormElement;
    const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
    this.busy = true;
    this.error = '';
    try {
      const paid = await resultsApi.markPaid(
        chosen.map((r) => r.id),
        { paidOn: value('paidOn'), payer: value('payer'), note: value('note') },
      );
      const fen = paid.reduce((n, r) => n + (r.amountFen ?? 0), 0);
      this.paying = false;
      this.selected = new Set();
      this.dispatchEvent(new CustomEvent('rewards-paid', { detail: { rewards: paid }, bubbles: true, composed: true }));
      // The ledger first, then the sentence: never "recorded" above totals and lines not yet moved.
      await this.data.run();
      this.note = msg(str`已登记 ${paid.length} 笔奖励已发放，共 ${formatYuan(fen)} 元：${paid.map((r) => r.household.headName).join('、')}。`, { id: 'rewards.done' });
      await this.updateComplete;
      // The form is gone and the rewards moved to the paid list: focus the sentence that says so.
      this.focusOn('#rewards-note');
    } catch (err) {
      this.error = errorMessage(err);
      // Someone recorded some of them meanwhile: the ledger again, and the form keeps the rest.
      if (err instanceof ApiError && err.status === 409) await this.data.run();
    } finally {
      this.busy = false;
    }
  }
}

/** Who recorded the latest payment: as a rule the same village accountant pays the next batch. */
function lastPayer(paid: Reward[]): string {
  return paid.reduce<Reward | null>((last, r) => (!last || (r.confirmedAt ?? '') > (last.confirmedAt ?? '') ? r : last), null)?.payer ?? '';
}

/** Rewards by the result they come from (a month's winners, a half-year's stars), in the order given. */
function batchesOf(rewards: Reward[]): Batch[] {
  const byResult = new Map<string, Batch>();
  for (const r of rewards) {
    let b = byResult.get(r.batch.id);
    if (!b) byResult.set(r.batch.id, (b = { id: r.batch.id, title: r.batch.title, rewards: [], fen: 0, mixed: false }));
    b.mixed ||= b.rewards.length > 0 && b.rewards[0]!.label !== r.label;
    b.rewards.push(r);
    b.fen += r.amountFen ?? 0;
  }
  return [...byResult.values()];
}


declare global {
  interface HTMLElementTagNameMap {
    'reward-ledger': RewardLedger;
  }
}
