import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatDateTime, formatTime } from '../format';
import { type OutboxSheet, sheetOutbox } from '../sheet-outbox';
import { sharedStyles } from '../styles/shared';

/** Today: the time alone (11:54); earlier: the date too. In China time, like every contest date. */
function when(ms: number): string {
  const iso = new Date(ms).toISOString();
  const day = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  return day(ms) === day(Date.now()) ? formatTime(iso) : formatDateTime(iso);
}

/**
 * The score sheets on this phone: those waiting to be sent (and a button to send now), those the
 * server refused with its reason, and those sent. Renders nothing when there are none.
 */
@customElement('outbox-status')
@localized()
export class OutboxStatus extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      section {
        border-left: 6px solid var(--cy-color-info-text);
      }
      h2 {
        margin-top: 0;
        font-size: var(--cy-font-size-lg);
      }
      ul {
        margin: 0 0 var(--cy-space-3);
        padding-left: 1.2em;
      }
      li {
        margin-bottom: var(--cy-space-1);
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** This member's sheets on this phone (of the round shown). */
  @property({ attribute: false }) sheets: OutboxSheet[] = [];
  @property({ type: Boolean }) online = true;
  /** The server said nobody is signed in: sending waits for a sign-in. */
  @property({ type: Boolean }) signedOut = false;
  /** Link of a sheet to fix ('' = no links, on the sheet itself). */
  @property({ attribute: false }) hrefFor: ((s: OutboxSheet) => string) | null = (s) =>
    `/panel/rounds/${encodeURIComponent(s.roundId)}/entries/${encodeURIComponent(s.entryId)}`;

  @state() private sending = false;

  override render() {
    // in the order they go out
    const waiting = this.sheets.filter((s) => s.state === 'pending').sort((a, b) => a.queuedAt - b.queuedAt);
    const failed = this.sheets.filter((s) => s.state === 'failed');
    const sent = this.sheets.filter((s) => s.state === 'sent');
    if (!this.sheets.length) return nothing;
    return html`<section class="card" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">${msg('手机上的评分', { id: 'outbox.heading' })}</h2>
      ${waiting.length
        ? html`<p>
              <strong>${msg(str`待发送 ${waiting.length} 份`, { id: 'outbox.waiting' })}</strong>
              ${!this.online
                ? msg('现在没有网络，有网络后会自动发送，不会重复提交。', { id: 'outbox.waiting.offline' })
                : waiting.some((s) => s.attempts > 0)
                  ? msg('网络不稳，还没送到，每 20 秒自动再试一次，不会重复提交。', { id: 'outbox.waiting.retrying' })
                  : msg('正在发送，请稍等。', { id: 'outbox.waiting.online' })}
            </p>
            <ul aria-label=${msg('待发送的评分', { id: 'outbox.waiting.list' })}>
              ${waiting.map((s) => html`<li>${this.who(s)} · ${msg(str`存于 ${when(s.queuedAt)}`, { id: 'outbox.queuedAt' })}</li>`)}
            </ul>
            ${this.signedOut
              ? html`<div class="notice warning">
                  <p>${msg('登录已过期，请重新登录，登录后会自动发送。', { id: 'outbox.signedOut' })}</p>
                  <a class="btn" href=${`/login?next=${encodeURIComponent(location.pathname)}`}>${msg('登录', { id: 'nav.login' })}</a>
                </div>`
              : nothing}
            ${this.online && !this.signedOut
              ? html`<button type="button" class="btn" ?disabled=${this.sending} @click=${this.sendNow}>${msg('现在发送', { id: 'outbox.sendNow' })}</button>`
              : nothing}`
        : nothing}
      ${failed.length
        ? html`<div class="notice error" role="alert">
            <p><strong>${msg(str`${failed.length} 份评分没有被接受：`, { id: 'outbox.failed' })}</strong></p>
            <ul>
              ${failed.map(
                (s) => html`<li>
                  ${this.who(s)}：${s.error?.message ?? ''}
                  ${this.hrefFor ? html`<a href=${this.hrefFor(s)}>${msg('打开评分表', { id: 'outbox.open' })}</a>` : nothing}
                </li>`,
              )}
            </ul>
          </div>`
        : nothing}
      ${sent.length
        ? html`<details class="fold">
            <summary>${msg(str`已发送 ${sent.length} 份`, { id: 'outbox.sent' })}</summary>
            <ul aria-label=${msg('已发送的评分', { id: 'outbox.sent.list' })}>
              ${sent.map(
                (s) => html`<li>
                  ${this.who(s)} · ${msg(str`发送于 ${when(s.sentAt ?? s.queuedAt)}`, { id: 'outbox.sentAt' })}
                </li>`,
              )}
            </ul>
          </details>`
        : nothing}
    </section>`;
  }

  private who(s: OutboxSheet) {
    return `${s.doorNumber} ${s.headName}`;
  }

  private async sendNow() {
    this.sending = true;
    try {
      await sheetOutbox.flush();
    } finally {
      this.sending = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'outbox-status': OutboxStatus;
  }
}
