import { localized, msg } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, ApiError } from '../api';
import '../components/campaign-list';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView } from '../views';

/** Public page of one village: where it is and its contests. No personal data. */
@customElement('village-page')
@localized()
export class VillagePage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
    `,
  ];

  /** The village's 12-digit code. */
  @property({ attribute: false }) villageId = '';

  private village = new Task(this, {
    task: ([id], { signal }) => api.village(id, signal),
    args: () => [this.villageId] as const,
  });

  override render() {
    return this.village.render({
      initial: () => loadingView(),
      pending: () => html`<h1>${msg('村庄', { id: 'title.village' })}</h1>${loadingView()}`,
      error: (e) =>
        e instanceof ApiError && e.status === 404
          ? html`<h1>${msg('没有找到这个村', { id: 'village.notFound' })}</h1>
              <p>${msg('这个村的地址可能写错了。请回到首页，重新选择镇和村。', { id: 'village.notFound.text' })}</p>
              <p><a class="btn primary" href="/">${msg('回到首页', { id: 'common.backHome' })}</a></p>`
          : html`<h1>${msg('村庄', { id: 'title.village' })}</h1>${errorView(e, () => void this.village.run())}`,
      complete: (v) => html`
        <h1>${v.name}</h1>
        <dl class="facts">
          <dt>${msg('所属镇（街道）', { id: 'village.town' })}</dt>
          <dd>${v.townName}</dd>
          <dt>${msg('村委会', { id: 'village.official' })}</dt>
          <dd>${v.officialName}</dd>
        </dl>
        <h2>${msg('评比活动', { id: 'village.campaigns' })}</h2>
        <campaign-list
          .campaigns=${v.campaigns}
          empty-text=${msg('本村现在还没有评比活动，请留意村里的通知。', { id: 'home.noCampaigns' })}
        ></campaign-list>
        <p><a class="btn" href="/">${msg('看看其他村', { id: 'village.others' })}</a></p>
      `,
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'village-page': VillagePage;
  }
}
