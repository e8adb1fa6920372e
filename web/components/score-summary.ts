import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ApiError, type Criterion } from '../api';
import { panelRoleLabel } from '../panel-state';
import { criterionName, explainCriterion, explainTotal, spreadCriteria } from '../score-explain';
import { scoringApi, type EntryScore, type ScoreSheet } from '../scoring-api';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView } from '../views';

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
  .badge.spread {
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
 * stepped aside). The server refuses (403) before that; this says so in words.
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
    `,
  ];

  @property({ attribute: 'entry-id' }) entryId = '';
  /** The rubric (for English criterion names). */
  @property({ attribute: false }) rubric: Criterion[] = [];
  /** Change it to load again (e.g. the time the member's sheet was sent). */
  @property({ type: Number }) refresh = 0;

  private data = new Task(this, {
    task: ([id], { signal }) => scoringApi.sheets(id, signal),
    args: () => [this.entryId, this.refresh] as const,
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
    return html`${scoreView(score, this.rubric)}
      <h3>${msg(str`各成员的评分表（${sheets.length} 份）`, { id: 'summary.sheets' })}</h3>
      <ul class="plain sheets">
        ${sheets.map(
          (s) => html`<li class="card sheet">
            <p><strong>${msg(str`${s.member}（${panelRoleLabel(s.role)}）`, { id: 'summary.member' })}</strong> ·
              ${s.passed ? msg('实地核实通过', { id: 'summary.passed' }) : html`<strong>${msg('实地核实不通过', { id: 'summary.failed' })}</strong>`}</p>
            <p>${this.rubric.map((c) => `${criterionName(c)} ${s.points[c.key] ?? '—'}`).join(' · ')}</p>
            ${s.comment ? html`<p class="muted">${msg('说明：', { id: 'summary.comment' })}${s.comment}</p>` : nothing}
          </li>`,
        )}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'score-summary': ScoreSummary;
  }
}
