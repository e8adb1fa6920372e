import { localized, msg } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import { currentLocale, switchLocale } from '../i18n/localization';
import { sharedStyles } from '../styles/shared';

/**
 * The language button: shows the *other* language's name in that language ("English" while
 * the page is Chinese, "中文" while it is English), so a person who cannot read the current
 * language still finds it.
 *
 * @fires locale-changed - after the new language has loaded; `detail` is the locale code.
 * @cssproperty --lang-switch-color - text and border colour (default: white, for the header).
 * @cssproperty --lang-switch-padding - padding of the button.
 */
@customElement('lang-switch')
@localized()
export class LangSwitch extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: inline-block;
      }
      .btn {
        --c: var(--lang-switch-color, var(--cy-color-on-primary));
        background: transparent;
        color: var(--c);
        border-color: var(--c);
        padding: var(--lang-switch-padding, var(--cy-space-1) var(--cy-space-3));
      }
      .btn:hover {
        background: rgb(255 255 255 / 0.15);
      }
      .btn:focus-visible {
        outline-color: var(--lang-switch-focus, #ffd54f);
      }
    `,
  ];

  override render() {
    const toEnglish = currentLocale() === 'zh-CN';
    return html`<button
      type="button"
      class="btn"
      lang=${toEnglish ? 'en' : 'zh-CN'}
      title=${msg('切换语言', { id: 'lang.switch.title' })}
      @click=${this.toggle}
    >
      ${toEnglish ? 'English' : '中文'}
    </button>`;
  }

  private async toggle() {
    const next = currentLocale() === 'zh-CN' ? 'en' : 'zh-CN';
    await switchLocale(next);
    this.dispatchEvent(new CustomEvent('locale-changed', { detail: next, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lang-switch': LangSwitch;
  }
}
