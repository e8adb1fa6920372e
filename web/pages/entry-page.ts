import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, ApiError, type Entry } from '../api';
import '../components/like-button';
import '../components/like-progress';
import '../components/photo-viewer';
import '../components/share-panel';
import { entryNumberLabel, isOwnView, isPublicEntry, reachedThreshold } from '../entries';
import { formatDate, formatDateTime, formatPeriod } from '../format';
import { entryStateLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { contentLoadingView, errorView } from '../views';
import { nameThisPage } from '../router';
import { zh } from '../i18n/server-text';

/**
 * Public page of one entry: its photos, household and village, the like button with progress,
 * and ways to share it. The household (and its cadres) also see its state and a way to edit.
 */
@customElement('entry-page')
@localized()
export class EntryPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .where {
        color: var(--cy-color-text-muted);
        margin-bottom: var(--cy-space-2);
      }
      .marks {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-2);
        margin-bottom: var(--cy-space-3);
      }
      .likes-closed {
        margin: var(--cy-space-3) 0;
        --like-progress-size: var(--cy-font-size-lg);
      }
      .description {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The entry's id, from the address. */
  @property({ attribute: false }) entryId = '';

  private entry = new Task(this, {
    task: ([id], { signal }) => api.entry(id, signal),
    args: () => [this.entryId] as const,
  });

  private named = '';

  override updated() {
    const e = this.entry.value;
    if (!e) return;
    const title = `${e.householdLabel}${e.number ? `（${entryNumberLabel(e.number)}）` : ''} · ${e.villageName}`;
    if (title !== this.named) nameThisPage(this, (this.named = title));
  }

  override render() {
    return this.entry.render({
      initial: () => contentLoadingView(),
      pending: () => (this.entry.value ? this.page(this.entry.value) : html`<h1>${msg('参评作品', { id: 'title.entry' })}</h1>${contentLoadingView()}`),
      error: (e) =>
        e instanceof ApiError && e.status === 404
          ? html`<h1>${msg('没有找到这个作品', { id: 'entry.notFound' })}</h1>
              <p>${msg('这个作品可能还没提交、已经撤回，或者地址写错了。', { id: 'entry.notFound.text' })}</p>
              <p><a class="btn primary" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`
          : html`<h1>${msg('参评作品', { id: 'title.entry' })}</h1>${errorView(e, () => void this.entry.run())}`,
      complete: (e) => this.page(e),
    });
  }

  private page(e: Entry) {
    const own = isOwnView(e);
    const shown = isPublicEntry(e);
    const period = formatPeriod(e.period);
    return html`
      <a class="back" href=${`/villages/${encodeURIComponent(e.villageId)}`}>← ${zh(e.villageName)}</a>
      <h1>${zh(e.householdLabel)}${e.number ? html` <span class="number">${entryNumberLabel(e.number)}</span>` : nothing}</h1>
      <p class="where">${zh(`${e.townName} ${e.villageName} · ${e.campaignTitle}`)}${period ? ` · ${period}` : ''}</p>
      <p class="marks">
        ${reachedThreshold(e.qualifiedAt, e.threshold) && !(own && e.status === 'qualified') && !(shown && e.likesOpen) ? html`<span class="badge qualified">${msg('已达标', { id: 'entry.qualified' })}</span>` : nothing}
        ${e.byProxy ? html`<span class="badge proxy">${msg('代录', { id: 'household.source.proxyShort' })}</span>` : nothing}
        ${own ? html`<span class="badge ${e.status}">${entryStateLabel(e)}</span>` : nothing}
      </p>
      ${own ? this.ownNotices(e) : nothing}
      <photo-viewer .photos=${e.photos.filter((p) => !p.hidden)} label=${e.householdLabel}></photo-viewer>
      ${shown && e.likesOpen && !e.ownHousehold
        ? html`<like-button entry-id=${e.id} like-count=${e.likeCount} threshold=${e.threshold} .qualifiedAt=${e.qualifiedAt} .likedByMe=${e.likedByMe ?? null}></like-button>`
        : nothing}
      ${shown && e.likesOpen && e.ownHousehold
        ? html`<div class="likes-closed">
            <like-progress like-count=${e.likeCount} threshold=${e.threshold}></like-progress>
            <p class="muted">${msg('这是您家的作品，自己不能点赞；请把作品发给亲友，请他们来点赞。', { id: 'entry.ownNoLike' })}</p>
          </div>`
        : nothing}
      ${shown && !e.likesOpen && (e.threshold > 0 || e.likeCount > 0)
        ? html`<div class="likes-closed">
            <like-progress like-count=${e.likeCount} threshold=${e.threshold}></like-progress>
            <p class="muted">
              ${e.roundOver ? msg('本轮点赞已经结束。', { id: 'entry.likesClosed' }) : msg('本轮现在不收点赞。', { id: 'entry.likesNotOpen' })}
            </p>
          </div>`
        : nothing}
      ${e.description
        ? html`<h2>${msg('作品介绍', { id: 'entry.description' })}</h2>
            <p class="description">${zh(e.description)}</p>`
        : nothing}
      ${shown && !e.roundOver
        ? html`<p class="muted">${msg(str`本轮截止：${formatDateTime(e.roundEndsAt)}`, { id: 'entry.roundEnds' })}</p>`
        : nothing}
      ${e.submittedAt ? html`<p class="muted">${msg('提交时间：', { id: 'entry.submittedAt' })}${formatDate(e.submittedAt)}</p>` : nothing}
      ${own && e.editable
        ? html`<p><a class="btn primary block" href=${`/entries/${encodeURIComponent(e.id)}/edit`}>${msg('修改作品', { id: 'entry.edit' })}</a></p>`
        : nothing}
      ${shown && e.likesOpen
        ? html`<section aria-labelledby="share-heading">
            <h2 id="share-heading">${msg('分享给亲友', { id: 'share.heading' })}</h2>
            <share-panel entry-id=${e.id} label=${e.householdLabel} ?own=${own}></share-panel>
          </section>`
        : nothing}
      <p style="margin-top: var(--cy-space-5)">
        <a class="btn block" href=${`/villages/${encodeURIComponent(e.villageId)}`}>${msg('看看本村其他庭院', { id: 'entry.moreInVillage' })}</a>
      </p>
    `;
  }

  /** What only the household (and its cadres) is told: not public yet, hidden, withdrawn. */
  private ownNotices(e: Entry) {
    const hiddenPhotos = e.photos.filter((p) => p.hidden);
    return html`
      ${e.status === 'draft'
        ? html`<p class="notice warning">${msg('还没有提交参评，现在只有您家和村干部能看到。', { id: 'entry.draft.notice' })}</p>`
        : nothing}
      ${e.status === 'withdrawn' ? html`<p class="notice warning">${msg('这个作品已经撤回，别人看不到。', { id: 'entry.withdrawn.notice' })}</p>` : nothing}
      ${e.hidden
        ? html`<div class="notice error">
            <p><strong>${msg('这个作品已被村干部隐藏，别人看不到。', { id: 'entry.hidden.notice' })}</strong></p>
            <p>${msg('原因：', { id: 'common.reason' })}${zh(e.hidden.reason)}</p>
          </div>`
        : nothing}
      ${hiddenPhotos.length
        ? html`<div class="notice warning">
            <p>${msg('有照片被村干部隐藏，别人看不到：', { id: 'entry.hiddenPhotos.notice' })}</p>
            <ul>
              ${hiddenPhotos.map((p) => html`<li>${msg('原因：', { id: 'common.reason' })}${zh(p.hidden?.reason)}</li>`)}
            </ul>
          </div>`
        : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'entry-page': EntryPage;
  }
}
