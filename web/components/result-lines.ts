import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { criterionName } from '../score-explain';
import { halfYearDetail, plateUrls, type ResultLine, type ResultSet } from '../results-api';
import { awardLabel, isWinner, orderLines, resultStyles, spansVillages, starsView } from '../results-view';
import { formatShortMonth } from '../format';
import { panelRoleLabel } from '../panel-state';
import { sharedStyles } from '../styles/shared';
import { photoFailed } from '../views';
import { entryNumberLabel } from '../entries';
import { zh } from '../i18n/server-text';

/**
 * The lines of a result, winners first: cover photo, 陈家庭院, the award or star level, the
 * total and every criterion's mean, the reason sentence, and under "评分明细" each panel
 * member's marks (as A, B, C…). Lines taken out by an upheld objection say why.
 */
@customElement('result-lines')
@localized()
export class ResultLines extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li.line {
        display: grid;
        grid-template-columns: 112px 1fr;
        gap: var(--cy-space-2) var(--cy-space-3);
        padding: var(--cy-space-3);
      }
      li.line.no-cover {
        grid-template-columns: 1fr;
      }
      li.line.winner {
        border-color: var(--cy-color-primary);
        border-width: 2px;
      }
      .cover {
        display: block;
        width: 112px;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        border-radius: var(--cy-radius-sm);
        background: var(--cy-color-border-soft);
      }
      .head {
        min-width: 0;
      }
      .name {
        font-size: var(--cy-font-size-xl);
        font-weight: 700;
        line-height: 1.3;
        margin: 0;
      }
      /* the family's name opens its entry: a finger's height to tap, not the text's */
      .name a {
        display: inline-block;
        padding: var(--cy-space-2) 0;
      }
      .rank {
        color: var(--cy-color-text-muted);
        font-weight: 600;
      }
      .award {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-1) var(--cy-space-2);
        margin: var(--cy-space-1) 0 0;
      }
      .total {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
      }
      .full {
        grid-column: 1 / -1;
        min-width: 0;
      }
      dl.criteria {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0 var(--cy-space-3);
        margin: 0 0 var(--cy-space-2);
      }
      dl.criteria dt {
        color: var(--cy-color-text-muted);
      }
      dl.criteria dd {
        margin: 0;
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      .reason {
        margin: 0 0 var(--cy-space-2);
      }
      details ul {
        margin: 0;
        padding-left: 1.2em;
      }
      .excluded {
        margin: 0 0 var(--cy-space-2);
      }
      .months {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1);
        list-style: none;
        padding: 0;
        margin: 0 0 var(--cy-space-2);
      }
      .months li {
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius-sm);
        padding: 0 var(--cy-space-2);
        font-size: var(--cy-font-size-sm);
      }
      .months li.won {
        background: var(--cy-color-primary-soft);
        border-color: var(--cy-color-primary);
      }
      h2 {
        margin-top: var(--cy-space-5);
      }
    `,
  ];

  /** The result whose lines are shown. */
  @property({ attribute: false }) result: ResultSet | null = null;

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const byRank = orderLines(r.lines);
    const winners = byRank.filter(isWinner);
    const others = byRank.filter((l) => !isWinner(l));
    const several = spansVillages(r.lines);
    return html`
      <h2 id="winners-h">
        ${r.kind === 'half_year' ? msg('星级庭院', { id: 'result.starCourtyards' }) : msg('获评庭院', { id: 'result.winners' })}
        <span class="muted">${msg(str`（${winners.length} 户）`, { id: 'result.count' })}</span>
      </h2>
      ${winners.length
        ? html`<ol aria-labelledby="winners-h">${winners.map((l) => this.line(r, l, true, several))}</ol>`
        : html`<p class="notice info">${msg('这一期没有获评的庭院。', { id: 'result.noWinners' })}</p>`}
      ${others.length
        ? html`<h2 id="others-h">${msg('其他参评庭院', { id: 'result.others' })} <span class="muted">${msg(str`（${others.length} 户）`, { id: 'result.count' })}</span></h2>
            <ol aria-labelledby="others-h">${others.map((l) => this.line(r, l, false, several))}</ol>`
        : nothing}
    `;
  }

  /** `several`: the result spans villages, so each line names its own. */
  private line(r: ResultSet, l: ResultLine, winner: boolean, several: boolean) {
    // the name is the heading beside it: the photo needs no words of its own
    const cover = l.coverUrl ? html`<img class="cover" src=${l.coverUrl} alt="" loading="lazy" width="112" height="84" @error=${photoFailed} />` : nothing;
    const months = halfYearDetail(l);
    return html`<li class="card line ${winner ? 'winner' : ''} ${l.coverUrl ? '' : 'no-cover'}">
      ${l.coverUrl && l.entryId ? html`<a href=${`/entries/${encodeURIComponent(l.entryId)}`} tabindex="-1" aria-hidden="true">${cover}</a>` : cover}
      <div class="head">
        ${l.rank ? html`<span class="rank">${msg(str`第 ${l.rank} 名`, { id: 'result.rank' })}</span>` : nothing}
        <h3 class="name">
          ${l.entryId ? html`<a href=${`/entries/${encodeURIComponent(l.entryId)}`}>${zh(l.householdLabel)}</a>` : zh(l.householdLabel)}
          ${l.entryNumber ? html`<span class="number">${entryNumberLabel(l.entryNumber)}</span>` : nothing}
          ${several ? html`<span class="number">${zh(l.village.name)}</span>` : nothing}
        </h3>
        <p class="award">
          <span class="badge ${l.excludedReason ? 'excluded' : winner ? 'awarded' : ''}">${awardLabel(l, r.kind)}</span>
          ${starsView(l.excludedReason ? 0 : l.stars)}
        </p>
        ${l.total
          ? html`<p class="total">
              ${r.kind === 'half_year' ? msg(str`平均分 ${l.total}`, { id: 'result.mean' }) : msg(str`总分 ${l.total}`, { id: 'result.total' })}
            </p>`
          : nothing}
      </div>
      <div class="full">
        ${l.excludedReason
          ? html`<p class="notice error excluded">${msg('因异议成立被取消：', { id: 'result.excludedBecause' })}${zh(l.excludedReason)}</p>`
          : html`<p class="reason">${zh(l.reason)}</p>`}
        ${months
          ? html`<ul class="months" aria-label=${msg('各月结果', { id: 'result.months' })}>
              ${months.months.map(
                (m) => html`<li class=${m.awarded ? 'won' : ''}>
                  ${formatShortMonth(m.period)} ${m.total ?? '—'}${m.awarded ? html` ✓<span class="visually-hidden">${msg('获评', { id: 'result.monthWon' })}</span>` : nothing}
                </li>`,
              )}
            </ul>`
          : nothing}
        ${l.plate
          ? l.plate.status !== 'revoked'
            ? html`<p><a class="btn" href=${plateUrls.page(l.plate.serial)}>${msg('查看荣誉门牌', { id: 'result.plate' })}</a></p>`
            : html`<p><span class="badge excluded">${msg('门牌已撤销', { id: 'result.plateRevoked' })}</span> <a class="btn" href=${plateUrls.page(l.plate.serial)}>${msg('看撤销原因', { id: 'result.plateRevoked.why' })}</a></p>`
          : nothing}
        ${typeof l.detail['explanation'] === 'string' ? html`<p class="muted">${l.detail['explanation']}</p>` : nothing}
        ${l.criteria.length
          ? html`<dl class="criteria">
              ${l.criteria.map((c) => html`<dt>${criterionName(c)}</dt><dd>${c.mean} / ${c.max}</dd>`)}
            </dl>`
          : nothing}
        ${l.marks.length
          ? html`<details>
              <summary>${msg(str`评分明细（${l.sheets} 份评分表）`, { id: 'result.marks' })}</summary>
              <ul>
                ${l.marks.map(
                  (m) => html`<li>
                    ${msg(str`评委 ${m.member}（${panelRoleLabel(m.role)}）`, { id: 'result.member' })}：
                    ${m.passed ? msg('核实通过', { id: 'result.mark.passed' }) : msg('核实未通过', { id: 'result.mark.failed' })}；
                    ${l.criteria.map((c) => `${criterionName(c)} ${m.points[c.key] ?? '—'}`).join('、')}
                  </li>`,
                )}
              </ul>
            </details>`
          : nothing}
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'result-lines': ResultLines;
  }
}
