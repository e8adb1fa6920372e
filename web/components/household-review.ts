import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, errorMessage, type Household } from '../api';
import { formatDate } from '../format';
import { householdSourceLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { doneNote, emptyView, errorView, loadingView, refusalNote } from '../views';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';
import './audit-trail';
import './household-members';
import { zh } from '../i18n/server-text';

/**
 * A cadre's view of a village's households: registrations waiting for a decision (确认 /
 * 驳回 with a reason), then the confirmed ones, each with its family phones, and the rejected ones.
 *
 * @fires household-decided - after a confirm or reject succeeded; `detail` is `{ household }`.
 */
@customElement('household-review')
@localized()
export class HouseholdReview extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      li.card {
        padding: var(--cy-space-3) var(--cy-space-4);
      }
      .name {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
        margin: 0;
      }
      .meta {
        color: var(--cy-color-text-muted);
        margin: 0;
      }
      details {
        margin-top: var(--cy-space-4);
      }
      details.fold > summary {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
      }
      ul.compact li {
        padding: var(--cy-space-2) 0;
        border-bottom: 1px solid var(--cy-color-border-soft);
      }
      span.meta {
        white-space: nowrap;
      }
    `,
  ];

  /** The village whose households are shown. */
  @property({ attribute: 'village-id' }) villageId = '';

  @state() private busyId = '';
  /** What the cadre looks for: part of a name, a door or a phone. */
  @state() private query = '';
  @state() private note = '';
  @state() private actionError = '';

  @query('reason-dialog') private reasonDialog!: ReasonDialog;

  /** Decisions made here, shown at once (the server's list agrees on the next load). */
  private decided = new Map<string, Household>();

  private list = new Task(this, {
    task: ([villageId], { signal }) => {
      this.decided.clear();
      return api.households(villageId, undefined, signal);
    },
    args: () => [this.villageId] as const,
  });

  /** Load the lists again (after an import or a proxy registration). */
  reload(): void {
    void this.list.run();
  }

  override render() {
    return html`
      ${doneNote(this.note)}
      ${refusalNote(this.actionError)}
      ${this.list.render({
        initial: () => loadingView(),
        pending: () => (this.list.value ? this.lists(this.list.value) : loadingView()),
        error: (e) => errorView(e, () => this.reload()),
        complete: (households) => this.lists(households),
      })}
      <reason-dialog
        heading=${msg('驳回登记', { id: 'review.reject.heading' })}
        label=${msg('驳回原因', { id: 'review.reject.reason' })}
        description=${msg('村民会看到这个原因，请写清楚要改正什么，例如“门牌号不对，应为 12 号”。', { id: 'review.reject.description' })}
      ></reason-dialog>
    `;
  }

  private lists(loaded: Household[]) {
    const everyone = loaded.map((h) => this.decided.get(h.id) ?? h);
    const q = this.query.replace(/\s+/g, '');
    const all = q ? everyone.filter((h) => matches(h, q)) : everyone;
    const pending = all.filter((h) => h.status === 'pending');
    const confirmed = all.filter((h) => h.status === 'confirmed');
    const rejected = all.filter((h) => h.status === 'rejected');
    return html`
      <div class="field search">
        <label for="hh-search">${msg('查找住户', { id: 'review.search' })}</label>
        <input
          id="hh-search"
          type="search"
          autocomplete="off"
          aria-describedby="hh-search-hint"
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
        />
        <p class="hint" id="hh-search-hint" role="status">
          ${q
            ? msg(str`找到 ${all.length} 户（共 ${everyone.length} 户）`, { id: 'review.search.found' })
            : msg('输入户主姓名、门牌号或手机号的一部分', { id: 'review.search.hint' })}
        </p>
      </div>
      <section aria-labelledby="pending-heading">
        <h3 id="pending-heading">${msg(str`等待确认（${pending.length} 户）`, { id: 'review.pending' })}</h3>
        ${pending.length
          ? html`<ul class="plain">${pending.map((h) => this.pendingItem(h))}</ul>`
          : emptyView(q ? msg('没有符合查找的登记。', { id: 'review.search.none' }) : msg('现在没有等待确认的登记。', { id: 'review.pending.empty' }))}
      </section>
      <details class="fold" ?open=${confirmed.length > 0 && (confirmed.length <= 20 || !!q)}>
        <summary>${msg(str`已确认（${confirmed.length} 户）`, { id: 'review.confirmed' })}</summary>
        ${confirmed.length
          ? html`<ul class="plain compact">${confirmed.map((h) => this.compactItem(h))}</ul>`
          : emptyView(q ? msg('没有符合查找的登记。', { id: 'review.search.none' }) : msg('还没有已确认的住户。', { id: 'review.confirmed.empty' }))}
      </details>
      ${rejected.length
        ? html`<details class="fold">
            <summary>${msg(str`未通过（${rejected.length} 户）`, { id: 'review.rejected' })}</summary>
            <ul class="plain compact">${rejected.map((h) => this.compactItem(h))}</ul>
          </details>`
        : nothing}
    `;
  }

  private pendingItem(h: Household) {
    const busy = this.busyId === h.id;
    return html`<li class="card">
      <p class="name">${zh(`${h.headName}（${h.label}）`)}</p>
      <dl class="facts">
        <dt>${msg('门牌号', { id: 'field.doorNumber' })}</dt>
        <dd>${zh(h.doorNumber)}</dd>
        <dt>${msg('手机号', { id: 'field.phone' })}</dt>
        <dd>${h.members.length ? h.members.map((m) => m.phone).join('、') : msg('无', { id: 'common.none' })}</dd>
        <dt>${msg('登记方式', { id: 'me.source' })}</dt>
        <dd>${householdSourceLabel(h.source)}${h.proxyBy ? msg(str`（${h.proxyBy}）`, { id: 'review.proxyBy' }) : ''}</dd>
        <dt>${msg('登记时间', { id: 'review.createdAt' })}</dt>
        <dd>${formatDate(h.createdAt)}</dd>
      </dl>
      <div class="btn-row">
        <button type="button" class="btn primary" ?disabled=${busy} @click=${() => this.confirm(h)}>
          ${msg('确认', { id: 'review.confirm' })}
        </button>
        <button type="button" class="btn danger" ?disabled=${busy} @click=${() => this.reject(h)}>
          ${msg('驳回', { id: 'review.reject' })}
        </button>
      </div>
    </li>`;
  }

  private compactItem(h: Household) {
    return html`<li>
      <strong>${zh(h.headName)}</strong>${zh(`（${h.label}） · ${h.doorNumber}`)}
      <span class="meta">· ${householdSourceLabel(h.source)}</span>
      ${h.status === 'rejected' && h.rejectReason
        ? html`<p class="meta">${msg('驳回原因：', { id: 'review.rejectReason' })}${zh(h.rejectReason)}</p>`
        : nothing}
      ${h.status === 'confirmed' ? html`<household-members .household=${h} @household-changed=${this.changed}></household-members>` : nothing}
      <audit-trail subject=${`household:${h.id}`}></audit-trail>
    </li>`;
  }

  /** A family phone added or taken off: the household as it is now, at once. */
  private readonly changed = (e: CustomEvent<{ household: Household }>) => {
    this.decided.set(e.detail.household.id, e.detail.household);
    this.requestUpdate();
  }

  private async confirm(h: Household) {
    await this.decide(h, () => api.confirmHousehold(h.id), msg(str`已确认：${h.headName}（${h.label}）。`, { id: 'review.confirmed.note' }));
  }

  private async reject(h: Household) {
    const reason = await this.reasonDialog.ask();
    if (!reason) return;
    await this.decide(h, () => api.rejectHousehold(h.id, reason), msg(str`已驳回：${h.headName}（${h.label}）。`, { id: 'review.rejected.note' }));
  }

  private async decide(h: Household, call: () => Promise<Household>, note: string) {
    this.busyId = h.id;
    this.note = '';
    this.actionError = '';
    try {
      const updated = await call();
      this.decided.set(h.id, { ...h, ...updated });
      this.note = note;
      this.dispatchEvent(new CustomEvent('household-decided', { detail: { household: updated }, bubbles: true, composed: true }));
    } catch (err) {
      this.actionError = errorMessage(err);
      this.reload();
    } finally {
      this.busyId = '';
    }
  }
}

/** A household found by part of its head's name, door or a member's phone (spaces ignored). */
function matches(h: Household, q: string): boolean {
  return [h.headName, h.doorNumber, h.label, ...h.members.map((m) => m.phone)].some((text) => text.replace(/\s+/g, '').includes(q));
}

declare global {
  interface HTMLElementTagNameMap {
    'household-review': HouseholdReview;
  }
}
