import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, errorMessage, type FlaggedPhoto, type ReusedPhoto } from '../api';
import { formatDateTime, formatPeriod } from '../format';
import { sharedStyles } from '../styles/shared';
import { doneNote, emptyView, errorView, loadingView, photoFailed, refusalNote } from '../views';
import './reason-dialog';
import type { ReasonDialog } from './reason-dialog';

/**
 * Photo checks for a round: pictures that repeat another household's (or the same household's
 * from an earlier round), side by side, and pictures whose capture time lies outside the round.
 * A cadre can hide the round's copy from here, with a reason.
 */
@customElement('photo-flags')
@localized()
export class PhotoFlagsView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .pair {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--cy-space-3);
        margin: var(--cy-space-3) 0;
      }
      figure {
        margin: 0;
        min-width: 0;
      }
      figure img {
        display: block;
        width: 100%;
        height: auto;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        border-radius: var(--cy-radius-sm);
        background: var(--cy-color-border-soft);
      }
      figcaption {
        font-size: var(--cy-font-size-sm);
        overflow-wrap: anywhere;
      }
      figcaption strong {
        display: block;
        font-size: var(--cy-font-size-base);
      }
      .kind {
        font-weight: 700;
        margin: 0;
      }
      .single {
        display: grid;
        grid-template-columns: 140px 1fr;
        gap: var(--cy-space-3);
        align-items: start;
      }
    `,
  ];

  @property({ attribute: 'round-id' }) roundId = '';

  @state() private busy = '';
  @state() private note = '';
  @state() private actionError = '';
  /** Photos hidden from here (the flags list does not say which are hidden). */
  @state() private hiddenHere: ReadonlySet<string> = new Set();

  @query('reason-dialog') private dialog!: ReasonDialog;

  private flags = new Task(this, {
    task: ([roundId], { signal }) => (roundId ? api.photoFlags(roundId, signal) : Promise.resolve(null)),
    args: () => [this.roundId] as const,
  });

  override render() {
    return html`
      ${doneNote(this.note)}
      ${refusalNote(this.actionError)}
      ${this.flags.render({
        initial: () => loadingView(),
        pending: () => loadingView(),
        error: (e) => errorView(e, () => void this.flags.run()),
        complete: (f) =>
          f
            ? html`
                <section aria-labelledby="reused-heading">
                  <h3 id="reused-heading">${msg(str`重复使用的照片（${f.reused.length}）`, { id: 'flags.reused' })}</h3>
                  <p class="hint">${msg('和别的住户的照片一样或几乎一样，或者同一户在往期用过。', { id: 'flags.reused.hint' })}</p>
                  ${f.reused.length
                    ? html`<ul class="plain">${f.reused.map((r) => this.reusedItem(r))}</ul>`
                    : emptyView(msg('没有发现重复使用的照片。', { id: 'flags.reused.none' }))}
                </section>
                <section aria-labelledby="outside-heading">
                  <h3 id="outside-heading">${msg(str`不是本轮时间拍的照片（${f.outsideRound.length}）`, { id: 'flags.outside' })}</h3>
                  <p class="hint">${msg('按照片里记录的拍摄时间，不在本轮评比的时间内。', { id: 'flags.outside.hint' })}</p>
                  ${f.outsideRound.length
                    ? html`<ul class="plain">${f.outsideRound.map((p) => this.outsideItem(p))}</ul>`
                    : emptyView(msg('没有发现拍摄时间不对的照片。', { id: 'flags.outside.none' }))}
                </section>
              `
            : nothing,
      })}
      <reason-dialog
        heading=${msg('隐藏这张照片', { id: 'moderation.hidePhoto.heading' })}
        label=${msg('隐藏原因', { id: 'moderation.hide.reason' })}
        description=${msg('这一户会收到通知，看到这个原因。请写清楚，例如“照片不是本户庭院”。', { id: 'moderation.hide.description' })}
      ></reason-dialog>
    `;
  }

  private reusedItem(r: ReusedPhoto) {
    const matchPeriod = r.match.period ? formatPeriod(r.match.period) || r.match.period : '';
    return html`<li class="card">
      <p class="kind">
        ${r.kind === 'exact'
          ? msg('完全相同的照片', { id: 'flags.exact' })
          : msg(str`几乎一样的照片（差异 ${r.distance}）`, { id: 'flags.near' })}
      </p>
      <p>
        ${r.sameHousehold
          ? msg('同一户在往期用过这张照片。', { id: 'flags.sameHousehold' })
          : msg('和另一户的照片重复。', { id: 'flags.otherHousehold' })}
      </p>
      <div class="pair">
        ${this.figure(r.photo, msg('本轮', { id: 'flags.thisRound' }))}
        ${this.figure(r.match, matchPeriod || msg('其他轮次', { id: 'flags.otherRound' }))}
      </div>
      ${this.hideButton(r.photo)}
    </li>`;
  }

  private outsideItem(p: FlaggedPhoto) {
    return html`<li class="card single">
      ${this.figure(p, '')}
      <div>
        <p><strong>${msg(str`户主：${p.householdName}`, { id: 'flags.household' })}</strong></p>
        <p>${msg('拍摄时间：', { id: 'flags.capturedAt' })}${formatDateTime(p.capturedAt)}</p>
        ${this.hideButton(p)}
      </div>
    </li>`;
  }

  private figure(p: FlaggedPhoto, caption: string) {
    return html`<figure>
      <a href=${`/entries/${encodeURIComponent(p.entryId)}`}>
        <img src=${p.thumbUrl} width="400" height="300" loading="lazy" @error=${photoFailed} alt=${msg(str`${p.householdName}户的照片，打开作品`, { id: 'flags.photoAlt' })} />
      </a>
      ${caption
        ? html`<figcaption>
            <strong>${caption}</strong>
            ${msg(str`户主：${p.householdName}`, { id: 'flags.household' })}<br />
            ${msg('上传：', { id: 'flags.uploadedAt' })}${formatDateTime(p.uploadedAt)}
          </figcaption>`
        : nothing}
    </figure>`;
  }

  private hideButton(p: FlaggedPhoto) {
    if (this.hiddenHere.has(p.photoId)) return html`<p class="badge hidden">${msg('已隐藏', { id: 'moderation.hidden' })}</p>`;
    return html`<button type="button" class="btn danger" data-photo=${p.photoId} @click=${() => this.hide(p)}>${msg('隐藏照片', { id: 'moderation.hidePhoto' })}</button>`;
  }

  private async hide(p: FlaggedPhoto) {
    if (this.busy) return;
    const reason = await this.dialog.ask();
    if (!reason) return;
    this.busy = p.photoId;
    this.note = '';
    this.actionError = '';
    try {
      await api.moderate(p.entryId, { action: 'hide', reason, photoId: p.photoId });
      this.hiddenHere = new Set([...this.hiddenHere, p.photoId]);
      this.note = msg(str`已隐藏${p.householdName}户的这张照片。`, { id: 'flags.hidden' });
    } catch (err) {
      this.actionError = errorMessage(err);
    } finally {
      this.busy = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'photo-flags': PhotoFlagsView;
  }
}
