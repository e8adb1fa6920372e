import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ApiError, type Criterion } from '../api';
import { formatDateTime } from '../format';
import { panelRoleLabel } from '../panel-state';
import { criterionName, explainCriterion, explainTotal, spreadCriteria } from '../score-explain';
import { scoringApi, type EntryScore, type ScoreSheet } from '../scoring-api';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView, photoFailed } from '../views';
import { zh } from '../i18n/server-text';

/** Styles for `scoreView` wherever it is rendered. */
export const scoreViewStyles = css`
  .score .total {
    font-weight: 700;
    font-size: var(--cy-font-size-lg);
  }
  .score ul.criteria {
    margin: 0 0 var(--cy-space-3);
    padding-left: 1.2em;
  }
  .score ul.criteria li {
    margin-bottom: var(--cy-space-1);
    overflow-wrap: anywhere;
  }
  ul.onsite {
    display: flex;
    flex-wrap: wrap;
    gap: var(--cy-space-2);
  }
  ul.onsite img {
    display: block;
    width: 88px;
    height: 88px;
    object-fit: cover;
    border-radius: var(--cy-radius-sm);
  }
  .badge.spread,
  .badge.revised {
    background: var(--cy-color-warning-bg);
    color: var(--cy-color-warning-text);
    border: 2px solid currentColor;
  }
`;

/**
 * An entry's score explained: the total (or why there is none yet), each criterion's mean and
 * how it was made, and "分差较大，请讨论" where members' points spread by more than half the
 * maximum. Needs `sharedStyles` and `scoreViewStyles` in the element that renders it.
 */
export function scoreView(score: EntryScore, rubric: readonly Criterion[] = []) {
  const spread = spreadCriteria(score, rubric);
  return html`<div class="score">
    <p class="total">${explainTotal(score)}</p>
    ${score.failedChecks && !score.disqualified
      ? html`<p>${msg(str`${score.failedChecks} 份评分表认为实地核实未通过（未过半数）。`, { id: 'score.failedChecks' })}</p>`
      : nothing}
    ${score.sheets
      ? html`<ul class="criteria">
          ${score.criteria.map(
            (c) => html`<li>
              ${explainCriterion(c, rubric)}
              ${c.spreadFlag ? html`<span class="badge spread">${msg('分差较大，请讨论', { id: 'score.spread' })}</span>` : nothing}
            </li>`,
          )}
        </ul>`
      : nothing}
    ${spread.length
      ? html`<p class="notice warning">${msg(str`${spread.join('、')}：成员打分相差超过满分的一半，请考评组一起讨论。`, { id: 'score.spread.note' })}</p>`
      : nothing}
  </div>`;
}

/**
 * The panel's sheets for one entry and its score, for a member who has submitted their own (or
 * stepped aside), and for the cadre. The server refuses (403) before that; this says so in words.
 * A sheet changed after its member read the others' is marked so, with the reason and the
 * points from before.
 *
 * @fires sheets-loaded - the sheets arrived; `detail.sheets` is how many (a member who has read
 *   another's sheet now needs a reason to change their own)
 */
@customElement('score-summary')
@localized()
export class ScoreSummary extends LitElement {
  static override styles = [
    sharedStyles,
    scoreViewStyles,
    css`
      :host {
        display: block;
      }
      ul.sheets li {
        margin-bottom: var(--cy-space-3);
      }
      .sheet p {
        margin: 0 0 var(--cy-space-1);
        overflow-wrap: anywhere;
      }
      .sheet.revised {
        border-left: 6px solid var(--cy-color-warning-text);
      }
    `,
  ];

  @property({ attribute: 'entry-id' }) entryId = '';
  /** The rubric (for English criterion names). */
  @property({ attribute: false }) rubric: Criterion[] = [];
  /** Change it to load again (e.g. the time the member's sheet was sent). */
  @property({ type: Number }) refresh = 0;
  /** Only the members' sheets, where the score is already shown (the cadre's progress). */
  @property({ type: Boolean, attribute: 'sheets-only' }) sheetsOnly = false;

  private data = new Task(this, {
    task: ([id], { signal }) => scoringApi.sheets(id, signal),
    args: () => [this.entryId, this.refresh] as const,
    onComplete: ({ sheets }) => this.dispatchEvent(new CustomEvent('sheets-loaded', { detail: { sheets: sheets.length } })),
  });

  override render() {
    return this.data.render({
      initial: () => loadingView(),
      pending: () => (this.data.value ? this.body(this.data.value.sheets, this.data.value.score) : loadingView()),
      error: (e) =>
        e instanceof ApiError && e.status === 403
          ? html`<p class="notice info">${msg('您的评分送到后，就能在这里看到其他成员的评分。', { id: 'summary.afterMine' })}</p>`
          : errorView(e, () => void this.data.run()),
      complete: ({ sheets, score }) => this.body(sheets, score),
    });
  }

  private body(sheets: ScoreSheet[], score: EntryScore) {
    return html`${this.sheetsOnly ? nothing : scoreView(score, this.rubric)}
      <h3>${msg(str`各成员的评分表（${sheets.length} 份）`, { id: 'summary.sheets' })}</h3>
      <ul class="plain sheets">
        ${sheets.map(
          (s) => html`<li class="card sheet ${s.revisedAfterViewing ? 'revised' : ''}">
            <p><strong>${msg(html`${zh(s.member)}（${panelRoleLabel(s.role)}）`, { id: 'summary.member' })}</strong> ·
              ${this.checkLabel(s.passed)}</p>
            <p>${this.pointsLine(s.points)}</p>
            ${s.comment ? html`<p class="muted">${msg('说明：', { id: 'summary.comment' })}${zh(s.comment)}</p>` : nothing}
            ${s.photos.length
              ? html`<ul class="plain onsite" aria-label=${msg('现场照片', { id: 'summary.onsite' })}>
                  ${s.photos.map(
                    (p, i) => html`<li>
                      <a href=${p.displayUrl} target="_blank" rel="noopener"><img src=${p.thumbUrl} @error=${photoFailed} alt=${msg(str`${s.member}的现场照片 ${i + 1}`, { id: 'summary.onsiteAlt' })} /></a>
                    </li>`,
                  )}
                </ul>`
              : nothing}
            ${s.revisedAfterViewing ? this.revision(s.revisedAfterViewing) : nothing}
          </li>`,
        )}
      </ul>`;
  }

  private checkLabel(passed: boolean) {
    return passed ? msg('实地核实通过', { id: 'summary.passed' }) : html`<strong>${msg('实地核实不通过', { id: 'summary.failed' })}</strong>`;
  }

  private pointsLine(points: Record<string, number>) {
    return this.rubric.map((c) => `${criterionName(c)} ${points[c.key] ?? '—'}`).join(' · ');
  }

  /** 看过其他成员评分后修改: when, why, and the sheet as it was before the member saw the others. */
  private revision(r: NonNullable<ScoreSheet['revisedAfterViewing']>) {
    return html`<div class="revision">
      <p><span class="badge revised">${msg('看过其他成员评分后修改', { id: 'summary.revised' })}</span> ${formatDateTime(r.at)}</p>
      <p>${msg('修改原因：', { id: 'summary.revised.reason' })}${zh(r.reason)}</p>
      <p class="muted">${msg('看其他成员评分前：', { id: 'summary.revised.original' })}${this.checkLabel(r.original.passed)} · ${this.pointsLine(r.original.points)}${r.original.comment
          ? html` · ${msg('说明：', { id: 'summary.comment' })}${zh(r.original.comment)}`
          : nothing}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'score-summary': ScoreSummary;
  }
}
