import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorMessage, request } from '../api';
import { PhotoDecodeError, shrinkPhoto } from '../photo-shrink';
import { sharedStyles } from '../styles/shared';
import { photoFailed, refusalNote } from '../views';

interface OnsitePhoto {
  id: string;
  thumbUrl: string;
  displayUrl: string;
}

/**
 * Photos a panel member takes in the courtyard for their sheet: the camera opens at once, the
 * photo is shrunk on the phone and sent like an entry photo. Seen only by the panel and the
 * village's cadres. Needs the network (the sheet itself does not).
 */
@localized()
@customElement('onsite-photos')
export class OnsitePhotos extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .strip {
        display: flex;
        flex-wrap: wrap;
        gap: var(--space-2, 8px);
        margin: var(--space-2, 8px) 0;
        padding: 0;
        list-style: none;
      }
      .strip img {
        width: 88px;
        height: 88px;
        object-fit: cover;
        border-radius: 6px;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];

  /** The entry being scored. */
  @property({ attribute: 'entry-id' }) entryId = '';
  /** Photos already with this member's sheet. */
  @property({ attribute: false }) photos: OnsitePhoto[] = [];

  @state() private busy = false;
  @state() private error = '';

  // The camera button follows the network: it comes back when the signal does.
  private readonly onLine = () => this.requestUpdate();

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('online', this.onLine);
    window.addEventListener('offline', this.onLine);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onLine);
    window.removeEventListener('offline', this.onLine);
  }

  override render() {
    return html`<section aria-labelledby="onsite-h">
      <h3 id="onsite-h">${msg('现场照片（选填）', { id: 'onsite.title' })}</h3>
      <p class="hint">${msg('可以拍几张现场照片，和评分表一起留存。只有考评组和村干部能看到。需要有网络。', { id: 'onsite.hint' })}</p>
      ${this.photos.length
        ? html`<ul class="strip">
            ${this.photos.map((p, i) => html`<li><a href=${p.displayUrl} target="_blank" rel="noopener"><img src=${p.thumbUrl} @error=${photoFailed} alt=${msg(str`现场照片 ${i + 1}`, { id: 'onsite.alt' })} /></a></li>`)}
          </ul>`
        : nothing}
      <input id="onsite-file" type="file" accept="image/*" capture="environment" @change=${this.picked} tabindex="-1" aria-hidden="true" />
      <button type="button" class="btn block" ?disabled=${this.busy || !navigator.onLine} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#onsite-file')?.click()}>
        ${this.busy ? msg('正在上传现场照片…', { id: 'onsite.busy' }) : msg('拍现场照片', { id: 'onsite.take' })}
      </button>
      ${navigator.onLine ? nothing : html`<p class="hint">${msg('现在没有网络，有网络后再拍现场照片。', { id: 'onsite.offline' })}</p>`}
      ${refusalNote(this.error)}
    </section>`;
  }

  private async picked(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.busy = true;
    this.error = '';
    try {
      const { blob } = await shrinkPhoto(file);
      const form = new FormData();
      form.set('file', blob, 'onsite.jpg');
      const body = await request<{ photos: OnsitePhoto[] }>('POST', `/api/entries/${encodeURIComponent(this.entryId)}/score-sheets/mine/photos`, { form });
      this.photos = body.photos;
    } catch (err) {
      this.error = err instanceof PhotoDecodeError ? msg('这张照片手机打不开，请换一张或重新拍。', { id: 'onsite.decode' }) : errorMessage(err);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'onsite-photos': OnsitePhotos;
  }
}
