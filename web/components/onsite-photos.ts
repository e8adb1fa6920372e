import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { photoRoom } from '../outbox-rules';
import { PhotoDecodeError, shrinkPhoto } from '../photo-shrink';
import { photoOutbox, PhotoOutboxController, type OutboxPhoto, type PhotosSent } from '../photo-outbox';
import { MAX_SHEET_PHOTOS, scoringApi, type OnsitePhoto } from '../scoring-api';
import { errorMessage } from '../api';
import { sharedStyles } from '../styles/shared';
import { photoFailed, refusalNote } from '../views';
import { said } from '../i18n/server-text';

/**
 * Photos a panel member takes in the courtyard for their sheet: the camera opens at once, the
 * photo is shrunk on the phone and kept there (web/photo-outbox.ts) until the server has it, so
 * that a courtyard without signal is photographed all the same. A photo on the phone shows in
 * the strip at once, marked 等待发送; one the server refused shows its reason and can be removed.
 * Seen only by the panel and the village's cadres.
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
        gap: var(--cy-space-2);
        margin: var(--cy-space-2) 0;
        padding: 0;
        list-style: none;
      }
      .strip li {
        width: 88px;
      }
      .strip img {
        display: block;
        width: 88px;
        height: 88px;
        object-fit: cover;
        border-radius: 6px;
      }
      .strip li .btn {
        width: 100%;
        margin-top: 4px;
        padding-inline: 0;
      }
      .strip .kept img {
        outline: 3px dashed var(--cy-color-warning-text);
        outline-offset: -3px;
      }
      .strip .state {
        display: block;
        margin-top: 2px;
        font-size: var(--cy-font-size-sm);
        font-weight: 700;
        color: var(--cy-color-warning-text);
        text-align: center;
      }
      .refused {
        list-style: none;
        padding: 0;
        margin: var(--cy-space-2) 0;
      }
      .refused li {
        display: grid;
        grid-template-columns: 64px 1fr;
        gap: var(--cy-space-2);
        align-items: start;
        margin-bottom: var(--cy-space-2);
      }
      .refused img {
        width: 64px;
        height: 64px;
        object-fit: cover;
        border-radius: 6px;
      }
      .refused p {
        margin: 0 0 var(--cy-space-1);
        overflow-wrap: anywhere;
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
  /** Photos already with this member's sheet on the server. */
  @property({ attribute: false }) photos: OnsitePhoto[] = [];
  /** The member, the round and the courtyard: what a photo kept on the phone is filed under. */
  @property({ attribute: false }) accountId = '';
  @property({ attribute: false }) roundId = '';
  @property({ attribute: false }) doorNumber = '';
  @property({ attribute: false }) headName = '';

  @state() private busy = false;
  @state() private error = '';

  private readonly kept = new PhotoOutboxController(this);
  /** Object URLs of the photos on the phone, by record id, made once and revoked when the record goes. */
  private readonly previews = new Map<string, string>();

  private readonly onSent = (e: Event) => {
    const d = (e as CustomEvent<PhotosSent>).detail;
    if (d.accountId === this.accountId && d.entryId === this.entryId) this.photos = d.photos;
  };

  override connectedCallback() {
    super.connectedCallback();
    photoOutbox.addEventListener('photos-sent', this.onSent);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    photoOutbox.removeEventListener('photos-sent', this.onSent);
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
    this.previews.clear();
  }

  override willUpdate() {
    this.prunePreviews();
  }

  override render() {
    const mine = this.kept.mine(this.accountId, { entryId: this.entryId });
    const waiting = mine.filter((p) => p.state === 'pending');
    const refused = mine.filter((p) => p.state === 'failed');
    const room = photoRoom({
      onServer: this.photos.length,
      waitingForSheet: waiting.length,
      keptOnPhone: this.kept.records.filter((p) => p.state !== 'sent').length,
      maxPerSheet: MAX_SHEET_PHOTOS,
    });
    return html`<section aria-labelledby="onsite-h">
      <h3 id="onsite-h">${msg('现场照片（选填）', { id: 'onsite.title' })}</h3>
      <p class="hint">${msg('可以拍几张现场照片，和评分表一起留存。只有考评组和村干部能看到。没有信号也能拍：照片先存在手机上，有网络后自动发送。', { id: 'onsite.hint' })}</p>
      ${this.photos.length || waiting.length
        ? html`<ul class="strip">
            ${this.photos.map(
              (p, i) => html`<li>
                <a href=${p.displayUrl} target="_blank" rel="noopener"><img src=${p.thumbUrl} @error=${photoFailed} alt=${msg(str`现场照片 ${i + 1}`, { id: 'onsite.alt' })} /></a>
                ${this.takeBackButton(i, () => this.removeSent(p.id))}
              </li>`,
            )}
            ${waiting.map(
              (p, i) => html`<li class="kept">
                <img src=${this.preview(p)} alt=${msg(str`现场照片 ${this.photos.length + i + 1}，等待发送`, { id: 'onsite.alt.waiting' })} />
                <span class="state" aria-hidden="true">${msg('等待发送', { id: 'onsite.waiting.badge' })}</span>
                ${this.takeBackButton(this.photos.length + i, () => this.removeKept(p))}
              </li>`,
            )}
          </ul>`
        : nothing}
      <p class=${waiting.length ? 'notice warning' : 'visually-hidden'} role="status">${waiting.length ? this.waitingText(waiting) : ''}</p>
      ${refused.length
        ? html`<div class="notice error" role="alert">
            <p><strong>${msg(str`${refused.length} 张现场照片没有被接受：`, { id: 'onsite.refused' })}</strong></p>
            <ul class="refused">
              ${refused.map(
                (p, i) => html`<li>
                  <img src=${this.preview(p)} alt=${msg(str`没有被接受的现场照片 ${i + 1}`, { id: 'onsite.refused.alt' })} />
                  <div>
                    <p>${said(p.error?.message)}</p>
                    <button
                      type="button"
                      class="btn"
                      aria-label=${msg(str`删除这张照片（第 ${i + 1} 张）`, { id: 'onsite.refused.remove' })}
                      @click=${() => void this.removeKept(p)}
                    >
                      ${msg('删除这张照片', { id: 'onsite.refused.removeShort' })}
                    </button>
                  </div>
                </li>`,
              )}
            </ul>
          </div>`
        : nothing}
      <input id="onsite-file" type="file" accept="image/*" capture="environment" @change=${this.picked} tabindex="-1" aria-hidden="true" />
      ${room === 'ok'
        ? html`<button type="button" class="btn block" ?disabled=${this.busy || !this.accountId} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#onsite-file')?.click()}>
            ${this.busy ? msg('正在压缩照片……', { id: 'onsite.busy' }) : msg('拍现场照片', { id: 'onsite.take' })}
          </button>`
        : html`<p class="notice info">
            ${room === 'sheet_full'
              ? msg(str`每份评分表最多 ${MAX_SHEET_PHOTOS} 张现场照片，已经拍满了。`, { id: 'onsite.sheetFull' })
              : msg('手机上等待发送的照片已经存满了。请先到有信号的地方把照片发出去，再拍新的。', { id: 'onsite.phoneFull' })}
          </p>`}
      ${refusalNote(this.error)}
    </section>`;
  }

  private waitingText(waiting: OutboxPhoto[]): string {
    const n = waiting.length;
    if (!this.kept.online) return msg(str`${n} 张照片存在手机上，有网络后会自动发送。发送前请不要清理手机数据。`, { id: 'onsite.waiting.offline' });
    if (this.kept.signedOut) return msg(str`${n} 张照片存在手机上，重新登录后会自动发送。`, { id: 'onsite.waiting.signedOut' });
    if (waiting.some((p) => p.attempts > 0)) return msg(str`网络不稳，${n} 张照片还没送到，会自动再试，不会重复上传。`, { id: 'onsite.waiting.retrying' });
    return msg(str`正在发送 ${n} 张照片……`, { id: 'onsite.waiting.sending' });
  }

  private preview(p: OutboxPhoto): string {
    let url = this.previews.get(p.id);
    if (!url) {
      url = URL.createObjectURL(p.photo);
      this.previews.set(p.id, url);
    }
    return url;
  }

  /** Free the previews of photos no longer on the phone (sent, or removed). */
  private prunePreviews() {
    const ids = new Set(this.kept.records.map((p) => p.id));
    for (const [id, url] of this.previews) {
      if (ids.has(id)) continue;
      URL.revokeObjectURL(url);
      this.previews.delete(id);
    }
  }

  /** 删除 under a photo of the strip: a wrong courtyard, or a person caught in it. */
  private takeBackButton(i: number, remove: () => Promise<void>) {
    return html`<button type="button" class="btn" ?disabled=${this.busy} aria-label=${msg(str`删除现场照片 ${i + 1}`, { id: 'onsite.remove' })} @click=${() => void remove()}>
      ${msg('删除', { id: 'onsite.removeShort' })}
    </button>`;
  }

  /** Take back a photo the server has; the strip shows what is left. */
  private async removeSent(photoId: string) {
    this.busy = true;
    this.error = '';
    try {
      this.photos = await scoringApi.removeOnsitePhoto(this.entryId, photoId);
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.block')?.focus();
  }

  /** Remove a photo kept on the phone (waiting, or refused) unsent; the finger (and the keyboard) goes on to 拍现场照片. */
  private async removeKept(p: OutboxPhoto) {
    await photoOutbox.remove(p.id);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.block')?.focus();
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
      try {
        await photoOutbox.enqueue({ accountId: this.accountId, entryId: this.entryId, roundId: this.roundId, doorNumber: this.doorNumber, headName: this.headName, photo: blob });
      } catch {
        this.error = msg('手机存储空间不够，这张照片没有存下。请清理一下手机空间再拍，或到有信号的地方再拍。', { id: 'onsite.storageFull' });
      }
    } catch (err) {
      this.error =
        err instanceof PhotoDecodeError
          ? msg('这张照片手机打不开，请换一张或重新拍。', { id: 'onsite.decode' })
          : msg('这张照片处理不了，手机内存可能不够。请关掉别的应用再拍。', { id: 'onsite.shrinkFailed' });
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
