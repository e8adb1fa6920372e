import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { EntryPhoto } from '../api';
import { photoKindLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { photoFailed } from '../views';

/**
 * An entry's photos as a row of thumbnails to keep at hand while scoring; tapping one opens it
 * large in a modal dialog (native `<dialog>`: focus stays inside, Escape closes) with previous /
 * next. Thumbnails are what the service worker keeps for offline use.
 *
 * @cssproperty --photo-strip-size - edge of a thumbnail (default 96px).
 */
@customElement('photo-strip')
@localized()
export class PhotoStrip extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul {
        display: flex;
        gap: var(--cy-space-2);
        overflow-x: auto;
        list-style: none;
        margin: 0;
        padding: 0 0 var(--cy-space-2);
      }
      .thumb {
        display: block;
        padding: 0;
        border: 2px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius-sm);
        background: var(--cy-color-border-soft);
        cursor: zoom-in;
        overflow: hidden;
      }
      .thumb img {
        display: block;
        width: var(--photo-strip-size, 96px);
        height: var(--photo-strip-size, 96px);
        object-fit: cover;
      }
      .empty {
        color: var(--cy-color-text-muted);
      }
      dialog {
        width: 100vw;
        max-width: 100vw;
        height: 100dvh;
        max-height: 100dvh;
        margin: 0;
        padding: var(--cy-space-2);
        border: none;
        background: #111;
        color: #fff;
      }
      dialog::backdrop {
        background: #111;
      }
      .zoom {
        display: flex;
        flex-direction: column;
        height: 100%;
        gap: var(--cy-space-2);
      }
      .zoom h2 {
        margin: 0;
        font-size: var(--cy-font-size-lg);
        color: #fff;
      }
      .zoom figure {
        flex: 1;
        min-height: 0;
        margin: 0;
        display: flex;
        align-items: center;
        justify-content: center;
      }
      .zoom img {
        max-width: 100%;
        max-height: 100%;
        object-fit: contain;
      }
      .zoom .btn-row {
        margin: 0;
        justify-content: space-between;
      }
      .zoom .btn {
        flex: 1;
        font-size: var(--cy-font-size-lg);
      }
      .zoom :focus-visible {
        outline-color: #ffd54f;
      }
    `,
  ];

  /** The photos, in order (hidden ones already left out). */
  @property({ attribute: false }) photos: EntryPhoto[] = [];
  /** Whose courtyard, for the text alternatives, e.g. 陈家庭院. */
  @property() label = '';

  @state() private open = -1;

  @query('dialog') private dialog?: HTMLDialogElement;

  override render() {
    const n = this.photos.length;
    if (!n) return html`<p class="empty">${msg('这一户没有照片。', { id: 'strip.none' })}</p>`;
    const current = this.photos[this.open];
    return html`
      <ul aria-label=${msg('照片，点按放大', { id: 'strip.label' })}>
        ${this.photos.map(
          (p, i) => html`<li>
            <button type="button" class="thumb" @click=${() => this.show(i)}>
              <img
                src=${p.thumbUrl}
                width="96"
                height="96"
                loading=${i < 3 ? 'eager' : 'lazy'}
                alt=${msg(str`放大照片 ${i + 1}：${photoKindLabel(p.kind)}`, { id: 'strip.open' })}
                @error=${photoFailed}
              />
            </button>
          </li>`,
        )}
      </ul>
      <dialog aria-labelledby="zoom-heading" @close=${() => (this.open = -1)}>
        ${current
          ? html`<div class="zoom">
              <h2 id="zoom-heading">
                ${msg(str`${this.label}：${photoKindLabel(current.kind)}（第 ${this.open + 1} 张，共 ${n} 张）`, { id: 'viewer.alt' })}
              </h2>
              <figure>
                <img src=${current.displayUrl} alt=${msg(str`${this.label}：${photoKindLabel(current.kind)}`, { id: 'strip.large' })} @error=${photoFailed} />
              </figure>
              <div class="btn-row">
                ${n > 1
                  ? html`<button type="button" class="btn" ?disabled=${this.open === 0} @click=${() => this.show(this.open - 1)}>
                        ${msg('上一张', { id: 'viewer.prev' })}
                      </button>
                      <button type="button" class="btn" ?disabled=${this.open === n - 1} @click=${() => this.show(this.open + 1)}>
                        ${msg('下一张', { id: 'viewer.next' })}
                      </button>`
                  : nothing}
                <button type="button" class="btn primary" @click=${() => this.dialog?.close()}>${msg('关闭', { id: 'common.close' })}</button>
              </div>
            </div>`
          : nothing}
      </dialog>
    `;
  }

  private async show(i: number) {
    this.open = i;
    await this.updateComplete;
    if (this.dialog && !this.dialog.open) this.dialog.showModal();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'photo-strip': PhotoStrip;
  }
}
