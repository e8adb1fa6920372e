import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, errorMessage, type Criterion, type User } from '../api';
import '../components/onsite-photos';
import '../components/photo-strip';
import '../components/reason-dialog';
import type { ReasonDialog } from '../components/reason-dialog';
import '../components/score-summary';
import { formatDate } from '../format';
import { isOverdue, scoringOpen, visitStatus, type VisitStatus } from '../panel-state';
import { goToSignIn } from '../router';
import { criterionName } from '../score-explain';
import { sameSheet, scoringApi, type InspectionItem, type InspectionQueue, type Points } from '../scoring-api';
import { type Session, sessionContext } from '../session';
import { newIdempotencyKey, OutboxController, sheetOutbox, type OutboxSheet } from '../sheet-outbox';
import { sharedStyles } from '../styles/shared';
import { errorView, loadingView, refusalNote } from '../views';
import { said, zh } from '../i18n/server-text';

type Errors = Record<string, string>;

/**
 * One courtyard's score sheet, made for one hand on a phone in sunlight: the photos at hand,
 * the on-site check as two large toggles (通过 / 不通过), a stepper per criterion with its name,
 * maximum and guidance, a comment (required at 0 or full marks — said before sending), and
 * 提交评分. The sheet is kept on the phone first and sent from there (web/sheet-outbox.ts), so it
 * works without signal. Once the member's sheet is in, the panel's sheets and the explained
 * score appear; having read them, the member changes their own only with a reason (为什么修改),
 * which the panel and the cadre see with the points from before. A member related to the
 * family steps aside (回避) with a reason.
 */
