import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { briefPageUrl, plateUrls, resultsApi, type VillageHonors } from '../results-api';
import { resultHeading, resultStatusLabel, resultStyles, starLevelLabel, starsView } from '../results-view';
import { sharedStyles } from '../styles/shared';
import { photoFailed } from '../views';
import { entryNumberLabel } from '../entries';
import { formatResultPeriod } from '../format';
import { zh } from '../i18n/server-text';

/**
 * A village's honours on its home page: the winners wall (monthly winners with their photo),
 * the star courtyards (each with its plate's verification page), and the published results of
 * its campaigns. Loaded after the page itself, so the gallery comes first on a slow connection.
 */
@customElement('village-honors')
@localized()
export class VillageHonorsView extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      ul.wall {
        list-style: none;
        margin: 0 0 var(--cy-space-3);
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
        gap: var(--cy-space-3);
      }
      ul.wall a {
        display: block;
        height: 100%;
        background: var(--cy-color-surface);
        border: 2px solid var(--cy-color-primary);
        border-radius: var(--cy-radius);
        overflow: hidden;
        color: inherit;
        text-decoration: none;
      }
      ul.wall img,
      ul.wall .no-photo {
        display: block;
        width: 100%;
        height: auto;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        background: var(--cy-color-border-soft);
      }
      ul.wall .body {
        display: block;
        padding: var(--cy-space-2) var(--cy-space-3);
      }
      ul.wall .name {
        display: block;
        font-weight: 700;
        font-size: var(--cy-font-size-lg);
        color: var(--cy-color-link);
      }
      ul.stars-list li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-1) var(--cy-space-3);
        padding: var(--cy-space-2) 0;
        border-bottom: 1px solid var(--cy-color-border-soft);
      }
      ul.stars-list a {
        font-weight: 700;
        min-height: var(--cy-touch-target);
        display: inline-flex;
        align-items: center;
      }
      ul.results li a {
        display: inline-flex;
        align-items: center;
        min-height: var(--cy-touch-target);
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';

  private honors = new Task(this, {
    task: ([id], { signal }) => resultsApi.honors(id, signal),
    args: () => [this.villageId] as const,
  });

  override render() {
    // honours are extra: if they fail to load, the rest of the page is still useful
    const h = this.honors.value;
    const links = h?.published ?? [];
    return html`
      ${h?.winners.length ? this.wall(h) : nothing}
      ${h?.stars.some((s) => s.status === 'issued') ? this.starList(h) : nothing}
      ${links.length
        ? html`<section aria-labelledby="results-h">
            <h2 id="results-h">${msg('评比结果公示', { id: 'honors.results' })}</h2>
            ${links.map(
              ({ campaignId, campaignTitle, results }) => html`<h3>${zh(campaignTitle)}</h3>
                <ul class="results">
                  ${results.map(
                    (r) => html`<li>
                      <a href=${briefPageUrl(campaignId, r)}>${resultHeading(r, 'beside_title')}</a>
                      <span class="badge ${r.status}">${resultStatusLabel(r.status)}</span>
                    </li>`,
                  )}
                </ul>`,
            )}
          </section>`
        : nothing}
    `;
  }

  /** The latest month's winners as photo cards; earlier months as a list under 往期. */
  private wall(h: VillageHonors) {
    const periods = [...new Set(h.winners.map((w) => w.period))].sort().reverse();
    const latest = periods[0]!;
    const now = h.winners.filter((w) => w.period === latest);
    const earlier = periods.slice(1);
    // A month's 编号 belongs to that month's round; shown beside this month's gallery it would
    // give one family two numbers, so it is shown only to tell apart two winners of one name.
    const numberOf = (list: typeof now, w: (typeof now)[number]) => (list.filter((o) => o.householdLabel === w.householdLabel).length > 1 ? entryNumberLabel(w.entryNumber) : '');
    return html`<section aria-labelledby="wall-h">
      <h2 id="wall-h">${msg('光荣榜', { id: 'honors.wall' })} · ${now[0] ? formatResultPeriod({ ...now[0], kind: 'round' }) : ''}</h2>
      ${now.some((w) => !w.final)
        ? html`<p class="hint">${msg(str`${now[0] ? formatResultPeriod({ ...now[0], kind: 'round' }) : ''}的结果还在公示期，有人提出异议并成立的话，名单还可能变动。`, { id: 'honors.provisional' })}</p>`
        : nothing}
      <ul class="wall">
        ${now.map((w) => {
          const n = numberOf(now, w);
          const body = html`${w.coverUrl
              ? html`<img src=${w.coverUrl} alt="" loading="lazy" width="150" height="112" @error=${photoFailed} />`
              : html`<span class="no-photo" aria-hidden="true"></span>`}
            <span class="body">
              <span class="name">${zh(w.householdLabel)}${n ? html` <span class="number">${n}</span>` : nothing}</span>
              ${w.total ? msg(str`${w.total} 分`, { id: 'honors.points' }) : nothing}
              ${starsView(w.stars)}
            </span>`;
          return html`<li>${w.entryId ? html`<a href=${`/entries/${encodeURIComponent(w.entryId)}`}>${body}</a>` : html`<div class="card">${body}</div>`}</li>`;
        })}
      </ul>
      ${earlier.length
        ? html`<details>
            <summary>${msg('往期光荣榜', { id: 'honors.earlier' })}</summary>
            <ul>
              ${earlier.map((p) => {
                const list = h.winners.filter((w) => w.period === p);
                return html`<li>${list[0] ? formatResultPeriod({ ...list[0], kind: 'round' }) : ''}：${list.map((w, i) => {
                  const n = numberOf(list, w);
                  return html`${i ? '、' : ''}${zh(w.householdLabel)}${n ? `（${n}）` : ''}`;
                })}</li>`;
              })}
            </ul>
          </details>`
        : nothing}
    </section>`;
  }

  private starList(h: VillageHonors) {
    return html`<section aria-labelledby="stars-h">
      <h2 id="stars-h">${msg('星级庭院', { id: 'result.starCourtyards' })}</h2>
      <ul class="plain stars-list">
        ${h.stars.filter((s) => s.status === 'issued').map(
          (s) => html`<li>
            <a href=${plateUrls.page(s.serial)}>${zh(s.householdLabel)}</a>
            ${starsView(s.stars)}
            <span class="muted">${s.title ? zh(s.title) : starLevelLabel(s.stars)}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'village-honors': VillageHonorsView;
  }
}
