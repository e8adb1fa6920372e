import { localized, msg } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, errorMessage, type CurrentRound, type Household } from '../api';
import { formatRoundPeriod } from '../format';
import { navigate } from '../router';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, loadingView, refusalNote } from '../views';
import { zh, zhLang } from '../i18n/server-text';

interface OpenRound {
  round: CurrentRound;
  title: string;
}

/**
 * 代录参评: a cadre enters a confirmed household of the village in a round taking entries, on
 * the family's behalf, and goes on to the entry editor (the entry is marked 代录). A household
 * that has entered already goes straight to its entry.
 */
@customElement('proxy-entry-start')
@localized()
export class ProxyEntryStart extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  @property({ attribute: 'village-id' }) villageId = '';

  @state() private householdId = '';
  @state() private roundId = '';
  @state() private busy = false;
  @state() private error = '';
  /** The entry of a family that entered by itself, when the one chosen had. */
  @state() private existing = '';
  /** The household list (names, door numbers) is loaded only when the cadre asks for it. */
  @state() private open = false;

  private data = new Task(this, {
    autoRun: false,
    task: async ([villageId], { signal }) => {
      const [v, households] = await Promise.all([api.village(villageId, signal), api.households(villageId, 'confirmed', signal)]);
      const rounds: OpenRound[] = v.campaigns
        .filter((c) => c.status === 'open' && c.currentRound?.status === 'entries_open')
        .map((c) => ({ round: c.currentRound!, title: c.title }));
      return { rounds, households: [...households].sort((a, b) => a.doorNumber.localeCompare(b.doorNumber, 'zh-CN', { numeric: true })) };
    },
    args: () => [this.villageId] as const,
  });

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('villageId')) {
      this.open = false;
      this.householdId = '';
      this.roundId = '';
    }
  }

  override render() {
    if (!this.open) {
      return html`<button type="button" class="btn primary" @click=${this.expand}>${msg('选择住户，代录参评', { id: 'proxyEntry.open' })}</button>`;
    }
    return this.data.render({
      initial: () => loadingView(),
      pending: () => loadingView(),
      error: (e) => errorView(e, () => void this.data.run()),
      complete: ({ rounds, households }) => {
        if (!rounds.length) return emptyView(msg('现在没有正在报名的评比。', { id: 'proxyEntry.noRound' }));
        if (!households.length) return emptyView(msg('本村还没有已确认的住户。', { id: 'proxyEntry.noHouseholds' }));
        const roundId = this.roundId || rounds[0]!.round.id;
        return html`<form @submit=${(e: Event) => this.start(e, roundId)} novalidate>
          ${rounds.length > 1
            ? html`<div class="field">
                <label for="proxy-round">${msg('参加哪个评比', { id: 'proxyEntry.round' })}</label>
                <select id="proxy-round" @change=${(e: Event) => (this.roundId = (e.target as HTMLSelectElement).value)}>
                  ${rounds.map((r) => html`<option value=${r.round.id} ?selected=${r.round.id === roundId}>${r.title} · ${formatRoundPeriod(r.round)}</option>`)}
                </select>
              </div>`
            : html`<p>${msg(html`参加：${zh(rounds[0]!.title)} · ${formatRoundPeriod(rounds[0]!.round)}`, { id: 'proxyEntry.oneRound' })}</p>`}
          <div class="field">
            <label for="proxy-household">${msg('为哪一户代录', { id: 'proxyEntry.household' })}</label>
            <select
              id="proxy-household"
              aria-invalid=${this.error && !this.householdId ? 'true' : 'false'}
              @change=${(e: Event) => {
                this.householdId = (e.target as HTMLSelectElement).value;
                this.error = '';
                this.existing = '';
              }}
            >
              <option value="" ?selected=${!this.householdId}>${msg('请选择住户', { id: 'proxyEntry.choose' })}</option>
              ${households.map((h: Household) => html`<option value=${h.id} lang=${zhLang()} ?selected=${h.id === this.householdId}>${h.headName}（${h.doorNumber}）</option>`)}
            </select>
          </div>
          ${refusalNote(this.error)}${this.renderExisting()}
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${msg('开始代录参评', { id: 'proxyEntry.start' })}</button>
        </form>`;
      },
    });
  }

  private renderExisting() {
    return this.existing
      ? html`<div class="notice info" role="status">
          <p>${msg('这一户已经自己报名参评了，不用代录。', { id: 'proxyEntry.selfEntered' })}</p>
          <p><a class="btn" href=${`/entries/${encodeURIComponent(this.existing)}`}>${msg('查看作品页面', { id: 'edit.view' })}</a></p>
        </div>`
      : nothing;
  }

  private async expand() {
    this.open = true;
    await this.data.run();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('select')?.focus();
  }

  private async start(e: Event, roundId: string) {
    e.preventDefault();
    if (this.busy) return;
    if (!this.householdId) {
      this.error = msg('请先选择住户。', { id: 'proxyEntry.required' });
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const { entryId, existed } = await api.enterRound(roundId, this.householdId);
      // A family that entered by itself keeps its entry to itself: it is shown, not opened for editing.
      if (existed && !(await api.entry(entryId)).byProxy) {
        this.existing = entryId;
        return;
      }
      navigate(`/entries/${encodeURIComponent(entryId)}/edit`);
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'proxy-entry-start': ProxyEntryStart;
  }
}
