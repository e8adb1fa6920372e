import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage, type Notice } from '../api';
import { formatDateTime } from '../format';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, loadingView, refusalNote, shortList } from '../views';
import { zh } from '../i18n/server-text';

/** Where a notice about results leads: the round's results page, or a half-year's stars (where objections are made). */
function resultHref(p: Record<string, unknown>): string | null {
  if (typeof p.roundId === 'string') return `/results/${encodeURIComponent(p.roundId)}`;
  if (p.kind === 'half_year' && typeof p.campaignId === 'string' && typeof p.period === 'string') {
    return `/stars/${encodeURIComponent(p.campaignId)}/${encodeURIComponent(p.period)}`;
  }
  return null;
}

/**
 * The account's inbox: notices such as "您的一张照片已被村干部隐藏，原因：…", newest first,
 * unread ones marked, each with "标为已读".
 *
 * @fires inbox-changed - after loading and after marking read; `detail` is `{ unread, total }`.
 */
@customElement('notice-inbox')
@localized()
export class NoticeInbox extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      li.card {
        padding: var(--cy-space-3) var(--cy-space-4);
      }
      li.unread {
        border-left: 6px solid var(--cy-color-danger);
      }
      li.unread .text {
        font-weight: 700;
      }
      .when {
        color: var(--cy-color-text-muted);
        margin: 0;
      }
      .text {
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** Notices marked read here (the list agrees on the next load). */
  @state() private readHere: ReadonlySet<string> = new Set();
  @state() private busy = '';
  @state() private error = '';

  private list = new Task(this, {
    task: async (_args, { signal }) => {
      const res = await api.notifications(signal);
      this.readHere = new Set();
      this.announce(res.unread, res.notifications.length);
      return res.notifications;
    },
    args: () => [] as const,
  });

  override render() {
    return this.list.render({
      initial: () => loadingView(),
      pending: () => (this.list.value ? this.notices(this.list.value) : loadingView()),
      error: (e) => errorView(e, () => void this.list.run()),
      complete: (list) => this.notices(list),
    });
  }

  private notices(loaded: Notice[]) {
    const list = loaded.map((n) => (this.readHere.has(n.id) ? { ...n, read: true } : n));
    const unread = list.filter((n) => !n.read).length;
    if (!list.length) return emptyView(msg('还没有消息。', { id: 'inbox.empty' }));
    return html`
      <p>${unread ? msg(str`有 ${unread} 条未读消息。`, { id: 'inbox.unread' }) : msg('消息都已读。', { id: 'inbox.allRead' })}</p>
      ${refusalNote(this.error)}
      ${shortList(list, {
        keep: 5,
        always: (n) => !n.read,
        more: (hidden) => msg(str`显示更早的 ${hidden} 条消息`, { id: 'inbox.more' }),
        item: (n) => html`<li class="card ${n.read ? '' : 'unread'}" data-notice=${n.id}>
          ${n.read ? nothing : html`<p><span class="badge unread">${msg('未读', { id: 'inbox.unreadMark' })}</span></p>`}
          <p class="text">${n.payload.text ? zh(n.payload.text) : n.kind}</p>
          <p class="when">${formatDateTime(n.createdAt)}</p>
          <div class="btn-row">
            ${typeof n.payload.entryId === 'string'
              ? html`<a class="btn" href=${`/entries/${encodeURIComponent(n.payload.entryId)}`}>${msg('查看作品', { id: 'inbox.openEntry' })}</a>`
              : nothing}
            ${resultHref(n.payload) ? html`<a class="btn" href=${resultHref(n.payload)!}>${msg('查看结果', { id: 'inbox.openResult' })}</a>` : nothing}
            ${n.kind === 'panel_joined' ? html`<a class="btn" href="/panel">${msg('去考评打分', { id: 'inbox.openPanel' })}</a>` : nothing}
            ${n.read ? nothing : html`<button type="button" class="btn" @click=${() => this.markRead(n)}>${msg('标为已读', { id: 'inbox.markRead' })}</button>`}
          </div>
        </li>`,
      })}
    `;
  }

  private async markRead(n: Notice) {
    if (this.busy) return;
    this.busy = n.id;
    this.error = '';
    try {
      await api.markNoticeRead(n.id);
    } catch (err) {
      // already read elsewhere (404) counts as read too
      if (!(err instanceof ApiError && err.status === 404)) {
        this.error = errorMessage(err);
        this.busy = '';
        return;
      }
    }
    this.readHere = new Set([...this.readHere, n.id]);
    this.busy = '';
    const list = this.list.value ?? [];
    this.announce(list.filter((x) => !x.read && !this.readHere.has(x.id)).length, list.length);
    // the button is gone: keep the reader on this notice
    await this.updateComplete;
    const item = this.renderRoot.querySelector<HTMLElement>(`li[data-notice="${CSS.escape(n.id)}"]`);
    item?.setAttribute('tabindex', '-1');
    item?.focus();
  }

  private announce(unread: number, total: number) {
    this.dispatchEvent(new CustomEvent('inbox-changed', { detail: { unread, total }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'notice-inbox': NoticeInbox;
  }
}
