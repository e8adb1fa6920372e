import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, errorMessage, type Household } from '../api';
import { sharedStyles } from '../styles/shared';
import { isPhone, normalizePhone } from '../../server/domain/phone';
import { confirmView, doneNote, refusalNote } from '../views';
import { said } from '../i18n/server-text';

type Member = Household['members'][number];

/**
 * A cadre's list of a household's family phones (家人手机号), folded: a son who registered the
 * same door, a daughter who takes the photos, can be added, so that they enter the family's
 * courtyard from their own phone; a number entered wrongly is taken off, after asking.
 *
 * @fires household-changed - after a phone was added or taken off; `detail` is `{ household }`.
 */
@customElement('household-members')
@localized()
export class HouseholdMembers extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ul.plain li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2);
        padding: var(--cy-space-2) 0;
      }
      /* the number (and 还没登录过) wraps in its own room; 移出 stays at the row's end */
      .phone {
        flex: 1 1 8em;
        min-width: 0;
        font-variant-numeric: tabular-nums;
      }
      .phone .digits {
        white-space: nowrap;
      }
      li .notice {
        flex-basis: 100%;
      }
      form {
        margin-top: var(--cy-space-3);
      }
    `,
  ];

  @property({ attribute: false }) household!: Household;

  @state() private phone = '';
  @state() private busy = false;
  @state() private asking = '';
  @state() private note = '';
  @state() private problem = '';
  @state() private refusal = '';

  override render() {
    const h = this.household;
    return html`<details class="fold">
      <summary>${msg(str`家人手机号（${h.members.length} 个）`, { id: 'members.heading' })}</summary>
      ${doneNote(this.note)}
      ${refusalNote(this.refusal)}
      ${h.members.length
        ? html`<ul class="plain">
            ${h.members.map((m) => this.member(m))}
          </ul>`
        : html`<p class="hint">${msg('这一户还没有家人的手机号，只能由村干部或网格员代录参评。', { id: 'members.none' })}</p>`}
      ${h.status === 'rejected' ? nothing : this.addForm()}
    </details>`;
  }

  private member(m: Member) {
    const h = this.household;
    return html`<li>
      <span class="phone"><span class="digits">${m.phone}</span>${m.verified ? nothing : html` <span class="hint">${msg('（还没登录过）', { id: 'members.unverified' })}</span>`}</span>
      ${this.asking === m.accountId
        ? confirmView({
            id: `remove-${m.accountId}`,
            question: msg(str`确定把 ${m.phone} 从${h.headName}家移出吗？`, { id: 'members.remove.confirm' }),
            details: [msg('移出后这个手机号不能再替这一户报名参评，这一户会收到通知。', { id: 'members.remove.confirmText' })],
            yes: msg('确定移出', { id: 'members.remove.yes' }),
            danger: true,
            busy: this.busy,
            onYes: () => this.takeOff(m),
            onNo: () => (this.asking = ''),
          })
        : html`<button type="button" class="btn" ?disabled=${this.busy} @click=${() => this.ask(m)}>${msg('移出', { id: 'members.remove' })}</button>`}
    </li>`;
  }

  private addForm() {
    const id = `member-phone-${this.household.id}`;
    return html`<form @submit=${this.add} novalidate>
      <div class="field">
        <label for=${id}>${msg('添加家人的手机号', { id: 'members.add.label' })}</label>
        <input
          id=${id}
          type="tel"
          inputmode="numeric"
          autocomplete="off"
          .value=${this.phone}
          aria-invalid=${this.problem ? 'true' : 'false'}
          aria-describedby=${this.problem ? `${id}-error ${id}-hint` : `${id}-hint`}
          @input=${(e: Event) => {
            this.phone = (e.target as HTMLInputElement).value;
            this.problem = '';
          }}
        />
        <p class="hint" id=${`${id}-hint`}>${msg('请先当面核实是这一户的家人。加上后，这个手机号登录就能替这一户报名参评、上传照片。', { id: 'members.add.hint' })}</p>
        ${this.problem ? html`<p class="field-error" id=${`${id}-error`}>${said(this.problem)}</p>` : nothing}
      </div>
      <button type="submit" class="btn primary" ?disabled=${this.busy}>${msg('添加为家人', { id: 'members.add' })}</button>
    </form>`;
  }

  private async ask(m: Member) {
    this.asking = m.accountId;
    this.note = '';
    this.refusal = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#remove-${CSS.escape(m.accountId)}`)?.focus();
  }

  private readonly add = async (e: Event) => {
    e.preventDefault();
    const phone = normalizePhone(this.phone);
    if (!isPhone(phone)) {
      this.problem = msg('请填写 11 位手机号，例如 13800138000。', { id: 'login.phone.invalid' });
      return;
    }
    await this.change(() => api.addHouseholdMember(this.household.id, phone), msg(str`已把 ${phone} 加为${this.household.headName}家的家人，这一户会收到通知。`, { id: 'members.added' }), true);
  };

  private async takeOff(m: Member) {
    await this.change(() => api.removeHouseholdMember(this.household.id, m.accountId), msg(str`已把 ${m.phone} 从${this.household.headName}家移出。`, { id: 'members.removed' }), false);
  }

  private async change(call: () => Promise<Household>, note: string, adding: boolean) {
    this.busy = true;
    this.note = '';
    this.problem = '';
    this.refusal = '';
    try {
      const household = await call();
      this.asking = '';
      if (adding) this.phone = '';
      this.note = note;
      this.dispatchEvent(new CustomEvent('household-changed', { detail: { household }, bubbles: true, composed: true }));
    } catch (err) {
      this.asking = '';
      if (adding) this.problem = errorMessage(err);
      else this.refusal = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'household-members': HouseholdMembers;
  }
}
