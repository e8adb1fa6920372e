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

/**
 * The loading notice of a page or gallery whose content is on its way. It holds a screen's
 * height, so that what follows (the footer, a button) is not shown and then pushed away
 * when the content arrives: on a slow phone that jump moves what the person was about to tap.
 */
export function contentLoadingView() {
  return html`<div class="content-loading">${loadingView()}</div>`;
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

/** Options under one heading of a grouped select (a campaign's rounds). */
export interface OptionGroup {
  label: string;
  options: Array<{ value: string; label: string }>;
}

/**
 * A labelled select whose options stand under their campaign's name; while nothing is chosen a
 * "please choose" line stands first and is selected, so the first real option is never taken
 * for a choice the person did not make.
 */
export function groupedSelect(o: { id: string; label: string; chosen: string; groups: OptionGroup[]; onChange: (value: string) => void }) {
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <select id=${o.id} @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}>
      ${o.chosen ? nothing : html`<option value="" selected>${msg('请选择轮次', { id: 'roundPicker.choose' })}</option>`}
      ${o.groups.map(
        (g) => html`<optgroup label=${g.label}>
          ${g.options.map((x) => html`<option value=${x.value} ?selected=${x.value === o.chosen}>${x.label}</option>`)}
        </optgroup>`,
      )}
    </select>
  </div>`;
}
