import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { sharedStyles } from '../styles/shared';

/**
 * How far an entry is on its way to the like threshold: "32/50" and a bar. With no threshold
 * (0) just the number of likes. The short form is for the eye; screen readers get a sentence.
 *
 * @cssproperty --like-progress-size - font size of the count (default: base size).
 */
@customElement('like-progress')
@localized()
export class LikeProgress extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      p {
        margin: 0 0 var(--cy-space-1);
        font-size: var(--like-progress-size, var(--cy-font-size-base));
      }
      .count {
        font-weight: 700;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  @property({ type: Number, attribute: 'like-count' }) likeCount = 0;
  /** Likes needed to qualify; 0 = no threshold. */
  @property({ type: Number }) threshold = 0;

  override render() {
    const n = this.likeCount;
    const t = this.threshold;
    if (t <= 0) {
      return html`<p>${msg(str`${n} 个赞`, { id: 'likes.count' })}</p>`;
    }
    const pct = Math.min(100, Math.round((n / t) * 100));
    return html`<p>
        <span aria-hidden="true"><span class="count">${n}/${t}</span> ${msg('赞', { id: 'likes.unit' })}</span>
        <span class="visually-hidden">${msg(str`已有 ${n} 个赞，达标需要 ${t} 个`, { id: 'likes.progress' })}</span>
      </p>
      <span class="meter" aria-hidden="true"><span style=${styleMap({ width: `${pct}%` })}></span></span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'like-progress': LikeProgress;
  }
}
