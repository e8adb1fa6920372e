import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '../components/objection-form';
import '../components/objection-list';
import '../components/result-lines';
import { noticePdfUrl, resultsApi, type Objection, type ResultSet, type ResultTarget } from '../results-api';
import { runByTown } from '../../server/domain/campaigns';
import { changesView, resultHeading, resultStyles, spansVillages, statusBanner } from '../results-view';
import { type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView } from '../views';
import { zh } from '../i18n/server-text';

/**
 * Public results (公示) of a round (`/results/:roundId`) or of a campaign's half-year stars
 * (`/stars/:campaignId/:period`): where the results stand, the winners first with every figure,
 * changes made by upheld objections, the A4 notice, and — for a signed-in person while the
 * period runs — the objection form and their own objections.
 */
@customElement('results-page')
@localized()
export class ResultsPage extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      .sub {
        color: var(--cy-color-text-muted);
      }
      .rules {
        margin-top: 0;
      }
    `,
  ];

  /** A round's results (`/results/:roundId`)… */
  @property({ attribute: false }) roundId = '';
  /** …or a campaign's half-year stars (`/stars/:campaignId/:period`). */
  @property({ attribute: false }) campaignId = '';
  @property({ attribute: false }) period = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  /** The result, with the address it was loaded for: while another one loads, the old one is not shown under the new address. */
  private data = new Task(this, {
    task: async (_args, { signal }) => {
      const t = this.target();
      return { key: this.key(), set: t ? await resultsApi.result(t, signal) : null };
    },
    args: () => [this.roundId, this.campaignId, this.period] as const,
  });

  private key(): string {
    return `${this.roundId}|${this.campaignId}|${this.period}`;
  }

  /** The signed-in person's own objections (a cadre gets all, of which only theirs are shown here). */
  private mine = new Task(this, {
    task: ([, , , userId], { signal }) => {
      const t = this.target();
      return t && userId ? resultsApi.objections(t, signal) : Promise.resolve([] as Objection[]);
    },
    args: () => [this.roundId, this.campaignId, this.period, this.session?.user?.id ?? ''] as const,
  });

  private target(): ResultTarget | null {
    if (this.roundId) return { kind: 'round', roundId: this.roundId };
    return this.campaignId && this.period ? { kind: 'stars', campaignId: this.campaignId, period: this.period } : null;
  }

  override render() {
    const title = html`<h1>${msg('评比结果', { id: 'title.results' })}</h1>`;
    return this.data.render({
      initial: () => html`${title}${loadingView()}`,
      pending: () => (this.data.value?.key === this.key() && this.data.value.set ? this.page(this.data.value.set) : html`${title}${loadingView()}`),
      error: (e) => html`${title}${errorView(e, () => void this.data.run())}`,
      complete: ({ set: r }) =>
        r
          ? this.page(r)
          : html`${title}
              <p class="notice info">${msg('这一期的结果还没有公示，公示后就能在这里看到。', { id: 'result.notYet' })}</p>
              <p><a class="btn primary" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`,
    });
  }

  private page(r: ResultSet) {
    const t = this.target()!;
    // A town's result spans villages: back to the home page, which remembers the reader's village.
    const village = spansVillages(r.lines) ? null : r.lines[0]?.village;
    // The campaign's title stands under the heading.
    const heading = resultHeading(r, 'beside_title');
    return html`
      ${village
        ? html`<a class="back" href=${`/villages/${encodeURIComponent(village.id)}`}>← ${zh(village.name)}</a>`
        : html`<a class="back" href="/">← ${msg('首页', { id: 'nav.home' })}</a>`}
      <h1>${heading}</h1>
      <p class="sub">${zh(r.campaign.title)}</p>
      ${statusBanner(r)}
      ${r.objectionsOpen
        ? html`<p><a class="btn" href="#objection-h" @click=${this.toObjection}>${msg('对结果有异议？点这里提出', { id: 'objection.jump' })}</a></p>`
        : nothing}
      ${r.rules.passMark && r.kind === 'round' && r.campaign.format === 'monthly'
        ? html`<p class="hint rules">
            ${r.rules.quotaPerVillage
              ? msg(str`总分 ${r.rules.passMark} 分以上获评，每村最多 ${r.rules.quotaPerVillage} 户。`, { id: 'result.rule.quota' })
              : msg(str`总分 ${r.rules.passMark} 分以上获评。`, { id: 'result.rule' })}
          </p>`
        : nothing}
      ${r.status !== 'draft'
        ? html`<p>
            <a class="btn" href=${noticePdfUrl(t)} target="_blank" rel="noopener">${msg('公示通知（A4，可打印）', { id: 'result.noticePdf' })}</a>
          </p>`
        : nothing}
      ${changesView(r)}
      <result-lines .result=${r}></result-lines>
      ${this.objectionSection(r, t)}
    `;
  }

  /** The objection form stands below every household's lines: a villager is taken straight to it. */
  private readonly toObjection = (e: Event) => {
    e.preventDefault();
    const heading = this.renderRoot.querySelector<HTMLElement>('#objection-h');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  };

  private objectionSection(r: ResultSet, t: ResultTarget) {
    const s = this.session;
    const open = r.objectionsOpen;
    const mine = (this.mine.value ?? []).filter((o) => o.mine);
    if (!open && !mine.length) return nothing;
    const here = location.pathname;
    // A town's campaign is settled by the town, not by the village of the family objected to.
    const byTown = runByTown(r.campaign.villages);
    const town = r.campaign.villages[0]?.townName ?? '';
    return html`<section aria-labelledby="objection-h">
      <h2 id="objection-h" tabindex="-1">${msg('提出异议', { id: 'objection.heading' })}</h2>
      ${open
        ? s?.user
          ? html`<p>
                ${byTown
                  ? msg(html`对公示结果有不同意见，可以在公示期内提出。这次评比由${zh(town)}统一组织，镇里会逐条核实，写明理由答复。`, { id: 'objection.lead.town' })
                  : msg('对公示结果有不同意见，可以在公示期内提出。村里会逐条核实，写明理由答复。', { id: 'objection.lead' })}
              </p>
              <div class="card">
                <objection-form .target=${t} .lines=${r.lines} ?by-town=${byTown} @objection-filed=${() => void this.mine.run()}></objection-form>
              </div>`
          : html`<p>${msg('对公示结果有不同意见，登录后可以提出异议。', { id: 'objection.signIn.text' })}</p>
              <p><a class="btn primary block" href=${`/login?next=${encodeURIComponent(here)}`}>${msg('登录后提出异议', { id: 'objection.signIn' })}</a></p>`
        : html`<p class="muted">${msg('公示期已过，不再接受新的异议。', { id: 'objection.closed' })}</p>`}
      ${mine.length
        ? html`<h3>${msg('我的异议', { id: 'objection.mine' })}</h3>
            <objection-list mode="mine" ?several=${spansVillages(r.lines)} .objections=${mine} @objection-changed=${() => void this.mine.run()}></objection-list>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'results-page': ResultsPage;
  }
}