@customElement('score-sheet-page')
@localized()
export class ScoreSheetPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      h1 {
        overflow-wrap: anywhere;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--cy-space-1) var(--cy-space-2);
        align-items: center;
        margin-bottom: var(--cy-space-3);
      }
      .badge.overdue {
        background: var(--cy-color-danger);
        color: var(--cy-color-on-primary);
      }
      form {
        margin-top: var(--cy-space-4);
      }
      .toggles {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: var(--cy-space-3);
      }
      .toggle {
        position: relative;
        display: flex;
        align-items: center;
        justify-content: center;
        min-height: 64px;
        border: 3px solid var(--cy-color-border);
        border-radius: var(--cy-radius);
        background: var(--cy-color-surface);
        font-size: var(--cy-font-size-xl);
        font-weight: 700;
        cursor: pointer;
        touch-action: manipulation;
      }
      /* the radio covers its whole label: a tap anywhere on the big button is a tap on the radio */
      .toggle input {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        margin: 0;
        opacity: 0;
        cursor: inherit;
      }
      .toggle:has(input:focus-visible) {
        outline: var(--cy-focus-ring);
        outline-offset: 2px;
      }
      .toggle.yes:has(input:checked) {
        background: var(--cy-color-primary);
        border-color: var(--cy-color-primary);
        color: var(--cy-color-on-primary);
      }
      .toggle.no:has(input:checked) {
        background: var(--cy-color-danger);
        border-color: var(--cy-color-danger);
        color: var(--cy-color-on-primary);
      }
      .toggle:has(input:checked)::before {
        content: '✓ ';
        white-space: pre;
      }
      .toggle:has(input:disabled) {
        cursor: not-allowed;
        opacity: 0.7;
      }
      .criterion {
        border: 2px solid var(--cy-color-border-soft);
        border-radius: var(--cy-radius);
        padding: var(--cy-space-3);
        margin-bottom: var(--cy-space-3);
        background: var(--cy-color-surface);
        container-type: inline-size;
      }
      .criterion[data-invalid] {
        border-color: var(--cy-color-danger);
      }
      .criterion h3 {
        display: flex;
        /* a long English name at large text wraps, the maximum going under it */
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 var(--cy-space-2);
        overflow-wrap: anywhere;
        margin: 0 0 var(--cy-space-1);
      }
      .criterion .max {
        font-size: var(--cy-font-size-base);
        font-weight: 600;
        color: var(--cy-color-text-muted);
        white-space: nowrap;
      }
      .stepper {
        display: grid;
        grid-template-columns: 48px 60px minmax(0, 1fr) 60px 48px;
        gap: 6px;
        align-items: stretch;
        margin-top: var(--cy-space-2);
      }
      .stepper .btn {
        min-width: 0;
        min-height: 60px;
        padding: 0;
        font-size: var(--cy-font-size-lg);
      }
      .stepper .btn.one {
        font-size: 2rem;
        line-height: 1;
      }
      /* more specific than the shared text-field rule, which sets font and padding */
      :host .stepper input[type='number'][inputmode] {
        min-height: 60px;
        padding: 0;
        text-align: center;
        font-size: 1.9rem;
        font-weight: 700;
        -moz-appearance: textfield;
      }
      /* an empty box says it is not scored yet, small, so it cannot be taken for a minus sign */
      :host .stepper input[type='number'][inputmode]::placeholder {
        font-size: var(--cy-font-size-sm);
        font-weight: 400;
        color: var(--cy-color-text-muted);
      }
      /* With large text (a phone set to 150 %) five in a row no longer fit: the score takes a
         row of its own above the four buttons, which keep their labels whole. */
      @container (max-width: 16em) {
        .stepper {
          grid-template-columns: repeat(4, minmax(0, 1fr));
        }
        :host .stepper input[type='number'][inputmode] {
          grid-column: 1 / -1;
          grid-row: 1;
        }
      }
      .stepper input::-webkit-outer-spin-button,
      .stepper input::-webkit-inner-spin-button {
        -webkit-appearance: none;
        margin: 0;
      }
      .total {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
      }
      textarea {
        min-height: 5em;
        resize: vertical;
      }
      .submit {
        min-height: 64px;
        font-size: var(--cy-font-size-xl);
        /* well apart from 拍现场照片 above it, for a thumb in a courtyard */
        margin-top: var(--cy-space-5);
      }
      .errors ul {
        margin: 0;
        padding-left: 1.2em;
      }
    `,
  ];

  @property({ attribute: false }) roundId = '';
  @property({ attribute: false }) entryId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  @state() private passed: boolean | null = null;
  @state() private points: Record<string, number | null> = {};
  @state() private comment = '';
  /** Why a sheet changes after the member has read the others'. */
  @state() private reason = '';
  /** The others' sheets were shown on this page (the server has marked the member's sheet). */
  @state() private seenOthers = false;
  /** The member asked to see the others' sheets of the entry shown. */
  @state() private showOthers = false;
  @state() private errors: Errors = {};
  @state() private saved = false;
  @state() private recuseError = '';
  @state() private recusing = false;

  @query('reason-dialog') private reasonDialog!: ReasonDialog;

  private readonly outbox = new OutboxController(this);
  /** The idempotency key of this edit: made on the first 提交 after a change, kept for resends. */
  private key: string | null = null;
  private filledFor = '';
  /** When the sheet on this phone was last sent (-1 before the first render). */
  private sentAt = -1;

  private queue = new Task(this, {
    task: ([roundId], { signal }) => scoringApi.inspections(roundId, signal),
    args: () => [this.roundId] as const,
  });

  override willUpdate() {
    // my sheet just reached the server: ask again for the sheets in
    const sentAt = this.session?.user ? (this.outbox.find(this.session.user.id, this.entryId)?.sentAt ?? 0) : 0;
    if (sentAt > this.sentAt && this.sentAt >= 0 && navigator.onLine) void this.queue.run();
    this.sentAt = sentAt;
    const q = this.queue.value;
    const user = this.session?.user;
    const id = `${this.roundId}/${this.entryId}/${user?.id ?? ''}`;
    if (q && user && this.outbox.loaded && this.filledFor !== id) {
      const item = q.entries.find((e) => e.entryId === this.entryId);
      if (item) {
        this.filledFor = id;
        this.fill(q, item, this.outbox.find(user.id, item.entryId));
      }
    }
  }

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) goToSignIn(this.href());
  }

  override render() {
    const s = this.session;
    const back = html`<a class="back" href=${`/panel/rounds/${encodeURIComponent(this.roundId)}`}>← ${msg('走访名单', { id: 'panel.visits' })}</a>`;
    const title = html`<h1>${msg('评分表', { id: 'sheet.title' })}</h1>`;
    if (!s?.ready || !s.user) return html`${back}${title}${loadingView()}`;
    const user = s.user;
    return this.queue.render({
      initial: () => html`${back}${title}${loadingView()}`,
      pending: () => (this.queue.value ? this.page(this.queue.value, user) : html`${back}${title}${loadingView()}`),
      error: (e) => html`${back}${title}${errorView(e, () => void this.queue.run())}`,
      complete: (q) => this.page(q, user),
    });
  }

  private page(q: InspectionQueue, user: User) {
    const item = q.entries.find((e) => e.entryId === this.entryId);
    const back = html`<a class="back" href=${`/panel/rounds/${encodeURIComponent(q.round.id)}`}>← ${msg('走访名单', { id: 'panel.visits' })}</a>`;
    if (!item) {
      return html`${back}
        <h1>${msg('没有找到这一户', { id: 'sheet.notFound' })}</h1>
        <p>${msg('这一户不在您的走访名单上，可能已经撤回，或者地址写错了。', { id: 'sheet.notFound.text' })}</p>`;
    }
    const local = this.outbox.find(user.id, item.entryId);
    const status = visitStatus(item, local);
    const own = !!user.household && user.household.id === item.householdId;
    const open = scoringOpen(q.round.status);
    return html`
      ${back}
      <h1>${zh(`${item.doorNumber} · ${item.headName}`)}</h1>
      <p class="meta">
        <span>${zh(item.householdLabel)}</span>
        <span>${msg(str`截止 ${formatDate(item.dueAt)}`, { id: 'panel.due' })}</span>
        ${isOverdue(item, status) ? html`<span class="badge overdue">${msg('已逾期', { id: 'panel.overdue' })}</span>` : nothing}
        <span>${msg(str`已交 ${item.sheetsIn}/${q.panel.quorum} 份`, { id: 'panel.sheetsIn' })}</span>
      </p>
      ${this.statusNotice(status, local, open, own)}
      <h2>${msg('照片', { id: 'sheet.photos' })}</h2>
      <photo-strip .photos=${item.entry.photos.filter((p) => !p.hidden)} label=${item.householdLabel}></photo-strip>
      ${own || status === 'recused' ? nothing : this.form(q, item, open)}
      ${this.saved ? this.nextLink(q, item, user) : nothing}
      ${status === 'submitted' || item.mySheet ? this.others(q, item) : nothing}
      ${!own && open && (status === 'todo' || status === 'failed') && !item.mySheet ? this.recusal(item) : nothing}
      <reason-dialog
        heading=${msg('回避（亲属关系）', { id: 'sheet.recuse' })}
        label=${msg('回避原因', { id: 'sheet.recuse.reason' })}
        description=${msg('这一户是您的亲属时请回避。回避后不能再给这一户打分，原因会记入操作记录。', { id: 'sheet.recuse.description' })}
      ></reason-dialog>
    `;
  }

  private statusNotice(status: VisitStatus, local: OutboxSheet | undefined, open: boolean, own: boolean) {
    let body: unknown = nothing;
    let cls = 'visually-hidden';
    if (own) {
      cls = 'notice info';
      body = msg('这是您自己家的庭院，不能打分。', { id: 'sheet.own' });
    } else if (status === 'recused') {
      cls = 'notice info';
      body = msg('您已声明回避这一户，不能给这一户打分。', { id: 'sheet.recused' });
    } else if (status === 'waiting') {
      cls = 'notice warning';
      body = !this.outbox.online
        ? msg('待发送：评分已存在手机上，有网络后会自动发送，不会重复提交。', { id: 'sheet.waiting' })
        : local && local.attempts > 0
          ? msg('待发送：网络不稳，评分还没送到，会自动再试，不会重复提交。', { id: 'sheet.retrying' })
          : msg('评分已存在手机上，正在发送……', { id: 'sheet.sending' });
    } else if (status === 'failed' && local?.error) {
      return html`<div class="notice error" role="alert">
        <p><strong>${msg('这份评分没有被接受：', { id: 'sheet.failed' })}</strong>${said(local.error.message)}</p>
        ${local.error.problems.length > 1 ? html`<ul>${local.error.problems.map((p) => html`<li>${said(p.problem)}</li>`)}</ul>` : nothing}
        <p>${msg('请按上面的说明改好后再提交。', { id: 'sheet.failed.help' })}</p>
      </div>`;
    } else if (status === 'submitted') {
      cls = 'notice success';
      body = open
        ? msg('您的评分已提交。截止评分前还可以修改。', { id: 'sheet.submitted' })
        : msg('您的评分已提交。', { id: 'sheet.submitted.closed' });
    }
    return html`${!open && !own && status !== 'recused'
        ? html`<p class="notice info">${msg('本轮评分已截止，不能再打分或修改。', { id: 'sheet.closed' })}</p>`
        : nothing}
      <p class=${cls} role="status">${body}</p>`;
  }

  // ---------- the sheet ----------

  private form(q: InspectionQueue, item: InspectionItem, open: boolean) {
    const rubric = q.rubric;
    const extreme = this.hasExtreme(rubric);
    const scored = rubric.filter((c) => typeof this.points[c.key] === 'number');
    const total = scored.reduce((sum, c) => sum + (this.points[c.key] ?? 0), 0);
    const max = rubric.reduce((sum, c) => sum + c.max, 0);
    const errorList = Object.values(this.errors);
    return html`<form novalidate @submit=${(e: Event) => this.submit(e, q, item)}>
      <fieldset aria-describedby=${this.errors['passed'] ? 'passed-error' : nothing}>
        <legend>${msg('实地核实是否通过', { id: 'sheet.check' })}</legend>
        <div class="toggles">
          <label class="toggle yes">
            <input type="radio" name="passed" value="yes" ?disabled=${!open} .checked=${this.passed === true} @change=${() => this.edit(() => (this.passed = true), 'passed')} />
            ${msg('通过', { id: 'sheet.check.yes' })}
          </label>
          <label class="toggle no">
            <input type="radio" name="passed" value="no" ?disabled=${!open} .checked=${this.passed === false} @change=${() => this.edit(() => (this.passed = false), 'passed')} />
            ${msg('不通过', { id: 'sheet.check.no' })}
          </label>
        </div>
        ${this.errors['passed'] ? html`<p class="field-error" id="passed-error">${said(this.errors['passed'])}</p>` : nothing}
      </fieldset>

      <h2>${msg('打分', { id: 'sheet.points' })}</h2>
      ${rubric.map((c) => this.stepper(c, open))}
      <p class="total" aria-live="polite">
        ${msg(str`合计 ${total} 分（满分 ${max} 分）`, { id: 'sheet.total' })}${scored.length < rubric.length
          ? msg(str`，还有 ${rubric.length - scored.length} 项没打分`, { id: 'sheet.total.missing' })
          : ''}
      </p>

      <div class="field">
        <label for="comment">${msg('说明', { id: 'sheet.comment' })}</label>
        <p id="comment-hint" class=${extreme ? 'notice warning' : 'hint'}>
          ${extreme
            ? msg('有项目打了 0 分或满分，必须写一句说明。', { id: 'sheet.comment.required' })
            : msg('选填。打 0 分或满分时必须写说明。', { id: 'sheet.comment.hint' })}
        </p>
        ${this.textArea({ id: 'comment', field: 'comment', value: this.comment, required: extreme, disabled: !open, set: (v) => (this.comment = v) })}
      </div>
      ${open && this.othersSeen(item) ? this.revisionField(item) : nothing}

      <onsite-photos
        entry-id=${this.entryId}
        .photos=${item.myPhotos}
        .accountId=${this.session?.user?.id ?? ''}
        .roundId=${q.round.id}
        .doorNumber=${item.doorNumber}
        .headName=${item.headName}
      ></onsite-photos>

      ${errorList.length
        ? html`<div class="notice error errors" role="alert">
            <p><strong>${msg(str`还有 ${errorList.length} 处要改好才能提交：`, { id: 'sheet.errors' })}</strong></p>
            <ul>${errorList.map((e) => html`<li>${e}</li>`)}</ul>
          </div>`
        : nothing}
      ${this.outbox.online
        ? nothing
        : html`<p class="hint">${msg('现在没有网络：提交后评分先存在手机上，有网络后自动发送。', { id: 'sheet.offlineHint' })}</p>`}
      <!-- once sent, the next courtyard is the step to take: this one is no longer the green one -->
      <button type="submit" class="btn block submit ${this.saved ? '' : 'primary'}" ?disabled=${!open}>${msg('提交评分', { id: 'sheet.submit' })}</button>
    </form>`;
  }

  /**
   * After reading the others' sheets: the member may still change theirs (the panel discusses a
   * spread) but says why; the reason and the points from before are shown to the panel and cadre.
   */
  private revisionField(item: InspectionItem) {
    const needed = this.changed(item);
    return html`<div class="field">
      <p id="revision-reason-hint" class="notice warning">
        ${msg('您已经看过其他成员的评分。修改评分需要写明原因，原因和修改前的分数会给考评组和村干部看到。', { id: 'sheet.revision.notice' })}
      </p>
      <label for="revision-reason">${msg('为什么修改', { id: 'sheet.revision.reason' })}${needed ? msg('（必填）', { id: 'sheet.revision.required' }) : ''}</label>
      ${this.textArea({ id: 'revision-reason', field: 'revisionReason', value: this.reason, required: needed, disabled: false, set: (v) => (this.reason = v) })}
    </div>`;
  }

  /** A text box of the sheet (at most 500 characters), described by `${id}-hint` and, when wrong, by its error. */
  private textArea(f: { id: string; field: string; value: string; required: boolean; disabled: boolean; set: (value: string) => void }) {
    const error = this.errors[f.field];
    return html`<textarea
        id=${f.id}
        maxlength="500"
        ?disabled=${f.disabled}
        aria-required=${f.required ? 'true' : 'false'}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${f.id}-hint ${f.id}-error` : `${f.id}-hint`}
        .value=${f.value}
        @input=${(e: Event) => this.edit(() => f.set((e.target as HTMLTextAreaElement).value), f.field)}
      ></textarea>
      ${error ? html`<p class="field-error" id=${`${f.id}-error`}>${said(error)}</p>` : nothing}`;
  }

  private othersSeen(item: InspectionItem): boolean {
    return !!item.mySheet && (item.mySheet.othersSeenAt !== null || this.seenOthers);
  }

  /** The form says something other than the member's sheet on the server (an unscored box counts as a change). */
  private changed(item: InspectionItem): boolean {
    const points = Object.values(this.points);
    if (!item.mySheet || this.passed === null || points.some((v) => typeof v !== 'number')) return true;
    return !sameSheet(item.mySheet, { passed: this.passed, points: this.points as Points, comment: this.comment });
  }

  private stepper(c: Criterion, open: boolean) {
    const name = criterionName(c);
    const v = this.points[c.key] ?? null;
    const err = this.errors[`points.${c.key}`];
    const ids = { name: `c-${c.key}`, guidance: `g-${c.key}`, error: `e-${c.key}` };
    return html`<div class="criterion" role="group" aria-labelledby=${ids.name} ?data-invalid=${!!err}>
      <h3 id=${ids.name}>
        <span>${name}</span><span class="max">${msg(str`满分 ${c.max}`, { id: 'sheet.max' })}</span>
      </h3>
      ${c.guidance ? html`<p class="hint" id=${ids.guidance}>${c.guidance}</p>` : nothing}
      <div class="stepper">
        <button type="button" class="btn" ?disabled=${!open} aria-label=${msg(str`${name}减 5 分`, { id: 'sheet.minus5' })} @click=${() => this.step(c, -5)}>−5</button>
        <button type="button" class="btn one" ?disabled=${!open} aria-label=${msg(str`${name}减 1 分`, { id: 'sheet.minus1' })} @click=${() => this.step(c, -1)}>−</button>
        <input
          id=${`p-${c.key}`}
          type="number"
          inputmode="numeric"
          min="0"
          max=${c.max}
          step="1"
          placeholder=${msg('未打', { id: 'sheet.unscored' })}
          ?disabled=${!open}
          aria-label=${msg(str`${name}得分（0 到 ${c.max} 分）`, { id: 'sheet.pointsLabel' })}
          aria-invalid=${err ? 'true' : 'false'}
          aria-describedby=${[c.guidance ? ids.guidance : '', err ? ids.error : ''].filter(Boolean).join(' ') || nothing}
          .value=${v === null ? '' : String(v)}
          @input=${(e: Event) => this.type(c, (e.target as HTMLInputElement).value)}
        />
        <button type="button" class="btn one" ?disabled=${!open} aria-label=${msg(str`${name}加 1 分`, { id: 'sheet.plus1' })} @click=${() => this.step(c, 1)}>+</button>
        <button type="button" class="btn" ?disabled=${!open} aria-label=${msg(str`${name}加 5 分`, { id: 'sheet.plus5' })} @click=${() => this.step(c, 5)}>+5</button>
      </div>
      ${err ? html`<p class="field-error" id=${ids.error}>${said(err)}</p>` : nothing}
    </div>`;
  }

  private hasExtreme(rubric: readonly Criterion[]): boolean {
    return rubric.some((c) => this.points[c.key] === 0 || this.points[c.key] === c.max);
  }

  /** Any change makes a new edit of the sheet: its next 提交 gets a new idempotency key. */
  private edit(change: () => void, field: string) {
    change();
    this.key = null;
    this.saved = false;
    if (this.errors[field]) {
      const { [field]: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  /** −5 / − / + / +5: from an empty field as from 0, never below 0 or above the maximum. */
  private step(c: Criterion, delta: number) {
    const cur = this.points[c.key];
    const base = typeof cur === 'number' && Number.isFinite(cur) ? Math.round(cur) : 0;
    const next = Math.max(0, Math.min(c.max, base + delta));
    this.edit(() => (this.points = { ...this.points, [c.key]: next }), `points.${c.key}`);
  }

  private type(c: Criterion, raw: string) {
    const n = raw.trim() === '' ? null : Number(raw);
    this.edit(() => (this.points = { ...this.points, [c.key]: n === null || Number.isNaN(n) ? null : n }), `points.${c.key}`);
  }

  /**
   * Start from the newest sheet there is: one still waiting on this phone, else the one sent from
   * here or the server's copy, whichever is later (the queue may be a copy kept from before).
   */
  private fill(q: InspectionQueue, item: InspectionItem, local: OutboxSheet | undefined) {
    const serverAt = item.mySheet ? Date.parse(item.mySheet.updatedAt) : Number.NEGATIVE_INFINITY;
    const from = local && (local.state !== 'sent' || (local.sentAt ?? local.queuedAt) >= serverAt) ? local.sheet : item.mySheet;
    this.passed = from ? from.passed : null;
    this.points = Object.fromEntries(q.rubric.map((c) => [c.key, from && typeof from.points[c.key] === 'number' ? from.points[c.key]! : null]));
    this.comment = from?.comment ?? '';
    this.reason = (from && 'revisionReason' in from ? from.revisionReason : undefined) ?? '';
    this.seenOthers = false;
    this.showOthers = false;
    this.key = from?.idempotencyKey ?? null;
    this.errors = {};
    this.saved = false;
    this.recuseError = '';
  }

  private validate(rubric: readonly Criterion[], item: InspectionItem): Errors {
    const errors: Errors = {};
    if (this.passed === null) errors['passed'] = msg('请选择实地核实是否通过。', { id: 'sheet.check.required' });
    for (const c of rubric) {
      const v = this.points[c.key];
      const name = criterionName(c);
      if (v === null || v === undefined) errors[`points.${c.key}`] = msg(str`请给「${name}」打分。`, { id: 'sheet.points.required' });
      else if (!Number.isInteger(v) || v < 0 || v > c.max) {
        errors[`points.${c.key}`] = msg(str`「${name}」的分数应是 0 到 ${c.max} 之间的整数。`, { id: 'sheet.points.range' });
      }
    }
    if (this.hasExtreme(rubric) && !this.comment.trim()) errors['comment'] = msg('打 0 分或满分时，请写一句说明。', { id: 'sheet.comment.missing' });
    if (this.othersSeen(item) && this.changed(item) && this.reason.trim().length < 2) {
      errors['revisionReason'] = msg('您看过其他成员的评分后修改了评分，请写明为什么修改（至少 2 个字）。', { id: 'sheet.revision.missing' });
    }
    return errors;
  }

  private async submit(e: Event, q: InspectionQueue, item: InspectionItem) {
    e.preventDefault();
    const user = this.session?.user;
    if (!user) return;
    this.errors = this.validate(q.rubric, item);
    if (Object.keys(this.errors).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[aria-describedby] input')?.focus();
      return;
    }
    this.key ??= newIdempotencyKey();
    const points: Points = Object.fromEntries(q.rubric.map((c) => [c.key, this.points[c.key] as number]));
    const revisionReason = this.othersSeen(item) && this.changed(item) ? this.reason.trim() : undefined;
    await sheetOutbox.enqueue({
      accountId: user.id,
      entryId: item.entryId,
      roundId: q.round.id,
      doorNumber: item.doorNumber,
      headName: item.headName,
      sheet: { passed: this.passed!, points, comment: this.comment.trim(), idempotencyKey: this.key, ...(revisionReason && { revisionReason }) },
    });
    this.saved = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[role="status"]')?.scrollIntoView({ block: 'center' });
  }

  /** After 提交: straight on to the next courtyard not yet scored, in door order. */
  private nextLink(q: InspectionQueue, item: InspectionItem, user: User) {
    const i = q.entries.indexOf(item);
    const rest = [...q.entries.slice(i + 1), ...q.entries.slice(0, i)];
    const next = rest.find((e) => visitStatus(e, this.outbox.find(user.id, e.entryId)) === 'todo');
    return html`<div class="btn-row">
      ${next
        ? html`<a class="btn primary block" href=${`/panel/rounds/${encodeURIComponent(q.round.id)}/entries/${encodeURIComponent(next.entryId)}`}>
            ${msg(html`下一户：${zh(`${next.doorNumber} ${next.headName}`)}`, { id: 'sheet.next' })}
          </a>`
        : nothing}
      <a class="btn block" href=${`/panel/rounds/${encodeURIComponent(q.round.id)}`}>${msg('返回走访名单', { id: 'sheet.backToList' })}</a>
    </div>`;
  }

  // ---------- after scoring: the panel's sheets; recusal ----------

  private others(q: InspectionQueue, item: InspectionItem) {
    // Seeing the others is a step the member takes: after it, a change of their own needs a
    // reason, so a mis-tap fixed a minute after sending does not.
    const ask = !this.othersSeen(item) && !this.showOthers;
    return html`<section aria-labelledby="others-heading">
      <h2 id="others-heading">${msg('考评组的评分', { id: 'sheet.others' })}</h2>
      ${ask
        ? html`<p>${msg('看过其他成员的评分以后，如果再改自己的评分，需要写明原因。', { id: 'sheet.others.ask' })}</p>
            <button type="button" class="btn block" @click=${() => (this.showOthers = true)}>${msg('查看其他成员的评分', { id: 'sheet.others.show' })}</button>`
        : this.outbox.online
        ? html`<score-summary
            entry-id=${item.entryId}
            .rubric=${q.rubric}
            .refresh=${this.outbox.find(this.session?.user?.id ?? '', item.entryId)?.sentAt ?? 0}
            @sheets-loaded=${(e: CustomEvent<{ sheets: number }>) => {
              // the server marks a member's sheet when it shows them another's
              if (e.detail.sheets > 1) this.seenOthers = true;
            }}
          ></score-summary>`
        : html`<p class="notice info">${msg('有网络后可以在这里看到其他成员的评分和合计。', { id: 'sheet.others.offline' })}</p>`}
    </section>`;
  }

  private recusal(item: InspectionItem) {
    return html`<section aria-labelledby="recuse-heading">
      <h2 id="recuse-heading">${msg('回避', { id: 'sheet.recuse.heading' })}</h2>
      <p>${msg('如果这一户是您的亲属，请回避，不给这一户打分。', { id: 'sheet.recuse.lead' })}</p>
      ${refusalNote(this.recuseError)}
      <button type="button" class="btn block" ?disabled=${this.recusing} @click=${() => this.recuse(item)}>
        ${msg('回避（亲属关系）', { id: 'sheet.recuse' })}
      </button>
    </section>`;
  }

  private async recuse(item: InspectionItem) {
    const reason = await this.reasonDialog.ask();
    if (!reason) return;
    this.recusing = true;
    this.recuseError = '';
    try {
      await scoringApi.recuse(item.entryId, reason);
      await this.queue.run();
    } catch (err) {
      this.recuseError =
        err instanceof ApiError && err.status === 0
          ? msg('回避需要网络，请到有信号的地方再操作。', { id: 'sheet.recuse.offline' })
          : errorMessage(err);
    } finally {
      this.recusing = false;
    }
  }

  private href() {
    return `/panel/rounds/${encodeURIComponent(this.roundId)}/entries/${encodeURIComponent(this.entryId)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'score-sheet-page': ScoreSheetPage;
  }
}
