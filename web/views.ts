import { msg } from '@lit/localize';
import { html, nothing } from 'lit';
import { errorMessage } from './api';

/*
 * The three states every page has besides its content, worded for elderly readers. These are
 * plain templates: they rely on `sharedStyles` in the element that renders them.
 */

export function loadingView(text?: string) {
  return html`<p class="notice info" role="status">${text ?? msg('正在加载，请稍等……', { id: 'state.loading' })}</p>`;
}

export function errorView(err: unknown, retry?: () => void) {
  const text = errorMessage(err);
  if (!text) return nothing;
  return html`<div class="notice error" role="alert">
    <p>${text}</p>
    ${retry
      ? html`<button type="button" class="btn" @click=${retry}>${msg('再试一次', { id: 'state.retry' })}</button>`
      : nothing}
  </div>`;
}

export function emptyView(text: string) {
  return html`<p class="notice info">${text}</p>`;
}
