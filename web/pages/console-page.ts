import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, type Role, type User, type VillageTodo } from '../api';
import '../components/campaign-create-form';
import '../components/campaign-list';
import '../components/console-results';
import '../components/entry-moderation';
import '../components/household-register-form';
import '../components/household-review';
import type { HouseholdReview } from '../components/household-review';
import '../components/photo-flags';
import '../components/proxy-entry-start';
import '../components/reward-ledger';
import '../components/roster-import';
import '../components/round-picker';
import '../components/scoring-progress';
import '../components/suspicious-likes';
import { roleLabel } from '../i18n/labels';
import { goToSignIn, navigate } from '../router';
import { isStaff, type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { resultsApi } from '../results-api';
import { emptyView, errorView, loadingView, waitingItems } from '../views';
import { zh, zhLang } from '../i18n/server-text';

export type ConsoleTab = 'households' | 'campaigns' | 'review' | 'photos' | 'likes' | 'scoring' | 'results' | 'rewards';
type Tab = ConsoleTab;

/** Tabs that work on one round (chosen with the round picker). */
const ROUND_TABS: readonly Tab[] = ['review', 'photos', 'likes', 'scoring', 'results'];

/** The round where a tab's counted work waits, when the count names one ('' otherwise). */
function waitsIn(todo: VillageTodo, tab: Tab): string {
  if (tab === 'photos' && todo.photos > 0) return todo.roundOf.photos ?? '';
  if (tab === 'scoring' && todo.scoring > 0) return todo.roundOf.scoring ?? '';
  return '';
}

/** A village this account works on, and what it may do there. */
export interface ManagedVillage {
  id: string;
  name: string;
  /** Village cadre, or town admin of its town: everything. Grid worker only: proxy registration. */
  manages: boolean;
  via: Role['kind'];
}

/** Villages the roles reach: villages directly, and a town admin's towns through the places API. */
async function managedVillages(user: User, signal: AbortSignal): Promise<ManagedVillage[]> {
  const out = new Map<string, ManagedVillage>();
  const towns = user.roles.filter((r) => r.kind === 'town_admin');
  const lists = await Promise.all(towns.map((t) => api.villages(t.scopeId, signal)));
  lists.flat().forEach((v) => out.set(v.id, { id: v.id, name: v.name, manages: true, via: 'town_admin' }));
  for (const r of user.roles) {
    if (r.kind === 'village_cadre') out.set(r.scopeId, { id: r.scopeId, name: r.scopeName, manages: true, via: r.kind });
    else if (r.kind === 'grid_worker' && !out.has(r.scopeId)) {
      out.set(r.scopeId, { id: r.scopeId, name: r.scopeName, manages: false, via: r.kind });
    }
  }
  return [...out.values()];
}

/**
 * The cadre console: choose a village, then its households (review, import, proxy
 * registration and proxy entry), its campaigns (list, create), and for a round: review of
 * entries (hide/restore), photo checks and suspicious likes. Grid workers get proxy
 * registration only. The village, tab and round live in the address, so the back button and
 * reloads keep them.
 */
@customElement('console-page')
@localized()
export class ConsolePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      [role='tablist'] {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--cy-space-1);
        border-bottom: 2px solid var(--cy-color-border-soft);
        margin: var(--cy-space-4) 0;
      }
      [role='tab'] {
        flex: 1 1 auto;
        min-height: var(--cy-touch-target);
        padding: var(--cy-space-2) var(--cy-space-3);
        font: inherit;
        font-weight: 700;
        font-size: var(--cy-font-size-lg);
        background: transparent;
        color: var(--cy-color-text);
        border: none;
        border-bottom: 5px solid transparent;
        margin-bottom: -2px;
        cursor: pointer;
      }
      [role='tab'][aria-selected='true'] {
        color: var(--cy-color-primary);
        border-bottom-color: var(--cy-color-primary);
      }
      [role='tab']:hover {
        background: var(--cy-color-primary-soft);
      }
      /* how many things wait in a tab: right after its word, raised, never over it (a count
         pinned to a corner covered the word's last character, and at large text the next tab) */
      .waiting {
        display: inline-block;
        vertical-align: super;
        margin-left: 0.15em;
        min-width: 1.5em;
        padding: 0 0.35em;
        border-radius: 999px;
        background: var(--cy-color-error-text);
        color: var(--cy-color-on-primary);
        font-size: var(--cy-font-size-sm);
        line-height: 1.5;
        text-align: center;
      }
      [role='tabpanel']:focus-visible {
        outline-offset: 4px;
      }
      .roles {
        color: var(--cy-color-text-muted);
      }
      .waiting-villages {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: var(--cy-space-3);
      }
      .waiting-villages li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2) var(--cy-space-3);
      }
    `,
  ];

  /** Village code from the address ('' = not chosen yet). */
  @property({ attribute: false }) villageId = '';
  /** Which tab is open. */
  @property({ attribute: false }) tab: Tab = 'households';
  /** The round the review, photo and like tabs work on ('' = the picker chooses). */
  @property({ attribute: false }) roundId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @query('household-review') private review?: HouseholdReview;

  private villages = new Task(this, {
    task: ([user], { signal }) => (user ? managedVillages(user, signal) : Promise.resolve([])),
    args: () => [this.session?.user ?? null] as const,
  });

  /** What waits in each tab, asked again on every tab change and after each thing dealt with. */
  private todo = new Task(this, {
    task: ([villageId, manages], { signal }) => (villageId && manages ? api.villageTodo(villageId, signal) : Promise.resolve(null)),
    args: () => [this.villageId, this.current()?.manages ?? false, this.tab] as const,
  });
  private readonly todoChanged = () => void this.todo.run();

  /** For a town admin who has not chosen a village yet: the villages where something waits (from the town dashboard). */
  private waitingVillages = new Task(this, {
    task: ([user, villageId], { signal }) => {
      const towns = user && !villageId ? user.roles.filter((r) => r.kind === 'town_admin') : [];
      if (!towns.length) return Promise.resolve(null);
      return Promise.all(towns.map((t) => resultsApi.dashboard(t.scopeId, '', '', signal))).then((ds) =>
        ds.flatMap((d) => d.villages).filter((v) => waitingItems(v.todo).length > 0),
      );
    },
    args: () => [this.session?.user ?? null, this.villageId] as const,
  });

  private campaigns = new Task(this, {
    task: ([villageId, tab], { signal }) =>
      villageId && tab === 'campaigns' && this.current()?.manages ? api.campaigns(villageId, signal) : Promise.resolve(null),
    args: () => [this.villageId, this.tab, this.current()?.manages ?? false] as const,
  });

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) {
      goToSignIn(this.consoleUrl(this.villageId, this.tab, this.roundId));
      return;
    }
    // with exactly one village there is nothing to choose; a village this account does not
    // manage (an old link, another village's address) gives way to its own, or to the choice
    // (an empty list is the one made before the session was known: nothing to decide yet)
    const list = this.villages.value;
    if (!list?.length || this.villages.status !== TaskStatus.COMPLETE) return;
    const known = list.some((v) => v.id === this.villageId);
    if (this.villageId && !known) this.go(list.length === 1 ? list[0]!.id : '', 'households');
    else if (!this.villageId && list.length === 1 && list[0]) this.go(list[0].id, this.tab);
  }

  override render() {
    const title = html`<h1>${msg('管理后台', { id: 'nav.console' })}</h1>`;
    const s = this.session;
    if (!s?.ready || !s.user) return html`${title}${loadingView()}`;
    if (!isStaff(s.user)) {
      return html`${title}
        <div class="notice info">
          <p>${msg('这里是村干部、镇管理员和网格员用的管理后台，您的账号没有管理权限。', { id: 'console.noPermission' })}</p>
          <p>${msg('如果您是村干部，请联系镇里为您开通。', { id: 'console.noPermission.help' })}</p>
        </div>
        <p><a class="btn primary" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`;
    }
    return html`${title}
      <p class="roles">
        ${msg('您的身份：', { id: 'console.roles' })}${s.user.roles.map((r) => msg(str`${roleLabel(r.kind)}（${r.scopeName}）`, { id: 'console.roleAt' })).join('、')}
      </p>
      ${this.villages.render({
        initial: () => loadingView(),
        pending: () => loadingView(),
        error: (e) => errorView(e, () => void this.villages.run()),
        complete: (list) => this.body(list),
      })}`;
  }

  private body(list: ManagedVillage[]) {
    if (!list.length) return emptyView(msg('没有找到您管理的村。', { id: 'console.noVillages' }));
    const current = this.current();
    return html`
      ${this.villagePicker(list)}
      ${current ? this.tabs(current) : this.chooseFirst()}
    `;
  }

  /** Before a village is chosen; a town admin also sees which villages have something waiting, each a link to the tab where it waits. */
  private chooseFirst() {
    const tabOf = (t: VillageTodo): Tab =>
      t.households ? 'households' : t.photos ? 'photos' : t.likes ? 'likes' : t.scoring ? 'scoring' : t.objections || t.results ? 'results' : 'rewards';
    return html`<p class="notice info">${msg('请先选择要管理的村。', { id: 'console.chooseVillage' })}</p>
      ${this.waitingVillages.render({
        pending: () => loadingView(),
        error: (e) => errorView(e, () => void this.waitingVillages.run()),
        complete: (list) =>
          list === null
            ? nothing
            : list.length
              ? html`<section aria-labelledby="waiting-villages">
                  <h2 id="waiting-villages">${msg('有待处理事项的村', { id: 'console.waitingVillages' })}</h2>
                  <ul class="waiting-villages">
                    ${list.map(
                      (v) => html`<li>
                        <a class="btn" href=${this.consoleUrl(v.id, tabOf(v.todo), waitsIn(v.todo, tabOf(v.todo)))}>${zh(v.name)}</a>
                        <span>${waitingItems(v.todo).join('，')}</span>
                      </li>`,
                    )}
                  </ul>
                </section>`
              : html`<p class="muted">${msg('各村都没有待处理的事项。', { id: 'console.nothingWaiting' })}</p>`,
      })}`;
  }

  private villagePicker(list: ManagedVillage[]) {
    if (list.length === 1) {
      return html`<p><strong style="font-size: var(--cy-font-size-xl)">${zh(list[0]?.name)}</strong></p>`;
    }
    return html`<div class="field">
      <label for="village">${msg('要管理的村', { id: 'console.village' })}</label>
      <select id="village" @change=${(e: Event) => this.go((e.target as HTMLSelectElement).value, this.tab)}>
        <option value="" ?selected=${!this.villageId}>${msg('请选择村', { id: 'place.chooseVillage' })}</option>
        ${list.map((v) => html`<option value=${v.id} lang=${zhLang()} ?selected=${v.id === this.villageId}>${v.name}</option>`)}
      </select>
    </div>`;
  }

  private tabs(v: ManagedVillage) {
    const todo = this.todo.value;
    const tabs: Array<{ id: Tab; label: string; waiting?: number | undefined }> = [{ id: 'households', label: msg('住户', { id: 'console.tab.households' }), waiting: todo?.households }];
    if (v.manages) {
      tabs.push(
        { id: 'campaigns', label: msg('活动', { id: 'console.tab.campaigns' }) },
        { id: 'review', label: msg('审核', { id: 'console.tab.review' }) },
        { id: 'photos', label: msg('照片核查', { id: 'console.tab.photos' }), waiting: todo?.photos },
        { id: 'likes', label: msg('可疑点赞', { id: 'console.tab.likes' }), waiting: todo?.likes },
        { id: 'scoring', label: msg('评分', { id: 'console.tab.scoring' }), waiting: todo?.scoring },
        { id: 'results', label: msg('结果', { id: 'console.tab.results' }), waiting: todo ? todo.objections + todo.results : undefined },
        { id: 'rewards', label: msg('奖励', { id: 'console.tab.rewards' }), waiting: todo?.rewards },
      );
    }
    const active: Tab = v.manages ? this.tab : 'households';
    return html`
      <div role="tablist" aria-label=${msg(str`${v.name}的管理内容`, { id: 'console.tabs' })} @keydown=${this.onTabKey}>
        ${tabs.map(
          (t) => html`<button
            type="button"
            role="tab"
            id=${`tab-${t.id}`}
            aria-selected=${t.id === active ? 'true' : 'false'}
            aria-controls=${`panel-${t.id}`}
            tabindex=${t.id === active ? '0' : '-1'}
            @click=${() => this.go(v.id, t.id, this.roundFor(t.id))}
          >
            <span class="label"
              >${t.label}${t.waiting
                ? html` <span class="waiting">${t.waiting}</span><span class="visually-hidden">${msg('项待处理', { id: 'console.tab.waiting' })}</span>`
                : nothing}</span
            >
          </button>`,
        )}
      </div>
      <div
        role="tabpanel"
        id=${`panel-${active}`}
        aria-labelledby=${`tab-${active}`}
        tabindex="0"
        @household-decided=${this.todoChanged}
        @likes-voided=${this.todoChanged}
        @objection-decided=${this.todoChanged}
        @results-changed=${this.todoChanged}
        @entry-moderated=${this.todoChanged}
        @rewards-paid=${this.todoChanged}
      >
        ${active === 'households'
          ? this.householdsPanel(v)
          : active === 'campaigns'
            ? this.campaignsPanel(v)
            : active === 'results'
              ? this.resultsPanel(v)
              : active === 'rewards'
                ? this.rewardsPanel(v)
                : this.roundPanel(v, active)}
      </div>
    `;
  }

  private householdsPanel(v: ManagedVillage) {
    const proxyEntry = html`<section aria-labelledby="proxy-entry-heading">
      <h2 id="proxy-entry-heading" style=${v.manages ? '' : 'margin-top:0'}>${msg('代录参评', { id: 'console.proxyEntry' })}</h2>
      <p>${msg('为没有智能手机的家庭代为报名参评，替他们拍照、提交。作品会注明是代录的。', { id: 'console.proxyEntry.lead' })}</p>
      <div class="card">
        <proxy-entry-start village-id=${v.id}></proxy-entry-start>
      </div>
    </section>`;
    const proxyForm = html`<section aria-labelledby="proxy-heading">
      <h2 id="proxy-heading">${msg('代录登记', { id: 'register.proxy.submit' })}</h2>
      <p>${msg('家里没有智能手机的，可以由村干部或网格员替他们登记。登记会注明是您代录的。', { id: 'console.proxy.lead' })}</p>
      <div class="card">
        <household-register-form mode="proxy" village-id=${v.id} village-name=${v.name} @household-registered=${this.refreshHouseholds}></household-register-form>
      </div>
    </section>`;
    if (!v.manages) return html`${proxyEntry}${proxyForm}`;
    return html`
      <section aria-labelledby="review-heading">
        <h2 id="review-heading" style="margin-top:0">${msg('住户登记', { id: 'console.review' })}</h2>
        <household-review village-id=${v.id}></household-review>
      </section>
      ${proxyEntry}
      <section aria-labelledby="import-heading">
        <h2 id="import-heading">${msg('导入住户名册', { id: 'console.import' })}</h2>
        <div class="card">
          <roster-import village-id=${v.id} village-name=${v.name} @roster-imported=${this.refreshHouseholds}></roster-import>
        </div>
      </section>
      ${proxyForm}
    `;
  }

  private campaignsPanel(v: ManagedVillage) {
    const villages = (this.villages.value ?? []).filter((x) => x.manages).map((x) => ({ id: x.id, name: x.name }));
    return html`
      <section aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading" style="margin-top:0">${msg('本村的评比活动', { id: 'console.campaigns' })}</h2>
        ${this.campaigns.render({
          initial: () => loadingView(),
          pending: () => loadingView(),
          error: (e) => errorView(e, () => void this.campaigns.run()),
          complete: (list) =>
            html`<campaign-list
              .campaigns=${list ?? []}
              .hrefFor=${(c: { id: string }) => `/console/campaigns/${encodeURIComponent(c.id)}`}
              empty-text=${msg('本村还没有评比活动。可以在下面创建一个。', { id: 'console.campaigns.empty' })}
            ></campaign-list>`,
        })}
      </section>
      <section aria-labelledby="create-heading">
        <h2 id="create-heading">${msg('新建评比活动', { id: 'console.create' })}</h2>
        <div class="card">
          <campaign-create-form
            .villages=${villages}
            village-id=${v.id}
            @campaign-created=${(e: CustomEvent<{ campaign: { id: string } }>) =>
              navigate(`/console/campaigns/${encodeURIComponent(e.detail.campaign.id)}`)}
          ></campaign-create-form>
        </div>
      </section>
    `;
  }

  /** 结果: compute, announce, objections, finalise, plates — for a round or a half-year (kept in `round`). */
  private resultsPanel(v: ManagedVillage) {
    return html`
      <h2 style="margin-top:0">${msg('评比结果', { id: 'title.results' })}</h2>
      <console-results
        village-id=${v.id}
        pick=${this.roundId}
        @pick-change=${(e: CustomEvent<{ pick: string }>) => this.go(v.id, 'results', e.detail.pick)}
      ></console-results>
    `;
  }

  /** 奖励: the village's reward ledger. */
  private rewardsPanel(v: ManagedVillage) {
    return html`
      <h2 style="margin-top:0">${msg('奖励发放', { id: 'console.rewards.heading' })}</h2>
      <reward-ledger village-id=${v.id}></reward-ledger>
    `;
  }

  /** 审核, 照片核查, 可疑点赞, 评分: the round picker, then the tool for that round. */
  private roundPanel(v: ManagedVillage, tab: Exclude<Tab, 'households' | 'campaigns' | 'results' | 'rewards'>) {
    const heading =
      tab === 'review'
        ? msg('审核参评作品', { id: 'console.review.heading' })
        : tab === 'photos'
          ? msg('照片核查', { id: 'console.tab.photos' })
          : tab === 'likes'
            ? msg('可疑点赞', { id: 'console.tab.likes' })
            : msg('评分进度', { id: 'console.scoring.heading' });
    // Opened without a round (a link, a reload): the round where the tab's counted work waits,
    // once the counts are in; the picker's own choice, the current round, otherwise.
    const todo = this.todo.value;
    if (!this.roundId && !todo && (this.todo.status === TaskStatus.PENDING || this.todo.status === TaskStatus.INITIAL)) {
      return html`<h2 style="margin-top:0">${heading}</h2>${loadingView()}`;
    }
    const r = this.roundId || (todo ? waitsIn(todo, tab) : '');
    return html`
      <h2 style="margin-top:0">${heading}</h2>
      <round-picker
        village-id=${v.id}
        round-id=${r}
        @round-change=${(e: CustomEvent<{ roundId: string }>) => this.go(v.id, tab, e.detail.roundId)}
      ></round-picker>
      ${r
        ? tab === 'review'
          ? html`<entry-moderation round-id=${r}></entry-moderation>`
          : tab === 'photos'
            ? html`<photo-flags round-id=${r} @photos-checked=${this.todoChanged}></photo-flags>`
            : tab === 'likes'
              ? html`<suspicious-likes round-id=${r}></suspicious-likes>`
              : html`<scoring-progress village-id=${v.id} round-id=${r}></scoring-progress>`
        : nothing}
    `;
  }

  /**
   * The round carried over to another tab; a tab whose count names where its work waits (photos
   * to check, overdue visits: often last month's round) opens there instead. The results tab is not given one: it opens on the
   * result that waits for the cadre (the round the other tabs were on is as a rule still taking
   * entries, with nothing to compute). From it, a round (`r:<id>`) goes on to the other tabs.
   */
  private roundFor(tab: Tab): string {
    const r = this.roundId;
    const todo = this.todo.value;
    const waiting = todo ? waitsIn(todo, tab) : '';
    if (waiting) return waiting;
    if (tab === 'results') return this.tab === 'results' ? r : '';
    if (this.tab === 'results') return r.startsWith('r:') ? r.slice(2) : '';
    return r;
  }

  private current(): ManagedVillage | undefined {
    return this.villages.value?.find((v) => v.id === this.villageId);
  }

  private consoleUrl(villageId: string, tab: Tab, roundId = ''): string {
    const q = new URLSearchParams();
    if (villageId) q.set('village', villageId);
    if (tab !== 'households') q.set('tab', tab);
    if (roundId && ROUND_TABS.includes(tab)) q.set('round', roundId);
    const qs = q.toString();
    return `/console${qs ? `?${qs}` : ''}`;
  }

  private go(villageId: string, tab: Tab, roundId = '') {
    navigate(this.consoleUrl(villageId, tab, roundId), { replace: true });
  }

  /** Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern). */
  private onTabKey(e: KeyboardEvent) {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    const i = tabs.indexOf(e.target as HTMLButtonElement);
    if (i < 0) return;
    const next =
      e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    // Focus goes with the key at once: the selection follows when the address has changed.
    tabs[next]?.focus();
    tabs[next]?.click();
  }

  private refreshHouseholds() {
    this.review?.reload();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-page': ConsolePage;
  }
}
