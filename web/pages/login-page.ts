import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage } from '../api';
import { navigate } from '../router';
import { type Session, sessionContext, startPageOf } from '../session';
import { sharedStyles } from '../styles/shared';
import { isPhone, normalizePhone } from '../../server/domain/phone';
import { loadingView } from '../views';
import { said } from '../i18n/server-text';


/**
 * Sign-in with a mobile number and a 6-digit one-time code. In demo mode the server returns
 * the code, which is shown in a marked box with a button to fill it in.
 */
@customElement('login-page')
@localized()
export class LoginPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        max-width: 480px;
      }
      input {
        font-size: var(--cy-font-size-xl) !important;
        letter-spacing: 0.05em;
      }
      #code {
        letter-spacing: 0.3em;
      }
      .demo {
        background: var(--cy-color-demo-bg);
        border: 2px dashed var(--cy-color-demo-border);
        color: var(--cy-color-text);
        border-radius: var(--cy-radius);
        padding: var(--cy-space-3) var(--cy-space-4);
        margin-bottom: var(--cy-space-4);
      }
      .demo strong.code {
        font-size: var(--cy-font-size-2xl);
        letter-spacing: 0.2em;
      }
      .btn.block + .btn.block {
        margin-top: var(--cy-space-3);
      }
    `,
  ];

  /** Where to go after signing in (already checked to be a path of this site). */
  /** Where to go once signed in; '' = the person's own start page (startPageOf). */
  @property({ attribute: false }) next = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private phone = '';
  @state() private code = '';
  @state() private codeSent = false;
  @state() private devCode = '';
  @state() private secondsLeft = 0;
  @state() private busy: 'otp' | 'login' | null = null;
  @state() private phoneError = '';
  @state() private codeError = '';
  @state() private sentNote = '';

  @query('#code') private codeInput?: HTMLInputElement;

  private timer: ReturnType<typeof setInterval> | undefined;

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override render() {
    const s = this.session;
    if (!s?.ready) return html`<h1>${msg('登录', { id: 'nav.login' })}</h1>${loadingView()}`;
    if (s.user) {
      return html`<h1>${msg('登录', { id: 'nav.login' })}</h1>
        <p class="notice success">${msg('您已经登录了。', { id: 'login.already' })}</p>
        <p><a class="btn primary" href=${this.next || startPageOf(s.user)}>${msg('继续', { id: 'login.continue' })}</a></p>`;
    }
    return html`
      <h1>${msg('用手机号登录', { id: 'home.signIn' })}</h1>
      <p>${msg('输入手机号，我们会发一条短信验证码给您。没有账号的，登录时会自动开通。', { id: 'login.lead' })}</p>

      <form @submit=${this.requestCode} novalidate>
        <div class="field">
          <label for="phone">${msg('手机号', { id: 'field.phone' })}</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            inputmode="numeric"
            autocomplete="tel-national"
            maxlength="13"
            placeholder="13800138000"
            .value=${this.phone}
            aria-invalid=${this.phoneError ? 'true' : 'false'}
            aria-describedby=${this.phoneError ? 'phone-error' : nothing}
            @input=${this.onPhone}
          />
          ${this.phoneError ? html`<p class="field-error" id="phone-error" role="alert">${said(this.phoneError)}</p>` : nothing}
        </div>
        <button type="submit" class="btn ${this.codeSent ? '' : 'primary'} block" ?disabled=${this.busy !== null || this.secondsLeft > 0}>
          ${this.otpButtonText()}
        </button>
      </form>

      <p role="status" class=${this.sentNote ? 'notice success' : 'visually-hidden'} style="margin-top: var(--cy-space-4)">
        ${this.sentNote}
      </p>

      ${this.codeSent ? this.codeForm() : nothing}
    `;
  }

  private codeForm() {
    return html`
      ${this.devCode
        ? html`<div class="demo">
            <p style="margin:0"><strong>${msg('演示验证码', { id: 'login.demo' })}</strong></p>
            <p class="hint" style="color:var(--cy-color-text)">
              ${msg('这是演示网站，验证码直接显示在这里：', { id: 'login.demo.text' })}
              <strong class="code">${this.devCode}</strong>
            </p>
            <button type="button" class="btn" @click=${this.fillDevCode}>${msg('填入验证码', { id: 'login.demo.fill' })}</button>
          </div>`
        : nothing}
      <form @submit=${this.login} novalidate>
        <div class="field">
          <label for="code">${msg('验证码', { id: 'login.code' })}</label>
          <input
            id="code"
            name="code"
            type="text"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]*"
            maxlength="6"
            .value=${this.code}
            aria-invalid=${this.codeError ? 'true' : 'false'}
            aria-describedby=${this.codeError ? 'code-error code-hint' : 'code-hint'}
            @input=${this.onCode}
          />
          <p class="hint" id="code-hint">${msg('短信里的 6 位数字，10 分钟内有效。', { id: 'login.code.hint' })}</p>
          ${this.codeError ? html`<p class="field-error" id="code-error" role="alert">${said(this.codeError)}</p>` : nothing}
        </div>
        <button type="submit" class="btn primary block" ?disabled=${this.busy !== null}>
          ${this.busy === 'login' ? msg('正在登录……', { id: 'login.busy' }) : msg('登录', { id: 'nav.login' })}
        </button>
      </form>
    `;
  }

  private otpButtonText() {
    if (this.busy === 'otp') return msg('正在发送……', { id: 'login.sending' });
    if (this.secondsLeft > 0) return msg(str`${this.secondsLeft} 秒后可重新获取验证码`, { id: 'login.wait' });
    return this.codeSent ? msg('重新获取验证码', { id: 'login.resend' }) : msg('获取验证码', { id: 'login.getCode' });
  }

  private onPhone(e: Event) {
    const value = (e.target as HTMLInputElement).value;
    const changed = value.replace(/\D/g, '') !== this.phone.replace(/\D/g, '');
    this.phone = value;
    this.phoneError = '';
    if (changed && this.codeSent) {
      // a different number needs its own code
      this.codeSent = false;
      this.devCode = '';
      this.code = '';
      this.sentNote = '';
    }
  }

  private onCode(e: Event) {
    this.code = (e.target as HTMLInputElement).value;
    this.codeError = '';
  }

  private cleanPhone() {
    return normalizePhone(this.phone);
  }

  private async requestCode(e: Event) {
    e.preventDefault();
    if (this.busy || this.secondsLeft > 0) return;
    const phone = this.cleanPhone();
    if (!isPhone(phone)) {
      this.phoneError = msg('请填写 11 位手机号，例如 13800138000。', { id: 'login.phone.invalid' });
      return;
    }
    this.busy = 'otp';
    this.phoneError = '';
    try {
      const res = await api.requestOtp(phone);
      this.codeSent = true;
      this.devCode = res.devCode ?? '';
      if (this.devCode) keepDemoCode(phone, this.devCode);
      this.sentNote = msg('验证码已发出，请查看短信。', { id: 'login.sent' });
      this.startCountdown(res.resendAfterSeconds || 60);
      await this.updateComplete;
      this.codeInput?.focus();
    } catch (err) {
      this.phoneError = errorMessage(err);
      if (err instanceof ApiError && err.status === 429) {
        // a code sent a moment ago is still good: let the person type it in (in the demo, shown again)
        this.codeSent = true;
        this.devCode = keptDemoCode(phone);
        if (err.retryAfterSeconds) this.startCountdown(err.retryAfterSeconds);
      }
    } finally {
      this.busy = null;
    }
  }

  private fillDevCode() {
    this.code = this.devCode;
    this.codeError = '';
    this.codeInput?.focus();
  }

  private async login(e: Event) {
    e.preventDefault();
    if (this.busy) return;
    const code = this.code.trim();
    if (!/^\d{6}$/.test(code)) {
      this.codeError = msg('验证码是 6 位数字，请再看一下短信。', { id: 'login.code.invalid' });
      return;
    }
    this.busy = 'login';
    this.codeError = '';
    try {
      const user = await api.login(this.cleanPhone(), code);
      this.session?.setUser(user);
      navigate(this.next || startPageOf(user), { replace: true });
    } catch (err) {
      this.codeError = errorMessage(err);
    } finally {
      this.busy = null;
    }
  }

  private startCountdown(seconds: number) {
    clearInterval(this.timer);
    const until = Date.now() + seconds * 1000;
    this.secondsLeft = seconds;
    this.timer = setInterval(() => {
      this.secondsLeft = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      if (this.secondsLeft === 0) clearInterval(this.timer);
    }, 1000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'login-page': LoginPage;
  }
}

/**
 * In the demo, the code shown on the page is the only copy there is (no text message comes):
 * kept for this tab, so that reloading the page within the minute before another may be asked
 * for does not lose it. Codes live ten minutes.
 */
const DEMO_CODE_KEY = 'courtyard.demoCode';
function keepDemoCode(phone: string, code: string) {
  try {
    sessionStorage.setItem(DEMO_CODE_KEY, JSON.stringify({ phone, code, at: Date.now() }));
  } catch {
    // private mode: the code is just not kept
  }
}
function keptDemoCode(phone: string): string {
  try {
    const kept = JSON.parse(sessionStorage.getItem(DEMO_CODE_KEY) ?? 'null') as { phone: string; code: string; at: number } | null;
    return kept && kept.phone === phone && Date.now() - kept.at < 10 * 60_000 ? kept.code : '';
  } catch {
    return '';
  }
}
