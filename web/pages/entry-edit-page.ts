import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage, type Entry } from '../api';
import '../components/entry-photos';
import type { EntryPhotos } from '../components/entry-photos';
import { entryNumberLabel, isOwnView } from '../entries';
import { formatDateTime, formatPeriod } from '../format';
import { entryStateLabel, missedThreshold, missedThresholdText } from '../i18n/labels';
import { goToSignIn } from '../router';
import { isStaff, type Session, sessionContext } from '../session';
import { sharedStyles } from '../styles/shared';
import { confirmView, doneNote, errorView, loadingView, refusalNote } from '../views';
import { said, zh } from '../i18n/server-text';

const DESCRIPTION_MAX = 500;

/**
 * Editing an entry, for its household or a cadre or grid worker entering it on the family's
 * behalf (代录): photos, a short description, then "提交参评"; later withdrawing it. Three
 * numbered steps, big buttons, plain words.
 */
/** How long typing pauses before the description saves itself. */
const AUTOSAVE_MS = 2000;

@customElement('entry-edit-page')
@localized()
export class EntryEditPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .where {
        color: var(--cy-color-text-muted);
      }
      h2 .step {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        width: 1.6em;
        height: 1.6em;
        margin-right: var(--cy-space-2);
        border-radius: 50%;
        background: var(--cy-color-primary);
        color: var(--cy-color-on-primary);
        font-size: var(--cy-font-size-base);
      }
      textarea {
        min-height: 8em;
        resize: vertical;
      }
      .counter {
        text-align: right;
        margin: 0;
        color: var(--cy-color-text-muted);
      }
      .counter.near {
        color: var(--cy-color-warning-text);
        font-weight: 600;
      }
      .submit {
        font-size: var(--cy-font-size-xl);
        min-height: 64px;
      }
      #result:focus {
        outline: none;
      }
    `,
  ];

  /** The entry's id, from the address. */
  @property({ attribute: false }) entryId = '';

  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session?: Session;

  /** The entry as last answered by the server (after each change). */
  @state() private current: Entry | null = null;
  @state() private description = '';
  @state() private descriptionDirty = false;
  @state() private busy: '' | 'description' | 'submit' | 'withdraw' | 'reenter' = '';
  @state() private descriptionNote = '';
  @state() private descriptionError = '';
  @state() private result: { kind: 'success' | 'error'; text: string } | null = null;
  @state() private confirmingWithdraw = false;
  private autosaveTimer?: ReturnType<typeof setTimeout>;
  private saving?: Promise<boolean>;
  private submitting = false;

  @query('entry-photos') private photosEditor?: EntryPhotos;

  private entry = new Task(this, {
    task: async ([id, userId], { signal }) => {
      if (!userId) return null;
      const e = await api.entry(id, signal);
      this.use(e, true);
      return e;
    },
    args: () => [this.entryId, this.session?.user?.id ?? ''] as const,
  });

  /**
   * Whether the entry is my own household's: a withdrawn one can then be entered again, and a
   * cadre or grid worker on another family's entry is led back to the console. Asked only then.
   */
  private mine = new Task(this, {
    task: async ([status, userId], { signal }) =>
      userId && (status === 'withdrawn' || isStaff(this.session?.user)) ? (await api.myEntries(signal)).some((e) => e.id === this.entryId) : null,
    args: () => [this.current?.status ?? '', this.session?.user?.id ?? ''] as const,
  });

  override updated() {
    const s = this.session;
    if (s?.ready && !s.user) goToSignIn(`/entries/${encodeURIComponent(this.entryId)}/edit`);
  }

  override render() {
    const title = html`<h1>${msg('编辑参评作品', { id: 'title.entryEdit' })}</h1>`;
    const s = this.session;
    if (!s?.ready || !s.user) return html`${title}${loadingView()}`;
    return this.entry.render({
      initial: () => html`${title}${loadingView()}`,
      pending: () => (this.current ? this.page(this.current) : html`${title}${loadingView()}`),
      error: (e) =>
        e instanceof ApiError && e.status === 404
          ? html`${title}
              <p class="notice error">${msg('没有找到这个作品，地址可能写错了。', { id: 'edit.notFound' })}</p>
              <p><a class="btn primary" href="/me">${msg('回到我的家庭', { id: 'edit.backMe' })}</a></p>`
          : html`${title}${errorView(e, () => void this.entry.run())}`,
      complete: () => (this.current ? this.page(this.current) : html`${title}${loadingView()}`),
    });
  }

  private page(e: Entry) {
    if (!isOwnView(e)) {
      return html`<h1>${msg('编辑参评作品', { id: 'title.entryEdit' })}</h1>
        <p class="notice info">${msg('只有这一户的家人，或者本村村干部、网格员，才能修改这个作品。', { id: 'edit.notYours' })}</p>
        <p><a class="btn" href=${`/entries/${encodeURIComponent(e.id)}`}>${msg('查看作品页面', { id: 'edit.view' })}</a></p>`;
    }
    const editable = e.editable;
    const period = formatPeriod(e.period);
    return html`
      ${this.backLink(e)}
      <h1>${msg(html`${zh(e.householdLabel)}参评作品`, { id: 'edit.title' })}${e.number ? html` <span class="number">${entryNumberLabel(e.number)}</span>` : nothing}</h1>
      <p class="where">${zh(`${e.villageName} · ${e.campaignTitle}`)}${period ? ` · ${period}` : ''}</p>
      <p>
        <span class="badge ${e.status}">${entryStateLabel(e)}</span>
        ${e.byProxy ? html`<span class="badge proxy">${msg('代录', { id: 'household.source.proxyShort' })}</span>` : nothing}
      </p>
      ${e.hidden
        ? html`<div class="notice error">
            <p><strong>${msg('这个作品已被村干部隐藏，别人看不到。', { id: 'entry.hidden.notice' })}</strong></p>
            <p>${msg('原因：', { id: 'common.reason' })}${zh(e.hidden.reason)}</p>
          </div>`
        : nothing}
      ${this.forAnotherFamily && editable
        ? html`<p class="notice info">${msg(html`您正在替${zh(e.householdLabel)}代录：照片和介绍都算这一户的，提交后这一户会在「我的家庭」看到。`, { id: 'edit.proxyFor' })}</p>`
        : nothing}
      ${editable
        ? e.status === 'draft'
          ? html`<p class="notice info">${msg('只要三步：① 拍庭院照片 ② 写几句介绍（可以不写）③ 点“提交参评”。', { id: 'edit.steps' })}</p>`
          : nothing
        : html`<p class="notice info">${this.lockedText(e)}</p>`}

      <section aria-labelledby="photos-heading">
        <h2 id="photos-heading"><span class="step" aria-hidden="true">1</span>${msg('庭院照片', { id: 'edit.photos' })}</h2>
        <entry-photos .entry=${e} .editable=${editable} @entry-changed=${this.onEntryChanged}></entry-photos>
      </section>

      <section aria-labelledby="desc-heading">
        <h2 id="desc-heading"><span class="step" aria-hidden="true">2</span>${msg('作品介绍（可以不写）', { id: 'edit.description' })}</h2>
        ${editable ? this.descriptionForm() : html`<p style="white-space: pre-wrap">${e.description ? zh(e.description) : msg('（没有写介绍）', { id: 'edit.noDescription' })}</p>`}
      </section>

      <section aria-labelledby="submit-heading">
        <h2 id="submit-heading"><span class="step" aria-hidden="true">3</span>${msg('提交参评', { id: 'edit.submit' })}</h2>
        <div id="result" tabindex="-1" role="status">
          ${this.result ? html`<div class="notice ${this.result.kind}"><p>${said(this.result.text)}</p></div>` : nothing}
        </div>
        ${this.submitArea(e, editable)}
      </section>
    `;
  }

  /** A cadre or grid worker entering another family's courtyard on its behalf (代录): the page speaks of that family, not to it. */
  private get forAnotherFamily(): boolean {
    return isStaff(this.session?.user) && this.mine.value === false;
  }

  /** Back to where this entry was opened from: 我的家庭 for the family, the console for a cadre or grid worker on another family's entry. */
  private backLink(e: Entry) {
    return this.forAnotherFamily
      ? html`<a class="back" href=${`/console?village=${encodeURIComponent(e.villageId)}`}>← ${msg('管理后台', { id: 'nav.console' })}</a>`
      : html`<a class="back" href="/me">← ${msg('我的家庭', { id: 'nav.me' })}</a>`;
  }

  private lockedText(e: Entry) {
    if (e.status === 'withdrawn') return msg('这个作品已经撤回，别人看不到。', { id: 'entry.withdrawn.notice' });
    if (e.roundOver) return msg(str`本轮已在 ${formatDateTime(e.roundEndsAt)} 截止，作品不能再修改。`, { id: 'edit.roundOver' });
    if (!e.takesChanges) return msg('本轮已停止报名和修改，作品不能再修改。', { id: 'edit.roundClosed' });
    return msg('作品已进入评分阶段，不能再修改。', { id: 'edit.locked' });
  }

  private descriptionForm() {
    const n = this.description.length;
    const left = DESCRIPTION_MAX - n;
    return html`
      <div class="field">
        <label for="description">${this.forAnotherFamily
          ? msg('介绍一下这一户的庭院（最多 500 字）', { id: 'edit.description.label.proxy' })
          : msg('介绍一下您家庭院（最多 500 字）', { id: 'edit.description.label' })}</label>
        <textarea
          id="description"
          maxlength=${DESCRIPTION_MAX}
          .value=${this.description}
          aria-describedby="description-count"
          aria-invalid=${this.descriptionError ? 'true' : 'false'}
          placeholder=${msg('例如：院子里种了月季和三角梅，杂物都收进了棚子。', { id: 'edit.description.placeholder' })}
          @input=${this.onDescription}
          @blur=${this.autosave}
        ></textarea>
        <p id="description-count" class="counter ${left <= 50 ? 'near' : ''}">
          ${left <= 50 ? msg(str`还能写 ${left} 字`, { id: 'edit.description.left' }) : `${n}/${DESCRIPTION_MAX}`}
        </p>
      </div>
      ${refusalNote(this.descriptionError)}
      ${doneNote(this.descriptionNote)}
      <button type="button" class="btn" ?disabled=${this.busy === 'description'} @click=${() => void this.saveDescription()}>
        ${this.busy === 'description' ? msg('正在保存……', { id: 'edit.saving' }) : msg('保存介绍', { id: 'edit.description.save' })}
      </button>
      ${this.descriptionDirty ? html`<p class="hint" style="margin-top: var(--cy-space-2)">${msg('写好停一下就会自动保存，也可以点“保存介绍”。', { id: 'edit.description.unsaved' })}</p>` : nothing}
    `;
  }

  private submitArea(e: Entry, editable: boolean) {
    const view = html`<a class="btn" href=${`/entries/${encodeURIComponent(e.id)}`}>${msg('查看作品页面', { id: 'edit.view' })}</a>`;
    if (e.status === 'draft' && editable) {
      return html`
        <p>${this.forAnotherFamily
          ? msg('提交以后，村里人就能看到这一户的庭院，也能给这一户点赞。提交后还可以继续改。', { id: 'edit.submit.text.proxy' })
          : msg('提交以后，村里人就能看到您家的庭院，也能给您点赞。提交后还可以继续改。', { id: 'edit.submit.text' })}</p>
        <button type="button" class="btn primary block submit" ?disabled=${this.busy === 'submit'} @click=${this.submit}>
          ${this.busy === 'submit' ? msg('正在提交……', { id: 'edit.submitting' }) : msg('提交参评', { id: 'edit.submit' })}
        </button>
      `;
    }
    if (e.status === 'withdrawn') {
      return this.mine.value && e.takesChanges
        ? html`<p>${msg('本轮截止前，还可以重新参评。', { id: 'edit.reenter.text' })}</p>
            <button type="button" class="btn primary block" ?disabled=${this.busy === 'reenter'} @click=${this.reenter}>
              ${msg('重新参评', { id: 'edit.reenter' })}
            </button>`
        : nothing;
    }
    // Who may withdraw is the server's to say (a family's own entry is the family's); past its likes there is nothing to withdraw from.
    const withdrawable = (e.status === 'draft' || (e.status === 'submitted' && !missedThreshold(e)) || e.status === 'qualified') && e.mayWithdraw === true;
    return html`
      ${missedThreshold(e)
        ? html`<p>${missedThresholdText(e.threshold)}</p>`
        : e.threshold === 0 && (e.status === 'submitted' || e.status === 'qualified')
        ? html`<p>${msg('已经提交参评了，等考评组上门实地核实打分。', { id: 'edit.submitted.noLikes' })}</p>`
        : e.status === 'submitted' || e.status === 'qualified'
        ? html`<p>${this.forAnotherFamily
            ? msg('已经提交参评了。可以把作品页面发给这一户，请他们转给亲友来点赞。', { id: 'edit.submitted.text.proxy' })
            : msg('已经提交参评了。把作品页面发给亲友，请他们来点赞吧。', { id: 'edit.submitted.text' })}</p>`
        : nothing}
      <div class="btn-row">${view}</div>
      ${withdrawable ? this.withdrawControls() : nothing}
    `;
  }

  private withdrawControls() {
    if (!this.confirmingWithdraw) {
      return html`<p style="margin-top: var(--cy-space-5)">
        <button type="button" class="btn danger" @click=${this.askWithdraw}>${msg('撤回参评', { id: 'edit.withdraw' })}</button>
      </p>`;
    }
    return html`<div style="margin-top: var(--cy-space-5)">
      ${confirmView({
        question: msg('确定撤回参评吗？', { id: 'edit.withdraw.confirm' }),
        details: [msg('撤回后，别人就看不到这个作品了。本轮截止前还可以重新参评。', { id: 'edit.withdraw.text' })],
        yes: msg('确定撤回', { id: 'edit.withdraw.yes' }),
        danger: true,
        busy: this.busy === 'withdraw',
        onYes: () => this.withdraw(),
        onNo: () => this.cancelWithdraw(),
      })}
    </div>`;
  }

  /** Take a fresh entry from the server; the description box follows it unless the person is typing. */
  private use(e: Entry, resetDescription: boolean) {
    this.current = e;
    if (resetDescription || !this.descriptionDirty) {
      this.description = e.description;
      this.descriptionDirty = false;
    }
  }

  private onEntryChanged(ev: CustomEvent<{ entry: Entry }>) {
    this.use(ev.detail.entry, false);
    // A refusal to submit is about what the entry was; once the photos change it no longer holds.
    if (this.result?.kind === 'error') this.result = null;
  }

  private onDescription(ev: Event) {
    this.description = (ev.target as HTMLTextAreaElement).value;
    this.descriptionDirty = this.description !== (this.current?.description ?? '');
    this.descriptionNote = '';
    this.descriptionError = '';
    this.scheduleAutosave();
  }

  /**
   * What is typed is saved by itself once the typing pauses, and when the box is left: someone
   * who goes back to 我的家庭 without pressing 保存介绍 loses nothing.
   */
  private scheduleAutosave() {
    clearTimeout(this.autosaveTimer);
    this.autosaveTimer = setTimeout(() => this.autosave(), AUTOSAVE_MS);
  }

  private autosave() {
    clearTimeout(this.autosaveTimer);
    if (this.descriptionDirty && this.current?.editable && !this.busy) void this.saveDescription();
  }

  /**
   * A page reloaded or left for another address sends the words at `beforeunload`, while it is
   * still whole: a request started at `pagehide` raced the new page in Chromium and was now and
   * then never sent. A phone's browser closing a page may skip `beforeunload`; `pagehide` is
   * its last chance.
   */
  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.sendUnsaved);
    window.addEventListener('pagehide', this.sendUnsaved);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.sendUnsaved);
    window.removeEventListener('pagehide', this.sendUnsaved);
    clearTimeout(this.autosaveTimer);
    this.sendUnsaved();
  }

  /**
   * Leaving with words not yet saved (going elsewhere in the app, or the page closed or
   * reloaded, as WeChat's browser closes): send them anyway, in a request that outlives the page.
   */
  private readonly sendUnsaved = () => {
    // Also while a save is under way: leaving the page may cancel it (the box's blur starts one
    // just before), and sending the same words twice changes nothing.
    const e = this.current;
    if (!e || !this.descriptionDirty || !e.editable) return;
    this.descriptionDirty = false;
    void api.updateEntry(e.id, { description: this.description }, { keepalive: true }).catch(() => {});
  };

  /** Save the description; a save already under way is waited for, not doubled. */
  private saveDescription(): Promise<boolean> {
    this.saving ??= this.sendDescription().finally(() => (this.saving = undefined));
    return this.saving;
  }

  private async sendDescription(): Promise<boolean> {
    const e = this.current;
    if (!e) return false;
    const sent = this.description;
    this.busy = 'description';
    this.descriptionNote = '';
    this.descriptionError = '';
    try {
      const saved = await api.updateEntry(e.id, { description: sent });
      // Words typed while it was being saved stay in the box, still to save.
      const typedSince = this.description !== sent;
      this.use(saved, !typedSince);
      this.descriptionDirty = this.description !== saved.description;
      if (typedSince) this.scheduleAutosave();
      else this.descriptionNote = msg('介绍已保存。', { id: 'edit.description.saved' });
      return true;
    } catch (err) {
      this.descriptionError = errorMessage(err);
      return false;
    } finally {
      this.busy = '';
    }
  }

  private async showResult(kind: 'success' | 'error', text: string) {
    this.result = { kind, text };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#result')?.focus();
  }

  private readonly submit = async () => {
    // One submit at a time: a second tap while the first waits is dropped.
    if (this.submitting) return;
    this.submitting = true;
    try {
      await this.submitNow();
    } finally {
      this.submitting = false;
    }
  };

  private async submitNow() {
    // A description being saved (the box was just left) is waited for first.
    if (this.saving) await this.saving;
    const e = this.current;
    if (!e || this.busy) return;
    this.result = null;
    const photos = this.photosEditor;
    if (photos && photos.pending > 0) {
      await this.showResult('error', msg('照片还在上传，请等上传完再提交。', { id: 'edit.submit.uploading' }));
      return;
    }
    if (!e.photos.length) {
      await this.showResult('error', msg('请先拍一张或选一张庭院照片，再提交。', { id: 'edit.submit.noPhoto' }));
      return;
    }
    if (this.descriptionDirty && !(await this.saveDescription())) {
      await this.showResult('error', msg('介绍没有保存成功，请看上面的提示。', { id: 'edit.submit.descFailed' }));
      return;
    }
    this.busy = 'submit';
    try {
      const done = await api.submitEntry(e.id);
      this.use(done, false);
      await this.showResult(
        'success',
        done.status === 'qualified'
          ? this.forAnotherFamily
            ? msg('提交成功！本轮不设点赞门槛，这一户的庭院已进入实地核实名单。', { id: 'edit.submitted.qualified.proxy' })
            : msg('提交成功！本轮不设点赞门槛，您的庭院已进入实地核实名单。', { id: 'edit.submitted.qualified' })
          : this.forAnotherFamily
            ? msg(str`提交成功！这一户的作品已经公开，满 ${done.threshold} 个赞就能进入实地核实。`, { id: 'edit.submitted.ok.proxy' })
            : msg(str`提交成功！请亲友来点赞，满 ${done.threshold} 个赞就能进入实地核实。`, { id: 'edit.submitted.ok' }),
      );
    } catch (err) {
      await this.showResult('error', errorMessage(err));
    } finally {
      this.busy = '';
    }
  }

  private async askWithdraw() {
    this.confirmingWithdraw = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.notice.warning .btn.danger')?.focus();
  }

  private async cancelWithdraw() {
    this.confirmingWithdraw = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('section:last-of-type .btn.danger')?.focus();
  }

  private async withdraw() {
    const e = this.current;
    if (!e) return;
    this.busy = 'withdraw';
    try {
      const done = await api.withdrawEntry(e.id);
      this.confirmingWithdraw = false;
      this.use(done, false);
      await this.showResult('success', msg('已撤回参评。', { id: 'edit.withdrawn' }));
    } catch (err) {
      await this.showResult('error', errorMessage(err));
    } finally {
      this.busy = '';
    }
  }

  private async reenter() {
    const e = this.current;
    if (!e) return;
    this.busy = 'reenter';
    try {
      await api.enterRound(e.roundId);
      this.use(await api.entry(e.id), true);
      await this.showResult('success', msg('已重新参评。改好照片和介绍后，再点“提交参评”。', { id: 'edit.reentered' }));
    } catch (err) {
      await this.showResult('error', errorMessage(err));
    } finally {
      this.busy = '';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'entry-edit-page': EntryEditPage;
  }
}
