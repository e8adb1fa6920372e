import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError, errorMessage } from '../api';
import { panelRoleLabel } from '../panel-state';
import { PANEL_ROLES, scoringApi, type Panel, type PanelRole } from '../scoring-api';
import { sharedStyles } from '../styles/shared';
import { formatDate } from '../format';
import { doneNote, emptyView, errorView, loadingView } from '../views';
import { said, zh } from '../i18n/server-text';

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
 * A panel is changed with the same form, filled in, and a reason: a member left out is taken
 * off (their sheets still count), one added joins; the quorum stays once a sheet came in.
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
  /** Whether the reader runs the campaign (forms and changes its panels); otherwise the panels are only listed. */
  @property({ type: Boolean }) runs = true;

  @state() private name = '';
  @state() private quorum = '3';
  @state() private members: MemberRow[] = blankRows();
  @state() private fieldErrors: Record<string, string> = {};
  @state() private otherProblems: string[] = [];
  @state() private busy = false;
  @state() private note = '';
  /** The panel being changed (its form replaces its card), or null: the form forms a new one. */
  @state() private editing: Panel | null = null;
  @state() private reason = '';

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
      ${this.editing || !this.runs
        ? nothing
        : this.panels.value?.length
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
      ${list.map((p) =>
        this.editing?.id === p.id
          ? html`<li class="card panel">
              <h3>${msg(html`修改考评组：${zh(p.name)}`, { id: 'panels.edit.heading' })}</h3>
              ${this.form()}
            </li>`
          : html`<li class="card panel">
              <h3>${zh(p.name)}</h3>
              <p class="muted">${msg(str`${p.members.length} 人，每户最少 ${p.quorum} 份评分`, { id: 'panels.facts' })}</p>
              <ul>
                ${p.members.map((m) => html`<li>${zh(m.name)}（${panelRoleLabel(m.role)}）${m.phone}</li>`)}
              </ul>
              ${p.formerMembers.length
                ? html`<p class="muted">
                    ${msg('已移出：', { id: 'panels.former' })}${p.formerMembers.map(
                      (m, i) => html`${i ? '、' : ''}${msg(html`${zh(m.name)}（${panelRoleLabel(m.role)}，${formatDate(m.removedAt)}）`, { id: 'panels.formerMember' })}`,
                    )}
                  </p>`
                : nothing}
              ${this.runs
                ? html`<div class="btn-row">
                    <button type="button" class="btn" data-panel=${p.id} ?disabled=${this.editing !== null} @click=${() => this.startEditing(p)}>
                      ${msg(html`修改${zh(p.name)}的成员`, { id: 'panels.edit' })}
                    </button>
                  </div>`
                : nothing}
            </li>`,
      )}
    </ul>`;
  }

  private form() {
    const problems = this.otherProblems;
    const editing = this.editing;
    const quorumLocked = !!editing && editing.sheetsSent > 0;
    return html`<form novalidate @submit=${this.submit}>
      ${problems.length || Object.keys(this.fieldErrors).length
        ? html`<div class="notice error" role="alert">
            <p>
              <strong
                >${editing
                  ? msg('考评组没有修改，请先改正这些问题：', { id: 'panels.edit.problems' })
                  : msg('考评组没有组建，请先改正这些问题：', { id: 'panels.problems' })}</strong
              >
            </p>
            <ul>
              ${[...problems, ...Object.values(this.fieldErrors)].map((p) => html`<li>${said(p)}</li>`)}
            </ul>
          </div>`
        : nothing}
      <p class="hint">
        ${editing
          ? msg('删掉的成员不能再打分，他们已经交的评分表仍然有效；新加的成员登录后就能看到要去的庭院。双方都会收到消息。', { id: 'panels.edit.rule' })
          : msg('考评组至少要有一名干部（镇干部或村干部）和一名村民代表。以后有成员生病或外出，可以再修改。', { id: 'panels.rule' })}
      </p>
      ${this.input('name', 'panel-name', msg('考评组名称', { id: 'panels.name' }), this.name, (v) => (this.name = v), { placeholder: msg('例如：本村考评组', { id: 'panels.name.example' }) })}
      <div class="field quorum">
        <label for="panel-quorum">${msg('每户最少评分份数', { id: 'panels.quorum' })}</label>
        <p class="hint" id="panel-quorum-hint">
          ${quorumLocked
            ? msg(str`已经交了 ${editing.sheetsSent} 份评分表，这个数不能再改。`, { id: 'panels.quorum.locked' })
            : msg('每户至少要收到这么多份评分才能排名；成员人数不能少于它。', { id: 'panels.quorum.hint' })}
        </p>
        <input
          id="panel-quorum"
          type="number"
          inputmode="numeric"
          min="1"
          max="20"
          .value=${this.quorum}
          ?disabled=${quorumLocked}
          aria-invalid=${this.fieldErrors['quorum'] ? 'true' : 'false'}
          aria-describedby="panel-quorum-hint"
          @input=${(e: Event) => (this.quorum = (e.target as HTMLInputElement).value)}
        />
      </div>
      ${this.members.map((m, i) => this.memberFields(m, i))}
      <div class="btn-row">
        <button type="button" class="btn" ?disabled=${this.members.length >= 30} @click=${this.addMember}>${msg('添加成员', { id: 'panels.addMember' })}</button>
      </div>
      ${editing
        ? html`<div class="field">
            <label for="panel-reason">${msg('为什么修改（成员和村干部都看得到）', { id: 'panels.edit.reason' })}</label>
            <textarea
              id="panel-reason"
              rows="2"
              maxlength="500"
              .value=${this.reason}
              aria-invalid=${this.fieldErrors['reason'] ? 'true' : 'false'}
              placeholder=${msg('例如：王志强调到县里工作，由黄建国接替。', { id: 'panels.edit.reason.example' })}
              @input=${(e: Event) => (this.reason = (e.target as HTMLTextAreaElement).value)}
            ></textarea>
          </div>`
        : nothing}
      <div class="btn-row">
        <button type="submit" class="btn primary block" ?disabled=${this.busy}>
          ${this.busy
            ? msg('正在提交……', { id: 'common.submitting' })
            : editing
              ? msg('保存修改', { id: 'panels.edit.save' })
              : msg('组建考评组', { id: 'panels.create' })}
        </button>
        ${editing ? html`<button type="button" class="btn" ?disabled=${this.busy} @click=${this.stopEditing}>${msg('取消', { id: 'common.cancel' })}</button>` : nothing}
      </div>
    </form>`;
  }

  private async startEditing(p: Panel) {
    this.editing = p;
    this.name = p.name;
    this.quorum = String(p.quorum);
    this.members = p.members.map((m) => ({ phone: m.phone, role: m.role as PanelRole, name: m.name }));
    this.reason = '';
    this.note = '';
    this.fieldErrors = {};
    this.otherProblems = [];
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#panel-name')?.focus();
  }

  private stopEditing() {
    const id = this.editing?.id;
    this.editing = null;
    this.name = '';
    this.quorum = '3';
    this.members = blankRows();
    this.reason = '';
    this.fieldErrors = {};
    this.otherProblems = [];
    if (id) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-panel="${id}"]`)?.focus());
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
        ? html`<button type="button" class="btn danger" @click=${() => this.removeMember(i)}>
            ${this.editing ? msg(str`移出成员 ${n}`, { id: 'panels.takeOffMember' }) : msg(str`删除成员 ${n}`, { id: 'panels.removeMember' })}
          </button>`
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
      ${err ? html`<p class="field-error" id=${`${id}-error`}>${said(err)}</p>` : nothing}
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
    const members = this.members.map((m) => ({ phone: m.phone.trim(), role: m.role, name: m.name.trim() }));
    try {
      if (this.editing) {
        const { panel, changed } = await scoringApi.changePanel(this.editing.id, { name: this.name.trim(), quorum, members, reason: this.reason.trim() });
        this.stopEditing();
        this.note = changed ? msg(str`已修改考评组：${panel.name}`, { id: 'panels.changed' }) : msg('考评组没有变化。', { id: 'panels.unchanged' });
        await this.panels.run();
        return;
      }
      const panel = await scoringApi.createPanel(this.campaignId, {
        name: this.name.trim(),
        ...(this.quorum.trim() && Number.isFinite(quorum) ? { quorum } : {}),
        members,
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
      this.renderRoot.querySelector<HTMLElement>('input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]')?.focus();
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
      else if (field === 'name' || field === 'quorum' || field === 'reason') fields[field] = text;
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
