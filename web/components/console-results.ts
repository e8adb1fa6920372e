import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, errorMessage, type Campaign, type Round, type User } from '../api';
import { formatDateTime, halfYearLabel } from '../format';
import { entryNumberLabel } from '../entries';
import { criterionName } from '../score-explain';
import { halfYearOf } from '../../server/domain/awards';
import { isMonth, objectionDeadline } from '../../server/domain/results';
import {
  noticePdfUrl,
  resultPageUrl,
  resultsApi,
  type Objection,
  type ResultBrief,
  type ResultLine,
  type ResultSet,
  type ResultTarget,
} from '../results-api';
import { waitingChoice } from '../results-waiting';
import { awardLabel, changesView, isWinner, orderLines, resultHeading, spansVillages, resultStatusLabel, resultStyles, starsView, statusBanner } from '../results-view';
import { serverNow } from '../server-clock';
import { sharedStyles } from '../styles/shared';
import { runsCampaign, type Session, sessionContext } from '../session';
import { confirmView, doneNote, emptyView, errorView, groupedSelect, loadingView, refusalNote, runByTownNote } from '../views';
import './audit-trail';
import './objection-list';
import './plate-manager';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';
import { roundOptionLabel } from './round-picker';
import { zh } from '../i18n/server-text';

interface Choice {
  /** `r:<roundId>` or `s:<campaignId>:<period>`: what the address keeps. */
  pick: string;
  /** Words for the picker, made when shown: a language switch changes them. */
  label: () => string;
  campaign: Campaign;
  target: ResultTarget;
  round: Round | null;
  /** Whether a result has been computed for it (a draft or later): only then is there one to load. */
  computed: boolean;
  /** The result computed for it, if any: its state and objection deadline. */
  brief: ResultBrief | null;
  /** Whether the signed-in person runs its campaign (may compute, announce, settle, finalise). */
  runs: boolean;
}


const briefOf = (brief: ResultBrief | undefined) => ({ computed: !!brief, brief: brief ?? null });

/** Everything the cadre can work on: each round, and each half-year of a monthly campaign. */
async function choices(villageId: string, user: User | null, signal: AbortSignal): Promise<Choice[]> {
  const [all, village] = await Promise.all([api.campaigns(villageId, signal), api.village(villageId, signal)]);
  const campaigns = all.filter((c) => c.status !== 'draft');
  const currentOf = new Map(village.campaigns.map((c) => [c.id, c.currentRound?.id ?? null]));
  const [rounds, results] = await Promise.all([
    Promise.all(campaigns.map((c) => api.rounds(c.id, signal))),
    Promise.all(campaigns.map((c) => resultsApi.campaignResults(c.id, signal))),
  ]);
  const out: Choice[] = [];
  campaigns.forEach((c, i) => {
    const list = [...(rounds[i] ?? [])].sort((a, b) => a.seq - b.seq);
    const computed = results[i] ?? [];
    for (const r of list) {
      out.push({
        pick: `r:${r.id}`,
        label: () => roundOptionLabel(r, list.find((x) => x.id === currentOf.get(c.id))),
        campaign: c,
        runs: runsCampaign(user, c),
        target: { kind: 'round', roundId: r.id },
        round: r,
        ...briefOf(computed.find((x) => x.kind === 'round' && x.roundId === r.id)),
      });
    }
    if (c.format === 'monthly') {
      const halves = [...new Set(list.filter((r) => isMonth(r.period)).map((r) => halfYearOf(r.period)))];
      for (const h of halves) {
        out.push({
          pick: `s:${c.id}:${h}`,
          label: () => msg(str`${halfYearLabel(h)} 星级庭院`, { id: 'consoleResults.halfYear' }),
          campaign: c,
          runs: runsCampaign(user, c),
          target: { kind: 'stars', campaignId: c.id, period: h },
          round: null,
          ...briefOf(computed.find((x) => x.kind === 'half_year' && x.period === h)),
        });
      }
    }
  });
  return out;
}

/**
 * The cadre's results screen (结果 tab): choose a round or a half-year; compute the draft and
 * read every figure and reason; announce (公示) with the objection period; settle objections
 * (成立 / 不成立, with a reason); finalise; then issue and manage honor plates.
 *
 * @fires pick-change - a round or half-year was chosen; `detail` is `{ pick }`.
 * @fires results-changed - after results were announced or locked (what waits has changed).
 */
