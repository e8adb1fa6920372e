import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, errorMessage } from '../api';
import { panelRoleLabel } from '../panel-state';
import { PANEL_ROLES, scoringApi, type Panel, type PanelRole } from '../scoring-api';
import { sharedStyles } from '../styles/shared';
import { doneNote, emptyView, errorView, loadingView } from '../views';

interface MemberRow {
  phone: string;
  role: PanelRole;
  name: string;
}

const blankRows = (): MemberRow[] => [
  { phone: '', role: '村干部', name: '' },
  { phone: '', role: '网格员', name: '' },
  { phone: '', role: '村民代表', name: '' },
];

/**
 * A campaign's panels (考评组) and a form to form one: a name, the quorum, and members (mobile
 * number, role label, name). The server checks the panel (enough members for the quorum, a
 * cadre and a villager representative, no number twice); its problems are shown at the fields.
 *
 * @fires panel-created - after a panel was formed; `detail` is `{ panel }`.
 */
@customElement('panel-manager')
@localized()
export class PanelManager extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .panel h3 {
        margin: 0 0 var(--cy-space-1);
      }
      .panel ul {
        margin: 0;
        padding-left: 1.2em;
      }
      fieldset.member .row {
        display: grid;
        grid-template-columns: 1fr;
        gap: 0 var(--cy-space-3);
      }
      @media (min-width: 600px) {
        fieldset.member .row {
          grid-template-columns: 1.3fr 1fr 1fr;
        }
      }
      .quorum input {
        max-width: 8em;
      }
    `,
  ];

  @property({ attribute: 'campaign-id' }) campaignId = '';

  @state() private name = '';
  @state() private quorum = '3';
  @state() private members: MemberRow[] = blankRows();
  @state() private fieldErrors: Record<string, string> = {};
  @state() private otherProblems: string[] = [];
  @state() private busy = false;
  @state() private note = '';

  private panels = new Task(this, {
    task: ([id], { signal }) => scoringApi.panels(id, signal),
    args: () => [this.campaignId] as const,
  });

  override render() {
    return html`
      ${this.panels.render({
        initial: () => loadingView(),
        pending: () => (this.panels.value ? this.list(this.panels.value) : loadingView()),
        error: (e) => errorView(e, () => void this.panels.run()),
        complete: (list) => this.list(list),
      })}
      ${doneNote(this.note)}
      ${this.panels.value?.length
        ? html`<details class="card fold">
            <summary>${msg('再组建一个考评组（例如另一个村的）', { id: 'panels.createAnother' })}</summary>
            ${this.form()}
          </details>`
        : html`<div class="card">
            <h3 style="margin-top:0">${msg('组建考评组', { id: 'panels.create' })}</h3>
            ${this.form()}
          </div>`}
    `;
  }

  private list(list: Panel[]) {
    if (!list.length) return emptyView(msg('这个活动还没有考评组。', { id: 'panels.none' }));
    return html`<ul class="plain">
      ${list.map(
        (p) => html`<li class="card panel">
          <h3>${p.name}</h3>
          <p class="muted">${msg(str`${p.members.length} 人，每户最少 ${p.quorum} 份评分`, { id: 'panels.facts' })}</p>
          <ul>
            ${p.members.map((m) => html`<li>${m.name}（${panelRoleLabel(m.role)}）${m.phone}</li>`)}
          </ul>
        </li>`,
      )}
    </ul>`;
  }

  private form() {
    const problems = this.otherProblems;
    return html`<form novalidate @submit=${this.submit}>
      ${problems.length || Object.keys(this.fieldErrors).length
        ? html`<div class="notice error" role="alert">
            <p><strong>${msg('考评组没有组建，请先改正这些问题：', { id: 'panels.problems' })}</strong></p>
            <ul>
              ${[...problems, ...Object.values(this.fieldErrors)].map((p) => html`<li>${p}</li>`)}
            </ul>
          </div>`
        : nothing}
      <p class="hint">${msg('考评组至少要有一名干部（镇干部或村干部）和一名村民代表；组建后不能修改，请核对好成员再提交。', { id: 'panels.rule' })}</p>
      ${this.input('name', 'panel-name', msg('考评组名称', { id: 'panels.name' }), this.name, (v) => (this.name = v), { placeholder: msg('例如：本村考评组', { id: 'panels.name.example' }) })}
      <div class="field quorum">
        <label for="panel-quorum">${msg('每户最少评分份数', { id: 'panels.quorum' })}</label>
        <p class="hint" id="panel-quorum-hint">${msg('每户至少要收到这么多份评分才能排名；成员人数不能少于它。', { id: 'panels.quorum.hint' })}</p>
        <input
          id="panel-quorum"
          type="number"
          inputmode="numeric"
          min="1"
          max="20"
          .value=${this.quorum}
          aria-invalid=${this.fieldErrors['quorum'] ? 'true' : 'false'}
          aria-describedby="panel-quorum-hint"
          @input=${(e: Event) => (this.quorum = (e.target as HTMLInputElement).value)}
        />
      </div>
      ${this.members.map((m, i) => this.memberFields(m, i))}
      <div class="btn-row">
        <button type="button" class="btn" ?disabled=${this.members.length >= 30} @click=${this.addMember}>${msg('添加成员', { id: 'panels.addMember' })}</button>
      </div>
      <div class="btn-row">
        <button type="submit" class="btn primary block" ?disabled=${this.busy}>
          ${this.busy ? msg('正在提交……', { id: 'common.submitting' }) : msg('组建考评组', { id: 'panels.create' })}
        </button>
      </div>
    </form>`;
  }

  private memberFields(m: MemberRow, i: number) {
    const n = i + 1;
    const field = (k: keyof MemberRow) => `members.${i}.${k}`;
    return html`<fieldset class="member">
      <legend>${msg(str`成员 ${n}`, { id: 'panels.member' })}</legend>
      <div class="row">
        ${this.input(field('phone'), `m${i}-phone`, msg('手机号', { id: 'field.phone' }), m.phone, (v) => this.setMember(i, { phone: v }), { type: 'tel', inputmode: 'numeric', autocomplete: 'off' })}
        <div class="field">
          <label for=${`m${i}-role`}>${msg('身份', { id: 'panels.role' })}</label>
          <select
            id=${`m${i}-role`}
            aria-invalid=${this.fieldErrors[field('role')] ? 'true' : 'false'}
            @change=${(e: Event) => this.setMember(i, { role: (e.target as HTMLSelectElement).value as PanelRole })}
          >
            ${PANEL_ROLES.map((r) => html`<option value=${r} ?selected=${r === m.role}>${panelRoleLabel(r)}</option>`)}
          </select>
        </div>
        ${this.input(field('name'), `m${i}-name`, msg('姓名', { id: 'panels.memberName' }), m.name, (v) => this.setMember(i, { name: v }), {})}
      </div>
      ${this.members.length > 1
        ? html`<button type="button" class="btn danger" @click=${() => this.removeMember(i)}>${msg(str`删除成员 ${n}`, { id: 'panels.removeMember' })}</button>`
        : nothing}
    </fieldset>`;
  }

  private input(
    key: string,
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { type?: string; inputmode?: string; autocomplete?: string; placeholder?: string },
  ) {
    const err = this.fieldErrors[key];
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type=${opts.type ?? 'text'}
        inputmode=${opts.inputmode ?? nothing}
        autocomplete=${opts.autocomplete ?? nothing}
        placeholder=${opts.placeholder ?? nothing}
        .value=${value}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `${id}-error` : nothing}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
      />
      ${err ? html`<p class="field-error" id=${`${id}-error`}>${err}</p>` : nothing}
    </div>`;
  }

  private setMember(i: number, patch: Partial<MemberRow>) {
    this.members = this.members.map((m, j) => (j === i ? { ...m, ...patch } : m));
  }

  private addMember() {
    this.members = [...this.members, { phone: '', role: '村民代表', name: '' }];
  }

  private removeMember(i: number) {
    this.members = this.members.filter((_, j) => j !== i);
  }

  private async submit(e: Event) {
    e.preventDefault();
    this.busy = true;
    this.note = '';
    this.fieldErrors = {};
    this.otherProblems = [];
    const quorum = Number(this.quorum);
    try {
      const panel = await scoringApi.createPanel(this.campaignId, {
        name: this.name.trim(),
        ...(this.quorum.trim() && Number.isFinite(quorum) ? { quorum } : {}),
        members: this.members.map((m) => ({ phone: m.phone.trim(), role: m.role, name: m.name.trim() })),
      });
      this.note = msg(str`已组建考评组：${panel.name}`, { id: 'panels.created' });
      this.name = '';
      this.quorum = '3';
      this.members = blankRows();
      await this.panels.run();
      this.dispatchEvent(new CustomEvent('panel-created', { detail: { panel }, bubbles: true, composed: true }));
    } catch (err) {
      this.showProblems(err);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[role="alert"]')?.scrollIntoView({ block: 'center' });
      this.renderRoot.querySelector<HTMLElement>('input[aria-invalid="true"], select[aria-invalid="true"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  /** Per-field problems go next to their field ("成员 2：手机号…"); the rest above the form. */
  private showProblems(err: unknown) {
    const problems = err instanceof ApiError ? err.problems : [];
    if (!problems.length) {
      this.otherProblems = [errorMessage(err)];
      return;
    }
    const fields: Record<string, string> = {};
    const other: string[] = [];
    for (const p of problems) {
      const field = p.field ?? '';
      const text = p.problem ?? '';
      const m = /^members\.(\d+)\.(phone|role|name)$/.exec(field);
      if (m) fields[field] = msg(str`成员 ${Number(m[1]) + 1}：${text}`, { id: 'panels.memberProblem' });
      else if (field === 'name' || field === 'quorum') fields[field] = text;
      else other.push(text);
    }
    this.fieldErrors = fields;
    this.otherProblems = other;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'panel-manager': PanelManager;
  }
}
