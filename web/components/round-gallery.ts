import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, errorMessage, type EntryCard } from '../api';
import { sharedStyles } from '../styles/shared';
import { contentLoadingView, emptyView, errorView, photoFailed, refusalNote } from '../views';
import './like-progress';
import { entryNumberLabel, reachedThreshold } from '../entries';
import { zh } from '../i18n/server-text';

/**
 * A round's public gallery: entry cards (cover, household label, like progress, 已达标 and 代录
 * marks), most liked first, a page at a time with "加载更多".
 *
 * @cssproperty --round-gallery-min - narrowest card (default 150px: two columns on a 360 px phone).
 */
@customElement('round-gallery')
@localized()
export class RoundGallery extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul.gallery {
        list-style: none;
        margin: 0 0 var(--cy-space-3);
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(var(--round-gallery-min, 150px), 1fr));
        gap: var(--cy-space-3);
      }
      a.entry {
        display: flex;
        flex-direction: column;
        height: 100%;
        background: var(--cy-color-surface);
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius);
        overflow: hidden;
        color: inherit;
        text-decoration: none;
        box-shadow: var(--cy-shadow);
      }
      a.entry:hover .name {
        text-decoration: underline;
      }
      img,
      .no-photo {
        display: block;
        width: 100%;
        height: auto;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        background: var(--cy-color-border-soft);
      }
      .no-photo {
        display: flex;
        align-items: center;
        justify-content: center;
        color: var(--cy-color-text-muted);
      }
      .body {
        padding: var(--cy-space-2) var(--cy-space-3) var(--cy-space-3);
        display: flex;
        flex-direction: column;
        gap: var(--cy-space-1);
      }
      .name {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
        line-height: 1.3;
        color: var(--cy-color-link);
      }
      .marks {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1);
      }
      .total {
        color: var(--cy-color-text-muted);
      }
    `,
  ];

  /** The round whose entries are shown. */
  @property({ attribute: 'round-id' }) roundId = '';
  /** Cards per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 12;

  /** Cards loaded with "加载更多", after the first page. */
  @state() private more: EntryCard[] = [];
  @state() private loadingMore = false;
  @state() private moreError = '';
  @state() private note = '';
  /** Where the next page starts (pages are fetched by offset; dropped duplicates do not move it back). */
  private nextOffset = 0;

  private first = new Task(this, {
    task: ([roundId, size], { signal }) => {
      this.more = [];
      this.moreError = '';
      this.note = '';
      this.nextOffset = size;
      return api.roundEntries(roundId, size, 0, signal);
    },
    args: () => [this.roundId, this.pageSize] as const,
  });

  override render() {
    return this.first.render({
      initial: () => contentLoadingView(),
      pending: () => contentLoadingView(),
      error: (e) => errorView(e, () => void this.first.run()),
      complete: (page) => {
        const cards = [...page.entries, ...this.more];
        if (!cards.length) return emptyView(msg('本轮还没有人参评。', { id: 'gallery.empty' }));
        const total = Math.max(page.total, cards.length);
        return html`
          <p class="total">${msg(str`共 ${total} 户参评，点赞多的排在前面。`, { id: 'gallery.total' })}</p>
          <ul class="gallery">
            ${cards.map((c) => this.card(c, page.threshold))}
          </ul>
          <p role="status" class=${this.note ? '' : 'visually-hidden'}>${this.note}</p>
          ${refusalNote(this.moreError)}
          ${this.nextOffset < total
            ? html`<button type="button" class="btn block" ?disabled=${this.loadingMore} @click=${() => this.loadMore(total)}>
                ${this.loadingMore ? msg('正在加载，请稍等……', { id: 'state.loading' }) : msg('加载更多', { id: 'gallery.more' })}
              </button>`
            : nothing}
        `;
      },
    });
  }

  private card(c: EntryCard, threshold: number) {
    return html`<li>
      <a class="entry" href=${`/entries/${encodeURIComponent(c.id)}`} data-entry=${c.id}>
        ${c.coverUrl
          ? html`<img src=${c.coverUrl} alt="" width="400" height="300" loading="lazy" decoding="async" @error=${photoFailed} />`
          : html`<span class="no-photo">${msg('暂无照片', { id: 'gallery.noPhoto' })}</span>`}
        <span class="body">
          <span class="name">${zh(c.householdLabel)}${c.number ? html` <span class="number">${entryNumberLabel(c.number)}</span>` : nothing}</span>
          <like-progress like-count=${c.likeCount} threshold=${threshold}></like-progress>
          ${reachedThreshold(c.qualifiedAt, threshold) || c.byProxy
            ? html`<span class="marks">
                ${reachedThreshold(c.qualifiedAt, threshold) ? html`<span class="badge qualified">${msg('已达标', { id: 'entry.qualified' })}</span>` : nothing}
                ${c.byProxy ? html`<span class="badge proxy">${msg('代录', { id: 'household.source.proxyShort' })}</span>` : nothing}
              </span>`
            : nothing}
        </span>
      </a>
    </li>`;
  }

  private async loadMore(total: number) {
    this.loadingMore = true;
    this.moreError = '';
    try {
      const page = await api.roundEntries(this.roundId, this.pageSize, this.nextOffset);
      this.nextOffset += this.pageSize;
      // likes move cards between pages while one reads: never show a card twice
      const seen = new Set([...(this.first.value?.entries ?? []), ...this.more].map((c) => c.id));
      const fresh = page.entries.filter((c) => !seen.has(c.id));
      this.more = [...this.more, ...fresh];
      const shown = seen.size + fresh.length;
      this.note = msg(str`已显示 ${shown} 户，共 ${Math.max(total, page.total)} 户。`, { id: 'gallery.shown' });
      await this.updateComplete;
      // keep the reader's place: focus the first card that was just added
      if (fresh[0]) this.renderRoot.querySelector<HTMLAnchorElement>(`a[data-entry="${CSS.escape(fresh[0].id)}"]`)?.focus();
    } catch (err) {
      this.moreError = errorMessage(err);
    } finally {
      this.loadingMore = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'round-gallery': RoundGallery;
  }
}
