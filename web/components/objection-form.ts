import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { errorMessage } from '../api';
import { entryNumberLabel } from '../entries';
import { PhotoDecodeError, shrinkPhoto } from '../photo-shrink';
import { resultsApi, type Objection, type ResultLine, type ResultTarget } from '../results-api';
import { orderLines, spansVillages } from '../results-view';
import { sharedStyles } from '../styles/shared';
import './photo-pick';
import { said } from '../i18n/server-text';


/**
 * 提出异议: pick the household the objection is about, say what is wrong, add photos if there
 * are any (shrunk on the phone first). The objection is filed first and the photos follow, so a
 * photo that fails to go up never loses the words; it can be added again from the list.
 *
 * @fires objection-filed - after filing (and any photos); `detail` is `{ objection }`.
 */
@customElement('objection-form')
@localized()
export class ObjectionForm extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      textarea {
        min-height: 7em;
        resize: vertical;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 var(--cy-space-4);
      }
      legend {
        font-weight: 700;
        margin-bottom: var(--cy-space-2);
      }
      .preview {
        width: 64px;
        height: 48px;
        object-fit: cover;
        border-radius: 4px;
      }
      .picked {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--cy-space-2);
        margin: var(--cy-space-2) 0 0;
      }
    `,
  ];

  @property({ attribute: false }) target: ResultTarget | null = null;
  /** The households of the result (the objection is about one of them). */
  @property({ attribute: false }) lines: ResultLine[] = [];
  /** The result is of a town's campaign: the town, not the village, settles the objection. */
  @property({ type: Boolean, attribute: 'by-town' }) byTown = false;

  @state() private householdId = '';
  @state() private text = '';
  @state() private files: File[] = [];
  /** Small previews of the photos picked, so that the person sees which they chose (object URLs, released when they change). */
  private previews: string[] = [];
  @state() private busy = '';
  @state() private error = '';
  @state() private fieldErrors: { household?: string; text?: string } = {};
  @state() private done = '';

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (!changed.has('files')) return;
    for (const url of this.previews) URL.revokeObjectURL(url);
    this.previews = this.files.map((f) => URL.createObjectURL(f));
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const url of this.previews) URL.revokeObjectURL(url);
    this.previews = [];
  }

  /**
   * The households to choose from. A town's result numbers and ranks each village's entries on
   * their own, so two villages each have a 陈家庭院 编号 1（第 1 名）: there each is named with its
   * village, village by village.
   */
  private choices(): Array<{ line: ResultLine; village: string | null }> {
    if (!this.lines.length || !spansVillages(this.lines)) return this.lines.map((line) => ({ line, village: null }));
    return orderLines(this.lines).map((line) => ({ line, village: line.village.name }));
  }

  override render() {
    const e = this.fieldErrors;
    return html`<form @submit=${this.submit} novalidate>
      ${this.done ? html`<p id="ob-done" class="notice success" role="status" tabindex="-1">${this.done}</p>` : nothing}
      <div class="field">
        <label for="ob-household">${msg('对哪一户的结果有异议', { id: 'objectionForm.household' })}</label>
        <select
          id="ob-household"
          aria-invalid=${e.household ? 'true' : 'false'}
          aria-describedby=${e.household ? 'ob-household-error' : nothing}
          @change=${(ev: Event) => {
            this.householdId = (ev.target as HTMLSelectElement).value;
            this.fieldErrors = { ...this.fieldErrors, household: undefined };
          }}
        >
          <option value="" ?selected=${!this.householdId}>${msg('请选择', { id: 'objectionForm.choose' })}</option>
          ${this.choices().map(
            ({ line: l, village }) => html`<option value=${l.householdId} ?selected=${l.householdId === this.householdId}>
              ${village ? `${village} · ` : ''}${l.householdLabel}${l.entryNumber ? ` ${entryNumberLabel(l.entryNumber)}` : ''}${l.rank ? msg(str`（第 ${l.rank} 名）`, { id: 'objectionForm.rank' }) : ''}
            </option>`,
          )}
        </select>
        ${e.household ? html`<p class="field-error" id="ob-household-error">${said(e.household)}</p>` : nothing}
      </div>
      <div class="field">
        <label for="ob-text">${msg('异议内容', { id: 'objectionForm.text' })}</label>
        <p class="hint" id="ob-text-hint">${msg('请写清楚哪里不对、您看到的情况。至少 5 个字。', { id: 'objectionForm.text.hint' })}</p>
        <textarea
          id="ob-text"
          maxlength="1000"
          .value=${this.text}
          aria-invalid=${e.text ? 'true' : 'false'}
          aria-describedby=${e.text ? 'ob-text-hint ob-text-error' : 'ob-text-hint'}
          @input=${(ev: Event) => {
            this.text = (ev.target as HTMLTextAreaElement).value;
            this.fieldErrors = { ...this.fieldErrors, text: undefined };
          }}
        ></textarea>
        ${e.text ? html`<p class="field-error" id="ob-text-error">${said(e.text)}</p>` : nothing}
      </div>
      <fieldset class="field">
        <legend>${msg('照片（选填）', { id: 'objectionForm.photos' })}</legend>
        <photo-pick ?disabled=${!!this.busy} @photos-picked=${this.picked}></photo-pick>
        ${this.files.length
          ? html`<p class="picked" role="status">
              ${this.previews.map((url, i) => html`<img class="preview" src=${url} alt=${msg(str`已选的第 ${i + 1} 张照片`, { id: 'objectionForm.preview' })} width="64" height="48" />`)}
              ${msg(str`已选 ${this.files.length} 张照片`, { id: 'objectionForm.picked' })}
              <button type="button" class="btn" ?disabled=${!!this.busy} @click=${() => (this.files = [])}>${msg('不要这些照片', { id: 'objectionForm.unpick' })}</button>
            </p>`
          : nothing}
      </fieldset>
      ${this.error ? html`<div class="notice error" role="alert" tabindex="-1"><p>${said(this.error)}</p></div>` : nothing}
      ${this.busy ? html`<p class="notice info" role="status">${this.busy}</p>` : nothing}
      <button type="submit" class="btn primary block" ?disabled=${!!this.busy}>${msg('提交异议', { id: 'objectionForm.submit' })}</button>
    </form>`;
  }

  /** Photos taken one by one, or chosen from the album, add up. */
  private picked(e: CustomEvent<{ files: File[] }>) {
    this.files = [...this.files, ...e.detail.files];
  }

  private async submit(e: Event) {
    e.preventDefault();
    const t = this.target;
    if (!t || this.busy) return;
    const text = this.text.trim();
    const problems: { household?: string; text?: string } = {};
    if (!this.householdId) problems.household = msg('请选择是对哪一户有异议。', { id: 'objectionForm.household.required' });
    if ([...text].length < 5) problems.text = msg('请写清异议内容（至少 5 个字）。', { id: 'objectionForm.text.required' });
    this.fieldErrors = problems;
    this.error = '';
    this.done = '';
    if (problems.household || problems.text) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(problems.household ? '#ob-household' : '#ob-text')?.focus();
      return;
    }
    this.busy = msg('正在提交异议…', { id: 'objectionForm.busy' });
    let objection: Objection;
    try {
      objection = await resultsApi.object(t, this.householdId, text);
    } catch (err) {
      this.error = errorMessage(err);
      this.busy = '';
      return;
    }
    let failed = 0;
    let firstError = '';
    // The server says how many photos an objection may carry; the rest are not sent.
    const sending = this.files.slice(0, objection.maxPhotos);
    const left = this.files.length - sending.length;
    for (const [i, file] of sending.entries()) {
      this.busy = msg(str`异议已提交，正在上传第 ${i + 1} 张照片（共 ${sending.length} 张）…`, { id: 'objectionForm.uploading' });
      try {
        const { blob } = await shrinkPhoto(file);
        objection = await resultsApi.uploadObjectionPhoto(objection.id, blob);
      } catch (err) {
        failed++;
        firstError ||= err instanceof PhotoDecodeError ? msg('这张照片手机打不开，请换一张或重新拍。', { id: 'onsite.decode' }) : errorMessage(err);
      }
    }
    this.busy = '';
    this.text = '';
    this.householdId = '';
    this.files = [];
    if (failed) {
      this.error = msg(str`异议已提交，但有 ${failed} 张照片没有传上去：${firstError} 可以在下面“我的异议”里补充照片。`, { id: 'objectionForm.photosFailed' });
    } else if (left) {
      this.error = msg(str`异议已提交，附了 ${sending.length} 张照片；每条异议最多 ${objection.maxPhotos} 张，其余 ${left} 张没有上传。`, { id: 'objectionForm.photosOver' });
    } else {
      this.done = this.byTown
        ? msg('异议已提交。镇里处理后会通知您，结果也会在这里显示。', { id: 'objectionForm.done.town' })
        : msg('异议已提交。村里处理后会通知您，结果也会在这里显示。', { id: 'objectionForm.done' });
    }
    await this.updateComplete;
    // The person tapped the button at the foot of the form; on a phone its head is out of view.
    this.renderRoot.querySelector<HTMLElement>(this.done ? '#ob-done' : '[role="alert"]')?.focus();
    this.dispatchEvent(new CustomEvent('objection-filed', { detail: { objection }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'objection-form': ObjectionForm;
  }
}
