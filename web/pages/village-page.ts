import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, type CurrentRound, type Entry, type VillageCampaign, type VillageDetail } from '../api';
import '../components/campaign-list';
import '../components/round-gallery';
import { formatDateTime, formatRoundPeriod } from '../format';
import { roundStatusLabel } from '../i18n/labels';
import { type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { contentLoadingView, errorView, refusalNote } from '../views';
import { nameThisPage } from '../router';
import { RoundJoin } from '../round-join';
import { zh } from '../i18n/server-text';

/**
 * Public page of one village: for each open contest its current round's gallery (most liked
 * first) and, for a villager whose household is confirmed here, the way in ("我要参评").
 * No personal data.
 */
@customElement('village-page')
@localized()
export class VillagePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .place {
        color: var(--cy-color-text-muted);
      }
      section.contest {
        margin-bottom: var(--cy-space-6);
      }
      .round-line {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2);
        margin-bottom: var(--cy-space-2);
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

  /** The village's 12-digit code. */
  @property({ attribute: false }) villageId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  /** The round being entered right now, and what went wrong entering one. */
  private readonly joiner = new RoundJoin(this);

  private village = new Task(this, {
    task: ([id], { signal }) => api.village(id, signal),
    args: () => [this.villageId] as const,
  });

  /** My household's entries, when it is a confirmed household of this village (to offer "continue" instead of "enter"). */
  private mine = new Task(this, {
    task: ([userId, here], { signal }) => (userId && here ? api.myEntries(signal) : Promise.resolve([] as Entry[])),
    args: () => [this.session?.user?.id ?? '', this.isMyVillage()] as const,
  });

  private named = '';

  override updated() {
    const v = this.village.value;
    if (v && v.name !== this.named) nameThisPage(this, (this.named = v.name));
  }

  override render() {
    return this.village.render({
      initial: () => contentLoadingView(),
      pending: () => (this.village.value ? this.page(this.village.value) : html`<h1>${msg('村庄', { id: 'title.village' })}</h1>${contentLoadingView()}`),
      error: (e) =>
        e instanceof ApiError && e.status === 404
          ? html`<h1>${msg('没有找到这个村', { id: 'village.notFound' })}</h1>
              <p>${msg('这个村的地址可能写错了。请回到首页，重新选择镇和村。', { id: 'village.notFound.text' })}</p>
              <p><a class="btn primary" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`
          : html`<h1>${msg('村庄', { id: 'title.village' })}</h1>${errorView(e, () => void this.village.run())}`,
      complete: (v) => this.page(v),
    });
  }

  private page(v: VillageDetail) {
    // a contest whose round has begun (by the server's clock) gets its gallery; the rest are listed once below
    const running = v.campaigns.filter((c) => c.status === 'open' && c.currentRound?.begun);
    const others = v.campaigns.filter((c) => !running.includes(c));
    return html`
      <h1>${zh(v.name)}</h1>
      <p class="place">${zh(`${v.townName} · ${v.officialName}`)}</p>
      ${running.map((c) => this.contest(c, c.currentRound!))}
      <village-honors village-id=${v.id}></village-honors>
      ${others.length || !running.length
        ? html`<h2>${running.length ? msg('其他评比活动', { id: 'village.otherCampaigns' }) : msg('评比活动', { id: 'village.campaigns' })}</h2>
            <campaign-list
              .campaigns=${others}
              empty-text=${msg('本村现在还没有评比活动，请留意村里的通知。', { id: 'home.noCampaigns' })}
            ></campaign-list>`
        : nothing}
      <p><a class="btn" href="/">${msg('看看其他村', { id: 'village.others' })}</a></p>
    `;
  }

  override connectedCallback() {
    super.connectedCallback();
    // the winners wall and star courtyards come in their own small chunk, after the gallery
    void import('../components/village-honors');
  }

  private contest(c: VillageCampaign, r: CurrentRound) {
    const headingId = `contest-${c.id}`;
    return html`<section class="contest" aria-labelledby=${headingId}>
      <h2 id=${headingId}>${zh(c.title)}</h2>
      <p class="round-line">
        <span>${formatRoundPeriod(r)}</span>
        <span class="badge ${r.status}">${roundStatusLabel(r.status, r.endsAt)}</span>
        <span class="muted">${msg(str`截止：${formatDateTime(r.endsAt)}`, { id: 'village.roundEnds' })}</span>
      </p>
      <p class="hint">
        ${c.likeThreshold > 0
          ? msg(str`点赞满 ${c.likeThreshold} 个的庭院，就能进入实地核实。`, { id: 'village.thresholdHint' })
          : msg('不设点赞门槛：提交参评后就进入实地核实。', { id: 'village.noThresholdHint' })}
      </p>
      ${r.status === 'entries_open' ? this.cta(r) : nothing}
      <h3>${msg('参评庭院', { id: 'village.entries' })}</h3>
      <round-gallery round-id=${r.id}></round-gallery>
    </section>`;
  }

  /** The way in for this round, depending on who is looking. */
  private cta(r: CurrentRound) {
    const s = this.session;
    if (!s?.ready) return nothing;
    const user = s.user;
    const here = `/villages/${encodeURIComponent(this.villageId)}`;
    if (!user) {
      return html`<div class="card cta">
        <p>${msg('想让自家庭院参评？先用手机号登录。', { id: 'village.cta.signIn.text' })}</p>
        <a class="btn primary block" href=${`/login?next=${encodeURIComponent(here)}`}>${msg('登录后参评', { id: 'village.cta.signIn' })}</a>
      </div>`;
    }
    const h = user.household;
    if (!h) {
      return html`<div class="card cta">
        <p>${msg('先登记您的家庭，村干部确认后就能参评。', { id: 'village.cta.register.text' })}</p>
        <a class="btn primary block" href="/me">${msg('登记家庭后参评', { id: 'village.cta.register' })}</a>
      </div>`;
    }
    if (h.villageId !== this.villageId) return nothing;
    if (h.status === 'pending') {
      return html`<p class="notice warning">${msg('您的家庭登记还在等村干部确认，确认后就能参评。', { id: 'village.cta.pending' })}</p>`;
    }
    if (h.status === 'rejected') {
      return html`<p class="notice warning">
        ${msg('您的家庭登记没有通过，请先改正后重新登记。', { id: 'village.cta.rejected' })}
        <a href="/me">${msg('我的家庭', { id: 'nav.me' })}</a>
      </p>`;
    }
    const existing = this.mine.value?.find((e) => e.roundId === r.id && e.status !== 'withdrawn');
    if (existing) {
      return html`<div class="card cta">
        <p>${msg('您家已经参评本轮。', { id: 'village.cta.entered' })}</p>
        <div class="btn-row">
          <a class="btn primary" href=${`/entries/${encodeURIComponent(existing.id)}/edit`}>${msg('修改我的作品', { id: 'village.cta.edit' })}</a>
          ${existing.status !== 'draft'
            ? html`<a class="btn" href=${`/entries/${encodeURIComponent(existing.id)}`}>${msg('查看我的作品', { id: 'village.cta.view' })}</a>`
            : nothing}
        </div>
      </div>`;
    }
    const busy = this.joiner.joining === r.id || this.mine.status === TaskStatus.PENDING;
    return html`<div class="card cta">
      <p>${msg('拍几张自家庭院的照片，就能参加评比。', { id: 'village.cta.enter.text' })}</p>
      ${refusalNote(this.joiner.errorFor(r.id))}
      <button type="button" class="btn primary block" ?disabled=${busy} @click=${() => this.joiner.join(r.id)}>
        ${msg('我要参评', { id: 'village.cta.enter' })}
      </button>
    </div>`;
  }

  private isMyVillage(): boolean {
    const h = this.session?.user?.household;
    return !!h && h.status === 'confirmed' && h.villageId === this.villageId;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'village-page': VillagePage;
  }
}
