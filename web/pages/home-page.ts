import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api } from '../api';
import '../components/campaign-list';
import '../components/place-picker';
import { navigate } from '../router';
import { startPageOf, type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView } from '../views';
import { zh } from '../i18n/server-text';

const LAST_VILLAGE_KEY = 'courtyard.village';

/**
 * Landing page: choose town and village, see that village's contests. The choice is kept in
 * the address (`/?village=…`) and remembered on the phone for the next visit.
 */
@customElement('home-page')
@localized()
export class HomePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .lead {
        font-size: var(--cy-font-size-lg);
      }
      .cta {
        background: var(--cy-color-primary-soft);
        border-color: var(--cy-color-primary);
      }
      .cta .btn {
        font-size: var(--cy-font-size-lg);
      }
    `,
  ];

  /** Village code from the address, if any. */
  @property({ attribute: false }) villageId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  /** What the person picked on this page; null until they pick (then '' means "none"). */
  @state() private picked: string | null = null;

  private village = new Task(this, {
    task: ([id], { signal }) => (id ? api.village(id, signal) : Promise.resolve(null)),
    args: () => [this.chosenVillage()] as const,
  });

  override render() {
    const villageId = this.chosenVillage();
    return html`
      <h1>${msg('美丽庭院评比', { id: 'home.title' })}</h1>
      <p class="lead">${msg('选择您所在的镇和村，就能看到本村的评比活动。', { id: 'home.lead' })}</p>
      ${this.signInCard()}
      <section aria-labelledby="pick-heading" class="card">
        <h2 id="pick-heading" style="margin-top:0">${msg('选择村庄', { id: 'home.pick' })}</h2>
        <place-picker .villageId=${villageId} @village-change=${this.onVillage}></place-picker>
      </section>
      ${villageId ? this.villageSection() : nothing}
    `;
  }

  private signInCard() {
    const s = this.session;
    if (!s?.ready) return nothing;
    if (!s.user) {
      return html`<section class="card cta" aria-labelledby="cta-heading">
        <h2 id="cta-heading" style="margin-top:0">${msg('参加评比', { id: 'home.join' })}</h2>
        <p>${msg('用手机号登录后，就可以登记您的家庭，参加本村的评比。', { id: 'home.join.text' })}</p>
        <a class="btn primary block" href="/login">${msg('用手机号登录', { id: 'home.signIn' })}</a>
      </section>`;
    }
    // Cadres, town admins and panel members come for their work; a family of their own can still be registered from 我的家庭.
    const start = startPageOf(s.user);
    if (!s.user.household && start !== '/me') {
      const staff = start === '/console';
      return html`<section class="card cta" aria-labelledby="cta-heading">
        <h2 id="cta-heading" style="margin-top:0">${staff ? msg('管理后台', { id: 'nav.console' }) : msg('考评打分', { id: 'nav.panel' })}</h2>
        <a class="btn primary block" href=${start}>
          ${staff ? msg('进入管理后台', { id: 'home.openConsole' }) : msg('去考评打分', { id: 'inbox.openPanel' })}
        </a>
      </section>`;
    }
    if (!s.user.household) {
      return html`<section class="card cta" aria-labelledby="cta-heading">
        <h2 id="cta-heading" style="margin-top:0">${msg('登记家庭', { id: 'home.register' })}</h2>
        <p>${msg('您还没有登记家庭。登记后，村干部确认了就能参加评比。', { id: 'home.register.text' })}</p>
        <a class="btn primary block" href="/me">${msg('去登记我的家庭', { id: 'home.register.go' })}</a>
      </section>`;
    }
    // A family comes to like its neighbours' courtyards and to enter its own: both one tap away.
    const h = s.user.household;
    const confirmed = h.status === 'confirmed';
    return html`<section class="card cta" aria-labelledby="cta-heading">
      <h2 id="cta-heading" style="margin-top:0">${zh(h.label)}</h2>
      <p>
        ${confirmed
          ? msg(html`看看${zh(h.villageName)}各家的庭院，给喜欢的点个赞；您家参评也在村里的评比页面。`, { id: 'home.family.text' })
          : msg('您家的登记还在等村干部确认，确认后就能参加评比。', { id: 'home.family.waiting' })}
      </p>
      ${confirmed
        ? html`<a class="btn primary block" href=${`/villages/${encodeURIComponent(h.villageId)}`}>${msg('去本村评比', { id: 'home.family.village' })}</a>`
        : nothing}
      <a class="btn block" href="/me" style="margin-top:var(--cy-space-2)">${msg('我的家庭', { id: 'nav.me' })}</a>
    </section>`;
  }

  private villageSection() {
    return this.village.render({
      pending: () => loadingView(),
      error: (e) => errorView(e, () => void this.village.run()),
      complete: (v) =>
        v
          ? html`<section aria-labelledby="village-heading">
              <h2 id="village-heading">${zh(`${v.townName} ${v.name}`)}</h2>
              <campaign-list
                .campaigns=${v.campaigns}
                .hrefFor=${() => `/villages/${encodeURIComponent(v.id)}`}
                empty-text=${msg('本村现在还没有评比活动，请留意村里的通知。', { id: 'home.noCampaigns' })}
              ></campaign-list>
              <p><a class="btn" href=${`/villages/${encodeURIComponent(v.id)}`}>${msg('查看本村页面', { id: 'home.openVillage' })}</a></p>
            </section>`
          : nothing,
    });
  }

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    // a village in the address (a shared link, or back/forward) overrides the last pick
    if (changed.has('villageId') && this.villageId) this.picked = null;
  }

  /** The pick on this page wins; then the address; then the last village chosen here; then the account's own village. */
  private chosenVillage(): string {
    if (this.picked !== null) return this.picked;
    if (this.villageId) return this.villageId;
    try {
      const saved = localStorage.getItem(LAST_VILLAGE_KEY);
      if (saved) return saved;
    } catch {
      // storage unavailable
    }
    return this.session?.user?.household?.villageId ?? '';
  }

  private onVillage(e: CustomEvent<{ villageId: string }>) {
    const id = e.detail.villageId;
    try {
      if (id) localStorage.setItem(LAST_VILLAGE_KEY, id);
      else localStorage.removeItem(LAST_VILLAGE_KEY);
    } catch {
      // storage unavailable
    }
    this.picked = id;
    navigate(id ? `/?village=${encodeURIComponent(id)}` : '/', { replace: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'home-page': HomePage;
  }
}
