import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, errorMessage, type SuspiciousLike } from '../api';
import { formatDateTime } from '../format';
import { sharedStyles } from '../styles/shared';
import { doneNote, emptyView, errorView, loadingView, refusalNote } from '../views';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';
import { zh } from '../i18n/server-text';

/**
 * Likes of a round that look wrong (bursts from one network, brand-new accounts, fast likers…),
 * each with its reasons. The cadre ticks the ones to void and gives one reason; the voided likes
 * stay on record, marked, and the counts are recomputed.
 *
 * @fires likes-voided - after the server voided the ticked likes; `detail` is its answer.
 */
@customElement('suspicious-likes')
@localized()
export class SuspiciousLikes extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      li.card {
        padding: var(--cy-space-2) var(--cy-space-3);
      }
      li.card.selected {
        border-color: var(--cy-color-primary);
        background: var(--cy-color-primary-soft);
      }
      .choice {
        align-items: flex-start;
        padding-top: var(--cy-space-2);
      }
      .choice input {
        margin-top: 4px;
      }
      .who {
        font-weight: 700;
        display: block;
      }
      ul.reasons {
        margin: var(--cy-space-1) 0;
        padding-left: 1.2em;
        color: var(--cy-color-error-text);
      }
      .meta {
        color: var(--cy-color-text-muted);
        font-size: var(--cy-font-size-sm);
        margin: 0;
      }
      .selection-bar p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: 'round-id' }) roundId = '';

  @state() private selected: ReadonlySet<string> = new Set();
  @state() private busy = false;
  @state() private voiding = { heading: '', description: '' };
  @state() private note = '';
  @state() private actionError = '';

  @query('reason-dialog') private dialog!: ReasonDialog;

  private likes = new Task(this, {
    task: ([roundId], { signal }) => {
      this.selected = new Set();
      return roundId ? api.suspiciousLikes(roundId, signal) : Promise.resolve(null);
    },
    args: () => [this.roundId] as const,
  });

  override render() {
    return html`
      <p>${msg('下面这些点赞看起来不正常。请核实后再作废；作废的点赞会留下记录，作品的点赞数会重新计算。', { id: 'suspicious.lead' })}</p>
      ${doneNote(this.note)}
      ${refusalNote(this.actionError)}
      ${this.likes.render({
        initial: () => loadingView(),
        pending: () => (this.likes.value ? this.list(this.likes.value) : loadingView()),
        error: (e) => errorView(e, () => void this.likes.run()),
        complete: (list) => (list ? this.list(list) : nothing),
      })}
      <reason-dialog
        heading=${this.voiding.heading}
        label=${msg('作废原因', { id: 'suspicious.void.reason' })}
        description=${this.voiding.description}
      ></reason-dialog>
    `;
  }

  private list(likes: SuspiciousLike[]) {
    const refresh = html`<button type="button" class="btn" @click=${() => void this.likes.run()}>${msg('刷新', { id: 'suspicious.refresh' })}</button>`;
    if (!likes.length) {
      return html`${emptyView(msg('本轮没有发现可疑的点赞。', { id: 'suspicious.none' }))}<div class="btn-row">${refresh}</div>`;
    }
    const all = likes.length > 0 && likes.every((l) => this.selected.has(l.likeId));
    return html`
      <div class="selection-bar">
        <label class="choice">
          <input type="checkbox" .checked=${all} @change=${(e: Event) => this.selectAll(likes, (e.target as HTMLInputElement).checked)} />
          ${msg(str`全选（共 ${likes.length} 个）`, { id: 'suspicious.selectAll' })}
        </label>
        <p>${msg(str`已选 ${this.selected.size} 个`, { id: 'suspicious.selected' })}</p>
        <div class="btn-row">
          <button type="button" class="btn danger" @click=${() => this.voidSelected(likes)}>${msg('作废所选点赞', { id: 'suspicious.void' })}</button>
          ${refresh}
        </div>
      </div>
      <ul class="plain">${likes.map((l) => this.item(l))}</ul>
    `;
  }

  private item(l: SuspiciousLike) {
    const on = this.selected.has(l.likeId);
    return html`<li class="card ${on ? 'selected' : ''}">
      <label class="choice">
        <input type="checkbox" .checked=${on} @change=${(e: Event) => this.toggle(l.likeId, (e.target as HTMLInputElement).checked)} />
        <span>
          <span class="who">${msg(html`给${zh(l.householdLabel)}的赞 · ${l.accountPhone}`, { id: 'suspicious.who' })}</span>
          <span class="meta">${formatDateTime(l.at)}</span>
        </span>
      </label>
      <ul class="reasons">${l.reasons.map((r) => html`<li>${zh(r)}</li>`)}</ul>
      <p class="meta">
        ${msg(str`上网地址 ${l.ipPrefix} · 账号注册于 ${formatDateTime(l.accountCreatedAt)}`, { id: 'suspicious.meta' })}
      </p>
      <p><a class="tall" href=${`/entries/${encodeURIComponent(l.entryId)}`}>${msg(html`看${zh(l.householdLabel)}的作品`, { id: 'suspicious.openEntry' })}</a></p>
    </li>`;
  }

  private toggle(id: string, on: boolean) {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private selectAll(likes: SuspiciousLike[], on: boolean) {
    this.selected = on ? new Set(likes.map((l) => l.likeId)) : new Set();
  }

  private async voidSelected(likes: SuspiciousLike[]) {
    if (this.busy) return;
    this.note = '';
    this.actionError = '';
    const ids = likes.filter((l) => this.selected.has(l.likeId)).map((l) => l.likeId);
    if (!ids.length) {
      this.actionError = msg('请先勾选要作废的点赞。', { id: 'suspicious.noneSelected' });
      return;
    }
    // The dialog says what is about to happen: how many likes, of which entries, and that it is for good.
    const chosen = likes.filter((l) => this.selected.has(l.likeId));
    const perEntry = new Map<string, { label: string; n: number }>();
    for (const l of chosen) perEntry.set(l.entryId, { label: l.householdLabel, n: (perEntry.get(l.entryId)?.n ?? 0) + 1 });
    const which = [...perEntry.values()].map((e) => msg(str`${e.label} ${e.n} 个`, { id: 'suspicious.void.per' })).join('、');
    this.voiding = {
      heading: msg(str`作废 ${ids.length} 个点赞`, { id: 'suspicious.void.count' }),
      description: msg(
        str`涉及：${which}。作废后不能恢复，作品的点赞数会重新计算，可能因此回到门槛以下。原因会记入操作记录，也会告诉这一户，例如“同一个网络集中刷赞，经核实为代点”。`,
        { id: 'suspicious.void.description' },
      ),
    };
    await this.updateComplete;
    const reason = await this.dialog.ask();
    if (!reason) return;
    this.busy = true;
    try {
      const res = await api.voidLikes(ids, reason);
      const labels = new Map(likes.map((l) => [l.entryId, l.householdLabel]));
      const voided = res.entries.reduce((n, e) => n + e.voided, 0);
      const after = res.entries.map((e) => msg(str`${labels.get(e.entryId) ?? e.entryId}现有 ${e.likeCount} 个赞`, { id: 'suspicious.after' })).join('；');
      this.note = msg(str`已作废 ${voided} 个点赞。${after}。`, { id: 'suspicious.voided' });
      this.dispatchEvent(new CustomEvent('likes-voided', { detail: res, bubbles: true, composed: true }));
      await this.likes.run();
    } catch (err) {
      this.actionError = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'suspicious-likes': SuspiciousLikes;
  }
}
