import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ApiError } from '../api';
import { formatDate } from '../format';
import { briefPageUrl, plateUrls, resultsApi, type Plate } from '../results-api';
import { resultStyles, starsView } from '../results-view';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView } from '../views';
import { zh } from '../i18n/server-text';

/**
 * Plate verification (`/plates/:serial`), opened by scanning the QR code on an honor plate:
 * first, in large letters, whether the plate is valid (有效), revoked (with the reason),
 * replaced by a newer plate, or unknown; then what it says and the result behind it.
 */
@customElement('plate-page')
@localized()
export class PlatePage extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      .verdict {
        border-radius: var(--cy-radius);
        padding: var(--cy-space-4);
        margin: 0 0 var(--cy-space-4);
        border: 3px solid currentColor;
      }
      .verdict .big {
        display: flex;
        align-items: center;
        gap: var(--cy-space-3);
        font-size: 2.25rem;
        font-weight: 800;
        line-height: 1.2;
        margin: 0 0 var(--cy-space-2);
      }
      .verdict .big svg {
        flex: none;
      }
      .verdict.valid {
        background: var(--cy-color-success-bg);
        color: var(--cy-color-success-text);
      }
      .verdict.invalid {
        background: var(--cy-color-error-bg);
        color: var(--cy-color-error-text);
      }
      .verdict p:last-child {
        margin: 0;
      }
      .serial {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      figure {
        margin: 0 0 var(--cy-space-4);
      }
      figure img {
        display: block;
        width: 100%;
        height: auto;
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius-sm);
        background: #fff;
      }
    `,
  ];

  /** The plate's serial, from the address. */
  @property({ attribute: false }) serial = '';

  private plate = new Task(this, {
    task: ([serial], { signal }) => resultsApi.plate(serial, signal),
    args: () => [this.serial] as const,
  });

  override render() {
    const title = html`<h1>${msg('门牌验证', { id: 'title.plate' })}</h1>`;
    return this.plate.render({
      initial: () => html`${title}${loadingView()}`,
      pending: () => html`${title}${loadingView()}`,
      error: (e) =>
        // a malformed serial (400) is as unknown as a well-formed one nobody issued (404)
        e instanceof ApiError && (e.status === 404 || e.status === 400)
          ? html`${title}
              <div class="verdict invalid" role="status">
                <p class="big">${this.cross()}${msg('查无此门牌', { id: 'plate.unknown' })}</p>
                <p>${msg(str`编号 ${this.serial} 不是本平台发放的荣誉门牌。请核对编号，或向村委会询问。`, { id: 'plate.unknown.text' })}</p>
              </div>
              <p><a class="btn" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`
          : html`${title}${errorView(e, () => void this.plate.run())}`,
      complete: (p) => html`${title}${this.body(p)}`,
    });
  }

  private body(p: Plate) {
    return html`
      ${this.verdict(p)}
      <dl class="facts">
        <dt>${msg('门牌编号', { id: 'plate.serial' })}</dt>
        <dd class="serial">${p.serial}</dd>
        <dt>${msg('荣誉称号', { id: 'plate.title' })}</dt>
        <dd>${zh(p.title)} ${starsView(p.stars)}</dd>
        <dt>${msg('户主', { id: 'plate.holder' })}</dt>
        <dd>${zh(p.holderName)}</dd>
        <dt>${msg('村（社区）', { id: 'place.village' })}</dt>
        <dd>${zh(`${p.village.townName} ${p.village.name}`)}</dd>
        <dt>${msg('颁发单位', { id: 'plate.issuer' })}</dt>
        <dd>${zh(p.issuer)}</dd>
        <dt>${msg('颁发日期', { id: 'plate.issuedOn' })}</dt>
        <dd>${formatDate(`${p.issuedOn}T12:00:00+08:00`)}</dd>
      </dl>
      <h2>${msg('评比结果依据', { id: 'plate.result' })}</h2>
      <p>${zh(p.result.campaignTitle)}</p>
      <p>${zh(p.result.reason)}</p>
      <p><a class="btn" href=${briefPageUrl(p.result.campaignId, p.result)}>${msg('查看评比结果', { id: 'plate.resultLink' })}</a></p>
      <h2>${msg('门牌样式', { id: 'plate.look' })}</h2>
      <figure>
        <img src=${plateUrls.svg(p.serial)} alt=${msg(str`荣誉门牌：${p.title}，${p.holderName}`, { id: 'plate.imageAlt' })} width="600" height="400" />
      </figure>
      <p><a class="btn" href=${plateUrls.pdf(p.serial)} target="_blank" rel="noopener">${msg('下载门牌 PDF', { id: 'plate.pdf' })}</a></p>
    `;
  }

  private verdict(p: Plate) {
    if (p.status === 'issued') {
      return html`<div class="verdict valid" role="status">
        <p class="big">${this.tick()}${msg('有效', { id: 'plate.valid' })}</p>
        <p>${msg('这是村委会颁发的真实荣誉门牌，现在有效。', { id: 'plate.valid.text' })}</p>
      </div>`;
    }
    if (p.status === 'revoked') {
      return html`<div class="verdict invalid" role="status">
        <p class="big">${this.cross()}${msg('已撤销', { id: 'plate.revoked' })}</p>
        <p>${msg('撤销原因：', { id: 'plate.revokedReason' })}${zh(p.revokedReason)}</p>
        ${p.supersededBy
          ? html`<p>${msg('已重新发放，新门牌：', { id: 'plate.reissuedAs' })}<a class="serial" href=${plateUrls.page(p.supersededBy)}>${p.supersededBy}</a></p>`
          : nothing}
      </div>`;
    }
    return html`<div class="verdict invalid" role="status">
      <p class="big">${this.cross()}${msg('已被新门牌取代', { id: 'plate.superseded' })}</p>
      ${p.supersededBy
        ? html`<p>${msg('新门牌：', { id: 'plate.supersededBy' })}<a class="serial" href=${plateUrls.page(p.supersededBy)}>${p.supersededBy}</a></p>`
        : nothing}
    </div>`;
  }

  private tick() {
    return html`<svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="18" fill="currentColor" />
      <path d="M11 20.5l6 6 12-13" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>`;
  }

  private cross() {
    return html`<svg width="40" height="40" viewBox="0 0 40 40" aria-hidden="true" focusable="false">
      <circle cx="20" cy="20" r="18" fill="currentColor" />
      <path d="M13 13l14 14M27 13L13 27" stroke="#fff" stroke-width="4" stroke-linecap="round" />
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'plate-page': PlatePage;
  }
}
