import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { errorMessage } from '../api';
import { formatDate } from '../format';
import { plateUrls, resultsApi, type Plate, type ResultTarget } from '../results-api';
import { resultStyles, starsView } from '../results-view';
import { sharedStyles } from '../styles/shared';
import { confirmView, doneNote, errorView, loadingView, refusalNote } from '../views';
import './audit-trail';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';
import { clause } from '../../server/domain/text';
import { zh } from '../i18n/server-text';

/**
 * Honor plates of one final result: issue them, see each (SVG preview, verification page,
 * PDF, its 操作记录: who issued it, revoked it and why, what replaced it), revoke one with a
 * reason, and export the batch (CSV + one PDF) for the plate maker.
 */
@customElement('plate-manager')
@localized()
export class PlateManager extends LitElement {
  static override styles = [
    sharedStyles,
    resultStyles,
    css`
      :host {
        display: block;
      }
      ul.plates {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .preview {
        display: block;
        width: 100%;
        max-width: 420px;
        height: auto;
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius-sm);
        background: #fff;
        margin-bottom: var(--cy-space-2);
      }
      .serial {
        font-family: ui-monospace, monospace;
        overflow-wrap: anywhere;
      }
      .badge.issued {
        background: var(--cy-color-success-bg);
        color: var(--cy-color-success-text);
      }
      .badge.revoked {
        background: var(--cy-color-error-bg);
        color: var(--cy-color-error-text);
      }
      .badge.superseded {
        background: #ecebe6;
        color: var(--cy-color-text);
      }
    `,
  ];

  @property({ attribute: false }) campaignId = '';
  /** The final result the plates come from. */
  @property({ attribute: false }) target: ResultTarget | null = null;

  @state() private busy = '';
  /** The revoked plate whose replacement is being confirmed. */
  @state() private confirming = '';
  /** A note shown by one plate (its replacement was issued). */
  @state() private noteAt = '';
  @state() private plateNote = '';
  @state() private note = '';
  @state() private error: { where: string; message: string } | null = null;

  @query('reason-dialog') private dialog!: ReasonDialog;

  private plates = new Task(this, {
    task: ([campaignId, t], { signal }) => (campaignId && t ? resultsApi.plates(campaignId, t, signal) : Promise.resolve(null)),
    args: () => [this.campaignId, this.target] as const,
  });

  override render() {
    return html`
      <p class="hint">${msg('门牌按定稿结果发放，挂在门上，写户主全名。每块门牌的二维码可以扫码验证真伪。', { id: 'plates.lead' })}</p>
      ${doneNote(this.note)}
      ${refusalNote(this.error?.where === 'issue' ? this.error.message : null)}
      <div class="btn-row">
        ${this.issueButton()}
        ${this.target
          ? html`<a class="btn" href=${resultsApi.plateExportUrl(this.campaignId, this.target, 'csv')} download>${msg('导出名单（CSV）', { id: 'plates.csv' })}</a>
              <a class="btn" href=${resultsApi.plateExportUrl(this.campaignId, this.target, 'pdf')} target="_blank" rel="noopener">${msg('导出制作文件（PDF）', { id: 'plates.pdf' })}</a>`
          : nothing}
      </div>
      ${this.plates.render({
        initial: () => loadingView(),
        pending: () => (this.plates.value ? this.list(this.plates.value.plates, this.plates.value.reissuable) : loadingView()),
        error: (e) => errorView(e, () => void this.plates.run()),
        complete: (l) => (l ? this.list(l.plates, l.reissuable) : nothing),
      })}
      <reason-dialog
        heading=${msg('撤销门牌', { id: 'plates.revoke' })}
        label=${msg('撤销原因', { id: 'plates.revoke.reason' })}
        description=${msg('撤销后，扫码验证会显示“已撤销”和这个原因。如果只是门牌上的信息有误，撤销后可以在这里为这一户重新发放一块（新编号）。', { id: 'plates.revoke.description' })}
      ></reason-dialog>
    `;
  }

  /** 发放门牌 while some winners have none; afterwards, that they all have one. */
  private issueButton() {
    const waiting = this.plates.value?.waiting;
    if (waiting === undefined) return nothing;
    if (waiting === 0) {
      const revoked = this.plates.value?.reissuable.length ?? 0;
      if (revoked) return html`<p class="muted" style="margin:0; align-self:center">${msg(str`其余获评住户的门牌都已发放；另有 ${revoked} 户的门牌已撤销，如果是门牌信息有误，可以在下面已撤销的门牌处为它重新发放。`, { id: 'plates.revokedWaiting' })}</p>`;
      return this.plates.value?.plates.length ? html`<p class="muted" style="margin:0; align-self:center">${msg('获评住户的门牌都已发放。', { id: 'plates.allIssued' })}</p>` : nothing;
    }
    return html`<button type="button" class="btn primary" ?disabled=${this.busy === 'issue'} @click=${this.issue}>
      ${msg(str`发放门牌（${waiting} 户）`, { id: 'plates.issueCount' })}
    </button>`;
  }

