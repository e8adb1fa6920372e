import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorMessage } from '../api';
import { entryNumberLabel } from '../entries';
import { formatDateTime } from '../format';
import { PhotoDecodeError, shrinkPhoto } from '../photo-shrink';
import { resultsApi, type Objection } from '../results-api';
import { objectionStatusLabel, resultStyles } from '../results-view';
import { sharedStyles } from '../styles/shared';
import { photoFailed } from '../views';
import { said, zh } from '../i18n/server-text';

/**
 * Objections (异议) with their state and the cadre's reason. For the objector (`mode="mine"`)
 * an open objection takes more photos; for the cadre who settles them (`mode="cadre"`) each open
 * one has 成立 / 不成立 buttons, which ask the page to decide; a village's cadre reading those
 * about their village in a campaign the town admin runs (`mode="reader"`) sees them without.
 *
 * @fires objection-decide - cadre chose a decision; `detail` is `{ objection, uphold }`.
 * @fires objection-changed - a photo was added; `detail` is `{ objection }`.
 */
@customElement('objection-list')
@localized()
export class ObjectionList extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      li.card > p:first-child {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-2);
        align-items: center;
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .photos {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-2);
        list-style: none;
        padding: 0;
        margin: 0 0 var(--cy-space-3);
      }
      .photos img {
        width: 88px;
        height: 88px;
        object-fit: cover;
        border-radius: var(--cy-radius-sm);
        display: block;
      }
      input[type='file'] {
        position: absolute;
        width: 1px;
        height: 1px;
        opacity: 0;
      }
    `,
  ];

  @property({ attribute: false }) objections: Objection[] = [];
  /** `mine`: the objector's own list; `cadre`: every objection, with decisions; `reader`: those about the village's households, to read. */
  @property() mode: 'mine' | 'cadre' | 'reader' = 'mine';
  /** The result spans villages (a town's campaign): each objection names its household's village. */
  @property({ type: Boolean }) several = false;
  /** Id of the objection being decided (its buttons are disabled). */
  @property({ attribute: false }) busyId = '';

  @state() private uploading = '';
  @state() private error: { id: string; message: string } | null = null;

  override render() {
    if (!this.objections.length) {
      const none =
        this.mode === 'cadre'
          ? msg('还没有人提出异议。', { id: 'objection.none' })
          : this.mode === 'reader'
            ? msg('还没有人对本村住户的结果提出异议。', { id: 'objection.noneVillage' })
            : msg('您还没有提出过异议。', { id: 'objection.noneMine' });
      return html`<p class="notice info">${none}</p>`;
    }
    return html`<ul class="plain">
      ${this.objections.map((o) => this.item(o))}
    </ul>`;
  }

  private item(o: Objection) {
    // 陈家庭院 with its 编号, as the result names it: a village may have two 陈家庭院
    const family = html`${zh(o.householdLabel)}${o.entryNumber ? html`<span class="number">（${entryNumberLabel(o.entryNumber)}）</span>` : nothing}`;
    return html`<li class="card">
      <p>
        <strong id=${`objection-${o.id}`}>
          ${this.several
            ? msg(html`对${zh(o.village.name)}${family}的异议`, { id: 'objection.aboutInVillage' })
            : msg(html`对${family}的异议`, { id: 'objection.about' })}
        </strong>
        <span class="badge ${o.status}">${objectionStatusLabel(o.status)}</span>
      </p>
      ${o.headName ? html`<p class="muted">${msg(html`户主：${zh(o.headName)}`, { id: 'objection.head' })}</p>` : nothing}
      <p class="muted">${msg(str`提出时间：${formatDateTime(o.createdAt)}`, { id: 'objection.createdAt' })}</p>
      ${this.objector(o)}
      <p class="text">${zh(o.text)}</p>
      ${o.photos.length
        ? html`<ul class="photos">
            ${o.photos.map(
              (p, i) => html`<li>
                <a href=${p.displayUrl} target="_blank" rel="noopener"><img src=${p.thumbUrl} alt=${msg(str`异议照片 ${i + 1}`, { id: 'objection.photoAlt' })} @error=${photoFailed} /></a>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${o.status !== 'open'
        ? html`<p class="notice ${o.status === 'upheld' ? 'success' : 'info'}">
            ${msg(str`处理结果（${formatDateTime(o.decidedAt)}）：`, { id: 'objection.decision' })}${zh(o.decisionReason)}
          </p>`
        : nothing}
      ${this.error?.id === o.id ? html`<p class="notice error" role="alert">${said(this.error.message)}</p>` : nothing}
      ${o.status === 'open' && this.mode === 'cadre' ? this.decide(o) : nothing}
      ${o.status === 'open' && this.mode === 'mine' && o.mine && o.photos.length < o.maxPhotos ? this.addPhoto(o) : nothing}
    </li>`;
  }

  /**
   * Who filed it, for whoever looks into it. A village's cadre is shown someone of their own
   * village's families only; anyone else is told that the town admin has the contact.
   */
  private objector(o: Objection) {
    if (this.mode === 'mine') return nothing;
    if (o.objector) return html`<p class="muted">${msg(html`提出人：${zh(o.objector)}`, { id: 'objection.objector' })}</p>`;
    if (this.mode === 'reader' && !o.mine) return html`<p class="muted">${msg('提出人不是本村登记的住户，需要联系时请找镇管理员。', { id: 'objection.objectorElsewhere' })}</p>`;
    return nothing;
  }

  private decide(o: Objection) {
    const busy = this.busyId === o.id;
    return html`<div class="btn-row">
      <button type="button" class="btn" aria-describedby=${`objection-${o.id}`} ?disabled=${busy} @click=${() => this.fire(o, true)}>
        ${msg('异议成立', { id: 'objection.uphold' })}
      </button>
      <button type="button" class="btn" aria-describedby=${`objection-${o.id}`} ?disabled=${busy} @click=${() => this.fire(o, false)}>
        ${msg('异议不成立', { id: 'objection.dismiss' })}
      </button>
    </div>`;
  }

  private addPhoto(o: Objection) {
    const id = `more-${o.id}`;
    return html`<input id=${id} type="file" accept="image/*" tabindex="-1" aria-hidden="true" @change=${(e: Event) => this.picked(o, e)} />
      <button type="button" class="btn" aria-describedby=${`objection-${o.id}`} ?disabled=${this.uploading === o.id} @click=${() => this.renderRoot.querySelector<HTMLInputElement>(`#${CSS.escape(id)}`)?.click()}>
        ${this.uploading === o.id ? msg('正在上传照片…', { id: 'objection.uploading' }) : msg('补充照片', { id: 'objection.addPhoto' })}
      </button>`;
  }

  private fire(objection: Objection, uphold: boolean) {
    this.dispatchEvent(new CustomEvent('objection-decide', { detail: { objection, uphold }, bubbles: true, composed: true }));
  }

  private async picked(o: Objection, e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.uploading = o.id;
    this.error = null;
    try {
      const { blob } = await shrinkPhoto(file);
      const objection = await resultsApi.uploadObjectionPhoto(o.id, blob);
      this.dispatchEvent(new CustomEvent('objection-changed', { detail: { objection }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = { id: o.id, message: err instanceof PhotoDecodeError ? msg('这张照片手机打不开，请换一张或重新拍。', { id: 'onsite.decode' }) : errorMessage(err) };
    } finally {
      this.uploading = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'objection-list': ObjectionList;
  }
}
