import { localized, msg } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { CampaignBrief } from '../api';
import { formatDateRange } from '../format';
import { campaignFormatLabel, campaignStatusLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { zh } from '../i18n/server-text';

/**
 * A list of campaigns with their status and dates, each optionally a link.
 *
 * @cssproperty --campaign-list-bg - card background (default: surface token).
 */
@customElement('campaign-list')
@localized()
export class CampaignList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      li {
        background: var(--campaign-list-bg, var(--cy-color-surface));
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius);
        padding: var(--cy-space-3) var(--cy-space-4);
        margin-bottom: var(--cy-space-3);
      }
      .title {
        display: block;
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
        margin-bottom: var(--cy-space-1);
      }
      a.title {
        min-height: var(--cy-touch-target);
        display: flex;
        align-items: center;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1) var(--cy-space-3);
        align-items: center;
        color: var(--cy-color-text-muted);
      }
    `,
  ];

  /** Campaigns to show, in the order given. */
  @property({ attribute: false }) campaigns: CampaignBrief[] = [];
  /** Where a campaign's title links to; no link when it returns null or is unset. */
  @property({ attribute: false }) hrefFor: ((c: CampaignBrief) => string | null) | null = null;
  /** Text shown when there are no campaigns. */
  @property({ attribute: 'empty-text' }) emptyText = '';

  override render() {
    if (!this.campaigns.length) {
      return html`<p class="notice info">
        ${this.emptyText || msg('这里还没有评比活动。', { id: 'campaigns.empty' })}
      </p>`;
    }
    return html`<ul class="plain">
      ${this.campaigns.map((c) => {
        const href = this.hrefFor?.(c) ?? null;
        return html`<li>
          ${href ? html`<a class="title" href=${href}>${zh(c.title)}</a>` : html`<span class="title">${zh(c.title)}</span>`}
          <div class="meta">
            <span class="badge ${c.status}">${campaignStatusLabel(c.status)}</span>
            <span>${campaignFormatLabel(c.format)}</span>
            ${c.startsAt ? html`<span>${formatDateRange(c.startsAt, c.endsAt)}</span>` : nothing}
          </div>
        </li>`;
      })}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'campaign-list': CampaignList;
  }
}
