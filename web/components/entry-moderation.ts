import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, errorMessage, type EntryPhoto, type ReviewEntry } from '../api';
import { entryNumberLabel } from '../entries';
import { formatDateTime } from '../format';
import { entryStateLabel, photoKindLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { doneNote, emptyView, errorView, loadingView, photoFailed, refusalNote } from '../views';
import './like-progress';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';
import './audit-trail';
import { zh } from '../i18n/server-text';

/**
 * A cadre's review of a round's entries (hidden ones first): hide or restore an entry, or one
 * of its photos, always with a reason the household is told.
 *
 * @fires entry-moderated - after a hide or restore; `detail` is `{ entry }`.
 */
@customElement('entry-moderation')
@localized()
export class EntryModeration extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2);
        margin-bottom: var(--cy-space-2);
      }
      .head .name {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
        margin: 0;
      }
      .card.is-hidden {
        border-left: 6px solid var(--cy-color-danger);
      }
      ul.photos {
        list-style: none;
        padding: 0;
        margin: var(--cy-space-3) 0 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
        gap: var(--cy-space-3);
      }
      ul.photos li {
        display: flex;
        flex-direction: column;
        gap: var(--cy-space-1);
      }
      ul.photos img {
        display: block;
        width: 100%;
        height: auto;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        border-radius: var(--cy-radius-sm);
        background: var(--cy-color-border-soft);
      }
      ul.photos li.is-hidden img {
        outline: 4px solid var(--cy-color-danger);
        opacity: 0.6;
      }
      .small {
        font-size: var(--cy-font-size-sm);
        margin: 0;
      }
      .bad {
        color: var(--cy-color-error-text);
        font-weight: 600;
      }
      .description {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The round under review. */
  @property({ attribute: 'round-id' }) roundId = '';

  @state() private busy = '';
  @state() private note = '';
  @state() private actionError = '';

  @query('reason-dialog') private dialog!: ReasonDialog;

  /** Entries changed here, shown at once (the list agrees on the next load). */
  private changed = new Map<string, ReviewEntry>();

  private list = new Task(this, {
    task: ([roundId], { signal }) => {
      this.changed.clear();
      return roundId ? api.reviewEntries(roundId, signal) : Promise.resolve(null);
    },
    args: () => [this.roundId] as const,
  });

  override render() {
    return html`
      ${doneNote(this.note)}
      ${refusalNote(this.actionError)}
      ${this.list.render({
        initial: () => loadingView(),
        pending: () => (this.list.value ? this.entries(this.list.value) : loadingView()),
        error: (e) => errorView(e, () => void this.list.run()),
        complete: (list) => (list ? this.entries(list) : nothing),
      })}
      <reason-dialog></reason-dialog>
    `;
  }

  private entries(loaded: ReviewEntry[]) {
    const all = loaded.map((e) => this.changed.get(e.id) ?? e);
    if (!all.length) return emptyView(msg('本轮还没有提交的作品。', { id: 'moderation.empty' }));
    const hidden = all.filter((e) => e.hidden).length;
    return html`
      <p>${msg(str`共 ${all.length} 个作品，其中 ${hidden} 个已隐藏。`, { id: 'moderation.summary' })}</p>
      <ul class="plain">${all.map((e) => this.entryItem(e))}</ul>
    `;
  }

  private entryItem(e: ReviewEntry) {
    const headingId = `entry-${e.id}`;
    return html`<li class="card ${e.hidden ? 'is-hidden' : ''}" data-entry=${e.id}>
      <div class="head">
        <h3 class="name" id=${headingId}>${zh(e.householdLabel)}${e.number ? html` <span class="number">${entryNumberLabel(e.number)}</span>` : nothing}</h3>
        <span class="badge ${e.status}">${entryStateLabel(e)}</span>
        ${e.byProxy ? html`<span class="badge proxy">${msg('代录', { id: 'household.source.proxyShort' })}</span>` : nothing}
        ${e.hidden ? html`<span class="badge hidden">${msg('已隐藏', { id: 'moderation.hidden' })}</span>` : nothing}
      </div>
      <p class="muted">${msg(html`户主 ${zh(`${e.household.headName} · ${e.household.doorNumber}`)}`, { id: 'moderation.household' })}</p>
      <like-progress like-count=${e.likeCount} threshold=${e.threshold}></like-progress>
      ${e.hidden
        ? html`<p class="bad">${msg('隐藏原因：', { id: 'moderation.hiddenReason' })}${zh(e.hidden.reason)}
            <span class="muted">（${formatDateTime(e.hidden.at)}）</span></p>`
        : nothing}
      ${e.description ? html`<p class="description">${zh(e.description)}</p>` : nothing}
      <div class="btn-row">
        ${e.hidden
          ? html`<button type="button" class="btn primary" @click=${() => this.moderate(e, 'restore')}>${msg('恢复', { id: 'moderation.restore' })}</button>`
          : html`<button type="button" class="btn danger" @click=${() => this.moderate(e, 'hide')}>${msg('隐藏', { id: 'moderation.hide' })}</button>`}
        <a class="btn" href=${`/entries/${encodeURIComponent(e.id)}`}>${msg('查看作品页面', { id: 'edit.view' })}</a>
      </div>
      <audit-trail subject=${`entry:${e.id}`}></audit-trail>
      ${e.photos.length
        ? html`<ul class="photos" aria-label=${msg(str`${e.householdLabel}的照片`, { id: 'moderation.photos' })}>
            ${[...e.photos].sort((a, b) => a.position - b.position).map((p, i) => this.photoItem(e, p, i))}
          </ul>`
        : html`<p class="muted">${msg('没有照片', { id: 'moderation.noPhotos' })}</p>`}
    </li>`;
  }

  private photoItem(e: ReviewEntry, p: EntryPhoto, i: number) {
    return html`<li class=${p.hidden ? 'is-hidden' : ''} data-photo=${p.id}>
      <a href=${p.displayUrl} target="_blank" rel="noopener">
        <img src=${p.thumbUrl} width="400" height="300" loading="lazy" @error=${photoFailed}
          alt=${msg(str`第 ${i + 1} 张：${photoKindLabel(p.kind)}（点开看大图）`, { id: 'moderation.photoAlt' })} />
      </a>
      <p class="small">${msg(str`第 ${i + 1} 张 · ${photoKindLabel(p.kind)}`, { id: 'moderation.photoLine' })}</p>
      ${p.takenOutsideRound
        ? html`<p class="small bad">${msg('拍摄时间不在本轮内', { id: 'moderation.outsideRound' })}${p.capturedAt ? `（${formatDateTime(p.capturedAt)}）` : ''}</p>`
        : nothing}
      ${p.hidden ? html`<p class="small bad">${msg('已隐藏：', { id: 'moderation.photoHidden' })}${zh(p.hidden.reason)}</p>` : nothing}
      ${p.hidden
        ? html`<button type="button" class="btn" @click=${() => this.moderate(e, 'restore', p)}>${msg('恢复照片', { id: 'moderation.restorePhoto' })}</button>`
        : html`<button type="button" class="btn danger" @click=${() => this.moderate(e, 'hide', p)}>${msg('隐藏照片', { id: 'moderation.hidePhoto' })}</button>`}
    </li>`;
  }

  private async moderate(e: ReviewEntry, action: 'hide' | 'restore', photo?: EntryPhoto) {
    if (this.busy) return;
    const d = this.dialog;
    if (action === 'hide') {
      d.heading = photo ? msg('隐藏这张照片', { id: 'moderation.hidePhoto.heading' }) : msg(str`隐藏${e.householdLabel}的作品`, { id: 'moderation.hide.heading' });
      d.label = msg('隐藏原因', { id: 'moderation.hide.reason' });
      d.description = msg('这一户会收到通知，看到这个原因。请写清楚，例如“照片不是本户庭院”。', { id: 'moderation.hide.description' });
    } else {
      d.heading = photo ? msg('恢复这张照片', { id: 'moderation.restorePhoto.heading' }) : msg(str`恢复${e.householdLabel}的作品`, { id: 'moderation.restore.heading' });
      d.label = msg('恢复原因', { id: 'moderation.restore.reason' });
      d.description = msg('恢复后大家又能看到。原因会记入操作记录。', { id: 'moderation.restore.description' });
    }
    const reason = await d.ask();
    if (!reason) return;
    this.busy = e.id;
    this.note = '';
    this.actionError = '';
    try {
      const updated = await api.moderate(e.id, photo ? { action, reason, photoId: photo.id } : { action, reason });
      this.changed.set(e.id, { ...updated, household: e.household });
      this.note =
        action === 'hide'
          ? photo
            ? msg(str`已隐藏${e.householdLabel}的一张照片。`, { id: 'moderation.photoHidden.note' })
            : msg(str`已隐藏${e.householdLabel}的作品。`, { id: 'moderation.hidden.note' })
          : photo
            ? msg(str`已恢复${e.householdLabel}的一张照片。`, { id: 'moderation.photoRestored.note' })
            : msg(str`已恢复${e.householdLabel}的作品。`, { id: 'moderation.restored.note' });
      this.dispatchEvent(new CustomEvent('entry-moderated', { detail: { entry: updated }, bubbles: true, composed: true }));
      // the button became its opposite (隐藏 ⇄ 恢复): keep the focus on it
      await this.updateComplete;
      const where = photo ? `li[data-photo="${CSS.escape(photo.id)}"] button` : `li[data-entry="${CSS.escape(e.id)}"] .btn-row button`;
      this.renderRoot.querySelector<HTMLButtonElement>(where)?.focus();
    } catch (err) {
      this.actionError = errorMessage(err);
      void this.list.run();
    } finally {
      this.busy = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'entry-moderation': EntryModeration;
  }
}
