import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, errorMessage, type Campaign, type Round, type RoundStatus } from '../api';
import { formatDateTime, formatRoundPeriod } from '../format';
import { entryStatusLabel, roundStatusLabel } from '../i18n/labels';
import { scoringApi, type ProgressItem } from '../scoring-api';
import { spreadCriteria } from '../score-explain';
import { sharedStyles } from '../styles/shared';
import { runsCampaign, type Session, sessionContext } from '../session';
import { confirmView, doneNote, emptyView, errorView, loadingView, refusalNote, runByTownNote } from '../views';
import './panel-manager';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';
import { scoreView, scoreViewStyles } from './score-summary';
import { zh } from '../i18n/server-text';

/** The campaign a round belongs to (its rubric names the criteria in English too). */
async function roundContext(villageId: string, roundId: string, signal: AbortSignal): Promise<{ campaign: Campaign; round: Round } | null> {
  const campaigns = await api.campaigns(villageId, signal);
  const rounds = await Promise.all(campaigns.map((c) => api.rounds(c.id, signal)));
  for (const [i, list] of rounds.entries()) {
    const round = list.find((r) => r.id === roundId);
    const campaign = campaigns[i];
    if (round && campaign) return { campaign, round };
  }
  return null;
}

/**
 * The cadre's view of a round's scoring (console tab 评分): per entry the sheets in against the
 * quorum, the explained score so far and "分差较大，请讨论" flags; closing scoring (截止评分) and
 * reopening it with a reason (重新开放评分); and the campaign's panels (考评组).
 */