@customElement('console-results')
@localized()
export class ConsoleResults extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      .scroll {
        overflow-x: auto;
        margin-bottom: var(--cy-space-4);
      }
      .scroll table {
        min-width: 720px;
      }
      /* Said where the table is wider than the screen: a phone shows its first columns only. */
      .scroll-hint {
        display: none;
        margin: 0 0 var(--cy-space-2);
      }
      @media (max-width: 760px) {
        .scroll-hint {
          display: block;
        }
      }
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      tr.winner th,
      tr.winner td {
        background: var(--cy-color-primary-soft);
      }
      /* Swiped sideways to the scores, the cadre still sees whose row it is. */
      .scroll th.who {
        position: sticky;
        left: 0;
        z-index: 1;
        box-shadow: 2px 0 0 var(--cy-color-border);
      }
      .reason {
        min-width: 14em;
      }
      .scroll th,
      td.award {
        white-space: nowrap;
        overflow-wrap: normal;
      }
      .announce {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--cy-space-3);
      }
      .announce .field {
        margin: 0;
        flex: 0 1 10em;
      }
      section > h3 {
        margin-top: var(--cy-space-5);
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';
  /** The chosen round or half-year (`r:<roundId>` / `s:<campaignId>:<period>`; '' = not chosen). */
  @property() pick = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private busy = '';
  @state() private note = '';
  /** The refusal of the last action, shown next to where it was asked for. */
  @state() private error: { where: string; message: string } | null = null;
  /** The objection days the cadre typed; null until they touch the field (the campaign's rule is shown and used). */
  @state() private days: string | null = null;
  /** 公示结果 was pressed: asking once more, since announcing tells every household and cannot be taken back. */
  @state() private confirmingAnnounce = false;
  @state() private confirmingFinalize = false;
  @state() private deciding = '';

  @query('reason-dialog') private dialog!: ReasonDialog;
  @state() private dialogHeading = '';
  @state() private dialogDescription = '';

  private options = new Task(this, {
    task: ([villageId, user], { signal }) => choices(villageId, user, signal),
    args: () => [this.villageId, this.session?.user ?? null] as const,
  });

  /** The chosen result, with the choice it was loaded for (kept on screen while it reloads, never for another choice). */
  private result = new Task(this, {
    task: async ([pick], { signal }) => {
      const c = this.chosen();
      return { pick, set: c && c.pick === pick && c.computed ? await resultsApi.result(c.target, signal) : null };
    },
    args: () => [this.chosen()?.pick ?? ''] as const,
  });

  private objections = new Task(this, {
    task: ([pick, status], { signal }) => {
      const c = this.chosen();
      return c && c.pick === pick && status && status !== 'draft' ? resultsApi.objections(c.target, signal) : Promise.resolve([] as Objection[]);
    },
    args: () => [this.chosen()?.pick ?? '', this.result.value?.set?.status ?? ''] as const,
  });

  /** The objection period being waited out on screen: the timer that reloads the result, and how often it has. */
  private periodWatch: { key: string; timer: ReturnType<typeof setTimeout> | null; reloads: number } | null = null;

  override disconnectedCallback() {
    super.disconnectedCallback();
    if (this.periodWatch?.timer) clearTimeout(this.periodWatch.timer);
    this.periodWatch = null;
  }

  /**
   * A result waiting out its objection period reloads when the period ends (by the server's
   * clock), for whoever runs its campaign: 定稿 appears without a refresh. One that reloads a
   * moment too early (the clock is known to the second) finds it still blocked: it tries again
   * half a minute later, a few times. Only the result is asked again: nothing else changes then.
   */
  private watchPeriod() {
    const r = this.result.value?.set;
    const runs = this.chosen()?.runs ?? false;
    const deadline = runs && r?.status === 'announced' && r.finalizeBlocked ? r.objectionDeadline : null;
    const key = deadline ? `${this.result.value!.pick}|${deadline}` : '';
    const same = this.periodWatch?.key === key;
    if (same && this.periodWatch!.timer) return;
    if (!same && this.periodWatch?.timer) clearTimeout(this.periodWatch.timer);
    const reloads = same ? this.periodWatch!.reloads : 0;
    this.periodWatch = null;
    if (!deadline) return;
    const untilDeadline = Date.parse(deadline) - serverNow() + 2000;
    // a timer waits at most ~24 days; past the deadline, the server is asked again
    const wait = untilDeadline > 0 ? untilDeadline : reloads < 10 ? 30_000 : -1;
    if (wait <= 0 || wait > 2_000_000_000) return;
    const timer = setTimeout(() => {
      this.periodWatch = { key, timer: null, reloads: reloads + 1 };
      void this.result.run();
    }, wait);
    this.periodWatch = { key, timer, reloads };
  }

  override updated() {
    this.watchPeriod();
    // nothing chosen: the first round or half-year that waits for the cadre
    const list = this.options.value;
    if (this.pick || !list?.length) return;
    // Nothing waits: the latest result there is (to issue its plates, read it again), not an empty picker.
    const first = waitingChoice(list, serverNow()) ?? [...list].reverse().find((c) => c.brief) ?? list[0];
    if (first) this.choose(first.pick);
  }

  private chosen(): Choice | undefined {
    return this.options.value?.find((c) => c.pick === this.pick);
  }

  override render() {
    return this.options.render({
      initial: () => loadingView(),
      // Reloaded after an action: what is on screen stays until the new choices come.
      pending: () => (this.options.value?.length ? this.body(this.options.value) : loadingView()),
      error: (e) => errorView(e, () => void this.options.run()),
      complete: (list) => (list.length ? this.body(list) : emptyView(msg('本村还没有开始的评比活动。', { id: 'roundPicker.none' }))),
    });
  }

  private body(list: Choice[]) {
    const byCampaign = new Map<string, Choice[]>();
    for (const c of list) byCampaign.set(c.campaign.id, [...(byCampaign.get(c.campaign.id) ?? []), c]);
    const c = this.chosen();
    return html`
      ${groupedSelect({
        id: 'pick',
        label: msg('要处理的评比结果', { id: 'consoleResults.pick' }),
        chosen: c ? this.pick : '',
        groups: [...byCampaign.values()].map((group) => ({ label: group[0]!.campaign.title, options: group.map((o) => ({ value: o.pick, label: o.label() })) })),
        onChange: (pick) => this.choose(pick),
      })}
      ${doneNote(this.note)}
      ${this.errorAt('decide')}
      ${c
        ? this.result.render({
            initial: () => loadingView(),
            // Reloading the same result keeps it on screen; another choice's must not stand beside this one's buttons.
            pending: () => (this.result.value?.pick === c.pick ? this.work(c, this.result.value.set) : loadingView()),
            error: (e) => errorView(e, () => void this.result.run()),
            complete: (r) => (r.pick === c.pick ? this.work(c, r.set) : loadingView()),
          })
        : nothing}
      <reason-dialog
        heading=${this.dialogHeading}
        label=${msg('处理理由', { id: 'consoleResults.decision.reason' })}
        description=${this.dialogDescription}
      ></reason-dialog>
    `;
  }

  /**
   * A campaign that someone else runs (a town campaign seen by one of its villages' cadres): its
   * published result to read, the objections about the village's households (to look into, not
   * to settle), and who computes, announces and finalises it, instead of buttons the server
   * would refuse.
   */
  private readOnly(c: Choice, r: ResultSet | null) {
    return html`
      ${runByTownNote(c.campaign)}
      ${r
        ? html`${this.summary(c, r)} ${this.table(r)} ${changesView(r)} ${this.objectionSection(c, r)}`
        : html`<p class="notice info">${msg('结果还没有公示。公示后会在这里显示。', { id: 'consoleResults.notPublishedYet' })}</p>`}
    `;
  }

  /** The result's heading, state and, once published, its public page and printed notice. */
  private summary(c: Choice, r: ResultSet) {
    return html`
      <h3>${resultHeading(r, 'alone')}
        <span class="badge ${r.status}">${resultStatusLabel(r.status)}</span>
      </h3>
      ${statusBanner(r)}
      ${r.status !== 'draft'
        ? html`<div class="btn-row" style="margin: 0 0 var(--cy-space-4)">
            <a class="btn" href=${resultPageUrl(c.target)}>${msg('查看公示页', { id: 'consoleResults.publicPage' })}</a>
            <a class="btn" href=${noticePdfUrl(c.target)} target="_blank" rel="noopener">${msg('公示通知（A4，可打印）', { id: 'result.noticePdf' })}</a>
          </div>`
        : nothing}
    `;
  }

  /** What can be done with the chosen result, by its state. */
  private work(c: Choice, r: ResultSet | null) {
    if (!c.runs) return this.readOnly(c, r);
    if (!r) {
      const notReady = c.round?.status === 'entries_open';
      return html`<div class="card">
        <p>
          ${c.target.kind === 'stars'
            ? msg('半年星级按这半年每个月的定稿结果计算。各月都定稿后，就可以计算。', { id: 'consoleResults.stars.lead' })
            : notReady
              ? msg('这一轮还在报名中。在“评分”页开始实地核实（或截止评分）以后，才能计算结果。', { id: 'consoleResults.notReady' })
              : msg('还没有计算结果。计算后先是草稿，核对无误再公示。', { id: 'consoleResults.none' })}
        </p>
        ${this.errorAt('compute')}
        ${notReady
          ? nothing
          : html`<button type="button" class="btn primary block" ?disabled=${this.busy === 'compute'} @click=${() => this.compute(c)}>
              ${msg('计算结果（草稿）', { id: 'consoleResults.compute' })}
            </button>`}
      </div>`;
    }
    return html`
      ${this.summary(c, r)}
      ${this.table(r)}
      ${changesView(r)}
      ${r.status === 'draft' ? this.draftActions(c) : nothing}
      ${r.status !== 'draft' ? this.objectionSection(c, r) : nothing}
      <audit-trail
        subject=${`result:${r.id}`}
        label=${msg('操作记录：计算、公示、异议、定稿', { id: 'consoleResults.audit' })}
        .households=${householdNames(r)}
        .revision=${r}
      ></audit-trail>
      ${r.status === 'final'
        ? html`<section aria-labelledby="plates-h">
            <h3 id="plates-h">${msg('荣誉门牌', { id: 'consoleResults.plates' })}</h3>
            ${platesFollow(c, r)
              ? html`<plate-manager .campaignId=${c.campaign.id} .target=${c.target}></plate-manager>`
              : html`<p class="notice info">${msg('本活动的月度评比不发门牌，门牌按半年星级发放。', { id: 'consoleResults.noMonthlyPlates' })}</p>`}
          </section>`
        : nothing}
    `;
  }

  private table(r: ResultSet) {
    const criteria = r.lines[0]?.criteria ?? [];
    const lines = orderLines(r.lines);
    const ranked = lines.some((l) => l.rank !== null);
    const several = spansVillages(r.lines);
    const keys = criteria.map((k) => k.key);
    const halfYear = r.kind === 'half_year';
    if (!lines.length) return html`<p class="notice info">${msg('这一期没有可以排名的参评庭院。', { id: 'consoleResults.noLines' })}</p>`;
    return html`<p class="hint scroll-hint" aria-hidden="true">${msg('表格较宽，手指按住表格左右滑动，可以看到各项得分和说明 →', { id: 'consoleResults.scrollHint' })}</p>
      <div class="scroll" role="region" aria-label=${msg('结果明细表（可左右滑动）', { id: 'consoleResults.table' })} tabindex="0">
      <table>
        <thead>
          <tr>
            ${ranked ? html`<th scope="col">${msg('名次', { id: 'consoleResults.rank' })}</th>` : nothing}
            <th scope="col" class="who">${msg('住户', { id: 'consoleResults.household' })}</th>
            <th scope="col">${msg('结果', { id: 'consoleResults.award' })}</th>
            <th scope="col">${halfYear ? msg('平均分', { id: 'town.mean' }) : msg('总分', { id: 'consoleResults.total' })}</th>
            ${criteria.map((k) => html`<th scope="col">${criterionName(k)}<br /><span class="muted">/${k.max}</span></th>`)}
            ${halfYear ? nothing : html`<th scope="col">${msg('评分表', { id: 'consoleResults.sheets' })}</th>`}
            <th scope="col" class="reason">${msg('说明', { id: 'consoleResults.reason' })}</th>
          </tr>
        </thead>
        <tbody>
          ${lines.map((l) => this.row(r, l, keys, ranked, several))}
        </tbody>
      </table>
    </div>`;
  }

  private row(r: ResultSet, l: ResultLine, keys: string[], ranked: boolean, several: boolean) {
    return html`<tr class=${isWinner(l) ? 'winner' : ''}>
      ${ranked ? html`<td class="num">${l.rank ?? '—'}</td>` : nothing}
      <th scope="row" class="who">
        ${zh(l.householdLabel)}${l.entryNumber ? html` <span class="number">${entryNumberLabel(l.entryNumber)}</span>` : nothing}
        ${l.headName ? html`<br /><span class="muted">${zh(l.headName)}</span>` : nothing}
        ${several ? html`<br /><span class="muted">${zh(l.village.name)}</span>` : nothing}
      </th>
      <td class="award">${awardLabel(l, r.kind)}${l.stars > 0 && !l.excludedReason ? html`<br />${starsView(l.stars)}` : nothing}</td>
      <td class="num"><strong>${l.total ?? '—'}</strong></td>
      ${keys.map((k) => html`<td class="num">${l.criteria.find((c) => c.key === k)?.mean ?? '—'}</td>`)}
      ${r.kind === 'half_year' ? nothing : html`<td class="num">${l.sheets}</td>`}
      <td class="reason">${l.excludedReason ? html`<strong>${msg('因异议成立被取消：', { id: 'result.excludedBecause' })}${zh(l.excludedReason)}</strong>` : zh(l.reason)}</td>
    </tr>`;
  }

  private draftActions(c: Choice) {
    const defaultDays = String(c.campaign.rules.objectionDays);
    return html`<section class="card" aria-labelledby="announce-h">
      <h3 id="announce-h" style="margin-top:0">${msg('公示结果', { id: 'consoleResults.announce.heading' })}</h3>
      <p>${msg('核对上表无误后公示。公示期内，村民可以对结果提出异议；公示期满、异议都处理完，才能定稿。', { id: 'consoleResults.announce.lead' })}</p>
      ${this.errorAt('announce')}${this.errorAt('compute')}
      <form class="announce" @submit=${(e: Event) => this.askAnnounce(e)}>
        <div class="field">
          <label for="days">${msg('公示天数', { id: 'consoleResults.days' })}</label>
          <input
            id="days"
            type="number"
            inputmode="numeric"
            min="1"
            max="30"
            required
            .value=${this.days ?? defaultDays}
            ?disabled=${this.confirmingAnnounce}
            @input=${(e: Event) => (this.days = (e.target as HTMLInputElement).value)}
          />
        </div>
        ${this.confirmingAnnounce
          ? nothing
          : html`<button type="submit" class="btn primary">${msg('公示结果', { id: 'consoleResults.announce' })}</button>
              <button type="button" class="btn" ?disabled=${this.busy === 'compute'} @click=${() => this.compute(c)}>${msg('重新计算', { id: 'consoleResults.recompute' })}</button>`}
      </form>
      ${this.confirmingAnnounce
        ? confirmView({
            id: 'announce-confirm',
            question: msg(str`确定公示吗？公示 ${this.days || defaultDays} 天，到 ${formatDateTime(new Date(objectionDeadline(serverNow(), Number(this.days || defaultDays))).toISOString())}。`, {
              id: 'consoleResults.announce.confirm',
            }),
            details: [msg('公示后结果就公开了，参评的每一户都会收到通知，不能撤回；要改只能在公示期内通过异议处理。', { id: 'consoleResults.announce.confirmText' })],
            yes: msg('确定公示', { id: 'consoleResults.announce.yes' }),
            busy: this.busy === 'announce',
            onYes: () => this.announce(c),
            onNo: this.cancelAnnounce,
          })
        : nothing}
    </section>`;
  }

  private async askAnnounce(e: Event) {
    e.preventDefault();
    this.confirmingAnnounce = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#announce-confirm')?.focus();
  }

  private readonly cancelAnnounce = async () => {
    this.confirmingAnnounce = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('form.announce button[type=submit]')?.focus();
  };

  /**
   * The objections: every one, to settle, for whoever runs the campaign; for a village's cadre in
   * a town's campaign, those about their village's households, to read, with who settles them.
   */
  private objectionSection(c: Choice, r: ResultSet) {
    const list = this.objections.value ?? [];
    const open = list.filter((o) => o.status === 'open').length;
    const mode = c.runs ? 'cadre' : 'reader';
    return html`<section aria-labelledby="objections-h">
      <h3 id="objections-h">
        ${c.runs
          ? msg(str`异议（${list.length} 条，待处理 ${open} 条）`, { id: 'consoleResults.objections' })
          : msg(str`本村住户的异议（${list.length} 条，待处理 ${open} 条）`, { id: 'consoleResults.objections.village' })}
      </h3>
      ${c.runs
        ? nothing
        : html`<p class="notice info">
            ${msg(str`异议成立与否由${c.campaign.villages[0]?.townName ?? ''}的镇管理员认定并答复。这里列出对本村住户提出的异议，供您了解情况、协助核实。`, { id: 'consoleResults.objections.townDecides' })}
          </p>`}
      ${this.objections.render({
        initial: () => loadingView(),
        pending: () => (this.objections.value ? this.objectionList(r, list, mode) : loadingView()),
        error: (e) => errorView(e, () => void this.objections.run()),
        complete: (l) => this.objectionList(r, l, mode),
      })}
      ${c.runs && r.status === 'announced' ? this.finalizeArea(c, r) : nothing}
    </section>`;
  }

  /**
   * 定稿 once it can be done: until then the cadre reads why not, as the server says it
   * (`finalizeBlocked`, the finalise route's own check), instead of a button it can only refuse.
   */
  private finalizeArea(c: Choice, r: ResultSet) {
    if (r.finalizeBlocked) {
      return html`<div class="card">
        <p>${r.finalizeBlocked}</p>
        <p class="muted">${msg('到那时，这里会出现“定稿”按钮。', { id: 'consoleResults.finalize.later' })}</p>
      </div>`;
    }
    const plates = platesFollow(c, r);
    return html`<div class="card">
      <p>
        ${plates
          ? msg('公示期已满，异议都已处理。定稿后结果锁定，可以发放门牌。', { id: 'consoleResults.finalize.lead' })
          : msg('公示期已满，异议都已处理。定稿后结果锁定。', { id: 'consoleResults.finalize.leadNoPlates' })}
      </p>
      ${this.errorAt('finalize')}
      ${this.confirmingFinalize
        ? confirmView({
            id: 'finalize-confirm',
            question: msg('确定定稿吗？', { id: 'consoleResults.finalize.confirm' }),
            details: [
              msg('定稿后结果锁定，不能再改，也不能再提异议；获评户的奖励进入发放登记。', { id: 'consoleResults.finalize.confirmText' }),
              ...(plates ? [msg('之后就可以发放荣誉门牌。', { id: 'consoleResults.finalize.confirmPlates' })] : []),
            ],
            yes: msg('确定定稿', { id: 'consoleResults.finalize.yes' }),
            busy: this.busy === 'finalize',
            onYes: () => this.finalize(c, r),
            onNo: this.cancelFinalize,
          })
        : html`<button type="button" class="btn primary block" @click=${this.askFinalize}>${msg('定稿', { id: 'consoleResults.finalize' })}</button>`}
    </div>`;
  }

  private readonly askFinalize = async () => {
    this.confirmingFinalize = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#finalize-confirm')?.focus();
  };

  private readonly cancelFinalize = () => {
    this.confirmingFinalize = false;
  };

  private objectionList(r: ResultSet, list: Objection[], mode: 'cadre' | 'reader') {
    return html`<objection-list mode=${mode} ?several=${spansVillages(r.lines)} .objections=${list} .busyId=${this.deciding} @objection-decide=${this.onDecide}></objection-list>`;
  }

  private errorAt(where: string) {
    return refusalNote(this.error?.where === where ? this.error.message : null);
  }

  private choose(pick: string) {
    if (!pick || pick === this.pick) return;
    this.note = '';
    this.error = null;
    this.days = null;
    this.confirmingAnnounce = false;
    this.confirmingFinalize = false;
    this.dispatchEvent(new CustomEvent('pick-change', { detail: { pick }, bubbles: true, composed: true }));
  }

  private async act(key: string, run: () => Promise<string>) {
    this.busy = key;
    this.note = '';
    this.error = null;
    try {
      this.note = await run();
    } catch (err) {
      this.error = { where: key, message: errorMessage(err) };
    } finally {
      this.busy = '';
    }
  }

  private compute(c: Choice) {
    return this.act('compute', async () => {
      const r = await resultsApi.compute(c.target);
      // The choices again, from the server: this one now has a result to load.
      await this.options.run();
      await this.result.run();
      return msg(str`已计算：${r.lines.filter(isWinner).length} 户获评。请核对后公示。`, { id: 'consoleResults.computed' });
    });
  }

  private announce(c: Choice) {
    // Untouched, the server applies the campaign's rule.
    const days = this.days ? Number(this.days) : undefined;
    return this.act('announce', async () => {
      try {
        const r = await resultsApi.announce(c.target, days);
        await Promise.all([this.result.run(), this.options.run()]);
        this.changed();
        return msg(str`已公示，公示期到 ${formatDateTime(r.objectionDeadline)}。`, { id: 'consoleResults.announced' });
      } finally {
        this.confirmingAnnounce = false;
      }
    });
  }

  private finalize(c: Choice, r: ResultSet) {
    return this.act('finalize', async () => {
      try {
        await resultsApi.finalize(c.target);
        await Promise.all([this.result.run(), this.options.run()]);
        this.changed();
        return platesFollow(c, r)
          ? msg('已定稿，结果锁定。现在可以发放门牌。', { id: 'consoleResults.finalized' })
          : msg('已定稿，结果锁定。', { id: 'consoleResults.finalizedNoPlates' });
      } finally {
        this.confirmingFinalize = false;
      }
    });
  }

  private changed() {
    this.dispatchEvent(new CustomEvent('results-changed', { bubbles: true, composed: true }));
  }

  private readonly onDecide = async (e: CustomEvent<{ objection: Objection; uphold: boolean }>) => {
    const { objection, uphold } = e.detail;
    // the family as its card names it, with its 编号 and head: a village may have two 陈家庭院
    const known = [entryNumberLabel(objection.entryNumber), objection.headName ?? ''].filter(Boolean).join('，');
    const family = known ? `${objection.householdLabel}（${known}）` : objection.householdLabel;
    this.dialogHeading = uphold ? msg('异议成立', { id: 'objection.uphold' }) : msg('异议不成立', { id: 'objection.dismiss' });
    this.dialogDescription = uphold
      ? msg(str`认定成立后，${family}会从这次结果中取消，其他各户重新计算名次，不能撤回。理由会告诉提出异议的人和这一户，并公开显示。`, { id: 'consoleResults.decision.upholdText' })
      : msg(str`认定不成立，${family}的结果不变。理由会告诉提出异议的人和这一户。`, { id: 'consoleResults.decision.dismissText' });
    await this.updateComplete;
    const reason = await this.dialog.ask();
    if (!reason) return;
    this.deciding = objection.id;
    await this.act('decide', async () => {
      await resultsApi.decide(objection.id, uphold, reason);
      this.dispatchEvent(new CustomEvent('objection-decided', { detail: { objection, uphold }, bubbles: true, composed: true }));
      await Promise.all([this.result.run(), this.objections.run()]);
      return uphold
        ? msg(str`关于${family}的异议已认定成立，结果已重新计算。`, { id: 'consoleResults.upheld' })
        : msg(str`关于${family}的异议已认定不成立。`, { id: 'consoleResults.dismissed' });
    });
    this.deciding = '';
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'console-results': ConsoleResults;
  }
}

/** Each household of a result as its trail names it: 陈家庭院（陈美丽）, with its village in a town's result. */
function householdNames(r: ResultSet): Map<string, string> {
  const several = spansVillages(r.lines);
  return new Map(r.lines.map((l) => [l.householdId, `${several ? l.village.name : ''}${l.householdLabel}${l.headName ? `（${l.headName}）` : ''}`]));
}

/** Whether honour plates follow this result: every star result, and a monthly round only where the campaign says so. */
function platesFollow(c: Choice, r: ResultSet): boolean {
  return !(r.kind === 'round' && r.campaign.format === 'monthly' && !c.campaign.rules.monthlyPlates);
}
