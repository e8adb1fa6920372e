import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage, type ImportResult, type RosterProblem } from '../api';
import { decodeCsv, rosterRows } from '../../server/domain/households';
import { fieldLabel } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { said, zh } from '../i18n/server-text';

/** The template a cadre fills in: the header row the server expects, and one example row. */
/** The roster's header and one example row, with a door of this village. */
const exampleRows = (villageName: string) => `户主姓名,门牌号,手机号\n陈大明,${villageName}12号,13800138000`;
/** The template to download: Excel opens a UTF-8 CSV as such only with its byte-order mark. */
const templateHref = (villageName: string) => `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${exampleRows(villageName).replace('\n', '\r\n')}\r\n`)}`;

/**
 * Imports a village's household roster (CSV: 户主姓名,门牌号,手机号) from a chosen file or
 * pasted text. All or nothing: if any row is wrong the server imports none and the problems
 * are listed row by row; the cadre may then import the other rows and fix the listed ones later.
 *
 * @fires roster-imported - after a successful import; `detail` is the `ImportResult`.
 */
@customElement('roster-import')
@localized()
export class RosterImport extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      textarea {
        min-height: 8em;
        font-family: ui-monospace, 'Noto Sans Mono CJK SC', monospace;
      }
      th,
      td {
        padding: var(--cy-space-1) var(--cy-space-2);
      }
      th:first-child,
      td:first-child {
        width: 2.5em;
        white-space: nowrap;
      }
      th:nth-child(2),
      td:nth-child(2) {
        width: 4.5em;
      }
    `,
  ];

  /** The village the households belong to. */
  @property({ attribute: 'village-id' }) villageId = '';
  @property({ attribute: 'village-name' }) villageName = '';

  @state() private text = '';
  @state() private fileName = '';
  @state() private busy = false;
  @state() private result: ImportResult | null = null;
  @state() private problems: RosterProblem[] = [];
  /** Rows of the refused file without a problem (the server's count): they can go in on their own. */
  @state() private importable = 0;
  /** The file refused, kept for importing its good rows. */
  private refusedText = '';
  @state() private error = '';

  override render() {
    return html`
      <p>
        ${msg('名册是一个 CSV 表格文件，第一行是表头：户主姓名,门牌号,手机号。每户一行，一户有几个手机号时用分号隔开。', {
          id: 'roster.lead',
        })}
      </p>
      <p>
        <a class="btn" href=${templateHref(this.villageName)} download=${msg('住户名册模板.csv', { id: 'roster.templateFile' })}>
          ${msg('下载名册模板', { id: 'roster.template' })}
        </a>
      </p>
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="file">${msg('选择名册文件（CSV）', { id: 'roster.file' })}</label>
          <input id="file" type="file" accept=".csv,text/csv" @change=${this.onFile} />
          ${this.fileName ? html`<p class="hint">${msg(str`已读入：${this.fileName}`, { id: 'roster.fileRead' })}</p>` : nothing}
        </div>
        <div class="field">
          <label for="csv">${msg('或者把名册内容粘贴在这里', { id: 'roster.paste' })}</label>
          <textarea
            id="csv"
            spellcheck="false"
            placeholder=${exampleRows(this.villageName)}
            .value=${this.text}
            @input=${(e: Event) => {
              this.text = (e.target as HTMLTextAreaElement).value;
              this.fileName = '';
            }}
          ></textarea>
        </div>
        <button type="submit" class="btn primary block" ?disabled=${this.busy}>
          ${this.busy ? msg('正在导入……', { id: 'roster.busy' }) : msg('导入', { id: 'roster.submit' })}
        </button>
      </form>
      <div aria-live="polite">${this.outcome()}</div>
    `;
  }

  private outcome() {
    if (this.result) {
      const skipped = this.result.skipped;
      return html`<p class="notice success" style="margin-top: var(--cy-space-4)">
          ${msg(str`导入成功：共 ${this.result.imported} 户，新开通账号 ${this.result.accountsCreated} 个。`, { id: 'roster.done' })}
          ${skipped.length ? msg(str`跳过了 ${new Set(skipped.map((p) => p.row)).size} 行有问题的，见下表；改好后可以只导入这几行。`, { id: 'roster.skippedSome' }) : nothing}
        </p>
        ${skipped.length ? this.problemTable(skipped, msg('跳过的行', { id: 'roster.skippedReport' })) : nothing}`;
    }
    if (this.problems.length) {
      const badRows = new Set(this.problems.map((p) => p.row)).size;
      const goodRows = this.importable;
      return html`<div class="notice error" style="margin-top: var(--cy-space-4)">
          <p>${msg(str`名册里有 ${this.problems.length} 处问题，一户也没有导入。请改好后再导入一次。`, { id: 'roster.problems' })}</p>
          ${goodRows > 0
            ? html`<p>${msg(str`也可以先导入没有问题的 ${goodRows} 户，有问题的 ${badRows} 行改好后再单独导入。`, { id: 'roster.skipOffer' })}</p>
                <button type="button" class="btn" ?disabled=${this.busy} @click=${this.importGoodRows}>
                  ${msg(str`跳过有问题的 ${badRows} 行，导入其余 ${goodRows} 户`, { id: 'roster.skip' })}
                </button>`
            : nothing}
        </div>
        ${this.problemTable(this.problems, msg('问题清单', { id: 'roster.report' }))}`;
    }
    if (this.error) {
      return html`<div class="notice error" role="alert" style="margin-top: var(--cy-space-4)"><p>${said(this.error)}</p></div>`;
    }
    return nothing;
  }

  private problemTable(problems: readonly RosterProblem[], caption: string) {
    return html`<table>
          <caption>${caption}</caption>
          <thead>
            <tr>
              <th scope="col">${msg('行', { id: 'roster.col.row' })}</th>
              <th scope="col">${msg('字段', { id: 'roster.col.field' })}</th>
              <th scope="col">${msg('问题', { id: 'roster.col.problem' })}</th>
            </tr>
          </thead>
          <tbody>
            ${problems.map(
              (p) => html`<tr>
                <td>${p.row}</td>
                <td>${fieldLabel(p.field)}</td>
                <td>${zh(p.problem)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`;
  }

  private async onFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.reset();
    if (file.size > 5 * 1024 * 1024) {
      this.error = msg('这个文件太大了（超过 5 MB），请分成几个小文件导入。', { id: 'roster.tooBig' });
      return;
    }
    try {
      this.text = await readText(file);
      this.fileName = file.name;
    } catch {
      this.error = msg('这个文件读不出来，请确认它是 CSV 表格文件。', { id: 'roster.unreadable' });
    }
  }

  private reset() {
    this.result = null;
    this.problems = [];
    this.importable = 0;
    this.error = '';
  }

  private async submit(e: Event) {
    e.preventDefault();
    this.reset();
    if (!this.text.trim()) {
      this.error = msg('请先选择名册文件，或者把名册内容粘贴进来。', { id: 'roster.empty' });
      return;
    }
    await this.send(this.text, false);
  }

  /** The file just refused, again, leaving out its rows with a problem. */
  private readonly importGoodRows = async () => {
    const text = this.refusedText;
    this.reset();
    await this.send(text, true);
  };

  private async send(text: string, skipProblemRows: boolean) {
    this.busy = true;
    try {
      this.result = await api.importRoster(this.villageId, text, skipProblemRows);
      // The rows skipped stay in the box, under the header, to be mended and sent again.
      this.text = this.result.skipped.length ? rosterRows(text, new Set(this.result.skipped.map((p) => p.row))) : '';
      this.fileName = '';
      this.refusedText = '';
      const input = this.renderRoot.querySelector<HTMLInputElement>('#file');
      if (input) input.value = '';
      this.dispatchEvent(new CustomEvent('roster-imported', { detail: this.result, bubbles: true, composed: true }));
    } catch (err) {
      const problems = err instanceof ApiError ? err.problems : [];
      if (problems.length) {
        this.problems = problems.map((p) => ({ row: p.row ?? 0, field: p.field ?? '', problem: p.problem ?? '' }));
        const importable = err instanceof ApiError ? (err.details as { importable?: unknown } | undefined)?.importable : undefined;
        this.importable = typeof importable === 'number' ? importable : 0;
        this.refusedText = text;
      } else {
        this.error = errorMessage(err);
      }
    } finally {
      this.busy = false;
    }
  }
}

/**
 * Read a roster file as text: UTF-8, or GBK as Excel in China saves CSV (the server's own
 * reading, so the console and `npm run roster:import` accept the same files).
 */
async function readText(file: File): Promise<string> {
  const text = decodeCsv(new Uint8Array(await file.arrayBuffer()));
  if (text === null) throw new Error('unreadable');
  return text;
}

declare global {
  interface HTMLElementTagNameMap {
    'roster-import': RosterImport;
  }
}
