import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, SESSION_PATH, type User } from '../api';
import '../components/outbox-status';
import '../components/place-picker';
import { formatDate, formatPeriod } from '../format';
import { roundStatusLabel } from '../i18n/labels';
import { keepForOffline, type KeptOffline } from '../offline';
import { isOverdue, rememberedPanel, rememberPanel, scoringOpen, visitStatus, visitStatusLabel, type VisitStatus } from '../panel-state';
import { goToSignIn, navigate } from '../router';
import { scoringApi, type InspectionItem, type InspectionQueue } from '../scoring-api';
import { type Session, sessionContext } from '../session';
import { PhotoOutboxController } from '../photo-outbox';
import { OutboxController } from '../sheet-outbox';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, loadingView, photoFailed } from '../views';
// the sheet comes with the queue, so that it opens without signal too
import './score-sheet-page';
import { zh } from '../i18n/server-text';

/** For main.ts: waiting sheets are sent from any page, with this chunk's sender. */
export { photoOutbox } from '../photo-outbox';
export { sheetOutbox } from '../sheet-outbox';

type SortBy = 'door' | 'due';

/** A round of the chosen village whose panel this member sits on. */
interface MyRound {
  roundId: string;
  campaignTitle: string;
  queue: InspectionQueue;
}

/** The current rounds of a village's campaigns that this account may score (403 = not on that panel). */
async function myRounds(villageId: string, signal: AbortSignal): Promise<MyRound[]> {
  const village = await api.village(villageId, signal);
  const rounds = village.campaigns.filter((c) => c.status === 'open' && c.currentRound);
  const found = await Promise.all(
    rounds.map(async (c) => {
      try {
        return { roundId: c.currentRound!.id, campaignTitle: c.title, queue: await scoringApi.inspections(c.currentRound!.id, signal) };
      } catch (err) {
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return null;
        throw err;
      }
    }),
  );
  return found.filter((r): r is MyRound => r !== null);
}

/**
 * 考评打分: the panel member's inspection queue. Without a round it asks for the village and
 * opens the round this member scores there (remembered on the phone, so that it opens straight
 * away next time, also without signal). With a round: the courtyards to visit in door order (or by
 * due date), each with its door number, head of household, due date, sheets in and this member's
 * state; what waits on the phone to be sent; and whether the queue is kept for offline use.
 */
