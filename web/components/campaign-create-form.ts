import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { api, ApiError, errorMessage, type Campaign, type CampaignCreate, type CampaignFormat, type Criterion } from '../api';
import { campaignFormatLabel } from '../i18n/labels';
import { currentLocale } from '../i18n/localization';
import { sharedStyles } from '../styles/shared';
import { said, zh } from '../i18n/server-text';

/** DESIGN §3 default rubric, shown read-only; the server applies it when none is sent. */
const DEFAULT_RUBRIC: readonly Criterion[] = [
  { key: 'hygiene', name: '卫生情况', nameEn: 'Hygiene', max: 40, guidance: '' },
  { key: 'beautification', name: '美化情况', nameEn: 'Beautification', max: 30, guidance: '' },
  { key: 'openness', name: '开放情况', nameEn: 'Openness', max: 15, guidance: '' },
  { key: 'culture', name: '文化内涵', nameEn: 'Cultural content', max: 15, guidance: '' },
];

const DEFAULT_THRESHOLD: Record<CampaignFormat, number> = { monthly: 50, single: 0 };

/** Where each server field path is shown: the form control it belongs to. */
const FIELD_OF: Record<string, string> = {
  title: 'title',
  format: 'format',
  villageIds: 'villages',
  likeThreshold: 'likeThreshold',
  months: 'monthFrom',
  'months.from': 'monthFrom',
  'months.to': 'monthTo',
  window: 'dayFrom',
  'window.from': 'dayFrom',
  'window.to': 'dayTo',
  'rules.passMark': 'passMark',
  'rules.quotaPerVillage': 'quota',
  'rules.objectionDays': 'objectionDays',
  'rules.rewards': 'yuan5',
  starRule: 'band5',
  'starRule.bands': 'band5',
};

/** An amount in 元 as typed: whole yuan, or with one or two decimals. */
const YUAN = /^\d{1,7}(\.\d{1,2})?$/;
const fenOf = (yuan: string) => Math.round(Number(yuan.trim()) * 100);

export interface VillageChoice {
  id: string;
  name: string;
}

/**
 * The form a cadre creates a campaign with: title, format, villages, like threshold, months
 * or dates, pass mark and quota. The default rubric is shown for reference. Problems the
 * server finds are shown next to the field they concern.
 *
 * @fires campaign-created - after the server created it; `detail` is `{ campaign }`.
 */
