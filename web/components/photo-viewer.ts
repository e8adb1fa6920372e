import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { EntryPhoto } from '../api';
import { photoKindLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { photoFailed } from '../views';

const THUMB_SIZE = 400;

/**
 * An entry's photos, one at a time: swipe (CSS scroll-snap), or the previous/next buttons,
 * with "第 2 张，共 5 张" read out as it changes. The frame keeps one shape (4:3) so nothing
 * below it jumps while photos load.
 *
 * @cssproperty --photo-viewer-bg - background around photos that do not fill the frame.
 */
@customElement('photo-viewer')
@localized()
export class PhotoViewer extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        margin-bottom: var(--cy-space-4);
      }
      .track {
        display: flex;
        overflow-x: auto;
        scroll-snap-type: x mandatory;
        scroll-behavior: smooth;
        overscroll-behavior-x: contain;
        border-radius: var(--cy-radius);
        background: var(--photo-viewer-bg, #22211f);
        scrollbar-width: none;
      }
      .track::-webkit-scrollbar {
        display: none;
      }
      .track:focus-visible {
        outline-offset: 2px;
      }
      figure {
        position: relative;
        flex: 0 0 100%;
        margin: 0;
        scroll-snap-align: center;
        scroll-snap-stop: always;
        aspect-ratio: 4 / 3;
      }
      img {
        display: block;
        width: 100%;
        height: 100%;
        object-fit: contain;
      }
      figcaption {
        position: absolute;
        left: var(--cy-space-2);
        top: var(--cy-space-2);
        padding: 0 var(--cy-space-2);
        border-radius: var(--cy-radius-sm);
        background: rgb(0 0 0 / 0.7);
        color: #fff;
      }
      .empty {
        display: flex;
        align-items: center;
        justify-content: center;
        aspect-ratio: 4 / 3;
        border-radius: var(--cy-radius);
        background: var(--cy-color-border-soft);
        color: var(--cy-color-text);
      }
      .controls {
        margin-top: var(--cy-space-2);
      }
      .controls-row {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--cy-space-2);
      }
      .controls .btn {
        flex: none;
        white-space: nowrap;
        padding-left: var(--cy-space-3);
        padding-right: var(--cy-space-3);
      }
      .counter {
        flex: 1;
        margin: 0;
        font-weight: 600;
        text-align: center;
      }
      /* the counter between the buttons while they fit in a row; with large text (the phone's
         font set big), on its own line above them, whole */
      .controls {
        container-type: inline-size;
      }
      @container (max-width: 17em) {
        .controls-row {
          flex-wrap: wrap;
        }
        .counter {
          order: -1;
          flex-basis: 100%;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .track {
          scroll-behavior: auto;
        }
      }
    `,
  ];

  /** The photos, in order. */
  @property({ attribute: false }) photos: EntryPhoto[] = [];
  /** Whose courtyard (for the images' text alternatives), e.g. 陈家庭院. */
  @property() label = '';

  @state() private index = 0;
  /**
   * The furthest photo shown so far. Photos up to one past it are loaded; the rest wait until
   * the person swipes near them: lazy loading does not hold back slides beside each other in a
   * scroller, and on slow data an entry's nine full-size photos would all come at once.
   */
  @state() private reached = 0;

  @query('.track') private track?: HTMLElement;

  private frame = 0;

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('photos') && this.index >= this.photos.length) this.index = Math.max(0, this.photos.length - 1);
    if (this.index > this.reached) this.reached = this.index;
  }

  override render() {
    const n = this.photos.length;
    if (!n) return html`<p class="empty">${msg('还没有照片', { id: 'viewer.none' })}</p>`;
    return html`
      <div
        class="track"
        role="region"
        tabindex="0"
        aria-label=${msg('庭院照片，可以左右滑动', { id: 'viewer.label' })}
        @scroll=${this.onScroll}
      >
        ${this.photos.map((p, i) => this.slide(p, i, n))}
      </div>
      ${n > 1
        ? html`<div class="controls"><div class="controls-row">
            <button type="button" class="btn prev" ?disabled=${this.index === 0} @click=${() => this.step(-1)}>
              ${msg('上一张', { id: 'viewer.prev' })}
            </button>
            <p class="counter" aria-live="polite">${msg(str`第 ${this.index + 1} 张，共 ${n} 张`, { id: 'viewer.counter' })}</p>
            <button type="button" class="btn next" ?disabled=${this.index === n - 1} @click=${() => this.step(1)}>
              ${msg('下一张', { id: 'viewer.next' })}
            </button>
          </div></div>`
        : nothing}
    `;
  }

  private slide(p: EntryPhoto, i: number, n: number) {
    const long = Math.max(p.width, p.height) || 1;
    const thumbW = Math.round(p.width * Math.min(1, THUMB_SIZE / long));
    const kind = photoKindLabel(p.kind);
    if (i > this.reached + 1) return html`<figure aria-hidden="true"><figcaption>${kind}</figcaption></figure>`;
    return html`<figure aria-hidden=${i === this.index ? 'false' : 'true'}>
      <img
        src=${p.displayUrl}
        srcset=${`${p.thumbUrl} ${thumbW}w, ${p.displayUrl} ${p.width}w`}
        sizes="(min-width: 760px) 736px, 100vw"
        width=${p.width}
        height=${p.height}
        alt=${msg(str`${this.label}：${kind}（第 ${i + 1} 张，共 ${n} 张）`, { id: 'viewer.alt' })}
        loading=${i === 0 ? 'eager' : 'lazy'}
        @error=${photoFailed}
        decoding="async"
        fetchpriority=${i === 0 ? 'high' : 'auto'}
      />
      <figcaption>${kind}</figcaption>
    </figure>`;
  }

  /** 上一张 / 下一张: at the first or last photo its button is disabled, so the focus moves to the other one. */
  private async step(by: 1 | -1) {
    this.go(this.index + by);
    await this.updateComplete;
    const pressed = this.renderRoot.querySelector<HTMLButtonElement>(by > 0 ? 'button.next' : 'button.prev');
    if (pressed?.disabled) this.renderRoot.querySelector<HTMLButtonElement>(by > 0 ? 'button.prev' : 'button.next')?.focus();
  }

  /** Show photo `i` (scrolls the track; the scroll handler then updates the counter). */
  go(i: number): void {
    const t = this.track;
    const target = Math.max(0, Math.min(this.photos.length - 1, i));
    if (!t) return;
    this.index = target;
    t.scrollTo({ left: target * t.clientWidth });
  }

  private onScroll() {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const t = this.track;
      if (!t || !t.clientWidth) return;
      const i = Math.round(t.scrollLeft / t.clientWidth);
      if (i !== this.index && i >= 0 && i < this.photos.length) this.index = i;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'photo-viewer': PhotoViewer;
  }
}
