import { localized, msg } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { sharedStyles } from '../styles/shared';
import { said } from '../i18n/server-text';

/**
 * A modal that asks for a reason (rejecting a registration, reopening scoring). Built on the
 * native `<dialog>`, which traps focus and closes on Escape.
 *
 * Usage: `const reason = await dialog.ask()` — the trimmed reason, or null if cancelled.
 */
@customElement('reason-dialog')
@localized()
export class ReasonDialog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: min(92vw, 520px);
        max-width: 92vw;
        border: none;
        border-radius: var(--cy-radius);
        padding: var(--cy-space-5) var(--cy-space-4);
        color: var(--cy-color-text);
        background: var(--cy-color-surface);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.55);
      }
      textarea {
        min-height: 6em;
        resize: vertical;
      }
      h2 {
        margin-top: 0;
      }
    `,
  ];

  /** Heading of the dialog, e.g. 驳回登记. */
  @property() heading = '';
  /** Label of the text box, e.g. 驳回原因. */
  @property() label = '';
  /** What the reason is for, shown under the heading. */
  @property() description = '';

  @state() private value = '';
  @state() private error = '';

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('textarea') private textarea!: HTMLTextAreaElement;

  private resolve: ((v: string | null) => void) | null = null;

  /** Open the dialog and wait for the person's answer. */
  async ask(): Promise<string | null> {
    this.value = '';
    this.error = '';
    await this.updateComplete;
    this.dialog.showModal();
    this.textarea.focus();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  override render() {
    return html`<dialog aria-labelledby="reason-heading" @close=${this.onClose}>
      <form @submit=${this.submit} novalidate>
        <h2 id="reason-heading">${this.heading}</h2>
        ${this.description ? html`<p>${this.description}</p>` : nothing}
        <div class="field">
          <label for="reason">${this.label}</label>
          <textarea
            id="reason"
            maxlength="500"
            .value=${this.value}
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby=${this.error ? 'reason-error' : nothing}
            @input=${(e: Event) => {
              this.value = (e.target as HTMLTextAreaElement).value;
              this.error = '';
            }}
          ></textarea>
          ${this.error ? html`<p class="field-error" id="reason-error" role="alert">${said(this.error)}</p>` : nothing}
        </div>
        <div class="btn-row">
          <button type="submit" class="btn primary">${msg('确定', { id: 'common.ok' })}</button>
          <button type="button" class="btn" @click=${this.cancel}>${msg('取消', { id: 'common.cancel' })}</button>
        </div>
      </form>
    </dialog>`;
  }

  private submit(e: Event) {
    e.preventDefault();
    const reason = this.value.trim();
    if ([...reason].length < 2) {
      this.error = msg('请写清楚原因，至少 2 个字。', { id: 'reason.required' });
      this.textarea.focus();
      return;
    }
    this.finish(reason);
  }

  private cancel() {
    this.finish(null);
  }

  private onClose() {
    // Escape closes the dialog without an answer
    this.finish(null);
  }

  private finish(v: string | null) {
    const resolve = this.resolve;
    this.resolve = null;
    if (this.dialog.open) this.dialog.close();
    resolve?.(v);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'reason-dialog': ReasonDialog;
  }
}
