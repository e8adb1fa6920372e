import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../api';
import { formatShortMonth, halfYearLabel } from '../format';
import { resultsApi, type TownDashboard } from '../results-api';
import { resultStatusLabel, starLevelLabel } from '../results-view';
import { goToSignIn, navigate } from '../router';
import { type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView, waitingItems } from '../views';
import { zh } from '../i18n/server-text';

type VillageRow = TownDashboard['villages'][number];
type Cell = VillageRow['months'][number];

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const shortMonth = formatShortMonth;

const SERIES = [
  { key: 'entries', color: '#9cc5a8', label: () => msg('参评', { id: 'town.entries' }) },
  { key: 'qualified', color: '#1d6b3a', label: () => msg('达标', { id: 'town.qualified' }) },
  { key: 'awarded', color: '#b07d00', label: () => msg('获评', { id: 'town.awarded' }) },
] as const;

/**
 * The town dashboard (`/town/:townId`, town admins): for each village, month by month, how many
 * households entered, qualified and won, and the mean score — a small bar chart drawn inline
 * (no chart library) and the table with the same figures; the whole range as CSV.
 */
@customElement('town-page')
@localized()
export class TownPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      form.range {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-3);
        align-items: flex-end;
      }
      form.range .field {
        flex: 1 1 130px;
        margin: 0;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1) var(--cy-space-4);
        list-style: none;
        padding: 0;
        margin: 0 0 var(--cy-space-2);
      }
      .legend i {
        display: inline-block;
        width: 14px;
        height: 14px;
        margin-right: var(--cy-space-1);
        border-radius: 3px;
        vertical-align: -1px;
      }
      /* Drawn for a phone: on an office screen it keeps a phone's size, not a poster's (its labels grow with it). */
      svg.chart {
        display: block;
        width: 100%;
        max-width: 30rem;
        height: auto;
        margin-bottom: var(--cy-space-3);
      }
      .scroll {
        overflow-x: auto;
      }
      td.num,
      th.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      /* a two-character heading such as 获评 stays whole above its column */
      th.num {
        overflow-wrap: normal;
        word-break: keep-all;
      }
      ul.stars {
        padding-left: var(--cy-space-4);
      }
      ul.stars li {
        margin-bottom: var(--cy-space-2);
      }
      section.village h2 {
        margin-top: 0;
      }
      details p {
        margin: var(--cy-space-2) 0 0;
      }
    `,
  ];

  /** The town's code, from the address. */
  @property({ attribute: false }) townId = '';
  /** First and last month from the address ('' = the current half-year). */
  @property({ attribute: false }) from = '';
  @property({ attribute: false }) to = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  private data = new Task(this, {
    task: ([townId, from, to, userId], { signal }) => (userId ? resultsApi.dashboard(townId, from, to, signal) : Promise.resolve(null)),
    args: () => [this.townId, this.asked().from, this.asked().to, this.session?.user?.id ?? ''] as const,
  });

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) goToSignIn(location.pathname + location.search);
  }

  /** The range in the address, if it names one; otherwise none, and the server picks its current half-year. */
  private asked(): { from: string; to: string } {
    return MONTH.test(this.from) && MONTH.test(this.to) ? { from: this.from, to: this.to } : { from: '', to: '' };
  }

  override render() {
    const title = html`<h1>${msg('全镇看板', { id: 'title.town' })}</h1>`;
    const s = this.session;
    if (!s?.ready || !s.user) return html`${title}${loadingView()}`;
    return this.data.render({
      initial: () => html`${title}${loadingView()}`,
      pending: () => (this.data.value ? this.page(this.data.value) : html`${title}${loadingView()}`),
      error: (e) =>
        e instanceof ApiError && (e.status === 403 || e.status === 404)
          ? html`${title}<p class="notice info">${msg('全镇看板只给本镇的镇管理员看。', { id: 'town.forbidden' })}</p>`
          : html`${title}${errorView(e, () => void this.data.run())}`,
      complete: (d) => (d ? this.page(d) : html`${title}${loadingView()}`),
    });
  }

  private page(d: TownDashboard) {
    // The months shown are the ones the server answered for (a phone's clock may be wrong).
    const from = d.months[0] ?? '';
    const to = d.months.at(-1) ?? '';
    // A village with entries in these months, or with something waiting for its cadre today.
    const active = d.villages.filter((v) => v.months.some((c) => c.entries > 0) || waitingItems(v.todo).length > 0);
    const quiet = d.villages.filter((v) => !active.includes(v));
    return html`
      <h1>${msg(html`${zh(d.town.name)} 全镇看板`, { id: 'town.heading' })}</h1>
      <p>${msg('各村每月参评、达标、获评户数和平均分。', { id: 'town.lead' })}</p>
      <form class="range card" @submit=${this.applyRange}>
        <div class="field">
          <label for="from">${msg('从', { id: 'town.from' })}</label>
          <input id="from" name="from" type="month" .value=${from} required />
        </div>
        <div class="field">
          <label for="to">${msg('到', { id: 'town.to' })}</label>
          <input id="to" name="to" type="month" .value=${to} required />
        </div>
        <button type="submit" class="btn primary">${msg('查看', { id: 'town.apply' })}</button>
      </form>
      <p>
        <a class="btn" href=${resultsApi.dashboardCsvUrl(this.townId, from, to)} download>${msg('导出表格（CSV）', { id: 'town.csv' })}</a>
      </p>
      <ul class="legend" aria-hidden="true">
        ${SERIES.map((s) => html`<li><i style="background:${s.color}"></i>${s.label()}</li>`)}
      </ul>
      ${active.length
        ? html`${this.overview(active)}${active.map((v) => this.village(v, d.months))}`
        : html`<p class="notice info">${msg('这段时间全镇还没有参评的庭院。', { id: 'town.none' })}</p>`}
      ${quiet.length
        ? html`<details class="card fold">
            <summary>${msg(str`其他 ${quiet.length} 个村（这段时间没有参评）`, { id: 'town.quiet' })}</summary>
            <p>${quiet.map((v, i) => html`${i ? '、' : ''}${msg(html`${zh(v.name)}（${v.households} 户）`, { id: 'town.quietVillage' })}`)}</p>
          </details>`
        : nothing}
    `;
  }

  /** What waits in the village's console today, as the town admin finds it there (a town campaign's objections and results with it): the town sees who is behind. */
  private waiting(v: VillageRow) {
    const open = waitingItems(v.todo);
    return open.length
      ? html`<p class="todo">${msg('待处理：', { id: 'town.todo' })}${open.join('，')}</p>`
      : html`<p class="muted">${msg('没有待处理的事项。', { id: 'town.todo.none' })}</p>`;
  }

  /**
   * One line a village over the whole range, so the town is seen at a glance. Each family counts
   * once: a household that entered in four months is one household here (the months are below).
   */
  private overview(villages: VillageRow[]) {
    return html`<div class="scroll card" role="region" aria-label=${msg('各村合计', { id: 'town.overview' })} tabindex="0">
      <table aria-describedby="overview-note">
        <caption>${msg('各村合计（户数）', { id: 'town.overview.caption' })}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('村', { id: 'town.village' })}</th>
            <th scope="col" class="num">${msg('住户', { id: 'consoleResults.household' })}</th>
            ${SERIES.map((s) => html`<th scope="col" class="num">${s.label()}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${villages.map(
            (v) => html`<tr>
              <th scope="row">${zh(v.name)}</th>
              <td class="num">${v.households}</td>
              <td class="num">${v.overRange.entered}</td>
              <td class="num">${v.overRange.qualified}</td>
              <td class="num">${v.overRange.awarded}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <p class="hint" id="overview-note">${msg('这段时间里至少参评、达标、获评过一次的户数，每户只算一次。每月的数字见下面各村。', { id: 'town.overview.note' })}</p>
    </div>`;
  }

  private village(v: VillageRow, months: string[]) {
    const id = `v-${v.id}`;
    const byMonth = new Map(v.months.map((c) => [c.month, c]));
    const cells = months.map((m) => byMonth.get(m) ?? { month: m, entries: 0, qualified: 0, awarded: 0, meanScore: null });
    return html`<section class="card village" aria-labelledby=${id}>
      <h2 id=${id}>${zh(v.name)}</h2>
      <p class="muted">${msg(str`登记住户 ${v.households} 户`, { id: 'town.households' })}</p>
      ${this.waiting(v)}
      <p><a class="btn" href=${`/console?village=${encodeURIComponent(v.id)}`}>${msg(html`进入${zh(v.name)}的管理后台`, { id: 'town.toConsole' })}</a></p>
      ${this.stars(v)}
      ${this.chart(v.name, cells)}
      <div class="scroll" role="region" aria-label=${msg(str`${v.name}每月数字`, { id: 'town.tableLabel' })} tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('月份', { id: 'town.monthCol' })}</th>
              ${SERIES.map((s) => html`<th scope="col" class="num">${s.label()}</th>`)}
              <th scope="col" class="num">${msg('平均分', { id: 'town.mean' })}</th>
            </tr>
          </thead>
          <tbody>
            ${cells.map(
              (c) => html`<tr>
                <th scope="row">${shortMonth(c.month)}</th>
                <td class="num">${c.entries}</td>
                <td class="num">${c.qualified}</td>
                <td class="num">${c.awarded}</td>
                <td class="num">${c.meanScore ?? '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  /**
   * The village's half-year star courtyards in the months shown: households per star level,
   * and once final whether their plates are out, each linking to its public page.
   */
  private stars(v: VillageRow) {
    if (!v.stars.length) return nothing;
    return html`<h3>${msg('半年星级庭院', { id: 'town.stars' })}</h3>
      <ul class="stars">
        ${v.stars.map(
          (s) => html`<li>
            <a href=${`/stars/${encodeURIComponent(s.campaignId)}/${encodeURIComponent(s.period)}`}>${halfYearLabel(s.period)}</a>
            <span class="badge ${s.status}">${resultStatusLabel(s.status)}</span>
            ${s.byStars.map((b) => msg(str`${starLevelLabel(b.stars)} ${b.households} 户`, { id: 'town.stars.level' })).join('、')}
            <br />
            <span class="muted"
              >${s.status !== 'final'
                ? msg('公示中，定稿后发放门牌。', { id: 'town.stars.announced' })
                : s.platesWaiting
                  ? msg(str`门牌已发放 ${s.plates} 户，还有 ${s.platesWaiting} 户没有有效门牌。`, { id: 'town.stars.platesWaiting' })
                  : msg(str`门牌已全部发放（${s.plates} 户）。`, { id: 'town.stars.platesDone' })}</span
            >
          </li>`,
        )}
      </ul>`;
  }

  /** Grouped bars per month: entries, qualified, awarded. The table below carries the figures for screen readers. */
  private chart(name: string, cells: Cell[]) {
    const W = 320;
    const H = 150;
    const top = 16;
    const bottom = 24;
    const max = Math.max(1, ...cells.map((c) => c.entries));
    const group = W / Math.max(1, cells.length);
    const bar = Math.min(14, (group - 8) / 3);
    const y = (n: number) => top + (H - top - bottom) * (1 - n / max);
    // a month's label needs ~34 units (10月 at 12 px): with many months, every second or third is named
    const labelEvery = Math.ceil(34 / group);
    return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${msg(str`${name}每月参评、达标、获评户数柱状图，数字见下表`, { id: 'town.chartLabel' })}>
      <line x1="0" x2=${W} y1=${H - bottom} y2=${H - bottom} stroke="#767166" />
      <text x="2" y="11" font-size="11" fill="#4d4a44">${max}</text>
      ${cells.map((c, i) => {
        const x0 = i * group + (group - bar * 3) / 2;
        return svg`<g>
          ${SERIES.map((s, j) => {
            const n = c[s.key];
            return svg`<rect x=${x0 + j * bar} y=${y(n)} width=${bar - 1} height=${Math.max(0, H - bottom - y(n))} fill=${s.color}></rect>`;
          })}
          ${i % labelEvery === 0 ? svg`<text x=${i * group + group / 2} y=${H - 7} font-size="12" text-anchor="middle" fill="#1c1b19">${shortMonth(c.month)}</text>` : nothing}
        </g>`;
      })}
    </svg>`;
  }

  private applyRange(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const from = (form.elements.namedItem('from') as HTMLInputElement).value;
    const to = (form.elements.namedItem('to') as HTMLInputElement).value;
    if (!MONTH.test(from) || !MONTH.test(to)) return;
    const [a, b] = from <= to ? [from, to] : [to, from];
    navigate(`/town/${encodeURIComponent(this.townId)}?from=${a}&to=${b}`, { replace: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'town-page': TownPage;
  }
}