@customElement('panel-page')
@localized()
export class PanelPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .where {
        color: var(--cy-color-text-muted);
        margin-bottom: var(--cy-space-1);
      }
      .sort {
        display: flex;
        align-items: center;
        gap: var(--cy-space-2);
        margin: 0 0 var(--cy-space-3);
      }
      .sort-label {
        flex: none;
        font-weight: 600;
      }
      .sort .btn {
        flex: 1;
      }
      .sort .btn[aria-pressed='true'] {
        background: var(--cy-color-primary);
        color: var(--cy-color-on-primary);
      }
      ol.visits {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ol.visits li {
        margin-bottom: var(--cy-space-3);
      }
      a.visit {
        display: grid;
        grid-template-columns: 72px 1fr;
        gap: var(--cy-space-1) var(--cy-space-3);
        padding: var(--cy-space-3);
        border: 2px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius);
        background: var(--cy-color-surface);
        color: var(--cy-color-text);
        text-decoration: none;
        box-shadow: var(--cy-shadow);
      }
      a.visit:hover {
        border-color: var(--cy-color-primary);
      }
      a.visit.overdue {
        border-left: 8px solid var(--cy-color-danger);
      }
      .visit .pic {
        grid-row: span 4;
        width: 72px;
        height: 72px;
        border-radius: var(--cy-radius-sm);
        object-fit: cover;
        background: var(--cy-color-border-soft);
      }
      .visit .door {
        font-size: var(--cy-font-size-xl);
        font-weight: 700;
        line-height: 1.2;
        overflow-wrap: anywhere;
      }
      .visit .line {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1) var(--cy-space-2);
        align-items: center;
      }
      .badge.todo {
        background: var(--cy-color-warning-bg);
        color: var(--cy-color-warning-text);
      }
      .badge.submitted {
        background: var(--cy-color-success-bg);
        color: var(--cy-color-success-text);
      }
      .badge.waiting {
        background: var(--cy-color-info-bg);
        color: var(--cy-color-info-text);
        border: 2px dashed currentColor;
      }
      .badge.failed,
      .badge.overdue {
        background: var(--cy-color-danger);
        color: var(--cy-color-on-primary);
      }
      .badge.recused {
        background: #ecebe6;
        color: var(--cy-color-text);
      }
      .rounds a {
        display: block;
      }
    `,
  ];

  /** The round from the address ('' = choose one). */
  @property({ attribute: false }) roundId = '';
  /** `?choose=1`: show the village choice even when a round is remembered. */
  @property({ attribute: false }) choose = false;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private sortBy: SortBy = 'door';
  @state() private villageId = rememberedPanel()?.villageId ?? '';
  /** The member picked a village on this visit (with `?choose=1` the remembered one opens nothing by itself). */
  @state() private picked = false;
  /** What the service worker kept for offline use ('none': not asked, or no service worker here). */
  @state() private kept: KeptOffline | 'saving' | 'none' = 'none';

  private readonly outbox = new OutboxController(this);
  private readonly photosKept = new PhotoOutboxController(this);
  private keptFor = '';
  private sentSeen = -1;

  private queue = new Task(this, {
    task: ([roundId], { signal }) => (roundId ? scoringApi.inspections(roundId, signal) : Promise.resolve(null)),
    args: () => [this.roundId] as const,
  });

  private rounds = new Task(this, {
    task: ([roundId, villageId, user, choosing], { signal }) =>
      !roundId && choosing && villageId && user ? myRounds(villageId, signal) : Promise.resolve(null),
    // with a round remembered (and no ?choose=1) the page goes straight there: nothing to look up
    args: () => [this.roundId, this.chosenVillage(), this.session?.user?.id ?? '', this.choose || !rememberedPanel()?.roundId] as const,
  });

  override willUpdate() {
    // the sender delivered something: ask the server again for sheets in and my state
    const sent = this.outbox.sheets.filter((s) => s.state === 'sent').length;
    if (this.sentSeen >= 0 && sent > this.sentSeen && this.roundId && navigator.onLine) void this.queue.run();
    this.sentSeen = sent;
  }

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) {
      goToSignIn(this.roundId ? `/panel/rounds/${encodeURIComponent(this.roundId)}` : '/panel');
      return;
    }
    if (!this.roundId && !this.choose) {
      const last = rememberedPanel();
      if (last?.roundId) {
        navigate(`/panel/rounds/${encodeURIComponent(last.roundId)}`, { replace: true });
        return;
      }
    }
    // one round to score in the chosen village: open it (not when asked to choose again, until a village is picked)
    const list = this.rounds.status === TaskStatus.COMPLETE ? this.rounds.value : null; // not the previous village's
    if (!this.roundId && (!this.choose || this.picked) && list?.length === 1 && list[0]) this.open(list[0].roundId);
    const q = this.queue.value;
    if (q && this.roundId && this.keptFor !== this.roundId && navigator.onLine) {
      this.keptFor = this.roundId;
      const villageId = q.entries[0]?.entry.villageId ?? this.villageId;
      if (villageId) rememberPanel({ villageId, roundId: this.roundId });
      void this.keepOffline();
    }
  }

  override render() {
    const title = html`<h1>${msg('考评打分', { id: 'nav.panel' })}</h1>`;
    const s = this.session;
    if (!s?.ready || !s.user) return html`${title}${loadingView()}`;
    const user = s.user;
    if (!this.roundId) return html`${title}${this.chooser()}`;
    return this.queue.render({
      initial: () => html`${title}${loadingView()}`,
      pending: () => (this.queue.value ? this.page(this.queue.value, user) : html`${title}${loadingView()}`),
      error: (e) =>
        e instanceof ApiError && (e.status === 403 || e.status === 404)
          ? html`${title}
              ${errorView(e)}
              <p><a class="btn" href="/panel?choose=1">${msg('选择村和评比', { id: 'panel.choose' })}</a></p>`
          : html`${title}${this.outboxStatus(user)}${errorView(e, () => void this.queue.run())}`,
      complete: (q) => (q ? this.page(q, user) : html`${title}${loadingView()}`),
    });
  }

  // ---------- choosing the village and round ----------

  /** The village chosen here or last time, else the one village the member scores, else the member's own. */
  private chosenVillage(): string {
    const user = this.session?.user;
    const scored = user?.panelVillages ?? [];
    return this.villageId || (scored.length === 1 ? scored[0]!.id : '') || user?.household?.villageId || '';
  }

  private chooser() {
    const villageId = this.chosenVillage();
    const scored = this.session?.user?.panelVillages ?? [];
    return html`
      <p>${msg('选择您考评的村，就能看到要走访打分的庭院。', { id: 'panel.choose.lead' })}</p>
      ${scored.length > 1
        ? html`<h2>${msg('您考评的村', { id: 'panel.myVillages' })}</h2>
            <div class="btn-row villages">
              ${scored.map(
                (v) => html`<button type="button" class="btn ${v.id === villageId ? 'primary' : ''}" aria-pressed=${v.id === villageId ? 'true' : 'false'} @click=${() => this.pick(v.id)}>${zh(v.name)}</button>`,
              )}
            </div>
            <h2>${msg('其他村', { id: 'panel.otherVillages' })}</h2>`
        : nothing}
      <div class="card">
        <place-picker
          village-id=${villageId}
          @village-change=${(e: CustomEvent<{ villageId: string }>) => this.pick(e.detail.villageId)}
        ></place-picker>
      </div>
      ${villageId
        ? this.rounds.render({
            initial: () => loadingView(),
            pending: () => loadingView(),
            error: (e) => errorView(e, () => void this.rounds.run()),
            complete: (list) => this.roundList(list ?? []),
          })
        : nothing}
    `;
  }

  private roundList(list: MyRound[]) {
    if (!list.length) {
      return emptyView(msg('您不是这个村正在进行的评比的考评组成员。如有疑问，请联系村干部。', { id: 'panel.notMember' }));
    }
    return html`<h2>${msg('您参加的考评', { id: 'panel.rounds' })}</h2>
      <ul class="plain rounds">
        ${list.map(
          (r) => html`<li class="card">
            <a href=${`/panel/rounds/${encodeURIComponent(r.roundId)}`} @click=${() => this.remember(r.roundId)}>
              <strong>${zh(r.campaignTitle)}</strong>
            </a>
            <p class="muted">
              ${roundStatusLabel(r.queue.round.status)} ·
              ${msg(str`${r.queue.entries.length} 户待走访`, { id: 'panel.rounds.count' })}
            </p>
          </li>`,
        )}
      </ul>`;
  }

  private pick(villageId: string) {
    this.villageId = villageId;
    this.picked = true;
  }

  private remember(roundId: string) {
    const villageId = this.chosenVillage();
    if (villageId) rememberPanel({ villageId, roundId });
  }

  private open(roundId: string) {
    this.remember(roundId);
    navigate(`/panel/rounds/${encodeURIComponent(roundId)}`, { replace: true });
  }

  // ---------- the queue ----------

  private page(q: InspectionQueue, user: User) {
    const items = this.sorted(q.entries);
    const statuses = new Map(items.map((it) => [it.entryId, visitStatus(it, this.outbox.find(user.id, it.entryId))] as const));
    const todo = [...statuses.values()].filter((s) => s === 'todo' || s === 'failed').length;
    return html`
      <p class="where">${zh(q.campaign.title)}${formatPeriod(q.round.period) ? ` · ${formatPeriod(q.round.period)}` : ''} · ${roundStatusLabel(q.round.status)}</p>
      <h1>${msg('考评打分', { id: 'nav.panel' })}</h1>
      ${this.outbox.online
        ? nothing
        : html`<div class="notice warning" role="status">
            <p><strong>${msg('现在没有网络。', { id: 'panel.offline' })}</strong></p>
            <p>${msg('名单和照片是手机上保存的。打的分和拍的现场照片先存在手机上，有网络后自动发送。', { id: 'panel.offline.text' })}</p>
          </div>`}
      ${scoringOpen(q.round.status)
        ? nothing
        : html`<div class="notice info">
            <p>${msg('这一轮的评分已经截止。', { id: 'panel.closed' })}</p>
            <a href="/panel?choose=1">${msg('选择正在进行的评比', { id: 'panel.chooseOpen' })}</a>
          </div>`}
      ${this.keptNotice()}
      ${this.outboxStatus(user)}
      <h2>${msg('走访名单', { id: 'panel.visits' })}</h2>
      <p>
        ${msg(str`共 ${items.length} 户，您还有 ${todo} 户没打分。`, { id: 'panel.summary' })}
        ${msg(str`每户至少要有 ${q.panel.quorum} 份评分才能排名。`, { id: 'panel.quorum' })}
      </p>
      ${items.length
        ? html`<div class="sort" role="group" aria-labelledby="sort-label">
              <span id="sort-label" class="sort-label">${msg('排序：', { id: 'panel.sortBy' })}</span>
              <button type="button" class="btn" aria-pressed=${this.sortBy === 'door' ? 'true' : 'false'} @click=${() => (this.sortBy = 'door')}>
                ${msg('门牌号', { id: 'field.doorNumber' })}
              </button>
              <button type="button" class="btn" aria-pressed=${this.sortBy === 'due' ? 'true' : 'false'} @click=${() => (this.sortBy = 'due')}>
                ${msg('截止日期', { id: 'panel.sort.due' })}
              </button>
            </div>
            <ol class="visits">
              ${items.map((it) => this.visit(q, it, statuses.get(it.entryId) ?? 'todo'))}
            </ol>`
        : emptyView(msg('现在还没有需要实地核实的庭院。村民提交参评后会出现在这里。', { id: 'panel.empty' }))}
      <p><a class="btn block" href="/panel?choose=1">${msg('换一个村或评比', { id: 'panel.switch' })}</a></p>
    `;
  }

  private visit(q: InspectionQueue, it: InspectionItem, status: VisitStatus) {
    const overdue = isOverdue(it, status);
    const photo = it.entry.photos.find((p) => !p.hidden);
    return html`<li>
      <a class="visit ${overdue ? 'overdue' : ''}" href=${`/panel/rounds/${encodeURIComponent(q.round.id)}/entries/${encodeURIComponent(it.entryId)}`}>
        ${photo ? html`<img class="pic" src=${photo.thumbUrl} alt="" width="72" height="72" loading="lazy" @error=${photoFailed} />` : html`<span class="pic"></span>`}
        <span class="door">${zh(it.doorNumber)}</span>
        <span>${zh(`${it.headName} · ${it.householdLabel}`)}</span>
        <span class="line">
          <span>${msg(str`截止 ${formatDate(it.dueAt)}`, { id: 'panel.due' })}</span>
          ${overdue ? html`<span class="badge overdue">${msg('已逾期', { id: 'panel.overdue' })}</span>` : nothing}
        </span>
        <span class="line">
          <span>${msg(str`已交 ${it.sheetsIn}/${q.panel.quorum} 份`, { id: 'panel.sheetsIn' })}</span>
          <span class="badge ${status}">${visitStatusLabel(status)}</span>
        </span>
      </a>
    </li>`;
  }

  private sorted(list: InspectionItem[]): InspectionItem[] {
    // the server sends door order; sorting by due date keeps door order among equal dates
    if (this.sortBy === 'door') return list;
    return list
      .map((it, i) => ({ it, i }))
      .sort((a, b) => Date.parse(a.it.dueAt) - Date.parse(b.it.dueAt) || a.i - b.i)
      .map((x) => x.it);
  }

  private outboxStatus(user: User) {
    return html`<outbox-status
      .sheets=${this.outbox.mine(user.id, this.roundId)}
      .photos=${this.photosKept.mine(user.id, { roundId: this.roundId })}
      .online=${this.outbox.online}
      .signedOut=${this.outbox.signedOut || this.photosKept.signedOut}
    ></outbox-status>`;
  }

  private keptNotice() {
    const k = this.kept;
    if (k === 'none') return nothing;
    if (k === 'saving') {
      return html`<p class="notice info" role="status">
        ${msg('正在把名单和照片存到手机上，存好后没有信号也能打分……', { id: 'panel.keeping' })}
      </p>`;
    }
    if (k.ok && k.queues > 0) {
      return html`<p class="notice success" role="status">
        ${msg('已存到手机：没有信号也能打开名单、照片和评分表。', { id: 'panel.kept' })}
      </p>`;
    }
    return html`<p class="notice warning" role="status">
      ${msg('名单还没能存到手机上。有网络时请再打开一次这一页。', { id: 'panel.keptFailed' })}
    </p>`;
  }

  private async keepOffline() {
    this.kept = 'saving';
    const result = await keepForOffline([scoringApi.inspectionsPath(this.roundId), SESSION_PATH]).catch(() => null);
    this.kept = result ?? 'none';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'panel-page': PanelPage;
  }
}