  private list(plates: Plate[], reissuable: string[]) {
    if (!plates.length) return html`<p class="notice info" style="margin-top: var(--cy-space-3)">${msg('还没有发放门牌。', { id: 'plates.none' })}</p>`;
    return html`<h3 style="margin-top: var(--cy-space-4)">${msg(str`已发放的门牌（${plates.length} 块）`, { id: 'plates.count' })}</h3>
      <ul class="plates">
        ${plates.map((p) => this.plate(p, reissuable.includes(p.serial)))}
      </ul>`;
  }

  private plate(p: Plate, reissuable: boolean) {
    return html`<li class="card">
      <p>
        <strong id=${`plate-${p.serial}`}>${zh(p.holderName)}</strong> · ${zh(p.title)} ${starsView(p.stars)}
        <span class="badge ${p.status}">${zh(p.statusLabel)}</span>
      </p>
      <p class="serial">${p.serial}</p>
      <p class="muted">${zh(p.issuer)} · ${formatDate(`${p.issuedOn}T12:00:00+08:00`)}</p>
      ${p.revokedReason ? html`<p class="notice error">${msg('撤销原因：', { id: 'plate.revokedReason' })}${zh(p.revokedReason)}</p>` : nothing}
      <img class="preview" src=${plateUrls.svg(p.serial)} alt=${msg(str`荣誉门牌：${p.title}，${p.holderName}`, { id: 'plate.imageAlt' })} loading="lazy" width="420" height="280" />
      ${refusalNote(this.error?.where === p.serial ? this.error.message : null)}
      <div class="btn-row">
        <a class="btn" href=${plateUrls.page(p.serial)} aria-describedby=${`plate-${p.serial}`}>${msg('验证页', { id: 'plates.verify' })}</a>
        <a class="btn" href=${plateUrls.pdf(p.serial)} target="_blank" rel="noopener" aria-describedby=${`plate-${p.serial}`}>PDF</a>
        ${p.status === 'issued'
          ? html`<button type="button" class="btn danger" aria-describedby=${`plate-${p.serial}`} ?disabled=${this.busy === p.serial} @click=${() => this.revoke(p)}>
              ${msg('撤销门牌', { id: 'plates.revoke' })}
            </button>`
          : nothing}
        ${reissuable && this.confirming !== p.serial
          ? html`<button type="button" class="btn primary" aria-describedby=${`plate-${p.serial}`} ?disabled=${this.busy === p.serial} @click=${() => this.askReissue(p)}>
              ${msg('重新发放一块', { id: 'plates.reissue' })}
            </button>`
          : nothing}
      </div>
      ${reissuable && this.confirming === p.serial
        ? confirmView({
            id: `reissue-${p.serial}`,
            question: msg(str`确定为${p.holderName}重新发放一块门牌吗？`, { id: 'plates.reissue.confirm' }),
            details: [
              msg(str`这块门牌撤销的原因是：${clause(p.revokedReason ?? '')}。新门牌用新编号，这块仍显示已撤销。`, { id: 'plates.reissue.text' }),
              html`<strong>${msg('重新发放只用于门牌信息有误（如名字写错）。如果是因为庭院已不符合标准而撤销，请不要重新发放。', { id: 'plates.reissue.only' })}</strong>`,
            ],
            yes: msg('确定重新发放', { id: 'plates.reissue.yes' }),
            busy: this.busy === p.serial,
            onYes: () => this.reissue(p),
            onNo: () => (this.confirming = ''),
          })
        : nothing}
      ${this.noteAt === p.serial ? doneNote(this.plateNote) : nothing}
      <audit-trail subject=${`plate:${p.serial}`} .revision=${p}></audit-trail>
    </li>`;
  }

  private async issue() {
    const t = this.target;
    if (!t) return;
    this.busy = 'issue';
    this.note = '';
    this.error = null;
    try {
      const issued = await resultsApi.issuePlates(this.campaignId, t);
      this.note = msg(str`已发放 ${issued.length} 块门牌。`, { id: 'plates.issued' });
      await this.plates.run();
    } catch (err) {
      this.error = { where: 'issue', message: errorMessage(err) };
    } finally {
      this.busy = '';
    }
  }

  private async askReissue(p: Plate) {
    this.confirming = p.serial;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#reissue-${CSS.escape(p.serial)}`)?.focus();
  }

  private async reissue(p: Plate) {
    this.busy = p.serial;
    this.note = '';
    this.error = null;
    try {
      const plate = await resultsApi.reissuePlate(p.serial);
      // said where the cadre is, by the plate replaced
      this.noteAt = p.serial;
      this.plateNote = msg(str`已为${p.holderName}重新发放门牌，新编号 ${plate.serial}（在列表最后）。`, { id: 'plates.reissued' });
      this.confirming = '';
      await this.plates.run();
    } catch (err) {
      this.error = { where: p.serial, message: errorMessage(err) };
    } finally {
      this.busy = '';
    }
  }

  private async revoke(p: Plate) {
    const reason = await this.dialog.ask();
    if (!reason) return;
    this.busy = p.serial;
    this.note = '';
    this.error = null;
    try {
      await resultsApi.revokePlate(p.serial, reason);
      this.note = msg(str`门牌 ${p.serial} 已撤销。`, { id: 'plates.revoked' });
      await this.plates.run();
    } catch (err) {
      this.error = { where: p.serial, message: errorMessage(err) };
    } finally {
      this.busy = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'plate-manager': PlateManager;
  }
}
