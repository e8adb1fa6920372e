import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage, type Household, type MyHousehold } from '../api';
import { sharedStyles } from '../styles/shared';
import { isPhone, normalizePhone } from '../../server/domain/phone';
import './place-picker';
import { doneNote, refusalNote } from '../views';
import { said } from '../i18n/server-text';

type Field = 'village' | 'headName' | 'doorNumber' | 'memberPhone';


/**
 * Registers a household: by the family itself (`mode="self"`, with town and village
 * selects), or by a cadre or grid worker on the family's behalf (`mode="proxy"`, 代录, for a
 * fixed village, with the family's phone if it has one). `mode="correct"` is the family
 * correcting its registration (`household-id`) while it waits for the cadre.
 *
 * @fires household-registered - after the server accepted it; `detail` is `{ household }`.
 */
@customElement('household-register-form')
@localized()
export class HouseholdRegisterForm extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  /** `self`: a villager registers their own household. `proxy`: 代录 for another family. `correct`: the family fixes its waiting registration. */
  @property() mode: 'self' | 'proxy' | 'correct' = 'self';
  /** The registration corrected (`correct` mode). */
  @property({ attribute: 'household-id' }) householdId = '';
  /** The village: fixed in proxy mode; the initial choice in self mode. */
  @property({ attribute: 'village-id' }) villageId = '';
  /** The village's name, for the door number's example (set by the console; the picker sets it in self mode). */
  @property({ attribute: 'village-name' }) villageName = '';
  /** Values to start from (registering again after a rejection: fix only what was wrong). */
  @property({ attribute: false }) initial: { headName?: string; doorNumber?: string } | null = null;

  @state() private headName = '';
  @state() private doorNumber = '';
  @state() private memberPhone = '';
  @state() private busy = false;
  @state() private errors: Partial<Record<Field, string>> = {};
  @state() private formError = '';
  @state() private done = '';

  private appliedInitial = '';

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    // apply new starting values once, never over what the person has typed since
    const key = JSON.stringify(this.initial);
    if (changed.has('initial') && this.initial && key !== this.appliedInitial) {
      this.appliedInitial = key;
      this.headName = this.initial.headName ?? '';
      this.doorNumber = this.initial.doorNumber ?? '';
    }
  }

  override render() {
    const proxy = this.mode === 'proxy';
    return html`
      <form @submit=${this.submit} novalidate>
        ${proxy
          ? nothing
          : html`<place-picker
              required
              .villageId=${this.villageId}
              .invalid=${this.errors.village ?? ''}
              @village-change=${this.onVillage}
            ></place-picker>`}
        ${this.textField('headName', msg('户主姓名', { id: 'field.headName' }), this.headName, {
          autocomplete: proxy ? 'off' : 'name',
          hint: msg('写户口本上的户主姓名。', { id: 'register.headName.hint' }),
        })}
        ${this.textField('doorNumber', msg('门牌号', { id: 'field.doorNumber' }), this.doorNumber, {
          autocomplete: 'off',
          hint: msg(str`门口门牌上的号码，例如“${this.villageName ? `${this.villageName} ` : ''}12 号”。门牌号不会公开。`, { id: 'register.doorNumber.hint' }),
        })}
        ${proxy
          ? this.textField('memberPhone', msg('家人手机号', { id: 'register.memberPhone' }), this.memberPhone, {
              autocomplete: 'off',
              type: 'tel',
              hint: msg('可以不填。填了以后，家人用这个手机号登录就能看到自己的家庭。', { id: 'register.memberPhone.hint' }),
            })
          : nothing}
        ${refusalNote(this.formError)}
        ${doneNote(this.done)}
        <button type="submit" class="btn primary block" ?disabled=${this.busy}>
          ${this.busy
            ? msg('正在提交……', { id: 'common.submitting' })
            : proxy
              ? msg('代录登记', { id: 'register.proxy.submit' })
              : this.mode === 'correct'
                ? msg('保存修改', { id: 'register.correct.submit' })
                : msg('提交登记', { id: 'register.submit' })}
        </button>
      </form>
    `;
  }

  private textField(
    name: Exclude<Field, 'village'>,
    label: string,
    value: string,
    opts: { autocomplete: string; hint: string; type?: string },
  ) {
    const err = this.errors[name];
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type=${opts.type ?? 'text'}
        inputmode=${opts.type === 'tel' ? 'numeric' : nothing}
        autocomplete=${opts.autocomplete}
        .value=${value}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${err ? `${name}-error ${name}-hint` : `${name}-hint`}
        @input=${(e: Event) => this.onInput(name, (e.target as HTMLInputElement).value)}
      />
      <p class="hint" id=${`${name}-hint`}>${opts.hint}</p>
      ${err ? html`<p class="field-error" id=${`${name}-error`}>${said(err)}</p>` : nothing}
    </div>`;
  }

  private onInput(name: Exclude<Field, 'village'>, value: string) {
    this[name] = value;
    this.errors = { ...this.errors, [name]: undefined };
    this.done = '';
  }

  private onVillage(e: CustomEvent<{ villageId: string; villageName: string }>) {
    this.villageId = e.detail.villageId;
    this.villageName = e.detail.villageName;
    this.errors = { ...this.errors, village: undefined };
  }

  private validate(): boolean {
    const errors: Partial<Record<Field, string>> = {};
    if (!this.villageId) errors.village = msg('请选择您家所在的镇和村。', { id: 'register.village.required' });
    if (!this.headName.trim()) errors.headName = msg('请填写户主姓名。', { id: 'register.headName.required' });
    else if ([...this.headName.trim()].length > 20) errors.headName = msg('户主姓名最多 20 个字。', { id: 'register.headName.long' });
    if (!this.doorNumber.trim()) errors.doorNumber = msg('请填写门牌号。', { id: 'register.doorNumber.required' });
    else if ([...this.doorNumber.trim()].length > 40) errors.doorNumber = msg('门牌号最多 40 个字。', { id: 'register.doorNumber.long' });
    const phone = normalizePhone(this.memberPhone);
    if (this.mode === 'proxy' && phone && !isPhone(phone)) {
      errors.memberPhone = msg('请填写 11 位手机号，例如 13800138000。', { id: 'login.phone.invalid' });
    }
    this.errors = errors;
    return Object.keys(errors).length === 0;
  }

  private async submit(e: Event) {
    e.preventDefault();
    this.formError = '';
    this.done = '';
    if (!this.validate()) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.busy = true;
    try {
      const phone = normalizePhone(this.memberPhone);
      const place = { villageId: this.villageId, headName: this.headName.trim(), doorNumber: this.doorNumber.trim() };
      const household =
        this.mode === 'correct'
          ? await api.correctHousehold(this.householdId, place)
          : await api.registerHousehold({ ...place, ...(this.mode === 'proxy' ? { proxy: phone ? { memberPhone: phone } : {} } : {}) });
      if (this.mode === 'proxy') {
        this.done =
          household.status === 'pending'
            ? msg(str`已代录登记：${household.label}。等村干部确认后，就可以为这一户代录参评。`, { id: 'register.proxy.donePending' })
            : msg(str`已代录登记：${household.label}。`, { id: 'register.proxy.done' });
        this.headName = '';
        this.doorNumber = '';
        this.memberPhone = '';
      }
      this.dispatchEvent(
        new CustomEvent<{ household: Household | MyHousehold }>('household-registered', {
          detail: { household },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (err) {
      this.showServerError(err);
    } finally {
      this.busy = false;
    }
  }

  /** Put a refusal next to its field when the server names one (a bad name, a door already registered); otherwise above the button. */
  private showServerError(err: unknown) {
    const message = errorMessage(err);
    if (err instanceof ApiError && (err.status === 400 || err.status === 409)) {
      const d = err.details as { field?: unknown } | undefined;
      const field = typeof d?.field === 'string' ? d.field : (err.problems[0]?.field ?? '');
      const map: Record<string, Field> = {
        villageId: 'village',
        headName: 'headName',
        doorNumber: 'doorNumber',
        'proxy.memberPhone': 'memberPhone',
        memberPhone: 'memberPhone',
      };
      const target = map[field];
      if (target) {
        this.errors = { ...this.errors, [target]: message };
        return;
      }
    }
    this.formError = message;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'household-register-form': HouseholdRegisterForm;
  }
}
