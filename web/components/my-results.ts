import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { formatDate, formatDateTime, formatResultPeriod } from '../format';
import { briefPageUrl, plateUrls, resultsApi, type MyResult, type MyResults } from '../results-api';
import { awardLabel, isWinner, resultStatusLabel, resultStyles, rewardView, starsView } from '../results-view';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView, shortList } from '../views';
import './objection-list';
import { zh } from '../i18n/server-text';

/**
 * My household's results (period, award or stars, total, the reason, the plate) and the
 * objections I filed, with how they were settled.
 */
@customElement('my-results')
@localized()
export class MyResultsList extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      li.card h3 {
        margin: 0 0 var(--cy-space-1);
      }
      .badge.paid {
        background: var(--cy-color-success-bg);
        color: var(--cy-color-success-text);
      }
      .award {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2);
      }
    `,
  ];

  private data = new Task(this, {
    task: (_args, { signal }) => resultsApi.myResults(signal),
    args: () => [] as const,
  });

  override render() {
    return this.data.render({
      initial: () => loadingView(),
      pending: () => (this.data.value ? this.body(this.data.value) : loadingView()),
      error: (e) => errorView(e, () => void this.data.run()),
      complete: (d) => this.body(d),
    });
  }

  private body(d: MyResults) {
    return html`
      <section aria-labelledby="my-results-h">
        <h2 id="my-results-h">${msg('我家的评比结果', { id: 'myResults.heading' })}</h2>
        ${d.results.length
          ? shortList(d.results, {
              keep: 3,
              item: (r) => this.item(r),
              // a result still open to objections, or one that earned the family a plate, is never folded away
              always: (r) => r.objectionsOpen || !!r.plate,
              more: (n) => msg(str`显示更早的 ${n} 个结果`, { id: 'myResults.more' }),
            })
          : html`<p class="notice info">${msg('还没有公示的结果。结果公示后会显示在这里。', { id: 'myResults.none' })}</p>`}
      </section>
      ${d.objections.length
        ? html`<section aria-labelledby="my-objections-h">
            <h2 id="my-objections-h">${msg('我的异议', { id: 'objection.mine' })}</h2>
            <objection-list mode="mine" .objections=${d.objections} @objection-changed=${() => void this.data.run()}></objection-list>
          </section>`
        : nothing}
    `;
  }

  /** What the household earned here, and whether the village has handed it over. */
  private reward(w: NonNullable<MyResult['reward']>) {
    return html`<p class="reward">
      ${msg('奖励：', { id: 'myResults.reward' })}<strong>${rewardView(w)}</strong>
      ${w.status === 'paid'
        ? html`<span class="badge paid">${msg(str`${formatDate(`${w.paidOn}T12:00:00+08:00`)}已发放`, { id: 'myResults.rewardPaid' })}</span>`
        : html`<span class="badge">${msg('待发放', { id: 'rewards.pending' })}</span>`}
    </p>`;
  }

  private item(r: MyResult) {
    const l = r.line;
    const period = formatResultPeriod(r, 'beside_title');
    return html`<li class="card">
      <h3><a href=${briefPageUrl(r.campaignId, r)}>${period}${period && r.campaignTitle ? ' · ' : ''}${zh(r.campaignTitle)}</a></h3>
      <p class="award">
        <span class="badge ${isWinner(l) ? 'awarded' : ''}">${awardLabel(l, r.kind)}</span>
        ${starsView(l.excludedReason ? 0 : l.stars)}
        ${l.total
          ? html`<strong>${r.kind === 'half_year' ? msg(str`平均分 ${l.total}`, { id: 'result.mean' }) : msg(str`总分 ${l.total}`, { id: 'result.total' })}</strong>`
          : nothing}
        <span class="badge ${r.status}">${resultStatusLabel(r.status)}</span>
      </p>
      ${l.excludedReason
        ? html`<p class="notice error">${msg('因异议成立被取消：', { id: 'result.excludedBecause' })}${zh(l.excludedReason)}</p>`
        : html`<p>${zh(l.reason)}</p>`}
      ${r.objectionsOpen ? html`<p class="muted">${msg(str`公示到 ${formatDateTime(r.objectionDeadline)}`, { id: 'myResults.until' })}</p>` : nothing}
      ${r.reward ? this.reward(r.reward) : nothing}
      ${r.plate
        ? html`<p>
            <a class="btn" href=${plateUrls.page(r.plate.serial)}>${msg('我家的荣誉门牌', { id: 'myResults.plate' })}</a>
          </p>`
        : nothing}
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'my-results': MyResultsList;
  }
}
