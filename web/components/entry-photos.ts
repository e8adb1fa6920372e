import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { api, ApiError, errorMessage, PHOTO_KINDS, type Entry, type EntryPhoto, type PhotoKind } from '../api';
import { formatBytes } from '../format';
import { photoKindLabel } from '../i18n/labels';
import { PhotoDecodeError, shrinkPhoto } from '../photo-shrink';
import { sharedStyles } from '../styles/shared';
import { confirmView, doneNote, photoFailed } from '../views';
import './photo-pick';
import { said, zh } from '../i18n/server-text';

export const MAX_PHOTOS = 9;

/** A photo on its way up: shrunk once, kept until the server has it, so a failure is retried without picking it again. */
/** Photos that failed for want of a line are sent again by themselves this many times, this far apart. */
const AUTO_RETRIES = 5;
const AUTO_RETRY_MS = 20_000;

interface PendingPhoto {
  key: number;
  kind: PhotoKind;
  file: File | null;
  state: 'shrinking' | 'waiting' | 'uploading' | 'failed';
  blob: Blob | null;
  preview: string;
  originalBytes: number;
  progress: number;
  error: string;
  retryable: boolean;
  /** Failed for want of a line (no network, or it stalled): sent again by itself. */
  lostLine?: boolean;
}

/**
 * The photos of an entry being edited: add them from the camera or the gallery (shrunk in the
 * browser, one request each, with progress; failures kept for "重试"), choose each one's kind,
 * reorder, delete. Photos a cadre hid show the reason.
 *
 * @fires entry-changed - whenever the server answered with the changed entry; `detail` is `{ entry }`.
 */
