import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage, type Campaign, type Round, type RoundStatus } from '../api';
import '../components/reason-dialog';
import type { ReasonDialog } from '../components/reason-dialog';
import { formatDateRange, formatDateTime, formatRoundPeriod, formatYuan } from '../format';
import { campaignFormatLabel, campaignStatusLabel, roundStatusLabel } from '../i18n/labels';
import { currentLocale } from '../i18n/localization';
import { goToSignIn } from '../router';
import { isStaff, managesVillage, runsCampaign, type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { confirmView, doneNote, errorView, loadingView, refusalNote, runByTownNote } from '../views';
import { zh } from '../i18n/server-text';

/** A move a cadre makes from this page (mirrors server/domain/rounds.ts ROUND_EDGES, `via: transition`). */
interface RoundMove {
  to: RoundStatus;
  label: () => string;
  needsReason: boolean;
}

const MOVES: Partial<Record<RoundStatus, RoundMove[]>> = {
  entries_open: [{ to: 'inspecting', label: () => msg('开始实地核实', { id: 'round.move.inspecting' }), needsReason: false }],
  inspecting: [{ to: 'scoring_closed', label: () => msg('截止评分', { id: 'round.move.scoring_closed' }), needsReason: false }],
  scoring_closed: [{ to: 'inspecting', label: () => msg('重新开放评分', { id: 'round.move.reopen' }), needsReason: true }],
};

/**
 * One campaign in the console: its settings, opening and closing it, and moving each round
 * along its lifecycle (报名中 → 实地核实中 → 评分已截止; reopening scoring needs a reason).
 */
@customElement('console-campaign-page')
@localized()
export class ConsoleCampaignPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .status-line {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-2);
        align-items: center;
        margin-bottom: var(--cy-space-3);
      }
      ol.rounds {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ol.rounds h3 {
        margin: 0 0 var(--cy-space-1);
      }
    `,
  ];

  /** The campaign's id, from the address. */
  @property({ attribute: false }) campaignId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private busy = '';
  @state() private note = '';
  @state() private error: { where: string; message: string } | null = null;
  @state() private confirmingClose = false;

  @query('reason-dialog') private reasonDialog!: ReasonDialog;

  private data = new Task(this, {
    task: ([id], { signal }) => api.campaign(id, signal),
    args: () => [this.campaignId] as const,
  });

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) goToSignIn(`/console/campaigns/${encodeURIComponent(this.campaignId)}`);
  }

  override render() {
    const s = this.session;
    const fallbackTitle = html`<h1>${msg('评比活动', { id: 'title.campaign' })}</h1>`;
    if (!s?.ready || !s.user) return html`${fallbackTitle}${loadingView()}`;
    if (!isStaff(s.user)) {
      return html`${fallbackTitle}
        <p class="notice info">${msg('这里是村干部、镇管理员和网格员用的管理后台，您的账号没有管理权限。', { id: 'console.noPermission' })}</p>`;
    }
    return this.data.render({
      initial: () => html`${fallbackTitle}${loadingView()}`,
      pending: () => (this.data.value ? this.page(this.data.value.campaign, this.data.value.rounds) : html`${fallbackTitle}${loadingView()}`),
      error: (e) =>
        e instanceof ApiError && e.status === 404
          ? html`${fallbackTitle}
              <p class="notice error">${msg('没有找到这个活动，可能已被删除或地址写错了。', { id: 'campaign.notFound' })}</p>
              <p><a class="btn" href="/console">${msg('返回管理后台', { id: 'campaign.back' })}</a></p>`
          : html`${fallbackTitle}${errorView(e, () => void this.data.run())}`,
      complete: ({ campaign, rounds }) => this.page(campaign, rounds),
    });
  }

  private page(c: Campaign, rounds: Round[]) {
    // the console of a village this person manages: of a town campaign, their own village's
    const village = c.villages.find((v) => managesVillage(this.session?.user, v)) ?? c.villages[0];
    const back = village ? `/console?village=${encodeURIComponent(village.id)}&tab=campaigns` : '/console';
    return html`
      <a class="back" href=${back}>← ${msg('返回管理后台', { id: 'campaign.back' })}</a>
      <h1>${zh(c.title)}</h1>
      <div class="status-line">
        <span class="badge ${c.status}">${campaignStatusLabel(c.status)}</span>
        <span>${campaignFormatLabel(c.format)}</span>
      </div>
      ${doneNote(this.note)}
      ${refusalNote(this.error?.where === 'campaign' ? this.error.message : null)}
      ${runsCampaign(this.session?.user, c) ? this.campaignActions(c) : runByTownNote(c)}
      ${this.facts(c)}
      <h2>${msg('评比轮次', { id: 'campaign.rounds' })}</h2>
      ${rounds.length
        ? html`<ol class="rounds">${rounds.map((r) => this.roundItem(c, r))}</ol>`
        : html`<p class="notice info">${msg('这个活动还没有轮次。', { id: 'campaign.noRounds' })}</p>`}
      ${village
        ? html`<p>
            <a class="btn" href=${`/console?village=${encodeURIComponent(village.id)}&tab=results`}>${runsCampaign(this.session?.user, c)
                ? msg('计算、公示和定稿结果', { id: 'campaign.toResults' })
                : msg('查看结果', { id: 'campaign.toResultsReadOnly' })}</a
            >
          </p>`
        : nothing}
      <reason-dialog
        heading=${msg('重新开放评分', { id: 'round.move.reopen' })}
        label=${msg('重新开放的原因', { id: 'round.reopen.reason' })}
        description=${msg('重新开放后，考评组可以修改已交的评分。原因会记入操作记录。', { id: 'round.reopen.description' })}
      ></reason-dialog>
    `;
  }

  private campaignActions(c: Campaign) {
    const busy = this.busy === 'campaign';
    if (c.status === 'draft') {
      return html`<div class="card">
        <p>${msg('活动还是草稿，村民看不到。检查无误后请开启活动。', { id: 'campaign.draft.text' })}</p>
        <button type="button" class="btn primary block" ?disabled=${busy} @click=${() => this.moveCampaign('open')}>
          ${msg('开启活动', { id: 'campaign.open' })}
        </button>
      </div>`;
    }
    if (c.status === 'open') {
      return html`<div class="card">
        ${this.confirmingClose
          ? confirmView({
              id: 'close-confirm',
              question: msg('确定要结束这个活动吗？结束后不能再开启。', { id: 'campaign.close.confirm' }),
              yes: msg('确定结束', { id: 'campaign.close.yes' }),
              danger: true,
              busy,
              onYes: () => this.moveCampaign('closed'),
              onNo: () => (this.confirmingClose = false),
            })
          : html`<button type="button" class="btn danger" @click=${this.askClose}>${msg('结束活动', { id: 'campaign.close' })}</button>`}
      </div>`;
    }
    return nothing;
  }

  private facts(c: Campaign) {
    const en = currentLocale() === 'en';
    return html`<dl class="facts">
      <dt>${msg('时间', { id: 'campaign.span' })}</dt>
      <dd>${formatDateRange(c.startsAt, c.endsAt)}</dd>
      <dt>${msg('参加的村', { id: 'campaignForm.villages' })}</dt>
      <dd>${zh(c.villages.map((v) => v.name).join('、'))}</dd>
      <dt>${msg('点赞门槛', { id: 'campaignForm.threshold' })}</dt>
      <dd>${c.likeThreshold > 0 ? c.likeThreshold : msg('不设门槛', { id: 'campaign.noThreshold' })}</dd>
      ${c.format === 'monthly'
        ? html`<dt>${msg('合格分', { id: 'campaignForm.passMark' })}</dt>
            <dd>${c.rules.passMark}</dd>
            <dt>${msg('每村名额', { id: 'campaignForm.quota' })}</dt>
            <dd>${c.rules.quotaPerVillage ?? msg('不限', { id: 'campaign.noQuota' })}</dd>`
        : nothing}
      <dt>${msg('评分表', { id: 'campaign.rubric' })}</dt>
      <dd>
        ${c.rubric.map((r) => `${en ? r.nameEn || r.name : r.name} ${r.max}`).join('、')}
        ${msg(str`（共 ${c.rubricTotal} 分）`, { id: 'campaign.rubricTotal' })}
      </dd>
      ${bandsOf(c).length
        ? html`<dt>${msg('星级分数线', { id: 'campaign.bands' })}</dt>
            <dd>${bandsOf(c).map((b) => msg(str`${b.stars} 星 ${b.minTotal} 分`, { id: 'campaign.band' })).join('、')}</dd>`
        : nothing}
      <dt>${msg('奖励', { id: 'campaignForm.rewards' })}</dt>
      <dd>${rewardsText(c)}</dd>
      <dt>${msg('公示天数', { id: 'consoleResults.days' })}</dt>
      <dd>${c.rules.objectionDays}</dd>
    </dl>`;
  }

  private roundItem(c: Campaign, r: Round) {
    const moves = c.status === 'closed' || !runsCampaign(this.session?.user, c) ? [] : (MOVES[r.status] ?? []);
    const busy = this.busy === r.id;
    return html`<li class="card">
      <h3>${formatRoundPeriod(r)}</h3>
      <p><span class="badge ${r.status}">${roundStatusLabel(r.status, r.endsAt)}</span></p>
      <p class="muted">${formatDateTime(r.startsAt)} – ${formatDateTime(r.endsAt)}</p>
      ${refusalNote(this.error?.where === r.id ? this.error.message : null)}
      ${moves.length
        ? html`<div class="btn-row">
            ${moves.map(
              (m) => html`<button
                type="button"
                class="btn ${m.needsReason ? '' : 'primary'}"
                ?disabled=${busy}
                @click=${() => this.moveRound(r, m)}
              >
                ${m.label()}
              </button>`,
            )}
          </div>`
        : nothing}
    </li>`;
  }

  private async askClose() {
    this.confirmingClose = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#close-confirm')?.focus();
  }

  private async moveCampaign(to: 'open' | 'closed') {
    this.busy = 'campaign';
    this.note = '';
    this.error = null;
    try {
      await api.transitionCampaign(this.campaignId, to);
      this.confirmingClose = false;
      this.note =
        to === 'open'
          ? msg('活动已开启，村民现在可以看到了。下一步：在管理后台的「评分」页组建考评组，由他们上门打分。', { id: 'campaign.opened' })
          : msg('活动已结束。', { id: 'campaign.closed' });
      await this.data.run();
    } catch (err) {
      this.error = { where: 'campaign', message: errorMessage(err) };
    } finally {
      this.busy = '';
    }
  }

  private async moveRound(r: Round, m: RoundMove) {
    let reason: string | undefined;
    if (m.needsReason) {
      const answer = await this.reasonDialog.ask();
      if (!answer) return;
      reason = answer;
    }
    this.busy = r.id;
    this.note = '';
    this.error = null;
    try {
      await api.transitionRound(r.id, m.to, reason);
      this.note = msg(str`${formatRoundPeriod(r)}已改为「${roundStatusLabel(m.to)}」。`, { id: 'round.moved' });
      await this.data.run();
    } catch (err) {
      this.error = { where: r.id, message: errorMessage(err) };
    } finally {
      this.busy = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-campaign-page': ConsoleCampaignPage;
  }
}

/** A single evaluation's star lines, highest first. */
function bandsOf(c: Campaign): Array<{ stars: number; minTotal: number }> {
  const rule = c.starRule as { kind?: string; bands?: Array<{ stars: number; minTotal: number }> } | null;
  return rule?.kind === 'bands' ? [...(rule.bands ?? [])].sort((a, b) => b.stars - a.stars) : [];
}

/** What the campaign's awards earn, in words: 每月获评 200.00 元、5 星 1000.00 元; or none. */
function rewardsText(c: Campaign): string {
  const { monthlyAward, byStars } = c.rules.rewards;
  const parts = [
    ...(monthlyAward?.fen ? [msg(str`每月获评 ${formatYuan(monthlyAward.fen)} 元`, { id: 'campaign.reward.monthly' })] : []),
    ...[...byStars].sort((a, b) => b.stars - a.stars).filter((r) => r.fen).map((r) => msg(str`${r.stars} 星 ${formatYuan(r.fen!)} 元`, { id: 'campaign.reward.stars' })),
  ];
  return parts.length ? parts.join('、') : msg('没有设奖励', { id: 'campaign.reward.none' });
}
