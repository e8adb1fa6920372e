import { localized, msg, str } from '@lit/localize';
import { Task } from '@lit/task';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { api, type Entry, type VillageCampaign } from '../api';
import { entryNumberLabel, isPublicEntry, reachedThreshold } from '../entries';
import { formatRoundPeriod, formatPeriod } from '../format';
import { entryStateLabel, missedThreshold, missedThresholdText } from '../i18n/labels';
import { sharedStyles } from '../styles/shared';
import { emptyView, errorView, loadingView, refusalNote, shortList } from '../views';
import './like-progress';
import { RoundJoin } from '../round-join';
import { zh } from '../i18n/server-text';

/**
 * A confirmed household's contest corner on "我的家庭": the rounds of its village taking
 * entries now ("参加本月评比"), and its entries with their state and any reasons a cadre gave.
 */
@customElement('my-entries')
@localized()
export class MyEntries extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .join {
        background: var(--cy-color-primary-soft);
        border-color: var(--cy-color-primary);
      }
      .join .btn {
        font-size: var(--cy-font-size-lg);
      }
      .title {
        font-size: var(--cy-font-size-lg);
        font-weight: 700;
        margin: 0 0 var(--cy-space-1);
      }
      .bad {
        color: var(--cy-color-error-text);
      }
    `,
  ];

  /** The household's village (its contests are offered). */
  @property({ attribute: 'village-id' }) villageId = '';

  private readonly joiner = new RoundJoin(this);

  private data = new Task(this, {
    task: async ([villageId], { signal }) => {
      const [entries, village] = await Promise.all([api.myEntries(signal), api.village(villageId, signal)]);
      return { entries, campaigns: village.campaigns };
    },
    args: () => [this.villageId] as const,
  });

  override render() {
    return this.data.render({
      initial: () => loadingView(),
      pending: () => loadingView(),
      error: (e) => errorView(e, () => void this.data.run()),
      complete: ({ entries, campaigns }) => html`
        ${this.joinCards(campaigns, entries)}
        <h2>${msg('我家的参评作品', { id: 'me.entries' })}</h2>
        ${entries.length
          ? shortList(entries, {
              keep: 3,
              item: (e) => this.entryItem(e),
              // what still needs the household: a draft, a change the round allows, something hidden
              always: (e) => e.status === 'draft' || e.editable || !!e.hidden || e.photos.some((p) => p.hidden),
              more: (n) => msg(str`显示更早的 ${n} 个作品`, { id: 'me.entries.more' }),
            })
          : emptyView(msg('您家还没有参评作品。', { id: 'me.entries.none' }))}
      `,
    });
  }

  /** A card for each round taking entries that the household has not entered yet. */
  private joinCards(campaigns: VillageCampaign[], entries: Entry[]) {
    const open = campaigns.filter(
      (c) =>
        c.status === 'open' &&
        c.currentRound?.status === 'entries_open' &&
        !entries.some((e) => e.roundId === c.currentRound!.id && e.status !== 'withdrawn'),
    );
    return open.map((c) => {
      const r = c.currentRound!;
      const busy = this.joiner.joining === r.id;
      return html`<section class="card join" aria-labelledby=${`join-${r.id}`}>
        <h2 id=${`join-${r.id}`} style="margin-top:0">${zh(c.title)}</h2>
        <p>${msg(str`${formatRoundPeriod(r)}正在报名。拍几张庭院照片就能参加。`, { id: 'me.join.text' })}</p>
        ${refusalNote(this.joiner.errorFor(r.id))}
        <button type="button" class="btn primary block" ?disabled=${busy} @click=${() => this.joiner.join(r.id)}>
          ${c.format === 'monthly' ? msg('参加本月评比', { id: 'me.join.monthly' }) : msg('参加本次评比', { id: 'me.join.single' })}
        </button>
      </section>`;
    });
  }

  private entryItem(e: Entry) {
    const period = formatPeriod(e.period);
    const hiddenPhotos = e.photos.filter((p) => p.hidden);
    const editable = e.editable;
    return html`<li class="card">
      <p class="title">${zh(e.campaignTitle)}${period ? ` · ${period}` : ''}${e.number ? html` <span class="number">${entryNumberLabel(e.number)}</span>` : nothing}</p>
      <p><span class="badge ${e.status}">${entryStateLabel(e)}</span>
        ${reachedThreshold(e.qualifiedAt, e.threshold) && e.status !== 'qualified' ? html`<span class="badge qualified">${msg('已达标', { id: 'entry.qualified' })}</span>` : nothing}</p>
      ${e.status !== 'draft' && e.status !== 'withdrawn' && (e.threshold > 0 || e.likeCount > 0) ? html`<like-progress like-count=${e.likeCount} threshold=${e.threshold}></like-progress>` : nothing}
      ${e.hidden
        ? html`<p class="bad"><strong>${msg('这个作品已被村干部隐藏，别人看不到。', { id: 'entry.hidden.notice' })}</strong>
            ${msg('原因：', { id: 'common.reason' })}${zh(e.hidden.reason)}</p>`
        : nothing}
      ${hiddenPhotos.map(
        (p) => html`<p class="bad">${msg('一张照片被村干部隐藏了。原因：', { id: 'me.photoHidden' })}${zh(p.hidden?.reason)}</p>`,
      )}
      ${e.status === 'draft' ? html`<p>${msg('还没有提交。加好照片后，请点“提交参评”。', { id: 'me.entry.draft' })}</p>` : nothing}
      ${missedThreshold(e) ? html`<p>${missedThresholdText(e.threshold)}</p>` : nothing}
      <div class="btn-row">
        ${editable || e.status === 'withdrawn'
          ? html`<a class="btn ${e.status === 'draft' ? 'primary' : ''}" href=${`/entries/${encodeURIComponent(e.id)}/edit`}>
              ${e.status === 'draft' ? msg('继续填写', { id: 'me.entry.continue' }) : msg('修改作品', { id: 'entry.edit' })}
            </a>`
          : nothing}
        ${isPublicEntry(e) ? html`<a class="btn" href=${`/entries/${encodeURIComponent(e.id)}`}>${msg('查看作品页面', { id: 'edit.view' })}</a>` : nothing}
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'my-entries': MyEntries;
  }
}
