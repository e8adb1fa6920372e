import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared';

/**
 * Two large buttons, 拍照 and 从相册选择, in place of a file input: an elderly villager finds
 * "take a photo" where a bare input says "选择文件". The camera takes one photo at a time; the
 * album gives several at once.
 *
 * @fires photos-picked - when photos were taken or chosen; `detail` is `{ files: File[] }`.
 */
@customElement('photo-pick')
@localized()
export class PhotoPick extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .add {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--cy-space-3);
      }
      .add .btn {
        flex-direction: column;
        min-height: 88px;
        font-size: var(--cy-font-size-lg);
      }
      .file-input {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
        overflow: hidden;
        pointer-events: none;
      }
    `,
  ];

  @property({ type: Boolean }) disabled = false;

  override render() {
    return html`
      <div class="add">
        <button type="button" class="btn primary" ?disabled=${this.disabled} @click=${() => this.open('camera-input')}>
          <svg width="32" height="32" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M4 8h3l2-3h6l2 3h3v11H4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
            <circle cx="12" cy="13" r="3.5" fill="none" stroke="currentColor" stroke-width="2" />
          </svg>
          ${msg('拍照', { id: 'photos.camera' })}
        </button>
        <button type="button" class="btn" ?disabled=${this.disabled} @click=${() => this.open('gallery-input')}>
          <svg width="32" height="32" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="m3 16 5-5 4 4 3-3 6 6" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
          </svg>
          ${msg('从相册选择', { id: 'photos.gallery' })}
        </button>
      </div>
      <input id="camera-input" class="file-input" type="file" accept="image/*" capture="environment" tabindex="-1" aria-hidden="true" @change=${this.picked} />
      <input id="gallery-input" class="file-input" type="file" accept="image/*" multiple tabindex="-1" aria-hidden="true" @change=${this.picked} />
    `;
  }

  private open(id: string) {
    this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.click();
  }

  private picked(e: Event) {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    // the same photo may be chosen again later (after removing it)
    input.value = '';
    if (files.length) this.dispatchEvent(new CustomEvent('photos-picked', { detail: { files }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'photo-pick': PhotoPick;
  }
}