@customElement('entry-photos')
@localized()
export class EntryPhotos extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      ol.photos,
      ul.queue {
        list-style: none;
        margin: 0 0 var(--cy-space-4);
        padding: 0;
      }
      .item {
        display: grid;
        grid-template-columns: 112px 1fr;
        gap: var(--cy-space-3);
        padding: var(--cy-space-3);
        margin-bottom: var(--cy-space-3);
        background: var(--cy-color-surface);
        border: 1px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius);
      }
      .item img,
      .item .placeholder {
        width: 112px;
        height: 84px;
        object-fit: cover;
        border-radius: var(--cy-radius-sm);
        background: var(--cy-color-border-soft);
        display: block;
      }
      .item.hidden-photo img {
        opacity: 0.5;
      }
      .item p {
        margin: 0 0 var(--cy-space-1);
      }
      .item .btn-row {
        grid-column: 1 / -1;
        margin-top: 0;
      }
      .item .btn-row .btn {
        flex: 1 1 auto;
      }
      .item .field {
        margin-bottom: 0;
      }
      .item select {
        min-width: 0;
      }
      .warn {
        color: var(--cy-color-warning-text);
        background: var(--cy-color-warning-bg);
        border-radius: var(--cy-radius-sm);
        padding: 0 var(--cy-space-2);
      }
      .bad {
        color: var(--cy-color-error-text);
        font-weight: 600;
      }
      .confirm {
        grid-column: 1 / -1;
        margin: 0;
      }
      .kinds {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0 var(--cy-space-3);
      }
    `,
  ];

  /** The entry whose photos these are. */
  @property({ attribute: false }) entry!: Entry;
  /** False once the entry can no longer change: the list is then shown only. */
  @property({ attribute: false }) editable = true;

  @state() private queue: PendingPhoto[] = [];
  @state() private newKind: PhotoKind = 'overview';
  @state() private busyPhoto = '';
  @state() private confirmDelete = '';
  @state() private error = '';
  @state() private note = '';

  private nextKey = 1;
  private shrinking = false;
  private uploading = false;

  /** Photos still being shrunk or sent (not counting failed ones). */
  get pending(): number {
    return this.queue.filter((p) => p.state !== 'failed').length;
  }

  /** Photos that failed and wait for "重试". */
  get failed(): number {
    return this.queue.filter((p) => p.state === 'failed').length;
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.onLeave);
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.onLeave);
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.autoRetry);
    this.autoRetry = undefined;
    for (const p of this.queue) if (p.preview) URL.revokeObjectURL(p.preview);
  }

  private autoRetry: ReturnType<typeof setTimeout> | undefined;
  private autoRetries = 0;

  /** The network is back: photos that failed on the way are sent again without being asked. */
  private readonly onOnline = () => {
    if (this.queue.some((p) => p.state === 'failed' && p.retryable)) this.retryAll();
  };

  /** Closing or reloading the page while photos are still on their way would lose them: ask first. */
  private readonly onLeave = (e: BeforeUnloadEvent) => {
    if (this.pending > 0) e.preventDefault();
  };

  override render() {
    const photos = this.sorted();
    const room = MAX_PHOTOS - photos.length - this.queue.length;
    return html`
      <p class="hint count" tabindex="-1">
        ${msg(str`已有 ${photos.length} 张，最多 ${MAX_PHOTOS} 张。排在最前面的是封面。`, { id: 'photos.count' })}
      </p>
      ${doneNote(this.note)}
      <p class="visually-hidden" role="status">${this.queueSummary()}</p>
      <div role="alert">${this.error ? html`<p class="notice error">${said(this.error)}</p>` : nothing}</div>
      ${photos.length
        ? html`<ol class="photos" aria-label=${msg('已上传的照片', { id: 'photos.uploaded' })}>
            ${photos.map((p, i) => this.photoItem(p, i, photos.length, p === photos.find((x) => !x.hidden)))}
          </ol>`
        : nothing}
      ${this.queue.length
        ? html`<ul class="queue" aria-label=${msg('正在上传的照片', { id: 'photos.queue' })}>
            ${this.queue.map((p, i) => this.queueItem(p, i))}
          </ul>
          ${this.queue.filter((p) => p.state === 'failed' && p.retryable).length > 1
            ? html`<button type="button" class="btn primary block" @click=${this.retryAll}>${msg('全部重试', { id: 'photos.retryAll' })}</button>`
            : nothing}`
        : nothing}
      ${this.editable ? (room > 0 ? this.addControls() : html`<p class="notice info">${msg('照片已经满 9 张了。要换照片，请先删除一张。', { id: 'photos.full' })}</p>`) : nothing}
    `;
  }

  private addControls() {
    return html`
      <fieldset>
        <legend>${msg('新照片是哪一种？', { id: 'photos.newKind' })}</legend>
        <div class="kinds">
          ${PHOTO_KINDS.map(
            (k) => html`<label class="choice">
              <input type="radio" name="new-kind" .value=${k} .checked=${this.newKind === k} @change=${() => (this.newKind = k)} />
              ${photoKindLabel(k)}
            </label>`,
          )}
        </div>
      </fieldset>
      <photo-pick @photos-picked=${(e: CustomEvent<{ files: File[] }>) => this.addFiles(e.detail.files)}></photo-pick>
      <p class="hint" style="margin-top: var(--cy-space-2)">
        ${msg('照片会先在手机上压缩再上传，省流量。上传时请不要离开这一页。', { id: 'photos.shrinkHint' })}
      </p>
    `;
  }

  private photoItem(p: EntryPhoto, i: number, n: number, cover: boolean) {
    const busy = this.busyPhoto === p.id;
    const kindId = `kind-${p.id}`;
    return html`<li class="item ${p.hidden ? 'hidden-photo' : ''}" data-photo=${p.id}>
      <img src=${p.thumbUrl} alt=${msg(str`第 ${i + 1} 张：${photoKindLabel(p.kind)}`, { id: 'photos.alt' })} width="112" height="84" loading="lazy" @error=${photoFailed} />
      <div>
        <p><strong>${msg(str`第 ${i + 1} 张`, { id: 'photos.nth' })}</strong>${cover ? msg('（封面）', { id: 'photos.cover' }) : ''}</p>
        ${this.editable
          ? html`<div class="field">
              <label for=${kindId}>${msg('照片类型', { id: 'photos.kind' })}</label>
              <select id=${kindId} @change=${(e: Event) => this.changeKind(p, (e.target as HTMLSelectElement).value as PhotoKind)}>
                ${PHOTO_KINDS.map((k) => html`<option value=${k} ?selected=${p.kind === k}>${photoKindLabel(k)}</option>`)}
              </select>
            </div>`
          : html`<p>${photoKindLabel(p.kind)}</p>`}
      </div>
      ${p.hidden
        ? html`<p class="bad" style="grid-column: 1 / -1">
            ${msg('村干部隐藏了这张照片，别人看不到。原因：', { id: 'photos.hiddenReason' })}${zh(p.hidden.reason)}
          </p>`
        : nothing}
      ${p.takenOutsideRound
        ? html`<p class="warn" style="grid-column: 1 / -1">${msg('这张照片不是在本轮评比时间内拍的，请尽量用最近拍的照片。', { id: 'photos.outsideRound' })}</p>`
        : nothing}
      ${this.editable
        ? this.confirmDelete === p.id
          ? confirmView({
              question: msg('确定删除这张照片吗？', { id: 'photos.delete.confirm' }),
              yes: msg('确定删除', { id: 'photos.delete.yes' }),
              danger: true,
              busy,
              onYes: () => this.deletePhoto(p),
              onNo: () => this.cancelDelete(p),
            })
          : html`<div class="btn-row">
              <button type="button" class="btn" data-move="up" ?disabled=${busy || i === 0} @click=${() => this.move(p, -1)}>
                ${msg('上移', { id: 'photos.up' })}
              </button>
              <button type="button" class="btn" data-move="down" ?disabled=${busy || i === n - 1} @click=${() => this.move(p, 1)}>
                ${msg('下移', { id: 'photos.down' })}
              </button>
              <button type="button" class="btn danger" data-delete ?disabled=${busy} @click=${() => this.askDelete(p)}>
                ${msg('删除', { id: 'photos.delete' })}
              </button>
            </div>`
        : nothing}
    </li>`;
  }

  /**
   * The photos on their way, in words a screen reader says as they change: the state of the
   * queue, not each percent (the bar shows those).
   */
  private queueSummary(): string {
    const n = (state: PendingPhoto['state']) => this.queue.filter((p) => p.state === state).length;
    const busy = n('shrinking') + n('waiting') + n('uploading');
    const failed = n('failed');
    return [
      busy ? msg(str`还有 ${busy} 张照片正在处理和上传。`, { id: 'photos.summary.busy' }) : '',
      failed ? msg(str`${failed} 张上传失败。`, { id: 'photos.summary.failed' }) : '',
    ].join('');
  }

  private queueItem(p: PendingPhoto, i: number) {
    const pct = Math.round(p.progress * 100);
    const status =
      p.state === 'shrinking'
        ? msg('正在压缩照片……', { id: 'photos.state.shrinking' })
        : p.state === 'waiting'
          ? msg('等待上传', { id: 'photos.state.waiting' })
          : p.state === 'uploading'
            ? msg(str`正在上传 ${pct}%`, { id: 'photos.state.uploading' })
            : p.blob
              ? msg('上传失败', { id: 'photos.state.failed' })
              : msg('打不开这张照片', { id: 'photos.state.undecodable' });
    return html`<li class="item" data-pending=${p.key}>
      ${p.preview ? html`<img src=${p.preview} alt=${msg(str`新照片 ${i + 1}`, { id: 'photos.newAlt' })} width="112" height="84" />` : html`<span class="placeholder"></span>`}
      <div>
        <p><strong>${status}</strong></p>
        <p class="muted">
          ${photoKindLabel(p.kind)}${p.blob ? ` · ${formatBytes(p.originalBytes)} → ${formatBytes(p.blob.size)}` : ''}
        </p>
        ${p.state === 'uploading' || p.state === 'waiting'
          ? html`<span class="meter" aria-hidden="true"><span style=${styleMap({ width: `${pct}%` })}></span></span>`
          : nothing}
      </div>
      ${p.state === 'failed'
        ? html`<p class="bad" style="grid-column: 1 / -1">${p.error}</p>
            <div class="btn-row">
              ${p.retryable ? html`<button type="button" class="btn primary" @click=${() => this.retry(p.key)}>${msg('重试', { id: 'photos.retry' })}</button>` : nothing}
              <button type="button" class="btn" @click=${() => this.drop(p.key)}>${msg('不传这张', { id: 'photos.drop' })}</button>
            </div>`
        : nothing}
    </li>`;
  }

  // ---------- adding ----------

  /** Queue files for shrinking and upload, as many as there is room for. */
  addFiles(files: File[]) {
    const room = MAX_PHOTOS - this.entry.photos.length - this.queue.length;
    const taken = files.slice(0, Math.max(0, room));
    this.note = '';
    this.error =
      files.length > taken.length
        ? msg(str`每个作品最多 ${MAX_PHOTOS} 张照片，多出的 ${files.length - taken.length} 张没有加上。`, { id: 'photos.tooMany' })
        : '';
    this.queue = [
      ...this.queue,
      ...taken.map(
        (file): PendingPhoto => ({
          key: this.nextKey++,
          kind: this.newKind,
          file,
          state: 'shrinking',
          blob: null,
          preview: '',
          originalBytes: file.size,
          progress: 0,
          error: '',
          retryable: true,
        }),
      ),
    ];
    void this.shrinkAll();
  }

  private patch(key: number, change: Partial<PendingPhoto>) {
    this.queue = this.queue.map((p) => (p.key === key ? { ...p, ...change } : p));
  }

  /** One photo at a time: a cheap phone has memory for one decoded 12-megapixel picture, not five. */
  private async shrinkAll() {
    if (this.shrinking) return;
    this.shrinking = true;
    try {
      for (let p = this.queue.find((q) => q.state === 'shrinking'); p; p = this.queue.find((q) => q.state === 'shrinking')) {
        try {
          const { blob } = await shrinkPhoto(p.file!);
          this.patch(p.key, { state: 'waiting', blob, file: null, preview: URL.createObjectURL(blob) });
          void this.uploadAll();
        } catch (err) {
          this.patch(p.key, {
            state: 'failed',
            file: null,
            retryable: false,
            error:
              err instanceof PhotoDecodeError
                ? msg('这张照片手机打不开，可能是格式不支持或文件坏了。请换一张，或者直接用“拍照”。', { id: 'photos.undecodable' })
                : msg('这张照片处理不了，手机内存可能不够。请关掉别的应用再试，或者换一张。', { id: 'photos.shrinkFailed' }),
          });
        }
      }
    } finally {
      this.shrinking = false;
    }
  }

  /** One request per photo, one after another: on a weak connection they would only slow each other down. */
  private async uploadAll() {
    if (this.uploading) return;
    this.uploading = true;
    try {
      for (let p = this.queue.find((q) => q.state === 'waiting'); p; p = this.queue.find((q) => q.state === 'waiting')) {
        const key = p.key;
        this.patch(key, { state: 'uploading', progress: 0, error: '' });
        try {
          const entry = await api.uploadPhoto(this.entry.id, p.blob!, p.kind, {
            onProgress: (sent, total) => this.patch(key, { progress: total ? sent / total : 0 }),
          });
          this.drop(key);
          this.autoRetries = 0;
          this.changed(entry);
          this.note = msg('照片已上传。', { id: 'photos.uploadedOne' });
        } catch (err) {
          // unreadable or refused by type: sending the same bytes again cannot help
          const permanent = err instanceof ApiError && (err.status === 415 || err.status === 413 || err.code === 'photo_unreadable');
          // No line, or another photo of this account still on its way: sent again by itself.
          const lostLine = err instanceof ApiError && (err.status === 0 || err.code === 'uploads_at_once');
          const goesAgain = lostLine && this.autoRetries < AUTO_RETRIES;
          this.note = '';
          this.patch(key, {
            state: 'failed',
            error: [
              errorMessage(err) || msg('上传失败。', { id: 'photos.uploadFailed' }),
              goesAgain ? (err.status === 0 ? msg('网络恢复后会自动重新上传。', { id: 'photos.autoRetry' }) : msg('稍后会自动重新上传。', { id: 'photos.autoRetryLater' })) : '',
            ]
              .filter(Boolean)
              .join(' '),
            retryable: !permanent,
            lostLine,
          });
        }
      }
    } finally {
      this.uploading = false;
      this.retryLater();
    }
  }

  /**
   * Photos that failed for want of a line are sent again a little later, a few times: the
   * browser's online event comes only after it knew it was offline, not after a stalled line.
   */
  private retryLater() {
    if (this.autoRetry || !this.queue.some((p) => p.state === 'failed' && p.lostLine)) return;
    if (this.autoRetries >= AUTO_RETRIES) return;
    this.autoRetry = setTimeout(() => {
      this.autoRetry = undefined;
      if (!navigator.onLine) return; // the online event takes over
      this.autoRetries++;
      this.retryAll();
    }, AUTO_RETRY_MS);
  }

  private retry(key: number) {
    this.patch(key, { state: 'waiting', error: '' });
    void this.uploadAll();
  }

  private retryAll() {
    this.queue = this.queue.map((p) => (p.state === 'failed' && p.retryable ? { ...p, state: 'waiting', error: '' } : p));
    void this.uploadAll();
  }

  /** Forget a pending photo (uploaded, or given up on). */
  private drop(key: number) {
    const p = this.queue.find((q) => q.key === key);
    if (p?.preview) URL.revokeObjectURL(p.preview);
    this.queue = this.queue.filter((q) => q.key !== key);
  }

  // ---------- changing uploaded photos ----------

  private sorted(): EntryPhoto[] {
    return [...this.entry.photos].sort((a, b) => a.position - b.position);
  }

  private changed(entry: Entry) {
    this.entry = entry;
    this.dispatchEvent(new CustomEvent('entry-changed', { detail: { entry }, bubbles: true, composed: true }));
  }

  private async act(p: EntryPhoto, call: () => Promise<Entry>, note: string): Promise<boolean> {
    this.busyPhoto = p.id;
    this.error = '';
    this.note = '';
    try {
      this.changed(await call());
      this.note = note;
      return true;
    } catch (err) {
      this.error = errorMessage(err);
      return false;
    } finally {
      this.busyPhoto = '';
    }
  }

  private async changeKind(p: EntryPhoto, kind: PhotoKind) {
    if (kind === p.kind) return;
    await this.act(p, () => api.updateEntry(this.entry.id, { photoKinds: { [p.id]: kind } }), msg(str`已改为“${photoKindLabel(kind)}”。`, { id: 'photos.kindChanged' }));
  }

  private async move(p: EntryPhoto, by: -1 | 1) {
    const order = this.sorted().map((x) => x.id);
    const i = order.indexOf(p.id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= order.length) return;
    [order[i], order[j]] = [order[j]!, order[i]!];
    const ok = await this.act(p, () => api.updateEntry(this.entry.id, { photoOrder: order }), msg(str`已移到第 ${j + 1} 张。`, { id: 'photos.moved' }));
    if (!ok) return;
    // keep the finger (and the keyboard) on the photo that moved
    await this.updateComplete;
    const item = this.renderRoot.querySelector(`[data-photo="${CSS.escape(p.id)}"]`);
    const same = item?.querySelector<HTMLButtonElement>(`[data-move="${by < 0 ? 'up' : 'down'}"]`);
    const other = item?.querySelector<HTMLButtonElement>(`[data-move="${by < 0 ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }

  private async askDelete(p: EntryPhoto) {
    this.confirmDelete = p.id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-photo="${CSS.escape(p.id)}"] .btn.danger`)?.focus();
  }

  private async cancelDelete(p: EntryPhoto) {
    this.confirmDelete = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-photo="${CSS.escape(p.id)}"] [data-delete]`)?.focus();
  }

  private async deletePhoto(p: EntryPhoto) {
    const ok = await this.act(p, () => api.deletePhoto(this.entry.id, p.id), msg('照片已删除。', { id: 'photos.deleted' }));
    if (!ok) return;
    this.confirmDelete = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.count')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'entry-photos': EntryPhotos;
  }
}
