import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatDateTime, formatTime } from '../format';
import { photoOutbox, type OutboxPhoto } from '../photo-outbox';
import { serverNow } from '../server-clock';
import { type OutboxSheet, sheetOutbox } from '../sheet-outbox';
import { sharedStyles } from '../styles/shared';
import { said, zh } from '../i18n/server-text';

/** Today: the time alone (11:54); earlier: the date too. In China time, like every contest date; today is the server's. */
function when(ms: number): string {
  const iso = new Date(ms).toISOString();
  const day = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  return day(ms) === day(serverNow()) ? formatTime(iso) : formatDateTime(iso);
}

/** Waiting photos one line per courtyard, in the order they go out: the first photo and how many. */
function byCourtyard(photos: readonly OutboxPhoto[]): Array<[OutboxPhoto, number]> {
  const lines = new Map<string, [OutboxPhoto, number]>();
  for (const p of photos) {
    const line = lines.get(p.entryId);
    if (line) line[1]++;
    else lines.set(p.entryId, [p, 1]);
  }
  return [...lines.values()];
}

/**
 * The score sheets and on-site photos on this phone: those waiting to be sent (and a button to
 * send now), those the server refused with its reason, and the sheets sent. Renders nothing when
 * there are none. While anything waits it says not to clear the phone's data.
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
  /** This member's on-site photos on this phone (of the round shown), oldest first. */
  @property({ attribute: false }) photos: OutboxPhoto[] = [];
  @property({ type: Boolean }) online = true;
  /** The server said nobody is signed in: sending waits for a sign-in. */
  @property({ type: Boolean }) signedOut = false;
  /** Link of a sheet to fix ('' = no links, on the sheet itself). */
  @property({ attribute: false }) hrefFor: ((s: Pick<OutboxSheet, 'roundId' | 'entryId'>) => string) | null = (s) =>
    `/panel/rounds/${encodeURIComponent(s.roundId)}/entries/${encodeURIComponent(s.entryId)}`;

  @state() private sending = false;

  override render() {
    // in the order they go out
    const waiting = this.sheets.filter((s) => s.state === 'pending').sort((a, b) => a.queuedAt - b.queuedAt);
    const failed = this.sheets.filter((s) => s.state === 'failed');
    const sent = this.sheets.filter((s) => s.state === 'sent');
    const photosWaiting = this.photos.filter((p) => p.state === 'pending');
    const photosRefused = this.photos.filter((p) => p.state === 'failed');
    if (!this.sheets.length && !photosWaiting.length && !photosRefused.length) return nothing;
    const anyWaiting = [...waiting, ...photosWaiting];
    return html`<section class="card" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">
        ${this.photos.length ? msg('手机上的评分和现场照片', { id: 'outbox.heading.photos' }) : msg('手机上的评分', { id: 'outbox.heading' })}
      </h2>
      ${waiting.length
        ? html`<p><strong>${msg(str`待发送 ${waiting.length} 份`, { id: 'outbox.waiting' })}</strong></p>
            <ul aria-label=${msg('待发送的评分', { id: 'outbox.waiting.list' })}>
              ${waiting.map((s) => html`<li>${this.who(s)} · ${msg(str`存于 ${when(s.queuedAt)}`, { id: 'outbox.queuedAt' })}</li>`)}
            </ul>`
        : nothing}
      ${photosWaiting.length
        ? html`<p><strong>${msg(str`现场照片待发送 ${photosWaiting.length} 张`, { id: 'outbox.photos.waiting' })}</strong></p>
            <ul aria-label=${msg('待发送的现场照片', { id: 'outbox.photos.waiting.list' })}>
              ${byCourtyard(photosWaiting).map(
                ([p, n]) => html`<li>${this.who(p)} · ${msg(str`${n} 张，存于 ${when(p.queuedAt)}`, { id: 'outbox.photos.queuedAt' })}</li>`,
              )}
            </ul>`
        : nothing}
      ${anyWaiting.length
        ? html`<p>
              ${!this.online
                ? msg('现在没有网络，有网络后会自动发送，不会重复提交。', { id: 'outbox.waiting.offline' })
                : anyWaiting.some((s) => s.attempts > 0)
                  ? msg('网络不稳，还没送到，每 20 秒自动再试一次，不会重复提交。', { id: 'outbox.waiting.retrying' })
                  : msg('正在发送，请稍等。', { id: 'outbox.waiting.online' })}${msg('发送完以前，请不要清理手机数据或删除这个网页的数据。', { id: 'outbox.keepPhone' })}
            </p>
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
      ${failed.length ? this.refused(msg(str`${failed.length} 份评分没有被接受：`, { id: 'outbox.failed' }), failed) : nothing}
      ${photosRefused.length ? this.refused(msg(str`${photosRefused.length} 张现场照片没有被接受：`, { id: 'outbox.photos.failed' }), photosRefused) : nothing}
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

  /** What the server refused, each with its reason and the sheet to open (where a photo is removed). */
  private refused(title: string, items: ReadonlyArray<OutboxSheet | OutboxPhoto>) {
    return html`<div class="notice error" role="alert">
      <p><strong>${title}</strong></p>
      <ul>
        ${items.map(
          (s) => html`<li>
            ${this.who(s)}：${said(s.error?.message)}
            ${this.hrefFor ? html`<a href=${this.hrefFor(s)}>${msg('打开评分表', { id: 'outbox.open' })}</a>` : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private who(s: Pick<OutboxSheet, 'doorNumber' | 'headName'>) {
    return zh(`${s.doorNumber} ${s.headName}`);
  }

  private async sendNow() {
    this.sending = true;
    try {
      // the sheets first: a photo is evidence for a sheet
      await sheetOutbox.flush();
      await photoOutbox.flush();
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
