import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MyHousehold } from '../api';
import '../components/household-register-form';
import '../components/my-entries';
import '../components/my-results';
import '../components/notice-inbox';
import { goToSignIn } from '../router';
import { type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { loadingView } from '../views';
import { zh } from '../i18n/server-text';

/**
 * "My household": register it, see that it waits for the cadre, read why it was turned
 * down (and register again), or see it confirmed.
 */
@customElement('me-page')
@localized()
export class MePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .label {
        font-size: var(--cy-font-size-2xl);
        font-weight: 700;
        margin: 0 0 var(--cy-space-2);
      }
    `,
  ];

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  /** The person chose to register again after a rejection. */
  @state() private registeringAgain = false;
  @state() private justRegistered = false;
  @state() private correcting = false;
  @state() private justCorrected = false;
  /** Messages and unread ones, as the inbox below reports them. */
  @state() private unread = 0;
  @state() private messages = 0;

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) goToSignIn('/me');
  }

  override render() {
    const s = this.session;
    const title = html`<h1>${msg('我的家庭', { id: 'nav.me' })}</h1>`;
    if (!s?.ready || !s.user) return html`${title}${loadingView()}`;
    return html`${title}${this.unreadLink()}${this.body(s.user.household)}${this.inbox()}`;
  }

  /**
   * Messages wait below the household's entries and results, screens down on a phone: the top
   * points to them, as a notice while some are unread, as a plain link otherwise.
   */
  private unreadLink() {
    if (this.unread) {
      return html`<p class="notice info">
        <a class="tall" href="#inbox-heading" @click=${this.toInbox}>${msg(str`您有 ${this.unread} 条未读消息，点这里看`, { id: 'me.unreadLink' })}</a>
      </p>`;
    }
    if (!this.messages) return nothing;
    return html`<p><a class="tall" href="#inbox-heading" @click=${this.toInbox}>${msg(str`看消息（${this.messages} 条）`, { id: 'me.inboxLink' })}</a></p>`;
  }

  private readonly toInbox = (e: Event) => {
    e.preventDefault();
    const heading = this.renderRoot.querySelector<HTMLElement>('#inbox-heading');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  };

  private readonly onInboxChanged = (e: CustomEvent<{ unread: number; total: number }>) => {
    this.unread = e.detail.unread;
    this.messages = e.detail.total;
  };

  private body(h: MyHousehold | null) {
    if (!h || (h.status === 'rejected' && this.registeringAgain)) return this.registerView(h);
    switch (h.status) {
      case 'pending':
        return this.pendingView(h);
      case 'rejected':
        return this.rejectedView(h);
      case 'confirmed':
        return this.confirmedView(h);
    }
  }

  private inbox() {
    return html`<section aria-labelledby="inbox-heading">
      <h2 id="inbox-heading" tabindex="-1">${msg('消息', { id: 'me.inbox' })}</h2>
      <notice-inbox @inbox-changed=${this.onInboxChanged}></notice-inbox>
    </section>`;
  }

  private registerView(previous: MyHousehold | null) {
    return html`
      <p>${msg('登记您的家庭后，就可以参加本村的美丽庭院评比。', { id: 'me.register.lead' })}</p>
      <p class="notice info">${msg('提交后，村干部会核对，确认后就登记好了。', { id: 'me.register.note' })}</p>
      <section class="card" aria-labelledby="reg-heading">
        <h2 id="reg-heading" style="margin-top:0">${msg('登记家庭', { id: 'home.register' })}</h2>
        <household-register-form
          mode="self"
          .villageId=${previous?.villageId ?? ''}
          .initial=${previous ? { headName: previous.headName, doorNumber: previous.doorNumber } : null}
          @household-registered=${this.onRegistered}
        ></household-register-form>
      </section>
    `;
  }

  private pendingView(h: MyHousehold) {
    if (this.correcting) {
      return html`<section class="card" aria-labelledby="correct-heading">
        <h2 id="correct-heading" style="margin-top:0">${msg('修改登记', { id: 'me.correct.heading' })}</h2>
        <p>${msg('村干部确认之前，可以自己改正填错的地方。', { id: 'me.correct.lead' })}</p>
        <household-register-form
          mode="correct"
          household-id=${h.id}
          .villageId=${h.villageId}
          .villageName=${h.villageName}
          .initial=${{ headName: h.headName, doorNumber: h.doorNumber }}
          @household-registered=${this.onCorrected}
        ></household-register-form>
        <button type="button" class="btn block" style="margin-top: var(--cy-space-3)" @click=${() => (this.correcting = false)}>${msg('取消', { id: 'common.cancel' })}</button>
      </section>`;
    }
    return html`
      ${this.justRegistered
        ? html`<p class="notice success" role="status">${msg('登记已提交。', { id: 'me.submitted' })}</p>`
        : nothing}
      ${this.justCorrected
        ? html`<p class="notice success" role="status">${msg('登记已修改，村干部会按修改后的信息核对。', { id: 'me.corrected' })}</p>`
        : nothing}
      <div class="notice warning">
        <p><strong>${msg('等待村干部确认', { id: 'me.pending' })}</strong></p>
        <p>${msg('村干部核对后会确认您的登记，请耐心等几天。确认以后再打开这一页就能看到。等了很久还没确认，可以直接问村干部。', { id: 'me.pending.text' })}</p>
      </div>
      ${this.facts(h)}
      <div class="btn-row">
        <button type="button" class="btn" @click=${() => void this.session?.refresh()}>
          ${msg('刷新看看', { id: 'me.refresh' })}
        </button>
        <button type="button" class="btn" @click=${() => ((this.correcting = true), (this.justRegistered = false), (this.justCorrected = false))}>
          ${msg('填错了？修改登记', { id: 'me.correct' })}
        </button>
      </div>
    `;
  }

  private rejectedView(h: MyHousehold) {
    return html`
      <div class="notice error">
        <p><strong>${msg('您的登记没有通过', { id: 'me.rejected' })}</strong></p>
        <p>${msg('村干部写的原因：', { id: 'me.rejected.reason' })}${h.rejectReason ? zh(h.rejectReason) : msg('（没有写原因）', { id: 'me.rejected.noReason' })}</p>
      </div>
      ${this.facts(h)}
      <p>${msg('请按原因改正后重新登记。有疑问可以直接问村干部。', { id: 'me.rejected.text' })}</p>
      <button type="button" class="btn primary block" @click=${() => (this.registeringAgain = true)}>
        ${msg('重新登记', { id: 'me.registerAgain' })}
      </button>
    `;
  }

  /** The phones that may act for the family, each on its own line at the card's full width: a number is never split. */
  private family(h: MyHousehold) {
    return html`<p class="muted" id="family-h" style="margin-bottom: 0">${msg('家人手机号', { id: 'me.family' })}</p>
      <ul class="plain family" aria-labelledby="family-h">
        ${h.family.map((f) => html`<li><span style="white-space: nowrap">${f.phone}</span>${f.you ? html`<span style="white-space: nowrap">${msg('（您本人）', { id: 'me.family.you' })}</span>` : nothing}</li>`)}
      </ul>
      <p class="hint">${msg('家里其他人想用自己的手机替家里报名参评，请找村干部把手机号加进来；看到不认识的号码，也请告诉村干部。', { id: 'me.family.hint' })}</p>`;
  }

  private confirmedView(h: MyHousehold) {
    return html`
      <div class="card">
        <p class="label">${zh(h.label)}</p>
        <p><span class="badge confirmed">${msg('已确认', { id: 'household.status.confirmed' })}</span></p>
        ${this.facts(h)}
        ${this.family(h)}
      </div>
      <p>${msg('您的家庭已经登记好了，村里的评比都可以报名参加。', { id: 'me.confirmed.text' })}</p>
      <my-entries village-id=${h.villageId}></my-entries>
      <my-results></my-results>
      <p style="margin-top: var(--cy-space-4)">
        <a class="btn" href=${`/villages/${encodeURIComponent(h.villageId)}`}>${msg('查看本村的评比活动', { id: 'me.openVillage' })}</a>
      </p>
    `;
  }

  private facts(h: MyHousehold) {
    return html`<dl class="facts">
      <dt>${msg('村（社区）', { id: 'place.village' })}</dt>
      <dd>${zh(h.villageName)}</dd>
      <dt>${msg('户主姓名', { id: 'field.headName' })}</dt>
      <dd>${zh(h.headName)}</dd>
      <dt>${msg('门牌号', { id: 'field.doorNumber' })}</dt>
      <dd>${zh(h.doorNumber)}</dd>
      ${h.proxy
        ? html`<dt>${msg('登记方式', { id: 'me.source' })}</dt>
            <dd>${msg('由村干部或网格员代录', { id: 'me.source.proxy' })}</dd>`
        : nothing}
    </dl>`;
  }

  private readonly onCorrected = async () => {
    this.correcting = false;
    this.justCorrected = true;
    await this.session?.refresh();
  };

  private async onRegistered() {
    this.registeringAgain = false;
    this.justRegistered = true;
    await this.session?.refresh();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'me-page': MePage;
  }
}
