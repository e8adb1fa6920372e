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
import { zh } from '../i18n/server-text';

/**
 * Photo checks for a round: pictures that repeat another household's (or the same household's
 * from an earlier round), side by side, and pictures whose capture time lies outside the round.
 * A cadre hides the round's copy from here, or finds it fine (没问题); each with a reason. Either
 * takes it off what the console counts as waiting.
 *
 * @fires photos-checked - after a photo was hidden or found fine.
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
  /** What was decided here since the list loaded: hidden, or found fine with the reason. */
  @state() private decidedHere: ReadonlyMap<string, { hidden: true } | { reason: string }> = new Map();

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
      <reason-dialog></reason-dialog>
    `;
  }

  private reusedItem(r: ReusedPhoto) {
    // a month by its name; a single evaluation's round (its period a date) as another round
    const matchPeriod = r.match.period ? formatPeriod(r.match.period) : '';
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
      ${this.actions(r.photo)}
    </li>`;
  }

  private outsideItem(p: FlaggedPhoto) {
    return html`<li class="card single">
      ${this.figure(p, '')}
      <div>
        <p><strong>${msg(html`户主：${zh(p.householdName)}`, { id: 'flags.household' })}</strong></p>
        <p>${msg('拍摄时间：', { id: 'flags.capturedAt' })}${formatDateTime(p.capturedAt)}</p>
        ${this.actions(p)}
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
            ${msg(html`户主：${zh(p.householdName)}`, { id: 'flags.household' })}<br />
            ${msg('上传：', { id: 'flags.uploadedAt' })}${formatDateTime(p.uploadedAt)}
          </figcaption>`
        : nothing}
    </figure>`;
  }

  /** Hide the round's copy, or find it fine; once decided, what was decided. */
  private actions(p: FlaggedPhoto) {
    const here = this.decidedHere.get(p.photoId);
    if (p.hidden || (here && 'hidden' in here)) return html`<p class="badge hidden">${msg('已隐藏', { id: 'moderation.hidden' })}</p>`;
    const cleared = here && 'reason' in here ? here.reason : p.cleared?.reason;
    if (cleared !== undefined) return html`<p class="muted">${msg('已核实没问题：', { id: 'flags.cleared' })}${zh(cleared)}</p>`;
    const busy = this.busy === p.photoId;
    return html`<div class="btn-row">
      <button type="button" class="btn danger" data-photo=${p.photoId} ?disabled=${busy} @click=${() => this.hide(p)}>${msg('隐藏照片', { id: 'moderation.hidePhoto' })}</button>
      <button type="button" class="btn" ?disabled=${busy} @click=${() => this.clear(p)}>${msg('没问题', { id: 'flags.clear' })}</button>
    </div>`;
  }

  private async hide(p: FlaggedPhoto) {
    const d = this.dialog;
    d.heading = msg('隐藏这张照片', { id: 'moderation.hidePhoto.heading' });
    d.label = msg('隐藏原因', { id: 'moderation.hide.reason' });
    d.description = msg('这一户会收到通知，看到这个原因。请写清楚，例如“照片不是本户庭院”。', { id: 'moderation.hide.description' });
    await this.decide(p, (reason) => api.moderate(p.entryId, { action: 'hide', reason, photoId: p.photoId }), { hidden: true }, msg(str`已隐藏${p.householdName}户的这张照片。`, { id: 'flags.hidden' }));
  }

  private async clear(p: FlaggedPhoto) {
    const d = this.dialog;
    d.heading = msg('这张照片没问题', { id: 'flags.clear.heading' });
    d.label = msg('核实情况', { id: 'flags.clear.reason' });
    d.description = msg('写下您核实的情况，例如“是本户上个月在同一个角度拍的”。会记入操作记录，这一户不会收到通知。', { id: 'flags.clear.description' });
    await this.decide(p, (reason) => api.clearPhotoFlags(p.entryId, p.photoId, reason), null, msg(str`已记下${p.householdName}户的这张照片没问题。`, { id: 'flags.cleared.note' }));
  }

  /** Ask for the reason, send it, and show what was decided. */
  private async decide(p: FlaggedPhoto, send: (reason: string) => Promise<unknown>, hidden: { hidden: true } | null, done: string) {
    if (this.busy) return;
    const reason = await this.dialog.ask();
    if (!reason) return;
    this.busy = p.photoId;
    this.note = '';
    this.actionError = '';
    try {
      await send(reason);
      this.decidedHere = new Map([...this.decidedHere, [p.photoId, hidden ?? { reason }]]);
      this.note = done;
      this.dispatchEvent(new CustomEvent('photos-checked', { bubbles: true, composed: true }));
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
