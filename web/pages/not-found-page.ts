import { localized, msg } from '@lit/localize';
import { html, LitElement } from 'lit';
import { customElement } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared';

/** Shown for an address the app does not know. */
@customElement('not-found-page')
@localized()
export class NotFoundPage extends LitElement {
  static override styles = sharedStyles;

  override render() {
    return html`<h1>${msg('没有这个页面', { id: 'title.notFound' })}</h1>
      <p>${msg('您打开的地址不对，或者这个页面已经不在了。', { id: 'notFound.text' })}</p>
      <p><a class="btn primary" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'not-found-page': NotFoundPage;
  }
}