@customElement('campaign-create-form')
@localized()
export class CampaignCreateForm extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .pair {
        display: grid;
        grid-template-columns: 1fr;
        gap: 0 var(--cy-space-4);
      }
      @media (min-width: 560px) {
        .pair {
          grid-template-columns: 1fr 1fr;
        }
      }
      .choices {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(8.5em, 1fr));
        gap: 0 var(--cy-space-3);
      }
      td.num,
      th.num {
        text-align: right;
        width: 5em;
      }
    `,
  ];

  /** Villages the cadre may include. The first is preselected. */
  @property({ attribute: false }) villages: VillageChoice[] = [];
  /** The village preselected (the one open in the console). */
  @property({ attribute: 'village-id' }) villageId = '';

  @state() private campaignTitle = '';
  @state() private format: CampaignFormat = 'monthly';
  @state() private chosen = new Set<string>();
  @state() private threshold = String(DEFAULT_THRESHOLD.monthly);
  @state() private thresholdEdited = false;
  @state() private monthFrom = '';
  @state() private monthTo = '';
  @state() private dayFrom = '';
  @state() private dayTo = '';
  @state() private passMark = '80';
  @state() private quota = '';
  @state() private objectionDays = '5';
  /** Single format: the score line of each star level. */
  @state() private bands: Record<number, string> = { 5: '95', 4: '90', 3: '85' };
  /** The funds for each star level, and (monthly) for each month's award, in 元 as typed; empty for none. */
  @state() private starYuan: Record<number, string> = { 5: '', 4: '', 3: '' };
  @state() private monthlyYuan = '';
  @state() private errors: Record<string, string> = {};
  @state() private otherProblems: string[] = [];
  /** One sentence above the form when the server's problems are all shown at their fields. */
  @state() private summary = '';
  @state() private busy = false;

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('villageId') || changed.has('villages')) {
      const start = this.villageId || this.villages[0]?.id;
      this.chosen = new Set(start ? [start] : []);
    }
  }

  override render() {
    const monthly = this.format === 'monthly';
    return html`<form @submit=${this.submit} novalidate>
      ${this.summary || this.otherProblems.length
        ? html`<div class="notice error" role="alert">
            ${this.summary ? html`<p>${this.summary}</p>` : nothing}
            ${this.otherProblems.length
              ? html`<p>${msg('活动没有创建，请先改正下面的问题：', { id: 'campaignForm.problems' })}</p>
                  <ul>
                    ${this.otherProblems.map((p) => html`<li>${said(p)}</li>`)}
                  </ul>`
              : nothing}
          </div>`
        : nothing}
      ${this.input('title', msg('活动名称', { id: 'campaignForm.title' }), this.campaignTitle, (v) => (this.campaignTitle = v), {
        hint: msg(str`例如：2026年${this.villages.find((v) => v.id === this.villageId)?.name ?? ''}美丽庭院月评`, { id: 'campaignForm.title.hint' }),
      })}

      <fieldset aria-describedby=${this.errors['format'] ? 'format-error' : nothing}>
        <legend>${msg('评比形式', { id: 'campaignForm.format' })}</legend>
        ${(['monthly', 'single'] as const).map(
          (f) => html`<label class="choice">
            <input type="radio" name="format" value=${f} .checked=${this.format === f} @change=${() => this.setFormat(f)} />
            <span>
              ${campaignFormatLabel(f)}
              <span class="hint" style="display:block">
                ${f === 'monthly'
                  ? msg('每月一轮，点赞够数的家庭由考评组上门核实打分。', { id: 'campaignForm.format.monthly.hint' })
                  : msg('考评组在一段时间内上门给每户打分，按分数评星。', { id: 'campaignForm.format.single.hint' })}
              </span>
            </span>
          </label>`,
        )}
        ${this.errorText('format')}
      </fieldset>

      ${this.villagesField()}

      <div class="pair">
        ${monthly
          ? html`${this.input('monthFrom', msg('开始月份', { id: 'campaignForm.monthFrom' }), this.monthFrom, (v) => (this.monthFrom = v), {
              type: 'month',
              hint: msg('例如 2026-05', { id: 'campaignForm.monthFrom.hint' }),
            })}
            ${this.input('monthTo', msg('结束月份', { id: 'campaignForm.monthTo' }), this.monthTo, (v) => (this.monthTo = v), {
              type: 'month',
              hint: msg('例如 2026-10', { id: 'campaignForm.monthTo.hint' }),
            })}`
          : html`${this.input('dayFrom', msg('开始日期', { id: 'campaignForm.dayFrom' }), this.dayFrom, (v) => (this.dayFrom = v), {
              type: 'date',
              hint: msg('例如 2026-06-01', { id: 'campaignForm.dayFrom.hint' }),
            })}
            ${this.input('dayTo', msg('结束日期', { id: 'campaignForm.dayTo' }), this.dayTo, (v) => (this.dayTo = v), {
              type: 'date',
              hint: msg('例如 2026-06-30', { id: 'campaignForm.dayTo.hint' }),
            })}`}
      </div>

      <div class="pair">
        ${this.input(
          'likeThreshold',
          msg('点赞门槛', { id: 'campaignForm.threshold' }),
          this.threshold,
          (v) => {
            this.threshold = v;
            this.thresholdEdited = true;
          },
          {
            type: 'number',
            hint: msg('点赞数达到这个数才进入上门核实。填 0 表示不设门槛。', { id: 'campaignForm.threshold.hint' }),
          },
        )}
        ${monthly
          ? this.input('passMark', msg('合格分', { id: 'campaignForm.passMark' }), this.passMark, (v) => (this.passMark = v), {
              type: 'number',
              hint: msg('总分达到这个分数才能评上。', { id: 'campaignForm.passMark.hint' }),
            })
          : nothing}
      </div>
      ${monthly
        ? this.input('quota', msg('每村名额', { id: 'campaignForm.quota' }), this.quota, (v) => (this.quota = v), {
            type: 'number',
            hint: msg('每个村每轮最多评上几户。不填表示不限。', { id: 'campaignForm.quota.hint' }),
          })
        : nothing}

      ${this.rubricTable()}
      ${this.starsAndRewards(monthly)}
      ${this.input('objectionDays', msg('公示天数', { id: 'consoleResults.days' }), this.objectionDays, (v) => (this.objectionDays = v), {
        type: 'number',
        hint: msg('结果公示后，村民可以在这些天里提出异议（1 到 30 天）。', { id: 'campaignForm.objectionDays.hint' }),
      })}

      <button type="submit" class="btn primary block" ?disabled=${this.busy}>
        ${this.busy ? msg('正在创建……', { id: 'campaignForm.busy' }) : msg('创建活动', { id: 'campaignForm.submit' })}
      </button>
    </form>`;
  }

  private villagesField() {
    if (this.villages.length <= 1) {
      const v = this.villages[0];
      return html`<p>
        <span class="label">${msg('参加的村', { id: 'campaignForm.villages' })}：</span>${zh(v?.name)}
      </p>
      ${this.errorText('villages')}`;
    }
    return html`<fieldset aria-describedby=${this.errors['villages'] ? 'villages-error' : nothing}>
      <legend>${msg('参加的村', { id: 'campaignForm.villages' })}</legend>
      <div class="choices">
        ${this.villages.map(
          (v) => html`<label class="choice">
            <input type="checkbox" .checked=${this.chosen.has(v.id)} @change=${(e: Event) => this.toggleVillage(v.id, (e.target as HTMLInputElement).checked)} />
            <span>${zh(v.name)}</span>
          </label>`,
        )}
      </div>
      ${this.errorText('villages')}
    </fieldset>`;
  }

  /**
   * What the stars take and what each earns. A single evaluation gives stars by score line; a
   * monthly contest gives each month's winners an award and stars over a half-year (its lines
   * are the campaign's defaults). Funds in 元; empty means none.
   */
  private starsAndRewards(monthly: boolean) {
    const levels = [5, 4, 3];
    return html`<fieldset>
      <legend>${monthly ? msg('奖励', { id: 'campaignForm.rewards' }) : msg('星级和奖励', { id: 'campaignForm.starsRewards' })}</legend>
      <p class="hint">
        ${monthly
          ? msg('半年星级按每月获评的月数和平均分评定（五星：获评 5 个月以上、平均 90 分以上；四星：4 个月、85 分；三星：3 个月、80 分）。奖励金额不填表示没有。', {
              id: 'campaignForm.halfYear.hint',
            })
          : msg('总分达到分数线评为相应星级。奖励金额不填表示没有。', { id: 'campaignForm.bands.hint' })}
      </p>
      ${monthly
        ? this.input('monthlyYuan', msg('每月获评奖励（元）', { id: 'campaignForm.monthlyYuan' }), this.monthlyYuan, (v) => (this.monthlyYuan = v), { decimal: true })
        : nothing}
      ${levels.map(
        (n) => html`<div class="pair">
          ${monthly
            ? nothing
            : this.input(`band${n}`, msg(str`${n} 星分数线`, { id: 'campaignForm.band' }), this.bands[n] ?? '', (v) => (this.bands = { ...this.bands, [n]: v }), { type: 'number' })}
          ${this.input(`yuan${n}`, msg(str`${n} 星奖励（元）`, { id: 'campaignForm.starYuan' }), this.starYuan[n] ?? '', (v) => (this.starYuan = { ...this.starYuan, [n]: v }), {
            decimal: true,
          })}
        </div>`,
      )}
    </fieldset>`;
  }

  private rubricTable() {
    const en = currentLocale() === 'en';
    const total = DEFAULT_RUBRIC.reduce((s, c) => s + c.max, 0);
    return html`<table style="margin-bottom: var(--cy-space-4)">
      <caption>
        ${msg('评分表（默认，暂不能修改）', { id: 'campaignForm.rubric' })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${msg('评分项', { id: 'campaignForm.rubric.name' })}</th>
          <th scope="col" class="num">${msg('满分', { id: 'campaignForm.rubric.max' })}</th>
        </tr>
      </thead>
      <tbody>
        ${DEFAULT_RUBRIC.map(
          (c) => html`<tr>
            <td>${en ? c.nameEn : c.name}</td>
            <td class="num">${c.max}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">${msg('总分', { id: 'campaignForm.rubric.total' })}</th>
          <td class="num">${total}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  private input(
    name: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { type?: string; hint?: string; decimal?: boolean } = {},
  ) {
    const err = this.errors[name];
    const describedBy = [err ? `${name}-error` : '', opts.hint ? `${name}-hint` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type=${opts.type ?? 'text'}
        inputmode=${opts.decimal ? 'decimal' : opts.type === 'number' ? 'numeric' : nothing}
        min=${opts.type === 'number' ? '0' : nothing}
        placeholder=${opts.type === 'month' ? '2026-05' : opts.type === 'date' ? '2026-06-01' : nothing}
        .value=${value}
        aria-invalid=${err ? 'true' : 'false'}
        aria-describedby=${describedBy || nothing}
        @input=${(e: Event) => {
          set((e.target as HTMLInputElement).value);
          if (this.errors[name]) this.errors = { ...this.errors, [name]: '' };
        }}
      />
      ${opts.hint ? html`<p class="hint" id=${`${name}-hint`}>${opts.hint}</p>` : nothing}
      ${this.errorText(name)}
    </div>`;
  }

  private errorText(name: string) {
    const err = this.errors[name];
    return err ? html`<p class="field-error" id=${`${name}-error`}>${said(err)}</p>` : nothing;
  }

  private setFormat(f: CampaignFormat) {
    this.format = f;
    if (!this.thresholdEdited) this.threshold = String(DEFAULT_THRESHOLD[f]);
  }

  private toggleVillage(id: string, on: boolean) {
    const next = new Set(this.chosen);
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next;
  }

  /** Check what can be checked here; the server checks everything again. */
  private validate(): Record<string, string> {
    const e: Record<string, string> = {};
    const need = msg('这一项必须填写。', { id: 'campaignForm.required' });
    const whole = msg('请填写 0 或正整数。', { id: 'campaignForm.wholeNumber' });
    if ([...this.campaignTitle.trim()].length < 2) e['title'] = msg('活动名称至少 2 个字。', { id: 'campaignForm.title.short' });
    if (!this.chosen.size) e['villages'] = msg('至少选择一个村。', { id: 'campaignForm.villages.required' });
    if (this.format === 'monthly') {
      if (!this.monthFrom) e['monthFrom'] = need;
      if (!this.monthTo) e['monthTo'] = need;
      if (this.monthFrom && this.monthTo && this.monthFrom > this.monthTo) {
        e['monthTo'] = msg('结束月份不能早于开始月份。', { id: 'campaignForm.monthTo.early' });
      }
    } else {
      if (!this.dayFrom) e['dayFrom'] = need;
      if (!this.dayTo) e['dayTo'] = need;
      if (this.dayFrom && this.dayTo && this.dayFrom > this.dayTo) {
        e['dayTo'] = msg('结束日期不能早于开始日期。', { id: 'campaignForm.dayTo.early' });
      }
    }
    if (!/^\d+$/.test(this.threshold.trim())) e['likeThreshold'] = whole;
    if (!/^\d+$/.test(this.passMark.trim())) e['passMark'] = whole;
    if (this.quota.trim() && !/^[1-9]\d*$/.test(this.quota.trim())) {
      e['quota'] = msg('名额请填正整数，不限就空着。', { id: 'campaignForm.quota.invalid' });
    }
    const days = Number(this.objectionDays.trim());
    if (!/^\d+$/.test(this.objectionDays.trim()) || days < 1 || days > 30) e['objectionDays'] = msg('公示天数请填 1 到 30 的整数。', { id: 'campaignForm.objectionDays.invalid' });
    const yuan = msg('金额请填数字，最多两位小数，例如 200 或 50.5；没有奖励就空着。', { id: 'campaignForm.yuan.invalid' });
    const badYuan = (y: string) => !YUAN.test(y) || Number(y) <= 0;
    if (this.format === 'monthly' && this.monthlyYuan.trim() && badYuan(this.monthlyYuan.trim())) e['monthlyYuan'] = yuan;
    for (const n of [5, 4, 3]) {
      const y = (this.starYuan[n] ?? '').trim();
      if (y && badYuan(y)) e[`yuan${n}`] = yuan;
      if (this.format === 'single' && !/^\d+$/.test((this.bands[n] ?? '').trim())) e[`band${n}`] = whole;
    }
    if (this.format === 'single' && !e['band5'] && !e['band4'] && !e['band3'] && !(Number(this.bands[5]) > Number(this.bands[4]) && Number(this.bands[4]) > Number(this.bands[3]))) {
      e['band4'] = msg('星级越高，分数线要越高：五星 > 四星 > 三星。', { id: 'campaignForm.bands.order' });
    }
    return e;
  }

  private body(): CampaignCreate {
    const monthly = this.format === 'monthly';
    const body: CampaignCreate = {
      title: this.campaignTitle.trim(),
      format: this.format,
      villageIds: [...this.chosen],
      likeThreshold: Number(this.threshold),
      rules: {
        ...(monthly ? { passMark: Number(this.passMark) } : {}),
        ...(monthly && this.quota.trim() ? { quotaPerVillage: Number(this.quota) } : {}),
        objectionDays: Number(this.objectionDays),
        rewards: {
          monthlyAward: monthly && this.monthlyYuan.trim() ? { fen: fenOf(this.monthlyYuan), goods: null } : null,
          byStars: [5, 4, 3].filter((n) => (this.starYuan[n] ?? '').trim()).map((n) => ({ stars: n, fen: fenOf(this.starYuan[n]!), goods: null })),
        },
      },
    };
    if (monthly) body.months = { from: this.monthFrom, to: this.monthTo };
    else {
      body.window = { from: this.dayFrom, to: this.dayTo };
      body.starRule = { kind: 'bands', bands: [5, 4, 3].map((n) => ({ stars: n, minTotal: Number(this.bands[n]) })) };
    }
    return body;
  }

  private async submit(e: Event) {
    e.preventDefault();
    this.otherProblems = [];
    this.summary = '';
    this.errors = this.validate();
    if (Object.keys(this.errors).length) {
      await this.focusFirstError();
      return;
    }
    this.busy = true;
    try {
      const campaign: Campaign = await api.createCampaign(this.body());
      this.dispatchEvent(new CustomEvent('campaign-created', { detail: { campaign }, bubbles: true, composed: true }));
    } catch (err) {
      this.showServerProblems(err);
      await this.focusFirstError();
    } finally {
      this.busy = false;
    }
  }

  private showServerProblems(err: unknown) {
    const problems = err instanceof ApiError ? err.problems : [];
    const detailField = err instanceof ApiError ? (err.details as { field?: unknown } | undefined)?.field : undefined;
    const list =
      problems.length > 0
        ? problems.map((p) => ({ field: p.field ?? '', problem: p.problem ?? '' }))
        : typeof detailField === 'string'
          ? [{ field: detailField, problem: errorMessage(err) }]
          : [];
    if (!list.length) {
      this.otherProblems = [errorMessage(err)];
      return;
    }
    const errors: Record<string, string> = {};
    const other: string[] = [];
    for (const p of list) {
      const target = FIELD_OF[p.field] ?? FIELD_OF[p.field.split('.').slice(0, 2).join('.')];
      if (target) errors[target] = errors[target] ? `${errors[target]} ${p.problem}` : p.problem;
      else other.push(p.problem);
    }
    this.errors = errors;
    this.otherProblems = other;
    if (!other.length) {
      this.summary = msg(str`活动没有创建：有 ${list.length} 处需要改正，已在对应的位置标出。`, { id: 'campaignForm.problemsMarked' });
    }
  }

  private async focusFirstError() {
    await this.updateComplete;
    const el =
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      this.renderRoot.querySelector<HTMLElement>('fieldset[aria-describedby] input');
    el?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'campaign-create-form': CampaignCreateForm;
  }
}
