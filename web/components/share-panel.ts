import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api } from '../api';
import { sharedStyles } from '../styles/shared';
import { zh } from '../i18n/server-text';

/**
 * Ways to ask relatives for likes: the entry's link (copy, or the phone's share sheet where
 * there is one), its QR code, and a poster image to save and post.
 */
@customElement('share-panel')
@localized()
export class SharePanel extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      figure {
        margin: var(--cy-space-3) 0;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-3);
      }
      figure img {
        background: #fff;
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius-sm);
      }
      figcaption {
        flex: 1;
        min-width: 8em;
      }
      input[readonly] {
        font-size: var(--cy-font-size-sm) !important;
      }
    `,
  ];

  @property({ attribute: 'entry-id' }) entryId = '';
  /** 陈家庭院: names the poster file. */
  @property() label = '';
  /** Shown to the household itself: it asks its own relatives for likes. */
  @property({ type: Boolean }) own = false;

  @state() private note = '';
  @query('#share-link') private linkInput?: HTMLInputElement;

  override render() {
    const url = this.url();
    const canShare = typeof navigator.share === 'function';
    return html`
      <p>
        ${this.own
          ? msg('请亲友帮您点赞：把链接发到微信群，或者保存海报发朋友圈。', { id: 'share.lead' })
          : msg(html`觉得${zh(this.label)}好看？把链接发到微信群，或者保存海报发朋友圈，请亲友也来点赞。`, { id: 'share.leadOther' })}
      </p>
      <div class="field">
        <label for="share-link">${msg('作品链接', { id: 'share.link' })}</label>
        <input id="share-link" type="url" readonly .value=${url} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
      </div>
      <div class="btn-row">
        <button type="button" class="btn primary" @click=${this.copy}>${msg('复制链接', { id: 'share.copy' })}</button>
        ${canShare ? html`<button type="button" class="btn" @click=${this.share}>${msg('发给亲友', { id: 'share.native' })}</button>` : nothing}
      </div>
      <p role="status" class=${this.note ? 'notice success' : 'visually-hidden'} style="margin-top: var(--cy-space-3)">${this.note}</p>
      <figure>
        <img src=${api.entryQrUrl(this.entryId)} width="160" height="160" loading="lazy" alt=${msg('这个作品的二维码', { id: 'share.qr.alt' })} />
        <figcaption>${msg('用微信扫一扫这个二维码，就能打开这个作品。', { id: 'share.qr' })}</figcaption>
      </figure>
      <a class="btn block" href=${api.entryPosterUrl(this.entryId)} download=${msg(str`美丽庭院-${this.label}.png`, { id: 'share.posterFile' })}>
        ${msg('保存分享海报', { id: 'share.poster' })}
      </a>
    `;
  }

  private url() {
    return `${location.origin}/entries/${encodeURIComponent(this.entryId)}`;
  }

  private async copy() {
    const done = msg('链接已复制，可以粘贴到微信里发给亲友。', { id: 'share.copied' });
    try {
      await navigator.clipboard.writeText(this.url());
      this.note = done;
      return;
    } catch {
      // older phones and plain-http pages have no clipboard API: select the text instead
    }
    const input = this.linkInput;
    input?.focus();
    input?.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    this.note = copied ? done : msg('请长按上面的链接，选择“复制”。', { id: 'share.copyByHand' });
  }

  private async share() {
    try {
      await navigator.share({ title: this.label, text: msg('请帮我家庭院点个赞！', { id: 'share.text' }), url: this.url() });
    } catch {
      // the person closed the share sheet
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'share-panel': SharePanel;
  }
}
