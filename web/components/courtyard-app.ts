import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { api } from '../api';
import { navigate, onPageNamed, RouterController } from '../router';
import { routes } from '../routes';
import { isStaff, SessionController, townOf } from '../session';
import { sharedStyles } from '../styles/shared';
import { loadingView } from '../views';
import './lang-switch';

/** Pages of work at a desk (console, town dashboard): wider than a phone's column on a big screen. */
const WIDE_PAGES = /^\/(console|town)(\/|\?|$)/;

/**
 * The app shell: header (name, language, sign in/out), navigation limited to what the
 * account may use, the current page, and a footer. Provides the session to every page.
 */
@customElement('courtyard-app')
@localized()
export class CourtyardApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      /* a page printed (the results for a notice board) is its content alone */
      @media print {
        header,
        nav,
        footer {
          display: none;
        }
      }
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        left: var(--cy-space-2);
        top: -100px;
        z-index: 10;
        background: var(--cy-color-surface);
        padding: var(--cy-space-2) var(--cy-space-4);
        border-radius: var(--cy-radius-sm);
      }
      .skip:focus {
        top: var(--cy-space-2);
      }
      header {
        background: var(--app-header-bg, var(--cy-color-header));
        color: var(--cy-color-on-primary);
      }
      .bar,
      nav ul {
        max-width: var(--cy-content-width);
        margin: 0 auto;
        padding: var(--cy-space-2) var(--cy-space-2) var(--cy-space-2) var(--cy-space-3);
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2);
      }
      .brand {
        color: inherit;
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
        text-decoration: none;
        margin-right: auto;
        min-height: var(--cy-touch-target);
        display: inline-flex;
        align-items: center;
        gap: var(--cy-space-2);
      }
      .brand svg {
        flex: none;
      }
      header :focus-visible {
        outline-color: #ffd54f;
      }
      .account {
        background: transparent;
        color: inherit;
        border-color: currentColor;
        padding: var(--cy-space-1) var(--cy-space-2);
      }
      lang-switch {
        --lang-switch-padding: var(--cy-space-1) var(--cy-space-2);
      }
      .account:hover {
        background: rgb(255 255 255 / 0.15);
      }
      nav {
        background: var(--cy-color-surface);
        border-bottom: 1px solid var(--cy-color-border-soft);
      }
      nav ul {
        list-style: none;
        padding-top: 0;
        padding-bottom: 0;
        gap: 0 var(--cy-space-1);
      }
      nav a {
        display: inline-flex;
        align-items: center;
        min-height: var(--cy-touch-target);
        padding: 0 var(--cy-space-2);
        color: var(--cy-color-text);
        font-weight: 600;
        text-decoration: none;
        border-bottom: 4px solid transparent;
      }
      nav a[aria-current='page'] {
        color: var(--cy-color-primary);
        border-bottom-color: var(--cy-color-primary);
      }
      nav a:hover {
        background: var(--cy-color-primary-soft);
      }
      nav .count {
        margin-left: var(--cy-space-1);
        min-width: 1.6em;
        padding: 0 var(--cy-space-1);
        border-radius: 999px;
        background: var(--cy-color-danger);
        color: var(--cy-color-on-primary);
        font-size: var(--cy-font-size-sm);
        text-align: center;
      }
      main {
        flex: 1;
        width: 100%;
        max-width: var(--cy-content-width);
        margin: 0 auto;
        padding: var(--cy-space-4) var(--cy-space-3) var(--cy-space-6);
      }
      /* the console and the town dashboard are read at an office screen too: their tables get the room */
      :host([wide]) main,
      :host([wide]) .bar,
      :host([wide]) nav ul {
        max-width: var(--cy-wide-content-width);
      }
      main:focus {
        outline: none;
      }
      footer {
        border-top: 1px solid var(--cy-color-border-soft);
        color: var(--cy-color-text-muted);
        font-size: var(--cy-font-size-sm);
        text-align: center;
        padding: var(--cy-space-4) var(--cy-space-3);
      }
      footer p {
        margin: 0;
      }
    `,
  ];

  private readonly sessionCtl = new SessionController(this);
  private readonly router = new RouterController(this, routes);

  @query('main') private main?: HTMLElement;

  /** Unread notices of the signed-in account, shown on the "我的家庭" link. */
  @state() private unread = 0;
  private unreadFor = '';

  /**
   * The first render waits for the next task: evaluating the app's scripts and drawing the page
   * in one go would hold a slow phone's main thread (taps, scrolling) for one long stretch.
   */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) await new Promise((resolve) => setTimeout(resolve));
    super.scheduleUpdate();
  }

  override connectedCallback() {
    super.connectedCallback();
    this.addEventListener('inbox-changed', this.onInboxChanged as EventListener);
    onPageNamed(this, (title, url) => {
      this.named = { title, url };
    });
  }

  /** The name a page gave itself, for the address it was at. */
  @state() private named: { title: string; url: string } | null = null;

  override willUpdate() {
    this.toggleAttribute('wide', WIDE_PAGES.test(this.router.match.url));
    const userId = this.sessionCtl.session.user?.id ?? '';
    if (userId !== this.unreadFor) {
      this.unreadFor = userId;
      this.unread = 0;
      if (userId) {
        api.notifications().then(
          (r) => {
            if (this.unreadFor === userId) this.unread = r.unread;
          },
          () => undefined, // only a count: the inbox itself says when it cannot load
        );
      }
    }
  }

  private readonly onInboxChanged = (e: CustomEvent<{ unread: number }>) => {
    this.unread = e.detail.unread;
  };

  override render() {
    const { user } = this.sessionCtl.session;
    return html`
      <header>
        <button type="button" class="skip btn" @click=${this.skipToMain}>${msg('跳到正文', { id: 'app.skip' })}</button>
        <div class="bar">
          <a class="brand" href="/">${this.logo()}<span>${msg('美丽庭院', { id: 'app.name' })}</span></a>
          <lang-switch></lang-switch>
          ${user
            ? html`<button type="button" class="btn account" @click=${this.signOut}>
                ${msg('退出登录', { id: 'nav.logout' })}
              </button>`
            : html`<a class="btn account" href=${this.loginHref()}>${msg('登录', { id: 'nav.login' })}</a>`}
        </div>
      </header>
      <nav aria-label=${msg('主导航', { id: 'nav.label' })}>
        <ul>
          ${this.navLink('/', msg('首页', { id: 'nav.home' }))}
          ${user ? this.navLink('/me', msg('我的家庭', { id: 'nav.me' }), this.unread) : nothing}
          ${user?.panelMember ? this.navLink('/panel', msg('考评打分', { id: 'nav.panel' })) : nothing}
          ${isStaff(user) ? this.navLink('/console', msg('管理后台', { id: 'nav.console' })) : nothing}
          ${townOf(user) ? this.navLink(`/town/${encodeURIComponent(townOf(user)!)}`, msg('全镇看板', { id: 'title.town' })) : nothing}
        </ul>
      </nav>
      <main id="main" tabindex="-1">${this.page()}</main>
      <footer>
        <p>${msg('美丽庭院评比 · 由村委会组织', { id: 'app.footer' })}</p>
      </footer>
    `;
  }

  override updated() {
    const { route, url } = this.router.match;
    const name = this.named?.url === url ? this.named.title : route.title();
    document.title = `${name} · ${msg('美丽庭院', { id: 'app.name' })}`;
    if (this.router.moved && this.router.ready) {
      // a new page: start at its top and let screen readers land in it
      this.router.moved = false;
      window.scrollTo(0, 0);
      this.main?.focus({ preventScroll: true });
    }
  }

  private page() {
    const m = this.router.match;
    if (this.router.loadError) {
      return html`<h1>${m.route.title()}</h1>
        <div class="notice error" role="alert">
          <p>${msg('页面没有加载出来，可能是网络不好。', { id: 'app.chunkFailed' })}</p>
          <button type="button" class="btn" @click=${() => this.router.retry()}>
            ${msg('再试一次', { id: 'state.retry' })}
          </button>
        </div>`;
    }
    if (!this.router.ready) return loadingView();
    return m.route.render(m);
  }

  private navLink(href: string, label: string, count = 0) {
    const path = this.router.match.url.split('?')[0] ?? '';
    const current = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
    return html`<li>
      <a href=${href} aria-current=${current ? 'page' : nothing}
        >${label}${count > 0
          ? html`<span class="count"
              ><span aria-hidden="true">${count}</span
              ><span class="visually-hidden">${msg(str`（${count} 条未读消息）`, { id: 'nav.unread' })}</span></span
            >`
          : nothing}</a
      >
    </li>`;
  }

  private loginHref() {
    const here = this.router.match.url;
    return here === '/' || here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
  }

  private skipToMain() {
    this.main?.focus();
  }

  private async signOut() {
    try {
      await this.sessionCtl.session.signOut();
    } finally {
      navigate('/');
    }
  }

  /** A small courtyard gate, drawn inline so the header needs no image request. */
  private logo() {
    return html`<svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true" focusable="false">
      <path d="M2 11 14 3l12 8" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" />
      <rect x="5" y="11" width="18" height="14" rx="1.5" fill="none" stroke="currentColor" stroke-width="2.5" />
      <path d="M11 25v-7h6v7" fill="none" stroke="currentColor" stroke-width="2.5" />
      <circle cx="21" cy="7" r="2" fill="#ffd54f" />
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'courtyard-app': CourtyardApp;
  }
}