@customElement('scoring-progress')
@localized()
export class ScoringProgress extends LitElement {
  static override styles = [
    sharedStyles,
    scoreViewStyles,
    css`
      :host {
        display: block;
      }
      ul.entries h3 {
        margin: 0 0 var(--cy-space-1);
        overflow-wrap: anywhere;
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1) var(--cy-space-2);
        align-items: center;
        margin-bottom: var(--cy-space-2);
      }
      .meter {
        margin-bottom: var(--cy-space-3);
      }
      .badge.ready {
        background: var(--cy-color-success-bg);
        color: var(--cy-color-success-text);
      }
      .badge.short {
        background: var(--cy-color-warning-bg);
        color: var(--cy-color-warning-text);
      }
      details > summary {
        min-height: 48px;
        display: flex;
        align-items: center;
        cursor: pointer;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';
  @property({ attribute: 'round-id' }) roundId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private busy = false;
  @state() private confirmingClose = false;
  @state() private note = '';
  @state() private error = '';
  /** Entries whose members' sheets the cadre has opened (loaded only then). */
  @state() private sheetsOpen = new Set<string>();

  @query('reason-dialog') private reasonDialog!: ReasonDialog;

  private context = new Task(this, {
    task: ([villageId, roundId], { signal }) => roundContext(villageId, roundId, signal),
    args: () => [this.villageId, this.roundId] as const,
  });

  private progress = new Task(this, {
    task: ([roundId], { signal }) => scoringApi.progress(roundId, signal),
    args: () => [this.roundId] as const,
  });

  override render() {
    return this.context.render({
      initial: () => loadingView(),
      pending: () => (this.context.value ? this.body(this.context.value.campaign, this.context.value.round) : loadingView()),
      error: (e) => errorView(e, () => void this.context.run()),
      complete: (ctx) => (ctx ? this.body(ctx.campaign, ctx.round) : emptyView(msg('没有找到这一轮评比。', { id: 'progress.noRound' }))),
    });
  }

  private body(c: Campaign, r: Round) {
    return html`
      <p class="line">
        <strong>${zh(c.title)} · ${formatRoundPeriod(r)}</strong>
        <span class="badge ${r.status}">${roundStatusLabel(r.status, r.endsAt)}</span>
      </p>
      ${doneNote(this.note)}
      ${refusalNote(this.error)}
      ${!runsCampaign(this.session?.user, c) ? runByTownNote(c) : c.status === 'open' ? this.actions(r) : nothing}
      ${this.progress.render({
        initial: () => loadingView(),
        pending: () => (this.progress.value ? this.entries(c, this.progress.value) : loadingView()),
        error: (e) => errorView(e, () => void this.progress.run()),
        complete: (list) => this.entries(c, list),
      })}
      <section aria-labelledby="panels-heading">
        <h2 id="panels-heading">${msg('考评组', { id: 'panels.heading' })}</h2>
        <panel-manager campaign-id=${c.id} .runs=${runsCampaign(this.session?.user, c)}></panel-manager>
      </section>
      <reason-dialog
        heading=${msg('重新开放评分', { id: 'round.move.reopen' })}
        label=${msg('重新开放的原因', { id: 'round.reopen.reason' })}
        description=${msg('重新开放后，考评组可以修改已交的评分。原因会记入操作记录。', { id: 'round.reopen.description' })}
      ></reason-dialog>
    `;
  }

  /** What closing now would leave behind: courtyards short of their sheets (not ranked), members still out, spreads not talked over. */
  private closeWarnings(): string[] {
    const list = this.progress.value ?? [];
    const short = list.filter((e) => e.score.sheets < e.score.quorum);
    const out = list.filter((e) => e.waitingFor.length > 0);
    const spread = list.filter((e) => e.score.criteria.some((c) => c.spreadFlag));
    return [
      ...(short.length
        ? [msg(str`${short.map((e) => e.doorNumber).join('、')} 的评分表还不够最少份数，截止后不参加排名。`, { id: 'progress.close.short' })]
        : []),
      ...(out.length ? [msg(str`还有 ${out.length} 户有成员没交评分表。`, { id: 'progress.close.out' })] : []),
      ...(spread.length ? [msg(str`还有 ${spread.length} 户有分差较大的项目没讨论。`, { id: 'progress.close.spread' })] : []),
    ];
  }

  private actions(r: Round) {
    if (r.status === 'entries_open' || r.status === 'inspecting') {
      return html`<div class="card">
        ${this.confirmingClose
          ? confirmView({
              id: 'close-confirm',
              question: msg('确定截止评分吗？截止后考评组不能再打分或修改；要改需重新开放，并写明原因。', { id: 'progress.close.confirm' }),
              details: [
                ...(r.status === 'entries_open'
                  ? [msg(str`这一轮还在报名中（报名到 ${formatDateTime(r.endsAt)}）。现在截止评分，报名也随之截止，还没参评的家庭就不能再参加了。`, { id: 'progress.close.stillOpen' })]
                  : []),
                ...this.closeWarnings(),
              ],
              yes: msg('确定截止', { id: 'progress.close.yes' }),
              busy: this.busy,
              onYes: () => this.close(r),
              onNo: () => (this.confirmingClose = false),
            })
          : html`<p>${msg('所有庭院都评完后，截止评分，再计算结果。', { id: 'progress.close.lead' })}</p>
              <button type="button" class="btn primary" @click=${this.askClose}>${msg('截止评分', { id: 'round.move.scoring_closed' })}</button>`}
      </div>`;
    }
    if (r.status === 'scoring_closed') {
      return html`<div class="card">
        <p>${msg('评分已截止。需要修改评分时，可以重新开放，并写明原因。', { id: 'progress.reopen.lead' })}</p>
        <button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.reopen(r)}>${msg('重新开放评分', { id: 'round.move.reopen' })}</button>
      </div>`;
    }
    return nothing;
  }

  private entries(c: Campaign, list: ProgressItem[]) {
    if (!list.length) return emptyView(msg('这一轮还没有需要评分的庭院。', { id: 'progress.empty' }));
    const ready = list.filter((e) => e.score.sheets >= e.score.quorum).length;
    const discuss = list.filter((e) => e.score.criteria.some((x) => x.spreadFlag)).length;
    return html`
      <p>${msg(str`${list.length} 户需要评分：${ready} 户已收齐最少份数的评分，${discuss} 户有分差较大的项目需要讨论。`, { id: 'progress.summary' })}</p>
      <ul class="plain entries">
        ${list.map((e) => {
          const { sheets, quorum } = e.score;
          const spread = spreadCriteria(e.score, c.rubric);
          return html`<li class="card">
            <h3>${zh(`${e.doorNumber} · ${e.headName}`)}</h3>
            <p class="line">
              <span class="badge ${e.status}">${entryStatusLabel(e.status as Parameters<typeof entryStatusLabel>[0])}</span>
              <span class="badge ${sheets >= quorum ? 'ready' : 'short'}">${msg(str`已交 ${sheets}/${quorum} 份`, { id: 'panel.sheetsIn' })}</span>
              ${spread.length ? html`<span class="badge spread">${msg('分差较大，请讨论', { id: 'score.spread' })}</span>` : nothing}
              ${e.revisedSheets
                ? html`<span class="badge revised">${msg(str`${e.revisedSheets} 份看过其他成员评分后修改`, { id: 'progress.revised' })}</span>`
                : nothing}
            </p>
            <span class="meter" aria-hidden="true"><span style=${`width:${Math.min(100, (sheets / Math.max(1, quorum)) * 100)}%`}></span></span>
            ${e.waitingFor.length ? html`<p>${msg(str`还没交：${e.waitingFor.join('、')}`, { id: 'progress.waitingFor' })}</p>` : nothing}
            ${e.recusedBy.length ? html`<p class="muted">${msg(str`已回避：${e.recusedBy.join('、')}`, { id: 'progress.recusedBy' })}</p>` : nothing}
            ${scoreView(e.score, c.rubric)}
            ${sheets
              ? html`<details @toggle=${(ev: Event) => this.toggleSheets(e.entryId, (ev.target as HTMLDetailsElement).open)}>
                  <summary>${msg('看各成员的评分表', { id: 'progress.sheets' })}</summary>
                  ${this.sheetsOpen.has(e.entryId) ? html`<score-summary sheets-only entry-id=${e.entryId} .rubric=${c.rubric}></score-summary>` : nothing}
                </details>`
              : nothing}
          </li>`;
        })}
      </ul>
    `;
  }

  private toggleSheets(entryId: string, open: boolean) {
    const next = new Set(this.sheetsOpen);
    if (open) next.add(entryId);
    else next.delete(entryId);
    this.sheetsOpen = next;
  }

  private readonly askClose = async () => {
    this.confirmingClose = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#close-confirm')?.focus();
  };

  private async close(r: Round) {
    await this.move(r, async () => {
      // scoring closes from 实地核实中; a round still taking entries goes there first
      if (r.status === 'entries_open') await api.transitionRound(r.id, 'inspecting');
      await api.transitionRound(r.id, 'scoring_closed');
    }, 'scoring_closed');
    this.confirmingClose = false;
  }

  private async reopen(r: Round) {
    const reason = await this.reasonDialog.ask();
    if (!reason) return;
    await this.move(r, () => api.transitionRound(r.id, 'inspecting', reason), 'inspecting');
  }

  private async move(r: Round, run: () => Promise<unknown>, to: RoundStatus) {
    this.busy = true;
    this.note = '';
    this.error = '';
    try {
      await run();
      this.note = msg(str`${formatRoundPeriod(r)}已改为「${roundStatusLabel(to)}」。`, { id: 'round.moved' });
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
      await Promise.all([this.context.run(), this.progress.run()]);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scoring-progress': ScoringProgress;
  }
}
