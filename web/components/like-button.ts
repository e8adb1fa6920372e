import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage } from '../api';
import { type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import './like-progress';
import { doneNote } from '../views';
import { reachedThreshold } from '../entries';
import { said } from '../i18n/server-text';

/** Whether this account liked this entry, remembered on this phone until the server's answer (likedByMe) arrives. */
function likedKey(userId: string, entryId: string) {
  return `courtyard.liked.${userId}.${entryId}`;
}
function rememberLiked(userId: string, entryId: string, liked: boolean) {
  try {
    if (liked) localStorage.setItem(likedKey(userId, entryId), '1');
    else localStorage.removeItem(likedKey(userId, entryId));
  } catch {
    // private mode or storage full: the button just does not remember
  }
}
function recallLiked(userId: string, entryId: string): boolean {
  try {
    return localStorage.getItem(likedKey(userId, entryId)) === '1';
  } catch {
    return false;
  }
}

/**
 * The like button with the entry's progress ("32/50" and a bar) and its 已达标 mark. A tap
 * counts at once and is taken back if the server refuses, with the server's reason; a visitor
 * who is not signed in is offered to sign in and come back here.
 *
 * @fires like-changed - after the server accepted a like or unlike; `detail` is the LikeResult.
 */
@customElement('like-button')
@localized()
export class LikeButton extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        /* with large text the count goes under the button rather than off the screen */
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-3);
        margin: var(--cy-space-3) 0 var(--cy-space-2);
      }
      .like {
        flex: none;
        /* wide enough to hit, never wider than the phone (at 200 % text 8em is not) */
        min-width: min(8em, 100%);
        max-width: 100%;
        min-height: 56px;
        font-size: var(--cy-font-size-xl);
        border-radius: 999px;
      }
      .like[aria-pressed='true'] {
        background: var(--cy-color-primary);
        color: var(--cy-color-on-primary);
      }
      .like svg {
        flex: none;
      }
      like-progress {
        flex: 1 1 6em;
        --like-progress-size: var(--cy-font-size-lg);
      }
      .thanks {
        color: var(--cy-color-success-text);
        font-weight: 600;
        margin: 0;
      }
      .link {
        background: none;
        border: none;
        padding: 0 var(--cy-space-2);
        min-height: var(--cy-touch-target);
        font: inherit;
        color: var(--cy-color-link);
        text-decoration: underline;
        cursor: pointer;
      }
    `,
  ];

  @property({ attribute: 'entry-id' }) entryId = '';
  @property({ type: Number, attribute: 'like-count' }) likeCount = 0;
  @property({ type: Number }) threshold = 0;
  @property({ attribute: 'qualified-at' }) qualifiedAt: string | null = null;
  /** The server's word on whether the signed-in account has liked this entry (null: not signed in or unknown). */
  @property({ attribute: false }) likedByMe: boolean | null = null;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private liked = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private needSignIn = false;
  @state() private note = '';

  private recalledFor = '';

  override willUpdate() {
    const userId = this.session?.user?.id ?? '';
    const key = `${userId}|${this.entryId}`;
    if (key !== this.recalledFor) {
      this.recalledFor = key;
      this.liked = userId ? (this.likedByMe ?? recallLiked(userId, this.entryId)) : false;
    }
  }

  /**
   * Back from signing in to like (the address carries ?like=1): the like is not made for the
   * person (a shared link must not like on anyone's behalf), but the button is brought to them
   * with a word that one more press counts.
   */
  override async updated() {
    if (!this.session?.user || new URLSearchParams(location.search).get('like') !== '1') return;
    const url = new URL(location.href);
    url.searchParams.delete('like');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    if (this.liked) return;
    this.note = msg('登录好了，请再点一下“点赞”。', { id: 'like.pressAgain' });
    await this.updateComplete;
    const button = this.renderRoot.querySelector<HTMLButtonElement>('button.like');
    button?.scrollIntoView({ block: 'center' });
    button?.focus();
  }

  override render() {
    const here = `/entries/${encodeURIComponent(this.entryId)}`;
    return html`
      <div class="row">
        <button type="button" class="btn like" aria-pressed=${this.liked ? 'true' : 'false'} @click=${this.like}>
          ${this.heart()} ${msg('点赞', { id: 'like.button' })}
        </button>
        <like-progress like-count=${this.likeCount} threshold=${this.threshold}></like-progress>
      </div>
      ${this.qualifiedAt
        ? html`<p>
            ${reachedThreshold(this.qualifiedAt, this.threshold)
              ? html`<span class="badge qualified">${msg('已达标', { id: 'entry.qualified' })}</span>
                  ${msg('点赞已达到门槛，等待考评组上门实地核实。', { id: 'like.qualified.text' })}`
              : msg('已进入实地核实名单。', { id: 'like.qualified.noThreshold' })}
          </p>`
        : nothing}
      ${this.liked
        ? html`<p class="thanks">
            ${msg('您已点过赞，谢谢！', { id: 'like.done' })}
            <button type="button" class="link" @click=${this.unlike}>${msg('收回这个赞', { id: 'like.undo' })}</button>
          </p>`
        : nothing}
      ${doneNote(this.note)}
      <div role="alert">
        ${this.error || this.needSignIn
          ? html`<div class="notice ${this.needSignIn ? 'info' : 'error'}">
              <p>${said(this.error)}</p>
              ${this.needSignIn
                ? html`<a class="btn primary" href=${`/login?next=${encodeURIComponent(`${here}?like=1`)}`}>${msg('登录后点赞', { id: 'like.signIn' })}</a>`
                : nothing}
            </div>`
          : nothing}
      </div>
    `;
  }

  private heart() {
    return html`<svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        d="M12 21s-7.5-4.6-9.6-9.2C1 8.6 3 5 6.6 5c2 0 3.4 1.1 4.4 2.6C12 6.1 13.4 5 15.4 5 19 5 21 8.6 19.6 11.8 17.5 16.4 12 21 12 21z"
        fill=${this.liked ? 'currentColor' : 'none'}
        stroke="currentColor"
        stroke-width="2"
        stroke-linejoin="round"
      />
    </svg>`;
  }

  private async like() {
    // Pressed again (an elderly villager making sure): nothing to send, and nothing to take
    // back by accident; say that the like is counted and how to take it back.
    if (this.liked && this.session?.user) {
      this.error = '';
      this.note = msg('您已经点过赞了，每人给每个作品只能点一次。要收回，请点“收回这个赞”。', { id: 'like.already' });
      return;
    }
    await this.send(true);
  }

  private async unlike() {
    await this.send(false);
  }

  /** Count at once, ask the server, and put it back as it was if the server says no. */
  private async send(like: boolean) {
    const user = this.session?.user;
    this.note = '';
    this.error = '';
    this.needSignIn = false;
    if (!user) {
      this.needSignIn = true;
      this.error = msg('点赞要先用手机号登录，登录后会回到这里。', { id: 'like.signInFirst' });
      return;
    }
    if (this.busy) return;
    const before = { liked: this.liked, likeCount: this.likeCount };
    if (like !== this.liked) {
      this.liked = like;
      this.likeCount = Math.max(0, this.likeCount + (like ? 1 : -1));
    }
    this.busy = true;
    try {
      const res = await this.sendAgainIfLost(like);
      const justQualified = !this.qualifiedAt && !!res.qualifiedAt;
      this.liked = res.liked;
      this.likeCount = res.likeCount;
      this.qualifiedAt = res.qualifiedAt;
      rememberLiked(user.id, this.entryId, res.liked);
      this.note = justQualified
        ? msg('点赞成功！这个庭院已经达标了。', { id: 'like.qualifiedNow' })
        : res.liked
          ? msg('点赞成功，谢谢支持！', { id: 'like.ok' })
          : msg('已收回这个赞。', { id: 'like.undone' });
      this.dispatchEvent(new CustomEvent('like-changed', { detail: res, bubbles: true, composed: true }));
    } catch (err) {
      this.liked = before.liked;
      this.likeCount = before.likeCount;
      if (err instanceof ApiError && err.status === 401) {
        this.needSignIn = true;
        this.error = msg('登录已过期，请重新登录后再点赞。', { id: 'like.signInAgain' });
      } else {
        this.error = errorMessage(err);
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * The like, sent again (twice at most, a little later each time) when the line failed: a like
   * is the same whether it arrives once or three times, and on weak data an answer is often lost
   * after the server counted it.
   */
  private async sendAgainIfLost(like: boolean) {
    for (let attempt = 0; ; attempt++) {
      try {
        return like ? await api.like(this.entryId) : await api.unlike(this.entryId);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 0) || attempt >= 2) throw err;
        this.note = msg('网络不好，正在重新发送……', { id: 'like.resending' });
        await new Promise((r) => setTimeout(r, 2000 * (attempt + 1)));
        this.note = '';
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'like-button': LikeButton;
  }
}
