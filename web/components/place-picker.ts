import { localized, msg } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, errorMessage } from '../api';
import { sharedStyles } from '../styles/shared';
import { said, zhLang } from '../i18n/server-text';

/** Village codes (12 digits) start with their town's code (9 digits), GB/T 2260. */
export const townOfVillage = (villageId: string) => (/^\d{12}$/.test(villageId) ? villageId.slice(0, 9) : '');

/**
 * Two selects, town then village, filled from the public places API.
 *
 * @fires village-change - when a village is chosen or cleared; `detail` is
 *   `{ villageId: string, villageName: string, townId: string }` (`villageId` is '' when cleared).
 */
@customElement('place-picker')
@localized()
export class PlacePicker extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: grid;
        gap: 0 var(--cy-space-4);
        grid-template-columns: 1fr;
      }
      @media (min-width: 600px) {
        .row {
          grid-template-columns: 1fr 1fr;
        }
      }
    `,
  ];

  /** The chosen village code, if any. Its town is selected with it. */
  @property({ attribute: 'village-id' }) villageId = '';
  /** Mark the selects as required in a form. */
  @property({ type: Boolean }) required = false;
  /** Show the fields as invalid (with this message) — set by the form around it. */
  @property() invalid = '';

  @state() private townId = '';

  private towns = new Task(this, {
    task: (_args, { signal }) => api.towns(signal),
    args: () => [],
  });

  private villages = new Task(this, {
    task: ([townId], { signal }) => (townId ? api.villages(townId, signal) : Promise.resolve([])),
    args: () => [this.townId] as const,
  });

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('villageId') && this.villageId) {
      const town = townOfVillage(this.villageId);
      if (town && town !== this.townId) this.townId = town;
    }
  }

  override render() {
    const towns = this.towns.value ?? [];
    const villages = this.villages.value ?? [];
    const townsLoading = this.towns.status <= 1;
    const villagesLoading = !!this.townId && this.villages.status === 1;
    const err = this.towns.error ?? this.villages.error;
    return html`
      <div class="row">
        <div class="field">
          <label for="town">${msg('镇（街道）', { id: 'place.town' })}</label>
          <select
            id="town"
            ?required=${this.required}
            aria-invalid=${this.invalid && !this.townId ? 'true' : 'false'}
            @change=${this.onTown}
          >
            <option value="" ?selected=${!this.townId}>
              ${townsLoading ? msg('正在加载……', { id: 'place.loading' }) : msg('请选择镇', { id: 'place.chooseTown' })}
            </option>
            ${towns.map((t) => html`<option value=${t.id} lang=${zhLang()} ?selected=${t.id === this.townId}>${t.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="village">${msg('村（社区）', { id: 'place.village' })}</label>
          <select
            id="village"
            ?required=${this.required}
            ?disabled=${!this.townId}
            aria-invalid=${this.invalid && !this.villageId ? 'true' : 'false'}
            aria-describedby=${this.invalid ? 'place-error' : nothing}
            @change=${this.onVillage}
          >
            <option value="" ?selected=${!this.villageId}>
              ${!this.townId
                ? msg('请先选择镇', { id: 'place.townFirst' })
                : villagesLoading
                  ? msg('正在加载……', { id: 'place.loading' })
                  : msg('请选择村', { id: 'place.chooseVillage' })}
            </option>
            ${villages.map((v) => html`<option value=${v.id} lang=${zhLang()} ?selected=${v.id === this.villageId}>${v.name}</option>`)}
          </select>
        </div>
      </div>
      ${this.invalid ? html`<p class="field-error" id="place-error">${said(this.invalid)}</p>` : nothing}
      ${err
        ? html`<div class="notice error" role="alert">
            <p>${msg('村庄名单没有加载出来。', { id: 'place.loadFailed' })}</p>
            <p>${said(errorMessage(err))}</p>
            <button type="button" class="btn" @click=${this.retry}>${msg('再试一次', { id: 'state.retry' })}</button>
          </div>`
        : nothing}
    `;
  }

  private retry() {
    void this.towns.run();
    if (this.townId) void this.villages.run();
  }

  private onTown(e: Event) {
    this.townId = (e.target as HTMLSelectElement).value;
    this.emit('', '');
  }

  private onVillage(e: Event) {
    const select = e.target as HTMLSelectElement;
    const v = (this.villages.value ?? []).find((x) => x.id === select.value);
    this.emit(select.value, v?.name ?? '');
  }

  private emit(villageId: string, villageName: string) {
    this.villageId = villageId;
    this.dispatchEvent(
      new CustomEvent('village-change', {
        detail: { villageId, villageName, townId: this.townId },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'place-picker': PlacePicker;
  }
}
